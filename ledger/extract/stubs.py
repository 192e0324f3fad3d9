"""Stubs: each candidate as a question with one forecast, for the keeper to complete.

A stub holds what the text says (the quote, the made date, the window, the
probability and where it comes from) and lists under `needs` what only the
keeper can write: a title and resolution criteria, usually the deadline and
the source, the forecaster when no speaker label names one, and `p` with its
basis and note when the words carry no probability. Filling in every field
`needs` names and deleting the `needs` lines gives a question that passes
`ledger check` (tests/extract/test_stubs.py shows it for generated texts).
Comments carry the rest: the line and speaker, the confidence and its
reasons, the convention a vague horizon was read by, the two events of an
order. `show.extract` writes stubs as YAML through `record.emit`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ledger.core.text import exact

if TYPE_CHECKING:
    from collections.abc import Iterable

    from ledger.extract.model import Candidate, Options

_STOP = frozenset((
    "a", "an", "the", "and", "or", "but", "of", "to", "in", "on", "for", "is", "are",
    "be", "will", "would", "it", "its", "this", "that", "with", "as", "at", "by",
    "from", "they", "their", "there", "than", "then", "so", "i", "we", "you", "s", "ll",
    "d", "t", "re", "think", "say", "honestly", "maybe", "just", "really",
))


class Raw(str):
    """A value written as is: a window or bound built here, never user text."""

    __slots__ = ()


Fields = tuple[tuple[str, object], ...]


@dataclass(frozen=True, slots=True)
class Stub:
    """One question stub: comments above it, its fields, its forecast's fields."""

    comments: tuple[str, ...]
    question: Fields
    forecast: Fields


def draft_id(quote: str, taken: set[str]) -> str:
    """A slug from the quote's first words, not in `taken` (which it joins).

    >>> draft_id("Robotics timeline: ~2–3 years for a “ChatGPT moment.”", set())
    'robotics-timeline-2-3-years'
    """
    words = [w for w in re.findall(r"[a-z0-9]+", quote.lower()) if w not in _STOP]
    base = "-".join(words[:5])[:40].strip("-") or "candidate"
    found, n = base, 1
    while found in taken:
        n += 1
        found = f"{base}-{n}"
    taken.add(found)
    return found


def stub(candidate: Candidate, options: Options, taken: set[str]) -> Stub:
    """The stub of one candidate; `taken` holds the ids already in use."""
    question_needs = ["title", "criteria"]
    forecast_needs = []
    question: list[tuple[str, object]] = [("id", draft_id(candidate.quote, taken))]
    question.append(("kind", candidate.kind))
    deadline = _deadline(candidate, options)
    if deadline is None:
        question_needs.append("deadline")
    question.append(("deadline", deadline))
    if candidate.kind == "numeric":
        question.append(("unit", candidate.unit))
        if candidate.unit is None:
            question_needs.append("unit")
    if candidate.order is not None:
        question_needs.append("order")
    forecast: list[tuple[str, object]] = []
    speaker = candidate.where.speaker
    by = options.forecasters.get(speaker.lower()) if speaker else None
    forecast.append(("by", by))
    if by is None:
        forecast_needs.append("by")
    made = options.made
    forecast.append(("made", str(made) if made is not None else None))
    if made is None:
        forecast_needs.append("made")
    forecast_needs.append("source")
    forecast.append(("quote", candidate.quote))
    forecast += _claim(candidate, forecast_needs)
    question.insert(1, ("needs", Raw(_flow(question_needs))))
    forecast.insert(1, ("needs", Raw(_flow(forecast_needs))))
    return Stub(tuple(_comments(candidate, options)), tuple(question), tuple(forecast))


def _flow(names: list[str]) -> str:
    return "[" + ", ".join(names) + "]"


def _deadline(candidate: Candidate, options: Options) -> str | None:
    """The deadline a binary or numeric stub gets from its horizon, if any.

    None when the horizon gives none, or one before the made date.
    """
    if candidate.deadline is None or candidate.window is None:
        return None
    end = candidate.window[1]
    if options.made is not None and end is not None and end < options.made.latest:
        return None
    return candidate.deadline


def _claim(candidate: Candidate, needs: list[str]) -> list[tuple[str, object]]:
    """The forecast's p, window, basis, table, words and note."""
    found = candidate.probability
    fields: list[tuple[str, object]] = []
    if found.p is not None:
        fields.append(("p", found.p))
    if candidate.kind == "date":
        if candidate.ledger_window is None:
            needs.append("window")
        fields.append(("window", Raw(candidate.ledger_window or "") or None))
    elif candidate.kind == "numeric" and candidate.values is not None:
        low, high = (Raw("null") if v is None else Raw(exact(v))
                     for v in candidate.values)
        fields.append(("window", Raw(f"[{low}, {high}]")))
    if found.basis is not None:
        fields.append(("basis", found.basis))
        fields.append(("table", found.table))
        fields.append(("words", found.words))
        if found.basis == "stated" and found.note and "range" in found.note:
            fields.append(("note", found.note.split("; also says")[0]))
    elif candidate.kind == "binary":
        needs += ["p", "basis", "note"]
    else:
        fields.append(("basis", "stated"))
    return fields


def _comments(candidate: Candidate, options: Options) -> list[str]:
    """What the keeper should know about a stub, one line each."""
    where = candidate.where
    head = [f"line {where.line}"]
    if where.speaker:
        head.append(f"speaker {where.speaker}")
    if where.time:
        head.append(f"at {where.time}")
    head.append(f"confidence {candidate.confidence}")
    lines = [", ".join(head)]
    lines += [f"low: {reason}" for reason in candidate.reasons]
    if candidate.horizon is not None and candidate.order is None:
        lines.append(_horizon_comment(candidate, options))
    if candidate.rule:
        lines.append(f"convention: {candidate.rule}")
    found = candidate.probability
    if found.words and found.basis != "stated":
        lines.append(f"words '{found.words}': {found.note or 'no probability'}"
                     if found.p is None else
                     f"words '{found.words}' → p {found.p:g} ({found.table})")
    elif found.note:
        lines.append(found.note)
    if candidate.order is not None:
        before, after = (event or "?" for event in candidate.order)
        lines.append(
            f"order: '{after}' after '{before}': set order: {{before: ID, after: ID}} "
            "to the ids of two date questions for these events"
        )
    return lines


def _horizon_comment(candidate: Candidate, options: Options) -> str:
    text = f"horizon '{candidate.horizon}'"
    if candidate.window is not None:
        start, end = (d.isoformat() if d else "open" for d in candidate.window)
        return f"{text} → {start} to {end}"
    if options.made is None:
        return f"{text}: give made, and the window follows from it"
    return text


def stubs(
    candidates: Iterable[Candidate], options: Options, taken: Iterable[str] = ()
) -> list[Stub]:
    """The stubs of `candidates`, with ids unique among them and not in `taken`."""
    used = set(taken)
    return [stub(candidate, options, used) for candidate in candidates]
