"""The Botan cross-check over third-party files (../shared/corpus: pyHanko's PDFs, the real-world
signed PDFs, the XML-DSig interop sets, a Vietnamese e-invoice): wherever both engines could judge an
item, they agree — no ENGINE_DISAGREEMENT. Items one engine cannot judge are counted ("unsupported")
and the reasons printed; docs/security.md records the counts.

Trust is pyHanko's test PKI for its files (so paths are compared as trusted ones too) and the
built-in profile elsewhere (paths compared as untrusted by both). Offline, revocation optional,
pinned validation time.
"""
import collections
import json
import pathlib

import pytest

from conftest import OFFLINE, SHARED_DIR, run_cli

CORPUS = SHARED_DIR / "corpus"
PYHANKO_CRYPTO = CORPUS / "pyhanko" / "data" / "crypto"
PYHANKO_TRUST = ["--trust-profile", "none",
                 "--trust", PYHANKO_CRYPTO / "testing-ca" / "root" / "root.cert.pem",
                 "--trust", PYHANKO_CRYPTO / "testing-ca" / "root" / "interm.cert.pem",
                 "--trust", PYHANKO_CRYPTO / "selfsigned.cert.pem"]
AT = "2021-09-01T00:00:00Z"


def signed_realworld():
    table = CORPUS / "realworld-pdf" / "MANIFEST.tsv"
    rows = table.read_text(encoding="utf-8").splitlines()[1:]
    return [CORPUS / "realworld-pdf" / r.split("\t")[0] for r in rows if r.split("\t")[3:4] not in (["0"], [])]


def sets():
    if not CORPUS.is_dir():
        return [pytest.param(None, marks=pytest.mark.skip(reason=f"shared corpus not present at {CORPUS}"), id="absent")]
    return ["pyhanko", "realworld-pdf", "xml"]


def files_of(name):
    if name == "pyhanko":
        return sorted((CORPUS / "pyhanko" / "data").rglob("*.pdf")), PYHANKO_TRUST
    if name == "realworld-pdf":
        return signed_realworld(), []
    return sorted((CORPUS / "xmldsig-interop").rglob("*.xml")) + sorted((CORPUS / "vn-einvoice").glob("*.xml")), []


def reports(files, trust):
    """`libsign verify --format json` in batches; error objects (unreadable files) are left out."""
    out = []
    for i in range(0, len(files), 25):
        batch = files[i:i + 25]
        proc = run_cli("verify", *batch, "--format", "json", "--at", AT, *OFFLINE, *trust, timeout=600)
        assert proc.stdout, proc.stderr
        data = json.loads(proc.stdout)
        data = data if isinstance(data, list) else [data]
        out += [d["document"] for d in data if d.get("document")]
    return out


@pytest.mark.parametrize("name", sets())
def test_engines_agree_on_the_corpus(name):
    files, trust = files_of(name)
    if not files:
        pytest.skip(f"no files in {name}")
    results = collections.Counter()
    unsupported = collections.Counter()
    disagreements = []
    for doc in reports(files, trust):
        for sig in doc["signatures"]:
            cc = sig["cross_check"]
            results[cc["result"]] += 1
            for item in cc["compared"]:
                if item["result"] == "unsupported":
                    unsupported[f"{item['item']}: {item['detail']}"] += 1
                if item["result"] == "disagree":
                    disagreements.append((doc["path"], sig["id"], item))
            if cc["result"] == "unsupported":
                unsupported[cc["note"] or "?"] += 1
            codes = {f["code"] for f in sig["findings"]}
            assert ("ENGINE_DISAGREEMENT" in codes) == (cc["result"] == "disagree")
    print(f"\n{name}: {dict(results)}")
    for reason, n in unsupported.most_common():
        print(f"  unsupported {n}× {reason}")
    assert not disagreements, disagreements
    assert results["off"] == 0
    assert results["agree"] > 0
