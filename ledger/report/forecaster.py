"""A forecaster's page: their record as of the as-of date.

Their scores (all years and by the year of the outcome) split by basis with
a sensitivity line (`ledger.report.judgement`), every resolved forecast with
its mark and caveats, their calibration, their open and overdue questions,
the forecasts they replaced with updates, and the questions they share with
each other forecaster.
"""

from __future__ import annotations

import shlex
from typing import TYPE_CHECKING, Any

from ledger.report import fans
from ledger.report.book import records
from ledger.report.calibration import calibration
from ledger.report.cards import card, claim, cut, shorten
from ledger.report.caveats import Footnotes
from ledger.report.common import forecaster_stem, methods, view
from ledger.report.escape import safe_url
from ledger.report.judged import sensitivity
from ledger.report.judgement import judgement
from ledger.report.resolved import resolved_mask, resolved_rows, summary
from ledger.score import scorecard

if TYPE_CHECKING:
    import datetime as dt
    from collections.abc import Sequence

    import pandas as pd

    from ledger.core.model import Forecast, Forecaster, Question
    from ledger.report.book import Book
    from ledger.report.cards import More
    from ledger.report.render import Charts

SHARED_TITLES = 20  # question titles named per pair in the shared-questions table
WAITING = (("open", "open questions"), ("due", "questions due but unrecorded"))


def titles(book: Book, questions: Sequence[str]) -> str:
    """The titles of `questions`, "; "-separated: the first SHARED_TITLES, and more."""
    named = "; ".join(book.questions[q].title for q in questions[:SHARED_TITLES])
    rest = len(questions) - SHARED_TITLES
    return named + (f"; and {rest:,} more" if rest > 0 else "")


def _lists(
    book: Book, forecaster: str, frame: pd.DataFrame, mine: pd.Series[bool]
) -> tuple[dict[str, Any], dict[str, int], dict[str, More | None]]:
    """Cards of their open and overdue questions, and their replaced forecasts.

    From their timely forecasts (the frame's rows) by question, soonest
    deadline first, then id; within a question in order of `made`.
    """
    day = book.as_of
    columns = ["deadline", "question", "line", "standing", "status"]
    rows = frame.loc[mine.to_numpy(), columns]
    rows = rows.sort_values(["deadline", "question"], kind="stable")
    questions, statuses = rows["question"].tolist(), rows["status"].astype(str).tolist()
    pairs = list(zip(questions, statuses, strict=True))
    waiting: dict[str, list[Question]] = {
        state: [
            book.questions[q] for q in dict.fromkeys(q for q, s in pairs if s == state)
        ]
        for state, _ in WAITING
    }
    lines = zip(
        questions, rows["line"].tolist(), rows["standing"].tolist(), strict=True
    )
    replaced: list[tuple[Question, Forecast]] = [
        (book.questions[q], book.forecast((q, line)))
        for q, line, standing in lines
        if not standing
    ]
    as_of = f"--as-of {day.isoformat()}"
    who = f"--forecaster {shlex.quote(forecaster)}"
    lists: dict[str, Any] = {}
    more: dict[str, More | None] = {}
    for state, what in WAITING:
        options = f"{who} --status {state} {as_of}"
        shown, more[state] = cut(waiting[state], book, what, options)
        lists[state] = [card(book, q, day, only=forecaster) for q in shown]
    options = f"{who} {as_of} --format csv"
    replaced, more["updates"] = cut(
        replaced, book, "replaced forecasts", options, False
    )
    lists["updates"] = [
        {**claim(book, q, f, False), "title": q.title} for q, f in replaced
    ]
    return lists, {state: len(found) for state, found in waiting.items()}, more


def _shared(book: Book, forecaster: str, day: dt.date) -> list[dict[str, Any]]:
    """Each other forecaster they share questions with: how many, which."""
    shared = [s for s in book.shared(day) if forecaster in (s["a"], s["b"])]
    return [
        {
            "other": book.name(s["b"] if s["a"] == forecaster else s["a"]),
            "shared": int(s["shared"]),
            "resolved": int(s["resolved"]),
            "questions": titles(book, s["questions"]),
        }
        for s in shared
    ]


def _about(record: Forecaster | None) -> dict[str, Any]:
    """What the ledger says of the forecaster: aliases, affiliation, links, note."""
    return {
        "aliases": ", ".join(record.aliases) if record else "",
        "affiliation": record.affiliation if record else None,
        "links": [
            {"text": link, "url": safe_url(link)}
            for link in (record.links if record else ())
        ],
        "note": record.note if record else None,
    }


def forecaster_page(book: Book, forecaster: str, drawn: Charts) -> dict[str, Any]:
    """The context of `forecaster`'s page."""
    day = book.as_of
    frame = book.frame(day)
    mine = frame["forecaster"] == forecaster
    resolved = resolved_mask(book, frame, None) & mine
    notes = Footnotes(f"resolved-{forecaster}")
    record = next((f for f in book.ledger.forecasters if f.id == forecaster), None)
    stem = forecaster_stem(forecaster)
    overall = records(scorecard.aggregate(frame[mine], []))
    by_year = records(scorecard.aggregate(frame[mine], ["year"], year_of="resolved"))
    lists, totals, more = _lists(book, forecaster, frame, mine)
    name = book.name(forecaster)
    return {
        "kind": "forecaster",
        "forecaster": forecaster,
        "stem": stem,
        "name": name,
        **_about(record),
        "day": day.isoformat(),
        "total": int(mine.sum()),
        "standing": int((mine & frame["standing"]).sum()),
        "summary": summary(overall[0]) if overall else None,
        "score_rows": [
            {"label": str(r["year"]), **summary(r)}
            for r in by_year
            if str(r["year"]) != "unresolved"
        ]
        + [{"label": "All years", **summary(r)} for r in overall],
        "resolved": resolved_rows(book, frame, resolved, day, lambda _: notes),
        "resolved_notes": notes.items,
        "quantile_coverage": fans.coverage(frame[resolved]),
        "quantiles": fans.fans(
            book, day, fans.standing_quantiles(book, day, only=forecaster), drawn,
            f"{stem}-fan",
        ),
        # computed once for everyone (the settled rows, every standing one)
        "judgement": judgement(
            book, frame, resolved_mask(book, frame, None), frame["standing"],
            only=forecaster,
        ),
        "judged": sensitivity(book, day, forecaster),
        "calibration": calibration(
            frame,
            resolved,
            mine,
            drawn,
            f"{stem}-calibration",
            f"by {name}, resolved by {day}",
            f", {shorten(name, 24)}",
        ),
        **lists,
        "totals": totals,
        "more": more,
        "shared": _shared(book, forecaster, day),
        "view": view(book, day),
        "methods": methods(book, day),
    }
