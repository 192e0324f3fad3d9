"""The timeline chart's geometry: a question's forecast windows on one axis.

Each forecast's window is a bar on one axis (years for a date question, the
unit for a numeric one): the widest reading of its ends light, the narrowest
dark, an open end as an arrow to the edge, and a dot on the day it was made;
vertical lines mark the outcome (or, while open, the as-of date) and the
deadline. Coordinates, markers and colours are `ledger.report.charts`'.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ledger.report.charts import INK, LIGHT, MUTED, PALETTE, canvas, clamp, marker, n

if TYPE_CHECKING:
    from collections.abc import Sequence

LEFT, RIGHT = 170.0, 620.0  # the axis, between the labels and the notes
ROW_HEIGHT = 26.0
STYLES = {  # event style: (colour, dash, width)
    "outcome": (INK, "", "2"),
    "as-of": (PALETTE[1], "6 4", "2"),
    "deadline": (MUTED, "2 3", "1.5"),
}


def date_value(day: dt.date) -> float:
    """A day as a number on a date axis (its ordinal)."""
    return float(day.toordinal())


def date_ticks(lo: float, hi: float) -> list[tuple[float, str]]:
    """Ticks at the start of years between lo and hi (day ordinals), at most 12."""
    first = dt.date.fromordinal(math.ceil(lo)).year
    last = dt.date.fromordinal(math.floor(hi)).year
    years = [
        year for year in range(first, last + 1) if dt.date(year, 1, 1).toordinal() >= lo
    ]
    step = max(1, math.ceil(len(years) / 12))
    return [(date_value(dt.date(year, 1, 1)), str(year)) for year in years[::step]]


def number_ticks(lo: float, hi: float) -> list[tuple[float, str]]:
    """Round-number ticks between lo and hi, about five of them.

    >>> [text for _, text in number_ticks(0.8, 4.2)]
    ['1', '2', '3', '4']
    """
    span = hi - lo or 1.0
    raw = span / 5
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    start = math.ceil(lo / step)
    digits = max(0, -math.floor(math.log10(step)))
    ticks = []
    for i in range(start, math.floor(hi / step) + 1):
        value = i * step
        text = f"{value:.{digits}f}" if abs(value) < 1e15 else f"{value:.3g}"
        ticks.append((value, "0" if float(text) == 0 else text))
    return ticks


@dataclass(frozen=True)
class _Axis:
    """The axis from `lo` to `hi`, drawn from LEFT to RIGHT."""

    lo: float
    hi: float

    def x(self, v: float) -> float:
        return LEFT + (RIGHT - LEFT) * (clamp(v) - self.lo) / (self.hi - self.lo)


def _axis(
    rows: Sequence[dict[str, Any]], events: Sequence[dict[str, Any]], dates: bool
) -> _Axis:
    """An axis over every window end, event and day made, with 4% to spare."""
    values: list[float] = [
        v for r in rows for end in (r["start"], r["end"]) if end for v in end
    ]
    values += [e["value"] for e in events] + [r["made"] for r in rows if r.get("made")]
    lo, hi = clamp(min(values)), clamp(max(values))
    pad = (hi - lo) * 0.04 or (30.0 if dates else 1.0)
    return _Axis(lo - pad, hi + pad)


def _ticks(
    axis: _Axis, dates: bool, top: float, bottom: float, axis_title: str
) -> dict[str, Any]:
    """The axis line, its ticks (years, or round numbers) and its title."""
    ticks = date_ticks(axis.lo, axis.hi) if dates else number_ticks(axis.lo, axis.hi)
    return {
        "axis": {"x1": n(LEFT), "x2": n(RIGHT), "y": n(bottom)},
        "ticks": [
            {
                "x": n(axis.x(v)),
                "y1": n(top - 4),
                "y2": n(bottom + 4),
                "text_y": n(bottom + 18),
                "text": text,
            }
            for v, text in ticks
        ],
        "axis_title": {
            "x": n((LEFT + RIGHT) / 2),
            "y": n(bottom + 38),
            "text": axis_title,
        },
    }


def _box(x0: float, x1: float, middle: float) -> dict[str, str]:
    return {
        "x": n(x0),
        "y": n(middle - 6),
        "width": n(max(x1 - x0, 3.0)),
        "height": "12",
    }


def _bar(axis: _Axis, row: dict[str, Any], middle: float) -> dict[str, Any]:
    """One window at height `middle`: light outer bar, dark core, arrows, dot."""
    start, end = row["start"], row["end"]
    outer_lo = axis.x(start[0]) if start else LEFT
    outer_hi = axis.x(end[1]) if end else RIGHT
    core_lo = axis.x(start[1]) if start else LEFT
    core_hi = axis.x(end[0]) if end else RIGHT
    arrows = []
    if not start:
        arrows.append(
            f"M{n(LEFT - 6)} {n(middle)}"
            f"L{n(LEFT)} {n(middle - 7)}L{n(LEFT)} {n(middle + 7)}Z"
        )
    if not end:
        arrows.append(
            f"M{n(RIGHT + 6)} {n(middle)}"
            f"L{n(RIGHT)} {n(middle - 7)}L{n(RIGHT)} {n(middle + 7)}Z"
        )
    return {
        "label": row["label"],
        "note": row["note"],
        "label_x": n(LEFT - 8),
        "note_x": n(RIGHT + 12),
        "text_y": n(middle + 4),
        "outer": _box(outer_lo, outer_hi, middle),
        "core": _box(core_lo, core_hi, middle) if core_hi >= core_lo else None,
        "arrows": arrows,
        "made": marker("circle", axis.x(row["made"]), middle, 3.5)
        if row.get("made")
        else None,
    }


def _event_lines(
    axis: _Axis, events: Sequence[dict[str, Any]], bottom: float
) -> list[dict[str, Any]]:
    """A vertical line per event, left to right, each text on a row of its own."""
    lines = []
    for i, event in enumerate(sorted(events, key=lambda e: e["value"])):
        ex = axis.x(event["value"])
        colour, dash, width = STYLES[event["style"]]
        anchor = "start" if ex < (LEFT + RIGHT) / 2 else "end"
        lines.append(
            {
                "x": n(ex),
                "y1": n(42 + 16 * i),
                "y2": n(bottom),
                "colour": colour,
                "dash": dash,
                "width": width,
                "text": event["text"],
                "anchor": anchor,
                "text_x": n(ex + 4 if anchor == "start" else ex - 4),
                "text_y": n(40 + 16 * i),
            }
        )
    return lines


def _key(rows: Sequence[dict[str, Any]], key_y: float) -> list[dict[str, Any]]:
    """The key under the axis: window, uncertain end, open end, forecast made."""
    key = [
        (f"M{n(LEFT)} {n(key_y - 6)}h14v12h-14Z", PALETTE[0], "none", "window"),
        (f"M{n(LEFT + 80)} {n(key_y - 6)}h14v12h-14Z", LIGHT, "none", "uncertain end"),
        (
            f"M{n(LEFT + 198)} {n(key_y)}l-7 -7v14Z",
            PALETTE[0],
            "none",
            "open end",
        ),
    ]
    if any(r.get("made") for r in rows):
        made = marker("circle", LEFT + 282, key_y, 3.5)
        key.append((made, "#ffffff", INK, "forecast made"))
    starts = (LEFT + 18, LEFT + 98, LEFT + 206, LEFT + 292)
    return [
        {"path": path, "fill": fill, "stroke": stroke, "text": text, "x": n(at)}
        for (path, fill, stroke, text), at in zip(key, starts, strict=False)
    ]


def timeline(
    rows: Sequence[dict[str, Any]],
    events: Sequence[dict[str, Any]],
    *,
    dates: bool,
    axis_title: str,
    title: str,
    label: str,
    desc: str,
) -> dict[str, Any]:
    """Windows as bars on one axis, with vertical event lines.

    Args:
        rows: one per forecast, top to bottom: `label`, `note` (text at the
            right, such as the probability), and the window's `start` and `end`
            as (earliest, latest) pairs of axis values, or None for an open end;
            `made`, the axis value of the day it was made, or None.
        events: vertical lines: `value`, `text` and `style` (`outcome`,
            `as-of` or `deadline`).
        dates: True when the values are day ordinals (ticks at years).
        axis_title: the text under the axis.
        title: the visible title.
        label: the short text alternative (aria-label).
        desc: the long text alternative (<desc>).
    """
    axis = _axis(rows, events, dates)
    top = 46.0 + 16 * len(events)
    bottom = top + ROW_HEIGHT * len(rows) + 8
    chart = canvas(720, int(bottom + 70), title, label, desc)
    chart.update(_ticks(axis, dates, top, bottom, axis_title))
    chart["rows"] = [
        _bar(axis, row, top + ROW_HEIGHT * (i + 0.5)) for i, row in enumerate(rows)
    ]
    chart["events"] = _event_lines(axis, events, bottom)
    chart["light"], chart["dark"] = LIGHT, PALETTE[0]
    key_y = bottom + 58
    chart["key"] = _key(rows, key_y)
    chart["key_y"] = n(key_y + 4)
    return chart
