"""A comparison of forecasters as text: the terminal table, CSV and JSON, as strings.

`to_json` turns the leaderboard, head to head and the shared questions not
compared (`ledger.compare`) into plain JSON (NaN becomes null); `table` lays
that JSON out for the terminal, and `to_csv` writes the leaderboard. The CLI
only prints what these return.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Required, TypedDict, Unpack

from ledger.compare.ranking import PEER
from ledger.compare.shared import DETAIL_ROWS, summary_of
from ledger.core.text import interval, json_value, number
from ledger.score.rules import scale_text
from ledger.show import quantiles
from ledger.show.csvtext import frame_text

if TYPE_CHECKING:
    from collections.abc import Sequence

    import pandas as pd


class Settings(TypedDict, total=False):
    """What a comparison was asked for, as `to_json` records it."""

    as_of: Required[str]  # the day the ledger is read as of, ISO
    ci: str  # "bootstrap" (the default) or "t"
    balance_by: str | None  # the tag prefix the Brier is stratified by
    crowd: Sequence[str]  # the members of the crowd aggregates
    methods: Sequence[str]  # the crowd aggregates added
    pairs_note: str | None  # why no pairs were computed
    questions: int  # how many questions were scored


_NUMBERS = ("log_score", "baseline_score", *PEER)


def _forecaster_json(row: dict[Any, Any]) -> dict[str, Any]:
    """One leaderboard row as JSON."""
    item: dict[str, Any] = {
        "forecaster": row["forecaster"],
        "n": int(row["n"]),
        "brier": json_value(row["brier"]),
        "brier_ci": [json_value(row["brier_ci_low"]), json_value(row["brier_ci_high"])],
        **{k: json_value(row[k]) for k in _NUMBERS},
        "flagged": bool(row["flagged"]),
        "synthetic": bool(row["synthetic"]),
    }
    if row["adjusted_brier"] is not None:
        item["adjusted_brier"] = json_value(row["adjusted_brier"])
    if row["strata"] is not None:
        item["strata"] = row["strata"]
    return item


def _pair_json(r: dict[Any, Any]) -> dict[str, Any]:
    """One head-to-head row as JSON."""
    return {
        "a": r["a"],
        "b": r["b"],
        "n": int(r["n"]),
        "mean_diff": json_value(r["mean_diff"]),
        "ci": [json_value(v) for v in r["ci"]],
        "p": json_value(r["p"]),
        "test": r["test"],
        "gap_days_mean": json_value(r["gap_days_mean"]),
        "gap_days_max": json_value(r["gap_days_max"]),
        "questions": r["questions"],
    }


def to_json(
    board: pd.DataFrame,
    pairs: pd.DataFrame,
    unscored: list[dict[str, Any]],
    *,
    quantile: tuple[pd.DataFrame, pd.DataFrame] | None = None,
    **settings: Unpack[Settings],
) -> dict[str, Any]:
    """The comparison as plain JSON (NaN becomes null).

    Args:
        board: the leaderboard (`ledger.compare.leaderboard`).
        pairs: head to head (`ledger.compare.head_to_head`).
        unscored: the shared questions not compared (`unscored_shared`).
        quantile: the quantile leaderboard and head to head
            (`ledger.compare.quantile_comparison`), or None.
        **settings: what the comparison was asked for (`Settings`).

    Returns:
        The JSON that `ledger compare --format json` prints.
    """
    balance_by = settings.get("balance_by")
    methods = settings.get("methods", ())
    crowd = {"methods": list(methods), "members": list(settings.get("crowd", ()))}
    return {
        "scale": scale_text("0-1"),
        "as_of": settings["as_of"],
        "questions": settings.get("questions", 0),
        "ci": _ci_text(settings.get("ci", "bootstrap"), balance_by),
        "balance_by": balance_by,
        "crowd": crowd if methods else None,
        "forecasters": [_forecaster_json(row) for row in board.to_dict("records")],
        "pairs": [_pair_json(r) for r in pairs.to_dict("records")],
        "pairs_note": settings.get("pairs_note"),
        "unscored_shared": unscored,
        "quantiles": None if quantile is None else quantiles.to_json(*quantile),
    }


def to_csv(board: pd.DataFrame) -> str:
    """The leaderboard as CSV; with strata, `n_<stratum>` and `brier_<stratum>` too."""
    table = board.drop(columns=["strata"])
    if len(board) and board["strata"].iloc[0] is not None:
        names = sorted({name for strata in board["strata"] for name in strata})
        for name in names:
            table[f"n_{name}"] = [s.get(name, {}).get("n", 0) for s in board["strata"]]
            table[f"brier_{name}"] = [
                s.get(name, {}).get("brier") for s in board["strata"]
            ]
    if len(board) and board["adjusted_brier"].iloc[0] is None:
        table = table.drop(columns=["adjusted_brier"])
    return frame_text(table, na_rep="")


def _ci_text(ci: str, balance_by: str | None) -> str:
    """How the 95% CI of the leaderboard's Brier is computed, in words."""
    if ci == "t":
        if balance_by:
            return (
                "t-interval (ForecastBench): df = min(n per stratum) - 1, "
                "SE = sqrt(sum of per-stratum SE^2) / number of strata"
            )
        return "t-interval: df = n - 1, SE = sd / sqrt(n)"
    within = " within each stratum" if balance_by else ""
    return f"question bootstrap{within}, 1,000 resamples, seed 0"


def _days(gap: Sequence[int]) -> str:
    return str(gap[0]) if gap[0] == gap[1] else f"{gap[0]}–{gap[1]}"


def columns(header: list[str], body: list[list[str]]) -> list[str]:
    """Left-aligned columns two spaces apart."""
    widths = [max(len(row[i]) for row in [header, *body]) for i in range(len(header))]
    return [
        "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()
        for row in [header, *body]
    ]


def table(
    out: dict[str, Any],
    *,
    min_questions: int = 5,
    same_window: int | None = None,
    adjust: str | None = None,
    unscored: tuple[int, list[dict[str, Any]]] | None = None,
) -> str:
    """The comparison as text: the leaderboard, head to head, shared questions.

    Args:
        out: the comparison as `to_json` gives it.
        min_questions: the leaderboard notes forecasters with fewer questions.
        same_window: the head-to-head window in days, if one was asked for.
        adjust: "difficulty" when the leaderboard has the adjusted Brier.
        unscored: `unscored_summary`'s result; without it, it is made from
            `out["unscored_shared"]`.

    Returns:
        The text `ledger compare` prints.
    """
    as_of = out["as_of"]
    if unscored is None:
        unscored = summary_of(out["unscored_shared"])
    lines = [f"Forecasters compared as of {as_of} (standing forecasts)."]
    if not out["forecasters"]:
        lines += [
            "",
            f"Nothing has resolved as of {as_of}: no forecast has an outcome to be "
            "scored against, so there is nothing to compare yet."
            if not out.get("quantiles") else
            f"No forecast with a probability has resolved as of {as_of}, so no "
            "Brier score is compared.",
            *quantiles.lines(out.get("quantiles")),
        ]
        if unscored[0]:
            lines += ["", *_unscored_lines(*unscored)]
        return "\n".join(lines) + "\n"
    lines += _legend(out, adjust)
    lines.append("")
    lines += _leaderboard_lines(out["forecasters"], min_questions, adjust)
    lines.append("")
    lines += _pair_lines(out, same_window)
    lines += quantiles.lines(out.get("quantiles"))
    if unscored[0]:
        lines += ["", *_unscored_lines(*unscored)]
    return "\n".join(lines).rstrip("\n") + "\n"


def _legend(out: dict[str, Any], adjust: str | None) -> list[str]:
    """What the leaderboard's columns mean."""
    n_questions = out["questions"]
    lines = [
        f"Brier 0-1, lower is better; 95% CI: {out['ci']}.",
        "Peer: Metaculus peer score, 100 x (ln p - mean ln p of the others on the "
        "question); 0 = as good as the others, higher is better. A skipped question "
        f"scores 0, so a contest score is peer sum / {n_questions} questions.",
        "Relative: own Brier minus the median of the others' Brier on the question, "
        f"lower is better. Coverage: share of the {n_questions} scored questions "
        "answered.",
    ]
    if out["balance_by"]:
        lines.append(
            f"Brier stratified by the tag prefix '{out['balance_by']}': the unweighted "
            "mean of the per-stratum means (other columns pooled)."
        )
    if adjust:
        lines.append(
            "Adjusted: ForecastBench's difficulty-adjusted Brier, mean of (brier - "
            "question effect) from two-way fixed effects fitted on the real "
            "forecasters, centred on the mean Brier; lower is better."
        )
    if out["crowd"]:
        members = out["crowd"]["members"]
        more = f", ... ({len(members)} in all)" if len(members) > 6 else ""
        shown = ", ".join(members[:6]) + more
        names = ", ".join(f"crowd-{m}" for m in out["crowd"]["methods"])
        lines.append(
            f"{names}: on each binary question, the aggregate of the standing "
            f"forecasts of {shown or 'nobody'}; never one of 'the others' of a real "
            "forecaster."
        )
    return lines


_LEADERBOARD_HEADER = [
    "forecaster",
    "n",
    "brier",
    "95% CI",
    "log",
    "baseline",
    "peer mean",
    "peer sum",
    "relative",
    "coverage",
]


def _leaderboard_lines(
    forecasters: list[dict[str, Any]], min_questions: int, adjust: str | None
) -> list[str]:
    """The leaderboard as columns, one line per forecaster."""
    strata = sorted({s for f in forecasters for s in f.get("strata") or {}})
    header = [*_LEADERBOARD_HEADER, *(["adjusted"] if adjust else [])]
    for name in strata:
        header += [f"{name} n", f"{name} brier"]
    header.append("note")
    body = []
    for f in forecasters:
        row = [
            f["forecaster"],
            str(f["n"]),
            number(f["brier"]),
            interval(*f["brier_ci"], between="–"),
            number(f["log_score"]),
            number(f["baseline_score"], 1),
            number(f["peer_score_mean"], 1),
            number(f["peer_score_sum"], 1),
            number(f["relative_brier"]),
            f"{100 * f['coverage']:.0f}%",
        ]
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
    """Head to head as text: one line per pair, then each shared question."""
    if out["pairs_note"]:
        return [out["pairs_note"]]
    pairs = out["pairs"]
    window = ""
    if same_window is not None:
        window = (
            f" made within {same_window} days of each other (under every reading of "
            "an uncertain date)"
        )
    if not pairs:
        return [
            f"Head to head: no pair of forecasters shares a scored question{window}."
        ]
    lines = [
        f"Head to head on the scored questions both answered{window} (Brier a - b; "
        "negative favours a; p: exact sign-flip test for n <= 20, else paired t; "
        "gap: days between the two forecasts, mean and most):"
    ]
    body = [
        [
            p["a"],
            p["b"],
            str(p["n"]),
            number(p["mean_diff"]),
            interval(*p["ci"], between="–"),
            number(p["p"], 4),
            p["test"],
            f"{number(p['gap_days_mean'], 0)} ({number(p['gap_days_max'], 0)})",
        ]
        for p in pairs
    ]
    lines += columns(
        ["a", "b", "n", "mean diff", "95% CI", "p", "test", "gap days"], body
    )
    return lines + _detail_lines(pairs)


def _detail_lines(pairs: list[dict[str, Any]]) -> list[str]:
    """Each shared scored question of every pair, or how many there are."""
    detail = [(p, q) for p in pairs for q in p["questions"]]
    if len(detail) > DETAIL_ROWS:
        return [
            f"({len(detail):,} pair-questions: the gap on each is in --format json.)"
        ]
    body = [
        [
            p["a"],
            p["b"],
            q["question"],
            number(q["brier_a"]),
            number(q["brier_b"]),
            _days(q["gap_days"]),
        ]
        for p, q in detail
    ]
    return [
        "",
        "Each shared scored question (gap: days between the two forecasts):",
        *columns(["a", "b", "question", "brier a", "brier b", "gap days"], body),
    ]


def _unscored_lines(total: int, rows: list[dict[str, Any]]) -> list[str]:
    """`unscored_summary`'s (total, rows) as text."""
    lines = [
        "Shared questions not compared (both forecasters have a standing forecast; "
        "gap: days between the two forecasts):"
    ]
    if total <= DETAIL_ROWS:
        body = [
            [
                u["a"],
                u["b"],
                u["question"],
                u["status"],
                _days(u["gap_days"]),
                u["reason"],
            ]
            for u in rows
        ]
        return lines + columns(
            ["a", "b", "question", "status", "gap days", "why not"], body
        )
    body = [
        [
            r["question"],
            r["status"],
            str(r["forecasters"]),
            str(r["pairs"]),
            r["reason"],
        ]
        for r in rows
    ]
    lines += columns(["question", "status", "forecasters", "pairs", "why not"], body)
    return [*lines, "(every pair and its gap in days: --format json)"]
