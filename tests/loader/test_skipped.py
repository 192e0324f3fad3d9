"""The ledger's `skipped:` section: claims considered and deliberately not scored."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

from ledger.core import model, words
from ledger.loader.load import load_file, load_text
from ledger.validate import check

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = json.loads((ROOT / "ledger" / "schema.json").read_text(encoding="utf-8"))

HEAD = """\
forecasters:
  - {id: alice, name: Alice}
sources:
  - {id: blog, title: Alice's blog, kind: post}
"""


def test_a_skipped_entry_is_read_with_its_lines() -> None:
    text = HEAD + """\
skipped:
  - quote: "Bar might ship one day."
    source: blog
    by: alice
    reason: >-
      No horizon.
"""
    ledger, errors = load_text(text, "t.yaml")
    assert errors == []
    (entry,) = ledger.skipped
    assert (entry.quote, entry.source, entry.by, entry.reason) == (
        "Bar might ship one day.", "blog", "alice", "No horizon.",
    )
    assert (str(entry.location), str(entry.at("reason"))) == ("t.yaml:6", "t.yaml:9")


def test_skipped_entries_of_included_files_are_merged(tmp_path: Path) -> None:
    (tmp_path / "main.yaml").write_text(
        HEAD + "include: [more.yaml]\nskipped:\n  - {quote: a, source: blog, reason: r}\n",
        encoding="utf-8",
    )
    (tmp_path / "more.yaml").write_text(
        "skipped:\n  - {quote: b, source: blog, reason: r}\n", encoding="utf-8"
    )
    ledger, errors = load_file(str(tmp_path / "main.yaml"))
    assert errors == []
    assert [s.quote for s in ledger.skipped] == ["a", "b"]


def test_every_problem_of_a_skipped_entry_is_reported_at_once(tmp_path: Path) -> None:
    path = tmp_path / "t.yaml"
    path.write_text(
        HEAD
        + "questions:\n"
        "  - id: q\n    title: Q\n    criteria: c\n    kind: binary\n    deadline: 2030\n"
        "    forecasts:\n"
        "      - {by: alice, made: 2026, p: 0.7, basis: stated, quote: Foo will ship.}\n"
        "skipped:\n"
        "  - {quote: Foo will ship., source: blog, reason: r}\n"
        "  - {quote: x, source: blgo, by: bob, reason: r}\n"
        "  - {quote: x, source: blgo, reason: r}\n"
        "  - {quote: y, source: blog}\n",
        encoding="utf-8",
    )
    _, errors = check(str(path))
    assert [str(e).replace(str(tmp_path) + "/", "") for e in errors] == [
        "t.yaml:14: this quote is skipped and also scored: question 'q' quotes it at line 12; remove one",
        "t.yaml:15: source 'blgo' is not declared; did you mean 'blog'?",
        "t.yaml:15: forecaster 'bob' is not declared",
        "t.yaml:16: source 'blgo' is not declared; did you mean 'blog'?",
        "t.yaml:16: this quote from source 'blgo' is already skipped at line 15",
        "t.yaml:17: skipped entry is missing required field 'reason'",
    ]


def test_the_schema_describes_the_skipped_record() -> None:
    fields = {f.name for f in dataclasses.fields(model.Skipped)}
    skipped = SCHEMA["definitions"]["skipped"]
    assert set(skipped["properties"]) <= fields
    assert skipped["required"] == ["quote", "source", "reason"]
    assert SCHEMA["properties"]["skipped"]["items"] == {"$ref": "#/definitions/skipped"}


def test_the_schema_lists_every_shipped_table() -> None:
    enum = SCHEMA["definitions"]["forecast"]["properties"]["table"]["enum"]
    assert enum == list(words.table_names())


def test_the_shipped_ledger_lists_the_four_claims_it_left_out() -> None:
    ledger, errors = check(str(ROOT / "predictions.yaml"))
    assert errors == []
    summary = (ROOT.parent / "shared" / "source" / "interview-summary.txt")
    quotes = [s.quote for s in ledger.skipped]
    assert len(quotes) == 4
    assert {s.source for s in ledger.skipped} == {"bulletpointpodcast-tworek-summary"}
    for needle in ("can persist for a long time", "could eventually",
                   "data-constrained, not compute-constrained", "virtual worlds"):
        assert sum(needle in q for q in quotes) == 1, needle
    if summary.exists():  # the source the quotes are copied from, verbatim
        text = summary.read_text(encoding="utf-8")
        assert all(q in text for q in quotes)
