"""Validate: checks across records, each a small generator; CHECKS runs them in order.

`load` has already checked every field on its own. The checks here need more
than one record: unique ids, references that resolve, relations between
questions, and dates that must come in order. They enforce the invariants the
README lists under "The file format".
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence

from ledger.core.dates import When
from ledger.core.model import (
    Error,
    Forecast,
    Forecaster,
    Ledger,
    Location,
    Order,
    Outcome,
    Question,
    Skipped,
    Source,
)
from ledger.core.rules import index
from ledger.core.words import did_you_mean
from ledger.loader.load import load_file

Check = Callable[[Ledger], Iterator[Error]]
Declared = Forecaster | Source | Question
_INTERIM = frozenset({"provisional", "not-yet"})  # entries that leave a question open
_EARLY_HINTS = {  # what an at-deadline question records before its deadline
    "binary": "; until then record provisional:P",
    "date": "; until then record not-yet",
}


def check_unique_ids(ledger: Ledger) -> Iterator[Error]:
    """Forecaster, source and question ids are each used once."""
    groups: tuple[tuple[str, tuple[Declared, ...]], ...] = (
        ("forecaster", ledger.forecasters),
        ("source", ledger.sources),
        ("question", ledger.questions),
    )
    for kind, records in groups:
        first: dict[str, Declared] = {}
        for record in records:
            id = record.id
            if id not in first:
                first[id] = record
                continue
            where = first[id].location
            same = where.path == record.location.path
            at = f"line {where.line}" if same else str(where)
            message = f"duplicate {kind} id '{id}' (first used at {at})"
            yield Error(record.at("id"), message)


def check_references(ledger: Ledger) -> Iterator[Error]:
    """Forecasts name declared forecasters and sources; relations name questions."""
    declared = {
        "forecaster": {f.id for f in ledger.forecasters},
        "source": {s.id for s in ledger.sources},
        "question": {q.id for q in ledger.questions},
    }
    return reference_errors(ledger, declared)


def reference_errors(ledger: Ledger, declared: dict[str, set[str]]) -> Iterator[Error]:
    """The references `ledger`'s records make to ids that are not `declared`.

    `declared` holds the ids of each kind; `ledger` may be the whole ledger or
    only some of its records (see `validate_part`).
    """
    found = list(ledger.references)
    for question in ledger.questions:  # a built forecast's references are its fields
        for forecast in question.forecasts:
            if forecast.by not in declared["forecaster"]:
                found.append(("forecaster", forecast.by, forecast.at("by")))
            source = forecast.source
            if source is not None and source not in declared["source"]:
                found.append(("source", source, forecast.at("source")))
    for kind, id, where in found:
        if id not in declared[kind] and (kind, id) not in ledger.broken:
            hint = did_you_mean(id, sorted(declared[kind]))
            yield Error(where, f"{kind} '{id}' is not declared{hint}")


def check_relations(ledger: Ledger) -> Iterator[Error]:
    """An order relates two date questions; relations form no cycle."""
    questions = index(ledger)
    for question in ledger.questions:
        yield from relation_errors(question, questions)


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


def _before_outcome(forecast: Forecast, entry: Outcome) -> Error | None:
    """A forecast must be made before its outcome is known.

    Which line is to blame depends on which was written first: if the outcome
    was recorded before the forecast was even made, the forecast is the late
    addition; otherwise the outcome's `known` date is the suspect. A provisional
    or not-yet entry leaves the question open (see `rules`), so forecasts may
    follow it.
    """
    if entry.result.kind in _INTERIM:
        return None
    if forecast.made.earliest <= entry.known.latest:
        return None
    if entry.recorded.latest < forecast.made.earliest:
        return Error(
            forecast.at("made"),
            f"forecast made {forecast.made}, after its outcome was known on "
            f"{entry.known} (line {entry.location.line}); a forecast must come "
            "before the outcome",
        )
    return Error(
        entry.at("known"),
        f"outcome known {entry.known}, before the forecast at line "
        f"{forecast.location.line} was made ({forecast.made})",
    )


def _entered_early(forecast: Forecast) -> Error | None:
    """A forecast is entered in the ledger on or after the day it was made."""
    entered = forecast.entered
    if entered is None or entered.latest >= forecast.made.earliest:
        return None
    return Error(
        forecast.at("entered"),
        f"forecast entered {entered}, before it was made ({forecast.made}); a "
        "forecast is entered on or after the day it was made",
    )


def check_dates(ledger: Ledger) -> Iterator[Error]:
    """Forecasts precede the deadline, the outcome and their entry in the ledger.

    Outcomes are known, then recorded.
    """
    for question in ledger.questions:
        for forecast in question.forecasts:
            early = _entered_early(forecast)
            if early is not None:
                yield early
            if forecast.made.earliest > question.deadline.latest:
                yield Error(
                    forecast.at("made"),
                    f"forecast made {forecast.made}, after the question's deadline "
                    f"{question.deadline}",
                )
            for entry in question.outcomes:
                error = _before_outcome(forecast, entry)
                if error is not None:
                    yield error
        for entry in question.outcomes:
            if entry.known.earliest > entry.recorded.latest:
                yield Error(
                    entry.at("known"),
                    f"outcome known {entry.known}, after it was recorded on "
                    f"{entry.recorded}; an outcome cannot be written down before it "
                    "is known",
                )


_SETTLES: dict[str, tuple[str, ...]] = {
    # source: the question kinds its outcome can settle
    "manifold": ("binary",), "polymarket": ("binary",), "kalshi": ("binary",),
    "metaculus": ("binary", "date", "numeric"),
    "csv": ("binary", "date"), "json": ("binary", "date"),
    "github-release": ("binary", "date"),
}


def check_resolvers(ledger: Ledger) -> Iterator[Error]:
    """A resolver's source can settle its question's kind; order questions take none."""
    for question in ledger.questions:
        resolver = question.resolver
        if resolver is None:
            continue
        if question.order is not None:
            yield Error(
                resolver.location,
                "an order question resolves by itself from its two date questions; "
                "it takes no resolver",
            )
            continue
        kinds = _SETTLES[resolver.source]
        if question.kind not in kinds:
            yield Error(
                resolver.location,
                f"a {resolver.source} resolver settles {' and '.join(kinds)} "
                f"questions, not a {question.kind} one",
            )


def check_assessed(ledger: Ledger) -> Iterator[Error]:
    """A question assessed at its deadline has no final result known before it.

    Provisional and not-yet entries may come earlier, and so may void (a
    question can be annulled at any time).
    """
    for question in ledger.questions:
        if question.assess != "at-deadline":
            continue
        deadline = question.deadline
        for entry in question.outcomes:
            kind = entry.result.kind
            if kind in _INTERIM or kind == "void":
                continue
            if entry.known.latest < deadline.latest:
                yield Error(
                    entry.at("known"),
                    f"outcome '{entry.result}' known {entry.known}, before the "
                    f"deadline {deadline}: this question is assessed at its deadline "
                    "(assess: at-deadline), so its result is known only then"
                    + _EARLY_HINTS.get(question.kind, ""),
                )


def check_not_yet(ledger: Ledger) -> Iterator[Error]:
    """A not-yet entry comes by the deadline and contradicts no date recorded before."""
    for question in ledger.questions:
        entries = question.outcomes  # the loader sorts them by `recorded`
        for at, entry in enumerate(entries):
            if entry.result.kind != "not-yet":
                continue
            late = _past_deadline(question, entry)
            if late is not None:
                yield late
            yield from _contradicted(entry, entries[:at])


def _past_deadline(question: Question, entry: Outcome) -> Error | None:
    """A not-yet `entry` known after the deadline: that is a `no`."""
    if entry.known.earliest <= question.deadline.latest:
        return None
    return Error(
        entry.at("known"),
        f"not-yet known {entry.known}, after the deadline {question.deadline}: the "
        "event did not happen by the deadline, so record 'no'",
    )


def _contradicted(entry: Outcome, earlier: Sequence[Outcome]) -> Iterator[Error]:
    """A not-yet `entry` that says no to a date recorded before it."""
    for other in earlier:
        happened = other.result.value
        if isinstance(happened, When) and happened.latest <= entry.known.earliest:
            yield Error(
                entry.at("result"),
                f"not-yet as of {entry.known} contradicts the outcome "
                f"{other.result} recorded before it (line {other.location.line}): "
                "the event had happened by then; correct that outcome instead",
            )


def _words(text: str) -> str:
    """A quote compared without case or differences of spacing."""
    return " ".join(text.split()).casefold()


def check_skipped(ledger: Ledger) -> Iterator[Error]:
    """A claim is skipped once, and is either scored or skipped, not both.

    (Its `source` and `by` are checked with every other reference.)
    """
    first: dict[tuple[str, str], Skipped] = {}
    quoted: dict[str, tuple[Question, Forecast]] = {}
    if ledger.skipped:
        for question in ledger.questions:
            for forecast in question.forecasts:
                if forecast.quote is not None:
                    quoted.setdefault(_words(forecast.quote), (question, forecast))
    for entry in ledger.skipped:
        key = (_words(entry.quote), entry.source)
        earlier = first.setdefault(key, entry)
        if earlier is not entry:
            yield Error(
                entry.at("quote"),
                f"this quote from source '{entry.source}' is already skipped at "
                f"{_where(earlier.location, entry)}",
            )
            continue
        scored = quoted.get(key[0])
        if scored is not None:
            question, forecast = scored
            yield Error(
                entry.at("quote"),
                f"this quote is skipped and also scored: question '{question.id}' "
                f"quotes it at {_where(forecast.location, entry)}; remove one",
            )


def _where(location: Location, here: Skipped) -> str:
    """`line N` in the same file as `here`, else `PATH:N`."""
    if location.path == here.location.path:
        return f"line {location.line}"
    return str(location)


CHECKS: tuple[Check, ...] = (
    check_unique_ids,
    check_references,
    check_relations,
    check_dates,
    check_resolvers,
    check_assessed,
    check_not_yet,
    check_skipped,
)


_LAST: list[tuple[Ledger, list[Error]]] = []


def validate(ledger: Ledger) -> list[Error]:
    """Run every check, in order, and return all the errors found.

    The last ledger validated is remembered (records are immutable): a write
    checks the ledger its command has just checked, under its lock.
    """
    if _LAST and _LAST[0][0] is ledger:
        return list(_LAST[0][1])
    errors = [error for check in CHECKS for error in check(ledger)]
    _LAST[:] = [(ledger, errors)]
    return list(errors)


def validate_part(whole: Ledger, part: Ledger) -> list[Error] | None:
    """What `validate` would find in `whole` with the records of `part` changed.

    `whole` has no errors; `part` holds what an edit adds or changes (a
    question replaces the one with its id; a new one's id must be new) with
    its references and `broken`, and the ledger's `skipped`, all at their new
    lines. As the rest was clean, every error involves `part`: its references
    are checked against `whole`'s ids, its relations against its questions,
    its own dates, outcomes and quotes as `validate` checks them. None when a
    new forecaster's or source's id is taken.
    """
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
                  check_skipped):
        errors += check(part)
    return errors


def check(path: str) -> tuple[Ledger, list[Error]]:
    """Load and validate: the ledger and every error, sorted by file and line."""
    ledger, errors = load_file(path)
    errors = errors + validate(ledger)
    return ledger, sorted(errors, key=lambda e: e.location)
