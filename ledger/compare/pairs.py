"""Head to head: each pair of forecasters on the scored questions both answered.

Only questions both answered count; a pair's result is the mean paired
difference of Brier (a - b, negative favours a), a question-level bootstrap
95% CI (the draws of `bootstrap_ci`), an exact sign-flip p-value for n ≤ 20
and a paired t-test otherwise, and the gap in days between the two forecasts
on each shared question (a range when a `made` date is uncertain;
`same_window` keeps only the questions whose two forecasts were surely made
within that many days of each other).
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ledger.score.bootstrap import bootstrap_means, percentiles
from ledger.score.stats import SIGN_FLIP_MAX, paired_t, sign_flip_p

if TYPE_CHECKING:
    from collections.abc import Sequence

    from numpy.typing import NDArray

    Floats = NDArray[np.float64]

PAIRS = [
    "a",
    "b",
    "n",
    "mean_diff",
    "ci",
    "p",
    "test",
    "gap_days_mean",
    "gap_days_max",
    "questions",
]
"""The columns of `head_to_head`, in order."""

LARGE_PANEL = 50
"""Above this many forecasters, head-to-head pairs are computed only on request."""

MAX_PAIRS = 200_000
"""The most pairs one comparison computes (3,300 forecasters make 5.4 million)."""

_EPOCH = np.datetime64("1970-01-01")
_DAY = np.timedelta64(1, "D")


def gap(
    made_a: Floats, latest_a: Floats, made_b: Floats, latest_b: Floats
) -> tuple[Floats, Floats]:
    """Least and most days between two forecasts made in [made, made_latest]."""
    least = np.maximum.reduce(
        [made_a - latest_b, made_b - latest_a, np.zeros_like(made_a)]
    )
    most = np.maximum(latest_a - made_b, latest_b - made_a)
    return least, most


def every_pair(names: Sequence[str]) -> list[tuple[str, str]]:
    """Every pair of `names`, in their order: (first, second), (first, third), ..."""
    return [(a, b) for i, a in enumerate(names) for b in names[i + 1 :]]


def _paired_test(diffs: Floats) -> tuple[float | None, str]:
    """(two-sided p, test name): exact sign flips for n <= 20, else paired t."""
    if diffs.size <= SIGN_FLIP_MAX:
        return sign_flip_p(diffs), "sign-flip (exact)"
    _, p = paired_t(diffs)
    return (None if math.isnan(p) else p), "paired t"


def _days(column: pd.Series) -> Floats:
    """Days since 1970-01-01 of a datetime column."""
    return ((column - _EPOCH).to_numpy() / _DAY).astype(np.float64)


def _matrices(
    rows: pd.DataFrame, forecaster: pd.Series, wanted: list[str], score: str
) -> tuple[pd.Index, list[Floats]]:
    """Questions, and (question x forecaster) score, made and made_latest matrices."""
    keep = forecaster.isin(wanted).to_numpy()
    q_codes, questions = pd.factorize(rows["question"][keep])
    f_codes = pd.Categorical(forecaster[keep], categories=wanted).codes
    matrices = []
    for values in (
        rows[score].to_numpy(float)[keep],
        _days(rows["made"][keep]),
        _days(rows["made_latest"][keep]),
    ):
        matrix = np.full((len(questions), len(wanted)), np.nan)
        matrix[q_codes, f_codes] = values
        matrices.append(matrix)
    return questions, matrices


def _intervals(diffs: list[Floats], n_boot: int, seed: int) -> tuple[Floats, Floats]:
    """The bootstrap 95% CI of each pair's mean difference."""
    if not diffs:
        return np.full(0, np.nan), np.full(0, np.nan)
    sizes = np.array([d.size for d in diffs])
    matrix = np.full((len(diffs), int(sizes.max())), np.nan)
    for k, d in enumerate(diffs):
        matrix[k, : d.size] = d
    lows, highs = percentiles(bootstrap_means(matrix, sizes, n_boot, seed))
    one = sizes == 1  # a single question: the interval is the difference itself
    lows[one] = highs[one] = matrix[one, 0]
    return lows, highs


def head_to_head(
    rows: pd.DataFrame,
    pairs: Sequence[tuple[str, str]] | None = None,
    *,
    same_window: int | None = None,
    n_boot: int = 1000,
    seed: int = 0,
    score: str = "brier",
) -> pd.DataFrame:
    """Paired comparison of each pair on the resolved questions both answered.

    Args:
        rows: scored rows, from `ledger.score.scorecard.scored`.
        pairs: the pairs to compare; default every pair of forecasters.
        same_window: keep only questions whose two forecasts were surely made
            within this many days of each other.
        n_boot: bootstrap resamples.
        seed: the bootstrap's seed.
        score: the column compared, lower is better: "brier", or another
            score per question such as the relative quantile score.

    Returns:
        Columns PAIRS, one row per pair with a shared scored question;
        `questions` lists, per shared question, its id, both scores
        (`brier_a` and `brier_b`, or `<score>_a` and `<score>_b`) and the gap
        in days [least, most].

    Raises:
        ValueError: more than MAX_PAIRS pairs.
    """
    rows = rows[rows[score].notna().to_numpy()]
    forecaster = rows["forecaster"].astype(str)
    names = sorted(set(forecaster))
    if pairs is None:
        pairs = every_pair(names)
    if len(pairs) > MAX_PAIRS:
        raise ValueError(
            f"{len(pairs):,} pairs is too many to compare (at most {MAX_PAIRS:,}); "
            "name fewer forecasters"
        )
    wanted = sorted({x for pair in pairs for x in pair} & set(names))
    questions, (brier, made, latest) = _matrices(rows, forecaster, wanted, score)
    column = {name: i for i, name in enumerate(wanted)}
    found = []
    for a, b in pairs:
        if a not in column or b not in column:
            continue
        i, j = column[a], column[b]
        both = np.flatnonzero(~np.isnan(brier[:, i]) & ~np.isnan(brier[:, j]))
        least, most = gap(
            made[both, i], latest[both, i], made[both, j], latest[both, j]
        )
        if same_window is not None:
            inside = most <= same_window
            both, least, most = both[inside], least[inside], most[inside]
        if both.size:
            found.append((a, b, both, least, most, brier[both, i], brier[both, j]))
    lows, highs = _intervals([item[5] - item[6] for item in found], n_boot, seed)
    records = [
        _record(questions, item, (float(lows[k]), float(highs[k])), score)
        for k, item in enumerate(found)
    ]
    return pd.DataFrame(records, columns=PAIRS)


def _record(
    questions: pd.Index, item: tuple[Any, ...], ci: tuple[float, float], score: str
) -> dict[str, Any]:
    """One row of `head_to_head`."""
    a, b, both, least, most, score_a, score_b = item
    diffs = score_a - score_b
    p, test = _paired_test(diffs)
    return {
        "a": a,
        "b": b,
        "n": int(diffs.size),
        "mean_diff": float(diffs.mean()),
        "ci": list(ci),
        "p": p,
        "test": test,
        "gap_days_mean": float(((least + most) / 2).mean()),
        "gap_days_max": float(most.max()),
        "questions": [
            {
                "question": str(questions[q]),
                f"{score}_a": float(x),
                f"{score}_b": float(y),
                "gap_days": [int(lo), int(hi)],
            }
            for q, x, y, lo, hi in zip(both, score_a, score_b, least, most, strict=True)
        ],
    }
