"""Chart geometry for the reports: numbers in, SVG coordinates out.

Every chart is drawn by this module's own arithmetic (no plotting library), so
the same numbers always give the same coordinates, each written with one
decimal. Nothing here writes markup or touches user text beyond passing labels
through: the report hands each geometry to its template in
`ledger/report/templates/` (`calibration.svg.j2`, `timeline.svg.j2`,
`trend.svg.j2`), which escapes every label. Charts use no element ids, so
several can sit inline in one HTML page, and draw on a white background, so a
standalone SVG file reads on a dark page.

- `calibration`: a reliability diagram. Ten 10%-wide bins; each non-empty bin
  of each basis (stated, mapped, judged; one marker shape each) is a marker at
  (mean forecast, share that came true) with its Wilson 95% interval as an
  error bar; the count of forecasts per bin is a bar along the bottom; the
  diagonal is perfect calibration. Both axes run 0-100%.
- `trend`: each forecaster's running mean Brier (0-1, lower is better) at the
  end of each year, with the always-50% reference at 0.25.
- `ledger.report.timeline` draws the third chart, a question's windows, with
  this module's coordinates, markers and frame.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Sequence

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
OTHER_BASIS = ("triangle", PALETTE[3], False)


EXTREME = 1e100
"""The largest magnitude a chart places: beyond it (and at infinity) a value is
drawn at ±EXTREME, so that an axis's arithmetic cannot overflow."""


def clamp(value: float) -> float:
    """`value` within [-EXTREME, EXTREME] (NaN as 0), for a chart's axis.

    >>> clamp(-1.7e308), clamp(float("inf")), clamp(2.5)
    (-1e+100, 1e+100, 2.5)
    """
    if math.isnan(value):
        return 0.0
    return max(-EXTREME, min(EXTREME, value))


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


def canvas(
    width: int, height: int, title: str, label: str, desc: str
) -> dict[str, Any]:
    """A chart's size, texts and colours: what every chart template starts from."""
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


def legend(
    x: float,
    y: float,
    entries: Sequence[dict[str, Any]],
    columns: int = 1,
    width: float = 0.0,
) -> list[dict[str, Any]]:
    """Legend items from (x, y), row by row in `columns` columns `width` apart.

    Each is a marker or a short line sample, and its text.
    """
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

LEFT, TOP, SIZE = 64.0, 44.0, 300.0  # the calibration plot's square
BOTTOM = TOP + SIZE


def _x(p: float) -> float:
    return LEFT + SIZE * p


def _y(q: float) -> float:
    return TOP + SIZE * (1 - q)


def _calibration_axes() -> dict[str, Any]:
    """The calibration plot's grid, ticks, square, diagonal and axis titles."""
    ticks = [i / 5 for i in range(6)]
    return {
        "grid_lines": [
            {"x1": n(_x(t)), "y1": n(TOP), "x2": n(_x(t)), "y2": n(BOTTOM)}
            for t in ticks
        ]
        + [
            {"x1": n(LEFT), "y1": n(_y(t)), "x2": n(_x(1)), "y2": n(_y(t))}
            for t in ticks
        ],
        "x_ticks": [
            {"x": n(_x(t)), "y": n(BOTTOM + 16), "text": f"{t:.0%}"} for t in ticks
        ],
        "y_ticks": [
            {"x": n(LEFT - 6), "y": n(_y(t) + 4), "text": f"{t:.0%}"} for t in ticks
        ],
        "plot": {"x": n(LEFT), "y": n(TOP), "size": n(SIZE)},
        "diagonal": {"x1": n(_x(0)), "y1": n(_y(0)), "x2": n(_x(1)), "y2": n(_y(1))},
        "x_title": {
            "x": n(LEFT + SIZE / 2),
            "y": n(BOTTOM + 36),
            "text": "Forecast probability (mean of each 10% bin)",
        },
        "y_title": {
            "x": n(LEFT - 44),
            "y": n(TOP + SIZE / 2),
            "text": "Share that came true",
        },
    }


def _count_bars(series: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """A bar per non-empty bin along the bottom: its count of forecasts."""
    totals = [sum(s["bins"][k]["n"] for s in series) for k in range(10)]
    most = max(totals, default=0)
    bars = []
    for k, total in enumerate(totals):
        if not total:
            continue
        height = 48 * total / most
        bars.append(
            {
                "x": n(_x(k / 10) + 3),
                "y": n(BOTTOM - height),
                "width": n(SIZE / 10 - 6),
                "height": n(height),
                "text_x": n(_x(k / 10 + 0.05)),
                "text_y": n(BOTTOM - height - 3),
                "text": str(total),
            }
        )
    return bars


def _points(series: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """A marker with its Wilson error bar per non-empty bin of each series."""
    points = []
    for i, one in enumerate(series):
        shape, colour, hollow = BASES.get(one["basis"], OTHER_BASIS)
        offset = 6 * (i - (len(series) - 1) / 2)  # keep two bases in one bin apart
        for b in one["bins"]:
            if not b["n"]:
                continue
            px, py = _x(b["mean_p"]) + offset, _y(b["observed"])
            low, high = _y(b["wilson_lo"]), _y(b["wilson_hi"])
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
    return points


def _calibration_key(series: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """The legend's entries: a marker per basis, then the lines and bars."""
    entries: list[dict[str, Any]] = []
    for one in series:
        shape, colour, hollow = BASES.get(one["basis"], OTHER_BASIS)
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
    return entries


def calibration(
    series: Sequence[dict[str, Any]], *, title: str, label: str, desc: str
) -> dict[str, Any]:
    """A reliability diagram of one or more series of ten bins.

    Args:
        series: one per basis, in order: `basis` and `bins`, ten dicts with
            `lo`, `hi` (percent), `n`, `mean_p`, `observed`, `wilson_lo` and
            `wilson_hi` (fractions; NaN where the bin is empty).
        title: the visible title.
        label: the short text alternative (aria-label).
        desc: the long text alternative (<desc>).
    """
    legend_rows = math.ceil((len(series) + 3) / 2)
    chart = canvas(400, int(44 + 300 + 62 + 18 * legend_rows), title, label, desc)
    chart.update(_calibration_axes())
    chart["bars"] = _count_bars(series)
    chart["points"] = _points(series)
    entries = _calibration_key(series)
    chart["legend"] = legend(24, BOTTOM + 62, entries, columns=2, width=190)
    return chart


# ---------------------------------------------------------------- trend


@dataclass(frozen=True)
class _TrendScale:
    """The trend plot's box, and where a year and a score fall in it."""

    years: int
    ymax: float
    left: float = 64.0
    right: float = 430.0
    top: float = 40.0
    bottom: float = 270.0

    def x(self, i: int) -> float:
        if self.years == 1:
            return (self.left + self.right) / 2
        return self.left + 20 + (self.right - self.left - 40) * i / (self.years - 1)

    def y(self, v: float) -> float:
        return self.bottom - (self.bottom - self.top) * v / self.ymax


def _trend_axes(s: _TrendScale, years: Sequence[int], step: float) -> dict[str, Any]:
    """The trend plot's grid, year ticks, box, 0.25 reference and axis titles."""
    return {
        "grid_lines": [
            {
                "x1": n(s.left),
                "x2": n(s.right),
                "y": n(s.y(k * step)),
                "text_y": n(s.y(k * step) + 4),
                "text": f"{k * step:.2f}",
            }
            for k in range(round(s.ymax / step) + 1)
        ],
        "x_ticks": [
            {"x": n(s.x(i)), "y": n(s.bottom + 18), "text": str(year)}
            for i, year in enumerate(years)
        ],
        "box": {
            "left": n(s.left),
            "right": n(s.right),
            "top": n(s.top),
            "bottom": n(s.bottom),
            "text_x": n(s.left - 8),
        },
        "reference": {
            "x1": n(s.left),
            "x2": n(s.right),
            "y": n(s.y(0.25)),
            "text_x": n(s.left + 4),
            "text_y": n(s.y(0.25) - 5),
            "text": "always 50% (0.25)",
        },
        "x_title": {
            "x": n((s.left + s.right) / 2),
            "y": n(s.bottom + 38),
            "text": "End of year (outcomes known by then)",
        },
        "y_title": {
            "x": n(s.left - 46),
            "y": n((s.top + s.bottom) / 2),
            "text": "Mean Brier, 0-1 (lower is better)",
        },
    }


def _trend_line(
    s: _TrendScale, values: Sequence[float | None], colour: str, shape: str
) -> dict[str, Any]:
    """One series: its runs of two or more years as polylines, and its markers."""
    segments: list[list[str]] = []
    current: list[str] = []
    markers = []
    for i, value in enumerate(values):
        if value is None:
            if current:
                segments.append(current)
            current = []
            continue
        current.append(f"{n(s.x(i))},{n(s.y(value))}")
        markers.append(marker(shape, s.x(i), s.y(value), 4))
    if current:
        segments.append(current)
    return {
        "colour": colour,
        "segments": [" ".join(part) for part in segments if len(part) > 1],
        "markers": markers,
    }


def trend(
    years: Sequence[int],
    series: Sequence[dict[str, Any]],
    *,
    title: str,
    label: str,
    desc: str,
) -> dict[str, Any]:
    """Lines of a score by year, one per series.

    Each series has a `label`, and `values` (one per year, None where there
    is nothing to show).
    """
    chart = canvas(620, 330, title, label, desc)
    found = [v for s in series for v in s["values"] if v is not None]
    most = max([0.25, *found])
    ymax = min(1.0, math.ceil(most * 4 - 1e-9) / 4)  # a Brier score is at most 1
    step = {0.25: 0.05, 0.5: 0.1, 0.75: 0.25, 1.0: 0.2}[ymax]
    scale = _TrendScale(len(years), ymax)
    chart.update(_trend_axes(scale, years, step))
    lines, entries = [], []
    for k, one in enumerate(series):
        colour, shape = PALETTE[k % len(PALETTE)], SHAPES[k % len(SHAPES)]
        lines.append(_trend_line(scale, one["values"], colour, shape))
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
    chart["legend"] = legend(448, scale.top + 6, entries)
    return chart
