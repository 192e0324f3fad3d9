"""One question, forecast by forecast: whether each counts, why, and its scores.

The rows of `ledger score --explain QUESTION`: every forecast on the question
in the tidy frame, with the reason it is or is not scored (REASONS), its
scores (`ledger.score.forecasts.with_scores`) and its calibration bin.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import pandas as pd

from ledger.core.text import number
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
        question's unit) and note (`closed_note`); None where undefined.
    """
    rows = frame[frame["question"] == question]
    factor = BRIER_SCALES[scale]
    return [_explained(row, factor) for row in with_scores(rows).to_dict("records")]


def _explained(row: dict[Any, Any], factor: float) -> dict[str, Any]:
    """One row of `explain`."""
    p = row["p"]
    return {
        "forecaster": row["forecaster"],
        "line": row["line"],
        "made": row["made"].date().isoformat(),
        "p": None if math.isnan(p) else p,
        "outcome": None if math.isnan(row["outcome"]) else row["outcome"],
        "counts": bool(row["standing"] and row["excluded"] == ""),
        "why": REASONS[row["excluded"]] if row["standing"] else REPLACED,
        "brier": _finite(factor * row["brier"]),
        "log_score": _finite(row["log_score"]),
        "baseline_score": _finite(row["baseline_score"]),
        "timing_error": _finite(row["timing_error"]),
        "interval_score": _finite(row["interval_score"]),
        "bin": None if math.isnan(p) else _bin(p),
        "window_width": _finite(row["window_width"]),
        "note": closed_note(row),
    }


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
