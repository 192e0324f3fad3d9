"""Scores as text: `ledger score`, `score --explain` and `ledger calibration`.

The scorecard, one question explained and calibration, each as a terminal
table, CSV or JSON. The numbers come from `ledger.score.scorecard` (pandas
frames and plain rows); this module only writes them, and the command line
prints what these functions return.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from ledger.core.text import DASH, exact, interval, json_value, missing, number
from ledger.score.rules import BRIER_SCALE_WORDS as SCALE_WORDS
from ledger.score.rules import scale_text
from ledger.show.csvtext import dicts_text, frame_text
from ledger.show.layout import columns, json_text

if TYPE_CHECKING:
    import datetime as dt

    import pandas as pd

Row = Mapping[str, Any]

PLAIN = (
    "log_score", "baseline_score", "spherical", "bss_half", "bss_base_rate",
    "n_clipped", "n_window_only", "timing_error", "interval_score",
    "numeric_error", "numeric_interval_score", "numeric_unit",
    "n_quantiles", "quantile_score", "wis", "numeric_quantile_score", "numeric_wis",
    "n_void", "n_open", "n_due", "n_unscorable",
)
"""The scorecard's columns that go into JSON as they are (besides n and Brier)."""

HEADER = (
    "n", "brier", "95% CI", "log", "baseline", "timing (y)", "interval (y)",
    "void", "open", "due", "unscorable",
)
"""The terminal table's columns after the grouping keys."""

NUMERIC_HEADER = ("distance", "interval")
"""The columns added before `void` when a group has numeric windows scored."""

QUANTILE_HEADER = ("quantile (y)", "WIS (y)")
"""The columns added before `void` when a group has date quantiles scored."""

NUMERIC_QUANTILE_HEADER = ("quantile", "WIS")
"""The columns added before `void` when a group has numeric quantiles scored."""

TOTALS = (
    "n", "n_open", "n_due", "n_void", "n_unscorable", "n_window_only", "n_quantiles"
)
EXPLAINED = (
    "brier", "log_score", "baseline_score", "timing_error", "interval_score",
    "quantile_score", "wis",
)


QUANTILE_LINE = (
    "Quantiles: quantile score (mean of 2 x pinball loss over the levels) and WIS "
    "(Bracher et al. 2021), means in years over date questions and in the unit "
    "over numeric ones; at least 0, lower is better."
)
"""What the quantile columns mean, printed when a group has them."""

# ---------------------------------------------------------------- the scorecard


def records(table: pd.DataFrame, keys: Sequence[str]) -> list[dict[str, Any]]:
    """The scorecard (`scorecard.aggregate`) as plain JSON-ready rows."""
    return [
        {
            **{key: json_value(row[key]) for key in keys},
            "n": int(row["n"]),
            "brier": json_value(row["brier"]),
            "brier_ci": [
                json_value(row["brier_ci_low"]), json_value(row["brier_ci_high"])
            ],
            **{name: json_value(row[name]) for name in PLAIN},
            "scale": row["scale"],
        }
        for row in table.to_dict("records")
    ]


def frame_csv(table: pd.DataFrame) -> str:
    """A score frame (the scorecard, calibration bins) as CSV, every column."""
    return frame_text(table)


def due_questions(data: pd.DataFrame) -> list[str]:
    """The questions in the frame whose deadline passed with no outcome, sorted."""
    due = data["standing"] & data["excluded"].eq("due")
    return sorted(set(data.loc[due, "question"]))


def _in_unit(value: object, unit: str | None) -> str:
    """A numeric window's mean error with its unit: '0.60 GW'; '—' if none."""
    shown = number(value, 2)
    return shown if shown == DASH or not unit else f"{shown} {unit}"


def quantiled(row: Row) -> bool:
    """Whether a scorecard row has a numeric quantile score."""
    return not missing(row.get("numeric_quantile_score"))


def _shown(rows: Sequence[Row]) -> tuple[bool, bool, bool]:
    """Whether the table shows numeric windows, date quantiles, numeric quantiles."""
    numeric = any(  # a numeric window scored (or mixed units), not only quantiles
        not missing(r.get("numeric_unit"))
        and not (missing(r.get("numeric_error")) and quantiled(r))
        for r in rows
    )
    dated = any(not missing(r.get("quantile_score")) for r in rows)
    numeric_quantiles = any(quantiled(r) for r in rows)
    return numeric, dated, numeric_quantiles


def _cells(row: Row, keys: Sequence[str], shown: tuple[bool, bool, bool]) -> list[str]:
    low, high = row["brier_ci"]
    unit = None if missing(row.get("numeric_unit")) else str(row["numeric_unit"])
    numeric, dated, numeric_quantiles = shown
    extra = (
        [_in_unit(row.get("numeric_error"), unit),
         _in_unit(row.get("numeric_interval_score"), unit)]
        if numeric else []
    )
    if dated:
        extra += [number(row.get("quantile_score"), 2), number(row.get("wis"), 2)]
    if numeric_quantiles:
        extra += [_in_unit(row.get("numeric_quantile_score"), unit),
                  _in_unit(row.get("numeric_wis"), unit)]
    return [
        *(str(row[k]) for k in keys), str(row["n"]), number(row["brier"]),
        interval(low, high, between="–"),
        number(row["log_score"]), number(row["baseline_score"], 1),
        number(row["timing_error"], 2), number(row["interval_score"], 2),
        *extra,
        str(row["n_void"]), str(row["n_open"]), str(row["n_due"]),
        str(row["n_unscorable"]),
    ]


def _totals(rows: Sequence[Row], keys: Sequence[str], as_of: dt.date) -> list[str]:
    """The line of counts under a table by forecaster, question or basis."""
    if len(keys) != 1 or keys[0] not in ("forecaster", "question", "basis"):
        return []
    totals = {name: sum(int(r.get(name, 0)) for r in rows) for name in TOTALS}
    lines = [
        f"{totals['n']} forecasts scored with a probability, "
        f"{totals['n_window_only']} windows scored by timing only"
        + (f", {totals['n_quantiles']} by quantiles" if totals["n_quantiles"] else "")
        + "; "
        f"{totals['n_open']} open, {totals['n_due']} due, {totals['n_void']} void, "
        f"{totals['n_unscorable']} unscorable (standing forecasts)."
    ]
    if totals["n"] == 0 and totals["n_window_only"] == 0 and not totals["n_quantiles"]:
        lines.append(
            f"Nothing has resolved as of {as_of.isoformat()}: "
            "there is nothing to score yet."
        )
    return lines


def table(
    rows: Sequence[Row],
    keys: Sequence[str],
    *,
    as_of: dt.date,
    scale: str,
    time_averaged: bool,
    due: Sequence[str],
    as_recorded: bool = False,
) -> str:
    """The scorecard for a terminal: what the scores mean, the table, the counts."""
    mode = (
        "time-averaged over the days each forecast stood"
        if time_averaged else "standing forecasts"
    )
    if as_recorded:
        mode += f"; as recorded: only what was written down by {as_of.isoformat()}"
    shown = _shown(rows)
    numeric, dated, numeric_quantiles = shown
    header = list(HEADER)
    added = [
        *(NUMERIC_HEADER if numeric else ()), *(QUANTILE_HEADER if dated else ()),
        *(NUMERIC_QUANTILE_HEADER if numeric_quantiles else ()),
    ]
    header[header.index("void"):header.index("void")] = added
    lines = [
        f"Scores as of {as_of.isoformat()} ({mode}).",
        f"Brier {SCALE_WORDS[scale]}; "
        "95% CI: question bootstrap, 1,000 resamples, seed 0.",
        "Log: ln p, at most 0, higher is better (p clipped to [0.001, 0.999]). "
        "Baseline (Metaculus): 0 = chance, 100 = perfect, higher is better.",
        "Windows: timing error and interval score (Gneiting & Raftery), means "
        "over date windows in years"
        + (", and over numeric windows in their unit" if numeric else "")
        + "; at least 0, lower is better.",
        *([QUANTILE_LINE] if dated or numeric_quantiles else []),
        "",
        *columns(
            [*keys, *header],
            [_cells(row, keys, shown) for row in rows],
            right=range(len(keys), len(keys) + len(header)),
        ),
        "",
        *_totals(rows, keys, as_of),
    ]
    if due:
        lines.append(f"Due (deadline passed, no outcome recorded): {', '.join(due)}.")
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------- one question

EXPLAINED_QUANTILES = (
    "quantile_score and wis: in years (date questions) or the question's unit; "
    "at least 0, lower is better."
)
"""The scale of the quantile scores, printed when a forecast has quantiles."""


def explain_csv(rows: Sequence[Row]) -> str:
    """`scorecard.explain` rows as CSV, a line per forecast."""
    fields = list(rows[0]) if rows else ["forecaster"]
    return dicts_text(fields, (
        {**r, "quantiles": _given(r["quantiles"])} if r.get("quantiles") else r
        for r in rows
    ))


def _given(quantiles: Mapping[str, object]) -> str:
    """Quantiles as written: '10%: 8, 50%: 12, 90%: 20'."""
    return ", ".join(
        f"{k}: {exact(v) if isinstance(v, float) else v}"
        for k, v in quantiles.items()
    )


def explain_table(
    rows: Sequence[Row], question: str, as_of: dt.date, scale: str
) -> str:
    """Every forecast on `question`: whether it counts, why, and its scores."""
    lines = [f"{question} as of {as_of.isoformat()} ({scale_text(scale)})"]
    if any(r.get("quantiles") for r in rows):
        lines.append(EXPLAINED_QUANTILES)
    for r in rows:
        p = "no p" if r["p"] is None else f"p {r['p']:g}"
        lines.append(f"  line {r['line']}: {r['forecaster']}, made {r['made']}, {p}")
        if r.get("quantiles"):
            lines.append(f"    quantiles {_given(r['quantiles'])}")
        lines.append(f"    {r['why']}")
        scores = [
            f"{name} {number(r[name])}" for name in EXPLAINED if r.get(name) is not None
        ]
        if scores:
            lines.append("    " + ", ".join(scores))
        if r.get("note"):
            lines.append(f"    {r['note']}")
        if r["bin"] is not None:
            lines.append(f"    calibration bin {r['bin']}")
    if not rows:
        lines.append("  (no forecasts)")
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------- calibration


def _plain(values: Mapping[Any, Any]) -> dict[Any, object]:
    """Each value a plain JSON value (numpy numbers as Python ones, NaN as null)."""
    return {k: json_value(v) for k, v in values.items()}


def calibration_json(result: Mapping[str, Any]) -> str:
    """`scorecard.calibration`'s result as JSON: n, bins, folded, murphy, ece."""
    murphy = result["murphy"]
    return json_text({
        "n": result["n"],
        "bins": [_plain(row) for row in result["bins"].to_dict("records")],
        "folded": [_plain(row) for row in result["folded"].to_dict("records")],
        "murphy": None if murphy is None else _plain(murphy),
        "ece": json_value(result["ece"]),
    })


def _frame_text(data: pd.DataFrame) -> str:
    text = data.to_string(index=False, na_rep=DASH, float_format=lambda x: f"{x:.3f}")
    return str(text)


def calibration_table(result: Mapping[str, Any], as_of: dt.date) -> str:
    """Calibration for a terminal: the bins, the folded table, Murphy and ECE."""
    lines = [
        f"Calibration as of {as_of.isoformat()}: {result['n']} scored forecasts.",
        "Bins are [lo, hi) in percent, the last [90, 100]; observed = share that "
        "came true; Wilson 95% interval.",
        _frame_text(result["bins"]),
        "",
        "Folded (ACX style: below 50% restated as its complement):",
        _frame_text(result["folded"]),
    ]
    murphy = result["murphy"]
    if murphy is not None:
        parts = ", ".join(f"{k} {number(v, 4)}" for k, v in murphy.items())
        lines += [
            "",
            f"Murphy decomposition (brier 0-1): {parts}",
            "ECE (positive class, 10 bins; a diagnostic, not a score): "
            f"{number(result['ece'], 4)}",
        ]
    return "\n".join(lines) + "\n"
