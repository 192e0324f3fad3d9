"""Questions assessed at their deadline take no early final result (issue 14, problem 9).

On the frozen copy of the shipped ledger, `labs-same-playbook-2028` is read
"as of 2028-12-31"; marked `assess: at-deadline`, `ledger resolve` refuses a
final result known before that day, writes nothing, and `ledger check`
reports such an outcome already in the file.
"""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from typing import TYPE_CHECKING

import pytest
from click.testing import CliRunner
from shipped import TEXT, with_field, with_outcomes

import ledger.cli.edit
from ledger.cli import main

if TYPE_CHECKING:
    from pathlib import Path

QUESTION = "labs-same-playbook-2028"
AT_DEADLINE = with_field(TEXT, QUESTION, "assess: at-deadline")
REFUSED = (
    "outcome 'yes' known 2026-12-04, before the deadline 2028-12-31: this question is "
    "assessed at its deadline (assess: at-deadline), so its result is known only "
    "then; until then record provisional:P"
)


def today_is(monkeypatch: pytest.MonkeyPatch, day: dt.date) -> None:
    """`ledger resolve` records on `day` (and takes it as the default --known)."""

    class Today(dt.date):
        @classmethod
        def today(cls) -> Today:
            return cls(day.year, day.month, day.day)

    fake = SimpleNamespace(date=Today, timedelta=dt.timedelta)
    monkeypatch.setattr(ledger.cli.edit, "dt", fake)


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def book(tmp_path: Path) -> Path:
    path = tmp_path / "predictions.yaml"
    path.write_text(AT_DEADLINE, encoding="utf-8")
    code, _, err = run("check", str(path))
    assert code == 0, err
    return path


def test_an_early_final_result_is_refused(
    book: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    today_is(monkeypatch, dt.date(2026, 12, 4))
    code, out, err = run("resolve", "-f", str(book), QUESTION, "yes")
    assert code == 1
    assert out == ""
    assert err.startswith(f"{book}:")
    assert err.rstrip("\n").endswith(REFUSED)
    assert book.read_text(encoding="utf-8") == AT_DEADLINE  # nothing written


def test_interim_entries_are_allowed_before_the_deadline(
    book: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    today_is(monkeypatch, dt.date(2026, 12, 4))
    code, _, err = run("resolve", "-f", str(book), QUESTION, "provisional:0.8")
    assert code == 0, err
    code, _, err = run("resolve", "-f", str(book), QUESTION, "void")
    assert code == 0, err  # a question can be annulled at any time


def test_a_final_result_at_the_deadline_is_accepted(
    book: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    today_is(monkeypatch, dt.date(2029, 1, 5))
    code, _, err = run(
        "resolve", "-f", str(book), QUESTION, "yes", "--known", "2028-12-31"
    )
    assert code == 0, err
    assert "known: 2028-12-31\n        recorded: 2029-01-05" in book.read_text("utf-8")


def test_check_reports_an_early_outcome_in_the_file(tmp_path: Path) -> None:
    text = with_outcomes(
        AT_DEADLINE, QUESTION, "{result: yes, known: 2026-12-04, recorded: 2026-12-04}"
    )
    path = tmp_path / "predictions.yaml"
    path.write_text(text, encoding="utf-8")
    code, _, err = run("check", str(path))
    assert code == 1
    line = text[: text.index("{result: yes, known: 2026-12-04")].count("\n") + 1
    assert err == f"{path}:{line}: {REFUSED}\n"


def test_by_deadline_questions_still_take_early_results(tmp_path: Path) -> None:
    text = with_outcomes(
        TEXT, QUESTION, "{result: yes, known: 2026-12-04, recorded: 2026-12-04}"
    )
    path = tmp_path / "predictions.yaml"
    path.write_text(text, encoding="utf-8")
    assert run("check", str(path))[0] == 0


def test_not_yet_fits_only_date_questions(
    book: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    today_is(monkeypatch, dt.date(2026, 12, 4))
    code, _, err = run("resolve", "-f", str(book), QUESTION, "not-yet")
    assert code == 1
    assert "a not-yet result fits only a date question, not a binary one" in err
    assert book.read_text(encoding="utf-8") == AT_DEADLINE
