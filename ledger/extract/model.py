"""Model: what `ledger extract` is asked to do, and what it finds.

A `Candidate` is a sentence or clause that holds a forecast-like claim, with
what the grammar read from it (its hedge words and probability, its horizon and
window, its kind) and how sure the reading is. A `PassedOver` is a sentence
that looked forecast-like but was left out, with the reason. Both keep the
verbatim text and where it stands in the input (line, speaker, timestamp).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from ledger.core.conventions import Conventions, shipped

if TYPE_CHECKING:
    import datetime as dt

    from ledger.core.dates import When
    from ledger.core.model import Kind

Confidence = Literal["high", "low"]
Basis = Literal["stated", "mapped"]


@dataclass(frozen=True, slots=True)
class Options:
    """How to read a text.

    Attributes:
        speakers: the names (lowercased) whose turns are read, from --speaker
            (the forecaster's id, name and aliases with --against); empty: all.
        made: when the words were said, for relative horizons.
        table: the verbal-probability table that maps hedge words.
        conventions: the readings of vague horizons.
        forecasters: speaker names (lowercased) → forecaster id, with --against.
    """

    speakers: frozenset[str] = frozenset()
    made: When | None = None
    table: str = "icd-203"
    conventions: Conventions = field(default_factory=shipped)
    forecasters: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Where:
    """Where a piece of text stands in the input."""

    start: int  # offset of its first character in the input
    line: int  # 1-based
    speaker: str | None
    time: str | None


@dataclass(frozen=True, slots=True)
class Probability:
    """The probability a sentence states or implies, and the words it comes from.

    `basis` is `stated` for a number ("10 to 20%", "one in ten", "a coin
    flip") and `mapped` for hedge words the table knows; both None when the
    words are in no table (`note` says so) or there are none.
    """

    words: str | None = None
    p: float | None = None
    basis: Basis | None = None
    table: str | None = None
    note: str | None = None
    negated: bool = False  # "not likely": never silently inverted
    modal: bool = False  # only a possibility modal ("could", "might")


@dataclass(frozen=True, slots=True)
class Candidate:
    """A forecast-like claim: a verbatim quote and what was read from it."""

    quote: str
    where: Where
    kind: Kind
    probability: Probability
    horizon: str | None  # the time expression as written
    window: tuple[dt.date | None, dt.date | None] | None
    ledger_window: str | None  # the window in the ledger's form, for a stub
    deadline: str | None  # the window's end, for a binary or numeric stub
    confidence: Confidence
    reasons: tuple[str, ...]  # why the confidence is low
    rule: str | None = None  # the convention a vague or approximate horizon used
    order: tuple[str | None, str | None] | None = None  # (before, after) events
    values: tuple[float | None, float | None] | None = None  # a numeric claim
    unit: str | None = None
    strong: bool = True  # a strong cue, not only a weak one (see `cues`)


@dataclass(frozen=True, slots=True)
class PassedOver:
    """A sentence that looked forecast-like but was left out, and why."""

    quote: str
    where: Where
    reason: str


@dataclass(frozen=True, slots=True)
class Extraction:
    """Everything found in one text."""

    path: str
    candidates: tuple[Candidate, ...]
    passed: tuple[PassedOver, ...]
    speakers: tuple[str, ...]  # every speaker label found, in order of appearance
