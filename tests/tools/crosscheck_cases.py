"""Detached CMS signatures crafted where two parsers may read the same bytes differently: the
inputs of the Botan cross-check tests (tests/python/test_cross_check.py, docs/security.md).

Each case is a .p7s over CONTENT, signed with a key of certs-test/pki. The bytes are built here with
der.py; the private-key operations are `openssl dgst -sign` (a message) and `openssl pkeyutl -sign`
(a hand-made DigestInfo), the key passed by path. Standard library only.

    python3 crosscheck_cases.py OUTDIR     writes OUTDIR/content.bin and OUTDIR/<case>.p7s
"""

import hashlib
import pathlib
import subprocess
import sys

import cms_build
import der

PKI = pathlib.Path(__file__).resolve().parents[2] / "certs-test" / "pki"
CONTENT = "Tờ khai — kiểm tra chéo hai bộ máy\n".encode() * 20
SIGNING_TIME = "2026-06-20T03:00:00Z"
SHA256_OID = "2.16.840.1.101.3.4.2.1"


def _cert(name):
    return der.read_certs(PKI / f"{name}.pem")[0]


def _key(name):
    return str(PKI / f"{name}.key.pem")


def _long_length(n, size=2):
    """A length in long form on `size` bytes: valid BER, never DER."""
    return bytes([0x80 | size]) + n.to_bytes(size, "big")


def _attributes(content, cert, signing_time, non_minimal_digest=False):
    """The signed attributes (SET OF, tag 0x31). With non_minimal_digest, the messageDigest OCTET
    STRING carries its length in long form: BER that a DER re-encoder normalises."""
    digest = hashlib.sha256(content).digest()
    md_value = (b"\x04" + _long_length(len(digest)) + digest) if non_minimal_digest else der.octet_string(digest)
    attrs = [
        cms_build.attribute(cms_build.ATTR_CONTENT_TYPE, der.oid(cms_build.ID_DATA)),
        cms_build.attribute(cms_build.ATTR_SIGNING_TIME, der.utc_time(cms_build.parse_time(signing_time))),
        cms_build.attribute(cms_build.ATTR_MESSAGE_DIGEST, md_value),
        cms_build.signing_certificate_attr(cert, "v2"),
    ]
    return der.set_of(*attrs)


def _signed_data(cert, certs, signed_attrs, sig_alg, signature, signature_octets=None, certificates_field=None):
    """ContentInfo of a one-signer detached SignedData. `signature_octets` replaces the encoded
    signature OCTET STRING; `certificates_field` the contents of the [0] certificates."""
    sid = der.sequence(der.cert_issuer_der(cert), der.cert_serial_der(cert))
    signer_info = der.sequence(der.integer(1), sid, der.algorithm_identifier(SHA256_OID),
                               der.retag(signed_attrs, 0xA0), sig_alg,
                               signature_octets if signature_octets is not None else der.octet_string(signature))
    certificates = certificates_field if certificates_field is not None else b"".join(certs)
    sd = der.sequence(der.integer(1), der.set_of(der.algorithm_identifier(SHA256_OID)),
                      der.sequence(der.oid(cms_build.ID_DATA)),
                      der.implicit(0, certificates, constructed=True), der.set_of(signer_info))
    return der.sequence(der.oid(cms_build.ID_SIGNED_DATA), der.explicit(0, sd))


def _sign(key, data):
    return cms_build.openssl_sign(key, data, "sha256")


def _sign_digest_info(key, digest_info):
    """RSA PKCS#1 v1.5 over a DigestInfo given as is (no hashing by openssl)."""
    proc = subprocess.run(["openssl", "pkeyutl", "-sign", "-inkey", key, "-pkeyopt", "rsa_padding_mode:pkcs1"],
                          input=digest_info, capture_output=True, check=True)
    return proc.stdout


def _rsa_alg():
    return der.algorithm_identifier(cms_build.DIGESTS["sha256"][1], der.null())


def _ecdsa_alg():
    return der.algorithm_identifier(cms_build.DIGESTS["sha256"][2])


def _ecdsa_non_minimal(signature):
    """ECDSA-Sig-Value with `r` given one needless leading zero byte."""
    seq = der.parse(signature)
    r, s = seq[0], seq[1]
    r_bad = b"\x02" + der.encode_length(len(r.value) + 1) + b"\x00" + r.value
    return der.tlv(0x30, r_bad + s.raw)


def _cert_with(cert, extra=b"", tbs_non_minimal=False, ca="gov-ca"):
    """The certificate with `extra` bytes after its signature inside the outer SEQUENCE, or with its
    TBSCertificate's version [0] written with a long-form length and signed again by `ca`."""
    node = der.parse(cert)
    tbs, alg, sig = node[0], node[1], node[2]
    if tbs_non_minimal:
        version = tbs[0]  # [0] EXPLICIT INTEGER 2
        assert version.tag == 0xA0
        version_bad = b"\xa0" + _long_length(len(version.value), 1) + version.value
        tbs_bytes = der.tlv(0x30, version_bad + b"".join(c.raw for c in tbs.children[1:]))
        signature = _sign(_key(ca), tbs_bytes)
        return der.tlv(0x30, tbs_bytes + alg.raw + der.bit_string(signature))
    return der.tlv(0x30, tbs.raw + alg.raw + sig.raw + extra)


def _rsa_case(signing_time=SIGNING_TIME, **kw):
    cert, ca = _cert("gov-official"), _cert("gov-ca")
    attrs = _attributes(CONTENT, cert, signing_time, kw.pop("non_minimal_digest", False))
    return cert, ca, attrs, _sign(_key("gov-official"), attrs)


def _short_rsa_signature():
    """An RSA signature value whose first byte is zero, given without that byte (shorter than the
    modulus): the signing time is moved one second at a time until such a value comes out."""
    cert, ca = _cert("gov-official"), _cert("gov-ca")
    for second in range(0, 3600):
        t = "2026-06-20T03:%02d:%02dZ" % (second // 60, second % 60)
        attrs = _attributes(CONTENT, cert, t)
        signature = _sign(_key("gov-official"), attrs)
        if signature[0] == 0:
            return _signed_data(cert, [cert, ca], attrs, _rsa_alg(), signature[1:])
    raise RuntimeError("no signature value with a leading zero byte in 3600 tries")


def build_cases():
    """{case name: .p7s bytes}."""
    cases = {}
    cert, ca, attrs, sig = _rsa_case()
    cases["baseline_rsa"] = _signed_data(cert, [cert, ca], attrs, _rsa_alg(), sig)

    # Non-canonical DER in the signature value's encoding: the OCTET STRING length in long form.
    octets = b"\x04" + _long_length(len(sig), 3) + sig
    cases["sigvalue_length_non_minimal"] = _signed_data(cert, [cert, ca], attrs, _rsa_alg(), sig, signature_octets=octets)

    # Non-canonical DER inside the signed attributes, signed as they are written.
    cert, ca, attrs_bad, sig_bad = _rsa_case(non_minimal_digest=True)
    cases["signed_attrs_non_minimal"] = _signed_data(cert, [cert, ca], attrs_bad, _rsa_alg(), sig_bad)

    # A DigestInfo without the NULL parameters of its AlgorithmIdentifier.
    digest_info = der.sequence(der.sequence(der.oid(SHA256_OID)), der.octet_string(hashlib.sha256(attrs).digest()))
    sig_no_null = _sign_digest_info(_key("gov-official"), digest_info)
    cases["digestinfo_without_null"] = _signed_data(cert, [cert, ca], attrs, _rsa_alg(), sig_no_null)

    # An RSA signature value shorter than the modulus (its leading zero byte left out).
    cases["rsa_signature_short"] = _short_rsa_signature()

    # Trailing bytes after an RSA signature value, inside its OCTET STRING.
    cases["rsa_signature_trailing"] = _signed_data(cert, [cert, ca], attrs, _rsa_alg(), sig + b"\x00")

    # ECDSA: an INTEGER with a needless leading zero, and trailing bytes after the SEQUENCE.
    ec_cert = _cert("gov-ecdsa")
    ec_attrs = _attributes(CONTENT, ec_cert, SIGNING_TIME)
    ec_sig = _sign(_key("gov-ecdsa"), ec_attrs)
    cases["baseline_ecdsa"] = _signed_data(ec_cert, [ec_cert, ca], ec_attrs, _ecdsa_alg(), ec_sig)
    cases["ecdsa_integer_non_minimal"] = _signed_data(ec_cert, [ec_cert, ca], ec_attrs, _ecdsa_alg(),
                                                      _ecdsa_non_minimal(ec_sig))
    cases["ecdsa_signature_trailing"] = _signed_data(ec_cert, [ec_cert, ca], ec_attrs, _ecdsa_alg(), ec_sig + b"\x00\x00")

    # Certificates: non-canonical DER in the signer's TBSCertificate (signed again by the CA), and
    # bytes after the signer certificate's signature.
    bad_tbs = _cert_with(cert, tbs_non_minimal=True)
    cases["certificate_non_minimal"] = _signed_data(bad_tbs, [bad_tbs, ca], _attributes(CONTENT, bad_tbs, SIGNING_TIME),
                                                    _rsa_alg(), _sign(_key("gov-official"),
                                                                      _attributes(CONTENT, bad_tbs, SIGNING_TIME)))
    trailing = _cert_with(cert, extra=b"\x05\x00")
    cases["certificate_trailing"] = _signed_data(cert, [trailing, ca], attrs, _rsa_alg(), sig)
    return cases


def write_cases(outdir):
    outdir = pathlib.Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    (outdir / "content.bin").write_bytes(CONTENT)
    names = []
    for name, data in build_cases().items():
        (outdir / f"{name}.p7s").write_bytes(data)
        names.append(name)
    return names


if __name__ == "__main__":
    print("\n".join(write_cases(sys.argv[1])))
