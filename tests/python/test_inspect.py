"""libsign._core.inspect_pdf: the same libsign-inspect/1 JSON as `libsign inspect --format json`."""
import json

from libsign import _core
from conftest import run_cli


def test_python_inspect_matches_the_cli(fixtures):
    path = fixtures / "then-annotation.pdf"
    ours = json.loads(_core.inspect_pdf(path.read_bytes()))
    proc = run_cli("inspect", path, "--format", "json")
    assert proc.returncode == 0, proc.stderr
    assert ours == json.loads(proc.stdout)
    last = ours["last_revision"]
    assert last["index"] == len(ours["revisions"]) - 1 == 2
    assert last["pages"] == 1 and last["objects"]["count"] == len(last["objects"]["numbers"]) > 0
