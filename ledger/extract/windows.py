"""Windows: a horizon read against the made date, as dates and in the ledger's form.

As in the ledger (see `core.dates`), a horizon counted from an uncertain made
date gives a window from the earliest reading of its start to the latest
reading of its end: "2–3 years" from 2026-01-06..2026-04-30 is 2028-01-06 to
2029-04-30, and a stub writes it as `+2y..+3y`, which the loader reads back to
the same dates. Calendar anchors ("next year", "the end of the decade") are
read the same way. Without a made date, relative ends cannot be placed: the
window is null and the stub keeps its relative form.
"""

from __future__ import annotations

import datetime as dt

from dateutil.relativedelta import relativedelta

from ledger.core.dates import When
from ledger.extract.horizons import Anchor, End, Horizon

Dates = tuple[dt.date | None, dt.date | None]


def _day(end: End, made: When | None, latest: bool) -> dt.date | None:
    """One end as a date; raises LookupError when it needs a made date."""
    if end is None:
        return None
    if isinstance(end, When):
        return end.latest if latest else end.earliest
    if made is None:
        raise LookupError("no made date")
    reading = made.latest if latest else made.earliest
    if isinstance(end, Anchor):
        return end.on(reading)
    return reading + end


def dates(horizon: Horizon, made: When | None) -> Dates | None:
    """The window `[start, end]` of `horizon` from `made`; None if it needs `made`.

    A deadline ("by 2030") with no made date keeps an open start.
    """
    if horizon.never or horizon.partial or horizon.order is not None:
        return None
    try:
        end = _day(horizon.hi, made, latest=True)
        if horizon.by and made is None:
            return None, end
        return _day(horizon.lo, made, latest=False), end
    except (LookupError, ValueError, OverflowError):
        return None


def offset_text(offset: relativedelta) -> str:
    """A calendar offset as a ledger horizon: `+2y`, `+30m`, `+2w`, `+10d`.

    >>> offset_text(relativedelta(years=2, months=6)), offset_text(relativedelta())
    ('+30m', '+0d')
    """
    months = offset.years * 12 + offset.months
    if offset.days == 0 and months:
        return f"+{months // 12}y" if months % 12 == 0 else f"+{months}m"
    days = offset.days + round(months * 30.4375)
    return f"+{days // 7}w" if days and days % 7 == 0 else f"+{days}d"


def _end_text(end: End, made: When | None, latest: bool) -> str | None:
    """One end as a ledger window end; raises LookupError if it needs `made`."""
    if end is None:
        return "null"
    if isinstance(end, When):
        return end.text or (end.latest if latest else end.earliest).isoformat()
    if isinstance(end, Anchor):
        day = _day(end, made, latest)
        return day.isoformat() if day else "null"
    return offset_text(end)


def ledger_window(horizon: Horizon, made: When | None) -> str | None:
    """The window as a stub writes it (`+2y..+3y`, `[2030, 2030]`); None if it cannot.

    Relative ends stay relative, so the loader computes them from `made`.
    """
    if horizon.never or horizon.partial or horizon.order is not None:
        return None
    try:
        start = _end_text(horizon.lo, made, latest=False)
        end = _end_text(horizon.hi, made, latest=True)
    except (LookupError, ValueError, OverflowError):
        return None
    if isinstance(horizon.lo, relativedelta) and isinstance(horizon.hi, relativedelta):
        return f"{start}..{end}"
    return f"[{start}, {end}]"


def deadline(horizon: Horizon, made: When | None) -> str | None:
    """The window's end as a ledger date, for a deadline; None if open or unknown."""
    found = dates(horizon, made)
    if found is None or found[1] is None:
        return None
    if isinstance(horizon.hi, When) and horizon.hi.text:
        return horizon.hi.text
    return found[1].isoformat()
