"""Compare forecasters fairly: leaderboards, peer scores, head-to-head on shared questions.

Reads the scored rows of `scorecard.scored` (one standing forecast per
forecaster and question, with a probability and an outcome). Conventions,
stated once:

- **Peer score** (Metaculus): on each question, 100·(ln p - the mean of ln p
  over the *other* forecasters), with the clipped log score. A forecaster alone
  on a question scores 0 there (there is nobody to compare with). Reported as a
  mean over the questions the forecaster answered and as a sum; a contest score
  (ACX) is `peer_score_sum / number of questions`, since a skipped question
  scores 0.
- **Relative Brier** (GJ Open, Fatebook): own Brier minus the median Brier of the
  others on the same question; undefined (left out) when alone. Lower is better.
- **Coverage**: the share of all scored questions that the forecaster answered.
- **Crowd aggregates** are synthetic forecasters built from the standing
  forecasts of real ones on each binary question: `crowd-median`,
  `crowd-mean`, `crowd-geo-mean-odds` (the geometric mean of the odds, with p
  clipped to [0.001, 0.999] first so that 0 and 1 keep finite odds). By
  default the crowd is every forecaster except those whose id ends in
  `-crowd` (a crowd already, such as `manifold-crowd`, a platform's community
  forecast recorded by `ledger import forecastbench`); `members` picks it
  explicitly. Synthetic forecasters are scored like everyone else, but they are
  never one of "the others" of a real forecaster (peer score, relative Brier)
  and never part of the difficulty fit, so adding one changes no real
  forecaster's numbers.
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
  `score.bootstrap_ci` draws, so an unstratified CI equals the one `ledger
  score --by forecaster` prints; `t` is ForecastBench's interval, a t-interval
  with df = min(n per stratum) - 1 and standard error sqrt(Σ se_s²)/k over k
  strata, se_s = sd_s/√n_s (one stratum when not stratified).
- **Head to head**: only questions both answered; the mean paired difference of
  Brier (a - b, negative favours a), a question-level bootstrap 95% CI, an
  exact sign-flip p-value for n ≤ 20 and a paired t-test otherwise, and the gap
  in days between the two forecasts on each shared question (a range when a
  `made` date is uncertain; `same_window` keeps only the questions whose two
  forecasts were surely made within that many days of each other).

How it is computed: every per-forecaster number is an `np.bincount` over
integer codes, and the bootstrap of all forecasters with the same number of
questions is one matrix product (the values times the resample counts), so a
3,300-forecaster contest costs a few passes over its rows.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Iterator, Mapping, Sequence
from functools import cache
from typing import Any, Literal

import numpy as np
import pandas as pd

from ledger.core.text import interval, json_value, number
from ledger.score import rules as score

CLIP = 0.001
AGGREGATES = ("median", "mean", "geo-mean-odds")
LARGE_PANEL = 50
"""Above this many forecasters, head-to-head pairs are computed only on request."""
MAX_PAIRS = 200_000
"""The most pairs one comparison computes (a 3,300-forecaster contest has 5.4 million)."""
CROWD_SUFFIX = "-crowd"
NO_STRATUM = "(none)"
LEADERBOARD = ["forecaster", "n", "brier", "brier_ci_low", "brier_ci_high", "log_score",
               "baseline_score", "peer_score_mean", "peer_score_sum", "relative_brier",
               "coverage", "flagged", "adjusted_brier", "strata", "synthetic"]
PAIRS = ["a", "b", "n", "mean_diff", "ci", "p", "test", "gap_days_mean", "gap_days_max",
         "questions"]


# ---------------------------------------------------------------- crowd aggregates


def crowd_name(method: str) -> str:
    """The id of the synthetic forecaster of an aggregate: `crowd-median`, ..."""
    if method not in AGGREGATES:
        raise ValueError(f"unknown aggregate '{method}'; use one of {', '.join(AGGREGATES)}")
    return f"crowd-{method}"


def default_crowd(names: Collection[str]) -> list[str]:
    """The forecasters aggregated by default: everyone but crowds (`*-crowd`, `crowd-*`)."""
    synthetic = {crowd_name(method) for method in AGGREGATES}
    return sorted(n for n in names if not n.endswith(CROWD_SUFFIX) and n not in synthetic)


def aggregate_forecaster(
    frame: pd.DataFrame, method: str, members: Collection[str] | None = None
) -> pd.DataFrame:
    """The frame with the rows of a synthetic forecaster `crowd-<method>` added.

    On each binary question, it forecasts the aggregate of the standing
    forecasts (with a probability) of `members` (default: `default_crowd`),
    made when the latest of them was made. Questions none of them answered get
    no aggregate.
    """
    name = crowd_name(method)
    if name in set(frame["forecaster"].astype(str)):
        raise ValueError(f"a forecaster is already called '{name}'")
    forecaster = frame["forecaster"].astype(str)
    if members is None:
        members = default_crowd(set(forecaster))
    rows = frame[
        frame["standing"].to_numpy()
        & frame["p"].notna().to_numpy()
        & (frame["kind"] == "binary").to_numpy()
        & forecaster.isin(list(members)).to_numpy()
    ]
    if rows.empty:
        return frame
    grouped = rows.groupby("question", sort=False)
    if method == "median":
        p = grouped["p"].median()
    elif method == "mean":
        p = grouped["p"].mean()
    else:
        clipped = rows["p"].clip(CLIP, 1 - CLIP)
        log_odds = np.log(clipped / (1 - clipped))
        p = 1 / (1 + np.exp(-log_odds.groupby(rows["question"], sort=False).mean()))
    first = grouped.head(1).set_index("question")
    crowd = first.assign(
        p=p, made=grouped["made"].max(), made_latest=grouped["made_latest"].max(),
        until=pd.NaT, basis="stated", line=0, forecaster=name,
    ).reset_index()
    out = pd.concat([frame.astype({"forecaster": str}), crowd[list(frame.columns)]],
                    ignore_index=True)
    return out.astype({"forecaster": "category", "basis": frame["basis"].dtype,
                       "until": frame["until"].dtype})


# ---------------------------------------------------------------- per-question scores


def _peer(log: np.ndarray, question: np.ndarray, real: np.ndarray) -> np.ndarray:
    """Peer score of each row against the real forecasters on its question."""
    n_q = int(question.max(initial=-1)) + 1
    total = np.bincount(question, np.where(real, log, 0.0), n_q)[question]
    count = np.bincount(question, real.astype(float), n_q)[question]
    others = np.where(real, count - 1, count)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = (total - np.where(real, log, 0.0)) / others
    return np.where(others > 0, 100 * (log - mean), 0.0)


def _relative(brier: np.ndarray, question: np.ndarray, real: np.ndarray) -> np.ndarray:
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

        def remaining(j: np.ndarray) -> np.ndarray:  # j-th of the others, 0-based
            return values[np.minimum(start + j + (j >= rank), start + size - 1)]

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
    if prefix is None:
        return pd.Series("all", index=tags.index)
    head = prefix.rstrip(":") + ":"
    seen: dict[int, str] = {}

    def pick(values: Sequence[str]) -> str:
        key = id(values)  # one tuple per question, shared by all its rows
        if key not in seen:
            seen[key] = next((t[len(head):] for t in values if t.startswith(head)), NO_STRATUM)
        return seen[key]

    return tags.map(pick)


# ---------------------------------------------------------------- intervals


@cache
def t_quantile(df: float, level: float = 0.95) -> float:
    """The two-sided t critical value, by bisection on score's t distribution."""
    alpha = 1 - level
    low, high = 0.0, 1e6
    for _ in range(200):
        mid = (low + high) / 2
        if score._t_two_sided(mid, df) > alpha:
            low = mid
        else:
            high = mid
    return (low + high) / 2


def scored_questions(rows: pd.DataFrame) -> int:
    """How many questions have a forecast scored by Brier (coverage's denominator)."""
    return int(rows.loc[rows["brier"].notna().to_numpy(), "question"].nunique())


def _resample_counts(n: int, n_boot: int, seed: int | tuple[int, ...]) -> np.ndarray:
    """How often each of n positions is drawn in each replicate, (n_boot, n).

    The draws are exactly those of `score.bootstrap_ci` (same generator, same
    chunks), so a mean taken from these counts is its replicate mean.
    """
    rng = np.random.default_rng(seed)
    chunk = max(1, 2**20 // n)
    parts = []
    for start in range(0, n_boot, chunk):
        size = min(chunk, n_boot - start)
        idx = rng.integers(0, n, size=(size, n))
        flat = (np.arange(size)[:, None] * n + idx).ravel()
        parts.append(np.bincount(flat, minlength=size * n).reshape(size, n))
    return np.concatenate(parts).astype(float)


def _blocks(sizes: np.ndarray) -> Iterator[tuple[int, np.ndarray]]:
    """(n, the indices with that size), for each size present."""
    order = np.argsort(sizes, kind="stable")
    bounds = np.flatnonzero(np.diff(sizes[order])) + 1
    for block in np.split(order, bounds):
        if block.size:
            yield int(sizes[block[0]]), block


def _padded(values: np.ndarray, owner: np.ndarray, n_owners: int) -> tuple[np.ndarray, np.ndarray]:
    """Each owner's values, in order, as one row of a matrix (NaN padded), and counts."""
    order = np.argsort(owner, kind="stable")
    counts = np.bincount(owner, minlength=n_owners)
    starts = np.r_[0, np.cumsum(counts)[:-1]]
    position = np.arange(owner.size) - np.repeat(starts, counts)
    matrix = np.full((n_owners, int(counts.max(initial=0))), np.nan)
    matrix[owner[order], position] = values[order]
    return matrix, counts


def _bootstrap_means(
    matrix: np.ndarray, counts: np.ndarray, n_boot: int, seed: int | tuple[int, ...]
) -> np.ndarray:
    """Replicate means of each row's first counts[i] values, (rows, n_boot)."""
    out = np.zeros((len(counts), n_boot))
    for n, block in _blocks(counts):
        if n == 0:
            continue
        weights = _resample_counts(n, n_boot, seed).T / n
        for start in range(0, block.size, 4096):
            part = block[start:start + 4096]
            out[part] = matrix[part, :n] @ weights
    return out


def _percentiles(replicates: np.ndarray, level: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
    if replicates.shape[0] == 0:
        return np.empty(0), np.empty(0)
    low, high = np.quantile(replicates, [(1 - level) / 2, (1 + level) / 2], axis=1)
    return low, high


# ---------------------------------------------------------------- difficulty


def fixed_effects(
    forecaster: np.ndarray, question: np.ndarray, y: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Least squares of y = a[forecaster] + b[question], without a dense design.

    The normal equations of the larger side are solved in closed form
    (a = row means of y - b), which leaves a small symmetric system
    M b = c on the other side; its null space is the constant (one per
    connected group), fixed by centring b so that its mean over all rows is 0.
    Raises ValueError if the panel is not connected by shared questions.
    Returns (a per forecaster code, b per question code).
    """
    n_f, n_q = int(forecaster.max()) + 1, int(question.max()) + 1
    if _components(forecaster, question, n_f, n_q) > 1:
        raise ValueError("forecasters are not all linked by shared questions")
    swap = n_f < n_q  # solve on the smaller side
    big, small = (question, forecaster) if swap else (forecaster, question)
    n_big, n_small = (n_q, n_f) if swap else (n_f, n_q)
    count_big = np.bincount(big, minlength=n_big).astype(float)
    count_small = np.bincount(small, minlength=n_small).astype(float)
    mean_big = np.bincount(big, y, n_big) / count_big
    incidence = np.zeros((n_big, n_small))
    np.add.at(incidence, (big, small), 1.0)
    matrix = np.diag(count_small) - (incidence / count_big[:, None]).T @ incidence
    rhs = np.bincount(small, y - mean_big[big], n_small)
    b_small = np.linalg.lstsq(matrix, rhs, rcond=None)[0]
    a_big = mean_big - (incidence @ b_small) / count_big
    a, b = (b_small, a_big) if swap else (a_big, b_small)
    shift = b[question].mean()
    return a + shift, b - shift


def _components(f: np.ndarray, q: np.ndarray, n_f: int, n_q: int) -> int:
    """Connected components of the forecaster-question graph (label propagation)."""
    label_f = np.arange(n_f)
    while True:
        label_q = np.full(n_q, n_f)
        np.minimum.at(label_q, q, label_f[f])
        new_f = label_f.copy()
        np.minimum.at(new_f, f, label_q[q])
        if np.array_equal(new_f, label_f):
            return int(np.unique(label_f[np.unique(f)]).size)
        label_f = new_f


# ---------------------------------------------------------------- leaderboard


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

    Columns `LEADERBOARD`; sorted by the adjusted Brier with `adjust`, else by
    the Brier, then by forecaster. `strata` holds {stratum: {n, brier}} with
    `balance_by`, else None; `synthetic` marks crowd aggregates.
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
    log = rows["log_score"].to_numpy(float)
    peer = _peer(log, q_codes, real)
    relative = _relative(brier, q_codes, real)
    n = np.bincount(f_codes, minlength=n_f)

    def mean(values: np.ndarray) -> np.ndarray:
        return np.bincount(f_codes, values, n_f) / n

    has_relative = ~np.isnan(relative)
    relative_n = np.bincount(f_codes, has_relative, n_f)
    with np.errstate(invalid="ignore", divide="ignore"):
        relative_mean = np.bincount(f_codes, np.where(has_relative, relative, 0.0), n_f) / relative_n
    n_total = len(np.unique(q_codes))
    strata = _strata(rows["tags"], balance_by).to_numpy(object)
    headline, low, high, per = _brier_with_ci(brier, f_codes, n_f, strata, ci, n_boot, seed)
    adjusted = np.full(n_f, np.nan)
    if adjust == "difficulty":
        adjusted = _adjusted(brier, f_codes, q_codes, real, n_f)
    table = pd.DataFrame({
        "forecaster": np.asarray(names, dtype=object),
        "n": n,
        "brier": headline,
        "brier_ci_low": low,
        "brier_ci_high": high,
        "log_score": mean(log),
        "baseline_score": mean(rows["baseline_score"].to_numpy(float)),
        "peer_score_mean": mean(peer),
        "peer_score_sum": np.bincount(f_codes, peer, n_f),
        "relative_brier": relative_mean,
        "coverage": n / n_total,
        "flagged": n < min_questions,
        "adjusted_brier": adjusted if adjust == "difficulty" else None,
        "strata": per if balance_by is not None else None,
        "synthetic": fake,
    }, columns=LEADERBOARD)
    key = "adjusted_brier" if adjust == "difficulty" else "brier"
    return table.sort_values([key, "forecaster"], ignore_index=True, kind="stable")


def _brier_with_ci(
    brier: np.ndarray, f: np.ndarray, n_f: int, strata: np.ndarray, ci: str,
    n_boot: int, seed: int,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[dict[str, dict[str, Any]]]]:
    """Per forecaster: the (stratified) mean Brier, its CI, and {stratum: {n, brier}}."""
    s_codes, s_names = pd.factorize(strata, sort=True)
    k = len(s_names)
    cell = f * k + s_codes
    size = np.bincount(cell, minlength=n_f * k).reshape(n_f, k)
    total = np.bincount(cell, brier, n_f * k).reshape(n_f, k)
    present = size > 0
    with np.errstate(invalid="ignore", divide="ignore"):
        cell_mean = total / size
        deviation = brier - cell_mean.ravel()[cell]
        var = np.bincount(cell, deviation**2, n_f * k).reshape(n_f, k) / (size - 1)
    k_f = present.sum(axis=1)
    headline = np.where(present, cell_mean, 0.0).sum(axis=1) / k_f
    per = [
        {str(s_names[j]): {"n": int(size[i, j]), "brier": float(cell_mean[i, j])}
         for j in np.flatnonzero(present[i])}
        for i in range(n_f)
    ]
    if ci == "t":
        with np.errstate(invalid="ignore", divide="ignore"):
            se = np.sqrt(np.where(present, var / size, 0.0).sum(axis=1)) / k_f
        df = np.where(present, size, np.iinfo(np.int64).max).min(axis=1) - 1
        ok = (df >= 1) & np.isfinite(se)
        half = np.array([t_quantile(float(d)) if good else math.nan
                         for d, good in zip(df, ok, strict=True)]) * se
        return headline, np.where(ok, headline - half, np.nan), np.where(ok, headline + half, np.nan), per
    if ci != "bootstrap":
        raise ValueError(f"unknown CI '{ci}'; use bootstrap or t")
    replicates = np.zeros((n_f, n_boot))
    for j in range(k):
        rows = s_codes == j
        matrix, counts = _padded(brier[rows], f[rows], n_f)
        stream = seed if k == 1 else (seed, j)
        replicates += _bootstrap_means(matrix, counts, n_boot, stream)
    replicates /= k_f[:, None]
    low, high = _percentiles(replicates)
    return headline, low, high, per


def _adjusted(brier: np.ndarray, f: np.ndarray, q: np.ndarray, real: np.ndarray,
              n_f: int) -> np.ndarray:
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


# ---------------------------------------------------------------- head to head


def _sign_flip_p(d: np.ndarray) -> float:
    """Exact two-sided sign-flip p-value, as `score._sign_flip_p`, meeting in the middle.

    The 2**n signed sums are the sums of one of 2**(n//2) signed sums of the
    first half and one of the second half's, so counting the pairs whose total
    reaches the observed |sum| (with the same tolerance) takes two sorted
    arrays of 2**10 instead of 2**20 patterns.
    """
    n = d.size
    observed = abs(d.sum())
    threshold = observed - 1e-12 * max(1.0, float(np.abs(d).sum()))
    if threshold <= 0:
        return 1.0

    def sums(part: np.ndarray) -> np.ndarray:
        patterns = np.arange(2**part.size)[:, None]
        signs = 1 - 2 * ((patterns >> np.arange(part.size)) & 1)
        return signs @ part

    first, second = sums(d[: n // 2]), np.sort(sums(d[n // 2:]))
    above = second.size - np.searchsorted(second, threshold - first, side="left")
    below = np.searchsorted(second, -threshold - first, side="right")
    return float((above + below).sum()) / 2**n


def _gap(made_a: np.ndarray, latest_a: np.ndarray, made_b: np.ndarray,
         latest_b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Least and most days between two forecasts made in [made, made_latest]."""
    least = np.maximum.reduce([made_a - latest_b, made_b - latest_a, np.zeros_like(made_a)])
    most = np.maximum(latest_a - made_b, latest_b - made_a)
    return least, most


def head_to_head(
    rows: pd.DataFrame,
    pairs: Sequence[tuple[str, str]] | None = None,
    *,
    same_window: int | None = None,
    n_boot: int = 1000,
    seed: int = 0,
) -> pd.DataFrame:
    """Paired comparison of each pair on the resolved questions both answered.

    `pairs` defaults to every pair of forecasters. Pairs with no shared scored
    question are left out. Columns `PAIRS`; `questions` lists, per shared
    question, its id, both Brier scores and the gap in days [least, most].
    """
    rows = rows[rows["brier"].notna().to_numpy()]
    forecaster = rows["forecaster"].astype(str)
    names = sorted(set(forecaster))
    if pairs is None:
        pairs = [(a, b) for i, a in enumerate(names) for b in names[i + 1:]]
    if len(pairs) > MAX_PAIRS:
        raise ValueError(f"{len(pairs):,} pairs is too many to compare (at most {MAX_PAIRS:,}); "
                         "name fewer forecasters")
    wanted = sorted({x for pair in pairs for x in pair} & set(names))
    keep = forecaster.isin(wanted).to_numpy()
    q_codes, questions = pd.factorize(rows["question"][keep])
    f_codes = pd.Categorical(forecaster[keep], categories=wanted).codes
    shape = (len(questions), len(wanted))
    brier = np.full(shape, np.nan)
    made = np.full(shape, np.nan)
    latest = np.full(shape, np.nan)
    day = np.timedelta64(1, "D")
    brier[q_codes, f_codes] = rows["brier"].to_numpy(float)[keep]
    made[q_codes, f_codes] = (rows["made"][keep] - np.datetime64("1970-01-01")).to_numpy() / day
    latest[q_codes, f_codes] = (rows["made_latest"][keep] - np.datetime64("1970-01-01")).to_numpy() / day
    column = {name: i for i, name in enumerate(wanted)}
    found = []
    for a, b in pairs:
        if a not in column or b not in column:
            continue
        i, j = column[a], column[b]
        both = np.flatnonzero(~np.isnan(brier[:, i]) & ~np.isnan(brier[:, j]))
        least, most = _gap(made[both, i], latest[both, i], made[both, j], latest[both, j])
        if same_window is not None:
            inside = most <= same_window
            both, least, most = both[inside], least[inside], most[inside]
        if both.size:
            found.append((a, b, both, brier[both, i] - brier[both, j], least, most,
                          brier[both, i], brier[both, j]))
    lows = np.full(len(found), np.nan)
    highs = np.full(len(found), np.nan)
    if found:
        sizes = np.array([item[3].size for item in found])
        matrix = np.full((len(found), int(sizes.max())), np.nan)
        for k, item in enumerate(found):
            matrix[k, : item[3].size] = item[3]
        replicates = _bootstrap_means(matrix, sizes, n_boot, seed)
        lows, highs = _percentiles(replicates)
        one = sizes == 1  # a single question: the interval is the difference itself
        lows[one] = highs[one] = matrix[one, 0]
    records = []
    for k, (a, b, both, diffs, least, most, score_a, score_b) in enumerate(found):
        test = _paired_test(diffs)
        records.append({
            "a": a, "b": b, "n": int(diffs.size), "mean_diff": float(diffs.mean()),
            "ci": [float(lows[k]), float(highs[k])], "p": test[0], "test": test[1],
            "gap_days_mean": float(((least + most) / 2).mean()),
            "gap_days_max": float(most.max()),
            "questions": [
                {"question": str(questions[q]), "brier_a": float(x), "brier_b": float(y),
                 "gap_days": [int(lo), int(hi)]}
                for q, x, y, lo, hi in zip(both, score_a, score_b, least, most, strict=True)
            ],
        })
    return pd.DataFrame(records, columns=PAIRS)


def _paired_test(diffs: np.ndarray) -> tuple[float | None, str]:
    """(two-sided p, test name): exact sign flips for n <= 20, else paired t."""
    n = diffs.size
    if n <= 20:
        return _sign_flip_p(diffs), "sign-flip (exact)"
    with np.errstate(divide="ignore", invalid="ignore"):
        t = float(diffs.mean() / (diffs.std(ddof=1) / math.sqrt(n)))
    p = score._t_two_sided(t, n - 1)
    return (None if math.isnan(p) else p), "paired t"


# ---------------------------------------------------------------- shared questions


def shared_questions(
    frame: pd.DataFrame, pairs: Sequence[tuple[str, str]] | None = None
) -> list[dict[str, Any]]:
    """For each pair with questions in common: how many, how many resolved, which."""
    standing = frame[frame["standing"].to_numpy()]
    by_forecaster = {
        str(name): set(group["question"])
        for name, group in standing.groupby("forecaster", observed=True)
    }
    scored = set(standing.loc[(standing["excluded"] == "").to_numpy(), "question"])
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


def unscored_shared(
    frame: pd.DataFrame,
    pairs: Sequence[tuple[str, str]] | None = None,
    unscorable: Mapping[str, str] | None = None,
) -> list[dict[str, Any]]:
    """Each question two forecasters both stand on but that is not scored for them.

    One record per pair and question: `status` (open, due, resolved, void or
    unscorable), `reason` (why it is not compared, in words) and `gap_days`
    [least, most] between the two forecasts.
    """
    unscorable = unscorable or {}
    standing = frame[frame["standing"].to_numpy()]
    # Plain lists: read one item at a time, hundreds of thousands of times.
    forecaster = standing["forecaster"].astype(str).to_numpy().tolist()
    excluded = standing["excluded"].astype(str).to_numpy().tolist()
    index: dict[str, dict[str, int]] = {}
    questions = standing["question"].tolist()
    for row, (who, question) in enumerate(zip(forecaster, questions, strict=True)):
        index.setdefault(who, {})[question] = row
    names = sorted(index)
    if pairs is None:
        pairs = [(a, b) for i, a in enumerate(names) for b in names[i + 1:]]
    status = standing["status"].astype(str).to_numpy().tolist()
    window_only = (standing["p"].isna() & (standing["kind"] != "binary")).tolist()
    deadline = standing["deadline"].dt.strftime("%Y-%m-%d").to_numpy().tolist()
    day = np.timedelta64(1, "D")
    # As Python floats: the gap of one pair of forecasts is `_gap` on scalars.
    epoch = np.datetime64("1970-01-01")
    made = ((standing["made"] - epoch) / day).to_numpy().tolist()
    latest = ((standing["made_latest"] - epoch) / day).to_numpy().tolist()
    found = []
    asked = {who: set(rows) for who, rows in index.items()}  # their questions
    for a, b in pairs:
        mine, theirs = index.get(a, {}), index.get(b, {})
        for question in sorted(asked.get(a, set()) & asked.get(b, set())):
            i, j = mine[question], theirs[question]
            if excluded[i] == "" and excluded[j] == "":
                continue
            least = max(made[i] - latest[j], made[j] - latest[i], 0.0)
            most = max(latest[i] - made[j], latest[j] - made[i])
            state = "unscorable" if question in unscorable else status[i]
            found.append({
                "a": a, "b": b, "question": question, "status": state,
                "reason": _reason(question, excluded[i], excluded[j], a, b, deadline[i],
                                  unscorable, [who for who, k in ((a, i), (b, j)) if window_only[k]]),
                "gap_days": [int(least), int(most)],
            })
    return found


def unscored_summary(
    frame: pd.DataFrame,
    pairs: Sequence[tuple[str, str]] | None = None,
    unscorable: Mapping[str, str] | None = None,
) -> tuple[int, list[dict[str, Any]]]:
    """What the text table shows of `unscored_shared`: (how many pair-questions,
    rows). Up to DETAIL_ROWS pair-questions, the rows are `unscored_shared`
    itself; beyond, one row per question, as `_summarise` makes from it.

    When the pairs are every pair of some list of forecasters, in its order
    (no `--pairs`, `--pairs all`, or a list), the summary is counted per
    question instead of listing every pair: a big contest has close to a
    million pair-questions. On a question stood on by n of them, k of those
    scored, the pairs not compared are all but the k(k-1)/2 scored ones;
    every one of the n is in one; and the first in pair order, whose status
    and reason the row shows, is the first of the n in the list with the next
    one (when the first is not scored) or with the first one not scored.
    """
    unscorable = unscorable or {}
    standing = frame[frame["standing"].to_numpy()]
    forecaster = standing["forecaster"].astype(str).to_numpy().tolist()
    if pairs is None:
        order = sorted(set(forecaster))
    else:
        order = list(dict.fromkeys(name for pair in pairs for name in pair))
        if list(pairs) != [(a, b) for i, a in enumerate(order) for b in order[i + 1:]]:
            return _shown(unscored_shared(frame, pairs, unscorable))  # some other set of pairs
    rank = {name: i for i, name in enumerate(order)}
    excluded = standing["excluded"].astype(str).to_numpy().tolist()
    members: dict[str, list[tuple[int, str, int]]] = {}
    for row, question in enumerate(standing["question"].tolist()):
        who = forecaster[row]
        if who in rank:
            members.setdefault(question, []).append((rank[who], who, row))
    total = 0
    first: dict[str, tuple[str, str, int, int, int]] = {}
    for question, who in members.items():
        scored = sum(1 for _, _, row in who if excluded[row] == "")
        n = len(who)
        count = n * (n - 1) // 2 - scored * (scored - 1) // 2
        if count:
            total += count
            who.sort()
            (_, a, i), rest = who[0], who[1:]
            _, b, j = rest[0] if excluded[i] != "" else next(m for m in rest if excluded[m[2]] != "")
            first[question] = (a, b, i, j, count)
    if total <= DETAIL_ROWS:
        return total, unscored_shared(frame, pairs, unscorable)
    status = standing["status"].astype(str).to_numpy().tolist()
    window_only = (standing["p"].isna() & (standing["kind"] != "binary")).tolist()
    deadline = standing["deadline"].dt.strftime("%Y-%m-%d").to_numpy().tolist()
    rows = []
    for question in sorted(first):
        a, b, i, j, count = first[question]
        rows.append({
            "question": question,
            "status": "unscorable" if question in unscorable else status[i],
            "forecasters": len(members[question]),
            "pairs": count,
            "reason": _reason(question, excluded[i], excluded[j], a, b, deadline[i], unscorable,
                              [who for who, m in ((a, i), (b, j)) if window_only[m]]),
        })
    return total, rows


def _shown(listed: list[dict[str, Any]]) -> tuple[int, list[dict[str, Any]]]:
    """`unscored_summary`'s result from the whole list `unscored_shared` gave."""
    return len(listed), listed if len(listed) <= DETAIL_ROWS else _summarise(listed)


def _summarise(unscored: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One row per question of `unscored_shared`: its first pair's status and reason."""
    by_question: dict[str, dict[str, Any]] = {}
    for u in unscored:
        entry = by_question.setdefault(u["question"], {"question": u["question"], "status": u["status"],
                                                       "who": set(), "pairs": 0, "reason": u["reason"]})
        entry["who"] |= {u["a"], u["b"]}
        entry["pairs"] += 1
    return [{"question": q, "status": e["status"], "forecasters": len(e["who"]), "pairs": e["pairs"],
             "reason": e["reason"]} for q, e in sorted(by_question.items())]


def _reason(question: str, first: str, second: str, a: str, b: str, deadline: str,
            unscorable: Mapping[str, str], window_only: Sequence[str]) -> str:
    if question in unscorable:
        why = " ".join(unscorable[question].split())
        sentence = why.split(". ")[0].rstrip(".")
        return f"never scored: {sentence[:1].lower()}{sentence[1:]}"
    reasons = {first, second} - {""}
    lacking = (f"; window without p, timing error only: {', '.join(window_only)}"
               if window_only else "")
    if "void" in reasons:
        return "void: not scored"
    if "open" in reasons:
        return f"not resolved yet (deadline {deadline}){lacking}"
    if "due" in reasons:
        return f"due since {deadline}, no outcome recorded yet{lacking}"
    if "undetermined" in reasons:
        return "the outcome falls inside one forecast's window under some readings only"
    return lacking[2:] or "not scored"


# ---------------------------------------------------------------- output


def to_json(
    board: pd.DataFrame,
    pairs: pd.DataFrame,
    unscored: list[dict[str, Any]],
    *,
    as_of: str,
    ci: str = "bootstrap",
    balance_by: str | None = None,
    crowd: Sequence[str] = (),
    methods: Sequence[str] = (),
    pairs_note: str | None = None,
    questions: int = 0,
) -> dict[str, Any]:
    """The comparison as plain JSON (NaN becomes null); `questions`: how many were scored."""
    forecasters = []
    for row in board.to_dict("records"):
        item: dict[str, Any] = {
            "forecaster": row["forecaster"], "n": int(row["n"]),
            "brier": json_value(row["brier"]),
            "brier_ci": [json_value(row["brier_ci_low"]), json_value(row["brier_ci_high"])],
            **{k: json_value(row[k]) for k in ("log_score", "baseline_score", "peer_score_mean",
                                            "peer_score_sum", "relative_brier", "coverage")},
            "flagged": bool(row["flagged"]),
            "synthetic": bool(row["synthetic"]),
        }
        if row["adjusted_brier"] is not None:
            item["adjusted_brier"] = json_value(row["adjusted_brier"])
        if row["strata"] is not None:
            item["strata"] = row["strata"]
        forecasters.append(item)
    found = [
        {"a": r["a"], "b": r["b"], "n": int(r["n"]), "mean_diff": json_value(r["mean_diff"]),
         "ci": [json_value(v) for v in r["ci"]], "p": json_value(r["p"]), "test": r["test"],
         "gap_days_mean": json_value(r["gap_days_mean"]), "gap_days_max": json_value(r["gap_days_max"]),
         "questions": r["questions"]}
        for r in pairs.to_dict("records")
    ]
    return {
        "scale": "brier 0-1, lower is better",
        "as_of": as_of,
        "questions": questions,
        "ci": _ci_text(ci, balance_by),
        "balance_by": balance_by,
        "crowd": {"methods": list(methods), "members": list(crowd)} if methods else None,
        "forecasters": forecasters,
        "pairs": found,
        "pairs_note": pairs_note,
        "unscored_shared": unscored,
    }


def to_csv(board: pd.DataFrame) -> str:
    """The leaderboard as CSV; with strata, `n_<stratum>` and `brier_<stratum>` columns."""
    table = board.drop(columns=["strata"])
    if len(board) and board["strata"].iloc[0] is not None:
        names = sorted({name for strata in board["strata"] for name in strata})
        for name in names:
            table[f"n_{name}"] = [s.get(name, {}).get("n", 0) for s in board["strata"]]
            table[f"brier_{name}"] = [s.get(name, {}).get("brier") for s in board["strata"]]
    if len(board) and board["adjusted_brier"].iloc[0] is None:
        table = table.drop(columns=["adjusted_brier"])
    return table.to_csv(index=False, lineterminator="\n")


def _ci_text(ci: str, balance_by: str | None) -> str:
    if ci == "t":
        if balance_by:
            return ("t-interval (ForecastBench): df = min(n per stratum) - 1, "
                    "SE = sqrt(sum of per-stratum SE^2) / number of strata")
        return "t-interval: df = n - 1, SE = sd / sqrt(n)"
    within = " within each stratum" if balance_by else ""
    return f"question bootstrap{within}, 1,000 resamples, seed 0"


def _days(gap: Sequence[int]) -> str:
    return str(gap[0]) if gap[0] == gap[1] else f"{gap[0]}–{gap[1]}"


def columns(header: list[str], body: list[list[str]]) -> list[str]:
    """Left-aligned columns two spaces apart."""
    widths = [max(len(row[i]) for row in [header, *body]) for i in range(len(header))]
    return ["  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()
            for row in [header, *body]]


DETAIL_ROWS = 40
"""Above this many rows, per-question detail is summarised (JSON has it all)."""


def table(
    out: dict[str, Any], *, min_questions: int = 5, same_window: int | None = None,
    adjust: str | None = None, unscored: tuple[int, list[dict[str, Any]]] | None = None,
) -> str:
    """The comparison as text: the leaderboard, head to head, shared questions.

    `unscored` is `unscored_summary`'s result; without it, it is made from
    `out["unscored_shared"]`.
    """
    as_of = out["as_of"]
    n_questions = out["questions"]
    forecasters = out["forecasters"]
    if unscored is None:
        unscored = _shown(out["unscored_shared"])
    if not forecasters:
        lines = [f"Forecasters compared as of {as_of} (standing forecasts).", "",
                 f"Nothing has resolved as of {as_of}: no forecast has an outcome to be "
                 "scored against, so there is nothing to compare yet."]
        if unscored[0]:
            lines += ["", *_unscored_lines(*unscored)]
        return "\n".join(lines) + "\n"
    lines = [
        f"Forecasters compared as of {as_of} (standing forecasts).",
        f"Brier 0-1, lower is better; 95% CI: {out['ci']}.",
        "Peer: Metaculus peer score, 100 x (ln p - mean ln p of the others on the question); "
        "0 = as good as the others, higher is better. A skipped question scores 0, so a "
        f"contest score is peer sum / {n_questions} questions.",
        "Relative: own Brier minus the median of the others' Brier on the question, lower is "
        f"better. Coverage: share of the {n_questions} scored questions answered.",
    ]
    if out["balance_by"]:
        lines.append(f"Brier stratified by the tag prefix '{out['balance_by']}': the unweighted "
                     "mean of the per-stratum means (other columns pooled).")
    if adjust:
        lines.append("Adjusted: ForecastBench's difficulty-adjusted Brier, mean of (brier - "
                     "question effect) from two-way fixed effects fitted on the real "
                     "forecasters, centred on the mean Brier; lower is better.")
    if out["crowd"]:
        members = out["crowd"]["members"]
        shown = ", ".join(members[:6]) + (f", ... ({len(members)} in all)" if len(members) > 6 else "")
        names = ", ".join(f"crowd-{m}" for m in out["crowd"]["methods"])
        lines.append(f"{names}: on each binary question, the aggregate of the standing forecasts "
                     f"of {shown or 'nobody'}; never one of 'the others' of a real forecaster.")
    lines.append("")
    lines += _leaderboard_lines(forecasters, min_questions, adjust)
    lines.append("")
    lines += _pair_lines(out, same_window)
    if unscored[0]:
        lines += ["", *_unscored_lines(*unscored)]
    return "\n".join(lines).rstrip("\n") + "\n"


def _leaderboard_lines(forecasters: list[dict[str, Any]], min_questions: int,
                       adjust: str | None) -> list[str]:
    strata = sorted({s for f in forecasters for s in f.get("strata") or {}})
    header = ["forecaster", "n", "brier", "95% CI", "log", "baseline", "peer mean",
              "peer sum", "relative", "coverage"]
    header += ["adjusted"] if adjust else []
    for name in strata:
        header += [f"{name} n", f"{name} brier"]
    header.append("note")
    body = []
    for f in forecasters:
        row = [f["forecaster"], str(f["n"]), number(f["brier"]), interval(*f["brier_ci"], between='–'),
               number(f["log_score"]), number(f["baseline_score"], 1),
               number(f["peer_score_mean"], 1), number(f["peer_score_sum"], 1),
               number(f["relative_brier"]), f"{100 * f['coverage']:.0f}%"]
        row += [number(f.get("adjusted_brier"))] if adjust else []
        for name in strata:
            cell = (f.get("strata") or {}).get(name)
            row += [str(cell["n"]), number(cell["brier"])] if cell else ["0", "—"]
        notes = ["aggregate"] if f["synthetic"] else []
        notes += [f"fewer than {min_questions} questions"] if f["flagged"] else []
        row.append("; ".join(notes))
        body.append(row)
    return columns(header, body)


def _pair_lines(out: dict[str, Any], same_window: int | None) -> list[str]:
    if out["pairs_note"]:
        return [out["pairs_note"]]
    pairs = out["pairs"]
    window = (f" made within {same_window} days of each other (under every reading of "
              "an uncertain date)") if same_window is not None else ""
    if not pairs:
        return [f"Head to head: no pair of forecasters shares a scored question{window}."]
    lines = [f"Head to head on the scored questions both answered{window} (Brier a - b; "
             "negative favours a; p: exact sign-flip test for n <= 20, else paired t; "
             "gap: days between the two forecasts, mean and most):"]
    body = [[p["a"], p["b"], str(p["n"]), number(p["mean_diff"]), interval(*p["ci"], between='–'),
             number(p["p"], 4), p["test"],
             f"{number(p['gap_days_mean'], 0)} ({number(p['gap_days_max'], 0)})"]
            for p in pairs]
    lines += columns(["a", "b", "n", "mean diff", "95% CI", "p", "test", "gap days"], body)
    detail = [(p, q) for p in pairs for q in p["questions"]]
    if len(detail) <= DETAIL_ROWS:
        lines += ["", "Each shared scored question (gap: days between the two forecasts):"]
        body = [[p["a"], p["b"], q["question"], number(q["brier_a"]), number(q["brier_b"]),
                 _days(q["gap_days"])] for p, q in detail]
        lines += columns(["a", "b", "question", "brier a", "brier b", "gap days"], body)
    else:
        lines.append(f"({len(detail):,} pair-questions: the gap on each is in --format json.)")
    return lines


def _unscored_lines(total: int, rows: list[dict[str, Any]]) -> list[str]:
    """`unscored_summary`'s (total, rows) as text."""
    lines = ["Shared questions not compared (both forecasters have a standing forecast; "
             "gap: days between the two forecasts):"]
    if total <= DETAIL_ROWS:
        body = [[u["a"], u["b"], u["question"], u["status"], _days(u["gap_days"]), u["reason"]]
                for u in rows]
        return lines + columns(["a", "b", "question", "status", "gap days", "why not"], body)
    body = [[r["question"], r["status"], str(r["forecasters"]), str(r["pairs"]), r["reason"]]
            for r in rows]
    lines += columns(["question", "status", "forecasters", "pairs", "why not"], body)
    return [*lines, "(every pair and its gap in days: --format json)"]
