"""libsign's PDF reader against mainstream readers (issue 11, part 4): scripts/compat_report.py
runs libsign, qpdf and pdfsig over ../shared/corpus/realworld-pdf and checks the acceptance
thresholds. ctest runs this file as its own test, `interop_realworld_corpus` (about 1–2 minutes).

The thresholds stay strict: until the lenient reader lands, the reader thresholds fail and say by
how much. No crash and no timeout must hold already.
"""
import json
import re
import shutil
import subprocess
import sys

import pytest

from conftest import CLI, SHARED_DIR, SOURCE_DIR

CORPUS = SHARED_DIR / "corpus" / "realworld-pdf"
SCRIPT = SOURCE_DIR / "scripts" / "compat_report.py"


def require_tools():
    if not (CORPUS / "MANIFEST.tsv").is_file():
        pytest.skip(f"real-world PDF corpus not present at {CORPUS}")
    for tool in ("qpdf", "pdfsig"):
        if shutil.which(tool) is None:
            pytest.skip(f"{tool} not installed")
    if not CLI.exists():
        pytest.skip(f"libsign CLI not built at {CLI}")


def run_script(*args):
    return subprocess.run([sys.executable, str(SCRIPT), "--corpus", str(CORPUS), "--cli", str(CLI), *args],
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, timeout=1100)


@pytest.fixture(scope="module")
def check(tmp_path_factory):
    """One --check run over the whole corpus: (exit status, stdout, the --json dump)."""
    require_tools()
    dump = tmp_path_factory.mktemp("compat") / "results.json"
    proc = run_script("--check", "--json", str(dump))
    assert proc.returncode in (0, 1), proc.stderr
    return proc.returncode, proc.stdout, json.loads(dump.read_text(encoding="utf-8"))


def threshold(results, prefix):
    return next(t for t in results["thresholds"] if t["name"].startswith(prefix))


def test_every_corpus_file_is_examined(check):
    _, _, results = check
    manifest = (CORPUS / "MANIFEST.tsv").read_text(encoding="utf-8").splitlines()[1:]
    assert len(results["records"]) == len([line for line in manifest if line.strip()])


def test_no_file_crashes_or_times_out(check):
    _, _, results = check
    broken = [(r["path"], tool, "timeout" if r[tool]["timeout"] else f"signal {r[tool]['signal']}")
              for r in results["records"] for tool in ("verify", "inspect")
              if r[tool]["timeout"] or r[tool]["signal"] is not None]
    assert broken == []
    assert threshold(results, "(c)")["passed"]


@pytest.mark.parametrize("name", ["(a)", "(b)", "(d)"], ids=["report_for_files_pdfsig_opens",
                                                             "integrity_agrees_with_pdfsig",
                                                             "page_count_agrees_with_qpdf"])
def test_reader_threshold(check, name):
    _, _, results = check
    t = threshold(results, name)
    assert t["passed"], f"{t['name']}: {t['detail']}"


def test_check_status_follows_the_thresholds(check):
    status, stdout, results = check
    assert status == (0 if all(t["passed"] for t in results["thresholds"]) else 1), stdout


def test_report_is_deterministic(tmp_path):
    """Two runs on a few files give the same document but for the one "Generated:" line."""
    require_tools()
    texts = []
    for i in range(2):
        out = tmp_path / f"compat{i}.md"
        proc = run_script("--only", "endesive/examples/", "--out", str(out))
        assert proc.returncode == 0, proc.stderr
        texts.append(re.sub(r"(?m)^Generated: .*$", "", out.read_text(encoding="utf-8")))
    assert texts[0] == texts[1]
    assert "## Acceptance thresholds" in texts[0] and "| m32/endesive |" in texts[0]
