"""Tests of ledger.validate: checks that need more than one record."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from ledger import validate
from ledger.loader.load import load_text

if TYPE_CHECKING:
    from ledger.core.model import Error

ROOT = Path(__file__).parents[1]


def messages(errors: list[Error]) -> list[str]:
    return [str(e) for e in errors]


def test_the_example_ledger_is_clean() -> None:
    ledger, errors = validate.check(str(ROOT / "predictions.yaml"))
    assert errors == []
    assert len(ledger.questions) >= 10


def test_checks_run_in_order_and_check_sorts_by_line(tmp_path: Path) -> None:
    text = """\
questions:
  - {id: q, title: Q, criteria: x, kind: binary, deadline: 2030-12-31, condition: nope}
  - {id: q, title: Q, criteria: x, kind: binary, deadline: 2030-12-31}
"""
    ledger, errors = load_text(text, "test.yaml")
    assert errors == []
    assert messages(
        validate.validate(ledger)
    ) == [  # CHECKS order: ids, then references
        "test.yaml:3: duplicate question id 'q' (first used at line 2)",
        "test.yaml:2: question 'nope' is not declared",
    ]
    path = tmp_path / "test.yaml"
    path.write_text(text, encoding="utf-8")
    _, errors = validate.check(str(path))
    assert [e.location.line for e in errors] == [2, 3]
    assert (
        validate.check_unique_ids,
        validate.check_references,
        validate.check_relations,
        validate.check_dates,
        validate.check_resolvers,
        validate.check_assessed,
        validate.check_not_yet,
        validate.check_settled,
        validate.check_skipped,
        validate.check_judges,
    ) == validate.CHECKS


def test_ids_are_unique_within_each_kind_of_record(loaded):
    """
    forecasters:
      - {id: same, name: A}
      - {id: same, name: B}
    sources:
      - {id: same, title: A, kind: post}
      - {id: same, title: B, kind: post}
    questions:
      - {id: same, title: A, criteria: x, kind: binary, deadline: 2030-12-31}
      - {id: same, title: B, criteria: x, kind: binary, deadline: 2030-12-31}
    """
    _, errors = loaded
    assert messages(errors) == [
        "test.yaml:3: duplicate forecaster id 'same' (first used at line 2)",
        "test.yaml:6: duplicate source id 'same' (first used at line 5)",
        "test.yaml:9: duplicate question id 'same' (first used at line 8)",
    ]


def test_references_are_declared_with_a_hint(loaded):
    """
    forecasters:
      - {id: alice, name: Alice}
    sources:
      - {id: blog, title: Blog, kind: post}
    questions:
      - id: foo-ships
        title: Foo ships
        criteria: x
        kind: binary
        deadline: 2030-12-31
        forecasts:
          - {by: alcie, made: 2025-01-01, source: blgo, p: 0.5, basis: stated}
          - {by: zed, made: 2025-01-01, source: tv, p: 0.5, basis: stated}
      - id: bar
        title: Bar
        criteria: x
        kind: binary
        deadline: 2030-12-31
        condition: foo-ship
    """
    _, errors = loaded
    assert messages(errors) == [
        "test.yaml:12: forecaster 'alcie' is not declared; did you mean 'alice'?",
        "test.yaml:12: source 'blgo' is not declared; did you mean 'blog'?",
        "test.yaml:13: forecaster 'zed' is not declared",
        "test.yaml:13: source 'tv' is not declared",
        "test.yaml:19: question 'foo-ship' is not declared; did you mean 'foo-ships'?",
    ]


def test_a_reference_to_a_broken_record_is_not_a_second_error(loaded):
    """
    forecasters:
      - {id: alice, name: [Alice]}
    questions:
      - id: q
        title: Q
        criteria: x
        kind: binary
        deadline: 2030-12-31
        forecasts:
          - {by: alice, made: 2025-01-01, p: 0.5, basis: stated}
      - id: r
        title: R
        criteria: x
        kind: binary
        deadline: 2030-13-31
      - id: s
        title: S
        criteria: x
        kind: binary
        deadline: 2030-12-31
        condition: r
    """
    _, errors = loaded
    assert messages(errors) == [
        "test.yaml:2: 'name' must be text, got a list",
        "test.yaml:15: impossible date '2030-13-31': there is no month 13",
    ]


def test_an_order_relates_two_date_questions_in_a_binary_one(loaded):
    """
    questions:
      - {id: robots, title: R, criteria: x, kind: date, deadline: 2035-12-31}
      - {id: units, title: U, criteria: x, kind: numeric, deadline: 2035-12-31}
      - id: good
        title: G
        criteria: x
        kind: binary
        deadline: 2035-12-31
        order: {before: robots, after: robots}
      - id: bad
        title: B
        criteria: x
        kind: date
        deadline: 2035-12-31
        order: {before: robots, after: units}
        outcomes:
          - {result: 2030-01-01, known: 2030-01-01, recorded: 2030-01-02}
    """
    _, errors = loaded
    assert messages(errors) == [
        "test.yaml:9: an order relation needs two different questions, got 'robots' twice",
        "test.yaml:15: a question with an 'order' resolves yes or no, so it must be "
        "kind: binary, not 'date'",
        "test.yaml:15: an order relation needs two date questions; 'units' is a "
        "numeric question",
        "test.yaml:17: an order question resolves by itself from its two date "
        "questions; record outcomes there, not here",
    ]


def test_cycles_are_reported_at_each_question_in_them(loaded):
    """
    questions:
      - {id: a, title: A, criteria: x, kind: binary, deadline: 2030-12-31, condition: b}
      - {id: b, title: B, criteria: x, kind: binary, deadline: 2030-12-31, condition: c}
      - {id: c, title: C, criteria: x, kind: binary, deadline: 2030-12-31, condition: b}
      - {id: d, title: D, criteria: x, kind: binary, deadline: 2030-12-31, condition: d}
    """
    _, errors = loaded
    assert messages(errors) == [
        "test.yaml:3: question 'b' depends on itself through its condition or order",
        "test.yaml:4: question 'c' depends on itself through its condition or order",
        "test.yaml:5: question 'd' depends on itself through its condition or order",
    ]


def test_forecasts_come_before_the_deadline(loaded):
    """
    forecasters:
      - {id: alice, name: Alice}
    questions:
      - id: q
        title: Q
        criteria: x
        kind: binary
        deadline: 2025-07
        forecasts:
          - {by: alice, made: 2025-07-31, p: 0.5, basis: stated}
          - {by: alice, made: 2025-07..2025-08, p: 0.5, basis: stated}
          - {by: alice, made: 2025-08-01, p: 0.5, basis: stated}
    """
    _, errors = loaded
    assert messages(errors) == [
        "test.yaml:12: forecast made 2025-08-01, after the question's deadline 2025-07"
    ]


def test_a_forecast_after_the_outcome_blames_whichever_was_written_later(loaded):
    """
    forecasters:
      - {id: alice, name: Alice}
    questions:
      - id: late-forecast
        title: Q
        criteria: x
        kind: binary
        deadline: 2025-12-31
        forecasts:
          - {by: alice, made: 2025-06-25, p: 0.9, basis: stated}
        outcomes:
          - {result: yes, known: 2025-06-18, recorded: 2025-06-20}
      - id: early-known
        title: Q
        criteria: x
        kind: binary
        deadline: 2025-12-31
        forecasts:
          - {by: alice, made: 2025-06-19, p: 0.9, basis: stated}
        outcomes:
          - {result: yes, known: 2025-06-18, recorded: 2025-06-30}
    """
    _, errors = loaded
    assert messages(errors) == [
        # recorded before the forecast was made: the forecast is the late addition
        "test.yaml:10: forecast made 2025-06-25, after its outcome was known on "
        "2025-06-18 (line 12); a forecast must come before the outcome",
        # recorded after it: the outcome's known date is the suspect
        "test.yaml:21: outcome known 2025-06-18, before the forecast at line 19 was "
        "made (2025-06-19)",
    ]


def test_forecasts_on_the_day_the_outcome_is_known_or_after_a_provisional_one_are_fine(
    loaded,
):
    """
    forecasters:
      - {id: alice, name: Alice}
    questions:
      - id: q
        title: Q
        criteria: x
        kind: binary
        deadline: 2025-12-31
        forecasts:
          - {by: alice, made: 2025-06-18, p: 0.9, basis: stated}
          - {by: alice, made: 2025-03-10, p: 0.6, basis: stated}
          - {by: alice, made: 2025-06..2025-07, p: 0.9, basis: stated}
        outcomes:
          - {result: provisional:0.7, known: 2025-03-01, recorded: 2025-03-02}
          - {result: yes, known: 2025-06-18, recorded: 2025-06-20}
    """
    _, errors = loaded
    assert errors == []


def test_an_outcome_is_known_before_it_is_recorded(loaded):
    """
    questions:
      - id: q
        title: Q
        criteria: x
        kind: binary
        deadline: 2025-12-31
        outcomes:
          - {result: yes, known: 2025-06-25, recorded: 2025-06-20}
          - {result: yes, known: 2025-06, recorded: 2025-06-20}
    """
    _, errors = loaded
    assert messages(errors) == [
        "test.yaml:8: outcome known 2025-06-25, after it was recorded on 2025-06-20; "
        "an outcome cannot be written down before it is known"
    ]
