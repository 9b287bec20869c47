"""Typing mistakes on the command line (issue 16 part 8): a suggestion for a mistyped command or option,
codes case-insensitive in `explain`, and option values that are really the next option or an input file
refused instead of silently taken. Every usage error exits 3 and names its catalog code."""
import pytest

from conftest import TEST_GOV, run_cli


def test_mistyped_command_suggests_the_right_one(fixtures):
    proc = run_cli("verfy", fixtures / "official.pdf")
    assert proc.returncode == 3
    assert "[COMMAND_UNKNOWN]" in proc.stderr and "did you mean verify?" in proc.stderr


def test_unknown_command_far_from_any_lists_the_commands():
    proc = run_cli("frobnicate")
    assert proc.returncode == 3 and "[COMMAND_UNKNOWN]" in proc.stderr and "did you mean" not in proc.stderr
    assert "verify" in proc.stderr and "diagnose" in proc.stderr


@pytest.mark.parametrize("option, suggestion", [("--langg", "--lang"), ("--ofline", "--offline"),
                                                ("--trust-profil", "--trust-profile")])
def test_mistyped_option_is_an_unknown_option_with_a_suggestion(fixtures, option, suggestion):
    proc = run_cli("verify", option, "vi", fixtures / "official.pdf")
    assert proc.returncode == 3
    assert "[OPTION_UNKNOWN]" in proc.stderr and f"did you mean {suggestion}?" in proc.stderr
    assert "Path does not exist" not in proc.stderr


def test_mistyped_option_under_lang_vi_is_reported_in_vietnamese(fixtures):
    proc = run_cli("verify", "--lang", "vi", "--ofline", fixtures / "official.pdf")
    assert proc.returncode == 3
    assert "lỗi [OPTION_UNKNOWN]" in proc.stderr and "--offline" in proc.stderr


@pytest.mark.parametrize("typed", ["digest_mismatch", "Digest_Mismatch", "DIGEST_MISMATCH"])
def test_explain_ignores_case(typed):
    proc = run_cli("explain", typed)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("DIGEST_MISMATCH ")


def test_explain_suggests_a_near_code():
    proc = run_cli("explain", "DIGEST_MISMACH")
    assert proc.returncode == 3
    assert "[CODE_UNKNOWN]" in proc.stderr and "did you mean DIGEST_MISMATCH?" in proc.stderr


def test_option_followed_by_another_option_is_refused(fixtures):
    proc = run_cli("verify", "--trust", "--offline", fixtures / "official.pdf", *TEST_GOV)
    assert proc.returncode == 3 and "[OPTION_VALUE_SUSPICIOUS]" in proc.stderr


def test_a_value_starting_with_dashes_is_allowed_when_written_with_equals(fixtures):
    # The value is taken as written (and then judged by the option itself: here not an existing trust file).
    proc = run_cli("verify", "--trust=--offline", fixtures / "official.pdf", *TEST_GOV)
    assert "[OPTION_VALUE_SUSPICIOUS]" not in proc.stderr


def test_input_file_where_a_host_is_expected_is_refused(fixtures):
    pdf = fixtures / "official.pdf"
    proc = run_cli("verify", "--allow-host", pdf, pdf, *TEST_GOV)
    assert proc.returncode == 3 and "[OPTION_VALUE_SUSPICIOUS]" in proc.stderr


def test_a_real_host_is_still_accepted(fixtures):
    proc = run_cli("verify", "--allow-host", "127.0.0.1", fixtures / "official.pdf", *TEST_GOV)
    assert proc.returncode in (0, 2), proc.stderr


@pytest.mark.parametrize("args", [["verify"], [], ["verify", "--format", "yaml", "x.pdf"]])
def test_usage_errors_exit_3_with_a_code(args):
    proc = run_cli(*args)
    assert proc.returncode == 3
    assert "[USAGE_INVALID]" in proc.stderr


def test_usage_error_in_vietnamese_keeps_the_english_detail():
    proc = run_cli("verify", "--lang", "vi")
    assert proc.returncode == 3
    assert "lỗi [USAGE_INVALID]" in proc.stderr and "Chi tiết" in proc.stderr


def test_help_and_version_still_exit_0():
    assert run_cli("--help").returncode == 0
    assert run_cli("verify", "--help").returncode == 0
    assert run_cli("--version").returncode == 0
