"""Tests of ledger.rules: which forecast stands, which outcome stands, and status."""

from __future__ import annotations

import datetime as dt
import textwrap
from collections.abc import Callable

import pytest

from ledger.core import rules
from ledger.core.model import Error, Ledger, Question

Check = Callable[[str], tuple[Ledger, list[Error]]]


def d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def by_id(ledger: Ledger) -> dict[str, Question]:
    return {q.id: q for q in ledger.questions}


def result(ledger: Ledger, id: str, as_of: str) -> str | None:
    """The standing result of question `id` as of a day, as text (None: no outcome)."""
    standing = rules.outcome(by_id(ledger)[id], rules.index(ledger), d(as_of))
    return None if standing is None else str(standing.result)


def state(ledger: Ledger, id: str, as_of: str) -> str:
    question = by_id(ledger)[id]
    standing = rules.outcome(question, rules.index(ledger), d(as_of))
    return rules.status(question, standing, d(as_of))


# -- standing forecast ---------------------------------------------------------------


def test_the_standing_forecast_is_the_last_made_by_the_deadline(loaded):
    """
    forecasters:
      - {id: alice, name: Alice}
      - {id: bob, name: Bob}
    questions:
      - id: q
        title: Q
        criteria: It happens.
        kind: binary
        deadline: 2025-07-01
        forecasts:
          - {by: alice, made: 2025-03-01, p: 0.3, basis: stated}
          - {by: alice, made: 2025-01-01, p: 0.1, basis: stated}
          - {by: bob, made: 2025-02-01, p: 0.6, basis: stated}
          - {by: alice, made: 2025-07-01, p: 0.4, basis: stated}
          - {by: bob, made: 2025-07-02, p: 0.9, basis: stated}
    """
    ledger, errors = loaded
    # validate reports the late forecast; the rule ignores it whatever happens
    assert [str(e) for e in errors] == [
        "test.yaml:15: forecast made 2025-07-02, after the question's deadline 2025-07-01"
    ]
    standing = rules.standing_forecasts(ledger.questions[0])
    assert [(f.by, f.p) for f in standing] == [("bob", 0.6), ("alice", 0.4)]


def test_same_day_forecasts_stand_in_file_order_and_ranges_by_their_ends(loaded):
    """
    forecasters:
      - {id: alice, name: Alice}
      - {id: bob, name: Bob}
    questions:
      - id: q
        title: Q
        criteria: It happens.
        kind: binary
        deadline: 2026-12-31
        forecasts:
          - {by: alice, made: 2026-02-01, p: 0.2, basis: stated}
          - {by: alice, made: 2026-02-01, p: 0.25, basis: stated}
          - {by: bob, made: 2026-01..2026-03, p: 0.5, basis: stated}
          - {by: bob, made: 2026-01-06..2026-02-10, p: 0.4, basis: stated}
          - {by: bob, made: 2026-12-15..2027-01-15, p: 0.7, basis: stated}
    """
    ledger, errors = loaded
    assert errors == []
    standing = rules.standing_forecasts(ledger.questions[0])
    # a range straddling the deadline may have been made by it, so it stands
    assert [(f.by, f.p) for f in standing] == [("alice", 0.25), ("bob", 0.7)]


# -- standing outcome ------------------------------------------------------------------

HISTORY = """\
forecasters:
  - {id: alice, name: Alice}
questions:
  - id: q
    title: Q
    criteria: It happens.
    kind: binary
    deadline: 2025-07-01
    outcomes:
      - {result: provisional:0.8, known: 2025-06-01, recorded: 2025-06-02}
      - {result: yes, known: 2025-07-01, recorded: 2025-07-03}
      - {result: no, known: 2025-08-01, recorded: 2025-08-02, note: a correction}
      - {result: void, known: 2025-07-20, recorded: 2025-08-01}
"""


@pytest.mark.parametrize(
    ("as_of", "expected", "status"),
    [
        ("2025-05-31", None, "open"),
        ("2025-06-01", "provisional:0.8", "open"),
        ("2025-07-01", "yes", "resolved"),
        ("2025-07-19", "yes", "resolved"),
        # Entries count once known; of those, the latest recorded stands, even
        # if (like the void entry here) it was written down after as_of.
        ("2025-07-20", "void", "void"),
        ("2025-08-01", "no", "resolved"),
        ("2030-01-01", "no", "resolved"),
    ],
)
def test_the_outcome_history_is_append_only(
    check: Check, as_of: str, expected: str | None, status: str
) -> None:
    ledger, errors = check(HISTORY)
    assert errors == []
    assert result(ledger, "q", as_of) == expected
    assert state(ledger, "q", as_of) == status


def test_of_entries_recorded_the_same_day_the_last_in_the_file_stands(loaded):
    """
    questions:
      - id: q
        title: Q
        criteria: It happens.
        kind: binary
        deadline: 2025-07-01
        outcomes:
          - {result: no, known: 2025-07-01, recorded: 2025-07-03}
          - {result: yes, known: 2025-07-01, recorded: 2025-07-03}
          - {result: void, known: 2025-07-01, recorded: 2025-07-02}
    """
    ledger, errors = loaded
    assert errors == []
    assert result(ledger, "q", "2025-07-05") == "yes"


def test_entries_known_after_as_of_are_ignored(check: Check) -> None:
    ledger, _ = check(HISTORY)
    question = ledger.questions[0]
    standing = rules.recorded_outcome(question, d("2025-07-19"))  # void not known yet
    assert standing is not None
    assert str(standing.result) == "yes"
    assert rules.recorded_outcome(question, d("2025-05-01")) is None


def test_an_outcome_known_only_roughly_counts_once_its_latest_day_passes(loaded):
    """
    questions:
      - id: q
        title: Q
        criteria: It happens.
        kind: binary
        deadline: 2025-12-31
        outcomes:
          - {result: yes, known: 2025-06, recorded: 2025-07-01}
    """
    ledger, errors = loaded
    assert errors == []
    assert result(ledger, "q", "2025-06-29") is None
    assert result(ledger, "q", "2025-06-30") == "yes"


# -- statuses --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "as_of", "status"),
    [
        (None, "2025-07-01", "open"),
        (None, "2025-07-02", "due"),
        ("yes", "2025-07-02", "resolved"),
        ("no", "2025-07-02", "resolved"),
        ("0.3", "2025-07-02", "resolved"),
        ("void", "2025-07-02", "void"),
        ("ambiguous", "2025-07-02", "void"),
        ("provisional:0.9", "2025-06-30", "open"),
        ("provisional:0.9", "2025-07-02", "due"),
    ],
)
def test_statuses(check: Check, written: str | None, as_of: str, status: str) -> None:
    text = textwrap.dedent("""\
        questions:
          - id: q
            title: Q
            criteria: It happens.
            kind: binary
            deadline: 2025-07-01
        """)
    if written is not None:
        text += "    outcomes:\n"
        text += (
            f"      - {{result: {written}, known: 2025-06-01, recorded: 2025-06-01}}\n"
        )
    ledger, errors = check(text)
    assert errors == []
    assert state(ledger, "q", as_of) == status
    assert status in rules.STATUSES


# -- derived outcomes ------------------------------------------------------------------

CONDITIONS = """\
questions:
  - id: agi
    title: AGI is widely accepted by 2035
    criteria: It is.
    kind: binary
    deadline: 2035-12-31
    outcomes:
      - {result: no, known: 2036-01-01, recorded: 2036-01-02}
  - id: agi-learns
    title: The first AGI learns after deployment
    criteria: It does.
    kind: binary
    deadline: 2040-12-31
    condition: agi
    outcomes:
      - {result: yes, known: 2035-06-01, recorded: 2035-06-02}
  - id: fusion
    title: Fusion
    criteria: It works.
    kind: binary
    deadline: 2035-12-31
    outcomes:
      - {result: yes, known: 2034-01-01, recorded: 2034-01-02}
  - id: fusion-cheap
    title: Cheap fusion
    criteria: It is cheap.
    kind: binary
    deadline: 2040-12-31
    condition: fusion
  - id: unclear
    title: Unclear
    criteria: It happens.
    kind: binary
    deadline: 2035-12-31
    outcomes:
      - {result: ambiguous, known: 2036-01-01, recorded: 2036-01-02}
  - id: after-unclear
    title: After unclear
    criteria: It happens.
    kind: binary
    deadline: 2040-12-31
    condition: unclear
"""


def test_a_condition_that_resolves_no_voids_the_question(check: Check) -> None:
    ledger, errors = check(CONDITIONS)
    assert errors == []
    # before the condition resolves, the question's own outcome stands
    assert result(ledger, "agi-learns", "2035-12-31") == "yes"
    assert result(ledger, "agi-learns", "2036-01-01") == "void"
    standing = rules.outcome(
        by_id(ledger)["agi-learns"], rules.index(ledger), d("2036-01-01")
    )
    assert standing is not None
    assert standing.derived == "void because its condition 'agi' resolved no"
    assert standing.known == by_id(ledger)["agi"].outcomes[0].known
    assert state(ledger, "agi-learns", "2036-01-01") == "void"


def test_a_condition_that_resolves_yes_leaves_the_question_to_its_own_outcome(
    check: Check,
) -> None:
    ledger, _ = check(CONDITIONS)
    assert result(ledger, "fusion-cheap", "2035-01-01") is None
    assert state(ledger, "fusion-cheap", "2035-01-01") == "open"


def test_an_ambiguous_condition_voids_the_question(check: Check) -> None:
    ledger, _ = check(CONDITIONS)
    assert result(ledger, "after-unclear", "2036-06-01") == "void"


ORDER = """\
questions:
  - id: robots
    title: Robots
    criteria: The day.
    kind: date
    deadline: 2035-12-31
    outcomes: [{{result: {robots}, known: 2036-01-01, recorded: 2036-01-02}}]
  - id: biology
    title: Biology
    criteria: The day.
    kind: date
    deadline: 2035-12-31
    outcomes: [{{result: {biology}, known: 2036-01-01, recorded: 2036-01-02}}]
  - id: biology-after-robotics
    title: Biology after robotics
    criteria: Resolves from the two date questions.
    kind: binary
    deadline: 2035-12-31
    order: {{before: robots, after: biology}}
"""


@pytest.mark.parametrize(
    ("robots", "biology", "expected"),
    [
        ("2030-05-01", "2031-01-01", "yes"),
        ("2030-05-01", "2030-05-02", "yes"),
        ("2031-01-01", "2030-05-01", "no"),
        ("2030-05-01", "2030-05-01", "no"),  # the same day is not strictly later
        ("2030-05", "2030-05-20", "ambiguous"),  # the month overlaps the day
        ("2030-05", "2030-06", "yes"),
        ("2030-05-01", "no", "yes"),  # biology did not happen by its deadline
        ("no", "2030-05-01", "no"),  # robotics never did, biology did
        ("no", "no", "ambiguous"),  # neither happened: the order is unknown
        ("void", "2030-05-01", "void"),
        ("2030-05-01", "ambiguous", "void"),
    ],
)
def test_an_order_question_resolves_from_its_two_dates(
    check: Check, robots: str, biology: str, expected: str
) -> None:
    ledger, errors = check(ORDER.format(robots=robots, biology=biology))
    assert errors == []
    assert result(ledger, "biology-after-robotics", "2036-06-01") == expected
    status = "void" if expected in ("void", "ambiguous") else "resolved"
    assert state(ledger, "biology-after-robotics", "2036-06-01") == status


def test_an_order_question_waits_for_both_dates(loaded):
    """
    questions:
      - id: robots
        title: Robots
        criteria: The day.
        kind: date
        deadline: 2035-12-31
        outcomes: [{result: 2030-05-01, known: 2030-05-01, recorded: 2030-05-02}]
      - id: biology
        title: Biology
        criteria: The day.
        kind: date
        deadline: 2035-12-31
      - id: biology-after-robotics
        title: Biology after robotics
        criteria: Resolves from the two date questions.
        kind: binary
        deadline: 2035-12-31
        order: {before: robots, after: biology}
    """
    ledger, errors = loaded
    assert errors == []
    assert result(ledger, "biology-after-robotics", "2036-06-01") is None
    assert state(ledger, "biology-after-robotics", "2035-06-01") == "open"
    assert state(ledger, "biology-after-robotics", "2036-06-01") == "due"


def test_the_derived_outcome_says_where_it_came_from(check: Check) -> None:
    ledger, _ = check(ORDER.format(robots="2030-05-01", biology="no"))
    standing = rules.outcome(
        by_id(ledger)["biology-after-robotics"], rules.index(ledger), d("2036-06-01")
    )
    assert standing is not None
    assert standing.derived == "derived from 'robots' (2030-05-01) and 'biology' (no)"
    assert standing.location == by_id(ledger)["biology-after-robotics"].location


def test_a_cycle_gives_no_outcome_and_no_recursion_error(loaded):
    """
    questions:
      - id: a
        title: A
        criteria: It happens.
        kind: binary
        deadline: 2030-12-31
        condition: b
      - id: b
        title: B
        criteria: It happens.
        kind: binary
        deadline: 2030-12-31
        condition: a
    """
    ledger, errors = loaded
    assert len(errors) == 2  # validate reports the cycle at each question
    assert result(ledger, "a", "2031-01-01") is None


def test_index_keeps_the_first_of_a_duplicated_id(loaded):
    """
    questions:
      - {id: q, title: First, criteria: x, kind: binary, deadline: 2030-12-31}
      - {id: q, title: Second, criteria: x, kind: binary, deadline: 2030-12-31}
    """
    ledger, _ = loaded
    assert rules.index(ledger)["q"].title == "First"


# -- not yet, as recorded, existence (issue 14) ----------------------------------------

NOT_YET = """\
questions:
  - id: q
    title: Q
    criteria: It happens.
    kind: date
    deadline: 2035-12-31
    outcomes:
      - {result: not-yet, known: 2027-01-01, recorded: 2027-01-10}
      - {result: not-yet, known: 2028-06, recorded: 2028-07-02}
      - {result: 2029-03-01, known: 2029-03-01, recorded: 2029-03-05}
      - {result: not-yet, known: 2028-01-01, recorded: 2029-04-01}
"""


@pytest.mark.parametrize(
    ("as_of", "not_yet", "standing", "status"),
    [
        ("2026-12-31", None, None, "open"),  # nothing known yet
        ("2027-01-05", "2027-01-01", None, "open"),  # known, though recorded later
        # June 2028 counts once its last day passes; the entry recorded in 2029
        # was known on 2028-01-01, so as known it counts already
        ("2028-06-29", "2028-01-01", None, "open"),
        ("2028-07-01", "2028-06-01", None, "open"),  # its earliest reading counts
        ("2029-03-01", None, "2029-03-01", "resolved"),  # a final result stands
        ("2029-05-01", None, "2029-03-01", "resolved"),  # a later not-yet does not
    ],
)
def test_a_not_yet_entry_counts_only_while_no_result_stands(
    check: Check, as_of: str, not_yet: str | None, standing: str | None, status: str
) -> None:
    ledger, errors = check(NOT_YET)
    assert errors == []
    question = ledger.questions[0]
    found = rules.outcome(question, rules.index(ledger), d(as_of))
    assert (None if found is None else str(found.result)) == standing
    day = rules.not_yet(question, found, d(as_of))
    assert (None if day is None else day.isoformat()) == not_yet
    assert rules.status(question, found, d(as_of)) == status


def test_as_recorded_counts_only_entries_written_down_by_then(check: Check) -> None:
    ledger, _ = check(NOT_YET)
    question = ledger.questions[0]
    assert rules.not_yet(question, None, d("2027-01-05"), as_recorded=True) is None
    assert rules.not_yet(question, None, d("2027-01-10"), as_recorded=True) == d(
        "2027-01-01"
    )
    found = rules.outcome(
        question, rules.index(ledger), d("2029-03-03"), as_recorded=True
    )
    assert found is None  # known 2029-03-01, written down 2029-03-05
    found = rules.outcome(
        question, rules.index(ledger), d("2029-03-05"), as_recorded=True
    )
    assert found is not None and str(found.result) == "2029-03-01"


def test_as_recorded_reaches_derived_outcomes(check: Check) -> None:
    ledger, errors = check(
        """\
questions:
  - id: base
    title: Base
    criteria: It happens.
    kind: binary
    deadline: 2026-12-31
    outcomes:
      - {result: no, known: 2026-12-31, recorded: 2027-02-01}
  - id: child
    title: Child
    criteria: It happens too.
    kind: binary
    deadline: 2027-12-31
    condition: base
"""
    )
    assert errors == []
    child = by_id(ledger)["child"]
    known = rules.outcome(child, rules.index(ledger), d("2027-01-15"))
    assert known is not None and known.result.kind == "void"
    recorded = rules.outcome(
        child, rules.index(ledger), d("2027-01-15"), as_recorded=True
    )
    assert recorded is None


def test_timely_with_entered_days_leaves_out_later_entries(loaded):
    """
    forecasters:
      - {id: a, name: A}
    questions:
      - id: q
        title: Q
        criteria: It happens.
        kind: binary
        deadline: 2030-12-31
        forecasts:
          - {by: a, made: 2026-01-01, p: 0.6, basis: stated}
          - {by: a, made: 2026-06-01, p: 0.8, basis: stated}
    """
    ledger, errors = loaded
    assert errors == []
    question = ledger.questions[0]
    first, second = question.forecasts
    entered = {first.location: d("2026-01-05"), second.location: d("2027-03-01")}
    as_known = rules.standing_forecasts(question, d("2026-12-31"))
    assert [f.p for f in as_known] == [0.8]
    as_recorded = rules.standing_forecasts(question, d("2026-12-31"), entered)
    assert [f.p for f in as_recorded] == [0.6]  # the update was written in 2027


def test_a_question_exists_from_written_or_its_first_forecast(loaded):
    """
    forecasters:
      - {id: a, name: A}
    questions:
      - id: written-later
        title: Written later
        criteria: It happens.
        kind: binary
        deadline: 2030-12-31
        written: 2026-05..2026-07
        forecasts:
          - {by: a, made: 2024-03-01, p: 0.6, basis: stated}
      - id: from-forecast
        title: From its forecast
        criteria: It happens.
        kind: binary
        deadline: 2030-12-31
        forecasts:
          - {by: a, made: 2025-02-01, p: 0.6, basis: stated}
          - {by: a, made: 2024-12, p: 0.6, basis: stated}
      - id: bare
        title: Bare
        criteria: It happens.
        kind: binary
        deadline: 2030-12-31
    """
    ledger, errors = loaded
    assert errors == []
    found = by_id(ledger)
    assert rules.exists_from(found["written-later"]) == d("2026-05-01")
    assert rules.exists_from(found["from-forecast"]) == d("2024-12-01")
    assert rules.exists_from(found["bare"]) is None
    assert not rules.exists(found["written-later"], d("2026-04-30"))
    assert rules.exists(found["written-later"], d("2026-05-01"))
    assert rules.exists(found["bare"], d("1999-01-01"))
