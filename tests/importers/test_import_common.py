"""What the importers share: slugs, line numbers in input files, the generated YAML."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import pytest

from ledger.core import jsontext
from ledger.core.model import Forecast, Forecaster, Location, Outcome, Question, Source
from ledger.core.numbers import parse_probability
from ledger.importers import common, read
from ledger.importers.forecastbench.read import json_text
from ledger.loader.fields import without_controls
from ledger.loader.load import load_text
from ledger.validate import validate

if TYPE_CHECKING:
    from pathlib import Path


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("SbZAVaBSo6", "sbzavabso6"),
        ("  Ada  Lovelace ", "ada-lovelace"),
        ("--Q1!!", "q1"),
        ("Émile Borel", "mile-borel"),
        ("x" * 48, "x" * 48),
    ],
)
def test_slugify(text: str, slug: str) -> None:
    assert common.slugify(text) == slug


def test_long_slugs_end_in_a_hash_of_the_whole() -> None:
    a, b = common.slugify("y" * 60 + "a"), common.slugify("y" * 60 + "b")
    assert len(a) == len(b) == 48 and a != b
    assert a.startswith("y" * 39 + "-")
    assert common.slugify("y" * 60 + "a") == a  # stable


def test_unique_ids_do_not_depend_on_order() -> None:
    wanted = {"Q1": "q1", "q1": "q1", "Q-1": "q1", "two": "two"}
    forward = common.unique_ids(wanted)
    backward = common.unique_ids(dict(reversed(wanted.items())))
    assert forward == backward
    assert forward["two"] == "two"
    assert len(set(forward.values())) == 4


@pytest.mark.parametrize(
    "value",
    [
        "plain",
        "yes",
        "null",
        "a: b",
        "line\nbreak",
        'quote " and \\',
        "tab\there",
        "del \x7f",
        "nel \x85",
        "ls \u2028",
        "bell \x07",
        "emoji \U0001f600",
        "  padded  ",
        "#hash",
        "- dash",
        "[flow]",
        "{map}",
        "100%",
        "1e3",
        "2026-01-01",
    ],
)
def test_any_text_reads_back_through_the_ledger_loader(value: str) -> None:
    at = Location("input.csv", 2)
    questions = [
        Question(location=at, id="q", title=value, criteria=value, kind="binary",
                 deadline=common.when("2026-12-31"), tags=(value,))
    ]
    forecasters = [Forecaster(location=at, id="f", name=value, note=value)]
    text = common.render("header", forecasters, [], questions)
    ledger, errors = load_text(text, "t.yaml")
    assert errors == []
    # one-line fields get a space for each control character; paragraphs keep it
    shown = without_controls(value)
    assert ledger.questions[0].title == shown
    assert ledger.questions[0].tags == (shown,)
    assert ledger.forecasters[0].name == shown
    assert ledger.questions[0].criteria == value
    assert ledger.forecasters[0].note == value


def test_render_is_sorted_and_compact() -> None:
    at, day = Location("input.csv", 2), common.when("2026-02-01")
    march = common.when("2026-03-01")
    deadline = common.when("2026-12-31")
    question = Question(
        location=at, id="b", title="B", criteria="c", kind="binary", deadline=deadline,
        tags=("category:market",),
        forecasts=(
            Forecast(location=at, by="z", made=day, p=0.5, basis="stated", source="s"),
            Forecast(location=at, by="a", made=day, p=1e-05, basis="stated"),
        ),
        outcomes=(
            Outcome(location=at, result=common.provisional(0.37), known=march,
                    recorded=march, by="X"),
        ),
    )
    text = common.render(
        "Imported by me",
        [Forecaster(location=at, id="z", name="Z"),
         Forecaster(location=at, id="a", name="A")],
        [Source(location=at, id="s", title="S", kind="dataset")],
        [question, Question(location=at, id="a", title="A", criteria="c", kind="binary",
                            deadline=deadline)],
    )
    assert text == (
        "# Imported by me\n"
        "forecasters:\n"
        "  - id: a\n    name: A\n"
        "  - id: z\n    name: Z\n"
        "sources:\n"
        "  - id: s\n    title: S\n    kind: dataset\n"
        "questions:\n"
        "  - id: a\n    title: A\n    criteria: c\n    kind: binary\n    deadline: 2026-12-31\n"
        "  - id: b\n    title: B\n    criteria: c\n    kind: binary\n    deadline: 2026-12-31\n"
        '    tags: ["category:market"]\n'
        "    forecasts:\n"
        "      - {by: a, made: 2026-02-01, p: 1e-05, basis: stated}\n"
        "      - {by: z, made: 2026-02-01, p: 0.5, basis: stated, source: s}\n"
        "    outcomes:\n"
        '      - {result: "provisional:0.37", known: 2026-03-01, recorded: 2026-03-01, by: X}\n'
    )
    ledger, errors = load_text(text, "t.yaml")
    assert errors + validate(ledger) == []
    assert ledger.questions[1].forecasts[0].p == 1e-05


def test_item_lines_finds_every_record() -> None:
    data = {
        "meta": {"rows": [1, 2]},
        "rows": [{"id": i, "text": "a\nb"} for i in range(3)],
    }
    text = json.dumps(data, indent=4)
    lines = jsontext.item_lines(text, "rows")
    numbered = text.splitlines()
    assert [numbered[line - 1].strip() for line in lines] == ["{"] * 3
    assert [numbered[line].strip() for line in lines] == [
        '"id": 0,',
        '"id": 1,',
        '"id": 2,',
    ]
    assert jsontext.item_lines("[1, 2]", "rows") == []
    assert jsontext.item_lines('{"rows": [1, 2', "rows") == [1, 1]  # gives up quietly


def test_probability_forms() -> None:
    assert parse_probability("70%") == 0.7
    assert parse_probability(json_text(70), percent=True) == 0.7
    assert parse_probability("12.5", percent=True) == 0.125
    assert parse_probability(json_text(0)) == 0.0
    for bad in (True, None, "", "nan", float("inf"), -0.1, "1.01"):
        with pytest.raises(ValueError):
            parse_probability(json_text(bad))


def test_iso_day() -> None:
    assert common.iso_day("2025-10-16T00:00:00+00:00") == "2025-10-16"
    assert common.iso_day("2024-03-05 14:07:9") == "2024-03-05"
    for bad in ("N/A", None, "2025-02-30", "05/03/2024"):
        with pytest.raises(ValueError):
            common.iso_day(bad)


def test_no_progress_yields_the_items_unchanged() -> None:
    items = [1, 2, 3]
    with common.no_progress(items, "reading") as seen:
        assert seen is items  # the CLI passes a progress bar instead (cli tests)


def test_an_imported_ledger_that_would_not_pass_check_is_not_written() -> None:
    # A bug in an importer, not in its input: reported against the output file.
    at, day = Location("input.csv", 2), common.when("2026-02-01")
    question = Question(
        location=at, id="q", title="Q", criteria="c", kind="binary",
        deadline=common.when("2026-12-31"),
        forecasts=(Forecast(location=at, by="ghost", made=day, p=0.5, basis="stated"),),
    )
    imported = common.finish(common.Imported(), "Imported", [], [], [question], "out.yaml")
    assert [str(e) for e in imported.errors] == [
        "out.yaml:11: (not written) the imported ledger would not pass ledger check: "
        "forecaster 'ghost' is not declared"
    ]


def test_a_file_that_cannot_be_read_is_an_error_at_line_one(tmp_path: Path) -> None:
    # The commands only pass files that exist; reading can still fail (a folder here).
    text, errors = read.read_text(str(tmp_path))
    assert text is None
    assert [str(e) for e in errors] == [f"{tmp_path}:1: cannot read the file: Is a directory"]
