"""The leaderboard: one row per forecaster, compared fairly with the others.

Reads the scored rows of `ledger.score.scorecard.scored` (one standing
forecast per forecaster and question, with a probability and an outcome).
Conventions, stated once:

- **Peer score** (Metaculus): on each question, 100·(ln p - the mean of ln p
  over the *other* forecasters), with the clipped log score. A forecaster alone
  on a question scores 0 there (there is nobody to compare with). Reported as a
  mean over the questions the forecaster answered and as a sum; a contest score
  (ACX) is `peer_score_sum / number of questions`, since a skipped question
  scores 0.
- **Relative Brier** (GJ Open, Fatebook): own Brier minus the median Brier of the
  others on the same question; undefined (left out) when alone. Lower is better.
- **Coverage**: the share of all scored questions that the forecaster answered.
- **Synthetic** forecasters (crowd aggregates, `ledger.compare.crowd`) are
  never one of "the others" of a real forecaster, nor in the difficulty fit.
- **Stratified Brier** (`balance_by`): a question's stratum is the part after
  `PREFIX:` of its tag with that prefix (`(none)` without one). A forecaster's
  Brier is the unweighted mean of its per-stratum mean Brier scores, not a
  pooled mean (the other columns stay pooled).
- **Difficulty adjustment** (ForecastBench): two-way fixed effects fitted on the
  real forecasters' rows, brier = forecaster effect + question effect + error;
  a forecaster's adjusted Brier is the mean over its questions of (brier -
  question effect), with the question effects centred so that the adjusted
  scores average to the mean Brier over all scored forecasts (only their
  differences are identified; ForecastBench instead pins "Always 0.5" at 0.25).
- **CIs** of the Brier: `bootstrap` resamples questions (1,000 resamples, seed
  0; within each stratum when stratified), drawing exactly what
  `bootstrap_ci` draws, so an unstratified CI equals the one `ledger
  score --by forecaster` prints; `t` is ForecastBench's interval, a t-interval
  with df = min(n per stratum) - 1 and standard error sqrt(Σ se_s²)/k over k
  strata, se_s = sd_s/√n_s (one stratum when not stratified).

How it is computed: every per-forecaster number is an `np.bincount` over
integer codes, and the bootstrap of all forecasters with the same number of
questions is one matrix product (the values times the resample counts), so a
3,300-forecaster contest costs a few passes over its rows.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd

from ledger.score.bootstrap import bootstrap_means, percentiles
from ledger.score.groups import group_sums
from ledger.score.scorecard import HEADLINE
from ledger.score.stats import fixed_effects, t_quantile

if TYPE_CHECKING:
    from collections.abc import Collection, Sequence

    from numpy.typing import NDArray

    Floats = NDArray[np.float64]
    Codes = NDArray[np.intp]
    Strata = list[dict[str, dict[str, Any]]]

PEER = ("peer_score_mean", "peer_score_sum", "relative_brier", "coverage")
"""The columns that measure a forecaster against the others."""

LEADERBOARD = [
    "forecaster",
    *HEADLINE,
    *PEER,
    "flagged",
    "adjusted_brier",
    "strata",
    "synthetic",
]
"""The leaderboard's columns, in order."""

NO_STRATUM = "(none)"
"""The stratum of a question without a tag of the `balance_by` prefix."""


def scored_questions(rows: pd.DataFrame) -> int:
    """How many questions have a forecast scored by Brier (coverage's denominator)."""
    return int(rows.loc[rows["brier"].notna().to_numpy(), "question"].nunique())


def _peer(log: Floats, question: Codes, real: NDArray[np.bool_]) -> Floats:
    """Peer score of each row against the real forecasters on its question."""
    n_q = int(question.max(initial=-1)) + 1
    total = np.bincount(question, np.where(real, log, 0.0), n_q)[question]
    count = np.bincount(question, real.astype(float), n_q)[question]
    others = np.where(real, count - 1, count)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = (total - np.where(real, log, 0.0)) / others
    return np.where(others > 0, 100 * (log - mean), 0.0)


def _relative(brier: Floats, question: Codes, real: NDArray[np.bool_]) -> Floats:
    """Own Brier minus the median Brier of the real others on the same question.

    NaN when there is no other. The median without row r of a sorted group
    v[0..N-1] is read off the group directly: removing rank k shifts every
    later element down by one.
    """
    out = np.full(brier.size, np.nan)
    rows = np.flatnonzero(real)
    if rows.size:
        order = rows[np.lexsort((brier[rows], question[rows]))]
        q_sorted = question[order]
        values = brier[order]
        starts = np.flatnonzero(np.r_[True, q_sorted[1:] != q_sorted[:-1]])
        sizes = np.diff(np.r_[starts, order.size])
        start = np.repeat(starts, sizes)
        size = np.repeat(sizes, sizes)
        rank = np.arange(order.size) - start
        m = size - 1  # the others
        ok = m > 0

        def remaining(j: Codes) -> Floats:  # j-th of the others, 0-based
            other: Floats = values[
                np.minimum(start + j + (j >= rank), start + size - 1)
            ]
            return other

        low = remaining(np.maximum((m - 1) // 2, 0))
        high = remaining(np.maximum(m // 2, 0))
        median = np.where(m % 2 == 1, low, (low + high) / 2)
        out[order[ok]] = values[ok] - median[ok]
    synthetic = np.flatnonzero(~real)
    if synthetic.size and rows.size:
        medians = pd.Series(brier[rows]).groupby(question[rows]).median()
        theirs = medians.reindex(question[synthetic]).to_numpy()
        out[synthetic] = brier[synthetic] - theirs
    return out


def _strata(tags: pd.Series, prefix: str | None) -> pd.Series:
    """Each row's stratum: its tag's part after `prefix:`, or NO_STRATUM."""
    if prefix is None:
        return pd.Series("all", index=tags.index)
    head = prefix.rstrip(":") + ":"
    seen: dict[int, str] = {}

    def pick(values: Sequence[str]) -> str:
        key = id(values)  # one tuple per question, shared by all its rows
        if key not in seen:
            seen[key] = next(
                (t[len(head) :] for t in values if t.startswith(head)), NO_STRATUM
            )
        return seen[key]

    return tags.map(pick)


def _padded(values: Floats, owner: Codes, n_owners: int) -> tuple[Floats, Codes]:
    """Each owner's values, in order, as one row of a NaN-padded matrix; the counts."""
    order = np.argsort(owner, kind="stable")
    counts = np.bincount(owner, minlength=n_owners)
    starts = np.r_[0, np.cumsum(counts)[:-1]]
    position = np.arange(owner.size) - np.repeat(starts, counts)
    matrix = np.full((n_owners, int(counts.max(initial=0))), np.nan)
    matrix[owner[order], position] = values[order]
    return matrix, counts


def _per_stratum(
    brier: Floats, cell: Codes, shape: tuple[int, int], names: NDArray[Any]
) -> tuple[Floats, Floats, Floats, Strata]:
    """Per forecaster and stratum: size, mean, variance; and {stratum: {n, brier}}."""
    n_f, k = shape
    size = np.bincount(cell, minlength=n_f * k).reshape(n_f, k)
    total = np.bincount(cell, brier, n_f * k).reshape(n_f, k)
    present = size > 0
    with np.errstate(invalid="ignore", divide="ignore"):
        cell_mean = total / size
        deviation = brier - cell_mean.ravel()[cell]
        var = np.bincount(cell, deviation**2, n_f * k).reshape(n_f, k) / (size - 1)
    per = [
        {
            str(names[j]): {"n": int(size[i, j]), "brier": float(cell_mean[i, j])}
            for j in np.flatnonzero(present[i])
        }
        for i in range(n_f)
    ]
    return size.astype(np.float64), cell_mean, var, per


def _t_interval(headline: Floats, size: Floats, var: Floats) -> tuple[Floats, Floats]:
    """ForecastBench's t-interval of each forecaster's (stratified) mean Brier."""
    present = size > 0
    k_f = present.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        se = np.sqrt(np.where(present, var / size, 0.0).sum(axis=1)) / k_f
    df = np.where(present, size, np.inf).min(axis=1) - 1
    ok = (df >= 1) & np.isfinite(se)
    half = (
        np.array(
            [
                t_quantile(float(d)) if good else math.nan
                for d, good in zip(df, ok, strict=True)
            ]
        )
        * se
    )
    return np.where(ok, headline - half, np.nan), np.where(ok, headline + half, np.nan)


def _brier_with_ci(
    brier: Floats,
    f: Codes,
    n_f: int,
    strata: NDArray[np.object_],
    ci: str,
    n_boot: int,
    seed: int,
) -> tuple[Floats, Floats, Floats, Strata]:
    """Per forecaster: the (stratified) mean Brier, its CI, {stratum: {n, brier}}."""
    s_codes, s_names = pd.factorize(strata, sort=True)
    k = len(s_names)
    size, cell_mean, var, per = _per_stratum(brier, f * k + s_codes, (n_f, k), s_names)
    present = size > 0
    k_f = present.sum(axis=1)
    headline = np.where(present, cell_mean, 0.0).sum(axis=1) / k_f
    if ci == "t":
        low, high = _t_interval(headline, size, var)
        return headline, low, high, per
    if ci != "bootstrap":
        raise ValueError(f"unknown CI '{ci}'; use bootstrap or t")
    replicates = np.zeros((n_f, n_boot))
    for j in range(k):
        rows = s_codes == j
        matrix, counts = _padded(brier[rows], f[rows], n_f)
        stream = seed if k == 1 else (seed, j)
        replicates += bootstrap_means(matrix, counts, n_boot, stream)
    replicates /= k_f[:, None]
    low, high = percentiles(replicates)
    return headline, low, high, per


def _adjusted(
    brier: Floats, f: Codes, q: Codes, real: NDArray[np.bool_], n_f: int
) -> Floats:
    """Difficulty-adjusted Brier: the fit on real rows, applied to every row."""
    fit_q, questions = pd.factorize(q[real])
    fit_f, _ = pd.factorize(f[real])
    out = np.full(n_f, np.nan)
    if fit_q.size == 0:
        return out
    _, b = fixed_effects(fit_f, fit_q, brier[real])
    effect = pd.Series(b, index=questions).reindex(q).to_numpy()
    known = ~np.isnan(effect)
    counts = np.bincount(f[known], minlength=n_f)
    with np.errstate(invalid="ignore", divide="ignore"):
        out = np.bincount(f[known], (brier - effect)[known], n_f) / counts
    return np.where(counts > 0, out, np.nan)


def _relative_mean(relative: Floats, f: Codes, n_f: int) -> Floats:
    """Each forecaster's mean relative Brier, over the rows where it is defined."""
    has_relative = ~np.isnan(relative)
    relative_n = np.bincount(f, has_relative, n_f)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.bincount(f, np.where(has_relative, relative, 0.0), n_f) / relative_n


def leaderboard(
    rows: pd.DataFrame,
    *,
    min_questions: int = 5,
    balance_by: str | None = None,
    ci: Literal["bootstrap", "t"] = "bootstrap",
    adjust: str | None = None,
    synthetic: Collection[str] = (),
    n_boot: int = 1000,
    seed: int = 0,
) -> pd.DataFrame:
    """One row per forecaster with a Brier score (see the module docstring).

    Args:
        rows: scored rows, from `ledger.score.scorecard.scored`.
        min_questions: fewer questions than this flag a forecaster.
        balance_by: a tag prefix to stratify the Brier by, or None.
        ci: the Brier's 95% interval, "bootstrap" or "t".
        adjust: "difficulty" for the difficulty-adjusted Brier, or None.
        synthetic: the crowd aggregates among the forecasters.
        n_boot: bootstrap resamples.
        seed: the bootstrap's seed.

    Returns:
        Columns LEADERBOARD; sorted by the adjusted Brier with `adjust`, else
        by the Brier, then by forecaster. `strata` holds {stratum: {n, brier}}
        with `balance_by`, else None; `synthetic` marks crowd aggregates.

    Raises:
        ValueError: an unknown `ci`, or a difficulty fit on forecasters that
            share no questions.
    """
    rows = rows[rows["brier"].notna().to_numpy()]
    f_codes, names = pd.factorize(rows["forecaster"].astype(str), sort=True)
    q_codes, _ = pd.factorize(rows["question"])
    n_f = len(names)
    if n_f == 0:
        return pd.DataFrame(columns=LEADERBOARD)
    fake = np.isin(np.asarray(names, dtype=object), list(synthetic))
    real = ~fake[f_codes]
    brier = rows["brier"].to_numpy(float)
    n = np.bincount(f_codes, minlength=n_f)
    strata = _strata(rows["tags"], balance_by).to_numpy(object)
    headline, low, high, per = _brier_with_ci(
        brier, f_codes, n_f, strata, ci, n_boot, seed
    )
    difficulty = adjust == "difficulty"
    adjusted = _adjusted(brier, f_codes, q_codes, real, n_f) if difficulty else None
    table = pd.DataFrame(
        {
            "forecaster": np.asarray(names, dtype=object),
            "n": n,
            "brier": headline,
            "brier_ci_low": low,
            "brier_ci_high": high,
            **_means(rows, f_codes, q_codes, real, n),
            "coverage": n / len(np.unique(q_codes)),
            "flagged": n < min_questions,
            "adjusted_brier": adjusted,
            "strata": per if balance_by is not None else None,
            "synthetic": fake,
        },
        columns=LEADERBOARD,
    )
    key = "adjusted_brier" if difficulty else "brier"
    return table.sort_values([key, "forecaster"], ignore_index=True, kind="stable")


def _means(
    rows: pd.DataFrame,
    f_codes: Codes,
    q_codes: Codes,
    real: NDArray[np.bool_],
    n: NDArray[np.intp],
) -> dict[str, Floats]:
    """Per forecaster: mean log and Baseline scores, peer scores, relative Brier."""
    n_f = len(n)

    def mean(values: Floats) -> Floats:
        return np.bincount(f_codes, values, n_f) / n

    log = rows["log_score"].to_numpy(float)
    peer = _peer(log, q_codes, real)
    relative = _relative(rows["brier"].to_numpy(float), q_codes, real)
    return {
        "log_score": mean(log),
        "baseline_score": mean(rows["baseline_score"].to_numpy(float)),
        "peer_score_mean": mean(peer),
        "peer_score_sum": group_sums(f_codes, peer, n_f),
        "relative_brier": _relative_mean(relative, f_codes, n_f),
    }
