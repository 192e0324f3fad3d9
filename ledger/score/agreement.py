"""Agreement: how far the judges of a ledger's judged questions agree.

The gradings are a table: one row per judged question, one column per judge,
each cell a judge's grading as a vote (`core.grading.vote`: yes, no,
ambiguous, void, or a fraction such as 0.5) or None where that judge did not
grade it (or does not judge it).

- **Pairs**: for every two judges, the questions both graded (n), the share
  on which their votes are the same (agreement), and Cohen's kappa on the
  votes as categories (yes, no, ambiguous, void and each fraction apart).
- **Fleiss' kappa** over the questions every judge graded, with the same
  categories.
- **Krippendorff's alpha**, interval metric: yes is 1, no is 0 and a fraction
  its value, so partial credit is partial agreement; ambiguous and void are
  missing values. Computed by the `krippendorff` package (Castro's
  implementation, tested against Krippendorff's own worked example); its n is
  the questions with two or more such values (the pairable ones).

Cohen's and Fleiss' kappa are the textbook formulas (Cohen 1960, Fleiss 1971),
checked in tests/judges against statsmodels and Fleiss' own table. A kappa
whose chance agreement is 1 (every vote the same category) is undefined: NaN.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

import krippendorff
import numpy as np

if TYPE_CHECKING:
    from collections.abc import Sequence

READING = (
    "Agreement is the share of the questions both judges graded on which they "
    "gave the same grading; kappa discounts the agreement chance alone would "
    "give (1 perfect, 0 chance, below 0 worse than chance). Alpha uses the "
    "interval scale (yes 1, no 0, partial credit between); ambiguous and void "
    "gradings are missing values."
)
"""How to read the agreement table (under it, in the terminal and the reports)."""

NO_PAIRS = (
    "No two judges have graded the same question yet, so there is no agreement "
    "to measure: each outcome so far is one judge's reading."
)
"""What the terminal and the reports say instead of an empty agreement table."""


@dataclass(frozen=True, slots=True)
class Pair:
    """Two judges on the questions both graded."""

    a: str
    b: str
    n: int
    agreement: float
    kappa: float


@dataclass(frozen=True, slots=True)
class Agreement:
    """Every pair of judges, and all judges together (each figure with its n)."""

    pairs: tuple[Pair, ...]
    fleiss_kappa: float
    fleiss_n: int
    alpha: float
    alpha_n: int


def cohen_kappa(first: Sequence[str], second: Sequence[str]) -> float:
    """Cohen's kappa of two raters' categories on the same items (NaN if undefined)."""
    n = len(first)
    if n == 0:
        return math.nan
    observed = sum(x == y for x, y in zip(first, second, strict=True)) / n
    categories = set(first) | set(second)
    chance = sum((first.count(c) / n) * (second.count(c) / n) for c in categories)
    return math.nan if chance == 1 else (observed - chance) / (1 - chance)


def fleiss_kappa(counts: np.ndarray) -> float:
    """Fleiss' kappa of a table: items by categories, each row summing to the raters.

    NaN for no items, fewer than two raters, or a chance agreement of 1.
    """
    counts = np.asarray(counts, dtype=float)
    if counts.size == 0 or counts.shape[0] == 0:
        return math.nan
    raters = counts[0].sum()
    if raters < 2:
        return math.nan
    items = counts.shape[0]
    per_item = ((counts * counts).sum(axis=1) - raters) / (raters * (raters - 1))
    shares = counts.sum(axis=0) / (items * raters)
    chance = float((shares * shares).sum())
    if chance == 1:
        return math.nan
    return (float(per_item.mean()) - chance) / (1 - chance)


def interval_alpha(values: np.ndarray) -> float:
    """Krippendorff's alpha, interval metric, of raters (rows) by items (NaN missing).

    NaN when fewer than two values are pairable or they do not vary.
    """
    values = np.asarray(values, dtype=float)
    pairable = (~np.isnan(values)).sum(axis=0) >= 2
    if pairable.sum() == 0:
        return math.nan
    kept = values[:, pairable]
    if np.nanmax(kept) == np.nanmin(kept):
        return math.nan
    found = krippendorff.alpha(reliability_data=kept, level_of_measurement="interval")
    return float(found)


def numeric(vote: str | None) -> float:
    """A vote on the interval scale: yes 1, no 0, a fraction its value; else NaN."""
    if vote == "yes":
        return 1.0
    if vote == "no":
        return 0.0
    if vote is None or vote in ("ambiguous", "void"):
        return math.nan
    return float(vote)


def agreement(
    judges: Sequence[str], votes: Sequence[Sequence[str | None]]
) -> Agreement:
    """The agreement of `judges` (columns of `votes`) over the questions (rows)."""
    pairs = []
    for (i, a), (j, b) in itertools.combinations(enumerate(judges), 2):
        first, second = [], []
        for row in votes:
            x, y = row[i], row[j]
            if x is not None and y is not None:
                first.append(x)
                second.append(y)
        n = len(first)
        same = sum(x == y for x, y in zip(first, second, strict=True))
        share = same / n if n else math.nan
        pairs.append(Pair(a, b, n, share, cohen_kappa(first, second)))
    full = [[v for v in row if v is not None] for row in votes]
    full = [row for row in full if len(row) == len(judges)]
    categories = sorted({v for row in full for v in row})
    counts = np.array([[row.count(c) for c in categories] for row in full])
    matrix = np.array([[numeric(v) for v in row] for row in votes], dtype=float).T
    pairable = int(((~np.isnan(matrix)).sum(axis=0) >= 2).sum()) if len(votes) else 0
    return Agreement(
        pairs=tuple(pairs),
        fleiss_kappa=fleiss_kappa(counts) if full else math.nan,
        fleiss_n=len(full),
        alpha=interval_alpha(matrix) if len(votes) else math.nan,
        alpha_n=pairable,
    )
