"""Chart geometry for the reports: numbers in, SVG coordinates out.

Every chart is drawn by this module's own arithmetic (no plotting library), so
the same numbers always give the same coordinates, each written with one
decimal. Nothing here writes markup or touches user text beyond passing labels
through: `report` hands each geometry to its template in `ledger/templates/`
(`calibration.svg.j2`, `timeline.svg.j2`, `trend.svg.j2`), which escapes every
label. Charts use no element ids, so several can sit inline in one HTML page,
and draw on a white background, so a standalone SVG file reads on a dark page.

- `calibration`: a reliability diagram. Ten 10%-wide bins; each non-empty bin
  of each basis (stated, mapped, judged; one marker shape each) is a marker at
  (mean forecast, share that came true) with its Wilson 95% interval as an
  error bar; the count of forecasts per bin is a bar along the bottom; the
  diagonal is perfect calibration. Both axes run 0-100%.
- `timeline`: each forecast's window on one axis (years for a date question,
  the unit for a numeric one): the widest reading of its ends light, the
  narrowest dark, an open end as an arrow to the edge; vertical lines mark the
  outcome (or, while open, the as-of date) and the deadline.
- `trend`: each forecaster's running mean Brier (0-1, lower is better) at the
  end of each year, with the always-50% reference at 0.25.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from typing import Any

FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif"
INK = "#1a1a1a"
GRID = "#d9d9d9"
MUTED = "#595959"
# Okabe & Ito's palette: distinguishable with the common colour-vision deficiencies.
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000")
LIGHT = "#A6CBE6"  # the uncertain part of a window: PALETTE[0], lightened
SHAPES = ("circle", "square", "diamond", "triangle")
BASES = {  # basis: (marker shape, colour, hollow)
    "stated": ("circle", PALETTE[0], False),
    "mapped": ("diamond", PALETTE[1], True),
    "judged": ("square", PALETTE[2], False),
}


def n(value: float) -> str:
    """A coordinate with one decimal (never '-0.0').

    >>> n(12.345), n(-0.04), n(3)
    ('12.3', '0.0', '3.0')
    """
    text = f"{value:.1f}"
    return "0.0" if text == "-0.0" else text  # the same bytes on every platform


def marker(shape: str, x: float, y: float, r: float = 4.5) -> str:
    """The SVG path of a marker centred on (x, y).

    >>> marker("square", 10, 10, 2)
    'M8.0 8.0H12.0V12.0H8.0Z'
    """
    if shape == "circle":
        return (
            f"M{n(x - r)} {n(y)}A{n(r)} {n(r)} 0 1 0 {n(x + r)} {n(y)}"
            f"A{n(r)} {n(r)} 0 1 0 {n(x - r)} {n(y)}Z"
        )
    if shape == "diamond":
        r *= 1.25
        return (
            f"M{n(x)} {n(y - r)}L{n(x + r)} {n(y)}L{n(x)} {n(y + r)}L{n(x - r)} {n(y)}Z"
        )
    if shape == "triangle":
        r *= 1.15
        return f"M{n(x)} {n(y - r)}L{n(x + r)} {n(y + r)}L{n(x - r)} {n(y + r)}Z"
    return f"M{n(x - r)} {n(y - r)}H{n(x + r)}V{n(y + r)}H{n(x - r)}Z"


def _frame(
    width: int, height: int, title: str, label: str, desc: str
) -> dict[str, Any]:
    return {
        "width": width,
        "height": height,
        "title": title,
        "label": label,
        "desc": desc,
        "font": FONT,
        "ink": INK,
        "grid": GRID,
        "muted": MUTED,
    }


def _legend(
    x: float,
    y: float,
    entries: Sequence[dict[str, Any]],
    columns: int = 1,
    width: float = 0.0,
) -> list[dict[str, Any]]:
    """Legend items from (x, y), row by row in `columns` columns `width` apart:
    each a marker or a short line sample, and its text."""
    rows = []
    for i, entry in enumerate(entries):
        left = x + width * (i % columns)
        top = y + 18 * (i // columns)
        row = {"x": n(left + 18), "y": n(top + 4), "dash": "", "width": "1.5", **entry}
        if entry["kind"] == "marker":
            row["path"] = marker(entry["shape"], left + 5, top)
            row.setdefault("fill", entry["colour"])
        else:  # a short line sample
            row.update(x1=n(left - 2), x2=n(left + 12), y1=n(top), y2=n(top))
        rows.append(row)
    return rows


# ---------------------------------------------------------------- calibration


def calibration(
    series: Sequence[dict[str, Any]], *, title: str, label: str, desc: str
) -> dict[str, Any]:
    """A reliability diagram of one or more series of ten bins.

    Args:
        series: one per basis, in order: `basis` and `bins`, ten dicts with
            `lo`, `hi` (percent), `n`, `mean_p`, `observed`, `wilson_lo` and
            `wilson_hi` (fractions; NaN where the bin is empty).
        title, label, desc: the visible title, the short text alternative
            (aria-label) and the long one (<desc>).
    """
    legend_rows = math.ceil((len(series) + 3) / 2)
    chart = _frame(400, int(44 + 300 + 62 + 18 * legend_rows), title, label, desc)
    left, top, size = 64.0, 44.0, 300.0
    bottom = top + size

    def x(p: float) -> float:
        return left + size * p

    def y(q: float) -> float:
        return top + size * (1 - q)

    ticks = [i / 5 for i in range(6)]
    chart["grid_lines"] = [
        {"x1": n(x(t)), "y1": n(top), "x2": n(x(t)), "y2": n(bottom)} for t in ticks
    ] + [{"x1": n(left), "y1": n(y(t)), "x2": n(x(1)), "y2": n(y(t))} for t in ticks]
    chart["x_ticks"] = [
        {"x": n(x(t)), "y": n(bottom + 16), "text": f"{t:.0%}"} for t in ticks
    ]
    chart["y_ticks"] = [
        {"x": n(left - 6), "y": n(y(t) + 4), "text": f"{t:.0%}"} for t in ticks
    ]
    chart["plot"] = {"x": n(left), "y": n(top), "size": n(size)}
    chart["diagonal"] = {"x1": n(x(0)), "y1": n(y(0)), "x2": n(x(1)), "y2": n(y(1))}
    chart["x_title"] = {
        "x": n(left + size / 2),
        "y": n(bottom + 36),
        "text": "Forecast probability (mean of each 10% bin)",
    }
    chart["y_title"] = {
        "x": n(left - 44),
        "y": n(top + size / 2),
        "text": "Share that came true",
    }
    totals = [sum(s["bins"][k]["n"] for s in series) for k in range(10)]
    most = max(totals, default=0)
    bars = []
    for k, total in enumerate(totals):
        if not total:
            continue
        height = 48 * total / most
        bars.append(
            {
                "x": n(x(k / 10) + 3),
                "y": n(bottom - height),
                "width": n(size / 10 - 6),
                "height": n(height),
                "text_x": n(x(k / 10 + 0.05)),
                "text_y": n(bottom - height - 3),
                "text": str(total),
            }
        )
    chart["bars"] = bars
    points = []
    for i, one in enumerate(series):
        shape, colour, hollow = BASES.get(one["basis"], ("triangle", PALETTE[3], False))
        offset = 6 * (i - (len(series) - 1) / 2)  # keep two bases in one bin apart
        for b in one["bins"]:
            if not b["n"]:
                continue
            px, py = x(b["mean_p"]) + offset, y(b["observed"])
            low, high = y(b["wilson_lo"]), y(b["wilson_hi"])
            points.append(
                {
                    "path": marker(shape, px, py),
                    "colour": colour,
                    "fill": "#ffffff" if hollow else colour,
                    "bar": f"M{n(px)} {n(low)}V{n(high)}"
                    f"M{n(px - 3)} {n(low)}H{n(px + 3)}"
                    f"M{n(px - 3)} {n(high)}H{n(px + 3)}",
                }
            )
    chart["points"] = points
    entries: list[dict[str, Any]] = []
    for one in series:
        shape, colour, hollow = BASES.get(one["basis"], ("triangle", PALETTE[3], False))
        entries.append(
            {
                "kind": "marker",
                "shape": shape,
                "colour": colour,
                "fill": "#ffffff" if hollow else colour,
                "text": one["basis"],
            }
        )
    entries += [
        {"kind": "line", "colour": MUTED, "dash": "4 3", "text": "perfect calibration"},
        {"kind": "line", "colour": INK, "dash": "", "text": "Wilson 95% interval"},
        {
            "kind": "line",
            "colour": GRID,
            "dash": "",
            "width": "8",
            "text": "forecasts per bin",
        },
    ]
    chart["legend"] = _legend(24, bottom + 62, entries, columns=2, width=190)
    return chart


# ---------------------------------------------------------------- timeline


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
        text = f"{value:.{digits}f}"
        ticks.append((value, "0" if float(text) == 0 else text))
    return ticks


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
            as (earliest, latest) pairs of axis values, or None for an open end.
        events: vertical lines: `value`, `text` and `style` (`outcome`,
            `as-of` or `deadline`).
        dates: True when the values are day ordinals (ticks at years).
    """
    values = [v for r in rows for end in (r["start"], r["end"]) if end for v in end]
    values += [e["value"] for e in events] + [r["made"] for r in rows if r.get("made")]
    lo, hi = min(values), max(values)
    pad = (hi - lo) * 0.04 or (30.0 if dates else 1.0)
    lo, hi = lo - pad, hi + pad
    left, right = 170.0, 620.0
    top = 46.0 + 16 * len(events)
    row_height = 26.0
    bottom = top + row_height * len(rows) + 8
    chart = _frame(720, int(bottom + 70), title, label, desc)

    def x(v: float) -> float:
        return left + (right - left) * (v - lo) / (hi - lo)

    ticks = date_ticks(lo, hi) if dates else number_ticks(lo, hi)
    chart["axis"] = {"x1": n(left), "x2": n(right), "y": n(bottom)}
    chart["ticks"] = [
        {
            "x": n(x(v)),
            "y1": n(top - 4),
            "y2": n(bottom + 4),
            "text_y": n(bottom + 18),
            "text": text,
        }
        for v, text in ticks
    ]
    chart["axis_title"] = {
        "x": n((left + right) / 2),
        "y": n(bottom + 38),
        "text": axis_title,
    }
    bars = []
    for i, row in enumerate(rows):
        middle = top + row_height * (i + 0.5)
        start, end = row["start"], row["end"]
        outer_lo = x(start[0]) if start else left
        outer_hi = x(end[1]) if end else right
        item: dict[str, Any] = {
            "label": row["label"],
            "note": row["note"],
            "label_x": n(left - 8),
            "note_x": n(right + 12),
            "text_y": n(middle + 4),
            "outer": {
                "x": n(outer_lo),
                "y": n(middle - 6),
                "width": n(max(outer_hi - outer_lo, 3.0)),
                "height": "12",
            },
            "core": None,
            "arrows": [],
            "made": marker("circle", x(row["made"]), middle, 3.5)
            if row.get("made")
            else None,
        }
        core_lo = x(start[1]) if start else left
        core_hi = x(end[0]) if end else right
        if core_hi >= core_lo:
            item["core"] = {
                "x": n(core_lo),
                "y": n(middle - 6),
                "width": n(max(core_hi - core_lo, 3.0)),
                "height": "12",
            }
        if not start:
            item["arrows"].append(
                f"M{n(left - 6)} {n(middle)}"
                f"L{n(left)} {n(middle - 7)}L{n(left)} {n(middle + 7)}Z"
            )
        if not end:
            item["arrows"].append(
                f"M{n(right + 6)} {n(middle)}"
                f"L{n(right)} {n(middle - 7)}L{n(right)} {n(middle + 7)}Z"
            )
        bars.append(item)
    chart["rows"] = bars
    styles = {
        "outcome": (INK, "", "2"),
        "as-of": (PALETTE[1], "6 4", "2"),
        "deadline": (MUTED, "2 3", "1.5"),
    }
    lines = []
    for i, event in enumerate(sorted(events, key=lambda e: e["value"])):
        ex = x(event["value"])
        colour, dash, width = styles[event["style"]]
        anchor = "start" if ex < (left + right) / 2 else "end"
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
    chart["events"] = lines
    chart["light"], chart["dark"] = LIGHT, PALETTE[0]
    key_y = bottom + 58
    key = [
        (f"M{n(left)} {n(key_y - 6)}h14v12h-14Z", PALETTE[0], "none", "window"),
        (f"M{n(left + 80)} {n(key_y - 6)}h14v12h-14Z", LIGHT, "none", "uncertain end"),
        (
            f"M{n(left + 198)} {n(key_y)}l-7 -7v14Z",
            PALETTE[0],
            "none",
            "open end",
        ),
    ]
    if any(r.get("made") for r in rows):
        made = marker("circle", left + 282, key_y, 3.5)
        key.append((made, "#ffffff", INK, "forecast made"))
    starts = (left + 18, left + 98, left + 206, left + 292)
    chart["key"] = [
        {"path": path, "fill": fill, "stroke": stroke, "text": text, "x": n(at)}
        for (path, fill, stroke, text), at in zip(key, starts, strict=False)
    ]
    chart["key_y"] = n(key_y + 4)
    return chart


# ---------------------------------------------------------------- trend


def trend(
    years: Sequence[int],
    series: Sequence[dict[str, Any]],
    *,
    title: str,
    label: str,
    desc: str,
) -> dict[str, Any]:
    """Lines of a score by year, one per series: `label`, and `values` (one per
    year, None where there is nothing to show)."""
    chart = _frame(620, 330, title, label, desc)
    left, right, top, bottom = 64.0, 430.0, 40.0, 270.0
    found = [v for s in series for v in s["values"] if v is not None]
    most = max([0.25, *found])
    ymax = min(1.0, math.ceil(most * 4 - 1e-9) / 4)  # a Brier score is at most 1
    step = {0.25: 0.05, 0.5: 0.1, 0.75: 0.25, 1.0: 0.2}[ymax]

    def y(v: float) -> float:
        return bottom - (bottom - top) * v / ymax

    def x(i: int) -> float:
        if len(years) == 1:
            return (left + right) / 2
        return left + 20 + (right - left - 40) * i / (len(years) - 1)

    chart["grid_lines"] = [
        {
            "x1": n(left),
            "x2": n(right),
            "y": n(y(k * step)),
            "text_y": n(y(k * step) + 4),
            "text": f"{k * step:.2f}",
        }
        for k in range(round(ymax / step) + 1)
    ]
    chart["x_ticks"] = [
        {"x": n(x(i)), "y": n(bottom + 18), "text": str(year)}
        for i, year in enumerate(years)
    ]
    chart["box"] = {
        "left": n(left),
        "right": n(right),
        "top": n(top),
        "bottom": n(bottom),
        "text_x": n(left - 8),
    }
    chart["reference"] = {
        "x1": n(left),
        "x2": n(right),
        "y": n(y(0.25)),
        "text_x": n(left + 4),
        "text_y": n(y(0.25) - 5),
        "text": "always 50% (0.25)",
    }
    chart["x_title"] = {
        "x": n((left + right) / 2),
        "y": n(bottom + 38),
        "text": "End of year (outcomes known by then)",
    }
    chart["y_title"] = {
        "x": n(left - 46),
        "y": n((top + bottom) / 2),
        "text": "Mean Brier, 0-1 (lower is better)",
    }
    lines, entries = [], []
    for k, one in enumerate(series):
        colour, shape = PALETTE[k % len(PALETTE)], SHAPES[k % len(SHAPES)]
        segments, current, markers = [], [], []
        for i, value in enumerate(one["values"]):
            if value is None:
                if current:
                    segments.append(current)
                current = []
                continue
            current.append(f"{n(x(i))},{n(y(value))}")
            markers.append(marker(shape, x(i), y(value), 4))
        if current:
            segments.append(current)
        lines.append(
            {
                "colour": colour,
                "segments": [" ".join(s) for s in segments if len(s) > 1],
                "markers": markers,
            }
        )
        entries.append(
            {
                "kind": "marker",
                "shape": shape,
                "colour": colour,
                "fill": colour,
                "text": one["label"],
            }
        )
    chart["series"] = lines
    chart["legend"] = _legend(448, top + 6, entries)
    return chart
