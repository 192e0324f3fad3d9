"""Gradings kept apart: a `gradings:` list, one file per judge, joined to the questions.

A judge's gradings may live in a file of their own (`grades/JUDGE.yaml`,
pulled in by `include:`), so that judges never edit, or see, each other's
lines before they commit theirs. Each item there is an outcome entry that
names its question (`question:`) and its judge (`by:`, required). `read`
builds one (both load paths use it), and `attach` adds every grading of the
whole ledger to its question's outcome history, in recorded order, once all
files are read; from then on a grading is an outcome entry like any other.
A grading of an undeclared question is a reference `validate` reports.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Any

from ledger.core.model import Location, Outcome
from ledger.core.rules import recorded_key
from ledger.loader.nodes import line

if TYPE_CHECKING:
    import yaml

    from ledger.core.model import Ledger
    from ledger.loader.records import RecordReader

_REQUIRED = frozenset({"question", "result", "known", "recorded", "by"})


def read(reader: RecordReader, node: yaml.Node) -> tuple[str, Outcome] | None:
    """(question id, outcome entry) of one item of `gradings:`, or None if broken."""
    fields = reader.mapping(node, "grading", "grading")
    if fields is None:
        return None
    readers = {**reader.outcome_readers(None), "question": reader.slug,
               "by": reader.slug}
    values: dict[str, Any] = {}
    ok = reader.read_all(fields, readers, values, _REQUIRED)
    question = values.pop("question", None)
    reader.refer("question", question, fields, "question")
    if not ok or question is None:
        return None
    entry = Outcome(location=Location(reader.path, line(node)),
                    lines=reader.lines(fields, node), **values)
    return question, entry


def attach(ledger: Ledger) -> Ledger:
    """The ledger with each grading of `gradings:` in its question's outcomes."""
    if not ledger.gradings:
        return ledger
    found: dict[str, list[Outcome]] = {}
    for question, entry in ledger.gradings:
        found.setdefault(question, []).append(entry)
    questions = tuple(
        dataclasses.replace(
            q, outcomes=tuple(sorted((*q.outcomes, *found[q.id]), key=recorded_key))
        ) if q.id in found else q
        for q in ledger.questions
    )
    return dataclasses.replace(ledger, questions=questions)
