"""Windows are scored when they close (issue 14, problems 1 and 2), on the shipped ledger.

The cases run on the frozen copy of the shipped ledger (tests/shipped.py) with
outcomes recorded in a simulated future. Expected values are worked out here
from the windows as the file states them, never by the code under test:

- Jim Fan, made 2023-12, +3y..+3y: 2026-12-01 to 2026-12-31.
- Vinod Khosla, made 2025-07-01, +2y..+3y: 2027-07-01 to 2028-07-01.
- Jerry Tworek, made 2026-01-06..2026-04-30, +2y..+3y: 2028-01-06 to 2029-04-30.
- Sergey Levine, [2025-09-12, 2030], p 50%: 2025-09-12 to 2030-12-31.
- Ken Goldberg, made 2025-08-27, [+10y, null]: 2035-08-27, open end.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from types import SimpleNamespace
from typing import TYPE_CHECKING

import pandas as pd
import pytest
from click.testing import CliRunner
from shipped import TEXT, day, load, with_outcomes

import ledger.cli.edit
from ledger.cli import main
from ledger.frame import frame
from ledger.score import scorecard

if TYPE_CHECKING:
    from pathlib import Path

QUESTION = "robotics-chatgpt-moment"
YEAR = 365.25
ENDS = {
    "jim-fan": "2026-12-31",
    "vinod-khosla": "2028-07-01",
    "jerry-tworek": "2029-04-30",
    "sergey-levine": "2030-12-31",
}


def rows(text: str, as_of: str, **options: object) -> dict[str, pd.Series]:
    """The standing forecasts on the robotics question, by forecaster."""
    table = frame(load(text), day(as_of), **options)  # type: ignore[arg-type]
    mine = table[(table["question"] == QUESTION) & table["standing"]]
    return {str(r["forecaster"]): r for _, r in mine.iterrows()}


def years_between(start: str, end: str) -> float:
    return (day(end) - day(start)).days / YEAR


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


# -- problem 1: an open end that turned out right -----------------------------------


NOTHING_BY_2035 = with_outcomes(
    TEXT, QUESTION, "{result: no, known: 2036-01-01, recorded: 2036-01-05}"
)


def test_goldbergs_open_ended_window_is_inside_when_nothing_happened() -> None:
    found = rows(NOTHING_BY_2035, "2036-02-01")
    goldberg = found["ken-goldberg"]
    # "not ... in the next 10 years": from 2035-08-27 on, or never. Nothing by
    # 2035-12-31 means some day from 2036-01-01 on, or never: inside every reading.
    assert goldberg["outcome"] == 1.0
    assert goldberg["timing_error"] == 0.0
    assert not goldberg["censored"]
    assert goldberg["excluded"] == "no probability"  # he gave no number
    assert math.isinf(goldberg["window_width"]) and pd.isna(goldberg["window_end"])
    # The finite windows ended before 2036-01-01: misses by at least that much.
    levine = found["sergey-levine"]
    assert (levine["outcome"], levine["censored"], levine["excluded"]) == (0.0, True, "")
    assert levine["timing_error"] == pytest.approx(years_between("2030-12-31", "2036-01-01"))


def test_explain_scores_goldberg_with_timing_error_zero(tmp_path: Path) -> None:
    path = tmp_path / "ledger.yaml"
    path.write_text(NOTHING_BY_2035, encoding="utf-8")
    code, out, _ = run(
        "score", str(path), "--as-of", "2036-02-01", "--explain", QUESTION,
        "--format", "json",
    )
    assert code == 0
    by = {r["forecaster"]: r for r in json.loads(out)}
    assert by["ken-goldberg"]["timing_error"] == 0.0
    assert "some readings" not in by["ken-goldberg"]["why"]
    assert by["ken-goldberg"]["note"] is None
    assert by["jim-fan"]["note"] == (
        "window closed 2026-12-31 without the event; timing error at least "
        f"{years_between('2026-12-31', '2036-01-01'):.1f} y"
    )


def test_a_finite_window_past_the_deadline_stays_undetermined() -> None:
    # The open end is what makes Goldberg's window certain: the same window
    # closed in 2040 could still be missed (the event in 2041) or hit.
    text = NOTHING_BY_2035.replace("window: [+10y, null]", "window: [+10y, 2040]")
    goldberg = rows(text, "2036-02-01")["ken-goldberg"]
    assert goldberg["excluded"] == "undetermined"
    assert math.isnan(goldberg["timing_error"])


def test_an_open_end_that_starts_after_the_deadline_is_undetermined() -> None:
    text = NOTHING_BY_2035.replace("window: [+10y, null]", "window: [+11y, null]")
    # from 2036-08-27: the event may come in 2036 before it, or after it
    goldberg = rows(text, "2036-02-01")["ken-goldberg"]
    assert goldberg["excluded"] == "undetermined"


# -- problem 2: windows close before the deadline ------------------------------------


class _Today(dt.date):
    """A date whose today() is the simulated day of the test."""

    simulated = dt.date(2030, 6, 10)

    @classmethod
    def today(cls) -> _Today:
        day = cls.simulated
        return cls(day.year, day.month, day.day)


@pytest.fixture
def in_2030(monkeypatch: pytest.MonkeyPatch) -> None:
    """`ledger resolve` records its entries on 2030-06-10."""
    fake = SimpleNamespace(date=_Today, timedelta=dt.timedelta)
    monkeypatch.setattr(ledger.cli.edit, "dt", fake)


@pytest.fixture
def recorded(tmp_path: Path, in_2030: None) -> Path:
    """The shipped ledger after `resolve QUESTION not-yet --known 2030-06-01` in 2030."""
    path = tmp_path / "ledger.yaml"
    path.write_text(TEXT, encoding="utf-8")
    code, out, err = run(
        "resolve", "-f", str(path), QUESTION, "not-yet", "--known", "2030-06-01",
        "--evidence", "https://example.org/no-robot-yet",
    )
    assert code == 0, err
    assert "added an outcome of 'robotics-chatgpt-moment' (not-yet)" in out
    return path


def test_resolve_not_yet_writes_an_interim_entry(recorded: Path) -> None:
    text = recorded.read_text(encoding="utf-8")
    assert (
        "    outcomes:\n      - result: not-yet\n        known: 2030-06-01\n"
        "        recorded: 2030-06-10\n"
        '        evidence: ["https://example.org/no-robot-yet"]\n'
    ) in text
    # Every other byte stays.
    assert text.replace(
        "    outcomes:\n      - result: not-yet\n        known: 2030-06-01\n"
        "        recorded: 2030-06-10\n"
        '        evidence: ["https://example.org/no-robot-yet"]\n',
        "    outcomes: []\n",
        1,
    ) == TEXT


def test_closed_windows_are_misses_with_lower_bounds(recorded: Path) -> None:
    found = rows(recorded.read_text(encoding="utf-8"), "2030-07-01")
    for who in ("jim-fan", "vinod-khosla", "jerry-tworek"):
        row = found[who]
        assert row["status"] == "open"  # the question itself stays open
        assert (row["outcome"], row["censored"]) == (0.0, True), who
        assert row["excluded"] == "no probability", who  # windows without p
        # At least from the window's end to the day after 2030-06-01.
        assert row["timing_error"] == pytest.approx(
            years_between(ENDS[who], "2030-06-02")
        ), who
        assert row["known"] == pd.Timestamp("2030-06-01")
        assert math.isnan(row["interval_score"])
    # Levine's window runs to 2030-12-31 and Goldberg's from 2035: still open.
    assert found["sergey-levine"]["excluded"] == "open"
    assert math.isnan(found["sergey-levine"]["outcome"])
    assert found["ken-goldberg"]["excluded"] == "open"


def test_nothing_closes_before_the_not_yet_was_known(recorded: Path) -> None:
    found = rows(recorded.read_text(encoding="utf-8"), "2030-05-31")
    assert {r["excluded"] for r in found.values()} == {"open"}


def test_as_recorded_waits_for_the_entry_to_be_written_down(recorded: Path) -> None:
    text = recorded.read_text(encoding="utf-8")
    # Known 2030-06-01, written down 2030-06-10.
    assert rows(text, "2030-06-05")["jim-fan"]["censored"]
    found = rows(text, "2030-06-05", as_recorded=True)
    assert found["jim-fan"]["excluded"] == "open"
    assert rows(text, "2030-06-10", as_recorded=True)["jim-fan"]["censored"]


def test_explain_says_the_window_closed(recorded: Path) -> None:
    code, out, _ = run("score", str(recorded), "--as-of", "2030-07-01", "--explain", QUESTION)
    assert code == 0
    lower = years_between("2026-12-31", "2030-06-02")
    assert (
        f"    window closed 2026-12-31 without the event; timing error at least "
        f"{lower:.1f} y\n"
    ) in out
    assert "window closed 2030-12-31" not in out  # Levine's is open


def test_the_scorecard_counts_the_closed_windows(recorded: Path) -> None:
    code, out, _ = run(
        "score", str(recorded), "--as-of", "2030-07-01", "--format", "json"
    )
    assert code == 0
    by = {r["forecaster"]: r for r in json.loads(out)}
    assert by["jim-fan"]["n_window_only"] == 1 and by["jim-fan"]["n_open"] == 0
    assert by["jim-fan"]["timing_error"] == pytest.approx(
        years_between("2026-12-31", "2030-06-02")
    )
    assert by["sergey-levine"]["n_open"] == 1


def test_a_final_result_supersedes_the_not_yet(recorded: Path) -> None:
    text = with_outcomes(
        recorded.read_text(encoding="utf-8"), QUESTION,
        "{result: 2031-03-01, known: 2031-03-01, recorded: 2031-03-02}",
    )
    found = rows(text, "2031-06-01")
    fan = found["jim-fan"]
    assert (fan["censored"], fan["status"]) == (False, "resolved")
    assert fan["timing_error"] == pytest.approx(years_between("2026-12-31", "2031-03-01"))
    levine = found["sergey-levine"]  # p 50%, missed by two months
    assert (levine["outcome"], levine["excluded"]) == (0.0, "")
    assert levine["timing_error"] == pytest.approx(years_between("2030-12-31", "2031-03-01"))


def test_a_not_yet_with_a_probability_is_scored_in_window() -> None:
    # Levine's window with p 50%, closed by a not-yet on 2031-01-15 (a question
    # whose deadline allows it): a miss, Brier (0.5 - 0)^2.
    text = with_outcomes(
        TEXT, QUESTION, "{result: not-yet, known: 2031-01-15, recorded: 2031-01-16}"
    )
    levine = rows(text, "2031-02-01")["sergey-levine"]
    assert (levine["excluded"], levine["outcome"], levine["p"]) == ("", 0.0, 0.5)
    assert levine["timing_error"] == pytest.approx(years_between("2030-12-31", "2031-01-16"))
    table = scorecard.aggregate(frame(load(text), day("2031-02-01")), ["forecaster"])
    levine_scores = table[table["forecaster"] == "sergey-levine"].iloc[0]
    assert levine_scores["n"] == 1
    assert levine_scores["brier"] == pytest.approx(0.25)
