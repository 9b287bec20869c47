#!/usr/bin/env bash
# ThreadSanitizer run (issue 13, part 5): builds the library, the command, the unit tests and the
# Python module with -fsanitize=thread in build-tsan/, then runs every test that verifies or
# diagnoses from several threads: the C++ ones (Threads.*, one Verifier from many threads, diagnose
# jobs, PKCS#11 sessions) and the Python ones (threads sharing a Verifier, online revocation against
# the local OCSP/CRL server, diagnose chunks on threads). Any race report fails the run.
# Usage: scripts/tsan.sh [BUILD_DIR]   (after scripts/setup-deps.sh; about 15 minutes on 2 cores)
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${1:-build-tsan}
launcher=()
if command -v ccache >/dev/null 2>&1; then launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache); fi
cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DLIBSIGN_TSAN=ON \
  -DPython_EXECUTABLE=/usr/bin/python3 "${launcher[@]}" >/dev/null
cmake --build "$BUILD_DIR" --parallel "$(nproc)" --target libsign_unit_tests libsign_cli _core
/usr/bin/python3 tests/tools/make_cases.py "$BUILD_DIR/fixtures" --pki certs-test/pki --cases certs-test/CASES.tsv

# TSan maps its shadow memory at fixed addresses; with the kernel's high mmap randomisation
# (vm.mmap_rnd_bits > 28) it can fail to start: run without address randomisation then.
no_aslr=()
if command -v setarch >/dev/null 2>&1 && setarch "$(uname -m)" -R true 2>/dev/null; then no_aslr=(setarch "$(uname -m)" -R); fi
export TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1 suppressions=$PWD/scripts/tsan.supp"

"${no_aslr[@]}" "$BUILD_DIR/tests/libsign_unit_tests" \
  --gtest_filter='Threads.*:XmlVerify.OneVerifierManyThreads:Run.*:Pkcs11Test.SignersShareTheModuleAndThreads'

tsan_runtime=$(c++ -print-file-name=libtsan.so)
LD_PRELOAD="$tsan_runtime" PYTHONPATH="$BUILD_DIR/python" LIBSIGN_CLI="$BUILD_DIR/libsign" \
  LIBSIGN_SOURCE_DIR="$PWD" LIBSIGN_FIXTURES_DIR="$BUILD_DIR/fixtures" LIBSIGN_BUILD_DIR="$BUILD_DIR" \
  "${no_aslr[@]}" /usr/bin/python3 -m pytest -q -p no:cacheprovider tests/python/test_threads.py \
  tests/python/test_verify_pdf.py::test_one_verifier_from_many_threads \
  tests/python/test_xml.py::test_parallel_verification_from_threads \
  tests/python/test_diagnose_python.py::test_python_threads_run_in_parallel_without_the_gil
echo "tsan: no data race reported"
