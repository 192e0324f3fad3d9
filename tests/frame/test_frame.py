"""Tests of ledger.frame: records + as_of -> the one tidy frame scoring reads.

Expected values are worked out by hand here (dates with `datetime`, scores with
`math`), never by calling the code under test.
"""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

import pandas as pd
import pytest

from ledger.core.model import Ledger
from ledger.frame import EXCLUDED, SCHEMA, frame, years
from ledger.validate import check as check_file

SAMPLE = Path(__file__).parents[1] / "data" / "sample.yaml"
AS_OF = dt.date(2029, 1, 1)  # every outcome in the sample is known by then
YEAR = 365.25


def d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def days(start: str, end: str) -> int:
    return (d(end) - d(start)).days


@pytest.fixture(scope="module")
def sample() -> Ledger:
    ledger, errors = check_file(str(SAMPLE))
    assert errors == []
    return ledger


@pytest.fixture(scope="module")
def table(sample: Ledger) -> pd.DataFrame:
    return frame(sample, AS_OF)


def row(table: pd.DataFrame, question: str, forecaster: str) -> pd.Series:
    """The standing forecast of `forecaster` on `question`."""
    found = table[(table["question"] == question) & (table["forecaster"] == forecaster)]
    found = found[found["standing"]]
    assert len(found) == 1
    return found.iloc[0]


def nan(value: float) -> bool:
    return isinstance(value, float) and math.isnan(value)


# -- schema ---------------------------------------------------------------------------


def assert_schema(table: pd.DataFrame) -> None:
    assert list(table.columns) == list(SCHEMA)
    for column, dtype in SCHEMA.items():
        assert table[column].dtype == dtype, column


def test_the_frame_has_the_declared_columns_and_dtypes(table):
    assert_schema(table)
    assert str(table["made"].dtype) == "datetime64[s]"
    assert table["p"].dtype == "float64"
    assert isinstance(table["forecaster"].dtype, pd.CategoricalDtype)
    assert list(table["excluded"].cat.categories) == list(EXCLUDED)


def test_an_empty_ledger_gives_the_same_columns_and_dtypes():
    empty = frame(Ledger(path="empty.yaml"), AS_OF)
    assert len(empty) == 0
    assert_schema(empty)


def test_a_ledger_without_forecasts_gives_an_empty_frame(check):
    ledger, errors = check(
        "questions:\n"
        "  - {id: q, title: Q, criteria: C, kind: binary, deadline: 2026-12-31}\n"
    )
    assert errors == []
    empty = frame(ledger, AS_OF)
    assert len(empty) == 0
    assert_schema(empty)


def test_one_row_per_forecast_made_by_the_deadline(sample, table):
    assert len(table) == sum(len(q.forecasts) for q in sample.questions) == 36


# -- the standing forecast -------------------------------------------------------------


def test_an_update_replaces_the_earlier_forecast(table):
    alice = table[
        (table["question"] == "rates-cut-2026") & (table["forecaster"] == "alice")
    ]
    assert alice["p"].tolist() == [0.6, 0.9]  # in order of `made`
    assert alice["standing"].tolist() == [False, True]
    standing = table[table["standing"]]
    assert not standing.duplicated(["question", "forecaster"]).any()
    assert len(standing) == 35  # 36 forecasts, one replaced


UPDATES = """\
forecasters:
  - {id: alice, name: Alice}
questions:
  - id: q
    title: Q
    criteria: C
    kind: binary
    deadline: 2026-01-31
    forecasts:
FORECASTS
    outcomes:
      - {result: yes, known: 2026-03-02, recorded: 2026-03-02}
"""
EARLY = "      - {by: alice, made: 2026-01-01, p: 0.2, basis: stated}"
LATE = "      - {by: alice, made: 2026-01-21, p: 0.9, basis: stated}"


def test_file_order_changes_nothing(check):
    """The standing forecast and the days each stood do not depend on file order."""
    frames = []
    for forecasts in ([EARLY, LATE], [LATE, EARLY]):
        ledger, errors = check(UPDATES.replace("FORECASTS", "\n".join(forecasts)))
        assert errors == []
        frames.append(frame(ledger, AS_OF).drop(columns="line"))
    pd.testing.assert_frame_equal(frames[0], frames[1])
    table = frames[1]
    assert table["p"].tolist() == [0.2, 0.9]
    assert table["standing"].tolist() == [False, True]
    # The early forecast stands until the update; the update until the day after
    # the deadline, not until the outcome became known five weeks later.
    assert table["until"].dt.date.tolist() == [d("2026-01-21"), d("2026-02-01")]


def test_a_forecast_stands_until_the_next_one_the_outcome_or_the_deadline(table):
    def until(question: str, forecaster: str, p: float) -> dt.date | None:
        found = table[
            (table["question"] == question)
            & (table["forecaster"] == forecaster)
            & (table["p"] == p)
        ]
        value = found["until"].iloc[0]
        return None if pd.isna(value) else value.date()

    assert until("rates-cut-2026", "alice", 0.6) == d("2026-03-01")  # replaced
    assert until("rates-cut-2026", "alice", 0.9) == d("2026-12-31")  # outcome known
    assert until("budget-passes", "alice", 0.7) == d(
        "2027-01-01"
    )  # deadline 2026-12-31
    assert until("cure-found", "bob", 0.5) is None  # still open: still stands
    assert until("bridge-opens", "alice", 0.35) is None  # due: no outcome yet


# -- as_of -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("as_of", "status", "excluded"),
    [
        ("2026-12-30", "open", "open"),
        ("2026-12-31", "resolved", ""),  # known on the as_of day counts
        ("2027-01-01", "resolved", ""),
    ],
)
def test_only_outcomes_known_by_as_of_count(sample, as_of, status, excluded):
    r = row(frame(sample, d(as_of)), "rates-cut-2026", "bob")
    assert (r["status"], r["excluded"]) == (status, excluded)
    assert nan(r["outcome"]) == (status == "open")
    if status == "open":
        assert pd.isna(r["known"])


def test_due_after_the_deadline_with_no_outcome(sample):
    assert (
        row(frame(sample, d("2027-06-30")), "bridge-opens", "alice")["excluded"]
        == "open"
    )
    assert (
        row(frame(sample, d("2027-07-01")), "bridge-opens", "alice")["excluded"]
        == "due"
    )


def test_derived_outcomes_wait_for_their_sources(sample):
    before = frame(sample, d("2027-12-31"))
    assert row(before, "launch-before-fusion", "alice")["excluded"] == "open"
    assert row(before, "fusion-profitable", "alice")["excluded"] == "open"
    after = frame(sample, d("2028-01-01"))
    assert row(after, "launch-before-fusion", "alice")["outcome"] == 1.0  # rocket first
    assert (
        row(after, "fusion-profitable", "alice")["excluded"] == "void"
    )  # condition failed


# -- outcomes --------------------------------------------------------------------------


def test_binary_outcomes(table):
    assert row(table, "rain-in-june", "alice")["outcome"] == 1.0
    assert row(table, "coin-lands-heads", "dan")["outcome"] == 0.0
    assert (
        row(table, "coin-lands-heads", "dan")["p"] == 1.0
    )  # stored verbatim, not clipped
    assert row(table, "budget-passes", "alice")["outcome"] == 0.5  # a fraction
    assert (
        row(table, "budget-passes", "carol")["p"] == 0.675
    )  # mapped: "likely", ICD 203


@pytest.mark.parametrize("question", ["match-played", "referee-call"])
def test_void_and_ambiguous_are_void_and_not_scored(table, question):
    rows = table[table["question"] == question]
    assert set(rows["status"]) == {"void"}
    assert set(rows["excluded"]) == {"void"}
    assert rows["outcome"].isna().all()


def test_unscorable_is_never_scored(table):
    assert row(table, "sun-rises", "dan")["excluded"] == "unscorable"


def test_a_provisional_outcome_counts_only_when_asked(sample, table):
    plain = row(table, "market-election", "alice")
    assert (plain["status"], plain["excluded"], plain["provisional"]) == (
        "open",
        "open",
        False,
    )
    assert nan(plain["outcome"])
    asked = row(frame(sample, AS_OF, provisional=True), "market-election", "alice")
    assert (asked["status"], asked["excluded"], asked["provisional"]) == (
        "open",
        "",
        True,
    )
    assert asked["outcome"] == 0.4
    # Before the market price was recorded there is nothing to score, even when asked.
    early = row(
        frame(sample, d("2027-01-31"), provisional=True), "market-election", "alice"
    )
    assert (early["excluded"], nan(early["outcome"])) == ("open", True)


# -- windows ---------------------------------------------------------------------------


def interval(width: float, miss: float, p: float) -> float:
    """Gneiting & Raftery (2007) interval score, alpha = 1 - p."""
    return width + 2 / (1 - p) * miss


def test_a_date_window_that_holds_the_outcome(table):
    r = row(table, "rocket-launch", "alice")  # [2027-01-01, 2027-12-31], p 0.7
    assert (r["outcome"], r["timing_error"], r["excluded"]) == (1.0, 0.0, "")
    width = days("2027-01-01", "2027-12-31") / YEAR
    assert r["interval_score"] == pytest.approx(width)


def test_a_date_window_that_misses(table):
    r = row(
        table, "rocket-launch", "bob"
    )  # [2028-01-01, 2028-12-31], p 0.6; 2027-09-15
    miss = days("2027-09-15", "2028-01-01") / YEAR  # 108 days early
    assert days("2027-09-15", "2028-01-01") == 108
    assert r["outcome"] == 0.0
    assert r["timing_error"] == pytest.approx(miss)
    width = days("2028-01-01", "2028-12-31") / YEAR
    assert r["interval_score"] == pytest.approx(interval(width, miss, 0.6))
    assert not r["coverage_assumed"]


def test_a_window_without_p_gets_timing_and_an_assumed_coverage(table):
    r = row(table, "rocket-launch", "carol")  # [2027-06-01, 2027-08-31], no p
    assert r["excluded"] == "no probability"
    assert nan(r["p"])
    miss = days("2027-08-31", "2027-09-15") / YEAR  # 15 days late
    assert r["timing_error"] == pytest.approx(miss)
    width = days("2027-06-01", "2027-08-31") / YEAR  # 91 days
    assert r["interval_score"] == pytest.approx(interval(width, miss, 0.5))
    assert r["coverage_assumed"]


def test_a_relative_window_from_a_fuzzy_made_date_is_read_at_its_widest(table):
    # made 2026-01..2026-03, window +1y..+2y: from 2027-01-01 to 2028-03-31
    r = row(table, "rocket-launch", "dan")
    assert (r["outcome"], r["timing_error"]) == (1.0, 0.0)
    assert r["made"].date() == d("2026-01-01")
    assert r["made_latest"].date() == d("2026-03-31")
    width = days("2027-01-01", "2028-03-31") / YEAR
    assert r["interval_score"] == pytest.approx(width)


def test_open_ended_windows_get_a_timing_error_but_no_interval_score(table):
    inside = row(table, "olympiad-gold", "alice")  # [2028-01-01, null]; 2028-07-20
    assert (inside["outcome"], inside["timing_error"]) == (1.0, 0.0)
    assert nan(inside["interval_score"])
    missed = row(table, "olympiad-gold", "dan")  # [null, 2027-12-31]
    assert missed["outcome"] == 0.0
    assert missed["timing_error"] == pytest.approx(
        days("2027-12-31", "2028-07-20") / YEAR
    )
    assert nan(missed["interval_score"])


def test_a_date_question_that_did_not_happen_censors_the_timing_error(table):
    # fusion-power resolved no: it did not happen by the deadline 2027-12-31.
    ended = row(table, "fusion-power", "bob")  # [2026-06-01, 2027-06-30], p 0.4
    assert (ended["outcome"], ended["censored"], ended["excluded"]) == (0.0, True, "")
    # At least from the window's end to the day after the deadline (a lower bound).
    assert ended["timing_error"] == pytest.approx(
        days("2027-06-30", "2028-01-01") / YEAR
    )
    assert nan(ended["interval_score"])
    still = row(table, "fusion-power", "carol")  # [2027-06-01, 2029-06-30]: may yet
    assert (still["excluded"], still["censored"]) == ("undetermined", True)
    assert nan(still["outcome"]) and nan(still["timing_error"])


def test_numeric_windows_are_scored_in_the_question_unit(table):
    alice, bob = (
        row(table, "inflation-2027", "alice"),
        row(table, "inflation-2027", "bob"),
    )
    assert (alice["outcome"], alice["timing_error"]) == (1.0, 0.0)  # [2, 3] holds 2.4
    assert alice["interval_score"] == pytest.approx(1.0)
    assert bob["outcome"] == 0.0  # [3, 4]
    assert bob["timing_error"] == pytest.approx(0.6)
    assert bob["interval_score"] == pytest.approx(interval(1.0, 0.6, 0.5))  # 3.4
    carol = row(table, "inflation-2027", "carol")  # [2.5, null], p 0.6
    assert carol["outcome"] == 0.0
    assert carol["timing_error"] == pytest.approx(0.1)
    assert nan(carol["interval_score"])
    dan = row(table, "inflation-2027", "dan")  # [1, 2], no p: assumed 50% coverage
    assert dan["excluded"] == "no probability"
    assert dan["interval_score"] == pytest.approx(interval(1.0, 0.4, 0.5))  # 2.6


FUZZY = """\
forecasters:
  - {id: alice, name: Alice}
  - {id: bob, name: Bob}
questions:
  - id: launch
    title: Launch
    criteria: C
    kind: date
    deadline: 2028-12-31
    forecasts:
      - {by: alice, made: 2026-01-01, window: [2027-06-15, 2027-12-31], p: 0.8,
         basis: stated}
      - {by: bob, made: 2026-01-01, window: [2027-01-01, 2027-12-31], p: 0.8,
         basis: stated}
    outcomes:
      - {result: 2027-06, known: 2027-07-01, recorded: 2027-07-01}
"""


def test_an_outcome_known_only_roughly_may_leave_a_window_undetermined(check):
    ledger, errors = check(FUZZY)
    assert errors == []
    table = frame(ledger, AS_OF)
    alice, bob = row(table, "launch", "alice"), row(table, "launch", "bob")
    assert alice["excluded"] == "undetermined"  # June 2027: before or after the 15th?
    assert nan(alice["outcome"])
    assert (bob["excluded"], bob["outcome"]) == ("", 1.0)  # all of June is inside


def test_years_between_columns():
    start = pd.Series(pd.to_datetime(["2026-01-01"]))
    end = pd.Series(pd.to_datetime(["2027-01-01"]))
    assert years(start, end).tolist() == [365 / YEAR]
