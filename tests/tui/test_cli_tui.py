"""`tracker tui` as a command: help text, and mistakes reported on stderr before any screen opens."""

from __future__ import annotations

from tests.conftest import Cli


def test_tui_is_a_command_with_chinese_help(cli: Cli) -> None:
    result = cli("--help")
    assert result.exit_code == 0 and "tui" in result.stdout
    result = cli("tui", "--help")
    assert result.exit_code == 0
    assert "终端界面" in result.stdout and "--dept" in result.stdout


def test_unknown_department_is_refused_before_the_screen(sample_cli: Cli) -> None:
    result = sample_cli("tui", "--dept", "火星办事处")
    assert result.exit_code == 1
    assert result.stderr.startswith("错误：") and "火星办事处" in result.stderr
