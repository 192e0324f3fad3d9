"""Claims of two special shapes: an order of two events, and a quantity.

"Biology timeline: Longer than robotics." and "fusion will come after AGI"
claim that one event happens after another: a binary `order` question on two
date questions. `order` names both events as written (the one before, the one
after), or None for an event it cannot find. "Unemployment will exceed 10%"
claims a number: a numeric question; `quantity` gives its range and unit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_I = re.IGNORECASE
_EVENT = r"(?P<x>[^,;:.!?—–()\"“”]{1,60})"
_COMPARED = re.compile(rf"\b(?P<cmp>later|longer|sooner|earlier)\s+than\s+{_EVENT}", _I)
_RELATIVE = re.compile(
    r"\b(?:come|comes|coming|happen|happens|arrive|arrives|follow|follows|occur|occurs|"
    r"take\s+place|takes\s+place)\s+(?:only\s+|well\s+|long\s+|soon\s+)?"
    rf"(?P<cmp>after|before)\s+{_EVENT}",
    _I,
)


def _any(words: str, before: str = r"\b", after: str = r"\b") -> re.Pattern[str]:
    """A pattern for any of the space-separated `words`, without case."""
    return re.compile(before + "(?:" + "|".join(words.split()) + ")" + after, _I)


# what makes "longer than X" a matter of time, not of length
_TIMELINE = _any("timelines? take takes took taking wait horizon")
# what a comparison is made with when it names no event ("sooner than expected")
_NOT_AN_EVENT = _any(
    "expected anticipated people most many we you they i he she it everyone anyone "
    r"anybody thought hoped planned predicted forecast usual normal that this now "
    r"today (?:19|20|21)\d\d",
    before="",
)
# where an event's name ends, and where a subject's verb starts
_CUT = _any("and but because though although which that so if when", before=r"\s+")
_VERB = _any(
    "will would [’']ll is are comes happens arrives takes could might may should "
    "won[’']t come happen arrive take",
    before=r"\s+",
)


def _event(text: str) -> str | None:
    """The event named at the start of `text`: at most six words, no clause."""
    text = _CUT.split(text, maxsplit=1)[0].strip()
    words = text.split()
    if not words or len(words) > 6 or _NOT_AN_EVENT.match(text):
        return None
    return text


def _subject(text: str, before: int) -> str | None:
    """The event a sentence is about: its label ("Biology timeline:") or subject."""
    head = text[:before]
    label, colon, _ = head.partition(":")
    if colon and len(label.split()) <= 4:
        found = re.sub(r"\s*\btimelines?\b\s*", " ", label, flags=_I).strip()
        return found or None
    verb = _VERB.search(head)
    if verb is None:
        return None
    subject = re.sub(r"^(?:the|a|an)\s+", "", head[: verb.start()].strip(), flags=_I)
    return _event(subject)


@dataclass(frozen=True, slots=True)
class Order:
    """Two events in order, as written; None for one not found."""

    before: str | None
    after: str | None
    text: str  # the words that claim the order
    start: int
    end: int


def order(text: str) -> Order | None:
    """The order of two events `text` claims, if any.

    >>> o = order("Biology timeline: Longer than robotics.")
    >>> (o.before, o.after, o.text)
    ('robotics', 'Biology', 'Longer than robotics')
    """
    for pattern in (_COMPARED, _RELATIVE):
        for match in pattern.finditer(text):
            cmp = match.group("cmp").lower()
            if cmp == "longer" and not _TIMELINE.search(text):
                continue  # "longer than a mile" is a length
            other = _event(match.group("x"))
            if other is None:
                continue
            subject = _subject(text, match.start())
            start = match.start()
            words = text[start: match.start("x") + len(other)]
            if cmp in ("later", "longer", "after"):
                return Order(other, subject, words, start, start + len(words))
            return Order(subject, other, words, start, start + len(words))
    return None


_NUMBER = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_QUANTITY = re.compile(
    r"\b(?P<verb>reach|reaches|exceed|exceeds|surpass|surpasses|hit|hits|top|tops|"
    r"pass|passes|fall\s+to|falls\s+to|drop\s+to|drops\s+to|rise\s+to|rises\s+to|"
    r"grow\s+to|grows\s+to|climb\s+to|be|cost|costs)\s+"
    r"(?P<cmp>at\s+least|more\s+than|over|above|under|below|less\s+than|about|around|"
    r"roughly|nearly|almost|between)?\s*(?P<currency>[$€£])?"
    rf"(?P<a>{_NUMBER})(?:\s*(?:-|–|to|and)\s*[$€£]?(?P<b>{_NUMBER}))?"
    r"\s*(?P<scale>%|percent\b|k\b|thousand\b|million\b|billion\b|trillion\b)?"
    r"(?:\s+(?!(?:by|in|within|before|after|of|the|and|or|to|at|for|on|per|a|an|"
    r"than|from|when|if|is|are|will)\b)(?P<noun>[a-z]+))?",
    _I,
)
_ABOVE = ("at least", "more than", "over", "above", "exceed", "surpass", "top", "pass")
_BELOW = ("under", "below", "less than")


@dataclass(frozen=True, slots=True)
class Quantity:
    """A number a claim names: its range (either end open) and unit."""

    low: float | None
    high: float | None
    unit: str | None


def quantity(text: str) -> Quantity | None:
    """The quantity a future claim names, if any.

    >>> quantity("Unemployment will exceed 10% by 2030")
    Quantity(low=10.0, high=None, unit='%')
    >>> quantity("it will be 2030 before") is None
    True
    """
    for match in _QUANTITY.finditer(text):
        a = float(match.group("a").replace(",", ""))
        b = float(match.group("b").replace(",", "")) if match.group("b") else None
        scale = match.group("scale")
        if scale is None and match.group("currency") is None and (
            1900 <= a <= 2199 and a == int(a)
        ):
            continue  # a year, not a quantity
        verb = " ".join(match.group("verb").lower().split())
        cmp = " ".join((match.group("cmp") or "").lower().split())
        parts = (match.group("currency"), scale, match.group("noun"))
        unit = " ".join(part for part in parts if part) or None
        if b is not None:
            return Quantity(min(a, b), max(a, b), unit)
        if cmp.startswith(_BELOW):
            return Quantity(None, a, unit)
        if cmp.startswith(_ABOVE) or verb.startswith((*_ABOVE, "reach")):
            return Quantity(a, None, unit)
        return Quantity(a, a, unit)
    return None
