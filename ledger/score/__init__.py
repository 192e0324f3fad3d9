"""Score: scoring rules, calibration and comparison statistics, array in, array out.

Everything here takes plain arrays, truth first, as the README's Python API
shows (`ledger.score.brier`). The package, module by module:

- `rules`: the rules of a probability (Brier, log, Baseline, spherical, peer,
  skill) and `LOG_CLIP`, the one clip of the log score.
- `quantities`: the rules of a quantity (interval score, WIS, quantile score,
  timing error, CRPS variants).
- `calibration`: reliability bins, the folded table, Murphy, ECE, Wilson.
- `daily`: scores over a question's life (time-averaged score, relative Brier).
- `bootstrap`: the question bootstrap. `stats`: t, paired tests, fixed effects.
- The tidy frame's side: `forecasts` (scores per row), `groups`, `scorecard`
  (aggregates: the README's `ledger.scorecard`), `reliability` (calibration
  per group) and `explain` (one question's forecasts).
"""

from __future__ import annotations

from ledger.score.bootstrap import bootstrap_ci
from ledger.score.calibration import (
    FOLDED_BUCKETS,
    WILSON_Z,
    calibration_bins,
    ece,
    folded_table,
    murphy,
)
from ledger.score.daily import relative_brier, time_averaged
from ledger.score.quantities import (
    crps_ensemble,
    crps_normal,
    crps_uniform,
    crps_uniform_censored,
    interval_score,
    quantile_score,
    timing_error,
    weighted_interval_score,
    wis,
)
from ledger.score.rules import (
    LOG_CLIP,
    baseline_score,
    brier,
    brier_multi,
    brier_skill,
    log_score,
    peer_scores,
    spherical,
)
from ledger.score.stats import (
    fixed_effects,
    paired_comparison,
    sign_flip_p,
    t_two_sided,
    two_way_fixed_effects,
)

__all__ = [
    "FOLDED_BUCKETS",
    "LOG_CLIP",
    "WILSON_Z",
    "baseline_score",
    "bootstrap_ci",
    "brier",
    "brier_multi",
    "brier_skill",
    "calibration_bins",
    "crps_ensemble",
    "crps_normal",
    "crps_uniform",
    "crps_uniform_censored",
    "ece",
    "fixed_effects",
    "folded_table",
    "interval_score",
    "log_score",
    "murphy",
    "paired_comparison",
    "peer_scores",
    "quantile_score",
    "relative_brier",
    "sign_flip_p",
    "spherical",
    "t_two_sided",
    "time_averaged",
    "timing_error",
    "two_way_fixed_effects",
    "weighted_interval_score",
    "wis",
]
