#!/usr/bin/env python3
"""Creates a SoftHSM2 token with the test PKI's signing keys, in a private folder, for the PKCS#11 tests.

    softhsm_token.py DIR [--label L] [--so-pin-file F] [--pin-file F] [--always-auth]

Writes DIR/softhsm2.conf (tokens under DIR/tokens) and initialises one token holding
  id 01  gov-official  RSA key + its certificate
  id 02  gov-ecdsa     EC P-256 key + its certificate
  id 03  gov-org       RSA key only (no certificate: for KEY_WITHOUT_CERTIFICATE / chain-file tests)
With --always-auth the token holds only gov-official (id 01, certificate too) as a key that wants the
PIN again for every signature (CKA_ALWAYS_AUTHENTICATE), as qualified-signature cards do. Run the
script again with another --label to add a second token to the same DIR.
Without --pin-file / --so-pin-file the PINs are 123456 / 12345678 and are written to DIR/user-pin.txt
and DIR/so-pin.txt. Prints the module path. Callers point SOFTHSM2_CONF at DIR/softhsm2.conf.

TEST-ONLY: softhsm2-util takes PINs on its command line only (no file or environment option), so
they are visible in the process list while it runs. That is acceptable for throw-away test tokens
with test PINs and must never be copied into anything that handles real PINs. pkcs11-tool gets the
PIN through its "env:" form instead.
"""
import argparse
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
PKI = os.path.join(HERE, "..", "..", "certs-test", "pki")
MODULE_CANDIDATES = [
    "/usr/lib/softhsm/libsofthsm2.so",
    "/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so",
    "/usr/lib/aarch64-linux-gnu/softhsm/libsofthsm2.so",
    "/usr/local/lib/softhsm/libsofthsm2.so",
]
KEYS = [  # (name, id, with certificate)
    ("gov-official", "01", True),
    ("gov-ecdsa", "02", True),
    ("gov-org", "03", False),
]


def find_module():
    for path in MODULE_CANDIDATES:
        if os.path.exists(path):
            return path
    sys.exit("softhsm_token.py: libsofthsm2.so not found (apt-get install softhsm2)")


def read_pin(path, default):
    if not path:
        return default
    with open(path, encoding="utf-8") as f:
        return f.readline().rstrip("\r\n")


def run(cmd, env):
    result = subprocess.run(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if result.returncode != 0:
        # The output of these tools does not echo PINs; the command line does, so it is not printed.
        sys.exit(f"softhsm_token.py: {cmd[0]} {cmd[1]} failed ({result.returncode}):\n{result.stdout}")
    return result.stdout


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dir")
    parser.add_argument("--label", default="libsign-test")
    parser.add_argument("--so-pin-file")
    parser.add_argument("--pin-file")
    parser.add_argument("--always-auth", action="store_true")
    args = parser.parse_args()

    directory = os.path.abspath(args.dir)
    tokens = os.path.join(directory, "tokens")
    os.makedirs(tokens, mode=0o700, exist_ok=True)
    conf = os.path.join(directory, "softhsm2.conf")
    with open(conf, "w", encoding="utf-8") as f:
        f.write(f"directories.tokendir = {tokens}\nobjectstore.backend = file\nlog.level = ERROR\n"
                "slots.removable = false\n")
    pin = read_pin(args.pin_file, "123456")
    so_pin = read_pin(args.so_pin_file, "12345678")
    if not args.pin_file:
        with open(os.path.join(directory, "user-pin.txt"), "w", encoding="utf-8") as f:
            f.write(pin + "\n")
    if not args.so_pin_file:
        with open(os.path.join(directory, "so-pin.txt"), "w", encoding="utf-8") as f:
            f.write(so_pin + "\n")

    module = find_module()
    env = dict(os.environ, SOFTHSM2_CONF=conf, LIBSIGN_TEST_TOKEN_PIN=pin)
    # Test-only: PINs on softhsm2-util's command line (see the module docstring).
    run(["softhsm2-util", "--init-token", "--free", "--label", args.label, "--so-pin", so_pin, "--pin", pin], env)
    with tempfile.TemporaryDirectory(dir=directory) as scratch:
        login = ["pkcs11-tool", "--module", module, "--token-label", args.label, "--login",
                 "--pin", "env:LIBSIGN_TEST_TOKEN_PIN"]
        for name, key_id, with_cert in KEYS[:1] if args.always_auth else KEYS:
            key = os.path.join(PKI, name + ".key.pem")  # unencrypted PKCS#8, what --import wants
            if args.always_auth:  # softhsm2-util cannot set the attribute; pkcs11-tool can
                key_der = os.path.join(scratch, name + ".key.der")
                run(["openssl", "pkey", "-in", key, "-outform", "DER", "-out", key_der], env)
                run(login + ["--write-object", key_der, "--type", "privkey", "--always-auth", "--id", key_id,
                             "--label", name], env)
            else:
                run(["softhsm2-util", "--import", key, "--token", args.label, "--id", key_id, "--label", name,
                     "--pin", pin], env)
            if not with_cert:
                continue
            der = os.path.join(scratch, name + ".der")
            run(["openssl", "x509", "-in", os.path.join(PKI, name + ".pem"), "-outform", "DER", "-out", der], env)
            run(login + ["--write-object", der, "--type", "cert", "--id", key_id, "--label", name], env)
    print(module)


if __name__ == "__main__":
    main()
