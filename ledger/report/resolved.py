"""Resolved forecasts as a page shows them: marks, scores and tallies.

Each standing forecast on a question resolved (or void), and each window a
not-yet entry closed without the event, is a row with its claim, the
outcome, a mark (came true, didn't, partly, voided, ...), its scores and
numbered references to its caveats (`ledger.report.caveats`);
`per_forecaster` groups them with each forecaster's summary.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ledger.core.text import DASH, missing
from ledger.report.book import records
from ledger.report.cards import claim_text, interval, num, outcome_text
from ledger.report.caveats import Footnotes, row_notes
from ledger.score import scorecard
from ledger.score.explain import closed_note

if TYPE_CHECKING:
    import datetime as dt
    from collections.abc import Callable

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
    "timing_error", "censored", "interval_score", "coverage_assumed",
    "window_end", "known",
]


def resolved_mask(
    book: Book, frame: pd.DataFrame, year: int | None
) -> pd.Series[bool]:
    """Standing rows settled (in `year`, if given; `Book.settled_year`).

    Those on questions resolved or void, and windows a not-yet entry closed
    without the event (scored while the question stays open).
    """
    closed = frame["status"].isin(["open", "due"]) & frame["excluded"].isin(
        ["", "no probability"]
    )
    mask = frame["standing"] & (frame["status"].isin(["resolved", "void"]) | closed)
    if year is not None:
        mask &= book.settled_year(frame) == year
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


def interval_text(row: dict[str, Any], question: Question) -> str:
    """A window's interval score in its unit ('assumed 50%' without p), or '—'."""
    score = row.get("interval_score")
    if score is None or missing(score):
        return DASH
    unit = "y" if question.kind == "date" else (question.unit or "")
    text = f"{num(score, 2)} {unit}".rstrip()
    return f"{text} (50% assumed)" if row.get("coverage_assumed") else text


def _resolved_row(
    book: Book, row: dict[str, Any], scored: dict[str, Any], day: dt.date,
    notes_for: Callable[[str], Footnotes],
) -> dict[str, Any]:
    question = book.questions[row["question"]]
    forecast = book.forecast((row["question"], row["line"]))
    found = book.state(question, day)[1]
    mark = _mark(row)
    outcome = outcome_text(question, found)
    known = str(found.known) if found is not None else DASH
    if found is None and row["status"] in ("open", "due"):  # closed by a not-yet entry
        outcome = closed_note(row) or outcome
        known = row["known"].date().isoformat()
    if mark == "partial":
        outcome = f"{outcome} (partial credit)"
    name = book.name(row["forecaster"])
    return {
        "forecaster": row["forecaster"],
        "name": name,
        "question": question.id,
        "title": question.title,
        "known": known,
        "claim": claim_text(forecast, question),
        "basis": forecast.basis,
        "outcome": outcome,
        "derived": found.derived if found is not None else None,
        "mark": mark,
        "mark_text": MARKS[mark],
        "brier": num(scored.get("brier")),
        "baseline": num(scored.get("baseline_score"), 1),
        "miss": miss(row, question) if question.kind != "binary" else DASH,
        "interval": interval_text(row, question) if question.kind != "binary" else DASH,
        "refs": notes_for(str(row["forecaster"])).refs(
            row_notes(book, question, forecast, name, day=day)
        ),
    }


def _key(row: dict[str, Any]) -> tuple[str, str]:
    return row["question"], row["forecaster"]


def resolved_rows(
    book: Book, frame: pd.DataFrame, mask: pd.Series[bool], day: dt.date,
    notes_for: Callable[[str], Footnotes],
) -> list[dict[str, Any]]:
    """Each standing forecast in `mask` (of the frame as of `day`) with its scores.

    Each row holds the forecast's claim, the outcome, a mark, the scores and
    its references into the table notes `notes_for(forecaster)`.
    """
    scores = book.scores(day)
    chosen = frame[mask].sort_values(["known", "question", "forecaster", "line"])
    return [
        _resolved_row(book, row, scores.get(_key(row), {}), day, notes_for)
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


def _in_unit(value: object, unit: object) -> str:
    """A mean window score with its unit; '—' when missing or of mixed units."""
    if missing(value) or unit == scorecard.MIXED_UNITS:
        return DASH if unit != scorecard.MIXED_UNITS else "mixed units"
    return f"{num(value, 2)} {unit or ''}".rstrip()


def summary(row: dict[str, Any]) -> dict[str, Any]:
    """One aggregate row (`scorecard.aggregate`), formatted.

    Window scores are means over date windows (in years) and, apart, over
    numeric windows (in their unit; none across mixed units).
    """
    numeric_unit = row.get("numeric_unit")
    return {
        **brier_cells(row),
        "skill_half": num(row["bss_half"], 2),
        "skill_base": num(row["bss_base_rate"], 2),
        "timing": _in_unit(row["timing_error"], "y"),
        "interval": _in_unit(row["interval_score"], "y"),
        "numeric": _in_unit(row["numeric_error"], numeric_unit),
        "numeric_interval": _in_unit(row["numeric_interval_score"], numeric_unit),
        "window_only": int(row["n_window_only"]),
    }


def per_forecaster(
    book: Book, frame: pd.DataFrame, mask: pd.Series[bool], day: dt.date
) -> list[dict[str, Any]]:
    """The resolved forecasts in `mask` grouped by forecaster, each with a summary.

    Each group has its own table notes (`notes`).
    """
    notes_of: dict[str, Footnotes] = {}

    def notes_for(forecaster: str) -> Footnotes:
        if forecaster not in notes_of:
            notes_of[forecaster] = Footnotes(f"resolved-{forecaster}")
        return notes_of[forecaster]

    rows = resolved_rows(book, frame, mask, day, notes_for)
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
                "notes": notes_of[forecaster].items,
                "anchor": notes_of[forecaster].prefix,
                "summary": summaries[forecaster],
                "tally": tally,
            }
        )
    return groups
