"""Quantile forecasts on a page: a small fan per forecast, with its scores.

Each standing quantile forecast is drawn on its question's axis (years for a
date question, the unit for a numeric one): each central interval a band
(paired levels, τ and 1 − τ; the narrower, the darker), the median a dark
line, other levels a tick, an uncertain date its light span, the deadline a
dotted line, and the outcome once known a black line (or, when the event is
known only to come after a day, an arrow from that day). Beside it: the
quantile score and WIS, in years or the unit, lower is better, or why there
is none yet. The page's calibration section shows the quantile coverage table
(`coverage`, from `ledger.score.coverage`).
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from ledger.core import quantiles
from ledger.core.quantiles import day_of, reading, unpaired
from ledger.core.text import DASH, exact, percent, share
from ledger.report.cards import claim, cut, interval, num, shorten
from ledger.report.charts import INK, LIGHT, MUTED, PALETTE, canvas, clamp, n
from ledger.report.escape import safe_name
from ledger.report.timeline import number_ticks
from ledger.score.coverage import quantile_calibration

if TYPE_CHECKING:
    import datetime as dt

    import pandas as pd

    from ledger.core.model import Forecast, Question
    from ledger.report.book import Book
    from ledger.report.render import Charts

LEFT, RIGHT, WIDTH = 16.0, 444.0, 460
WAITING = {
    "undetermined": "waits for the event (a value lies past the deadline it did not "
    "happen by)",
    "void": "void: not scored",
    "unscorable": "never scored",
}
"""Why a quantile forecast has no score, by the frame's `excluded`."""
NOT_YET = "not scored yet"
BAND_TOP, BAND_BOTTOM, AXIS_Y = 34.0, 58.0, 66.0


def _axis(values: list[float]) -> tuple[float, float]:
    lo, hi = clamp(min(values)), clamp(max(values))
    pad = (hi - lo) * 0.06 or 1.0
    return lo - pad, hi + pad


def _ticks(lo: float, hi: float, dates: bool) -> list[tuple[float, str]]:
    """Ticks at whole years (at most 8) on a date axis, else round numbers."""
    if not dates:
        return number_ticks(lo, hi)
    years = list(range(math.ceil(lo), math.floor(hi) + 1))
    step = max(1, math.ceil(len(years) / 8))
    return [(float(y), str(y)) for y in years[::step]]


def _bands(
    levels: tuple[float, ...], ranges: list[tuple[float, float]], x: Any
) -> list[dict[str, str]]:
    """A band per central interval, the widest first (drawn under the others)."""
    at = {round(level, 9): r for level, r in zip(levels, ranges, strict=True)}
    pairs = [
        (at[round(t, 9)][0], at[round(1 - t, 9)][1])
        for t in levels
        if t < 0.5 and round(1 - t, 9) in at
    ]
    return [
        {"x": n(x(lo)), "width": n(max(x(hi) - x(lo), 2.0)),
         "opacity": f"{0.25 + 0.5 * i / max(len(pairs), 1):.2f}"}
        for i, (lo, hi) in enumerate(pairs)
    ]


def fan(
    forecast: Forecast, question: Question, outcome: tuple[float, float] | None,
    texts: tuple[str, str, str],
) -> dict[str, Any]:
    """The fan chart's geometry.

    Args:
        forecast: a forecast with quantiles.
        question: its question.
        outcome: the result's readings (`result_low`, `result_high`; high
            inf when only a lower bound is known), or None.
        texts: the title, the short and the long text alternative.
    """
    given = forecast.quantiles
    assert given is not None  # only quantile forecasts are drawn
    dates = question.kind == "date"
    ranges = [reading(v) for v in given.values]
    values = [v for r in ranges for v in r]
    deadline = quantiles.year(question.deadline.latest) if dates else None
    values += [deadline] if deadline is not None else []
    values += [outcome[0]] if outcome is not None else []
    lo, hi = _axis(values)

    def x(v: float) -> float:
        return LEFT + (RIGHT - LEFT) * (clamp(v) - lo) / (hi - lo)

    title, label, desc = texts
    chart = canvas(WIDTH, 96, title, label, desc)
    chart.update(
        dark=PALETTE[0], light=LIGHT, band_y=n(BAND_TOP),
        band_height=n(BAND_BOTTOM - BAND_TOP), axis_y=n(AXIS_Y),
        axis={"x1": n(LEFT), "x2": n(RIGHT)},
        ticks=[{"x": n(x(v)), "text": t} for v, t in _ticks(lo, hi, dates)],
        bands=_bands(given.levels, ranges, x),
        spans=[{"x": n(x(a)), "width": n(x(b) - x(a))} for a, b in ranges if b > a],
        levels=[
            {"x": n(x((a + b) / 2)), "text": percent(level),
             "median": abs(level - 0.5) < 1e-9}
            for level, (a, b) in zip(given.levels, ranges, strict=True)
        ],
        deadline=None if deadline is None else {"x": n(x(deadline)), "colour": MUTED},
        outcome=None,
    )
    if outcome is not None:
        censored = math.isinf(outcome[1])
        chart["outcome"] = {
            "x": n(x(outcome[0])), "colour": INK,
            "arrow": f"M{n(RIGHT + 6)} 46.0L{n(RIGHT)} 41.0L{n(RIGHT)} 51.0Z"
            if censored else None,
        }
    return chart


def _scores(row: dict[str, Any], question: Question) -> dict[str, str]:
    """The quantile score and WIS as the page writes them, or why there are none."""
    unit = " y" if question.kind == "date" else f" {question.unit or ''}".rstrip()
    unit = unit if unit.strip() else ""
    score = row.get("quantile_score", math.nan)
    if score is None or math.isnan(score):
        reason = str(row.get("excluded"))
        return {"score": DASH, "wis": DASH,
                "status": WAITING.get(reason) or NOT_YET}
    bound = "≥ " if row.get("quantile_censored") else ""
    wis = row.get("wis", math.nan)
    why = unpaired(row.get("quantile_levels") or ())
    return {
        "score": f"{bound}{num(score, 2)}{unit}",
        "wis": f"{bound}{num(wis, 2)}{unit}" if not math.isnan(wis) else f"— ({why})",
        "status": "a lower bound: the event came after the values, if at all"
        if bound else "scored",
    }


def _item(
    book: Book, question: Question, forecast: Forecast, day: dt.date, drawn: Charts,
    stem: str,
) -> dict[str, Any]:
    """One fan: the forecast as a claim, its chart and its scores."""
    row = book.rows(day).get((question.id, forecast.location.line), {})
    low, high = row.get("result_low", math.nan), row.get("result_high", math.nan)
    outcome = None if low is None or math.isnan(low) else (low, high)
    said = claim(book, question, forecast, True)
    label = f"Quantiles of {said['name']} on “{shorten(question.title, 80)}”"
    desc = f"{label}: {said['claim']}; outcome {_outcome_words(question, outcome)}."
    chart = fan(forecast, question, outcome, (shorten(question.title, 50), label, desc))
    return {
        **said,
        "title": question.title,
        "question": question.id,
        "outcome": _outcome_words(question, outcome),
        **_scores(row, question),
        "chart": drawn.add("fan.svg.j2", stem, chart),
    }


def _outcome_words(question: Question, outcome: tuple[float, float] | None) -> str:
    if outcome is None:
        return "not known yet"
    low, high = outcome
    if question.kind != "date":
        unit = f" {question.unit}" if question.unit else ""
        return f"{exact(low)}{unit}"
    if math.isinf(high):
        return f"after {day_of(low - 1 / quantiles.YEAR_DAYS)} (or never)"
    first, last = day_of(low), day_of(high)
    return str(first) if first == last else f"{first}..{last}"


def fans(
    book: Book, day: dt.date, chosen: list[tuple[Question, Forecast]], drawn: Charts,
    stem: str,
) -> dict[str, Any]:
    """The fans of `chosen` (question, standing quantile forecast) pairs, cut.

    Returns:
        `fans` (one per fan shown) and `more` (the note on the rest, or None).
    """
    options = f"--as-of {day.isoformat()} --format csv"
    shown, more = cut(chosen, book, "quantile forecasts", options, False)
    items = [
        _item(book, q, f, day, drawn, f"{stem}-{safe_name(q.id)}-{safe_name(f.by)}")
        for q, f in shown
    ]
    return {"fans": items, "more": more}


def standing_quantiles(
    book: Book, day: dt.date, only: str | None = None,
    questions: list[Question] | None = None,
) -> list[tuple[Question, Forecast]]:
    """Every standing quantile forecast (of `only`, on `questions`), by title."""
    found = [
        (q, f)
        for q in (book.ledger.questions if questions is None else questions)
        if q.kind != "binary"
        for f in book.standing(q, day)
        if f.quantiles is not None and (only is None or f.by == only)
    ]
    found.sort(key=lambda qf: (qf[0].title.casefold(), book.name(qf[1].by).casefold()))
    return found


def coverage(frame: pd.DataFrame) -> dict[str, Any]:
    """The quantile coverage table of `frame`'s standing rows, as a page shows it."""
    result = quantile_calibration(frame)
    return {
        "n": result["n"],
        "n_scored": result["n_scored"],
        "levels": [
            {"level": percent(r["level"]), "n": int(r["n"]),
             "below": share(r["below"]),
             "wilson": interval(r["ci_low"], r["ci_high"], percent=True)}
            for r in result["levels"].to_dict("records")
        ],
        "intervals": [
            {"interval": percent(r["interval"]),
             "levels": f"{percent(r['lower'])}–{percent(r['upper'])}",
             "n": int(r["n"]), "covered": share(r["covered"]),
             "wilson": interval(r["ci_low"], r["ci_high"], percent=True)}
            for r in result["intervals"].to_dict("records")
        ],
    }
