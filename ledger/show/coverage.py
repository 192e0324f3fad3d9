"""`ledger calibration --quantiles` as text: the quantile coverage table.

The numbers come from `ledger.score.coverage.quantile_calibration`; this
module writes them as a terminal table, CSV (one line per level and per
central interval, with a `section` column) or JSON: `{"as_of", "n",
"n_scored", "levels": [{"level", "n", "below", "ci"}], "intervals":
[{"interval", "levels", "n", "covered", "ci"}]}`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ledger.core.text import interval, json_value, percent, share
from ledger.show.csvtext import rows_text
from ledger.show.layout import columns, json_text

if TYPE_CHECKING:
    import datetime as dt

EXPLAINED = (
    "For each level τ: how many outcomes are known against a forecast value at "
    "that level (n), and the share that fell below it, with a Wilson 95% interval. "
    "A calibrated forecaster has about τ below: 10% below the 10% values, half "
    "below the medians. An outcome equal to the value is not below it; an "
    "uncertain date that straddles a value, or an outcome not known yet, is left "
    "out."
)
"""How to read the levels table, printed above it."""

INTERVALS = (
    "Central intervals (PIT coverage), where a forecast gave both ends: the share "
    "of outcomes at or above the lower value and below the upper one; a "
    "calibrated forecaster has about the nominal share inside."
)
"""How to read the intervals table, printed above it."""


def _levels(result: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        {
            "level": json_value(row["level"]),
            "n": int(row["n"]),
            "below": json_value(row["below"]),
            "ci": [json_value(row["ci_low"]), json_value(row["ci_high"])],
        }
        for row in result["levels"].to_dict("records")
    ]


def _intervals(result: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        {
            "interval": json_value(row["interval"]),
            "levels": [json_value(row["lower"]), json_value(row["upper"])],
            "n": int(row["n"]),
            "covered": json_value(row["covered"]),
            "ci": [json_value(row["ci_low"]), json_value(row["ci_high"])],
        }
        for row in result["intervals"].to_dict("records")
    ]


def to_json(result: dict[str, Any], as_of: dt.date) -> str:
    """The coverage tables as JSON (see the module docstring)."""
    return json_text({
        "as_of": as_of.isoformat(),
        "n": result["n"],
        "n_scored": result["n_scored"],
        "levels": _levels(result),
        "intervals": _intervals(result),
    })


CSV_COLUMNS = ("section", "level", "n", "share", "ci_low", "ci_high")


def to_csv(result: dict[str, Any]) -> str:
    """One line per level (share below) and per central interval (share inside)."""
    return rows_text(CSV_COLUMNS, [
        *(_cells(["level", row["level"], row["n"], row["below"], *row["ci"]])
          for row in _levels(result)),
        *(_cells(["interval", row["interval"], row["n"], row["covered"], *row["ci"]])
          for row in _intervals(result)),
    ])


def _cells(values: list[Any]) -> list[Any]:
    """A CSV line's cells: a missing value is an empty cell."""
    return ["" if value is None else value for value in values]


def table(result: dict[str, Any], as_of: dt.date) -> str:
    """The coverage tables for a terminal."""
    lines = [
        f"Quantile calibration as of {as_of.isoformat()}: {result['n']} standing "
        f"forecasts with quantiles, {result['n_scored']} with an outcome known "
        "against some value.",
        EXPLAINED,
        "",
    ]
    levels = _levels(result)
    if levels:
        lines += columns(
            ["level", "n", "below", "Wilson 95%"],
            [
                [percent(r["level"]), str(r["n"]), share(r["below"], minus="-"),
                 interval(*r["ci"], percent=True, between="–")]
                for r in levels
            ],
            right={1, 2, 3},
        )
    else:
        lines.append("No quantile forecast has an outcome yet: nothing to calibrate.")
    lines += ["", INTERVALS, ""]
    lines += columns(
        ["interval", "levels", "n", "inside", "Wilson 95%"],
        [
            [percent(r["interval"]), "–".join(percent(x) for x in r["levels"]),
             str(r["n"]), share(r["covered"], minus="-"),
             interval(*r["ci"], percent=True, between="–")]
            for r in _intervals(result)
        ],
        right={2, 3, 4},
    )
    return "\n".join(lines) + "\n"
