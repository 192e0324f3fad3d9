"""Horizons: the grammar of time expressions, read into the ends of a window.

Regular expressions, because the general date parsers mangle exactly these
phrases (dateparser turns "in about 2-3 years" into one date and finds nothing
in "within decades"; parsedatetime reads "by 2030" as 20:30). Each expression
becomes a `Horizon` whose two ends are horizons from the made date
(`relativedelta`), ledger dates (`When`), calendar anchors ("the end of this
decade") or open; `windows` turns them into dates. The forms:

- "in (about/~) N(–M) years/months/weeks/days/decades", "N years from now",
  "N years away", "take N years", and after "timeline:" a bare "~2–3 years":
  the range keeps its ends; a single approximate N gets the conventions' slack.
- "within (the next) N years", "in/over the next N years": from made to +N;
  "in the next N to M years": +N to +M.
- "by 2030", "by (the end of) March 2030", "by mid-2030", "before 2035":
  from made to that date. "in 2030", "in March 2030", "in the (early) 2030s":
  that period. "after 2030", "not until 2030": from then on, open-ended.
- "this year", "next year", "by the end of the decade", "within the decade".
- The conventions' vague spans ("within decades", "in our lifetime", "soon").
- "never" (after will, can, ...), and "later than X", "longer than X" (in a
  timeline), "comes after X": an order of two events, not a date.
Written numbers ("two to three years", "a couple of years", "a decade") and
every kind of dash count. A time word the grammar only half reads ("within
the next") is a `partial` horizon.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass, replace
from functools import cache
from typing import TYPE_CHECKING, Literal

from dateutil.relativedelta import relativedelta

from ledger.core.dates import When

if TYPE_CHECKING:
    from collections.abc import Callable

    from ledger.core.conventions import Conventions, Span

    Handler = Callable[[re.Match[str], Conventions], "Horizon | None"]

_I = re.IGNORECASE


@dataclass(frozen=True, slots=True)
class Anchor:
    """A calendar year or decade counted from the made date ("next year")."""

    unit: Literal["year", "decade"]
    shift: int
    side: Literal["start", "end"]

    def on(self, day: dt.date) -> dt.date:
        """The anchor read from `day`."""
        size = 1 if self.unit == "year" else 10
        year = day.year // size * size + self.shift * size
        if self.side == "start":
            return dt.date(year, 1, 1)
        return dt.date(year + size - 1, 12, 31)


End = relativedelta | When | Anchor | None


@dataclass(frozen=True, slots=True)
class Horizon:
    """A time expression: where it is, as written, and the ends it gives."""

    text: str
    start: int
    end: int
    lo: End
    hi: End
    by: bool = False  # an event by a deadline: the window opens when it was said
    rule: str | None = None  # the convention used (a vague span, or the slack)
    vague: bool = False
    never: bool = False
    partial: bool = False
    order: tuple[str | None, str | None] | None = None  # (before, after)


# -- numbers and units ---------------------------------------------------------

_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5,
    "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11,
    "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30,
    "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
    "ninety": 90, "hundred": 100, "a hundred": 100,
}
_TENS = "twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety"
_ONES = "one|two|three|four|five|six|seven|eight|nine"
_NUM = (
    rf"(?:\d+(?:\.\d+)?|(?:{_TENS})(?:[-\s](?:{_ONES}))?|a\s+couple(?:\s+of)?|"
    r"couple\s+of|half\s+an?|a\s+half|a\s+hundred|"
    + "|".join(sorted((w for w in _WORDS if " " not in w), key=len, reverse=True))
    + r")(?:\s+and\s+a\s+half)?"
)
_DASH = r"\s*(?:[-‐‑‒–—―−]|\bto\b|\bor\b)\s*"
_UNIT = r"(?P<unit>decades?|years?|yrs?|months?|weeks?|days?)\b"
_APPROX = (
    r"(?P<approx>(?:about|around|roughly|approximately|approx\.|some|circa|maybe|"
    r"perhaps|something\s+like)\s+|[~≈]\s*)?"
)
_QTY = (
    rf"{_APPROX}(?P<a>{_NUM})(?:{_DASH}(?:[~≈]\s*)?(?P<b>{_NUM}))?\s*{_UNIT}"
    r"(?P<approx2>\s+or\s+so|\s+give\s+or\s+take)?"
)
_MONTHS = {
    name.lower(): number
    for number in range(1, 13)
    for name in (calendar.month_name[number], calendar.month_abbr[number])
} | {"sept": 9}
_MONTH = r"(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_YEAR = r"(?P<year>(?:19|20|21)\d{2})(?![\d%]|,\d)"
_PART = r"(?P<part>early|mid|late|the\s+end\s+of|end\s+of|the\s+middle\s+of)"


def _amount(text: str) -> float:
    """A number as written: digits or words ("two", "a couple of", "one and a half")."""
    text = " ".join(text.lower().replace("‐", "-").split())
    half = text.endswith(" and a half")
    if half:
        text = text[: -len(" and a half")]
    if "couple" in text:
        value = 2.0
    elif text in ("half a", "half an", "a half"):
        value = 0.5
    elif re.fullmatch(r"[\d.]+", text):
        value = float(text)
    elif text in _WORDS:
        value = float(_WORDS[text])
    else:
        tens, _, ones = text.replace("-", " ").partition(" ")
        value = float(_WORDS[tens] + _WORDS.get(ones, 0))
    return value + (0.5 if half else 0)


def _unit(text: str) -> str:
    word = text.lower().rstrip("s")
    return "year" if word == "yr" else word


def offset(amount: float, unit: str) -> relativedelta:
    """`amount` units as a calendar offset: whole months, or whole days.

    >>> offset(2.5, "year"), offset(2, "week")
    (relativedelta(years=+2, months=+6), relativedelta(days=+14))
    """
    if unit in ("decade", "year", "month"):
        months = amount * {"decade": 120, "year": 12, "month": 1}[unit]
        if months == int(months):
            whole = int(months)
            return relativedelta(years=whole // 12, months=whole % 12)
        return relativedelta(days=round(months * 30.4375))
    return relativedelta(days=round(amount * (7 if unit == "week" else 1)))


# -- the grammar ---------------------------------------------------------------

def _horizon(match: re.Match[str], lo: End, hi: End, **flags: object) -> Horizon:
    """The horizon of `match` (of its group `h` when the pattern has one)."""
    group = "h" if "h" in match.re.groupindex else 0
    start, end = match.span(group)
    text = match.group(group)
    start += len(text) - len(text.lstrip())
    end -= len(text) - len(text.rstrip())
    return Horizon(text.strip(), start, end, lo, hi, **flags)  # type: ignore[arg-type]


def _quantity(match: re.Match[str], conventions: Conventions) -> Horizon | None:
    """A count of units from made: a range keeps its ends; ~N gets the slack."""
    unit = _unit(match.group("unit"))
    a = _amount(match.group("a"))
    b = _amount(match.group("b")) if match.group("b") else None
    if a > 500 or (b is not None and (b > 500 or b < a)):
        return None
    kind = match.groupdict().get("kind") or "in"
    within = kind.lower().startswith(("within", "over", "during")) or (
        (b is None and "next" in kind.lower()) or "coming" in kind.lower()
    )
    approximate = bool(
        match.group("approx") or match.group("approx2") or "couple" in match.group("a")
    )
    top = offset(b if b is not None else a, unit)
    if within:
        if approximate:
            top = top + conventions.slack[unit]
        return _horizon(match, relativedelta(), top, by=True,
                        rule=conventions.approximate_rule if approximate else None)
    if b is not None:
        return _horizon(match, offset(a, unit), top)
    if approximate:
        slack = conventions.slack[unit]
        low = offset(a, unit) - slack
        if dt.date(2000, 1, 1) + low < dt.date(2000, 1, 1):
            low = relativedelta()
        return _horizon(match, low, top + slack, rule=conventions.approximate_rule)
    return _horizon(match, top, top)


def _period(year: int, month: int | None, part: str | None) -> tuple[When, When]:
    """The first and last month (or year) of "early 2030", "March 2030", "2030"."""
    if month is not None:
        return _month(year, month), _month(year, month)
    months = {"early": (1, 4), "mid": (5, 8), "late": (9, 12)}.get(part or "")
    if months is None:  # the whole year; "the end of 2030" is its last day
        return _year(year), _year(year)
    first, last = (_month(year, month) for month in months)
    return first, last


def _month(year: int, month: int) -> When:
    """The whole of one month."""
    last = calendar.monthrange(year, month)[1]
    text = f"{year}-{month:02d}"
    return When(dt.date(year, month, 1), dt.date(year, month, last), text)


def _year(year: int) -> When:
    """The whole of one year."""
    return When(dt.date(year, 1, 1), dt.date(year, 12, 31), str(year))


def _dated(match: re.Match[str], conventions: Conventions) -> Horizon | None:
    """by/before/in/after a year or month."""
    year = int(match.group("year"))
    month = _MONTHS.get((match.group("month") or "").lower().rstrip("."))
    part = match.group("part")
    part = "mid" if part and "middle" in part else (part or "").replace("the ", "")
    first, last = _period(year, month, part or None)
    kind = " ".join(match.group("kind").lower().split())
    if kind in ("until", "till") and _NEGATED.search(match.string, 0, match.start()):
        kind = "not until"  # "won't be finished until 2031": from 2031 on
    if kind in ("by", "no later than", "not later than", "until", "till"):
        if part == "mid" and month is None:  # by mid-2030: by the middle of the year
            last = When.day(dt.date(year, 6, 30))
        return _horizon(match, relativedelta(), last, by=True)
    if kind == "before":
        day = first.earliest - dt.timedelta(days=1)
        if part in ("end of",):
            day = last.latest
        return _horizon(match, relativedelta(), When.day(day), by=True)
    if kind in ("after", "later than", "beyond"):
        day = last.latest + dt.timedelta(days=1)
        return _horizon(match, When.day(day), None)
    if kind in ("not before", "not until", "no earlier than", "from"):
        return _horizon(match, first, None)
    return _horizon(match, first, last)


_NEGATED = re.compile(r"\b(?:not|never)\b[^,;.!?]*$|n[’']t\b[^,;.!?]*$", _I)


def _decade(match: re.Match[str], conventions: Conventions) -> Horizon | None:
    """In the (early, mid-, late) 2030s; by the (early, mid-, late) 2030s."""
    start = int(match.group("decade"))
    part = (match.group("part") or "").lower()
    if start % 10 or (match.group("kind").lower() == "by" and not part):
        return None  # "by the 2030s": by their start or their end? Not read.
    first, last = {"early": (0, 3), "mid": (4, 6), "late": (7, 9)}.get(part, (0, 9))
    if match.group("kind").lower() == "by":
        return _horizon(match, relativedelta(), _year(start + last), by=True)
    return _horizon(match, _year(start + first), _year(start + last))


def _calendar(match: re.Match[str], conventions: Conventions) -> Horizon | None:
    """This year, next year, by the end of the decade, the year after next."""
    text = " ".join(match.group().lower().split())
    unit: Literal["year", "decade"] = "decade" if "decade" in text else "year"
    shift = 2 if "after next" in text else 1 if "next" in text else 0
    end = Anchor(unit, shift, "end")
    if text.startswith(("by", "within", "later", "before the end", "this", "until")):
        if text.startswith("this") and shift == 0 and unit == "year":
            return _horizon(match, relativedelta(), end, by=True)
        if not text.startswith("this") or unit == "decade":
            return _horizon(match, relativedelta(), end, by=True)
    return _horizon(match, Anchor(unit, shift, "start"), end)


def _span(match: re.Match[str], conventions: Conventions) -> Horizon | None:
    span = conventions.span(match.group())
    if span is None:
        return None
    return _horizon(
        match, span.start, span.end, by=span.start == relativedelta(),
        rule=span.rule or _span_text(span), vague=True,
    )


def _span_text(span: Span) -> str:
    return f"read as {span.text[0]}..{span.text[1] or ''} from made"


def _never(match: re.Match[str], conventions: Conventions) -> Horizon | None:
    return _horizon(match, None, None, never=True)


def _partial(match: re.Match[str], conventions: Conventions) -> Horizon | None:
    return _horizon(match, None, None, partial=True)


_CONTEXT_TIMELINE = r"(?:timelines?|horizon|eta)\b[^.;!?]{0,12}?:?\s*"
_GRAMMAR: tuple[tuple[str, Handler], ...] = (
    (rf"\b(?P<kind>(?:within|in|over|during)\s+(?:the\s+)?(?:next|coming))\s+{_QTY}",
     _quantity),
    (rf"\b(?P<kind>within|inside(?:\s+of)?)\s+(?:the\s+next\s+)?{_QTY}", _quantity),
    (rf"\b(?P<kind>in)\s+{_QTY}(?:[’']?s?\s+time)?", _quantity),
    (rf"(?<![\w-]){_QTY}\s+(?:from\s+now|away|out|hence)\b", _quantity),
    (rf"\b(?:take|takes|taking)\s+(?:(?:at\s+least|another|only)\s+)?{_QTY}",
     _quantity),
    (rf"{_CONTEXT_TIMELINE}(?P<h>{_QTY})", _quantity),
    (rf"\b(?P<kind>by|before|no\s+later\s+than|not\s+later\s+than|until|till|in|"
     rf"during|around|after|later\s+than|beyond|not\s+before|not\s+until|"
     rf"no\s+earlier\s+than|from)\s+(?:{_PART}[-\s]+)?(?:{_MONTH}\s+)?{_YEAR}",
     _dated),
    (r"\b(?P<kind>in|during|by)\s+the\s+(?:(?P<part>early|mid|late)[-\s]+)?"
     r"(?P<decade>(?:19|20|21)\d0)[’']?s\b", _decade),
    (r"\b(?:(?:by|before)\s+the\s+end\s+of\s+(?:the|this|next)\s+(?:year|decade)|"
     r"by\s+year[-\s]end|(?:later\s+)?this\s+(?:year|decade)|within\s+the\s+decade|"
     r"by\s+next\s+year|(?:in\s+)?the\s+year\s+after\s+next|next\s+year)\b", _calendar),
    (r"\b(?:(?:will|would|can|could|may|might|shall|is\s+going\s+to|are\s+going\s+to)"
     r"\s+(?:\w+\s+)?never|never\s+(?:will|happen|happens|come|comes|arrive|arrives|"
     r"going\s+to|gonna))\b|\b\w+[’']ll\s+never\b|\bwon[’']?t\s+ever\b", _never),
    (r"\b(?:by|within|before|in|over|during)\s+(?:the\s+)?(?:next|coming|end\s+of|"
     r"middle\s+of)\b", _partial),
)


# Every form above holds one of these: a sentence without any has no horizon.
_TRIGGER = re.compile(
    r"\d|decade|year|yrs?\b|month|week|day|never|won[’']?t\s+ever|soon|lifetime|"
    r"generation|century|near\s+(?:future|term)|long|next|coming|end\s+of|"
    r"middle\s+of|foreseeable|than|after|before",
    _I,
)


@cache
def _compiled(phrases: tuple[str, ...]) -> tuple[tuple[re.Pattern[str], Handler], ...]:
    vague = (
        r"(?<!as )\b(?:"
        + "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in phrases)
        + r")\b"
    )
    phrases = tuple(sorted(phrases, key=len, reverse=True))
    return tuple(
        (re.compile(pattern, _I), handler)
        for pattern, handler in ((vague, _span), *_GRAMMAR)
    )


def horizons(text: str, conventions: Conventions) -> list[Horizon]:
    """Every time expression in `text`, in order, none overlapping another.

    Where two overlap, the longer wins; at equal length, the earlier pattern
    (vague spans first, then the grammar in the order above).
    """
    phrases = conventions.phrases
    lowered = text.lower()
    if not _TRIGGER.search(text) and not any(p in lowered for p in phrases):
        return []
    found: list[tuple[int, int, int, Horizon]] = []
    for rank, (pattern, handler) in enumerate(_compiled(phrases)):
        for match in pattern.finditer(text):
            horizon = handler(match, conventions)
            if horizon is not None:
                size = horizon.end - horizon.start
                found.append((horizon.start, -size, rank, horizon))
    chosen: list[Horizon] = []
    for _, _, _, horizon in sorted(found, key=lambda f: (f[1], f[2], f[0])):
        if all(horizon.end <= h.start or horizon.start >= h.end for h in chosen):
            chosen.append(horizon)
    chosen.sort(key=lambda h: h.start)
    full = [h for h in chosen if not h.partial]
    return full + [h for h in chosen if h.partial and not full] if full else chosen


def shifted(horizon: Horizon, by: int) -> Horizon:
    """The same horizon with its offsets moved `by` characters."""
    return replace(horizon, start=horizon.start + by, end=horizon.end + by)
