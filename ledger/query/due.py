"""What needs the keeper's attention as of a date: `ledger due`.

Three lists, built from plain rows (no pandas, so the command starts fast):

- **Overdue**: questions whose deadline (its latest reading) has passed with no
  outcome as of the date (status `due` in `rules`), most overdue first.
- **Upcoming**: open questions whose deadline falls within a window from the
  date (`90d`, `12w`, `6m`, `1y`), soonest first.
- **Stale**: standing forecasts on open or due questions made (latest reading)
  more than a year (365 days) before the date, oldest first. Only forecasts made
  by the date count, so a past view is rebuilt as it stood then.

`calendar` writes every open or due deadline as an RFC 5545 all-day event,
by hand as text: CRLF line endings, TEXT escaping, lines folded at 75 octets
without splitting a UTF-8 character, and a DTSTAMP taken from the as-of date,
so the same ledger and date give the same bytes.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from dataclasses import dataclass
from typing import Any

from dateutil.relativedelta import relativedelta

from ledger.core.dates import DateError, parse_offset
from ledger.core.model import Ledger, Question
from ledger.core.rules import index, outcome, standing_forecasts, status
from ledger.core.text import plural
from ledger.query.listing import _span as span

STALE_DAYS = 365
DAY = dt.timedelta(days=1)
SECTIONS = ("overdue", "upcoming", "stale")


@dataclass(frozen=True, slots=True)
class Report:
    """The three lists as of a date, each a list of plain JSON-ready rows."""

    as_of: dt.date
    within_days: int
    until: dt.date
    overdue: list[dict[str, Any]]
    upcoming: list[dict[str, Any]]
    stale: list[dict[str, Any]]


def parse_within(text: str) -> relativedelta:
    """Read a window such as `90d`, `12w`, `6m` or `1y` (a leading `+` is allowed).

    >>> parse_within("12w")
    relativedelta(days=+84)
    >>> parse_within("soon")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: 'soon' is not a window; write a whole number followed by d, w, m or y...
    """
    cleaned = text.strip().lower()
    try:
        return parse_offset(cleaned if cleaned.startswith("+") else "+" + cleaned)
    except DateError:
        raise ValueError(
            f"'{text}' is not a window; write a whole number followed by d, w, m or y, "
            "like 90d, 12w, 6m or 1y"
        ) from None


def window_end(as_of: dt.date, within: relativedelta, text: str = "") -> dt.date:
    """The last day of the window: `as_of` plus `within` (calendar arithmetic)."""
    try:
        return as_of + within
    except (OverflowError, ValueError):
        raise ValueError(f"window '{text}' reaches past the year 9999") from None


def _question_row(question: Question, days: int) -> dict[str, Any]:
    return {
        "question": question.id,
        "title": question.title,
        "kind": question.kind,
        "deadline": str(question.deadline),
        "deadline_latest": question.deadline.latest.isoformat(),
        "days": days,
        "span": span(days),
    }


def report(ledger: Ledger, as_of: dt.date, until: dt.date) -> Report:
    """Overdue questions, deadlines up to `until`, and stale standing forecasts."""
    questions = index(ledger)
    overdue, upcoming, stale = [], [], []
    for question in ledger.questions:
        state = status(question, outcome(question, questions, as_of), as_of)
        if state not in ("open", "due"):
            continue
        deadline = question.deadline.latest
        if state == "due":
            overdue.append(_question_row(question, (as_of - deadline).days))
        elif deadline <= until:
            upcoming.append(_question_row(question, (deadline - as_of).days))
        for forecast in standing_forecasts(question, as_of):
            age = (as_of - forecast.made.latest).days
            if age > STALE_DAYS:
                stale.append({
                    "question": question.id,
                    "title": question.title,
                    "forecaster": forecast.by,
                    "made": str(forecast.made),
                    "age_days": age,
                    "span": span(age),
                    "status": state,
                    "line": forecast.location.line,
                })
    overdue.sort(key=lambda row: (-row["days"], row["question"]))
    upcoming.sort(key=lambda row: (row["days"], row["question"]))
    stale.sort(key=lambda row: (-row["age_days"], row["question"], row["forecaster"]))
    return Report(as_of, (until - as_of).days, until, overdue, upcoming, stale)


def upcoming_heading(found: Report) -> str:
    """'Due within 90 days (by 2027-04-15)'."""
    days = plural(found.within_days, "day")
    return f"Due within {days} (by {found.until.isoformat()})"


def summary(found: Report) -> str:
    """One line: how many items each section holds."""
    return (
        f"As of {found.as_of.isoformat()}: {len(found.overdue)} overdue, "
        f"{len(found.upcoming)} due within {plural(found.within_days, 'day')}, "
        f"{plural(len(found.stale), 'stale forecast')}."
    )


def _section(title: str, lines: list[str]) -> list[str]:
    return ["", title, *(lines or ["  none"])]


def table(found: Report) -> str:
    """Plain text for a terminal: a summary line, then three headed sections."""
    questions = [*found.overdue, *found.upcoming]
    width = max((len(r["question"]) for r in questions), default=0)
    overdue = []
    for row in found.overdue:
        overdue.append(
            f"  {row['question']:<{width}}  deadline {row['deadline']}  "
            f"overdue by {plural(row['days'], 'day')} ({row['span']})"
        )
        overdue.append(f"    {row['title']}")
    upcoming = []
    for row in found.upcoming:
        when = "due today" if row["days"] == 0 else f"in {plural(row['days'], 'day')}"
        upcoming.append(
            f"  {row['question']:<{width}}  deadline {row['deadline']}  {when}"
        )
        upcoming.append(f"    {row['title']}")
    who = max((len(r["forecaster"]) for r in found.stale), default=0)
    made = max((len(r["made"]) for r in found.stale), default=0)
    ages = [f"{row['age_days']} days old ({row['span']})" for row in found.stale]
    age = max(map(len, ages), default=0)
    stale = [
        f"  {row['forecaster']:<{who}}  made {row['made']:<{made}}  "
        f"{text:<{age}}  on {row['question']}"
        for row, text in zip(found.stale, ages, strict=True)
    ]
    lines = [
        summary(found),
        *_section("Overdue", overdue),
        *_section(upcoming_heading(found), upcoming),
        *_section("Stale forecasts (older than a year)", stale),
    ]
    return "\n".join(lines) + "\n"


def to_json(found: Report) -> str:
    """{as_of, within_days, until, overdue, upcoming, stale} as JSON."""
    data = {
        "as_of": found.as_of.isoformat(),
        "within_days": found.within_days,
        "until": found.until.isoformat(),
        "overdue": found.overdue,
        "upcoming": found.upcoming,
        "stale": found.stale,
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


CSV_COLUMNS = (
    "section", "question", "title", "deadline", "days", "span",
    "forecaster", "made", "age_days",
)


def to_csv(found: Report) -> str:
    """One line per item, with a `section` column: overdue, upcoming or stale."""
    buffer = io.StringIO()
    writer = csv.DictWriter(
        buffer, fieldnames=CSV_COLUMNS, lineterminator="\n", extrasaction="ignore"
    )
    writer.writeheader()
    for section in SECTIONS:
        for row in getattr(found, section):
            writer.writerow({"section": section, **row})
    return buffer.getvalue()


# -- iCalendar (RFC 5545) -----------------------------------------------------

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


def calendar(ledger: Ledger, as_of: dt.date) -> tuple[str, int]:
    """iCalendar text with an all-day event per open or due deadline, and the count."""
    questions = index(ledger)
    chosen = [
        q for q in ledger.questions
        if status(q, outcome(q, questions, as_of), as_of) in ("open", "due")
    ]
    chosen.sort(key=lambda q: (q.deadline.latest, q.id))
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//ledger//ledger due//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "X-WR-CALNAME:Ledger deadlines",
    ]
    stamp = f"{_stamp(as_of)}T000000Z"
    for question in chosen:
        day = question.deadline.latest
        # an all-day event ends the next day; without DTEND it lasts one day anyway
        end = [] if day == dt.date.max else [f"DTEND;VALUE=DATE:{_stamp(day + DAY)}"]
        description = (
            f"Question: {question.id}\nKind: {question.kind}\n"
            f"Deadline: {question.deadline}\n\nCriteria:\n{question.criteria}"
        )
        lines += [
            "BEGIN:VEVENT",
            f"UID:{question.id}@ledger",
            f"DTSTAMP:{stamp}",
            f"DTSTART;VALUE=DATE:{_stamp(day)}",
            *end,
            f"SUMMARY:{escape_text('Due: ' + question.title)}",
            f"DESCRIPTION:{escape_text(description)}",
            "TRANSP:TRANSPARENT",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "".join(fold(line) for line in lines), len(chosen)
