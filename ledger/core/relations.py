"""What is wrong with a question's relations to others: an order, a condition, a cycle.

Checked by `validate` over every question, and by a write for the question it
edits (`record.part`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ledger.core.model import Error

if TYPE_CHECKING:
    from collections.abc import Iterator

    from ledger.core.model import Order, Question


def relation_errors(
    question: Question, questions: dict[str, Question]
) -> Iterator[Error]:
    """What is wrong with `question`'s order and condition, given every question."""
    if question.order is not None:
        yield from _order_errors(question, question.order, questions)
    if _in_cycle(question, questions):
        field = "condition" if question.condition else "order"
        yield Error(
            question.at(field),
            f"question '{question.id}' depends on itself through its condition "
            "or order",
        )


def _order_errors(
    question: Question, order: Order, questions: dict[str, Question]
) -> Iterator[Error]:
    """What is wrong with an order question: its kind, its two questions, outcomes."""
    where = question.at("order")
    if question.kind != "binary":
        yield Error(
            where,
            "a question with an 'order' resolves yes or no, so it must be "
            f"kind: binary, not '{question.kind}'",
        )
    for id in (order.before, order.after):
        other = questions.get(id)
        if other is not None and other.kind != "date":
            yield Error(
                where,
                f"an order relation needs two date questions; '{id}' is a "
                f"{other.kind} question",
            )
    if order.before == order.after:
        yield Error(
            where,
            "an order relation needs two different questions, got "
            f"'{order.before}' twice",
        )
    for entry in question.outcomes:
        yield Error(
            entry.location,
            "an order question resolves by itself from its two date "
            "questions; record outcomes there, not here",
        )


def _in_cycle(start: Question, questions: dict[str, Question]) -> bool:
    stack = [start]
    seen: set[str] = set()
    while stack:
        current = stack.pop()
        for id in _depends_on(current):
            if id == start.id:
                return True
            if id not in seen and id in questions:
                seen.add(id)
                stack.append(questions[id])
    return False


def _depends_on(question: Question) -> list[str]:
    ids = [question.condition] if question.condition else []
    if question.order is not None:
        ids += [question.order.before, question.order.after]
    return ids
