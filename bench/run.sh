#!/usr/bin/env bash
# libsign performance comparisons (see docs/performance.md). Builds nothing: expects ./build.
#
#   bench/run.sh [--quick] [--build DIR] [--keep] [--json FILE] [--only verify|sign|revocation|tokens|cms|xml|diagnose|reader]
#
#   --quick     fewer rounds and a 20 MB instead of a 100 MB big file (a smoke test, ~25 s)
#   --only      run only the verification, the signing, the revocation, the tokens or the cms
#               benchmarks (default: all five). The revocation part starts tests/servers/pki_server.py on
#               127.0.0.1:18881 and stops it at the end; it is skipped (and says so) when that port
#               is busy. The tokens part (PKCS#11 through SoftHSM2 against the .p12) creates a
#               SoftHSM2 token in the temporary directory; it is skipped (and says so) when SoftHSM2
#               (softhsm2, and pkcs11-tool from opensc) is not installed. The cms part
#               (bench/cms.py) compares detached CAdES signing and verification with `openssl cms`
#               on a 1 MB and a 100 MB attachment (--json FILE writes it to FILE-cms.json). The xml part
#               (bench/xml.py, needs xmlsec1) compares XML-DSig signing and verification of a ~16 KB
#               e-invoice with the `xmlsec1` command, plus the in-process batch rates (FILE-xml.json).
#               --only diagnose: `libsign diagnose --html` on 10,000 generated dossiers with a mix of
#               faults (bench/diagnose.py; needs only build/libsign and /usr/bin/python3; not part of
#               the default run)
#               --only reader: the lenient PDF reader (bench/reader.py): well-formed dossiers in-process
#               against a baseline build given in $LIBSIGN_BASELINE_BUILD (skipped without it), and a
#               100 MB dossier whose xref must be rebuilt against sha256sum (not part of the default run)
#   --build     the build directory (default: build, or $LIBSIGN_BUILD)
#   --keep      keep the temporary input directory (its path is printed)
#   --json      also write the results as JSON to FILE
#
# Needs: the build (libsign, bench/bench_verify, bench/bench_sign, bench/bench_token, bench/bench_p11_raw,
# python/libsign), /usr/bin/python3, openssl, pdfsig (poppler-utils), certutil and pk12util
# (libnss3-tools), sha256sum (coreutils); for the tokens part softhsm2 and opensc (pkcs11-tool).
# Inputs and signed outputs are written to a temporary directory (about 420 MB with the signing
# part, 110 MB without, 7 MB for the revocation part alone, 2 MB for the tokens part alone) and
# removed afterwards.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(dirname "$here")"
build="${LIBSIGN_BUILD:-$repo/build}"
quick=()
keep=0
json=()
only=()
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) quick=(--quick) ;;
    --build) build="$(cd "$2" && pwd)"; shift ;;
    --keep) keep=1 ;;
    --json) json=(--json "$(realpath -m "$2")"); shift ;;
    --only) case "$2" in verify|sign|revocation|tokens|cms|xml|diagnose|reader) only=(--only "$2") ;; *) echo "--only verify|sign|revocation|tokens|cms|xml|diagnose|reader" >&2; exit 2 ;; esac; shift ;;
    -h|--help) sed -n '2,32p' "$0"; exit 0 ;;
    *) echo "unknown option: $1" >&2; exit 2 ;;
  esac
  shift
done

if [ "${only[*]}" = "--only diagnose" ]; then
  [ -x "$build/libsign" ] || { echo "missing $build/libsign: build first" >&2; exit 2; }
  args=(--build "$build")
  [ ${#quick[@]} -gt 0 ] && args+=(--files 2000 --runs 1)
  [ "$keep" = 1 ] && args+=(--keep)
  exec /usr/bin/python3 "$here/diagnose.py" "${args[@]}" "${json[@]}"
fi

for f in "$build/libsign" "$build/bench/bench_verify" "$build/bench/bench_sign" "$build/bench/bench_token" \
         "$build/bench/bench_p11_raw"; do
  [ -x "$f" ] || { echo "missing $f: build first (ninja -C build)" >&2; exit 2; }
done
[ -d "$build/python/libsign" ] || { echo "missing $build/python/libsign: build first" >&2; exit 2; }
for tool in pdfsig certutil pk12util sha256sum openssl; do
  command -v "$tool" >/dev/null || { echo "missing $tool (see docs/performance.md)" >&2; exit 2; }
done

cms_json=()
xml_json=()
[ ${#json[@]} -gt 0 ] && cms_json=(--json "${json[1]%.json}-cms.json")
[ ${#json[@]} -gt 0 ] && xml_json=(--json "${json[1]%.json}-xml.json")
if [ "${only[*]}" = "--only xml" ]; then
  command -v xmlsec1 >/dev/null || { echo "missing xmlsec1 (apt install xmlsec1)" >&2; exit 2; }
  exec /usr/bin/python3 "$here/xml.py" --build "$build" "${quick[@]}" "${xml_json[@]}"
fi
if [ "${only[*]}" = "--only reader" ]; then
  baseline=()
  [ -n "${LIBSIGN_BASELINE_BUILD:-}" ] && baseline=(--baseline "$LIBSIGN_BASELINE_BUILD")
  reader_mb=100
  [ ${#quick[@]} -gt 0 ] && reader_mb=20
  reader_json=()
  [ ${#json[@]} -gt 0 ] && reader_json=(--json "${json[1]%.json}-reader.json")
  exec /usr/bin/python3 "$here/reader.py" --build "$build" --big-mb "$reader_mb" "${baseline[@]}" "${reader_json[@]}"
fi
if [ "${only[*]}" = "--only cms" ]; then
  exec /usr/bin/python3 "$here/cms.py" --build "$build" "${quick[@]}" "${cms_json[@]}"
fi

work="$(mktemp -d "${TMPDIR:-/tmp}/libsign-bench.XXXXXX")"
if [ "$keep" = 1 ]; then
  echo "inputs kept in $work" >&2
else
  trap 'rm -rf "$work"' EXIT
fi

big_mb=100
[ ${#quick[@]} -gt 0 ] && big_mb=20
small=200      # signed one-page PDFs (verification)
unsigned=20    # unsigned one-page PDFs (signing)
[ "${only[*]}" = "--only sign" ] && small=0
[ "${only[*]}" = "--only verify" ] && unsigned=0
[ "${only[*]}" = "--only revocation" ] && { unsigned=0; big_mb=0; }   # the 200 signed files only
[ "${only[*]}" = "--only tokens" ] && { small=0; big_mb=0; }          # the 20 unsigned files only
echo "making inputs in $work ($small signed + $unsigned unsigned one-page PDFs, ${big_mb} MB PDF, NSS dbs)..." >&2
/usr/bin/python3 "$here/make_inputs.py" "$work" --small "$small" --unsigned "$unsigned" --big-mb "$big_mb"

cd "$repo"
/usr/bin/python3 "$here/compare.py" --build "$build" --inputs "$work" "${quick[@]}" "${json[@]}" "${only[@]}"
[ ${#only[@]} -eq 0 ] && /usr/bin/python3 "$here/cms.py" --build "$build" "${quick[@]}" "${cms_json[@]}"
if [ ${#only[@]} -eq 0 ]; then
  if command -v xmlsec1 >/dev/null; then
    /usr/bin/python3 "$here/xml.py" --build "$build" "${quick[@]}" "${xml_json[@]}"
  else
    echo "xml part skipped: xmlsec1 not installed" >&2
  fi
fi
exit 0
