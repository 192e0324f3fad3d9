"""Hedge words and stated numbers: which probability a sentence puts on its claim."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ledger.core import words
from ledger.extract.probability import probability

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("There is a 10 to 20% chance of it.", ("a 10 to 20% chance", 0.15, "stated")),
        ("Not really, 10% to 20%.", ("10% to 20%", 0.15, "stated")),
        ("I'd say one in ten odds.", ("one in ten odds", 0.1, "stated")),
        ("It's a coin flip whether it ships.", ("a coin flip", 0.5, "stated")),
        ("Honestly it's fifty-fifty.", ("fifty-fifty", 0.5, "stated")),
        ("I'm 90 percent sure.", ("90 percent", 0.9, "stated")),
        ("It will likely be painful.", ("likely", 0.675, "mapped")),
        ("There's almost certainly a better way.", ("almost certainly", 0.97, "mapped")),
        ("It is highly likely to pass.", ("highly likely", 0.875, "mapped")),
    ],
)
def test_numbers_win_over_words_and_words_map_with_the_table(text: str, expected: tuple) -> None:
    found = probability(text, "icd-203")
    assert (found.words, found.p, found.basis) == expected


def test_a_stated_range_says_so_and_mentions_other_words() -> None:
    found = probability("It's likely, maybe a 10 to 20% chance.", "icd-203")
    assert (found.p, found.basis) == (0.15, "stated")
    assert found.note == "stated as a range, 10% to 20%; p is its midpoint; also says 'likely'"


@pytest.mark.parametrize("text", ["10% of jobs will go.", "Sales grew by 12%.",
                                  "One in ten Americans owns a boat."])
def test_a_quantity_is_not_a_probability(text: str) -> None:
    found = probability(text, "icd-203")
    assert found is None or found.basis != "stated"


@pytest.mark.parametrize(
    ("table", "text", "p"),
    [
        ("kent-1964", "It is almost certain.", 0.93),
        ("kent-1964", "It is probable.", 0.75),
        ("kent-1964", "It is probably not going to work.", 0.3),
        ("kent-1964", "Chances about even.", 0.5),
        ("fagen-2019", "We believe it will.", 0.75),
        ("fagen-2019", "It is likely.", 0.7),
        ("fagen-2019", "It is highly unlikely.", 0.05),
        ("mauboussin-2018", "It is likely.", 0.7),
    ],
)
def test_each_table_maps_its_words(table: str, text: str, p: float) -> None:
    found = probability(text, table)
    assert (found.p, found.table, found.basis) == (p, table, "mapped")


def test_words_the_table_lacks_keep_p_null_and_say_so() -> None:
    found = probability("It could happen.", "icd-203")
    assert (found.words, found.p, found.basis, found.modal) == ("could", None, None, True)
    found = probability("It might happen.", "icd-203")  # a mauboussin-2018 phrase
    assert (found.words, found.p, found.modal) == ("might happen", None, False)
    found = probability("There's maybe a chance.", "icd-203")
    assert (found.words, found.p) == ("maybe", None)
    assert found.note == "'maybe' is not a phrase of table 'icd-203'"
    found = probability("There's a good chance it works.", "icd-203")
    assert (found.words, found.p) == ("a good chance", None)


def test_a_negated_hedge_is_never_inverted() -> None:
    found = probability("This is not likely to work.", "icd-203")
    assert (found.words, found.p, found.negated) == ("not likely", None, True)
    found = probability("It probably won't ship.", "icd-203")
    assert (found.words, found.p, found.negated) == ("probably won't", None, True)
    found = probability("It probably won't ship.", "kent-1964")
    assert (found.words, found.p, found.negated) == ("probably won't", 0.3, False)
    found = probability("It is more likely than not.", "icd-203")
    assert (found.words, found.p) == ("more likely", None)


def test_frequency_words_and_determiners_are_no_hedges() -> None:
    assert probability("Certain tasks are hard.", "kent-1964") is None
    assert probability("The user often has to step in.", "mauboussin-2018") is None
    assert probability("We believe in open source.", "fagen-2019") is None


def test_kent_matches_the_research_copy() -> None:
    vectors = json.loads((ROOT / "tests" / "data" / "scoring-vectors.json").read_text("utf-8"))
    research = vectors["reference_tables"]["sherman_kent_1964"]["rows"]
    shipped = words.tables()["kent-1964"]["rows"]
    assert [(r["term"], r["centre_pct"] / 100) for r in research] == [
        (row["terms"][0], row["p"]) for row in shipped
    ]
    for row, theirs in zip(shipped, research, strict=True):
        centre, give = theirs["centre_pct"], theirs["give_or_take_pct"]
        assert row["range_pct"] == [centre - give, centre + give]
        expected = {s for s in theirs.get("synonyms", []) if "(" not in s and " not" not in s}
        assert expected <= {*row["terms"], *row.get("variants", [])}, row["terms"]


def test_fagen_rows_are_survey_summaries() -> None:
    table = words.tables()["fagen-2019"]
    assert len(table["rows"]) == 17
    for row in table["rows"]:
        assert row["n"] == 123
        assert row["p25"] <= row["p"] <= row["p75"]
    assert words.map_words("fagen-2019", "almost no chance") == 0.02
    assert "no licence" in table["citation"]


def test_no_table_maps_one_phrase_twice() -> None:
    for name, table in words.tables().items():
        phrases = [p.lower() for row in table["rows"] for p in (*row["terms"], *row.get("variants", []))]
        assert len(phrases) == len(set(phrases)), name
