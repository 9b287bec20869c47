#!/usr/bin/env bash
# Every test on a fresh Debian 12 machine: install what is missing, build (Release) and run the whole
# suite through ctest (GoogleTest, pytest for Python, CLI and interop); then the same suite built with
# AddressSanitizer + UndefinedBehaviorSanitizer; then every libFuzzer harness briefly (fuzz/run.sh:
# a fixed seed and input count, so CI replays the same inputs on any machine).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup-deps.sh
scripts/build.sh build
ctest --test-dir build --output-on-failure --timeout 600
scripts/build.sh build-asan -DCMAKE_BUILD_TYPE=RelWithDebInfo -DLIBSIGN_SANITIZE=ON
ctest --test-dir build-asan --output-on-failure --timeout 900
LIBSIGN_FUZZ_SEED="${LIBSIGN_FUZZ_SEED:-1}" LIBSIGN_FUZZ_RUNS="${LIBSIGN_FUZZ_RUNS:-4000}" fuzz/run.sh "${LIBSIGN_FUZZ_SECONDS:-120}"
