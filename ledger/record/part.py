"""What `validate` would find with one edited part of a ledger changed.

A write checks the records its edit adds or changes against an index of the
rest, which was clean (see `record.incremental`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ledger.core.relations import relation_errors
from ledger.core.rules import index
from ledger.validate import (
    check_assessed,
    check_dates,
    check_judges,
    check_not_yet,
    check_resolvers,
    check_settled,
    check_skipped,
    reference_errors,
)

if TYPE_CHECKING:
    from ledger.core.model import Error, Ledger


def validate_part(whole: Ledger, part: Ledger) -> list[Error] | None:
    """What `validate` would find in `whole` with the records of `part` changed.

    `whole` has no errors; `part` holds what an edit adds or changes (a
    question replaces the one with its id; a new one's id must be new) with
    its references and `broken`, and the ledger's `skipped`, all at their new
    lines. As the rest was clean, every error involves `part`: its references
    are checked against `whole`'s ids, its relations against its questions,
    its own dates, outcomes, quotes and judges as `validate` checks them. None
    when a new forecaster's or source's id is taken, or when an order question
    is involved (its checks span three questions): the whole check decides.
    """
    changed = {question.id for question in part.questions}
    if any(q.order is not None for q in part.questions) or any(
        q.order is not None and {q.order.before, q.order.after} & changed
        for q in whole.questions
    ):
        return None
    kinds = (
        ("forecaster", "forecasters"), ("source", "sources"), ("question", "questions")
    )
    declared: dict[str, set[str]] = {}
    for kind, name in kinds:
        ids = {record.id for record in getattr(whole, name)}
        new = {record.id for record in getattr(part, name)}
        if kind != "question" and new & ids:
            return None
        declared[kind] = ids | new
    questions = index(whole) | {question.id: question for question in part.questions}
    errors = list(reference_errors(part, declared))
    for question in part.questions:
        errors += relation_errors(question, questions)
    for check in (check_dates, check_resolvers, check_assessed, check_not_yet,
                  check_settled, check_skipped, check_judges):
        errors += check(part)
    return errors
