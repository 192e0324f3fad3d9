"""Compare: forecasters on the questions they share.

- `crowd`: synthetic crowd forecasters (median, mean, geometric mean of odds).
- `ranking`: the leaderboard, one row per forecaster (peer score, relative
  Brier, coverage, stratified Brier, difficulty adjustment, CIs).
- `pairs`: head to head on the scored questions both answered.
- `shared`: shared questions, and why some are not compared.
- `quantiles`: quantile forecasters (relative quantile score, head to head)
  and the crowd's quantiles.

The names below are the package's API; the terminal table, CSV and JSON of a
comparison are `ledger.show.compare`'s.
"""

from __future__ import annotations

from ledger.compare.crowd import aggregate_forecaster, crowd_name, default_crowd
from ledger.compare.pairs import LARGE_PANEL, head_to_head
from ledger.compare.quantiles import comparison as quantile_comparison
from ledger.compare.ranking import leaderboard, scored_questions
from ledger.compare.shared import (
    DETAIL_ROWS,
    shared_questions,
    summarise,
    unscored_shared,
    unscored_summary,
)

__all__ = [
    "DETAIL_ROWS",
    "LARGE_PANEL",
    "aggregate_forecaster",
    "crowd_name",
    "default_crowd",
    "head_to_head",
    "leaderboard",
    "quantile_comparison",
    "scored_questions",
    "shared_questions",
    "summarise",
    "unscored_shared",
    "unscored_summary",
]
