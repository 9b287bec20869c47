"""docs/errors.md is generated from the catalog: it must match `libsign explain --all`."""
from conftest import SOURCE_DIR, run_cli


def test_errors_md_is_up_to_date():
    generated = run_cli("explain", "--all").stdout
    committed = (SOURCE_DIR / "docs/errors.md").read_text(encoding="utf-8")
    assert committed == generated, "regenerate: build/libsign explain --all > docs/errors.md"
