"""Coverage: which candidates a ledger already holds, as a forecast or a skipped entry.

A candidate is covered by a question when one of the question's forecasts
quotes it: by verbatim overlap, compared without case, spacing or the kind of
quote marks and dashes. The two texts overlap when one contains the other or
when they share a run of at least 60% of the shorter one (and at least 30
characters), so a quote of a whole passage covers each sentence of it and a
candidate clause is covered by the sentence it was cut from. The ledger's
`skipped:` entries cover the same way: the claim was weighed and left out.
"""

from __future__ import annotations

import difflib
import re
from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Sequence

    from ledger.core.model import Ledger, Skipped
    from ledger.extract.model import Extraction

_FOLD = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "–": "-", "—": "-",
                       "‐": "-", "‑": "-", "−": "-", "…": "..."})
_WORD = re.compile(r"[a-z0-9]{4,}")
_SHORTEST_RUN = 30  # characters two texts must share, at least, to overlap
_COMMON = 0.05  # a word in more than this share of the quotes is not looked up
_SHARE = 0.6  # of the shorter text, a shared run that makes two texts overlap


def normal(text: str) -> str:
    r"""`text` without case, runs of white space, or curly quotes and long dashes.

    >>> normal("It’s  a “ChatGPT moment” — soon")
    'it\'s a "chatgpt moment" - soon'
    """
    return " ".join(text.translate(_FOLD).casefold().split())


def overlaps(a: str, b: str) -> bool:
    """Whether two normalised texts overlap (see the module docstring).

    >>> overlaps("newcomers will emerge.", "newcomers will emerge.")
    True
    >>> overlaps("the job market will look", "scaling is data-constrained")
    False
    """
    if not a or not b:
        return False
    if a in b or b in a:
        return True
    shorter = min(len(a), len(b))
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    run = matcher.find_longest_match(0, len(a), 0, len(b)).size
    return run >= max(_SHORTEST_RUN, shorter * _SHARE)


class _Index:
    """Quotes by the words they hold, to compare a candidate with few of them."""

    def __init__(self, quotes: Sequence[str]) -> None:
        self.quotes = [normal(q) for q in quotes]
        self.words: dict[str, list[int]] = defaultdict(list)
        for i, quote in enumerate(self.quotes):
            for word in set(_WORD.findall(quote)):
                self.words[word].append(i)
        self.common = max(50, int(len(self.quotes) * _COMMON))

    def matches(self, text: str) -> list[int]:
        """The quotes that overlap `text`, in the order given."""
        found = normal(text)
        hits: set[int] = set()
        for word in set(_WORD.findall(found)):
            posting = self.words.get(word, [])
            if len(posting) <= self.common:
                hits.update(posting)
        if not hits:  # only common words: compare with every quote
            hits = set(range(len(self.quotes)))
        return sorted(i for i in hits if overlaps(found, self.quotes[i]))


@dataclass(frozen=True, slots=True)
class Covered:
    """What covers one candidate: question ids, and skipped entries."""

    questions: tuple[str, ...]
    skipped: tuple[Skipped, ...]


@dataclass(frozen=True, slots=True)
class Coverage:
    """Each candidate's cover (in the extraction's order), and the counts."""

    ledger: str
    covers: tuple[Covered, ...]
    by_forecast: int
    by_skipped: int
    uncovered: int
    uncovered_high: int


def coverage(extraction: Extraction, ledger: Ledger) -> Coverage:
    """Compare every candidate with the ledger's forecast quotes and skipped entries."""
    owners: list[str] = []
    quotes: list[str] = []
    for question in ledger.questions:
        for forecast in question.forecasts:
            if forecast.quote:
                owners.append(question.id)
                quotes.append(forecast.quote)
    forecasts = _Index(quotes)
    skipped = _Index([entry.quote for entry in ledger.skipped])
    covers = []
    counts = [0, 0, 0, 0]
    for candidate in extraction.candidates:
        owned = (owners[i] for i in forecasts.matches(candidate.quote))
        ids = tuple(dict.fromkeys(owned))
        entries = tuple(ledger.skipped[i] for i in skipped.matches(candidate.quote))
        covers.append(Covered(ids, entries))
        if ids:
            counts[0] += 1
        elif entries:
            counts[1] += 1
        else:
            counts[2] += 1
            counts[3] += candidate.confidence == "high"
    return Coverage(ledger.path, tuple(covers), *counts)
