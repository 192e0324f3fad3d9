"""Questions and forecasts as a page shows them: claims, cards and long lists.

A claim is one forecast in words (`42%`, `window 2027-01 to 2027-06, 60%`),
with its basis, source, quote and caveats (`ledger.report.caveats`); a card
is a question with its criteria, the keeper's note and its standing claims
as of a day. Numbers are written by `ledger.core.text`, with the
true minus sign. A list longer than LIST_LIMIT is cut (`cut`), with a note
saying how many there are and which command lists them all.
"""

from __future__ import annotations

import math
import os
import shlex
from typing import TYPE_CHECKING, Any, TypedDict, TypeVar

from ledger.core import windows, words
from ledger.core.text import MINUS, missing, percent, plural
from ledger.core.text import interval as text_interval
from ledger.core.text import number as text_number
from ledger.query.due import span
from ledger.query.listing import quantiles_rows, window_text
from ledger.report import caveats
from ledger.report.escape import clean
from ledger.report.judged import note as judged_note
from ledger.show.lists import quantiles_text

if TYPE_CHECKING:
    import datetime as dt
    from collections.abc import Iterable

    from ledger.core.model import Forecast, Outcome, Question
    from ledger.report.book import Book

LIST_LIMIT = 200
"""The most items one list on a page shows (question cards, table rows, timing
charts). Beyond it the page shows the first LIST_LIMIT, in the list's order,
and says how many there are in all and which command lists every one: a
100,000-question ledger would otherwise write year pages of 300 MB that no
browser opens. Scored forecasts (the resolved tables) are never cut."""

Item = TypeVar("Item")


class More(TypedDict):
    """The note under a cut list: how many are shown, of how many, and the command."""

    shown: str
    total: str
    what: str
    exact: bool
    command: str


def num(value: object, digits: int = 3) -> str:
    """A number with fixed decimals and a true minus sign; '—' when missing.

    >>> num(0.12345), num(-1.5, 1), num(-0.0001, 2), num(float("nan"))
    ('0.123', '−1.5', '0.00', '—')
    """
    return text_number(value, digits, minus=MINUS)


def interval(low: object, high: object, digits: int = 3, percent: bool = False) -> str:
    """An interval as 'LOW to HIGH' with true minus signs; '—' when missing.

    >>> interval(-0.27, 0.11), interval(0.2, 0.9, percent=True)
    ('−0.270 to 0.110', '20.0% to 90.0%')
    """
    return text_interval(low, high, digits, percent=percent, minus=MINUS)


def shorten(text: str, size: int = 26) -> str:
    """`text` cut to `size` characters, with an ellipsis when it was longer."""
    return text if len(text) <= size else text[: size - 1].rstrip() + "…"


def cut(
    items: list[Item], book: Book, what: str, options: str, exact: bool = True
) -> tuple[list[Item], More | None]:
    """(The first LIST_LIMIT of `items`, a note on the rest or None).

    The note says how many `what` there are and the command that lists them,
    `ledger list FILE OPTIONS` or, when `options` starts with a command name,
    `ledger OPTIONS`; `exact`: it lists these and no more (else, these among
    others).
    """
    total = len(items)
    if total <= LIST_LIMIT:
        return items, None
    name = shlex.quote(os.path.basename(book.ledger.path) or book.ledger.path)
    command, _, rest = options.partition(" ")
    parts = (
        ["ledger", command, name, rest]
        if command in ("due", "compare")
        else ["ledger", "list", name, options]
    )
    return items[:LIST_LIMIT], {
        "shown": f"{min(len(items), LIST_LIMIT):,}",
        "total": f"{total:,}",
        "what": what,
        "exact": exact,
        "command": clean(" ".join(w for w in parts if w)),
    }


def by_deadline(questions: Iterable[Question]) -> list[Question]:
    """`questions`, the soonest deadline (its latest reading) first, then by id."""
    return sorted(questions, key=lambda q: (q.deadline.latest, q.id))


def bound_text(forecast: Forecast, question: Question) -> str:
    """A forecast's window in words: 'A to B', 'A or later', 'by B', 'up to B'."""
    start, end = window_text(forecast)
    unit = f" {question.unit}" if question.unit and question.kind == "numeric" else ""
    if start and end:
        return f"{start} to {end}{unit}"
    if start:
        return f"{start}{unit} or later"
    return f"by {end}{unit}" if question.kind == "date" else f"up to {end}{unit}"


def window_width(forecast: Forecast, question: Question) -> str:
    """`width_text` of the forecast's window ('' without one)."""
    if forecast.window is None:
        return ""
    low, high = windows.ends(forecast.window)
    return width_text((high - low) / windows.unit_days(question.kind), question)


def claim_text(forecast: Forecast, question: Question) -> str:
    """What a forecast says: its probability, its window, or both; its quantiles."""
    given = quantiles_rows(forecast)
    if not given:
        return _window_claim(forecast, question)
    numeric = question.unit and question.kind == "numeric"
    said = quantiles_text(given) + (f" {question.unit}" if numeric else "")
    if forecast.window is None:
        return said
    return f"{_window_claim(forecast, question)}; {said}"


def _window_claim(forecast: Forecast, question: Question) -> str:
    """A forecast's probability, or its window with its probability."""
    if forecast.window is None:
        return percent(forecast.p)
    window = f"window {bound_text(forecast, question)}"
    width = window_width(forecast, question)
    if width and width != "open-ended":
        window += f" ({width})"
    return (
        f"{window}, {percent(forecast.p)}"
        if forecast.p is not None
        else f"{window}, no probability"
    )


def basis_text(forecast: Forecast) -> str:
    """Where a forecast's probability comes from, in words.

    'stated', 'mapped from “likely” with ICD 203 ...', 'judged by the keeper'.
    """
    if forecast.basis == "mapped" and forecast.words:
        table = (
            words.tables().get(forecast.table or "", {}).get("name", forecast.table)
        )
        return f"mapped from “{forecast.words}” with {table}"
    if forecast.basis == "judged":
        return "judged by the keeper"
    return forecast.basis


def width_text(width: object, question: Question) -> str:
    """A window's width: '1.08 y wide', '10 GW wide', 'open-ended'; '' when missing.

    In years (365.25 days) on a date question, the question's unit on a
    numeric one, at the widest reading of the window's ends.
    """
    if missing(width):
        return ""
    if width == math.inf:
        return "open-ended"
    unit = "y" if question.kind == "date" else (question.unit or "")
    return f"{num(width, 2)} {unit}".rstrip() + " wide"


def claim(
    book: Book, question: Question, forecast: Forecast, standing: bool
) -> dict[str, Any]:
    """One forecast as a page shows it: who, when, what, on what basis, from where.

    With its caveats (`ledger.report.caveats`): the keeper's note and the
    hindsight flags, and a link to its source's entry on the sources page.
    """
    source = book.sources.get(forecast.source or "")
    written = forecast.window.text if forecast.window is not None else ""
    start, end = window_text(forecast)
    return {
        "forecaster": forecast.by,
        "name": book.name(forecast.by),
        "made": str(forecast.made),
        "claim": claim_text(forecast, question),
        "p": percent(forecast.p) if forecast.p is not None else "no probability",
        "window": bound_text(forecast, question)
        if forecast.window is not None
        else "",
        "written": written if written and written != f"{start}..{end}" else "",
        "width": window_width(forecast, question),
        "basis": forecast.basis,
        "basis_text": basis_text(forecast),
        "quote": forecast.quote,
        "note": forecast.note,
        "note_label": caveats.note_label(forecast.note) if forecast.note else "",
        "flags": caveats.flags(book, question, forecast),
        "source": None
        if source is None
        else {
            "title": source.title,
            "url": book.url(source),
            "anchor": caveats.source_anchor(source.id),
        },
        "standing": standing,
    }


def when(question: Question, state: str, day: dt.date) -> str:
    """The question's deadline from `day`: 'in 3m', '1y ago', 'overdue by ...'."""
    days = (question.deadline.latest - day).days
    if state == "due":
        return f"overdue by {plural(-days, 'day')} ({span(-days)})"
    if days == 0:
        return "due today"
    return f"in {span(days)}" if days > 0 else f"{span(-days)} ago"


def outcome_text(question: Question, found: Outcome | None) -> str:
    """The standing outcome as words: 'yes', '0.5', '2027-09-15', 'void', ..."""
    if found is None or found.result.kind == "provisional":
        return "not yet"
    if found.result.kind == "no" and question.kind == "date":
        return "did not happen by the deadline"
    return str(found.result)


def question_about(book: Book, question: Question, day: dt.date) -> dict[str, Any]:
    """What a page says of a question besides its forecasts: the keeper's words.

    The criteria and when they were written, the keeper's note, why it is
    never scored, its judges and their gradings (`report.judged`), and the
    note of its standing outcome (with who recorded it).
    """
    found = book.state(question, day)[1]
    outcome_note = None
    if found is not None and found.note:
        who = f" (recorded by {found.by})" if found.by else ""
        outcome_note = f"{found.note}{who}"
    return {
        "criteria": question.criteria,
        "criteria_written": str(question.written) if question.written else "",
        "note": question.note,
        "unscorable": question.unscorable,
        "judged": judged_note(book, question, day),
        "outcome_note": outcome_note,
        "not_yet": _not_yet_text(book, question, day),
    }


def _not_yet_text(book: Book, question: Question, day: dt.date) -> str:
    """'not happened as of DATE (a not-yet entry)' for an open date question, or ''."""
    if question.kind != "date":
        return ""
    checked = book.not_yet(question, day)
    return "" if checked is None else f"had not happened as of {checked.isoformat()}"


def card(
    book: Book, question: Question, day: dt.date, only: str | None = None
) -> dict[str, Any]:
    """A question with its standing forecasts as of `day` (or only `only`'s)."""
    state, found = book.state(question, day)
    claims = [
        claim(book, question, f, True)
        for f in book.standing(question, day)
        if only is None or f.by == only
    ]
    claims.sort(key=lambda c: (c["name"].casefold(), c["forecaster"]))
    return {
        "id": question.id,
        "title": question.title,
        "kind": question.kind,
        "deadline": str(question.deadline),
        "when": when(question, state, day),
        "status": state,
        **question_about(book, question, day),
        "outcome": outcome_text(question, found),
        "claims": claims,
    }
