"""Forecasters against each other: the leaderboard, head to head, and the trend.

The leaderboard and the paired comparisons come from `ledger.compare`, on
the standing forecasts of the questions resolved in a page's scope; the
trend is each forecaster's running mean Brier at the end of each year.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ledger import compare as comparing
from ledger.core.text import DASH, plural, share
from ledger.report import charts
from ledger.report.book import records
from ledger.report.cards import cut, interval, num, shorten
from ledger.report.resolved import brier_cells
from ledger.score import scorecard

if TYPE_CHECKING:
    import datetime as dt
    from collections.abc import Iterable

    import pandas as pd

    from ledger.core.model import Question
    from ledger.report.book import Book
    from ledger.report.cards import More
    from ledger.report.render import Charts

MIN_QUESTIONS = 5  # a leaderboard flags forecasters with fewer scored questions
HEAD_TO_HEAD = 10  # head to head among at most this many best-ranked forecasters


def _leader(book: Book, r: dict[str, Any]) -> dict[str, Any]:
    forecaster = str(r["forecaster"])
    return {
        "name": book.name(forecaster),
        "forecaster": forecaster,
        **brier_cells(r),
        "log": num(r["log_score"], 2),
        "peer": num(r["peer_score_mean"], 1),
        "relative": num(r["relative_brier"]),
        "coverage": share(r["coverage"]),
        "flagged": bool(r["flagged"]),
    }


def _pairs(book: Book, rows: pd.DataFrame, board: pd.DataFrame) -> list[dict[str, Any]]:
    """Head to head among the best-ranked HEAD_TO_HEAD forecasters of `board`."""
    top = sorted(str(f) for f in board["forecaster"].head(HEAD_TO_HEAD))
    chosen = [(a, b) for i, a in enumerate(top) for b in top[i + 1 :]]
    pairs = []
    for r in records(comparing.head_to_head(rows, chosen)):
        low, high = r["ci"]
        pairs.append(
            {
                "a": book.name(str(r["a"])),
                "b": book.name(str(r["b"])),
                "n": int(r["n"]),
                "diff": num(r["mean_diff"]),
                "ci": interval(low, high),
                "p": num(r["p"], 3),
                "test": str(r["test"]),
                "gap": num(r["gap_days_mean"], 0),
            }
        )
    return pairs


def shared_questions(
    book: Book, day: dt.date, questions: Iterable[Question]
) -> tuple[list[Question], More | None]:
    """The `questions` more than one forecaster has a standing forecast on, cut."""
    forecasters = book.standing_forecasters(day)
    shared = [q for q in questions if len(forecasters.get(q.id, ())) > 1]
    return cut(
        shared,
        book,
        "questions with more than one forecaster",
        f"--as-of {day.isoformat()} --format csv",
        False,
    )


def _together(book: Book, day: dt.date) -> tuple[list[dict[str, Any]], More | None]:
    """The questions with standing forecasts by more than one forecaster, cut."""
    forecasters = book.standing_forecasters(day)
    shared, more = shared_questions(book, day, book.ledger.questions)
    together = []
    for question in shared:
        names = book.forecaster_order(forecasters[question.id])
        together.append(
            {
                "title": question.title,
                "forecasters": ", ".join(map(book.name, names)),
                "n": len(names),
                "status": book.state(question, day)[0],
            }
        )
    return together, more


def comparison(
    book: Book, frame: pd.DataFrame, mask: pd.Series[bool], day: dt.date
) -> dict[str, Any]:
    """Leaderboard and head to head on the forecasts in `mask`, and shared questions.

    The shared questions are those with standing forecasts by more than one
    forecaster as of `day`. Head to head pairs the best-ranked HEAD_TO_HEAD
    forecasters of the leaderboard (all of them, when there are no more), so
    a large panel gives a table that can be read rather than every one of
    its pairs.
    """
    rows = scorecard.scored(frame[mask])
    board = comparing.leaderboard(rows, min_questions=MIN_QUESTIONS)
    together, more = _together(book, day)
    return {
        "leaders": [_leader(book, r) for r in records(board)],
        "pairs": _pairs(book, rows, board),
        "pairs_limited": len(board) > HEAD_TO_HEAD,
        "head_to_head": HEAD_TO_HEAD,
        "together": together,
        "together_more": more,
        "min_questions": MIN_QUESTIONS,
    }


def _running(
    book: Book, years: list[int]
) -> dict[str, list[tuple[int, float] | None]]:
    """Each forecaster's (scored questions, mean Brier) at the end of each year."""
    values: dict[str, list[tuple[int, float] | None]] = {}
    for i, year in enumerate(years):
        table = scorecard.aggregate(
            book.frame(book.cutoff(year)), ["forecaster"], n_boot=0
        )
        for r in records(table):
            name = str(r["forecaster"])
            values.setdefault(name, [None] * len(years))
            if r["n"]:
                values[name][i] = (int(r["n"]), float(r["brier"]))
    return values


def trend(book: Book, last: int, drawn: Charts, stem: str) -> dict[str, Any]:
    """Each forecaster's running mean Brier at the end of each year up to `last`."""
    final = book.frame(book.cutoff(last))
    scored = final[final["standing"] & (final["excluded"] == "") & final["p"].notna()]
    if scored.empty:
        return {"years": [], "rows": []}
    years = list(range(int(scored["known"].dt.year.min()), last + 1))
    values = _running(book, years)
    order = [f for f in book.forecaster_order(values) if any(values[f])]
    rows = [
        {
            "name": book.name(f),
            "forecaster": f,
            "cells": [
                DASH if v is None else f"{num(v[1])} ({v[0]})" for v in values[f]
            ],
        }
        for f in order
    ]
    series = [
        {
            "label": shorten(book.name(f), 24),
            "values": [None if v is None else v[1] for v in values[f]],
        }
        for f in order
    ]
    end = book.cutoff(last).isoformat()
    who = plural(len(order), "forecaster")
    label = f"Running mean Brier by year, {years[0]} to {last}, of {who}"
    desc = "; ".join(
        f"{r['name']}: "
        + ", ".join(f"{y} {c}" for y, c in zip(years, r["cells"], strict=True))
        for r in rows
    )
    geometry = charts.trend(
        years,
        series,
        title=f"Running mean Brier (lower is better), to {end}",
        label=label,
        desc=f"{label}. {desc}.",
    )
    return {
        "years": [str(y) for y in years],
        "rows": rows,
        "chart": drawn.add("trend.svg.j2", stem, geometry),
    }
