"""Caveats: what qualifies a forecast, shown wherever the forecast is.

Everything in a ledger except the forecasters' quoted words is the keeper's:
the criteria, the notes on questions and forecasts, the judged probabilities.
A page says so next to each. It also shows hindsight (`ledger.query.hindsight`):
a forecast entered more than LATE_DAYS days after it was made is "entered
late", with the gap; a question whose criteria were written more than
LATE_DAYS days after a forecast flags that forecast the same way.

A card shows a forecast's caveats beside it. A table cannot, so each row
carries numbered references to notes printed under the table (`Footnotes`):
the keeper's note on the question, the forecast's note and its flags, each
numbered once per table. A source's note qualifies every forecast from it:
each citation links to the source's entry on the sources page
(`source_anchor`), which shows it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ledger.query.hindsight import LATE_DAYS
from ledger.report.escape import safe_name
from ledger.report.judged import note
from ledger.sync.plan import NOTE_PREFIX

if TYPE_CHECKING:
    import datetime as dt
    from collections.abc import Iterable

    from ledger.core.model import Forecast, Question
    from ledger.query.hindsight import Entry
    from ledger.report.book import Book

__all__ = [
    "LATE_DAYS", "Footnotes", "flags", "note_label", "row_notes", "source_anchor",
]


def note_label(note: str) -> str:
    """Whose a forecast's note is: 'the keeper's note', or `ledger sync`'s.

    Every note is the keeper's except those `ledger sync` wrote with the
    prices it recorded (they begin with its NOTE_PREFIX).
    """
    if note.startswith(NOTE_PREFIX):
        return "written by ledger sync"
    return "the keeper's note"


def days(count: int) -> str:
    """A number of days: '1 day', '1,061 days'."""
    return f"{count:,} day{'' if count == 1 else 's'}"


def entered_text(entry: Entry, as_of: str) -> str | None:
    """'entered late: ...' for a forecast entered late, else None."""
    if not entry.late or entry.entered is None or entry.late_days is None:
        return None
    gap = days(entry.late_days)
    if entry.how == "git":
        return (
            f"entered late: first committed {entry.entered.isoformat()}, {gap} "
            "after it was made"
        )
    if entry.how == "uncommitted":
        return (
            f"entered late: in no commit by {as_of}, at least {gap} after it was made"
        )
    return (
        f"entered late: entered {entry.entered.isoformat()} (its entered: date), "
        f"{gap} after it was made"
    )


def criteria_text(book: Book, question: Question, forecast: Forecast) -> str | None:
    """'criteria written ...' when they came more than LATE_DAYS after `forecast`."""
    if question.written is None:
        return None
    found = book.criteria(question)
    for _, location, gap in found.after:
        if location == forecast.location:
            return (
                f"the keeper wrote the question's criteria {found.written}, "
                f"{days(gap)} after it was made"
            )
    return None


def flags(book: Book, question: Question, forecast: Forecast) -> list[str]:
    """The hindsight flags of `forecast`: entered late, criteria written after it."""
    found = []
    entry = book.entry(forecast)
    if entry is not None:
        late = entered_text(entry, book.as_of.isoformat())
        if late is not None:
            found.append(late)
    written = criteria_text(book, question, forecast)
    if written is not None:
        found.append(written)
    return found


def row_notes(
    book: Book,
    question: Question,
    forecast: Forecast,
    name: str,
    *,
    question_note: bool = True,
    day: dt.date | None = None,
) -> list[str]:
    """The notes a table row of `forecast` refers to, each a sentence or more.

    The keeper's note on the question (unless `question_note` is false: the
    page shows it with the question), its judges' gradings known by `day`
    (default: the as-of date; `report.judged`), then the forecast's note and flags.
    """
    texts = []
    if question_note and question.note:
        texts.append(f"The keeper's note on “{question.title}”: {question.note}")
    judged = note(book, question, day or book.as_of)
    if judged is not None:
        texts.append(judged)
    parts = [f"{note_label(forecast.note)}: {forecast.note}"] if forecast.note else []
    found = flags(book, question, forecast)
    if found:
        parts.append("Hindsight: " + "; ".join(found) + ".")
    if parts:
        texts.append(f"{name} on “{question.title}”: " + " ".join(parts))
    return texts


class Footnotes:
    """The numbered notes under one table: each distinct text once, in order."""

    def __init__(self, prefix: str) -> None:
        self.prefix = safe_name(prefix)
        self.items: list[dict[str, Any]] = []
        self._numbers: dict[str, int] = {}

    def refs(self, texts: Iterable[str]) -> list[dict[str, Any]]:
        """The references of a row to `texts`: {n, anchor}, numbering new ones."""
        found = []
        for text in texts:
            if text not in self._numbers:
                n = len(self.items) + 1
                self._numbers[text] = n
                self.items.append({"n": n, "anchor": self.anchor(n), "text": text})
            n = self._numbers[text]
            found.append({"n": n, "anchor": self.anchor(n)})
        return found

    def anchor(self, n: int) -> str:
        """The HTML id of note `n`."""
        return f"{self.prefix}-note-{n}"


def source_anchor(source: str) -> str:
    """The anchor of a source's entry on the sources page.

    An HTML id, and the GitHub anchor of its Markdown heading 'Source: ID'.
    """
    return f"source-{safe_name(source)}"
