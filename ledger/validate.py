"""Validate: checks across records, each a small generator; CHECKS runs them in order.

`load` has already checked every field on its own. The checks here need more
than one record: unique ids, references that resolve, relations between
questions, and dates that must come in order. They enforce the invariants the
README lists under "The file format".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Sequence

from ledger.core import grading
from ledger.core.dates import When
from ledger.core.model import (
    Error,
    Forecast,
    Forecaster,
    Ledger,
    Location,
    Outcome,
    Question,
    Skipped,
    Source,
)
from ledger.core.relations import relation_errors
from ledger.core.rules import index, outcome
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
    only some of its records (see `record.part.validate_part`).
    """
    found = list(ledger.references)
    for question in ledger.questions:  # a built forecast's references are its fields
        for forecast in question.forecasts:
            if forecast.by not in declared["forecaster"]:
                found.append(("forecaster", forecast.by, forecast.at("by")))
            source = forecast.source
            if source is not None and source not in declared["source"]:
                found.append(("source", source, forecast.at("source")))
        judged = question.at("judges")
        found += (("forecaster", judge, judged) for judge in question.judges)
    for kind, id, where in found:
        if id not in declared[kind] and (kind, id) not in ledger.broken:
            hint = did_you_mean(id, sorted(declared[kind]))
            yield Error(where, f"{kind} '{id}' is not declared{hint}")


def check_relations(ledger: Ledger) -> Iterator[Error]:
    """An order relates two date questions; relations form no cycle."""
    questions = index(ledger)
    for question in ledger.questions:
        yield from relation_errors(question, questions)


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


def check_settled(ledger: Ledger) -> Iterator[Error]:
    """Nothing reopens a settled question: a late date, price or order forecast."""
    questions = index(ledger)
    for question in ledger.questions:
        final: Outcome | None = None
        for entry in question.outcomes:  # the loader sorts them by `recorded`
            happened = entry.result.value
            if isinstance(happened, When) and happened.earliest > entry.known.latest:
                yield Error(
                    entry.at("result"),
                    f"the event's date {happened} is after the day the outcome was "
                    f"known ({entry.known}); it cannot be known before it happened",
                )
            if entry.result.kind == "provisional" and final is not None:
                yield Error(
                    entry.at("result"),
                    f"a provisional price recorded {entry.recorded}, after the final "
                    f"outcome '{final.result}' (line {final.location.line}); a price "
                    "cannot reopen a resolved question",
                )
            if final is None and entry.result.kind not in _INTERIM:
                final = entry
        if question.order is not None:
            yield from _ordered_late(question, questions)


def _ordered_late(
    question: Question, questions: dict[str, Question]
) -> Iterator[Error]:
    """Forecasts on an order question made on or after its outcome was known."""
    settled = outcome(question, questions, dt.date.max)
    if settled is None or question.order is None:
        return
    parts = (question.order.before, question.order.after)
    if any(
        (found := outcome(questions[id], questions, dt.date.max)) is None
        or found.result.kind in _INTERIM
        for id in parts
    ):
        return
    for forecast in question.forecasts:
        if forecast.made.earliest >= settled.known.latest:
            yield Error(
                forecast.at("made"),
                f"forecast made {forecast.made}, on or after the day this order "
                f"question's outcome was known ({settled.known}: '{parts[0]}' and "
                f"'{parts[1]}' had resolved); a forecast must come before the outcome",
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


def check_judges(ledger: Ledger) -> Iterator[Error]:
    """Judged questions: their judges and gradings (see `core.grading`)."""
    for question in ledger.questions:
        yield from grading.problems(question)


CHECKS: tuple[Check, ...] = (
    check_unique_ids,
    check_references,
    check_relations,
    check_dates,
    check_resolvers,
    check_assessed,
    check_not_yet,
    check_settled,
    check_skipped,
    check_judges,
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


def check(path: str, keys: list[str] | None = None) -> tuple[Ledger, list[Error]]:
    """Load and validate: the ledger and every error, sorted by file and line.

    `keys` receives the parse cache's key of every file read (`load_file`).
    """
    ledger, errors = load_file(path, keys=keys)
    errors = errors + validate(ledger)
    return ledger, sorted(errors, key=lambda e: e.location)
