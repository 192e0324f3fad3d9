"""iCalendar (RFC 5545) text for `ledger due --ics`: an all-day event per deadline.

Also one per window still to be checked: the last day of a standing forecast's
window on an open or due date question (`ledger.query.due.closings`), with
the `not-yet` command to record if the event had not happened by then.

Written by hand as text: CRLF line endings, TEXT escaping, lines folded at 75
octets without splitting a UTF-8 character, and a DTSTAMP taken from the as-of
date, so the same ledger and date give the same bytes.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Sequence

    from ledger.core.model import Forecast, Question

DAY = dt.timedelta(days=1)

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def escape_text(text: str) -> str:
    r"""A TEXT value (RFC 5545 3.3.11): backslash, semicolon, comma and newline escaped.

    >>> escape_text("a,b;c\\d\ne")
    'a\\,b\\;c\\\\d\\ne'
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _CONTROL.sub(" ", text)  # control characters other than tab are not allowed
    for char in "\\;,":
        text = text.replace(char, "\\" + char)
    return text.replace("\n", "\\n")


def fold(line: str, limit: int = 75) -> str:
    r"""Fold a content line (RFC 5545 3.1): at most `limit` octets a line, CRLF ended.

    Continuation lines start with one space, which counts toward the limit. A
    line is split only between characters, never inside a UTF-8 sequence.

    >>> fold("SUMMARY:" + "é" * 40).split("\r\n")[1]
    ' ééééééé'
    """
    pieces: list[str] = []
    current: list[str] = []
    size, room = 0, limit
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > room:
            pieces.append("".join(current))
            current, size, room = [], 0, limit - 1
        current.append(char)
        size += width
    pieces.append("".join(current))
    return "\r\n ".join(pieces) + "\r\n"


def _stamp(day: dt.date) -> str:
    return day.strftime("%Y%m%d")


PRODID = "PRODID:-//ledger//ledger due//EN"
"""The line that names ledger as a calendar's maker."""


def made_by_ledger(start: bytes) -> bool:
    """Whether a file starting with `start` is a calendar `ledger due` wrote."""
    lines = start.split(b"\r\n", 3)
    return lines[:1] == [b"BEGIN:VCALENDAR"] and PRODID.encode() in lines[1:3]


def _event(uid: str, day: dt.date, stamp: str, summary: str, text: str) -> list[str]:
    """An all-day event's lines."""
    # an all-day event ends the next day; without DTEND it lasts one day anyway
    end = [] if day == dt.date.max else [f"DTEND;VALUE=DATE:{_stamp(day + DAY)}"]
    return [
        "BEGIN:VEVENT",
        f"UID:{uid}",
        f"DTSTAMP:{stamp}",
        f"DTSTART;VALUE=DATE:{_stamp(day)}",
        *end,
        f"SUMMARY:{escape_text(summary)}",
        f"DESCRIPTION:{escape_text(text)}",
        "TRANSP:TRANSPARENT",
        "END:VEVENT",
    ]


def calendar(
    questions: Sequence[Question],
    as_of: dt.date,
    closings: Sequence[tuple[Question, Forecast, dt.date]] = (),
) -> str:
    """The calendar: an all-day event on each question's deadline (its latest day).

    Then one on the last day of each window in `closings` (question, forecast,
    last day), UID `window-<forecaster>-<question>@ledger`.
    """
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        PRODID,
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "X-WR-CALNAME:Ledger deadlines",
    ]
    stamp = f"{_stamp(as_of)}T000000Z"
    for question in questions:
        description = (
            f"Question: {question.id}\nKind: {question.kind}\n"
            f"Deadline: {question.deadline}\n\nCriteria:\n{question.criteria}"
        )
        lines += _event(
            f"{question.id}@ledger", question.deadline.latest, stamp,
            "Due: " + question.title, description,
        )
    for question, forecast, day in closings:
        description = (
            f"Question: {question.id}\nForecaster: {forecast.by}\n"
            f"Window: {forecast.window} (closes {day.isoformat()})\n\n"
            "If the event had not happened by then, record:\n"
            f"ledger resolve {question.id} not-yet --known {day.isoformat()}"
        )
        lines += _event(
            f"window-{forecast.by}-{question.id}@ledger", day, stamp,
            f"Window closes: {forecast.by} on {question.title}", description,
        )
    lines.append("END:VCALENDAR")
    return "".join(fold(line) for line in lines)
