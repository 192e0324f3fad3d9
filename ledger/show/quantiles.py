"""Quantile forecasters in `ledger compare`: the JSON section and the text lines.

The numbers come from `ledger.compare.quantile_comparison` (a leaderboard of
relative quantile scores and head to head on them); `to_json` makes the
`quantiles` section of `ledger compare --format json`, and `lines` lays it out
for the terminal under the Brier comparison.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ledger.compare.quantiles import RELATIVE
from ledger.core.text import interval, json_value, number
from ledger.show.layout import columns

if TYPE_CHECKING:
    import pandas as pd

SCALE = (
    "relative quantile score: own quantile score / the median quantile score of "
    "the others on the same question; 1 = as good as the others' median, lower "
    "is better"
)
"""The scale and direction of the relative quantile score, in words."""


def to_json(board: pd.DataFrame, pairs: pd.DataFrame) -> dict[str, Any] | None:
    """`{scale, forecasters: [...], pairs: [...]}`, or None with no quantile score."""
    if board.empty:
        return None
    return {
        "scale": SCALE,
        "forecasters": [
            {
                "forecaster": row["forecaster"],
                "n": int(row["n"]),
                "n_relative": int(row["n_relative"]),
                RELATIVE: json_value(row[RELATIVE]),
                "synthetic": bool(row["synthetic"]),
            }
            for row in board.to_dict("records")
        ],
        "pairs": [
            {
                "a": r["a"], "b": r["b"], "n": int(r["n"]),
                "mean_diff": json_value(r["mean_diff"]),
                "ci": [json_value(v) for v in r["ci"]],
                "p": json_value(r["p"]), "test": r["test"],
                "questions": r["questions"],
            }
            for r in pairs.to_dict("records")
        ],
    }


def lines(section: dict[str, Any] | None) -> list[str]:
    """The quantile comparison for the terminal (nothing without a section)."""
    if section is None:
        return []
    found = [
        "",
        f"Quantile forecasts ({SCALE}; n: questions with a quantile score, "
        "relative: mean over those with others to compare):",
    ]
    found += columns(
        ["forecaster", "n", "n relative", "relative", "note"],
        [
            [f["forecaster"], str(f["n"]), str(f["n_relative"]),
             number(f[RELATIVE]), "aggregate" if f["synthetic"] else ""]
            for f in section["forecasters"]
        ],
        right={1, 2, 3},
    )
    pairs = section["pairs"]
    if not pairs:
        return [*found, "Head to head: no pair shares a question with quantile scores."]
    found += [
        "",
        "Head to head on the questions both forecast with quantiles (relative "
        "quantile score a - b; negative favours a; p: exact sign-flip test for "
        "n <= 20, else paired t):",
    ]
    found += columns(
        ["a", "b", "n", "mean diff", "95% CI", "p", "test"],
        [
            [p["a"], p["b"], str(p["n"]), number(p["mean_diff"]),
             interval(*p["ci"], between="–"), number(p["p"], 4), p["test"]]
            for p in pairs
        ],
    )
    return found
