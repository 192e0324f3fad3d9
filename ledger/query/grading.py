"""Grading: what a judge still has to grade, told without the other judges' results.

`pending` lists the judged questions that name the judge and hold no grading
of theirs, due ones (deadline passed) first. It reads nothing but the
question, its deadline and the judge's own entries, so a judge working
through the list never sees how another judge graded (blind grading).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ledger.core import grading

if TYPE_CHECKING:
    import datetime as dt

    from ledger.core.model import Ledger, Question


@dataclass(frozen=True, slots=True)
class Pending:
    """A question a judge has still to grade; `due` once its deadline has passed."""

    question: Question
    due: bool


def pending(ledger: Ledger, judge: str, as_of: dt.date) -> list[Pending]:
    """The questions `judge` judges and has not graded, due first, then by deadline."""
    found = [
        Pending(q, q.deadline.latest < as_of)
        for q in ledger.questions
        if judge in q.judges and judge not in grading.latest(q, q.outcomes)
    ]
    return sorted(found, key=lambda p: (not p.due, p.question.deadline.earliest))


def text(found: list[Pending], judge: str) -> str:
    """The list as lines: due or open, the deadline, the id and the title."""
    if not found:
        return f"Nothing left for {judge} to grade.\n"
    lines = [f"{len(found)} to grade by {judge} (others' gradings not shown):"]
    for item in found:
        q = item.question
        state = "due " if item.due else "open"
        lines.append(f"  {state}  {q.deadline}  {q.id}: {q.title}")
    return "\n".join(lines) + "\n"
