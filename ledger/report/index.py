"""The report's front pages: the index and the comparison of every forecaster.

The index counts the questions by status, lists the yearly scorecards and
the forecasters with their scores, and names the next deadline; the
comparison page puts every forecaster's resolved forecasts side by side,
with the questions more than one of them forecast.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pandas as pd

from ledger.core import rules
from ledger.core.text import DASH
from ledger.report.book import records
from ledger.report.cards import by_deadline, card, interval, num, when
from ledger.report.common import methods, view
from ledger.report.comparison import comparison, shared_questions, trend
from ledger.report.judged import agreement
from ledger.report.judgement import judgement
from ledger.report.resolved import resolved_mask
from ledger.report.sources import skipped
from ledger.score import scorecard

if TYPE_CHECKING:
    import datetime as dt
    from collections.abc import Sequence

    from ledger.core.model import Question
    from ledger.report.book import Book
    from ledger.report.render import Charts


def compare_page(book: Book, drawn: Charts) -> dict[str, Any]:
    """The context of the comparison page, as of the as-of date."""
    day = book.as_of
    frame = book.frame(day)
    resolved = resolved_mask(book, frame, None)
    shared, more = shared_questions(book, day, by_deadline(book.existing(day)))
    return {
        "kind": "compare",
        "day": day.isoformat(),
        "comparison": comparison(book, frame, resolved, day),
        "judgement": judgement(book, frame, resolved, frame["standing"], shared=True),
        "questions": [card(book, q, day) for q in shared],
        "more": more,
        "trend": trend(book, day.year, drawn, "compare-scores"),
        "view": view(book, day),
        "methods": methods(book, day),
    }


def _year_rows(book: Book, years: Sequence[int]) -> list[dict[str, Any]]:
    """Each yearly scorecard: resolved and made in the year, open at its end."""
    rows = []
    for year in years:
        cut_day = book.cutoff(year)
        frame = book.frame(cut_day)
        made = book.all_rows(cut_day)["made"]
        rows.append(
            {
                "year": str(year),
                "resolved": int(resolved_mask(book, frame, year).sum()),
                "made": int((made.dt.year == year).sum()),  # timely ones
                "open": sum(
                    1
                    for q in book.existing(cut_day)
                    if book.state(q, cut_day)[0] in ("open", "due")
                ),
                "closed": int(_closed_in(frame, year, cut_day)),
                "day": cut_day.isoformat(),
            }
        )
    return rows


def _closed_in(frame: pd.DataFrame, year: int, day: dt.date) -> int:
    """How many standing date windows closed in `year`, by `day`."""
    end = frame["window_end"]
    mask = frame["standing"] & (end.dt.year == year) & (end <= pd.Timestamp(day))
    return int(mask.sum())


def _people(
    book: Book, forecasters: Sequence[dict[str, Any]]
) -> list[dict[str, Any]]:
    """Each forecaster's link with affiliation, standing and scored counts, Brier."""
    frame = book.frame(book.as_of)
    table = records(scorecard.aggregate(frame, ["forecaster"]))
    summaries = {str(r["forecaster"]): r for r in table}
    people = []
    for f in forecasters:
        r = summaries.get(f["forecaster"])
        record = next(
            (x for x in book.ledger.forecasters if x.id == f["forecaster"]), None
        )
        mine = frame["forecaster"] == f["forecaster"]
        probabilities = frame["standing"] & mine & frame["p"].notna()
        judged = int((probabilities & (frame["basis"] == "judged")).sum())
        people.append(
            {
                **f,
                "affiliation": record.affiliation if record else None,
                "standing": int((frame["standing"] & mine).sum()),
                "judged": f"{judged} of {int(probabilities.sum())}",
                "scored": 0 if r is None else int(r["n"]),
                "brier": DASH if r is None else num(r["brier"]),
                "ci": DASH
                if r is None
                else interval(r["brier_ci_low"], r["brier_ci_high"]),
            }
        )
    return people


def _next_deadline(book: Book, upcoming: list[Question]) -> dict[str, str] | None:
    """The soonest deadline of the open questions, and the questions due then."""
    if not upcoming:
        return None
    first = upcoming[0].deadline.latest
    same = [q for q in upcoming if q.deadline.latest == first]
    return {
        "day": first.isoformat(),
        "when": when(same[0], "open", book.as_of),
        "titles": "; ".join(q.title for q in same),
    }


def index_page(
    book: Book, years: Sequence[int], forecasters: Sequence[dict[str, Any]]
) -> dict[str, Any]:
    """The context of the index page, as of the as-of date."""
    day = book.as_of
    existing = book.existing(day)
    states = [book.state(q, day)[0] for q in existing]
    upcoming = by_deadline(
        q for q, s in zip(existing, states, strict=True) if s == "open"
    )
    return {
        "kind": "index",
        "day": day.isoformat(),
        "counts": {s: states.count(s) for s in rules.STATUSES},
        "questions": len(states),
        "written_later": book.written_later(day),
        "forecasts": len(book.frame(day)),
        "years": _year_rows(book, years),
        "people": _people(book, forecasters),
        "next_deadline": _next_deadline(book, upcoming),
        "skipped": skipped(book),
        "agreement": agreement(book, day),
        "view": view(book, day),
        "methods": methods(book, day),
    }
