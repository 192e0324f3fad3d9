"""`ledger due` as text: a terminal report in four sections, CSV or JSON.

The report comes from `ledger.query.due`; this module only writes it.
"""

from __future__ import annotations

from typing import Any

from ledger.core.text import plural
from ledger.query.due import SECTIONS, Report
from ledger.show.csvtext import dicts_text
from ledger.show.layout import json_text


def upcoming_heading(found: Report) -> str:
    """'Due within 90 days (by 2027-04-15)'."""
    days = plural(found.within_days, "day")
    return f"Due within {days} (by {found.until.isoformat()})"


def closing_heading(found: Report) -> str:
    """'Windows closed or closing by 2027-04-15 (check whether the event happened)'."""
    return (
        f"Windows closed or closing by {found.until.isoformat()} "
        "(check whether the event happened)"
    )


def summary(found: Report) -> str:
    """One line: how many items each section holds."""
    synced = ""
    if found.at_source is not None:
        synced = f", {len(found.at_source)} resolved at the source"
    return (
        f"As of {found.as_of.isoformat()}: {len(found.overdue)} overdue, "
        f"{len(found.upcoming)} due within {plural(found.within_days, 'day')}, "
        f"{plural(len(found.closing), 'window')} to check, "
        f"{plural(len(found.stale), 'stale forecast')}{synced}."
    )


def _closing(found: Report) -> list[str]:
    """The closing section's lines: each window, when it closes, and by whom."""
    who = max((len(r["forecaster"]) for r in found.closing), default=0)
    lines = []
    for row in found.closing:
        days = abs(row["days"])
        if row["closed"]:
            when = f"closed {plural(days, 'day')} ago ({row['span']})"
        else:
            when = "closes today" if days == 0 else f"closes in {plural(days, 'day')}"
        lines.append(
            f"  {row['forecaster']:<{who}}  window {row['window']}  {when}  "
            f"on {row['question']}"
        )
    if found.closing:
        lines.append(
            "  If the event had not happened by then: "
            "ledger resolve QUESTION not-yet --known DATE"
        )
    return lines


def _section(title: str, lines: list[str]) -> list[str]:
    return ["", title, *(lines or ["  none"])]


def table(found: Report) -> str:
    """Plain text for a terminal: a summary line, then four headed sections."""
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
        *_section(closing_heading(found), _closing(found)),
        *_section("Stale forecasts (older than a year)", stale),
    ]
    if found.at_source is not None:
        title = "Resolved at the source, not recorded"
        lines += _section(
            f"{title} (ledger sync --apply records them)", _at_source(found.at_source)
        )
    return "\n".join(lines) + "\n"


def _at_source(rows: list[dict[str, Any]]) -> list[str]:
    width = max((len(r["question"]) for r in rows), default=0)
    lines = []
    for row in rows:
        lines.append(
            f"  {row['question']:<{width}}  {row['source']} says {row['result']}, "
            f"known {row['known']}"
        )
        lines.append(f"    {row['title']}")
    return lines


def to_json(found: Report) -> str:
    """{as_of, within_days, until, overdue, upcoming, closing, stale} as JSON.

    With --sync or --responses, also at_source.
    """
    data: dict[str, Any] = {
        "as_of": found.as_of.isoformat(),
        "within_days": found.within_days,
        "until": found.until.isoformat(),
        "overdue": found.overdue,
        "upcoming": found.upcoming,
        "closing": found.closing,
        "stale": found.stale,
    }
    if found.at_source is not None:
        data["resolved_at_source"] = found.at_source
    return json_text(data)


CSV_COLUMNS = (
    "section", "question", "title", "deadline", "days", "span",
    "forecaster", "made", "age_days", "window", "closes",
)
SYNC_COLUMNS = ("source", "result", "known")  # with --sync or --responses


def to_csv(found: Report) -> str:
    """One line per item, with a `section` column: overdue, upcoming, closing, stale.

    A closing window's `days` is negative once it has closed. With --sync or
    --responses, also at_source, and the source's columns.
    """
    names = CSV_COLUMNS + (SYNC_COLUMNS if found.at_source is not None else ())
    return dicts_text(names, (
        {"section": section, **row}
        for section in SECTIONS
        for row in getattr(found, section) or []
    ))
