"""Compare forecasters fairly: leaderboards, peer scores, head-to-head on shared questions.

Reads the scored rows of `scorecard.scored` (one standing forecast per
forecaster and question, with a probability and an outcome). Conventions,
stated once:

- **Peer score** (Metaculus): on each question, 100·(ln p − the mean of ln p
  over the *other* forecasters), with the clipped log score. A forecaster alone
  on a question scores 0 there (there is nobody to compare with). Reported as a
  mean over the questions the forecaster answered and as a sum; a contest score
  (ACX) is `peer_score_sum / number of questions`, since a skipped question
  scores 0.
- **Relative Brier** (GJ Open, Fatebook): own Brier minus the median Brier of the
  others on the same question; undefined (left out) when alone. Lower is better.
- **Coverage**: the share of all scored questions that the forecaster answered.
- **Head to head**: only questions both answered; the mean paired difference of
  Brier (a − b, negative favours a), a question-level bootstrap 95% CI, an
  exact sign-flip p-value for n ≤ 20 and a paired t-test otherwise, and the gap
  in days between the two forecasts on each shared question.
- **Crowd aggregates** are synthetic forecasters built from the standing
  forecasts of the real ones on each question: `crowd-median`, `crowd-mean`,
  `crowd-geo-mean-odds` (geometric mean of the odds, with p clipped to
  [0.001, 0.999] first so that 0 and 1 keep finite odds).
- **Stratified scores** (`balance_by`): a question's stratum is the part after
  `PREFIX:` of its tag with that prefix. A forecaster's score is the unweighted
  mean of its per-stratum mean Brier scores, not a pooled mean.
- **Difficulty adjustment**: ForecastBench's two-way fixed effects
  (brier = forecaster effect + question effect + error); a forecaster's adjusted
  Brier is the mean over its questions of (brier − question effect).
- **CIs**: `bootstrap` resamples questions (within strata when stratified;
  1,000 resamples, seed 0); `t` is ForecastBench's interval, a t-interval with
  df = min(n per stratum) − 1 and standard error sqrt(Σ se_s²)/k over k strata
  (one stratum when not stratified).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any, Literal

import numpy as np
import pandas as pd

from ledger import score

CLIP = 0.001
AGGREGATES = ("median", "mean", "geo-mean-odds")
LARGE_PANEL = 50


def aggregate_forecaster(frame: pd.DataFrame, method: str) -> pd.DataFrame:
    """Rows of a synthetic forecaster `crowd-<method>` added to the frame.

    On each question, it forecasts the aggregate of the standing forecasts with
    a probability, made on the day of the latest of them.
    """
    if method not in AGGREGATES:
        raise ValueError(f"unknown aggregate '{method}'; use one of {', '.join(AGGREGATES)}")
    rows = frame[frame["standing"] & frame["p"].notna()]
    if rows.empty:
        return frame
    grouped = rows.groupby("question", observed=True)
    if method == "median":
        p = grouped["p"].median()
    elif method == "mean":
        p = grouped["p"].mean()
    else:
        clipped = rows["p"].clip(CLIP, 1 - CLIP)
        log_odds = np.log(clipped / (1 - clipped))
        mean = log_odds.groupby(rows["question"], observed=True).mean()
        p = 1 / (1 + np.exp(-mean))
    first = grouped.head(1).set_index("question")
    made = grouped["made"].max()
    crowd = first.assign(p=p, made=made, made_latest=made, basis="stated", line=0,
                         forecaster=f"crowd-{method}").reset_index()
    columns = list(frame.columns)
    out = pd.concat([frame.astype({"forecaster": str}), crowd[columns]], ignore_index=True)
    return out.astype({"forecaster": "category", "basis": "category"})


def _peer(rows: pd.DataFrame) -> pd.Series:
    """Peer score of each row against the other forecasters on its question."""
    grouped = rows.groupby("question", observed=True)["log_score"]
    total, count = grouped.transform("sum"), grouped.transform("size")
    others = (total - rows["log_score"]) / (count - 1)
    return (100 * (rows["log_score"] - others)).where(count > 1, 0.0)


def _relative(rows: pd.DataFrame) -> pd.Series:
    """Own Brier minus the median of the others' Brier on the same question."""
    values = rows[["question", "brier"]].reset_index()
    merged = values.merge(values, on="question", suffixes=("", "_other"))
    merged = merged[merged["index"] != merged["index_other"]]
    median = merged.groupby("index")["brier_other"].median()
    return rows["brier"] - median.reindex(rows.index)


def _strata(rows: pd.DataFrame, prefix: str | None) -> pd.Series:
    if prefix is None:
        return pd.Series("all", index=rows.index)
    head = prefix.rstrip(":") + ":"

    def pick(tags: Sequence[str]) -> str:
        return next((t[len(head):] for t in tags if t.startswith(head)), "(none)")

    return rows["tags"].map(pick)


def _t_quantile(level: float, df: float) -> float:
    """The two-sided t critical value, by bisection on score's t distribution."""
    alpha = 1 - level
    low, high = 0.0, 1e3
    for _ in range(200):
        mid = (low + high) / 2
        if score._t_two_sided(mid, df) > alpha:
            low = mid
        else:
            high = mid
    return (low + high) / 2


def _stratified(values: pd.Series, strata: pd.Series, questions: pd.Series,
                ci: str, n_boot: int, seed: int) -> tuple[float, float, float, dict[str, Any]]:
    """Unweighted mean of per-stratum means, its CI, and the per-stratum table."""
    table = values.groupby(strata).agg(["size", "mean", "std"])
    mean = float(table["mean"].mean()) if len(table) else math.nan
    per = {str(name): {"n": int(row["size"]), "brier": float(row["mean"])}
           for name, row in table.iterrows()}
    if len(values) < 2:
        return mean, mean, mean, per
    if ci == "t":
        k = len(table)
        se = math.sqrt(float((table["std"] ** 2 / table["size"]).sum())) / k
        df = int(table["size"].min()) - 1
        if df < 1 or math.isnan(se):
            return mean, math.nan, math.nan, per
        half = _t_quantile(0.95, df) * se
        return mean, mean - half, mean + half, per
    return (mean, *_stratified_bootstrap(values, strata, questions, n_boot, seed), per)


def _stratified_bootstrap(values: pd.Series, strata: pd.Series, questions: pd.Series,
                          n_boot: int, seed: int) -> tuple[float, float]:
    rng = np.random.default_rng(seed)
    replicates = np.zeros(n_boot)
    names = pd.unique(strata)
    for name in names:
        mask = (strata == name).to_numpy()
        codes, _ = pd.factorize(questions[mask])
        sums = np.bincount(codes, weights=values[mask].to_numpy())
        sizes = np.bincount(codes)
        idx = rng.integers(0, sums.size, size=(n_boot, sums.size))
        replicates += sums[idx].sum(axis=1) / sizes[idx].sum(axis=1)
    replicates /= len(names)
    low, high = np.quantile(replicates, [0.025, 0.975])
    return float(low), float(high)


def leaderboard(
    rows: pd.DataFrame,
    *,
    min_questions: int = 5,
    balance_by: str | None = None,
    ci: Literal["bootstrap", "t"] = "bootstrap",
    adjust: str | None = None,
    n_boot: int = 1000,
    seed: int = 0,
) -> pd.DataFrame:
    """One row per forecaster (see the module docstring for every column)."""
    rows = rows[rows["brier"].notna()].copy()
    rows["peer"] = _peer(rows)
    rows["relative"] = _relative(rows)
    rows["stratum"] = _strata(rows, balance_by)
    n_total = rows["question"].nunique()
    adjusted = None
    if adjust == "difficulty" and not rows.empty:
        adjusted, _ = score.two_way_fixed_effects(rows[["forecaster", "question", "brier"]])
    records = []
    for name, group in rows.groupby("forecaster", observed=True):
        brier, low, high, strata = _stratified(
            group["brier"], group["stratum"], group["question"], ci, n_boot, seed
        )
        n = group["question"].nunique()
        records.append({
            "forecaster": str(name),
            "n": n,
            "brier": brier,
            "brier_ci_low": low,
            "brier_ci_high": high,
            "log_score": group["log_score"].mean(),
            "baseline_score": group["baseline_score"].mean(),
            "peer_score_mean": group["peer"].mean(),
            "peer_score_sum": group["peer"].sum(),
            "relative_brier": group["relative"].mean(),
            "coverage": n / n_total if n_total else math.nan,
            "flagged": n < min_questions,
            "adjusted_brier": None if adjusted is None else float(adjusted.get(name, math.nan)),
            "strata": strata if balance_by else None,
        })
    columns = ["forecaster", "n", "brier", "brier_ci_low", "brier_ci_high", "log_score",
               "baseline_score", "peer_score_mean", "peer_score_sum", "relative_brier",
               "coverage", "flagged", "adjusted_brier", "strata"]
    table = pd.DataFrame(records, columns=columns)
    return table.sort_values(["brier", "forecaster"], ignore_index=True)


def head_to_head(
    rows: pd.DataFrame,
    pairs: Sequence[tuple[str, str]] | None = None,
    *,
    same_window: int | None = None,
    n_boot: int = 1000,
    seed: int = 0,
) -> pd.DataFrame:
    """Paired comparison of each pair on the questions both answered."""
    rows = rows[rows["brier"].notna()]
    wide = rows.pivot_table(index="question", columns="forecaster", values="brier", observed=True)
    made = rows.pivot_table(index="question", columns="forecaster", values="made",
                            observed=True, aggfunc="first")
    names = sorted(map(str, wide.columns))
    if pairs is None:
        pairs = [(a, b) for i, a in enumerate(names) for b in names[i + 1:]]
    records = []
    for a, b in pairs:
        if a not in wide.columns or b not in wide.columns:
            continue
        shared = wide[[a, b]].dropna()
        gaps = (made.loc[shared.index, a] - made.loc[shared.index, b]).dt.days.abs()
        if same_window is not None:
            keep = gaps <= same_window
            shared, gaps = shared[keep], gaps[keep]
        diffs = (shared[a] - shared[b]).to_numpy()
        test = score.paired_comparison(diffs)
        low, high = score.bootstrap_ci(diffs, None, n_boot, seed)
        p = test["p_sign_flip"] if len(diffs) <= 20 else test["p_t"]
        records.append({
            "a": a, "b": b, "n": len(diffs),
            "mean_diff": test["mean"], "ci": [low, high], "p": p,
            "test": "sign-flip (exact)" if len(diffs) <= 20 else "paired t",
            "gap_days_mean": float(gaps.mean()) if len(gaps) else None,
            "gap_days_max": float(gaps.max()) if len(gaps) else None,
        })
    return pd.DataFrame(records, columns=["a", "b", "n", "mean_diff", "ci", "p", "test",
                                          "gap_days_mean", "gap_days_max"])


def shared_questions(
    frame: pd.DataFrame, pairs: Sequence[tuple[str, str]] | None = None
) -> list[dict[str, Any]]:
    """For each pair with questions in common: how many, how many resolved, which."""
    standing = frame[frame["standing"]]
    by_forecaster = {
        str(name): set(group["question"])
        for name, group in standing.groupby("forecaster", observed=True)
    }
    scored = set(standing.loc[standing["excluded"] == "", "question"])
    names = sorted(by_forecaster)
    if pairs is None:
        pairs = [(a, b) for i, a in enumerate(names) for b in names[i + 1:]]
    found = []
    for a, b in pairs:
        common = sorted(by_forecaster.get(a, set()) & by_forecaster.get(b, set()))
        if common:
            found.append({"a": a, "b": b, "shared": len(common),
                          "resolved": len(set(common) & scored), "questions": common})
    return found
