#!/bin/sh
# fuzz/run.sh SECONDS — builds the libFuzzer harnesses (clang-14, ASan + UBSan) in build-fuzz/, makes
# their seed corpora (fuzz/make_seeds.py), replays every input in fuzz/regressions/TARGET/ (crashes
# found earlier), then runs each harness for SECONDS seconds. Exit status 1 when a harness found a
# crash, a leak, a timeout or an out-of-memory input (kept in build-fuzz/artifacts/).
# LIBSIGN_FUZZ_ONLY="fuzz_cms fuzz_png" runs only those; LIBSIGN_FUZZ_SEED fixes libFuzzer's seed (0,
# the default, is random); LIBSIGN_FUZZ_RUNS=N stops each harness after N inputs instead (SECONDS
# stays a cap). CI sets both: a seed and a run count give the same inputs on any machine, where a
# time budget would depend on its speed. The corpora grow across runs.
set -eu
seconds=${1:-60}
root=$(cd "$(dirname "$0")/.." && pwd)
build=${LIBSIGN_FUZZ_BUILD:-$root/build-fuzz}
launcher=""
if command -v ccache >/dev/null 2>&1; then launcher="-DCMAKE_CXX_COMPILER_LAUNCHER=ccache"; fi
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_CXX_COMPILER=clang++-14 -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DLIBSIGN_FUZZ=ON -DLIBSIGN_PYTHON=OFF -DLIBSIGN_TESTS=OFF $launcher >/dev/null
cmake --build "$build"
/usr/bin/python3 "$root/fuzz/make_seeds.py" "$build/seeds" --cli "$build/libsign"

targets=${LIBSIGN_FUZZ_ONLY:-$(cd "$build/fuzz" && ls fuzz_* | grep -v '\.' )}
mkdir -p "$build/artifacts" "$build/logs"
failed=""
for target in $targets; do
  mkdir -p "$build/corpus/$target"
  seeds="$build/seeds/$target"
  [ -d "$seeds" ] || seeds=""
  regressions="$root/fuzz/regressions/$target"
  if [ -d "$regressions" ] && [ -n "$(ls -A "$regressions")" ]; then
    echo "== $target: replaying $(ls "$regressions" | wc -l) regression input(s)"
    if ! ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=1 "$build/fuzz/$target" -rss_limit_mb=2048 -timeout=20 \
        "$regressions"/* >"$build/logs/$target.regressions.log" 2>&1; then
      echo "   FAILED: see $build/logs/$target.regressions.log"
      tail -30 "$build/logs/$target.regressions.log"
      failed="$failed $target"
      continue
    fi
  fi
  echo "== $target ($seconds s${LIBSIGN_FUZZ_RUNS:+, at most $LIBSIGN_FUZZ_RUNS inputs})"
  if ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=1 "$build/fuzz/$target" -max_total_time="$seconds" \
      -runs="${LIBSIGN_FUZZ_RUNS:--1}" \
      -rss_limit_mb=2048 -timeout=20 -seed="${LIBSIGN_FUZZ_SEED:-0}" -print_final_stats=1 \
      -artifact_prefix="$build/artifacts/$target-" \
      "$build/corpus/$target" $seeds >"$build/logs/$target.log" 2>&1; then
    grep -E "^stat::number_of_executed_units|^stat::peak_rss_mb|cov:" "$build/logs/$target.log" | tail -3
  else
    echo "   FAILED: see $build/logs/$target.log and $build/artifacts/"
    tail -30 "$build/logs/$target.log"
    failed="$failed $target"
  fi
done
if [ -n "$failed" ]; then
  echo "fuzz: findings in:$failed"
  exit 1
fi
echo "fuzz: no findings"
