"""Judged questions on the pages: who graded, how they agree, what rests on them.

- `note`: a table note on every row of a judged question: its judges, each
  one's grading and note (or that they have not graded yet), the rule that
  combined them, a single judge said as such, and a dispute flagged, so that a
  score resting on a disputed question is marked where it is shown.
- `agreement`: the index's agreement table (`ledger judges`'s figures), with
  the disputed questions.
- `sensitivity`: a forecaster's line: their mean Brier on the judged questions
  under the combined outcomes and under each judge's gradings alone (on a
  scorecard, every forecaster's: `sensitivities`).

The figures are `ledger.score.judged`'s, made once per day (`Book.memo`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ledger.core import grading, rules
from ledger.core.text import number, percent, plural
from ledger.score.agreement import NO_PAIRS, READING
from ledger.score.judged import judges

if TYPE_CHECKING:
    import datetime as dt

    from ledger.core.model import Question
    from ledger.report.book import Book
    from ledger.score.judged import Judged, Judges


def _judges(book: Book, day: dt.date) -> Judges:
    recorded = book.view.as_recorded
    found: Judges = book.memo(
        "judges", day, lambda: judges(book.ledger, day, as_recorded=recorded))
    return found


def note(book: Book, question: Question, day: dt.date) -> str | None:
    """The table note of a judged question's rows as of `day` (None: no judges)."""
    if not question.judges:
        return None
    counted = rules.counted_entries(question, day, as_recorded=book.view.as_recorded)
    gradings = grading.latest(question, counted)
    parts = []
    for judge in question.judges:
        found = gradings.get(judge)
        if found is None:
            parts.append(f"{book.name(judge)}: not graded yet")
        else:
            why = f" (“{found.note}”)" if found.note else ""
            parts.append(f"{book.name(judge)}: {found.result}{why}")
    how = grading.rule(question)
    if len(question.judges) == 1:
        text = f"“{question.title}” has a single judge. {parts[0]}."
    else:
        text = (f"“{question.title}” is judged by {len(question.judges)} judges, "
                f"combined by {how} ({grading.RULES[how]}): {'; '.join(parts)}.")
    if grading.disputed(gradings.values()):
        text += " The judges disagree: a score on it rests on a disputed question."
    return text


def _disputed(book: Book, judged: Judged) -> dict[str, Any]:
    combined = judged.combined
    return {
        "title": judged.question.title,
        "rule": grading.rule(judged.question),
        "outcome": "—" if combined is None else str(combined.result),
        "gradings": [
            {"name": book.name(judge), "result": str(g.result), "note": g.note or ""}
            for judge, g in judged.gradings.items()
        ],
    }


def agreement(book: Book, day: dt.date) -> dict[str, Any] | None:
    """The index's agreement section, or None for a ledger without judged questions."""
    found = _judges(book, day)
    if not found.questions:
        return None
    figures = found.agreement
    return {
        "questions": plural(len(found.questions), "judged question"),
        "judges": ", ".join(book.name(j) for j in found.judges),
        "graded": sum(bool(q.gradings) for q in found.questions),
        "pairs": [
            {"a": book.name(p.a), "b": book.name(p.b), "n": p.n,
             "agreement": percent(p.agreement), "kappa": number(p.kappa, 2)}
            for p in figures.pairs
        ],
        "fleiss": number(figures.fleiss_kappa, 2), "fleiss_n": figures.fleiss_n,
        "alpha": number(figures.alpha, 2), "alpha_n": figures.alpha_n,
        "reading": READING,
        "no_pairs": None if any(p.n for p in figures.pairs) else NO_PAIRS,
        "rules": [f"{name}: {text}" for name, text in grading.RULES.items()],
        "disputed": [_disputed(book, q) for q in found.disputed],
    }


def sensitivity(book: Book, day: dt.date, forecaster: str) -> str | None:
    """A forecaster's mean Brier on judged questions, combined and by each judge."""
    found = [s for s in _judges(book, day).sensitivity if s.forecaster == forecaster]
    if not found:
        return None
    parts = [
        f"{number(s.brier)} under {book.name(s.under)}'s gradings alone (n={s.n})"
        for s in found if s.under != "combined"
    ]
    combined = next((s for s in found if s.under == "combined"), None)
    head = "On judged questions, mean Brier " + (
        f"{number(combined.brier)} under the combined outcomes (n={combined.n})"
        if combined is not None else "not yet scored under a combined outcome")
    return head + ("; " + ", ".join(parts) if parts else "") + "."


def sensitivities(book: Book, day: dt.date) -> list[dict[str, str]]:
    """Each forecaster's sensitivity line (a scorecard's), in the pages' order."""
    scored = {s.forecaster for s in _judges(book, day).sensitivity}
    return [
        {"name": book.name(who), "line": line}
        for who in book.forecaster_order(scored)
        if (line := sensitivity(book, day, who)) is not None
    ]
