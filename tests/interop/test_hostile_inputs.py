"""Hostile input, named: one test per class of attack on the reader, each ending in a report or a
typed error (exit 3 with `error [CODE]`) through the real `libsign` command, within a time and a
memory bound, never a crash. Where the hostile part changes what a signature covers or what decides
its status, the verdict is checked too. Generators: tests/tools/hostile.py."""
import datetime as dt
import functools
import http.server
import json
import os
import signal
import struct
import subprocess
import threading
import time
import zipfile

import pytest

import cms_build
import der
import hostile
import make_cases
from conftest import AT, CLI, PKI_DIR, PROFILES_DIR, PYTHON_PRELOAD

TIME_BOUND = 60 * (4 if PYTHON_PRELOAD else 1)  # seconds; the sanitizer build runs several times slower
MEMORY_BOUND = 2 << 30     # bytes of resident memory
TRUST = ["--profiles-dir", str(PROFILES_DIR), "--trust-profile", "test-gov", "--at", AT]
OFFLINE_OPTIONAL = ["--offline", "--revocation", "optional"]


class Run:
    def __init__(self, returncode, stdout, stderr, seconds, max_rss):
        self.returncode, self.stdout, self.stderr, self.seconds, self.max_rss = returncode, stdout, stderr, seconds, max_rss

    def report(self):
        return json.loads(self.stdout)


# The peak memory of the command alone: a wrapper forked from this (large) test process would count
# the test's own pages, so a small Python forks the command and reports its child's ru_maxrss.
MEASURE = """
import os, sys
pid = os.fork()
if pid == 0:
    os.execv(sys.argv[2], sys.argv[2:])
_, status, usage = os.wait4(pid, 0)
with open(sys.argv[1], "w") as f:
    f.write(str(usage.ru_maxrss * 1024))
code = os.waitstatus_to_exitcode(status)
sys.exit(code if code >= 0 else 128 - code)
"""


def bounded_cli(*args):
    """Runs the CLI (stdout/stderr to files), killed past TIME_BOUND; returns a Run with its own
    peak resident memory."""
    import tempfile
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err, \
            tempfile.NamedTemporaryFile("r") as rss:
        start = time.monotonic()
        proc = subprocess.Popen(["/usr/bin/python3", "-c", MEASURE, rss.name, str(CLI), *map(str, args)],
                                stdout=out, stderr=err, start_new_session=True)
        try:
            proc.wait(timeout=TIME_BOUND)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
            pytest.fail(f"libsign {' '.join(map(str, args[:2]))} ran past {TIME_BOUND} s")
        seconds = time.monotonic() - start
        out.seek(0)
        err.seek(0)
        max_rss = int(rss.read() or 0)
        return Run(proc.returncode, out.read().decode(), err.read().decode(errors="replace"), seconds, max_rss)


def assert_handled(run):
    """A report (exit 0-2, JSON) or a typed input error (exit 3), in bounds, never a crash."""
    assert run.returncode in (0, 1, 2, 3), f"exit {run.returncode} (128+N: signal N): {run.stderr[-2000:]}"
    assert run.max_rss < MEMORY_BOUND, f"peak memory {run.max_rss >> 20} MiB"
    if run.returncode == 3:
        assert "error [" in run.stderr, run.stderr[-2000:]
        return None
    return run.report()


def verify(path, *options):
    return bounded_cli("verify", path, "--format", "json", *TRUST, *options)


@pytest.fixture(scope="module")
def signed(fixtures):
    return (fixtures / "official.pdf").read_bytes()


# ---------------------------------------------------------------- PDF reader

# (generator, whether the update changes or hides what the signed revision shows)
PDF_CASES = {
    # An object stream no reader can decode within limits hides what it holds: a modification.
    "flate-bomb-object-stream": (hostile.pdf_flate_bomb_object_stream, True),
    "flate-bomb-content": (hostile.pdf_flate_bomb_content, True),
    "deep-nesting": (hostile.pdf_deep_nesting, False),
    "reference-cycles": (hostile.pdf_reference_cycles, True),
    "xref-prev-loop": (hostile.pdf_xref_prev_loop, False),
    "huge-length": (hostile.pdf_huge_length, False),
    "size-2-31": (hostile.pdf_huge_size, False),
    "object-stream-containing-itself": (hostile.pdf_object_stream_containing_itself, False),
    "million-objects": (hostile.pdf_million_objects, False),
}


@pytest.mark.parametrize("case", sorted(PDF_CASES))
def test_hostile_pdf_update_after_a_signature(signed, tmp_path, case):
    make, changes_pages = PDF_CASES[case]
    path = tmp_path / f"{case}.pdf"
    path.write_bytes(make(signed))
    report = assert_handled(verify(path, *OFFLINE_OPTIONAL))
    if report is None:
        return
    doc = report["document"]
    assert doc["signatures"], "the signature before the hostile update must still be reported"
    if changes_pages:
        # What a reader shows is no longer (or no longer provably) what was signed.
        assert doc["indication"] != "TOTAL_PASSED"


def test_hostile_pdf_alone_is_refused_cleanly(tmp_path):
    """The same kind of structure without any valid revision under it."""
    path = tmp_path / "nested.pdf"
    path.write_bytes(b"%PDF-1.7\n1 0 obj\n" + b"[" * 500_000 + b"\nendobj\ntrailer\n<< /Root 1 0 R /Size 2 >>\n%%EOF\n")
    assert_handled(verify(path, *OFFLINE_OPTIONAL))


# ---------------------------------------------------------------- XML

def test_deeply_nested_xml(tmp_path):
    path = tmp_path / "deep.xml"
    depth = 200_000
    path.write_bytes(b"<?xml version='1.0'?>" + b"<a>" * depth + b"</a>" * depth)
    report = assert_handled(verify(path, *OFFLINE_OPTIONAL))
    assert report is None or report["document"]["indication"] != "TOTAL_PASSED"


def test_xpath_transform_over_a_large_document(tmp_path):
    """The classic XPath form of an enveloped signature over a 5 MB e-invoice (20,000 rows). One XPath
    over the union of all nodes made libxml2 merge node sets in quadratic time (more than ten minutes);
    the transform now tests node by node. The digest is a placeholder: the reference must be computed
    to the end and found not to match."""
    import xml_forms
    invoice = xml_forms.einvoice(items=20_000)
    cert = (PKI_DIR / "gov-official.pem").read_text().split("-----")[2].replace("\n", "")
    signature = (
        '<Signature xmlns="http://www.w3.org/2000/09/xmldsig#"><SignedInfo>'
        '<CanonicalizationMethod Algorithm="http://www.w3.org/TR/2001/REC-xml-c14n-20010315"/>'
        '<SignatureMethod Algorithm="http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"/>'
        '<Reference URI=""><Transforms><Transform Algorithm="http://www.w3.org/TR/1999/REC-xpath-19991116">'
        '<XPath xmlns:dsig="http://www.w3.org/2000/09/xmldsig#">not(ancestor-or-self::dsig:Signature)</XPath>'
        '</Transform></Transforms><DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/>'
        '<DigestValue>AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=</DigestValue></Reference></SignedInfo>'
        '<SignatureValue>AAAA</SignatureValue>'
        f'<KeyInfo><X509Data><X509Certificate>{cert}</X509Certificate></X509Data></KeyInfo></Signature>').encode()
    at = invoice.rindex(b"</HDon>")
    path = tmp_path / "big-xpath.xml"
    path.write_bytes(invoice[:at] + signature + invoice[at:])
    report = assert_handled(verify(path, *OFFLINE_OPTIONAL))
    assert report is not None
    sig = report["document"]["signatures"][0]
    assert sig["indication"] == "TOTAL_FAILED" and sig["sub_indication"] == "HASH_FAILURE"


# ---------------------------------------------------------------- CMS

@pytest.fixture(scope="module")
def pki():
    return make_cases.Pki(str(PKI_DIR))


def detached(tmp_path, name, cms_der, content):
    data = tmp_path / name
    data.write_bytes(content)
    sig = tmp_path / (name + ".p7s")
    sig.write_bytes(cms_der)
    return sig


def test_cms_with_ten_thousand_certificates(pki, tmp_path):
    content = b"ho so " * 1000
    key, cert, chain = pki.key_path("gov-official"), pki.cert("gov-official"), [
        c for p in pki.chain_for("gov-official") for c in der.read_certs(p)]
    plain = detached(tmp_path, "plain.bin", cms_build.build_signed_data(content, key, cert, [cert, *chain]), content)
    many = detached(tmp_path, "many.bin", hostile.cms_with_many_certificates(content, key, cert, chain), content)
    expected = assert_handled(verify(plain, *OFFLINE_OPTIONAL))
    got = assert_handled(verify(many, *OFFLINE_OPTIONAL))
    # The extra certificates change nothing about the verdict.
    assert got is not None
    assert got["document"]["indication"] == expected["document"]["indication"]


def test_timestamp_tokens_inside_timestamp_tokens(pki, tmp_path):
    content = b"ho so"
    key, cert = pki.key_path("gov-official"), pki.cert("gov-official")
    chain = [c for p in pki.chain_for("gov-official") for c in der.read_certs(p)]
    when = dt.datetime(2026, 6, 20, 3, 0, tzinfo=dt.timezone.utc)
    cms = hostile.cms_with_nested_timestamps(content, key, cert, chain, pki.tsa(), when, depth=200)
    report = assert_handled(verify(detached(tmp_path, "nested.bin", cms, content), *OFFLINE_OPTIONAL))
    assert report is not None and report["document"]["signatures"]


# ---------------------------------------------------------------- revocation data

def test_crl_with_a_million_entries(pki, signed, tmp_path):
    """A CA's CRL of 1,000,000 entries (none the signer's) in the DSS: read within the bounds, and it
    proves the signer not revoked."""
    this_update = dt.datetime(2026, 6, 25, tzinfo=dt.timezone.utc)
    crl = hostile.big_crl(pki.key_path("gov-ca"), pki.cert("gov-ca"), 1_000_000, this_update,
                          this_update + dt.timedelta(days=30))
    root_crl = (PKI_DIR / "gov-root.crl.der").read_bytes()
    import pdfgen
    path = tmp_path / "big-crl.pdf"
    path.write_bytes(pdfgen.add_dss(signed, crls_der=[crl, root_crl]))
    report = assert_handled(verify(path, "--offline"))  # revocation required
    sig = report["document"]["signatures"][0]
    assert sig["revocation"]["status"] == "good"
    assert sig["indication"] == "TOTAL_PASSED"


def ocsp_response_for(pki_dir, cert_name, workdir):
    """An OCSP response (by the CA's delegated responder) about `cert_name`, made by openssl."""
    serial = subprocess.run(["openssl", "x509", "-in", pki_dir / f"{cert_name}.pem", "-noout", "-serial"],
                            capture_output=True, text=True, check=True).stdout.strip().split("=")[1]
    index = workdir / "index.txt"
    index.write_text(f"V\t351231235959Z\t\t{serial}\tunknown\t/CN={cert_name}\n")
    req, resp = workdir / "req.der", workdir / "resp.der"
    subprocess.run(["openssl", "ocsp", "-issuer", pki_dir / "gov-ca.pem", "-cert", pki_dir / f"{cert_name}.pem",
                    "-no_nonce", "-reqout", req], capture_output=True, check=True)
    subprocess.run(["openssl", "ocsp", "-index", index, "-CA", pki_dir / "gov-ca.pem", "-rsigner",
                    pki_dir / "gov-ocsp.pem", "-rkey", pki_dir / "gov-ocsp.key.pem", "-reqin", req, "-respout", resp,
                    "-ndays", "3650"], capture_output=True, check=True)
    return resp.read_bytes()


def test_ocsp_response_for_another_certificate(signed, tmp_path):
    """A good OCSP answer about another certificate of the same CA proves nothing about the signer."""
    import pdfgen
    response = ocsp_response_for(PKI_DIR, "gov-org", tmp_path)
    root_crl = (PKI_DIR / "gov-root.crl.der").read_bytes()
    path = tmp_path / "other-ocsp.pdf"
    path.write_bytes(pdfgen.add_dss(signed, crls_der=[root_crl], ocsps_der=[response]))
    report = assert_handled(verify(path, "--offline"))  # revocation required
    sig = report["document"]["signatures"][0]
    assert sig["revocation"]["status"] != "good"
    assert sig["indication"] != "TOTAL_PASSED"
    assert "REVOCATION_NOT_CHECKED" in {f["code"] for f in sig["findings"]}


# ---------------------------------------------------------------- chain building

class _Served(http.server.SimpleHTTPRequestHandler):
    requests = 0

    def do_GET(self):
        type(self).requests += 1
        super().do_GET()

    def log_message(self, *args):
        pass


@pytest.fixture
def file_server(tmp_path):
    root = tmp_path / "www"
    root.mkdir()
    handler = type("Handler", (_Served,), {"requests": 0})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(root)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield root, server.server_address[1], handler
    finally:
        server.shutdown()
        server.server_close()


def openssl(*args, cwd):
    subprocess.run(["openssl", *map(str, args)], cwd=cwd, capture_output=True, check=True)


def test_aia_chain_loop(file_server, tmp_path):
    """CA A is issued by CA B and B by A, each naming the other through AIA: building the signer's
    chain online fetches each at most a few times and ends without an anchor."""
    www, port, handler = file_server
    work = tmp_path / "pki"
    work.mkdir()
    for name in ("a", "b", "leaf"):
        openssl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", f"{name}.key", cwd=work)
    (work / "ext.cnf").write_text(
        "[ca_a]\nbasicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\n"
        f"authorityInfoAccess=caIssuers;URI:http://127.0.0.1:{port}/b.der\n"
        "[ca_b]\nbasicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\n"
        f"authorityInfoAccess=caIssuers;URI:http://127.0.0.1:{port}/a.der\n"
        "[leaf]\nbasicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,nonRepudiation\n"
        f"authorityInfoAccess=caIssuers;URI:http://127.0.0.1:{port}/a.der\n")
    openssl("req", "-new", "-x509", "-key", "b.key", "-subj", "/CN=Loop B", "-days", "30", "-out", "b0.pem", cwd=work)
    for name, subject in (("a", "Loop A"), ("b", "Loop B"), ("leaf", "Loop Leaf")):
        openssl("req", "-new", "-key", f"{name}.key", "-subj", f"/CN={subject}", "-out", f"{name}.csr", cwd=work)
    openssl("x509", "-req", "-in", "a.csr", "-CA", "b0.pem", "-CAkey", "b.key", "-set_serial", "1", "-days", "30",
            "-extfile", "ext.cnf", "-extensions", "ca_a", "-out", "a.pem", cwd=work)
    openssl("x509", "-req", "-in", "b.csr", "-CA", "a.pem", "-CAkey", "a.key", "-set_serial", "2", "-days", "30",
            "-extfile", "ext.cnf", "-extensions", "ca_b", "-out", "b.pem", cwd=work)
    openssl("x509", "-req", "-in", "leaf.csr", "-CA", "a.pem", "-CAkey", "a.key", "-set_serial", "3", "-days", "30",
            "-extfile", "ext.cnf", "-extensions", "leaf", "-out", "leaf.pem", cwd=work)
    for name in ("a", "b"):
        openssl("x509", "-in", f"{name}.pem", "-outform", "DER", "-out", www / f"{name}.der", cwd=work)
    # Validation time pinned from the certificate itself (not from today's date).
    not_before = subprocess.run(["openssl", "x509", "-in", work / "leaf.pem", "-noout", "-startdate"],
                                capture_output=True, text=True, check=True).stdout.strip().split("=", 1)[1]
    start = dt.datetime.strptime(not_before, "%b %d %H:%M:%S %Y %Z").replace(tzinfo=dt.timezone.utc)
    signing_time = (start + dt.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    at = (start + dt.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M:%SZ")
    data = tmp_path / "data.bin"
    data.write_bytes(b"ho so")
    sig = tmp_path / "data.bin.p7s"
    proc = subprocess.run([str(CLI), "sign", str(data), "--detached", "-o", str(sig), "--key", str(work / "leaf.key"),
                           "--cert", str(work / "leaf.pem"), "--signing-time", signing_time],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    run = bounded_cli("verify", sig, "--format", "json", "--trust-profile", "none", "--at", at,
                      "--allow-host", "127.0.0.1", "--revocation", "optional")
    report = assert_handled(run)
    assert report["document"]["indication"] == "INDETERMINATE"
    assert report["document"]["sub_indication"] == "NO_CERTIFICATE_CHAIN_FOUND"
    assert handler.requests <= 4, f"{handler.requests} AIA fetches for a two-certificate loop"


# ---------------------------------------------------------------- diagnose

def overlapping_zip(path, members, payload_size):
    """A ZIP whose `members` central-directory entries all point at one compressed member (the
    'overlapping files' zip bomb): little on disk, members × payload_size declared."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("ho-so-0.pdf", bytes(payload_size))
    data = path.read_bytes()
    eocd = data.rindex(b"PK\x05\x06")
    cd_offset = struct.unpack_from("<I", data, eocd + 16)[0]
    entry = data[cd_offset:eocd]
    name_len = struct.unpack_from("<H", entry, 28)[0]
    fixed, name = entry[:46], entry[46:46 + name_len]
    entries = []
    for i in range(members):
        new_name = b"ho-so-%d.pdf" % i
        head = bytearray(fixed)
        struct.pack_into("<H", head, 28, len(new_name))
        entries.append(bytes(head) + new_name + entry[46 + name_len:])
    directory = b"".join(entries)
    end = bytearray(data[eocd:eocd + 22])
    struct.pack_into("<HHII", end, 8, members, members, len(directory), cd_offset)
    path.write_bytes(data[:cd_offset] + directory + bytes(end))


@pytest.mark.parametrize("kind", ["overlapping", "deep-ratio"])
def test_zip_bomb_inside_diagnose(tmp_path, kind):
    bomb = tmp_path / "bomb.zip"
    if kind == "overlapping":
        overlapping_zip(bomb, 20_000, 10 << 20)  # 200 GB declared
    else:
        with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z, z.open("ho-so.pdf", "w", force_zip64=True) as f:
            chunk = bytes(1 << 20)
            for _ in range(1024):  # 1 GiB of zeros
                f.write(chunk)
    summary = tmp_path / "summary.json"
    run = bounded_cli("diagnose", bomb, "--json", summary, "-q", *TRUST, *OFFLINE_OPTIONAL)
    assert run.returncode == 0, run.stderr[-2000:]
    assert run.max_rss < MEMORY_BOUND
    totals = json.loads(summary.read_text())["totals"]
    assert totals["files_unreadable"] >= 1 and totals["signatures"] == 0
