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
        "malformed horizon '6 months'; write +N followed by y, m, w or d, like +2y",
        "span 2: 'window' must be [start, end]",
        "span 3: a window needs a start (an end may be null)",
        "span 4: window end: impossible date '2030-13': there is no month 13",
        "span 5 needs 'phrases': a list of non-empty texts",
    ]
    lines = [int(e.split(":")[1]) for e in errors]
    assert lines[0] > 1 and lines == sorted(lines)


def test_a_file_that_is_not_conventions_says_so() -> None:
    assert read_conventions("{", "c.json")[1][0].message.startswith("not valid JSON")
    assert [str(e) for e in read_conventions("[]", "c.json")[1]] == [
        "c.json:1: the file must hold a JSON object"]
    assert problems({"approximate": {"slack": {"year": "+6m"}}, "spans": {}}) == [
        "c.json:3: 'slack' must give exactly these units: decade, year, month, week, day",
        "c.json:7: 'spans' must be a list of {phrases, window, rule} objects",
    ]
