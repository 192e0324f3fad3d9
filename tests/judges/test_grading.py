"""The outcome that stands on a judged question: each rule, as of a date.

Also: both load paths read `judges:` and `grading:` into the same records.
"""

from __future__ import annotations

import datetime as dt

import pytest
from judged import FORECASTERS, question

from ledger.core import grading, rules
from ledger.loader import direct, nodes, records
from ledger.loader.load import load_text

HEAD = FORECASTERS + "questions:\n" + question()


def ledger_of(results: list[str], rule: str | None = None, day: str = "2028-01-0"):
    """A one-question ledger whose judges bob, cy, dee grade `results` in turn."""
    text = HEAD + (f"    grading: {rule}\n" if rule else "")
    text += "    forecasts:\n      - {by: ann, made: 2026-01-01, p: 0.7, basis: stated}\n"
    text += "    outcomes:\n"
    for i, (judge, result) in enumerate(zip(["bob", "cy", "dee"], results, strict=False)):
        text += (f"      - {{result: \"{result}\", known: {day}{i + 1}, "
                 f"recorded: {day}{i + 1}, by: {judge}, note: why}}\n")
    ledger, errors = load_text(text, "judged.yaml")
    assert errors == []
    return ledger


def standing(results: list[str], rule: str | None = None, as_of=dt.date(2028, 2, 1)):
    question = ledger_of(results, rule).questions[0]
    found = rules.outcome(question, {question.id: question}, as_of)
    return found


@pytest.mark.parametrize(
    ("results", "rule", "expected"),
    [
        (["yes", "yes", "no"], None, "yes"),  # majority by default
        (["yes", "no", "ambiguous"], "majority", "ambiguous"),  # a three-way tie
        (["yes", "no"], "majority", "ambiguous"),  # a tie of two
        (["ambiguous", "ambiguous", "yes"], "majority", "ambiguous"),
        (["void", "void", "no"], "majority", "void"),
        (["0.5", "0.5", "yes"], "majority", "0.5"),
        (["yes", "yes", "yes"], "unanimous", "yes"),
        (["yes", "yes", "no"], "unanimous", "ambiguous"),
        (["yes", "no", "0.5"], "mean", "0.500"),
        (["yes", "yes", "ambiguous"], "mean", "yes"),
        (["no", "void"], "mean", "no"),
        (["void", "void"], "mean", "void"),
        (["void", "ambiguous"], "mean", "ambiguous"),
    ],
)
def test_each_rule_combines_the_latest_gradings(results, rule, expected):
    found = standing(results, rule)
    assert found is not None
    assert str(found.result) == expected
    assert found.derived is not None and found.derived.startswith(rule or "majority")


def test_the_mean_is_exact_and_says_how_it_was_combined():
    found = standing(["yes", "no", "0.25"], "mean")
    assert found.result.kind == "fraction"
    assert found.result.value == pytest.approx(1.25 / 3, abs=1e-15)
    assert found.derived == "mean of 3 judges: bob yes, cy no, dee 0.25; disputed"


def test_only_gradings_known_by_the_as_of_date_count():
    # bob graded on the 1st, cy on the 2nd, dee on the 3rd
    assert standing(["yes", "no", "no"], as_of=dt.date(2028, 1, 1)).result.kind == "yes"
    second = standing(["yes", "no", "no"], as_of=dt.date(2028, 1, 2))
    assert second.result.kind == "ambiguous"
    assert standing(["yes", "no", "no"], as_of=dt.date(2028, 1, 3)).result.kind == "no"
    assert standing(["yes"], as_of=dt.date(2027, 12, 31)) is None


def test_a_judges_latest_grading_is_theirs():
    text = HEAD + """\
    outcomes:
      - {result: yes, known: 2028-01-01, recorded: 2028-01-01, by: bob}
      - {result: no, known: 2028-01-01, recorded: 2028-01-02, by: cy}
      - {result: no, known: 2028-01-01, recorded: 2028-01-05, by: bob, note: on reflection}
"""
    ledger, errors = load_text(text, "judged.yaml")
    assert errors == []
    question = ledger.questions[0]
    found = rules.outcome(question, {}, dt.date(2028, 2, 1))
    assert found.result.kind == "no"
    latest = grading.latest(question, question.outcomes)
    assert [(j, str(g.result)) for j, g in latest.items()] == [("bob", "no"), ("cy", "no")]
    assert not grading.disputed(latest.values())


def test_questions_without_judges_keep_the_latest_entry():
    text = HEAD.replace("    judges: [bob, cy, dee]\n", "") + """\
    outcomes:
      - {result: yes, known: 2028-01-01, recorded: 2028-01-01, by: bob}
      - {result: no, known: 2028-01-01, recorded: 2028-01-02, by: cy}
      - {result: yes, known: 2028-01-01, recorded: 2028-01-03, by: dee}
      - {result: no, known: 2028-01-01, recorded: 2028-01-04, by: eve}
"""
    ledger, _ = load_text(text, "plain.yaml")
    found = rules.outcome(ledger.questions[0], {}, dt.date(2028, 2, 1))
    assert found.result.kind == "no" and found.derived is None and found.by == "eve"


def test_a_judged_question_reads_the_same_on_both_paths():
    text = HEAD + "    grading: mean\n" + """\
    outcomes:
      - {result: yes, known: 2028-01-01, recorded: 2028-01-01, by: bob, note: plain}
      - {result: "0.5", known: 2028-01-01, recorded: 2028-01-02, by: cy}
"""
    fast, _ = direct.build(text, "judged.yaml")
    root, errors = nodes.compose(text, "judged.yaml")
    assert errors == []
    slow, _ = records.read_root(root, "judged.yaml")
    assert fast.questions == slow.questions
    assert fast.questions[0].judges == ("bob", "cy", "dee")
    assert fast.questions[0].grading == "mean"
