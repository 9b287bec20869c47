#!/usr/bin/python3
"""Self-tests of the fixture generator (stdlib unittest; needs openssl and qpdf).

    /usr/bin/python3 -m unittest discover -s tests/tools -p 'test_*.py'
"""

import datetime as dt
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import cms_build  # noqa: E402
import der  # noqa: E402
import pdfgen  # noqa: E402

UTC = dt.timezone.utc


class DerTest(unittest.TestCase):
    def test_integer_minimal_and_round_trip(self):
        for n, hexed in ((0, "020100"), (127, "02017f"), (128, "02020080"),
                         (-128, "020180"), (-129, "0202ff7f")):
            self.assertEqual(der.integer(n).hex(), hexed)
            self.assertEqual(der.decode_integer(der.parse(der.integer(n))), n)

    def test_oid_round_trip(self):
        for dotted in ("1.2.840.113549.1.9.16.2.47", "2.5.29.14", "2.999.3"):
            self.assertEqual(der.decode_oid(der.parse(der.oid(dotted))), dotted)

    def test_times(self):
        when = dt.datetime(2026, 6, 15, 2, 0, 5, tzinfo=UTC)
        self.assertEqual(der.utc_time(when)[2:], b"260615020005Z")
        self.assertEqual(der.generalized_time(when)[2:], b"20260615020005Z")
        self.assertEqual(der.decode_time(der.parse(der.generalized_time(when))), when)
        with self.assertRaises(ValueError):
            der.utc_time(dt.datetime(2050, 1, 1, tzinfo=UTC))

    def test_set_of_is_sorted(self):
        a, b = der.octet_string(b"\x02"), der.octet_string(b"\x01\x00")
        self.assertEqual(der.set_of(a, b), der.tlv(der.SET_TAG, a + b))
        self.assertEqual(der.set_of(b, a), der.tlv(der.SET_TAG, a + b))

    def test_long_length(self):
        node = der.parse(der.octet_string(b"x" * 300))
        self.assertEqual((node.header_len, node.length), (4, 300))


class PdfObjectTest(unittest.TestCase):
    def test_round_trip(self):
        value = {"A": pdfgen.Name("B c"), "S": b"(x)\\\n\xfe", "H": pdfgen.HexStr(b"\x00\xff"),
                 "R": pdfgen.Ref(12), "L": [1, -2, 3.5, True, None, [pdfgen.Ref(3, 1)]]}
        parsed, _ = pdfgen.parse_value(pdfgen.serialize(value), 0)
        self.assertEqual(parsed, value)
        self.assertIsInstance(parsed["A"], pdfgen.Name)
        self.assertIsInstance(parsed["H"], pdfgen.HexStr)

    def test_parse_options(self):
        self.assertEqual(pdfgen.parse_options("chain=full,pss,tst=2026-06-15T02:00:05Z"),
                         {"chain": "full", "pss": True, "tst": "2026-06-15T02:00:05Z"})


@unittest.skipUnless(shutil.which("openssl") and shutil.which("qpdf"), "needs openssl and qpdf")
class EndToEndTest(unittest.TestCase):
    """Signs with a throwaway self-signed key and checks with qpdf and openssl."""

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp()
        cls.key = os.path.join(cls.tmp, "k.pem")
        cls.cert = os.path.join(cls.tmp, "c.pem")
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes",
                        "-keyout", cls.key, "-out", cls.cert, "-subj", "/CN=t",
                        "-days", "3650", "-addext", "extendedKeyUsage=critical,timeStamping"],
                       check=True, capture_output=True)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp)

    def qpdf_ok(self, data):
        path = os.path.join(self.tmp, "t.pdf")
        with open(path, "wb") as f:
            f.write(data)
        proc = subprocess.run(["qpdf", "--check", path], capture_output=True, text=True)
        self.assertEqual(proc.returncode, 0, proc.stdout + proc.stderr)

    def cms_ok(self, pdf, field):
        sig = dict(pdfgen.signatures(pdf))[field]
        a, b, c, d = sig["ByteRange"]
        blob = sig["Contents"][:der.Node(sig["Contents"], 0).end]
        files = {"sig.der": blob, "data.bin": pdf[a:a + b] + pdf[c:c + d]}
        for name, data in files.items():
            with open(os.path.join(self.tmp, name), "wb") as f:
                f.write(data)
        proc = subprocess.run(
            ["openssl", "cms", "-verify", "-binary", "-inform", "DER",
             "-in", os.path.join(self.tmp, "sig.der"),
             "-content", os.path.join(self.tmp, "data.bin"),
             "-CAfile", self.cert, "-purpose", "any", "-out", os.devnull],
            capture_output=True, text=True)
        return proc.returncode == 0

    def test_sign_and_updates(self):
        pdf = pdfgen.base_pdf(text_field="Name", empty_sig_field="Empty")
        self.qpdf_ok(pdf)
        tsa = cms_build.Tsa(self.key, der.read_certs(self.cert)[0], [])
        pdf = pdfgen.sign(pdf, self.key, self.cert, [], certify_p=2,
                          options="tst=2026-06-15T02:00:05Z", tsa=tsa)
        self.qpdf_ok(pdf)
        self.assertTrue(self.cms_ok(pdf, "Signature1"))
        pdf = pdfgen.sign(pdf, self.key, self.cert, [], field_name="Empty",
                          options={"sid": "ski", "ess": "v1"})
        self.assertTrue(self.cms_ok(pdf, "Empty"))
        for step in (lambda p: pdfgen.fill_text_field(p, "Name", "Nguyễn Văn A"),
                     pdfgen.add_annotation, pdfgen.change_page_content,
                     lambda p: pdfgen.add_dss(p, certs_der=der.read_certs(self.cert)),
                     lambda p: pdfgen.add_doc_timestamp(p, self.key, self.cert, [],
                                                        "2026-06-16T00:00:00Z")):
            pdf = step(pdf)
            self.qpdf_ok(pdf)
        self.assertTrue(self.cms_ok(pdf, "Signature1"))
        self.assertEqual([n for n, _ in pdfgen.signatures(pdf)],
                         ["Empty", "Signature1", "DocTimeStamp1"])

    def test_corrupt_signature_fails(self):
        pdf = pdfgen.sign(pdfgen.base_pdf(), self.key, self.cert, [],
                          options="sigvalue=corrupt")
        self.assertFalse(self.cms_ok(pdf, "Signature1"))


if __name__ == "__main__":
    unittest.main()
