"""Windows that close: those closed in a scorecard's year, and those closing next.

A date window closes on its last day (widest reading). On the scorecard of
the year it closed in, each standing window is listed with what is known of
it by the page's day: the outcome it held or missed, a miss a not-yet entry
settled ("window closed ... without the event; timing error at least ..."),
or nothing yet, when no outcome or not-yet entry was recorded after it closed
(`ledger due` lists it to check). The windows on open or due questions that
close by the end of the next year are listed too, as coming.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

import pandas as pd

from ledger.core.dates import When
from ledger.report.book import records
from ledger.report.cards import claim, cut
from ledger.report.caveats import Footnotes, row_notes
from ledger.report.resolved import interval_text
from ledger.report.timing import verdict
from ledger.score.explain import closed_note

if TYPE_CHECKING:
    from ledger.core.model import Forecast, Question
    from ledger.report.book import Book
    from ledger.report.cards import More

Lists = tuple[dict[str, Any], dict[str, int], dict[str, "More | None"]]
"""Some of a year page's lists, how many each holds in all, and their notes."""

UNCHECKED = (
    "closed, nothing recorded since: no outcome and no not-yet entry "
    "(ledger due lists it to check)"
)


def _what_is_known(row: dict[str, Any], question: Question) -> str:
    """What is known of a closed window as of the page's day."""
    state = str(row["status"])
    if state in ("resolved", "void"):
        return verdict(row, question, state)
    note = closed_note(row)
    if note is not None and row["excluded"] in ("", "no probability"):
        known = pd.Timestamp(row["known"]).date().isoformat()
        return f"{note} (not happened as of {known}, a not-yet entry)"
    return UNCHECKED


def closed(book: Book, year: int, day: dt.date) -> Lists:
    """The standing date windows that closed in `year`, by `day`: what is known of each.

    By closing day, question title, forecaster name.
    """
    frame = book.frame(day)
    end = frame["window_end"]
    mask = (
        frame["standing"]
        & end.notna()
        & (end.dt.year == year)
        & (end <= pd.Timestamp(day))
    )
    columns = ["question", "forecaster", "line", "status", "excluded", "known",
               "outcome", "timing_error", "censored", "interval_score",
               "coverage_assumed", "window_end"]
    rows = records(frame.loc[mask.to_numpy(), columns])
    rows.sort(key=lambda r: (
        r["window_end"], book.questions[r["question"]].title,
        book.name(str(r["forecaster"])).casefold(), r["line"],
    ))
    total = len(rows)
    rows, more = cut(
        rows, book, f"forecast windows that closed in {year}",
        f"--as-of {day.isoformat()} --format csv", False,
    )
    notes = Footnotes(f"closed-{year}")
    shown = []
    for row in rows:
        question = book.questions[row["question"]]
        forecast = book.forecast((row["question"], row["line"]))
        name = book.name(str(row["forecaster"]))
        shown.append({
            **claim(book, question, forecast, True),
            "title": question.title,
            "closed": pd.Timestamp(row["window_end"]).date().isoformat(),
            "known": _what_is_known(row, question),
            "interval": interval_text(row, question),
            "refs": notes.refs(row_notes(book, question, forecast, name, day=day)),
        })
    return (
        {"closed": shown, "closed_notes": notes.items},
        {"closed": total},
        {"closed": more},
    )


def closing(book: Book, year: int, day: dt.date, questions: list[Question]) -> Lists:
    """The standing windows on open or due `questions` that close by next year's end."""
    windows: list[tuple[tuple[str, str, str, int], Question, Forecast]] = []
    horizon = dt.date(year + 1, 12, 31)
    for q in questions:
        if q.kind == "binary" or book.state(q, day)[0] not in ("open", "due"):
            continue  # a binary question's forecasts have no window
        for f in book.standing(q, day):
            end = f.window.end if f.window is not None else None
            if isinstance(end, When) and day < end.latest <= horizon:
                name = book.name(f.by).casefold()
                key = (end.latest.isoformat(), q.title, name, len(windows))
                windows.append((key, q, f))
    windows.sort(key=lambda item: item[0])
    windows, more = cut(
        windows, book, f"forecast windows closing by the end of {year + 1}",
        f"--as-of {day.isoformat()} --format csv", False,
    )
    notes = Footnotes(f"closing-{year + 1}")
    found = []
    for key, q, f in windows:
        name = book.name(f.by)
        found.append({
            **claim(book, q, f, True),
            "title": q.title,
            "closes": key[0],
            "refs": notes.refs(row_notes(book, q, f, name, day=day)),
        })
    return {"closing": found, "closing_notes": notes.items}, {}, {"closing": more}
