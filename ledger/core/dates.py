"""Dates that may be known only roughly, and horizons counted from them.

A ledger date is a `When`: an exact day (`2026-02-10`), a month (`2026-02`), a
year (`2026`) or a range (`2026-01-06..2026-04-30`) when only bounds are known.
Every `When` is the closed interval [earliest, latest] of its possible readings,
and every computation carries both ends through: a horizon counted from an
uncertain date (`+2y` from `2026-01-06..2026-04-30`) gives a window from the
earliest to the latest reading. Calendar arithmetic is python-dateutil's
`relativedelta`, which clamps month ends (2026-01-31 + 1 month = 2026-02-28).
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta

from ledger.core.numbers import foreign_digit


class DateError(ValueError):
    """A date the user wrote that is malformed, impossible or ambiguous."""


@dataclass(frozen=True, slots=True)
class When:
    """A date known to lie in [earliest, latest], with the text it was written as."""

    earliest: dt.date
    latest: dt.date
    text: str

    @property
    def exact(self) -> bool:
        """True when the date is a single known day."""
        return self.earliest == self.latest

    def shift(self, offset: relativedelta) -> When:
        """The same uncertainty, moved by a calendar offset."""
        earliest = self.earliest + offset
        latest = earliest if self.latest == self.earliest else self.latest + offset
        return When(earliest, latest, "")

    def __str__(self) -> str:
        if self.text:
            return self.text
        if self.exact:
            return self.earliest.isoformat()
        return f"{self.earliest.isoformat()}..{self.latest.isoformat()}"

    @staticmethod
    def day(day: dt.date) -> When:
        """An exact day."""
        return When(day, day, day.isoformat())


_DAY = re.compile(r"(\d{4})-(\d{2})-(\d{2})", re.ASCII)
_MONTH = re.compile(r"(\d{4})-(\d{2})", re.ASCII)
_UNPADDED = re.compile(r"(\d{4})-(\d{1,2})(?:-(\d{1,2}))?", re.ASCII)
_YEAR = re.compile(r"(\d{4})", re.ASCII)
_SLASHED = re.compile(r"(\d{1,4})[/.](\d{1,2})[/.](\d{1,4})", re.ASCII)
_OFFSET = re.compile(r"\+(\d+)([ymwd])", re.ASCII)
_FORMS = "write YYYY-MM-DD, YYYY-MM, YYYY or a range like 2026-01-06..2026-04-30"


def _month(year: int, month: int, text: str) -> None:
    if year < 1:  # the four digits allow 0000; Python's dates run from year 1 to 9999
        raise DateError(f"impossible date '{text}': there is no year 0")
    if not 1 <= month <= 12:
        raise DateError(f"impossible date '{text}': there is no month {month}")


def parse_day(text: str) -> dt.date:
    """Read an exact `YYYY-MM-DD` day.

    >>> parse_day("2026-02-10")
    datetime.date(2026, 2, 10)
    """
    match = _DAY.fullmatch(text)
    if not match:
        raise DateError(_unreadable(text, "write an exact day as YYYY-MM-DD"))
    year, month, day = (int(g) for g in match.groups())
    _month(year, month, text)
    last = calendar.monthrange(year, month)[1]
    if not 1 <= day <= last:
        name = calendar.month_name[month]
        raise DateError(
            f"impossible date '{text}': {name} {year} has {last} days"
        )
    return dt.date(year, month, day)


def _unreadable(text: str, remedy: str) -> str:
    slashed = _SLASHED.fullmatch(text)
    if slashed:
        return f"ambiguous date '{text}': day and month order is unclear; {remedy}"
    unpadded = _UNPADDED.fullmatch(text)
    if unpadded and any(len(g) == 1 for g in unpadded.groups() if g):
        # 2026-2-3: the schema (like ISO 8601) wants 2026-02-03
        year, *rest = (g for g in unpadded.groups() if g is not None)
        padded = "-".join([year, *(f"{int(g):02d}" for g in rest)])
        return (
            f"malformed date '{text}'; write months and days with two digits, "
            f"like {padded}"
        )
    return f"malformed date '{text}'; {remedy}"


def _single(text: str) -> When:
    if _DAY.fullmatch(text):
        day = parse_day(text)
        return When(day, day, text)
    month = _MONTH.fullmatch(text)
    if month:
        year, number = int(month.group(1)), int(month.group(2))
        _month(year, number, text)
        last = calendar.monthrange(year, number)[1]
        return When(dt.date(year, number, 1), dt.date(year, number, last), text)
    if _YEAR.fullmatch(text):
        year = int(text)
        _month(year, 1, text)
        return When(dt.date(year, 1, 1), dt.date(year, 12, 31), text)
    raise DateError(_unreadable(text, _FORMS))


def parse_when(text: str) -> When:
    """Read a date in any of the ledger's forms.

    >>> w = parse_when("2026-01-06..2026-04-30")
    >>> (str(w.earliest), str(w.latest))
    ('2026-01-06', '2026-04-30')
    >>> str(parse_when("2026-02").latest)
    '2026-02-28'
    """
    text = text.strip()
    foreign = foreign_digit(text)
    if foreign is not None:
        raise DateError(f"malformed date: {foreign}")
    if ".." in text:
        first, _, last = text.partition("..")
        if not first.strip() or not last.strip():
            raise DateError(
                f"malformed date range '{text}'; write both ends, like "
                "2026-01-06..2026-04-30"
            )
        start, end = _single(first.strip()), _single(last.strip())
        if end.latest < start.earliest:
            raise DateError(f"date range '{text}' ends before it starts")
        return When(start.earliest, end.latest, text)
    return _single(text)


def parse_offset(text: str) -> relativedelta:
    """Read a horizon such as `+2y`, `+18m`, `+6w` or `+10d`.

    >>> parse_offset("+2y")
    relativedelta(years=+2)
    """
    match = _OFFSET.fullmatch(text.strip())
    if not match:
        raise DateError(
            f"malformed horizon '{text}'; write +N followed by y, m, w or d, like +2y"
        )
    try:
        amount = int(match.group(1))
    except ValueError:  # more digits than int() reads (4,300): far past the year 9999
        raise DateError(f"horizon '{text}' is too large a number") from None
    unit = match.group(2)
    return relativedelta(
        years=amount if unit == "y" else 0,
        months=amount if unit == "m" else 0,
        weeks=amount if unit == "w" else 0,
        days=amount if unit == "d" else 0,
    )


def years_between(start: dt.date, end: dt.date) -> float:
    """Signed distance in years (365.25 days), for timing errors and horizons."""
    return (end - start).days / 365.25
