#!/usr/bin/env bash
# The main job on a fresh Debian 12 machine: install what is missing, build (Release), and verify the
# bundled example dossier (signed under the test PKI) with the test government profile.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup-deps.sh
scripts/build.sh build
# The example is signed under the test PKI, whose OCSP/CRL servers are only started by the tests: offline here.
exec build/libsign verify examples/dossier-signed.pdf --profiles-dir certs-test/profiles --trust-profile test-gov --offline --revocation optional \
  --at 2026-07-01T09:00:00+07:00 --lang vi
