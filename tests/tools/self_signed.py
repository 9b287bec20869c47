"""A self-signed signing certificate as internal units make them (keyUsage digitalSignature and
nonRepudiation only, CA:FALSE), with a fixed validity so verdicts do not depend on today's date."""
import datetime

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ed448, ed25519, rsa
from cryptography.x509.oid import NameOID


def _write_signing_certificate(folder, key, name, serial, sign_hash, key_file, cert_file, extensions=()):
    """Self-signs a leaf for `key` (CA:FALSE, keyUsage digitalSignature + nonRepudiation, valid
    2026-2036) and writes the key and certificate as PEM; returns their paths."""
    builder = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
               .serial_number(serial)
               .not_valid_before(datetime.datetime(2026, 1, 1, tzinfo=datetime.timezone.utc))
               .not_valid_after(datetime.datetime(2036, 1, 1, tzinfo=datetime.timezone.utc))
               .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
               .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=True, key_encipherment=False,
                                            data_encipherment=False, key_agreement=False, key_cert_sign=False,
                                            crl_sign=False, encipher_only=False, decipher_only=False), critical=True))
    for extension in extensions:
        builder = builder.add_extension(extension, critical=False)
    cert = builder.sign(key, sign_hash)
    key_path, cert_path = folder / key_file, folder / cert_file
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return key_path, cert_path


def make_self_signed(folder, common_name="Phòng Nội vụ", organization="Sở Thử nghiệm"):
    """Writes key.pem and cert.pem (RSA 2048, SHA-256) into `folder`; returns their paths."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name),
                      x509.NameAttribute(NameOID.ORGANIZATION_NAME, organization)])
    return _write_signing_certificate(folder, key, name, 7, hashes.SHA256(), "key.pem", "cert.pem",
                                      [x509.SubjectKeyIdentifier.from_public_key(key.public_key())])


def make_self_signed_eddsa(folder, curve="ed25519", common_name="Văn thư EdDSA"):
    """An Ed25519 or Ed448 self-signed signing certificate (RFC 8410): writes CURVE-key.pem and
    CURVE-cert.pem into `folder`; returns their paths."""
    key = (ed25519.Ed25519PrivateKey if curve == "ed25519" else ed448.Ed448PrivateKey).generate()
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
    # EdDSA: no separate hash.
    return _write_signing_certificate(folder, key, name, 8, None, f"{curve}-key.pem", f"{curve}-cert.pem")
