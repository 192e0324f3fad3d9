"""The conventions for vague horizons: the shipped file, and a keeper's own, checked."""

from __future__ import annotations

import json
from pathlib import Path

from ledger.core.conventions import read_conventions, shipped

SHIPPED = Path(shipped().path)


def test_the_shipped_file_reads_and_lists_the_issues_spans() -> None:
    conventions = shipped()
    for phrase in ("within decades", "in our lifetime", "soon", "for a long time"):
        assert conventions.span(phrase) is not None, phrase
    assert conventions.slack_text == {"decade": "+2y", "year": "+6m", "month": "+1m",
                                      "week": "+1w", "day": "+1d"}
    assert conventions.span("Within  Decades").text == ("+0d", "+30y")


def problems(data: object) -> list[str]:
    text = json.dumps(data, indent=1)
    found, errors = read_conventions(text, "c.json")
    assert (found is None) == bool(errors)
    return [str(e) for e in errors]


def test_every_problem_of_a_keepers_file_is_reported_with_its_line() -> None:
    data = json.loads(SHIPPED.read_text(encoding="utf-8"))
    assert problems(data) == []
    data["approximate"]["slack"]["year"] = "6 months"
    data["spans"][1]["window"] = ["+0d"]
    data["spans"][2]["window"] = [None, "+10y"]
    data["spans"][3]["window"] = ["+0d", "2030-13"]
    data["spans"][4]["phrases"] = []
    errors = problems(data)
    assert [e.split(": ", 1)[1] for e in errors] == [
        "slack of 'year': malformed horizon '6 months'; write +N followed by y, m, w or d, like +2y",
        "span 2: 'window' must be [start, end]",
        "span 3: a window needs a start (an end may be null)",
        "span 4: window end: impossible date '2030-13': there is no month 13",
        "span 5 needs 'phrases': a list of non-empty texts",
    ]
    lines = [int(e.split(":")[1]) for e in errors]
    assert lines[0] > 1 and lines == sorted(lines)


def test_a_file_that_is_not_conventions_says_so() -> None:
    assert [str(e) for e in read_conventions("{", "c.json")[1]] == [
        "c.json:1: invalid JSON: Expecting property name enclosed in double quotes (column 2)"]
    assert [str(e) for e in read_conventions("[]", "c.json")[1]] == [
        "c.json:1: the file must hold a JSON object"]
    assert problems({"approximate": {"slack": {"year": "+6m"}}, "spans": {}}) == [
        "c.json:3: 'slack' must give exactly these units: decade, year, month, week, day "
        "(no 'decade'; no 'month'; no 'week'; no 'day')",
        "c.json:7: 'spans' must be a list of {phrases, window, rule} objects",
    ]


def test_json_that_python_cannot_read_is_an_error_not_a_traceback() -> None:
    deep = '{"spans": ' + "[" * 100_000 + "\n"
    assert [str(e) for e in read_conventions(deep, "c.json")[1]] == [
        "c.json:1: invalid JSON: nesting is too deep"]
    long = '{"spans": [],\n "approximate": ' + "9" * 5000 + "}"
    assert [str(e) for e in read_conventions(long, "c.json")[1]] == [
        "c.json:2: invalid JSON: a number has too many digits"]


def test_each_problem_is_at_the_line_of_its_own_span() -> None:
    data = json.loads(SHIPPED.read_text(encoding="utf-8"))
    data["spans"][0] = "soon"  # not an object: the line where it starts
    del data["spans"][1]["window"]  # no window: the line where the span starts
    data["spans"][2]["window"] = ["+0d", True]  # shown as JSON
    data["approximate"] = {"rule": "none"}
    data = {"spans": data["spans"], "approximate": data["approximate"]}  # spans first
    text = json.dumps(data, indent=1)
    numbered = text.splitlines()
    errors = [(e.location.line, e.message) for e in read_conventions(text, "c.json")[1]]
    assert [message for _, message in errors] == [
        "span 1 must be an object with phrases, window and rule",
        "span 2: 'window' must be [start, end]",
        "span 3: window end true must be text like +30y or 2050",
        "'approximate' needs 'slack': a horizon like +6m for each unit: "
        "decade, year, month, week, day",
    ]
    lines = [numbered[line - 1].strip() for line, _ in errors]
    assert lines == ['"soon",', "{", '"window": [', '"approximate": {']
    assert errors == sorted(errors)
