"""The question bootstrap: percentile intervals of mean scores, resampling questions.

One way of drawing, `draws`, serves every interval the ledger prints: the
single interval of `bootstrap_ci` (the scorecard) and the many intervals at
once of `bootstrap_means` (the leaderboard and head to head), which turns the
same draws into resample counts, so that a mean taken from them is the
replicate mean `bootstrap_ci` takes. The same seed gives the same intervals.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from collections.abc import Iterator

    from numpy.typing import ArrayLike, NDArray

    Floats = NDArray[np.float64]

Seed = int | tuple[int, ...]
"""A seed of `numpy.random.default_rng`: a number, or numbers for a sub-stream."""


def draws(n: int, n_boot: int, seed: Seed) -> Iterator[NDArray[np.int64]]:
    """The bootstrap's draws: `n_boot` rows of `n` positions drawn with replacement.

    Drawn in chunks of rows from `numpy.random.default_rng(seed)`, about 8 MB
    of positions at a time; each chunk has shape (rows, n).
    """
    rng = np.random.default_rng(seed)
    chunk = max(1, 2**20 // n)
    for start in range(0, n_boot, chunk):
        yield rng.integers(0, n, size=(min(chunk, n_boot - start), n))


def bootstrap_ci(
    values: ArrayLike,
    groups: ArrayLike | None = None,
    n_boot: int = 1000,
    seed: int = 0,
    level: float = 0.95,
) -> tuple[float, float]:
    """Percentile bootstrap interval for the mean, resampling whole questions.

    Each replicate draws the groups (by default each value is its own
    question) with replacement and takes the mean of all their values.
    Replicates are drawn in chunks from ``numpy.random.default_rng(seed)``,
    so the same seed gives the same interval.

    Args:
        values: per-forecast scores or score differences.
        groups: the question (or cluster) of each value.
        n_boot: number of replicates.
        seed: random seed.
        level: coverage of the interval.

    Returns:
        ``(low, high)``; ``(nan, nan)`` with no values, ``(x, x)`` with one.

    >>> low, high = bootstrap_ci([0.01, 0.16, 0.09, 0.04, 0.25])
    >>> bool(low < 0.11 < high), bootstrap_ci([0.3]), bootstrap_ci([])
    (True, (0.3, 0.3), (nan, nan))
    """
    x = np.asarray(values, dtype=np.float64).ravel()
    if x.size <= 1:
        return (float(x[0]), float(x[0])) if x.size else (math.nan, math.nan)
    if groups is None:
        codes = np.arange(x.size)
    else:
        codes = pd.factorize(np.asarray(groups).ravel())[0]
    sums, sizes = np.bincount(codes, weights=x), np.bincount(codes)
    means = [
        sums[idx].sum(axis=1) / sizes[idx].sum(axis=1)
        for idx in draws(sums.size, n_boot, seed)
    ]
    low, high = np.quantile(np.concatenate(means), [(1 - level) / 2, (1 + level) / 2])
    return float(low), float(high)


def resample_counts(n: int, n_boot: int, seed: Seed) -> Floats:
    """How often each of n positions is drawn in each replicate, (n_boot, n).

    The draws are exactly those of `bootstrap_ci` (`draws`), so a mean taken
    from these counts is its replicate mean.
    """
    parts = []
    for idx in draws(n, n_boot, seed):
        size = idx.shape[0]
        flat = (np.arange(size)[:, None] * n + idx).ravel()
        parts.append(np.bincount(flat, minlength=size * n).reshape(size, n))
    return np.concatenate(parts).astype(np.float64)


def _blocks(sizes: NDArray[np.int64]) -> Iterator[tuple[int, NDArray[np.intp]]]:
    """(n, the indices with that size), for each size present."""
    order = np.argsort(sizes, kind="stable")
    bounds = np.flatnonzero(np.diff(sizes[order])) + 1
    for block in np.split(order, bounds):
        if block.size:
            yield int(sizes[block[0]]), block


def bootstrap_means(
    matrix: Floats, counts: NDArray[np.int64], n_boot: int, seed: Seed
) -> Floats:
    """Replicate means of each row's first counts[i] values, (rows, n_boot).

    All rows with the same count share one set of resample counts, so each
    such block of rows is one matrix product.
    """
    out = np.zeros((len(counts), n_boot))
    for n, block in _blocks(counts):
        if n == 0:
            continue
        weights = resample_counts(n, n_boot, seed).T / n
        for start in range(0, block.size, 4096):
            part = block[start : start + 4096]
            out[part] = matrix[part, :n] @ weights
    return out


def percentiles(replicates: Floats, level: float = 0.95) -> tuple[Floats, Floats]:
    """The percentile interval of each row of replicate means."""
    if replicates.shape[0] == 0:
        return np.empty(0), np.empty(0)
    low, high = np.quantile(replicates, [(1 - level) / 2, (1 + level) / 2], axis=1)
    return low, high
