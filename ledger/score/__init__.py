"""Score: proper scoring rules (array in, array out), aggregates and calibration.

The scoring rules are importable from here (`ledger.score.brier`), as the
README's Python API shows; aggregates live in `ledger.score.scorecard`.
"""

from __future__ import annotations

from ledger.score.rules import (
    baseline_score,
    brier,
    brier_multi,
    brier_skill,
    crps_ensemble,
    crps_normal,
    crps_uniform,
    crps_uniform_censored,
    interval_score,
    log_score,
    peer_scores,
    spherical,
    timing_error,
    weighted_interval_score,
)

__all__ = [
    "baseline_score",
    "brier",
    "brier_multi",
    "brier_skill",
    "crps_ensemble",
    "crps_normal",
    "crps_uniform",
    "crps_uniform_censored",
    "interval_score",
    "log_score",
    "peer_scores",
    "spherical",
    "timing_error",
    "weighted_interval_score",
]
