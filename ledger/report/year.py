"""A year's scorecard: the ledger as it stood at the end of that year.

Or on the as-of date, for the current year: outcomes known by then count,
and forecasts made by then (as recorded: only what had been written down by
then; see `ledger.report.book`), on the questions that existed by then.
"Resolved this year" holds the standing forecasts settled that year: on
questions whose outcome became known that year (latest reading of `known`),
and windows a not-yet entry closed without the event; each forecaster's
scores are split by basis, with a sensitivity line
(`ledger.report.judgement`). "Forecasts made this year" lists those made
that year (earliest reading of `made`), on questions written later too. The
page also lists what is still open, what is due but unrecorded, what comes
due next year, the windows that closed in the year and those closing by the
end of the next, and a timing chart per date or numeric question.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from ledger.core import rules
from ledger.report import cards, fans
from ledger.report.book import records
from ledger.report.calibration import calibration
from ledger.report.cards import by_deadline, card, claim, cut
from ledger.report.caveats import Footnotes, row_notes
from ledger.report.closings import closed, closing
from ledger.report.common import methods, view
from ledger.report.comparison import comparison, trend
from ledger.report.escape import safe_name
from ledger.report.judged import sensitivities
from ledger.report.judgement import judgement
from ledger.report.prices import crowds, price_chart
from ledger.report.resolved import per_forecaster, resolved_mask, summary
from ledger.report.timing import timing
from ledger.score import scorecard

if TYPE_CHECKING:
    from ledger.core.model import Forecast, Question
    from ledger.report.book import Book, State
    from ledger.report.cards import More
    from ledger.report.render import Charts

Lists = tuple[dict[str, Any], dict[str, int], dict[str, "More | None"]]
"""Some of a year page's lists, how many each holds in all, and their notes."""


def _made(book: Book, year: int, day: dt.date) -> Lists:
    """The forecasts made in `year`: by day, question and name, claims as shown.

    They are the frame's rows (every timely forecast, question by question
    in ledger order, each question's in order of `made`), those on questions
    written later too (flagged: the page shows nothing else of them); claims
    are made only for those shown.
    """
    frame = book.all_rows(day)
    chosen = frame.loc[
        (frame["made"].dt.year == year).to_numpy(),
        ["made", "question", "forecaster", "line", "standing"],
    ]
    columns = zip(
        chosen["made"].tolist(),
        chosen["question"].tolist(),
        chosen["forecaster"].astype(str).tolist(),
        chosen["line"].tolist(),
        chosen["standing"].tolist(),
        strict=True,
    )
    found = sorted(
        (
            (made.date(), question, book.name(who).casefold(), i),
            (question, line),
            standing,
        )
        for i, (made, question, who, line, standing) in enumerate(columns)
    )
    total = len(found)
    options = f"--as-of {day.isoformat()} --format csv"
    found, more = cut(found, book, f"forecasts made in {year}", options, False)
    notes = Footnotes(f"made-{year}")
    made = []
    for _, key, standing in found:
        question, forecast = book.questions[key[0]], book.forecast(key)
        shown = claim(book, question, forecast, standing)
        existed = rules.exists(question, day)
        made.append({
            **shown,
            "title": question.title,
            "question": question.id,
            "status": book.state(question, day)[0]
            if existed
            else f"question written {question.written}",
            "order": forecast.made.earliest,
            "refs": notes.refs(
                row_notes(book, question, forecast, shown["name"], day=day)
            ),
        })
    return {"made": made, "made_notes": notes.items}, {"made": total}, {"made": more}


def _waiting(book: Book, year: int, day: dt.date, states: dict[str, State]) -> Lists:
    """Cards of the questions still open, due but unrecorded, and due next year."""
    as_of = f"--as-of {day.isoformat()}"
    ordered = by_deadline(book.existing(day))
    still_open = [q for q in ordered if states[q.id][0] == "open"]
    next_questions = [q for q in still_open if q.deadline.latest.year == year + 1]
    late = book.overdue(day)
    totals = {"open": len(still_open), "overdue": len(late)}
    status = f"--status open {as_of}"
    shown_open, more_open = cut(still_open, book, "open questions", status)
    coming = f"questions coming due in {year + 1}"
    shown_next, more_next = cut(next_questions, book, coming, status, False)
    unrecorded = "questions due but unrecorded"
    shown_late, more_late = cut(late, book, unrecorded, f"due {as_of}")
    notes = Footnotes(f"next-{year + 1}")
    next_cards = [card(book, q, day) for q in shown_next]
    for q, shown in zip(shown_next, next_cards, strict=True):
        for k in shown["claims"]:
            forecast = next(
                f for f in book.standing(q, day) if f.by == k["forecaster"]
            )
            k["refs"] = notes.refs(row_notes(book, q, forecast, k["name"], day=day))
    lists = {
        "open": [card(book, q, day) for q in shown_open],
        "next": next_cards,
        "next_notes": notes.items,
        "overdue": [card(book, q, day) for q in shown_late],
    }
    return lists, totals, {"open": more_open, "next": more_next, "overdue": more_late}


def _timing(
    book: Book, year: int, day: dt.date, states: dict[str, State], drawn: Charts
) -> Lists:
    """A timing chart per date or numeric question with a standing window.

    Its questions are those not yet resolved or void, or scored in `year`;
    when there are more than LIST_LIMIT, those scored in the year first.
    """
    windowed = []
    for q in book.existing(day):
        if q.kind == "binary":
            continue
        state, found = states[q.id]
        if state in ("resolved", "void") and found is not None and (
            book.settled_in(q, found) != year
        ):
            continue
        if any(f.window is not None for f in book.standing(q, day)):
            windowed.append(q)
    if len(windowed) > cards.LIST_LIMIT:  # the ones scored in the year first
        scored = [q for q in windowed if states[q.id][0] in ("resolved", "void")]
        rest = [q for q in windowed if states[q.id][0] not in ("resolved", "void")]
        windowed = scored + rest
    shown, more = cut(
        windowed, book, "date and numeric questions with a window",
        f"--as-of {day.isoformat()} --format csv", False,
    )
    charts = [
        timing(book, q, day, drawn, f"{year}-timing-{safe_name(q.id)}") for q in shown
    ]
    return {"timing": [t for t in charts if t is not None]}, {}, {"timing": more}


def _prices(
    book: Book, year: int, day: dt.date, states: dict[str, State], drawn: Charts
) -> Lists:
    """A crowd-price chart per binary question with a crowd price by `day`.

    Its questions are those open, or resolved in `year` (as timing's are).
    """
    crowd_ids = crowds(book.ledger)
    chosen = []
    for q in book.existing(day):
        state, found = states[q.id]
        if q.kind != "binary" or (
            state in ("resolved", "void")
            and found is not None
            and book.settled_in(q, found) != year
        ):
            continue
        if any(f.by in crowd_ids and book.counts(f, day) for f in q.forecasts):
            chosen.append(q)
    shown, more = cut(
        chosen, book, "questions with crowd prices", f"--as-of {day.isoformat()}", False
    )
    charts = [
        price_chart(book, q, day, drawn, f"{year}-prices-{safe_name(q.id)}")
        for q in shown
    ]
    return {"prices": [c for c in charts if c is not None]}, {}, {"prices": more}


def _quantiles(
    book: Book, year: int, states: dict[str, State]
) -> list[tuple[Question, Forecast]]:
    """The standing quantile forecasts on questions open, or settled in `year`.

    Only the questions that existed then: `states` holds only those.
    """
    shown = []
    for question in book.ledger.questions:
        state = states.get(question.id)
        if state is None:
            continue
        found = state[1]
        if state[0] not in ("resolved", "void") or (
            found is not None and found.known.latest.year == year
        ):
            shown.append(question)
    return fans.standing_quantiles(book, book.cutoff(year), questions=shown)


def year_page(book: Book, year: int, drawn: Charts) -> dict[str, Any]:
    """The context of `year`'s scorecard page."""
    day = book.cutoff(year)
    frame = book.frame(day)
    resolved = resolved_mask(book, frame, year)
    groups = per_forecaster(book, frame, resolved, day)
    everyone = records(scorecard.aggregate(frame[resolved], []))
    states = {q.id: book.state(q, day) for q in book.existing(day)}
    lists: dict[str, Any] = {}
    totals: dict[str, int] = {}
    more: dict[str, More | None] = {}
    for part in (
        _made(book, year, day),
        _waiting(book, year, day, states),
        closed(book, year, day),
        closing(book, year, day, book.existing(day)),
        _timing(book, year, day, states, drawn),
        _prices(book, year, day, states, drawn),
    ):
        lists.update(part[0])
        totals.update(part[1])
        more.update(part[2])
    scope = (f"{year}-calibration", f"resolved in {year}", f", {year}")
    return {
        "kind": "year",
        "year": str(year),
        "next_year": str(year + 1),
        "day": day.isoformat(),
        "partial": day < dt.date(year, 12, 31),
        "counts": {s: sum(v[0] == s for v in states.values()) for s in rules.STATUSES},
        "written_later": book.written_later(day),
        "resolved_n": int(resolved.sum()),
        "groups": groups,
        "scores": [{"label": g["name"], **g["summary"]} for g in groups]
        + [{"label": "All forecasters", **summary(r)} for r in everyone if groups],
        "judgement": judgement(book, frame, resolved, frame["standing"]),
        "judged": sensitivities(book, day),
        "calibration": calibration(frame, resolved, frame["standing"], drawn, *scope),
        "quantile_coverage": fans.coverage(frame[resolved]),
        "quantiles": fans.fans(
            book, day, _quantiles(book, year, states), drawn, f"{year}-fan"
        ),
        **lists,
        "totals": totals,
        "more": more,
        "trend": trend(book, year, drawn, f"{year}-scores"),
        "comparison": comparison(book, frame, resolved, day),
        "view": view(book, day),
        "methods": methods(book, day),
    }
