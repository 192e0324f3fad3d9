"""Resolved forecasts as a page shows them: marks, scores and tallies.

Each standing forecast on a question resolved (or void) is a row with its
claim, the outcome, a mark (came true, didn't, partly, voided, ...) and its
scores; `per_forecaster` groups them with each forecaster's summary.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ledger.core.text import DASH, missing
from ledger.report.book import records
from ledger.report.cards import claim_text, interval, num, outcome_text
from ledger.score import scorecard

if TYPE_CHECKING:
    import datetime as dt

    import pandas as pd

    from ledger.core.model import Question
    from ledger.report.book import Book

MARKS = {
    "true": "✓ came true",
    "false": "✗ didn't",
    "partial": "◐ partly",
    "void": "⊘ voided",
    "undetermined": "? undetermined",
    "unscorable": "– not scored",
}
# The frame's columns a resolved row reads: no Timestamp boxed for nothing.
_NEEDED = [
    "question", "forecaster", "line", "status", "excluded", "outcome",
    "timing_error", "censored",
]


def resolved_mask(frame: pd.DataFrame, year: int | None) -> pd.Series[bool]:
    """Standing rows on questions resolved or void (in `year`, if given)."""
    mask = frame["standing"] & frame["status"].isin(["resolved", "void"])
    if year is not None:
        mask &= frame["known"].dt.year == year
    return mask


def _mark(row: dict[str, Any]) -> str:
    if row["status"] == "void":
        return "void"
    if row["excluded"] in ("unscorable", "undetermined"):
        return str(row["excluded"])
    outcome = row["outcome"]
    return "true" if outcome == 1 else "false" if outcome == 0 else "partial"


def miss(row: dict[str, Any], question: Question) -> str:
    """By how much a window missed the outcome ('≥ ...' when censored), or '—'."""
    error = row["timing_error"]
    if missing(error):
        return DASH
    unit = "y" if question.kind == "date" else (question.unit or "")
    text = f"{num(error, 2)} {unit}".rstrip()
    return f"≥ {text}" if row["censored"] else text


def _resolved_row(
    book: Book, row: dict[str, Any], scored: dict[str, Any], day: dt.date
) -> dict[str, Any]:
    question = book.questions[row["question"]]
    forecast = book.forecast((row["question"], row["line"]))
    found = book.state(question, day)[1]
    mark = _mark(row)
    outcome = outcome_text(question, found)
    if mark == "partial":
        outcome = f"{outcome} (partial credit)"
    return {
        "forecaster": row["forecaster"],
        "name": book.name(row["forecaster"]),
        "question": question.id,
        "title": question.title,
        "known": str(found.known) if found is not None else DASH,
        "claim": claim_text(forecast, question),
        "basis": forecast.basis,
        "outcome": outcome,
        "derived": found.derived if found is not None else None,
        "mark": mark,
        "mark_text": MARKS[mark],
        "brier": num(scored.get("brier")),
        "baseline": num(scored.get("baseline_score"), 1),
        "miss": miss(row, question) if question.kind != "binary" else DASH,
    }


def _key(row: dict[str, Any]) -> tuple[str, str]:
    return row["question"], row["forecaster"]


def resolved_rows(
    book: Book, frame: pd.DataFrame, mask: pd.Series[bool], day: dt.date
) -> list[dict[str, Any]]:
    """Each standing forecast in `mask` (of the frame as of `day`) with its scores.

    Each row holds the forecast's claim, the outcome, a mark and the scores.
    """
    scores = book.scores(day)
    chosen = frame[mask].sort_values(["known", "question", "forecaster", "line"])
    return [
        _resolved_row(book, row, scores.get(_key(row), {}), day)
        for row in records(chosen[_NEEDED])
    ]


def brier_cells(row: dict[str, Any]) -> dict[str, Any]:
    """An aggregate row's count, mean Brier with its 95% CI and Baseline, formatted."""
    return {
        "n": int(row["n"]),
        "brier": num(row["brier"]),
        "ci": interval(row["brier_ci_low"], row["brier_ci_high"]),
        "baseline": num(row["baseline_score"], 1),
    }


def summary(row: dict[str, Any]) -> dict[str, Any]:
    """One aggregate row (`scorecard.aggregate`), formatted."""
    return {
        **brier_cells(row),
        "skill_half": num(row["bss_half"], 2),
        "skill_base": num(row["bss_base_rate"], 2),
        "timing": DASH
        if missing(row["timing_error"])
        else f"{num(row['timing_error'], 2)} y",
        "window_only": int(row["n_window_only"]),
    }


def per_forecaster(
    book: Book, frame: pd.DataFrame, mask: pd.Series[bool], day: dt.date
) -> list[dict[str, Any]]:
    """The resolved forecasts in `mask` grouped by forecaster, each with a summary."""
    rows = resolved_rows(book, frame, mask, day)
    if not rows:
        return []
    table = scorecard.aggregate(frame[mask], ["forecaster"])
    summaries = {str(r["forecaster"]): summary(r) for r in records(table)}
    by_forecaster: dict[str, list[dict[str, Any]]] = {}
    for r in rows:
        by_forecaster.setdefault(r["forecaster"], []).append(r)
    groups = []
    for forecaster in book.forecaster_order(by_forecaster):
        mine = by_forecaster[forecaster]
        counts = {mark: sum(r["mark"] == mark for r in mine) for mark in MARKS}
        tally = ", ".join(
            f"{count} {MARKS[mark][2:]}" for mark, count in counts.items() if count
        )
        groups.append(
            {
                "forecaster": forecaster,
                "name": book.name(forecaster),
                "rows": mine,
                "summary": summaries[forecaster],
                "tally": tally,
            }
        )
    return groups
