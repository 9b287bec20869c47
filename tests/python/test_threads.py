"""One Verifier shared by a portal backend's threads, with online revocation against the local
OCSP/CRL server (tests/servers/pki_server.py on 127.0.0.1): every thread gets the verdict one thread
gets, and the revocation cache is shared. scripts/tsan.sh runs this file under ThreadSanitizer."""
import threading

import libsign
from conftest import AT, ONLINE_PY, PROFILES_DIR, signed_pdf
from servers import pki_stats, running_fixed_pki_server


def test_online_revocation_from_many_threads():
    documents = {"gov-official": signed_pdf("gov-official"), "gov-org": signed_pdf("gov-org"),
                 "gov-revoked": signed_pdf("gov-revoked")}
    with running_fixed_pki_server() as base:
        verifier = libsign.make_verifier(trust_profile="test-gov", profiles_dir=PROFILES_DIR, at=AT, revocation=ONLINE_PY)
        pki_stats(base, reset=True)
        expected = {name: (r.indication, r.sub_indication)
                    for name, r in ((n, verifier.verify_pdf(d)) for n, d in documents.items())}
        first_fetches = pki_stats(base)["ocsp_requests"]
        assert expected["gov-official"][0] == "TOTAL_PASSED" and expected["gov-org"][0] == "TOTAL_PASSED"
        assert expected["gov-revoked"][0] == "TOTAL_FAILED"

        results, errors = [], []

        def work(offset):
            try:
                names = list(documents)
                for i in range(6):
                    name = names[(i + offset) % len(names)]
                    r = verifier.verify_pdf(documents[name])
                    results.append((name, (r.indication, r.sub_indication)))
            except Exception as error:  # reported below; a thread's exception would otherwise vanish
                errors.append(error)

        threads = [threading.Thread(target=work, args=(t,)) for t in range(6)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert not errors
        assert len(results) == 36
        assert all(outcome == expected[name] for name, outcome in results)
        # The threads were served from the verifier's cache: no new OCSP request.
        assert pki_stats(base)["ocsp_requests"] == first_fetches
