"""A comparison of forecasters as text: the terminal table, CSV and JSON, as strings.

`to_json` turns the leaderboard, head to head and the shared questions not
compared (`ledger.compare`) into plain JSON (NaN becomes null); `table` lays
that JSON out for the terminal, and `to_csv` writes the leaderboard. The CLI
only prints what these return.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ledger.compare.shared import DETAIL_ROWS, summary_of
from ledger.core.text import interval, json_value, number
from ledger.score.rules import scale_text

if TYPE_CHECKING:
    from collections.abc import Sequence

    import pandas as pd


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
        "scale": scale_text("0-1"),
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
        unscored = summary_of(out["unscored_shared"])
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
