"""The hostile tests' way in: the real command line, and the command cases' ledger."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner, Result

from ledger.cli import main

FIXTURE = Path(__file__).parents[1] / "errors" / "commands" / "fixture" / "predictions.yaml"


def run(*args: str) -> Result:
    """`ledger ARGS`, which may fail but never with a traceback."""
    result = CliRunner().invoke(main, list(args), prog_name="ledger")
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        result.exc_info
    )
    return result


def fixture_text() -> str:
    """The text of the command cases' small clean ledger."""
    return FIXTURE.read_text("utf-8")
