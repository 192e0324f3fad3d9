"""Whose judgement: how much a forecaster's score rests on the keeper's conventions.

A probability is `stated` by the speaker, `mapped` from the speaker's words
with a verbal table, or `judged` by the keeper. Two functions read the
standing forecasts scored with a probability (`ledger.score.forecasts.scored`):

- `basis_split`: per forecaster and basis, how many there are, their share of
  the forecaster's scored forecasts, and their mean Brier.
- `sensitivity`: the forecaster's mean Brier under other conventions. Every
  judged probability set to 70%, 85% or 95% instead (JUDGED_LEVELS); one below
  50% is the same reading of the opposite claim, so it becomes 30%, 15% or 5%,
  and one of exactly 50% stays. Every mapped forecast's words read with each
  shipped table (`ledger.core.words`) instead; words a table does not have
  keep their recorded probability and are counted (`n_kept`).

Brier is on the 0-1 scale, lower is better; the outcomes never change.
"""

from __future__ import annotations

import functools
import math
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ledger.core.words import map_words, table_names
from ledger.score.forecasts import scored
from ledger.score.rules import brier

if TYPE_CHECKING:
    from numpy.typing import NDArray

BASES = ("stated", "mapped", "judged")
"""The bases, in the order they are shown."""

JUDGED_LEVELS = (0.70, 0.85, 0.95)
"""The levels a judged probability is set to in `sensitivity`."""

RECORDED = "as recorded"
"""The scenario that keeps every probability as recorded."""


def _with_p(frame: pd.DataFrame) -> pd.DataFrame:
    """The standing forecasts scored with a probability, with their Brier."""
    rows = scored(frame)
    return rows[rows["brier"].notna().to_numpy()].reset_index(drop=True)


def judged_as(p: float, level: float) -> float:
    """A judged probability `p` read at `level` instead.

    >>> judged_as(0.85, 0.7), judged_as(0.15, 0.75), judged_as(0.5, 0.95)
    (0.7, 0.25, 0.5)
    """
    if p > 0.5:
        return level
    if p < 0.5:
        return 1 - level
    return p


def scenarios() -> list[tuple[str, str, str]]:
    """Every scenario: (name, kind, setting), kind 'recorded', 'judged' or 'mapped'.

    The names are 'as recorded', 'judged 70%' ... and 'mapped icd-203' ...
    """
    found = [(RECORDED, "recorded", "")]
    found += [
        (f"judged {round(100 * level)}%", "judged", f"{level:g}")
        for level in JUDGED_LEVELS
    ]
    found += [(f"mapped {table}", "mapped", table) for table in table_names()]
    return found


@functools.lru_cache(maxsize=4096)  # a big ledger repeats a few phrases many times
def _remapped(words: object, table: str) -> float:
    """The probability `table` gives `words`, or NaN if it has no such phrase."""
    if not isinstance(words, str):
        return math.nan
    try:
        return map_words(table, words)
    except KeyError:
        return math.nan


def _probabilities(rows: pd.DataFrame, kind: str, setting: str) -> NDArray[Any]:
    """Each row's probability in one scenario; NaN where it keeps its own."""
    basis = rows["basis"].astype(str).to_numpy()
    p = rows["p"].to_numpy(dtype=float)
    new = np.full(len(rows), np.nan)
    if kind == "judged":
        level = float(setting)
        for i in np.flatnonzero(basis == "judged"):
            new[i] = judged_as(float(p[i]), level)
    elif kind == "mapped":
        words = rows["words"].to_numpy(dtype=object)
        for i in np.flatnonzero(basis == "mapped"):
            new[i] = _remapped(words[i], setting)
    return new


def sensitivity(frame: pd.DataFrame) -> pd.DataFrame:
    """Each forecaster's mean Brier as recorded and under each scenario.

    Args:
        frame: the tidy frame (`ledger.frame.frame`).

    Returns:
        One row per forecaster with a scored probability and scenario (in the
        order of `scenarios`), forecasters sorted: forecaster, scenario, kind,
        setting, n (forecasts scored with a probability), n_changed (whose
        probability the scenario changes), n_kept (mapped forecasts whose
        words the table lacks, kept as recorded) and brier (0-1, the mean).
    """
    rows = _with_p(frame)
    outcome = rows["outcome"].to_numpy(dtype=float)
    recorded = rows["p"].to_numpy(dtype=float)
    who = rows["forecaster"].astype(str).to_numpy()
    basis = rows["basis"].astype(str).to_numpy()
    out = []
    for name, kind, setting in scenarios():
        new = _probabilities(rows, kind, setting)
        kept = (basis == kind) & np.isnan(new) if kind == "mapped" else None
        p = np.where(np.isnan(new), recorded, new)
        scores = brier(outcome, p) if len(p) else np.array([])
        changed = ~np.isclose(p, recorded)
        for forecaster in sorted(set(who)):
            mine = who == forecaster
            out.append({
                "forecaster": forecaster,
                "scenario": name,
                "kind": kind,
                "setting": setting,
                "n": int(mine.sum()),
                "n_changed": int((changed & mine).sum()),
                "n_kept": 0 if kept is None else int((kept & mine).sum()),
                "brier": float(scores[mine].mean()),
            })
    columns = ["forecaster", "scenario", "kind", "setting", "n", "n_changed",
               "n_kept", "brier"]
    return pd.DataFrame(out, columns=columns).sort_values(
        "forecaster", kind="stable"
    ).reset_index(drop=True)


def basis_split(frame: pd.DataFrame) -> pd.DataFrame:
    """Each forecaster's scored forecasts by basis: count, share and mean Brier.

    Args:
        frame: the tidy frame (`ledger.frame.frame`).

    Returns:
        One row per forecaster with a scored probability and basis (all three
        of BASES, in that order, even with n 0): forecaster, basis, n, share
        (of the forecaster's scored forecasts, 0-1) and brier (0-1, the mean;
        NaN with n 0).
    """
    rows = _with_p(frame)
    who = rows["forecaster"].astype(str).to_numpy()
    basis = rows["basis"].astype(str).to_numpy()
    scores = rows["brier"].to_numpy(dtype=float)
    out = []
    for forecaster in sorted(set(who)):
        mine = who == forecaster
        total = int(mine.sum())
        for name in BASES:
            chosen = mine & (basis == name)
            n = int(chosen.sum())
            out.append({
                "forecaster": forecaster,
                "basis": name,
                "n": n,
                "share": n / total,
                "brier": float(scores[chosen].mean()) if n else math.nan,
            })
    return pd.DataFrame(out, columns=["forecaster", "basis", "n", "share", "brier"])
