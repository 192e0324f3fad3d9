"""Crowd prices: a market's price history as a line next to the people's forecasts.

A crowd forecaster is one a question's resolver names as its `crowd` (the
forecaster `ledger sync --crowd` records the market's prices as), or any
forecaster whose id ends in `-crowd` (the platform crowds an import
records). For each binary question with a crowd forecast, the chart draws the
crowd's prices as a step line (each price stands until the next one), every
other forecast with a probability as a marker (a bar from the earliest to the
latest reading of `made` when only bounds are known), and the outcome, or the
as-of date while the question is open, as a vertical line. Probabilities run
0-100% up the side; dates along the bottom.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ledger.core.text import percent
from ledger.report.cards import claim, shorten
from ledger.report.caveats import Footnotes, row_notes
from ledger.report.charts import INK, MUTED, PALETTE, SHAPES, canvas, legend, marker, n
from ledger.report.timeline import date_ticks, date_value

if TYPE_CHECKING:
    import datetime as dt

    from ledger.core.model import Forecast, Ledger, Outcome, Question
    from ledger.report.book import Book
    from ledger.report.render import Charts

LEFT, RIGHT, TOP, BOTTOM = 64.0, 560.0, 44.0, 264.0
CROWD_COLOUR = INK


def crowds(ledger: Ledger) -> frozenset[str]:
    """The ids of crowd forecasters: named by a resolver, or ending in `-crowd`."""
    named = {
        q.resolver.crowd for q in ledger.questions if q.resolver and q.resolver.crowd
    }
    ending = {f.id for f in ledger.forecasters if f.id.endswith("-crowd")}
    return frozenset(named | ending)


class _Scale:
    """Where a day and a probability fall in the plot."""

    def __init__(self, first: float, last: float) -> None:
        pad = max(10.0, (last - first) * 0.04)
        self.lo, self.hi = first - pad, last + pad

    def x(self, day: float) -> float:
        return LEFT + (RIGHT - LEFT) * (day - self.lo) / (self.hi - self.lo)

    @staticmethod
    def y(p: float) -> float:
        return BOTTOM - (BOTTOM - TOP) * p


def _steps(scale: _Scale, prices: list[Forecast], end: float) -> str:
    """The crowd's prices as a step line, each standing until the next, to `end`."""
    points: list[str] = []
    for i, forecast in enumerate(prices):
        assert forecast.p is not None
        start = date_value(forecast.made.earliest)
        until = date_value(prices[i + 1].made.earliest) if i + 1 < len(prices) else end
        y = n(scale.y(forecast.p))
        points += [f"{n(scale.x(start))},{y}", f"{n(scale.x(max(start, until)))},{y}"]
    return " ".join(points)


def geometry(
    prices: list[Forecast],
    others: list[tuple[str, Forecast]],
    event: tuple[float, str],
    title: str,
    label: str,
) -> dict[str, Any]:
    """The chart: the crowd's step line, the others' markers and one event line.

    `others` holds (label, forecast) pairs; `event` the day value and text of
    the outcome (or as-of) line.
    """
    days = [date_value(f.made.earliest) for f in prices]
    days += [date_value(f.made.latest) for _, f in others] + [event[0]]
    days += [date_value(f.made.earliest) for _, f in others]
    scale = _Scale(min(days), max(days))
    chart = canvas(720, 300, title, label, "")
    chart["grid_lines"] = [
        {
            "x1": n(LEFT),
            "x2": n(RIGHT),
            "y": n(scale.y(p / 100)),
            "text_y": n(scale.y(p / 100) + 4),
            "text": f"{p}%",
        }
        for p in (0, 25, 50, 75, 100)
    ]
    chart["x_ticks"] = [
        {"x": n(scale.x(value)), "y": n(BOTTOM + 18), "text": text}
        for value, text in date_ticks(scale.lo, scale.hi)
    ]
    chart["box"] = {
        "left": n(LEFT),
        "right": n(RIGHT),
        "bottom": n(BOTTOM),
        "text_x": n(LEFT - 8),
    }
    chart["crowd"] = {"colour": CROWD_COLOUR, "points": _steps(scale, prices, event[0])}
    chart["event"] = {
        "x": n(scale.x(event[0])),
        "top": n(TOP - 8),
        "bottom": n(BOTTOM),
        "text": event[1],
        "colour": MUTED,
    }
    chart["y_title"] = {
        "x": n(LEFT - 46),
        "y": n((TOP + BOTTOM) / 2),
        "text": "Probability of yes",
    }
    chart["marks"], who = _marks(scale, others)
    entries = [
        {
            "kind": "line",
            "colour": CROWD_COLOUR,
            "width": "2",
            "text": "the crowd's price",
        }
    ]
    entries += [
        {
            "kind": "marker",
            "shape": SHAPES[k % len(SHAPES)],
            "colour": PALETTE[k % len(PALETTE)],
            "text": name,
        }
        for name, k in who.items()
    ]
    chart["legend"] = legend(580, TOP + 6, entries)
    return chart


def _marks(
    scale: _Scale, others: list[tuple[str, Forecast]]
) -> tuple[list[dict[str, Any]], dict[str, int]]:
    """The others' markers, and the index of each name's colour and shape."""
    who: dict[str, int] = {}
    marks = []
    for name, forecast in others:
        k = who.setdefault(name, len(who))
        colour, shape = PALETTE[k % len(PALETTE)], SHAPES[k % len(SHAPES)]
        assert forecast.p is not None
        y = scale.y(forecast.p)
        x0 = scale.x(date_value(forecast.made.earliest))
        x1 = scale.x(date_value(forecast.made.latest))
        marks.append(
            {
                "colour": colour,
                "x0": n(x0),
                "x1": n(x1),
                "y": n(y),
                "path": marker(shape, (x0 + x1) / 2, y),
            }
        )
    return marks, who


def _event(
    question: Question, found: Outcome | None, day: dt.date
) -> tuple[float, str]:
    if found is not None and found.result.kind != "provisional":
        return date_value(found.known.latest), f"outcome: {found.result}"
    return date_value(day), f"as of {day.isoformat()}"


def price_chart(
    book: Book, question: Question, day: dt.date, drawn: Charts, stem: str
) -> dict[str, Any] | None:
    """A question's crowd prices and the people's forecasts, or None without prices."""
    crowd_ids = crowds(book.ledger)
    made = [f for f in question.forecasts if book.counts(f, day) and f.p is not None]
    prices = sorted(
        (f for f in made if f.by in crowd_ids),
        key=lambda f: (f.made.earliest, f.location.line),
    )
    if not prices:
        return None
    others = [(shorten(book.name(f.by), 24), f) for f in made if f.by not in crowd_ids]
    state, found = book.state(question, day)
    event = _event(question, found, day)
    crowd_names = sorted({book.name(f.by) for f in prices})
    label = (
        f"{', '.join(crowd_names)}: {len(prices)} prices from "
        f"{prices[0].made} ({percent(prices[0].p)}) to {prices[-1].made} "
        f"({percent(prices[-1].p)}), beside {len(others)} other forecasts"
    )
    chart = geometry(prices, others, event, f"Crowd prices: {question.title}", label)
    chart["desc"] = (
        label
        + ". "
        + "; ".join(f"{book.name(f.by)} {f.made}: {percent(f.p)}" for f in made)
    )
    rows = [claim(book, question, f, False) for f in made]
    notes = Footnotes(f"{stem}-table")
    for row, forecast in zip(rows, made, strict=True):
        row["crowd"] = forecast.by in crowd_ids
        row["refs"] = notes.refs(row_notes(book, question, forecast, row["name"]))
    return {
        "id": question.id,
        "title": question.title,
        "state": state,
        "outcome": str(found.result) if found is not None else "not yet known",
        "chart": drawn.add("prices.svg.j2", stem, chart),
        "rows": rows,
        "notes": notes.items,
    }
