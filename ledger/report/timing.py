"""The timing section of a question: its forecast windows against the outcome.

For a date or numeric question, each standing forecast with a window is a
row of a table (with its width, its interval score once the outcome is
known, a verdict: inside, missed by how much, closed without the event, not
yet known; and references to its caveats) and a bar of a timeline chart
(`ledger.report.timeline`), with the deadline, the outcome or the as-of date
as vertical lines. The question's criteria and the keeper's note on it come
with it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ledger.core.dates import When
from ledger.core.text import missing, percent, plural
from ledger.report import timeline as drawing
from ledger.report.cards import claim, question_about, shorten
from ledger.report.caveats import Footnotes, row_notes
from ledger.report.resolved import interval_text, miss
from ledger.score.explain import closed_note

if TYPE_CHECKING:
    import datetime as dt

    from ledger.core.model import Bound, Forecast, Outcome, Question
    from ledger.report.book import Book
    from ledger.report.render import Charts


def axis_value(bound: Bound) -> tuple[float, float] | None:
    """A window end on the chart's axis: (earliest, latest), or None when open."""
    if bound is None:
        return None
    if isinstance(bound, When):
        return drawing.date_value(bound.earliest), drawing.date_value(bound.latest)
    return float(bound), float(bound)


def verdict(row: dict[str, Any], question: Question, state: str) -> str:
    """Whether the window held the outcome, as of the day of `row`.

    A window a not-yet entry closed is a miss: 'window closed ... without the
    event; timing error at least ...'.
    """
    if state in ("open", "due") and row and row.get("censored"):
        return closed_note(row) or "not yet known"
    if state == "resolved" and row:
        inside = row.get("outcome")
        if missing(inside) and missing(row.get("timing_error")):
            return "undetermined"
        if inside == 1 or row.get("timing_error") == 0:
            return "inside the window"
        return f"missed by {miss(row, question)}"
    if state == "void":
        return "void"
    return "not yet known"


def _bar(book: Book, forecast: Forecast, dates: bool) -> dict[str, Any]:
    """The forecast's window as a row of the timeline chart."""
    window = forecast.window
    assert window is not None  # only forecasts with a window are drawn
    return {
        "label": shorten(book.name(forecast.by)),
        "note": percent(forecast.p) if forecast.p is not None else "no p",
        "start": axis_value(window.start),
        "end": axis_value(window.end),
        "made": drawing.date_value(forecast.made.earliest) if dates else None,
    }


def _event(value: float, text: str, style: str) -> dict[str, Any]:
    return {"value": value, "text": text, "style": style}


def _outcome(
    question: Question, state: str, found: Outcome | None, day: dt.date
) -> tuple[str, list[dict[str, Any]]]:
    """The outcome in words, and the chart's vertical lines (deadline, outcome)."""
    dates = question.kind == "date"
    events = []
    if dates:
        deadline = drawing.date_value(question.deadline.latest)
        events.append(_event(deadline, f"deadline {question.deadline}", "deadline"))
    if state == "resolved" and found is not None:
        value = found.result.value
        if isinstance(value, When):
            outcome = f"happened {value}"
            happened = drawing.date_value(value.earliest)
            events.append(_event(happened, outcome, "outcome"))
        elif isinstance(value, float) and found.result.kind == "number":
            outcome = f"outcome {found.result} {question.unit or ''}".rstrip()
            events.append(_event(value, outcome, "outcome"))
        else:
            outcome = "did not happen by the deadline"
    elif state == "void":
        outcome = "void"
    else:
        outcome = f"not yet (as of {day.isoformat()})"
        if dates:
            text = f"not yet: as of {day.isoformat()}"
            events.append(_event(drawing.date_value(day), text, "as-of"))
    return outcome, events


def timing(
    book: Book, question: Question, day: dt.date, drawn: Charts, stem: str
) -> dict[str, Any] | None:
    """The windows of `question`'s standing forecasts against its outcome, by `day`."""
    standing = [f for f in book.standing(question, day) if f.window is not None]
    if not standing:
        return None
    standing.sort(key=lambda f: (f.made.earliest, book.name(f.by).casefold(), f.by))
    state, found = book.state(question, day)
    dates = question.kind == "date"
    rows, table = [], []
    notes = Footnotes(f"{stem}-table")
    for forecast in standing:
        row = book.rows(day).get((question.id, forecast.location.line), {})
        rows.append(_bar(book, forecast, dates))
        name = book.name(forecast.by)
        table.append({
            **claim(book, question, forecast, True),
            "verdict": verdict(row, question, state),
            "interval": interval_text(row, question) if row else "—",
            # the question's note is shown with the question, above the table
            "refs": notes.refs(
                row_notes(book, question, forecast, name, question_note=False, day=day)
            ),
        })
    outcome, events = _outcome(question, state, found, day)
    label = (
        f"Timing of {plural(len(rows), 'window')} on “{shorten(question.title, 80)}”: "
        f"{outcome}"
    )
    desc = "; ".join(
        f"{c['name']}: {c['window']}, {c['p']} ({c['verdict']})" for c in table
    )
    axis = "Date" if dates else f"Value{f' ({question.unit})' if question.unit else ''}"
    geometry = drawing.timeline(
        rows,
        events,
        dates=dates,
        axis_title=axis,
        title=shorten(question.title, 90),
        label=label,
        desc=f"{label}. {desc}.",
    )
    return {
        "id": question.id,
        "title": question.title,
        "kind": question.kind,
        "deadline": str(question.deadline),
        "outcome": outcome,
        **question_about(book, question, day),
        "rows": table,
        "notes": notes.items,
        "chart": drawn.add("timeline.svg.j2", stem, geometry),
    }
