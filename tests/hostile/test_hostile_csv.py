"""CSV safe for spreadsheets (issue 13, problem 8).

A title `=cmd|' /C calc'!A0` and tags `=evil()`, `+x` were written raw by every
CSV ledger writes, so a spreadsheet opening the file ran them as formulas; in
`export`, a tag holding `;` could not be told apart from two tags. Now every
CSV goes through `ledger.show.csvtext`: a text cell starting with `=`, `+`,
`-`, `@`, a tab or a carriage return gets a `'` in front (OWASP), numbers are
left alone, and a list is a JSON array in its cell.
"""

from __future__ import annotations

import csv
import io
import json
from typing import TYPE_CHECKING

import pytest
from click.testing import CliRunner

from ledger.cli import main
from ledger.show.csvtext import RISKY, cell

if TYPE_CHECKING:
    from pathlib import Path

TITLE = "=cmd|' /C calc'!A0"
TAGS = ["=evil()", "+x", "a;b", "@sum(1)", "-2+3", "plain"]

LEDGER = f"""\
forecasters:
  - {{id: alice, name: Alice}}
  - {{id: bob, name: Bob}}
questions:
  - id: hostile
    title: "{TITLE}"
    criteria: Resolves yes if it does.
    kind: binary
    deadline: 2026-06-01
    tags: {json.dumps(TAGS)}
    forecasts:
      - {{by: alice, made: 2026-05-01, p: 0.7, basis: stated}}
      - {{by: bob, made: 2026-05-01, p: 0.2, basis: stated}}
    outcomes:
      - {{result: yes, known: 2026-06-02, recorded: 2026-06-02}}
  - id: open-one
    title: "@SUM(1+1)*cmd|' /C calc'!A0"
    criteria: "-1+1"
    kind: binary
    deadline: 2026-06-20
    tags: ["=evil()"]
    forecasts:
      - {{by: alice, made: 2026-05-01, p: 0.4, basis: stated}}
  - id: numeric
    title: "+Plus (a tab in a title is refused by check since issue 13, point 19)"
    criteria: A number.
    kind: numeric
    unit: degrees
    deadline: 2026-06-01
    forecasts:
      - {{by: alice, made: 2026-05-01, window: [-5, 3], p: 0.8, basis: stated}}
    outcomes:
      - {{result: -2, known: 2026-06-02, recorded: 2026-06-02}}
"""

COMMANDS = {
    "list": ["list", "L.yaml", "--format", "csv"],
    "due": ["due", "L.yaml", "--as-of", "2026-06-10", "--format", "csv"],
    "export": ["export", "L.yaml", "--as-of", "2026-06-10"],
    "score-by-tag": ["score", "L.yaml", "--by", "tag", "--as-of", "2026-06-10",
                     "--format", "csv"],
    "score-explain": ["score", "L.yaml", "--explain", "hostile", "--as-of",
                      "2026-06-10", "--format", "csv"],
    "compare-balance": ["compare", "L.yaml", "--balance-by", "", "--as-of",
                        "2026-06-10", "--format", "csv"],
}


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "L.yaml").write_text(LEDGER, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def csv_of(*args: str) -> list[list[str]]:
    result = CliRunner().invoke(main, list(args), prog_name="ledger")
    assert result.exit_code == 0, (result.output, result.exc_info)
    return list(csv.reader(io.StringIO(result.stdout)))


def is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


@pytest.mark.parametrize("name", list(COMMANDS))
def test_no_cell_of_any_csv_starts_a_formula(here: Path, name: str) -> None:
    rows = csv_of(*COMMANDS[name])
    assert len(rows) > 1
    risky = [
        value for row in rows for value in row
        if value.startswith(RISKY) and not is_number(value)
    ]
    assert risky == []


@pytest.mark.parametrize("name", ["list", "due"])
def test_the_hostile_title_is_kept_as_text_behind_a_quote(here: Path, name: str) -> None:
    cells = {value for row in csv_of(*COMMANDS[name]) for value in row}
    assert "'" + TITLE in cells or "'@SUM(1+1)*cmd|' /C calc'!A0" in cells


def test_tags_round_trip_through_export(here: Path) -> None:
    rows = csv_of(*COMMANDS["export"])
    header, body = rows[0], rows[1:]
    tags = [json.loads(row[header.index("tags")]) for row in body
            if row[header.index("question")] == "hostile"]
    # Each tag comes back whole (`a;b` is one tag); risky ones behind a quote.
    assert tags[0] == TAGS


def test_score_by_tag_names_each_tag_safely(here: Path) -> None:
    rows = csv_of(*COMMANDS["score-by-tag"])
    first = [row[0] for row in rows[1:]]
    assert "'=evil()" in first and "'+x" in first and "a;b" in first


def test_numbers_are_left_alone(here: Path) -> None:
    rows = csv_of(*COMMANDS["list"])
    header = rows[0]
    windows = [(r[header.index("window_start")], r[header.index("window_end")])
               for r in rows[1:] if r[0] == "numeric"]
    assert windows == [("-5", "3")]
    export = csv_of(*COMMANDS["export"])
    outcome = [r[export[0].index("result_low")] for r in export[1:] if r[0] == "numeric"]
    assert outcome == ["-2.0"]


@pytest.mark.parametrize(("value", "written"), [
    ("=1+1", "'=1+1"), ("+x", "'+x"), ("-x", "'-x"), ("@x", "'@x"),
    ("\tx", "'\tx"), ("\rx", "'\rx"), ("-", "'-"), ("-inf", "'-inf"),
    ("-0.25", "-0.25"), ("+3", "+3"), ("1e-5", "1e-5"), ("-1.5E+3", "-1.5E+3"),
    ("x=1", "x=1"), ("", ""), (-2, -2), (None, None),
    (("a;b", "c"), '["a;b","c"]'), ([], "[]"),
])
def test_the_cell_rule(value: object, written: object) -> None:
    assert cell(value) == written
