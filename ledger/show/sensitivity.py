"""`ledger score --sensitivity` as text: whose judgement a score rests on.

The numbers come from `ledger.score.sensitivity` (`basis_split` and
`sensitivity`, tidy frames); this module writes them as a terminal table, CSV
(one line per row of either, with a `section` column) or JSON.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ledger.core.text import json_value, number, share
from ledger.show.csvtext import dicts_text
from ledger.show.layout import columns, json_text

if TYPE_CHECKING:
    import datetime as dt

    import pandas as pd

EXPLAINED = (
    "Judged: every probability the keeper judged set to 70%, 85% or 95% (one "
    "below 50% is the opposite claim: 30%, 15% or 5%). Mapped: the speaker's "
    "words read with each shipped table instead; words a table lacks keep "
    "their recorded probability (kept)."
)
"""What the scenarios are, under the table."""


def _rows(data: pd.DataFrame) -> list[dict[str, Any]]:
    return [
        {str(k): json_value(v) for k, v in row.items()}
        for row in data.to_dict("records")
    ]


def to_json(split: pd.DataFrame, scenarios: pd.DataFrame, as_of: dt.date) -> str:
    """{as_of, scale, basis: [...], sensitivity: [...]} as JSON."""
    return json_text({
        "as_of": as_of.isoformat(),
        "scale": "brier 0-1, lower is better",
        "basis": _rows(split),
        "sensitivity": _rows(scenarios),
    })


CSV_COLUMNS = (
    "section", "forecaster", "basis", "scenario", "n", "share", "n_changed",
    "n_kept", "brier",
)


def to_csv(split: pd.DataFrame, scenarios: pd.DataFrame) -> str:
    """One line per basis row and per scenario row, with a `section` column."""
    return dicts_text(CSV_COLUMNS, (
        {"section": section, **row}
        for section, data in (("basis", split), ("sensitivity", scenarios))
        for row in _rows(data)
    ))


def _scenario_table(scenarios: pd.DataFrame) -> list[str]:
    """One line per forecaster, one column per scenario."""
    names = list(dict.fromkeys(scenarios["scenario"]))
    body = []
    notes = []
    for forecaster, rows in scenarios.groupby("forecaster", sort=True):
        by_name = {row["scenario"]: row for row in rows.to_dict("records")}
        body.append([
            str(forecaster), str(by_name[names[0]]["n"]),
            *(number(by_name[name]["brier"]) for name in names),
        ])
        kept = [
            f"{by_name[name]['n_kept']} kept with {name.removeprefix('mapped ')}"
            for name in names
            if by_name[name]["n_kept"]
        ]
        if kept:
            notes.append(f"  {forecaster}: " + ", ".join(kept) + ".")
    header = ["forecaster", "n", *names]
    return [*columns(header, body, right=range(1, len(header))), *notes]


def _keeper_notes(split: pd.DataFrame) -> list[str]:
    """A line for each forecaster whose every scored forecast the keeper judged."""
    lines = []
    for forecaster, rows in split.groupby("forecaster", sort=True):
        judged = rows[rows["basis"] == "judged"]
        if len(judged) and float(judged["share"].iloc[0]) == 1.0:
            lines.append(
                f"Every scored forecast of {forecaster} is judged: the score measures "
                "the keeper's reading of the speaker, not a stated probability."
            )
    return lines


def table(split: pd.DataFrame, scenarios: pd.DataFrame, as_of: dt.date) -> str:
    """The basis split and the scenarios, for a terminal."""
    body = [
        [str(r["forecaster"]), str(r["basis"]), str(r["n"]),
         share(r["share"], minus="-"), number(r["brier"])]
        for r in split.to_dict("records")
    ]
    lines = [
        f"Whose judgement, as of {as_of.isoformat()}: mean Brier (0-1, lower is "
        "better) of the standing forecasts scored with a probability.",
        "",
        "By basis (stated by the speaker, mapped from the speaker's words, judged "
        "by the keeper), with each basis's share of the forecaster's scored "
        "forecasts:",
        *columns(["forecaster", "basis", "n", "share", "brier"], body, right={2, 3, 4}),
        "",
        "Mean Brier if the keeper's conventions were different:",
        *_scenario_table(scenarios),
        EXPLAINED,
        *_keeper_notes(split),
    ]
    if split.empty:
        lines[2:] = [
            f"Nothing is scored with a probability as of {as_of.isoformat()}."
        ]
    return "\n".join(lines) + "\n"
