"""One question, forecast by forecast: whether each counts, why, and its scores.

The rows of `ledger score --explain QUESTION`: every forecast on the question
in the tidy frame, with the reason it is or is not scored (REASONS), its
scores (`ledger.score.forecasts.with_scores`) and its calibration bin.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import pandas as pd

from ledger.core.quantiles import unpaired
from ledger.core.text import number, percent
from ledger.score.calibration import calibration_bins
from ledger.score.forecasts import with_scores
from ledger.score.rules import BRIER_SCALES

if TYPE_CHECKING:
    from collections.abc import Mapping

REASONS = {
    "": "counts: the standing forecast of its forecaster",
    "open": "not scored: the question is still open",
    "due": "not scored: the deadline has passed and no outcome is recorded",
    "void": "not scored: the question is void",
    "unscorable": "not scored: the question is marked unscorable",
    "no probability": "window without a probability: timing error and interval score "
    "only, no Brier",
    "undetermined": "not scored: the outcome is inside the window under some readings "
    "of the dates and outside under others",
}
"""Why a standing forecast counts or not, by its `excluded` reason."""

QUANTILES_ONLY = (
    "quantiles without a probability: quantile score and WIS only, no Brier"
)
"""Why a quantile forecast without a window counts, though it has no probability."""

UNDETERMINED_QUANTILES = (
    "not scored: the event came after the deadline (or not at all) and a quantile "
    "lies past it, so the quantile score is known only once the event happens"
)
"""Why a quantile forecast with a value past a `no` is not scored."""

REPLACED = "not scored: replaced by a later forecast by the same forecaster"
"""Why a forecast that no longer stands does not count."""


def explain(
    frame: pd.DataFrame, question: str, *, scale: str = "0-1"
) -> list[dict[str, Any]]:
    """Every forecast on `question` in `frame`: whether it counts, why, its scores.

    Args:
        frame: the tidy frame from `ledger.frame.frame`.
        question: the question's id.
        scale: the Brier scale, "0-1" or "0-2".

    Returns:
        One dict per forecast, in the frame's order: forecaster, line, made,
        p, outcome, counts, why, brier, log_score, baseline_score,
        timing_error, interval_score, bin, window_width (years or the
        question's unit), quantiles ({level: value} as written, or None),
        quantile_score and wis (years or the question's unit) and note
        (`closed_note` and `quantile_note`); None where undefined.
    """
    rows = frame[frame["question"] == question]
    factor = BRIER_SCALES[scale]
    return [_explained(row, factor) for row in with_scores(rows).to_dict("records")]


def _explained(row: dict[Any, Any], factor: float) -> dict[str, Any]:
    """One row of `explain`."""
    p, levels = row["p"], row["quantile_levels"]
    notes = [note for note in (closed_note(row), quantile_note(row)) if note]
    return {
        "forecaster": row["forecaster"],
        "line": row["line"],
        "made": row["made"].date().isoformat(),
        "p": None if math.isnan(p) else p,
        "outcome": None if math.isnan(row["outcome"]) else row["outcome"],
        "counts": bool(row["standing"] and row["excluded"] == ""),
        "why": _why(row),
        "brier": _finite(factor * row["brier"]),
        "log_score": _finite(row["log_score"]),
        "baseline_score": _finite(row["baseline_score"]),
        "timing_error": _finite(row["timing_error"]),
        "interval_score": _finite(row["interval_score"]),
        "bin": None if math.isnan(p) else _bin(p),
        "window_width": _finite(row["window_width"]),
        "quantiles": {
            percent(level): value
            for level, value in zip(levels, row["quantile_values"], strict=True)
        } if levels else None,
        "quantile_score": _finite(row["quantile_score"]),
        "wis": _finite(row["wis"]),
        "note": "; ".join(notes) or None,
    }


def _why(row: Mapping[Any, Any]) -> str:
    """Why one forecast counts or not (REASONS, for quantiles their own)."""
    if not row["standing"]:
        return REPLACED
    reason, window = row["excluded"], not math.isnan(row["window_width"])
    if row["quantile_levels"] and not window:
        if reason == "no probability":
            return QUANTILES_ONLY
        if reason == "undetermined":
            return UNDETERMINED_QUANTILES
    return REASONS[reason]


def quantile_note(row: Mapping[Any, Any]) -> str | None:
    """What a quantile forecast's scores need said: a lower bound, no WIS.

    "quantile score at least 1.50 y: the event came after 2031-01-01, if at
    all" for a censored one; "no WIS: no median (level 0.5)" when its levels
    do not pair up; None otherwise.
    """
    levels = row["quantile_levels"]
    if not levels or math.isnan(row["quantile_score"]):
        return None
    notes = []
    if row["quantile_censored"]:
        unit = " y" if row["kind"] == "date" else ""
        notes.append(
            f"quantile score at least {number(row['quantile_score'], 2)}{unit}: the "
            "outcome is known only to come after the values"
        )
    why = unpaired(levels)
    if why:
        notes.append(f"no WIS: {why}")
    return "; ".join(notes) or None


def closed_note(row: Mapping[Any, Any]) -> str | None:
    """What a window missed without the event says: when it closed, the lower bound.

    "window closed 2026-12-31 without the event; timing error at least 3.4 y",
    for a frame row whose timing error is a lower bound (`censored`: a `no`
    past the deadline, or a not-yet entry); None for any other row.
    """
    if not row["censored"] or math.isnan(row["timing_error"]):
        return None
    end = row["window_end"]
    closed = "" if pd.isna(end) else f" {pd.Timestamp(end).date().isoformat()}"
    return (
        f"window closed{closed} without the event; timing error at least "
        f"{number(row['timing_error'], 1)} y"
    )


def _finite(value: float) -> float | None:
    return None if value is None or math.isnan(value) else float(value)


def _bin(p: float) -> str:
    bins = calibration_bins([0.0], [p])
    return str(bins.loc[bins["n"] > 0, "bin"].iloc[0])
