"""No server at the address the certificates name: the verdict arrives at once as TRY_LATER.
(A separate module so that no module-scoped test server holds port 18881.)"""
import socket

import pytest

from conftest import AT, ONLINE_LOCAL, PROFILES_DIR, codes, verify_json


def test_unreachable_responder_gives_try_later(fixtures):
    with socket.socket() as probe:
        if probe.connect_ex(("127.0.0.1", 18881)) == 0:
            pytest.skip("something listens on 127.0.0.1:18881")
    status, report = verify_json(fixtures / "official.pdf", "--profiles-dir", str(PROFILES_DIR), "--trust-profile",
                                 "test-gov", "--at", AT, *ONLINE_LOCAL)
    sig = report["document"]["signatures"][0]
    assert (sig["indication"], sig["sub_indication"]) == ("INDETERMINATE", "TRY_LATER")
    assert "REVOCATION_UNREACHABLE" in codes(sig)
    assert status == 2
