#!/usr/bin/env bash
# Installs the Debian 12 packages libsign needs to build and test, when any is missing.
set -euo pipefail
PACKAGES=(
  cmake ninja-build g++ pkg-config            # toolchain (libc6-dev, libstdc++-12-dev: the static command)
  libssl-dev zlib1g-dev                       # OpenSSL 3 (CMS, X.509, TS, OCSP), zlib (PDF streams)
  libbotan-2-dev                              # Botan 2.19: the independent second engine (cross-check)
  nlohmann-json3-dev libcli11-dev             # JSON reports, the CLI
  pybind11-dev python3-dev python3-pytest     # the Python module and its tests (Debian's /usr/bin/python3)
  libgtest-dev                                # unit tests
  libp11-kit-dev softhsm2 opensc              # PKCS#11 headers; a software token and pkcs11-tool for the tests
  fonts-dejavu-core                           # the default font of visible signatures (Vietnamese glyphs)
  openssl qpdf poppler-utils libnss3-tools    # test peers: openssl CLI, qpdf --check, pdfsig/pdftotext/pdftoppm + NSS tools
  ghostscript                                 # re-saver for the damage tests (gs -sDEVICE=pdfwrite)
  openjdk-17-jdk-headless libpdfbox2-java libbcprov-java libbcpkix-java  # test peers: PDFBox + Bouncy Castle checker, JDK XML-DSig, jarsigner
  libitext5-java                              # test peer: iText 5, the signing library of many Java plug-ins
  gpgsm                                       # test peer: GnuPG S/MIME (libksba CMS)
  time                                        # bench/: peak memory via /usr/bin/time
  libxml2-dev libicu-dev liblzma-dev          # XML e-forms: parsing and C14N (static archives for the static command)
  libxmlsec1-dev xmlsec1                      # XML-DSig test peer (xmlsec1 --verify) and its headers
  chromium                                    # tests: the diagnose HTML report rendered headless (screenshot, DOM)
  python3-distributed                         # tests/docs: diagnose on a Dask cluster (LocalCluster on 127.0.0.1)
  clang-14 libclang-rt-14-dev llvm-14         # fuzz/: libFuzzer harnesses with ASan/UBSan (llvm-symbolizer for reports)
  libcpp-httplib-dev apache2-utils curl      # libsign serve (HTTP API); its load test (ab) and tests (curl)
  python3-venv python3-pip python3-setuptools python3-wheel dpkg-dev  # tests/packaging: pip install into a venv, cpack -G DEB (dpkg-shlibdeps)
)
missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "setup-deps: all packages present"
  exit 0
fi
echo "setup-deps: installing ${missing[*]}"
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get -o DPkg::Lock::Timeout=300 update -q
$SUDO apt-get -o DPkg::Lock::Timeout=300 install -y -q --no-install-recommends "${missing[@]}"
