"""Words: verbal-probability tables, and the one "did you mean" of every message.

The verbal-probability tables turn hedge words into a number, with citations;
`did_you_mean` serves every message that names an unknown word. The tables
ship in `tables.json` (ICD 203 range midpoints; Mauboussin & Mauboussin 2018
survey medians; Sherman Kent's 1964 words of estimative probability;
Fagen-Ulmschneider's 2019 survey medians). Each row lists its source's own
`terms` and, optionally, `variants`: other phrasings it also matches, which
the table's `variants_note` says where they come from. A `mapped` forecast
names its table and keeps the words; this module is the only place that turns
words into a probability.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Iterable


@cache
def tables() -> dict[str, Any]:
    """The shipped tables, keyed by name (`icd-203`, `mauboussin-2018`, ...)."""
    text = Path(__file__).with_name("tables.json").read_text("utf-8")
    loaded: dict[str, Any] = json.loads(text)["tables"]
    return loaded


def _normal(words: str) -> str:
    """Words compared without case and with single spaces."""
    return " ".join(words.lower().split())


@cache
def _terms(table: str) -> dict[str, float]:
    """A table's terms, normalised, and the probability of each."""
    return {
        _normal(term): float(row["p"])
        for row in tables()[table]["rows"]
        for term in (*row["terms"], *row.get("variants", ()))
    }


def phrases(table: str) -> dict[str, float]:
    """Every phrase `table` matches (terms and variants, lowercased) and its p.

    >>> phrases("kent-1964")["almost certainly not"]
    0.07
    """
    return dict(_terms(table))


def table_names() -> tuple[str, ...]:
    """Names a `mapped` forecast may use in `table:`."""
    return tuple(tables())


def map_words(table: str, words: str) -> float:
    """The probability `table` gives to `words`.

    Raises KeyError with a message (and a did-you-mean) for unknown words.

    >>> map_words("icd-203", "Likely")
    0.675
    >>> map_words("mauboussin-2018", "probably")
    0.7
    >>> map_words("fagen-2019", "we doubt"), map_words("kent-1964", "probable")
    (0.2, 0.75)
    """
    terms = _terms(table)
    key = _normal(words)
    if key in terms:
        return terms[key]
    hint = did_you_mean(key, terms)
    raise KeyError(f"'{words}' is not a phrase of table '{table}'{hint}")


def did_you_mean(
    word: str, choices: Iterable[str], shown: dict[str, str] | None = None
) -> str:
    """`; did you mean 'x'?` for the closest choice, or '' when none is close.

    With `shown`, the hint names `shown[choice]` instead: a forecaster's id
    for the name or alias that came closest.

    >>> did_you_mean("alcie", ["alice", "bob"])
    "; did you mean 'alice'?"
    >>> names = {"jerry tworek": "jerry-tworek"}
    >>> did_you_mean("jerry torqe", names, shown=names)
    "; did you mean 'jerry-tworek'?"
    """
    import difflib  # only on the error path: keeps `ledger check` start-up short

    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    if not close:
        return ""
    return f"; did you mean '{close[0] if shown is None else shown[close[0]]}'?"
