"""Fitting the ecosystem: pre-commit hooks, CI use, several files at once."""

from __future__ import annotations

import shutil
from pathlib import Path

import yaml
from click.testing import CliRunner

from ledger.cli import main

ROOT = Path(__file__).resolve().parent.parent
ERRORS = ROOT / "tests" / "errors"


def test_pre_commit_hooks_name_real_commands() -> None:
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert {hook["id"] for hook in hooks} == {"ledger-check", "ledger-verify"}
    for hook in hooks:
        assert hook["language"] == "python"
        command = hook["entry"].split()[1]
        assert main.get_command(None, command) is not None


def test_check_takes_several_files_as_pre_commit_passes_them() -> None:
    clean = CliRunner().invoke(main, ["check", str(ROOT / "predictions.yaml"),
                                      str(ROOT / "tests" / "data" / "sample.yaml")])
    assert (clean.exit_code, clean.output) == (0, "")
    bad = CliRunner().invoke(main, ["check", str(ERRORS / "alias.yaml"), str(ERRORS / "bad-slug.yaml")])
    assert bad.exit_code == 1
    expected = (ERRORS / "alias.txt").read_text() + (ERRORS / "bad-slug.txt").read_text()
    names = [line.split(":", 1)[0] for line in bad.stderr.splitlines()]
    assert [Path(n).name for n in names] == [line.split(":", 1)[0] for line in expected.splitlines()]


def test_due_fails_ci_only_when_something_is_overdue(tmp_path: Path) -> None:
    path = tmp_path / "predictions.yaml"
    shutil.copy(ROOT / "predictions.yaml", path)
    # before the first deadline of the shipped ledger (openai-declares-agi-2025, 2025-12-31)
    quiet = CliRunner().invoke(main, ["due", str(path), "--as-of", "2025-12-01", "--fail-if-overdue"])
    assert quiet.exit_code == 0
    overdue = CliRunner().invoke(main, ["due", str(path), "--as-of", "2029-06-01", "--fail-if-overdue"])
    assert overdue.exit_code == 1
    assert "Overdue" in overdue.output
    nudge = CliRunner().invoke(main, ["due", str(path), "--as-of", "2029-06-01"])
    assert nudge.exit_code == 0


def test_shell_completion_is_click_s() -> None:
    result = CliRunner().invoke(main, [], env={"_LEDGER_COMPLETE": "bash_source"}, prog_name="ledger")
    assert result.exit_code == 0
    assert "_LEDGER_COMPLETE=bash_complete" in result.output
