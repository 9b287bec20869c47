"""No false damage claims (docs/damage.md): the real-world PDFs of ../shared/corpus/realworld-pdf (signed
and unsigned, well-formed and deliberately broken, by many producers) carry no DAMAGE_* finding, and the
signed test fixtures neither. Bounded: stops checking after DEADLINE seconds (and says how far it got)."""
import json
import time

import pytest

from conftest import AT, OFFLINE, run_cli

DEADLINE = 300


def damage_codes(path, *options):
    proc = run_cli("verify", path, "--format", "json", "--at", AT, *OFFLINE, *options, timeout=60)
    if proc.returncode == 3 or not proc.stdout:
        return None  # unreadable and no damage found: the error stays an error
    return [f["code"] for f in json.loads(proc.stdout)["document"]["findings"] if f["code"].startswith("DAMAGE_")]


def test_realworld_corpus_has_no_damage_findings(shared_corpus):
    root = shared_corpus / "realworld-pdf"
    manifest = root / "MANIFEST.tsv"
    if not manifest.exists():
        pytest.skip("realworld-pdf/MANIFEST.tsv not present")
    rows = [line.split("\t") for line in manifest.read_text(encoding="utf-8").splitlines()[1:] if line]
    start, checked, claimed = time.monotonic(), 0, []
    for row in rows:
        if time.monotonic() - start > DEADLINE:
            break
        codes = damage_codes(root / row[0])
        checked += 1
        if codes:
            claimed.append((row[0], codes))
    assert checked >= min(len(rows), 100), f"only {checked} files checked in {DEADLINE} s"
    assert claimed == [], claimed
