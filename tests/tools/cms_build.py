"""Build CMS SignedData (RFC 5652) and RFC 3161 timestamp tokens for test fixtures.

Everything is encoded here with der.py; the only external step is the raw
private-key operation, done by the `openssl` command line with the key passed
by path (keys are never read into this process).
"""

import datetime as _dt
import hashlib
import subprocess
import tempfile
from collections import namedtuple

import der

# Object identifiers
ID_DATA = "1.2.840.113549.1.7.1"
ID_SIGNED_DATA = "1.2.840.113549.1.7.2"
ID_CT_TSTINFO = "1.2.840.113549.1.9.16.1.4"
ATTR_CONTENT_TYPE = "1.2.840.113549.1.9.3"
ATTR_MESSAGE_DIGEST = "1.2.840.113549.1.9.4"
ATTR_SIGNING_TIME = "1.2.840.113549.1.9.5"
ATTR_SIGNING_CERT = "1.2.840.113549.1.9.16.2.12"
ATTR_SIGNING_CERT_V2 = "1.2.840.113549.1.9.16.2.47"
ATTR_SIG_TIMESTAMP = "1.2.840.113549.1.9.16.2.14"
ATTR_ADBE_REVOCATION = "1.2.840.113583.1.1.8"
ID_RI_OCSP_RESPONSE = "1.3.6.1.5.5.7.16.2"  # RFC 5940 OtherRevocationInfoFormat for an OCSPResponse
RSA_ENCRYPTION = "1.2.840.113549.1.1.1"
RSASSA_PSS = "1.2.840.113549.1.1.10"
MGF1 = "1.2.840.113549.1.1.8"
EC_PUBLIC_KEY = "1.2.840.10045.2.1"
ED25519 = "1.3.101.112"  # RFC 8410: key and signature algorithm at once
ED448 = "1.3.101.113"

DIGESTS = {  # name -> (digest OID, RSA PKCS#1 signature OID, ECDSA signature OID)
    "sha1": ("1.3.14.3.2.26", "1.2.840.113549.1.1.5", "1.2.840.10045.4.1"),
    "sha256": ("2.16.840.1.101.3.4.2.1", "1.2.840.113549.1.1.11",
               "1.2.840.10045.4.3.2"),
    "sha512": ("2.16.840.1.101.3.4.2.3", "1.2.840.113549.1.1.13",
               "1.2.840.10045.4.3.4"),
    "shake256": ("2.16.840.1.101.3.4.2.12", None, None),  # RFC 8419: Ed448's digest, 512-bit output
}

PSS_SALT_LEN = 32

# A timestamping authority: key file, certificate DER, extra certificates DER.
Tsa = namedtuple("Tsa", "key_path cert_der chain_der")


def digest(md, data):
    if md == "shake256":
        return hashlib.shake_256(data).digest(64)
    return hashlib.new(md, data).digest()


def digest_algorithm(md):
    # RFC 5754: SHA-2 identifiers are generated with absent parameters.
    return der.algorithm_identifier(DIGESTS[md][0])


def _key_kind(cert_der):
    alg = der.cert_public_key_algorithm(cert_der)
    if alg == RSA_ENCRYPTION:
        return "rsa"
    if alg == EC_PUBLIC_KEY:
        return "ec"
    if alg in (ED25519, ED448):
        return "eddsa"
    raise ValueError("unsupported public key algorithm %s" % alg)


def signature_algorithm(cert_der, md, pss=False, rsa_oid="sign"):
    """AlgorithmIdentifier for SignerInfo.signatureAlgorithm.

    rsa_oid="sign" gives e.g. sha256WithRSAEncryption, "rsaEncryption" the bare
    key OID (both seen in the wild for PKCS#1 v1.5).
    """
    kind = _key_kind(cert_der)
    if kind == "eddsa":
        return der.algorithm_identifier(der.cert_public_key_algorithm(cert_der))  # parameters absent
    if kind == "ec":
        return der.algorithm_identifier(DIGESTS[md][2])
    if pss:
        hash_alg = digest_algorithm(md)
        params = der.sequence(
            der.explicit(0, hash_alg),
            der.explicit(1, der.algorithm_identifier(MGF1, hash_alg)),
            der.explicit(2, der.integer(PSS_SALT_LEN)),
        )
        return der.algorithm_identifier(RSASSA_PSS, params)
    oid = RSA_ENCRYPTION if rsa_oid == "rsaEncryption" else DIGESTS[md][1]
    return der.algorithm_identifier(oid, der.null())


def openssl_sign(key_path, data, md, pss=False):
    """Sign `data` (hashing it with `md`) with the key file; returns raw signature.

    RSA: PKCS#1 v1.5 DigestInfo or PSS; EC: DER ECDSA-Sig-Value; md=None: EdDSA (RFC 8032), the
    data itself is signed.
    """
    if md is None:
        # pkeyutl signs EdDSA in one shot and needs the input's size: a file, not a pipe.
        with tempfile.NamedTemporaryFile(prefix="libsign-eddsa-") as message:
            message.write(data)
            message.flush()
            proc = subprocess.run(["openssl", "pkeyutl", "-sign", "-rawin", "-inkey", key_path, "-in", message.name],
                                  capture_output=True)
        if proc.returncode != 0:
            raise RuntimeError("openssl pkeyutl -sign failed: %s" % proc.stderr.decode(errors="replace").strip())
        return proc.stdout
    cmd = ["openssl", "dgst", "-" + md, "-sign", key_path]
    if pss:
        cmd += ["-sigopt", "rsa_padding_mode:pss",
                "-sigopt", "rsa_pss_saltlen:%d" % PSS_SALT_LEN,
                "-sigopt", "rsa_mgf1_md:" + md]
    proc = subprocess.run(cmd, input=data, capture_output=True)
    if proc.returncode != 0:
        raise RuntimeError("openssl dgst -sign failed: %s"
                           % proc.stderr.decode(errors="replace").strip())
    return proc.stdout


# --------------------------------------------------------------------------
# Attributes
# --------------------------------------------------------------------------

def attribute(attr_oid, *values):
    return der.sequence(der.oid(attr_oid), der.set_of(*values))


def issuer_serial(cert_der):
    """IssuerSerial: GeneralNames { directoryName [4] Name } + serialNumber."""
    general_names = der.sequence(der.explicit(4, der.cert_issuer_der(cert_der)))
    return der.sequence(general_names, der.cert_serial_der(cert_der))


def signing_certificate_attr(cert_der, ess="v2", other_cert_der=None):
    """ESS signing-certificate attribute, or None for ess="none".

    ess: "v2" (SHA-256, RFC 5035), "v1" (SHA-1, RFC 2634), "mismatch" (v2 whose
    hash names `other_cert_der`, or arbitrary bytes if none is given).
    """
    if ess == "none":
        return None
    if ess == "v1":
        cert_id = der.sequence(der.octet_string(digest("sha1", cert_der)),
                               issuer_serial(cert_der))
        return attribute(ATTR_SIGNING_CERT, der.sequence(der.sequence(cert_id)))
    if ess == "v2":
        hashed = cert_der
    elif ess == "mismatch":
        hashed = other_cert_der or b"not the signing certificate"
    else:
        raise ValueError("unknown ess option %r" % ess)
    # hashAlgorithm DEFAULT sha256 is omitted (DER).
    cert_id = der.sequence(der.octet_string(digest("sha256", hashed)),
                           issuer_serial(cert_der))
    return attribute(ATTR_SIGNING_CERT_V2, der.sequence(der.sequence(cert_id)))


def revocation_info_archival_attr(crls_der=(), ocsps_der=()):
    """adbe-revocationInfoArchival: SEQUENCE { [0] SEQ OF CRL, [1] SEQ OF OCSPResponse }."""
    parts = []
    if crls_der:
        parts.append(der.explicit(0, der.sequence(*crls_der)))
    if ocsps_der:
        parts.append(der.explicit(1, der.sequence(*ocsps_der)))
    return attribute(ATTR_ADBE_REVOCATION, der.sequence(*parts))


# --------------------------------------------------------------------------
# SignedData
# --------------------------------------------------------------------------

def _signer_identifier(cert_der, sid):
    if sid == "ski":
        ski = der.cert_ski(cert_der)
        if ski is None:
            raise ValueError("sid=ski but the certificate has no SubjectKeyIdentifier")
        return 3, der.implicit(0, ski)
    return 1, der.sequence(der.cert_issuer_der(cert_der),
                           der.cert_serial_der(cert_der))


def _flip(data, index):
    data = bytearray(data)
    data[index] ^= 0xFF
    return bytes(data)


def build_signed_data(content, key_path, cert_der, certs_der=(), *,
                      md="sha256", pss=False, rsa_oid="sign", sid="issuer",
                      signed_attrs=True, ess="v2", ess_other_cert_der=None,
                      signing_time=None, crls_der=(), sigvalue_corrupt=False,
                      tsa=None, tst_time=None, tst_imprint_bad=False,
                      econtent_type=ID_DATA, encapsulate=False, attrs_long_length=False,
                      value_fault=None, content_type_attr=None):
    """Return a ContentInfo (DER) holding a one-signer SignedData.

    content           the signed bytes (detached unless encapsulate=True)
    certs_der         the certificates field, in the given order
    signed_attrs      False: the signature is over the content itself
    crls_der          CRLs put into the signed adbe-revocationInfoArchival attribute
    tsa, tst_time     add a signature timestamp token (unsigned attribute)
    attrs_long_length signing-software fault: the messageDigest value written with a long-form length
                      (BER, not DER) and signed as written
    value_fault       signing-software fault applied to the signature value, e.g. dropping a leading
                      zero byte: a function of the value bytes
    content_type_attr the content-type attribute's value: None = econtent_type, False = left out,
                      or another dotted OID (content-type confusion)
    """
    content_digest = digest(md, content)
    sig_alg = signature_algorithm(cert_der, md, pss, rsa_oid)
    sign_md = None if _key_kind(cert_der) == "eddsa" else md  # EdDSA hashes inside the algorithm
    version, sid_der = _signer_identifier(cert_der, sid)

    signed_attrs_der = None
    if signed_attrs:
        attrs = []
        if content_type_attr is not False:
            attrs.append(attribute(ATTR_CONTENT_TYPE, der.oid(content_type_attr or econtent_type)))
        if signing_time is not None:
            attrs.append(attribute(ATTR_SIGNING_TIME, der.utc_time(signing_time)))
        if attrs_long_length:
            digest_value = b"\x04\x81" + bytes([len(content_digest)]) + content_digest
            attrs.append(der.sequence(der.oid(ATTR_MESSAGE_DIGEST), der.tlv(0x31, digest_value)))
        else:
            attrs.append(attribute(ATTR_MESSAGE_DIGEST, der.octet_string(content_digest)))
        ess_attr = signing_certificate_attr(cert_der, ess, ess_other_cert_der)
        if ess_attr:
            attrs.append(ess_attr)
        if crls_der:
            attrs.append(revocation_info_archival_attr(crls_der))
        # The signature covers the SET OF encoding; the SignerInfo carries it as [0].
        signed_attrs_der = der.set_of(*attrs)
        signature = openssl_sign(key_path, signed_attrs_der, sign_md, pss)
    else:
        signature = openssl_sign(key_path, content, sign_md, pss)

    if value_fault is not None:
        signature = value_fault(signature)
    if sigvalue_corrupt:
        # Last byte: inside the value for RSA and inside ECDSA's `s`, so the
        # structure stays parseable while the signature fails.
        signature = _flip(signature, len(signature) - 1)

    fields = [der.integer(version), sid_der, digest_algorithm(md)]
    if signed_attrs_der is not None:
        fields.append(der.retag(signed_attrs_der, 0xA0))
    fields += [sig_alg, der.octet_string(signature)]
    if tsa is not None and tst_time is not None:
        imprint_of = b"other data:" + signature if tst_imprint_bad else signature
        token = timestamp_token(digest("sha256", imprint_of), tsa, tst_time)
        fields.append(der.implicit(1, attribute(ATTR_SIG_TIMESTAMP, token),
                                   constructed=True))
    signer_info = der.sequence(*fields)

    encap = [der.oid(econtent_type)]
    if encapsulate:
        encap.append(der.explicit(0, der.octet_string(content)))
    # RFC 5652 5.1: version 3 when a SignerInfo is v3 or the content is not id-data.
    sd_version = 3 if (version == 3 or econtent_type != ID_DATA) else 1
    sd_fields = [der.integer(sd_version),
                 der.set_of(digest_algorithm(md)),
                 der.sequence(*encap)]
    if certs_der:
        # Given order kept (signer first): what signing tools emit in practice.
        sd_fields.append(der.implicit(0, b"".join(certs_der), constructed=True))
    sd_fields.append(der.set_of(signer_info))
    signed_data = der.sequence(*sd_fields)
    return der.sequence(der.oid(ID_SIGNED_DATA), der.explicit(0, signed_data))


def with_revocation_info(content_info, crls_der=(), ocsps_der=()):
    """`content_info` (DER) with SignedData.crls set: CertificateLists, then OCSPResponses in RFC 5940
    form ([1] OtherRevocationInfoFormat). The signature is unaffected (crls are not signed)."""
    info = der.parse(content_info)
    signed_data = info[1][0]
    choices = list(crls_der) + [der.implicit(1, der.oid(ID_RI_OCSP_RESPONSE) + ocsp, constructed=True)
                                for ocsp in ocsps_der]
    fields = [node.raw for node in signed_data.children if node.tag != 0xA1]
    fields.insert(len(fields) - 1, der.implicit(1, b"".join(choices), constructed=True))  # before signerInfos
    return der.sequence(info[0].raw, der.explicit(0, der.sequence(*fields)))


# --------------------------------------------------------------------------
# RFC 3161
# --------------------------------------------------------------------------

def tst_info(message_digest, gen_time, *, md="sha256", policy="1.2.3.4.1",
             serial=None, nonce=None):
    """TSTInfo DER. The serial defaults to a value derived from the inputs
    so that the same inputs give the same token."""
    if serial is None:
        seed = message_digest + gen_time.isoformat().encode()
        serial = int.from_bytes(hashlib.sha256(seed).digest()[:8], "big")
    fields = [der.integer(1), der.oid(policy),
              der.sequence(digest_algorithm(md), der.octet_string(message_digest)),
              der.integer(serial), der.generalized_time(gen_time)]
    if nonce is not None:
        fields.append(der.integer(nonce))
    return der.sequence(*fields)


def timestamp_token(message_digest, tsa, gen_time, *, md="sha256",
                    policy="1.2.3.4.1", serial=None, nonce=None):
    """An RFC 3161 TimeStampToken (ContentInfo DER) over a precomputed digest."""
    info = tst_info(message_digest, gen_time, md=md, policy=policy,
                    serial=serial, nonce=nonce)
    return build_signed_data(
        info, tsa.key_path, tsa.cert_der, [tsa.cert_der] + list(tsa.chain_der),
        econtent_type=ID_CT_TSTINFO, encapsulate=True, ess="v2")


def parse_time(text):
    """ISO 8601 ('2026-06-15T02:00:00Z') -> aware UTC datetime."""
    when = _dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    if when.tzinfo is None:
        when = when.replace(tzinfo=_dt.timezone.utc)
    return when.astimezone(_dt.timezone.utc)
