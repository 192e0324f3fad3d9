"""Plan: what a source's reading means for the ledger, as proposed actions.

Each question with a resolver gets one action, and with `--crowd` maybe a
second one, the price to record:

- **resolve**: the source has a result the ledger lacks; append it.
- **crowd**: a price to record as the crowd forecaster's forecast (at most one
  a day per question, only while the question is open, and never on or after
  a known outcome).
- **pending**: the source has not resolved.
- **unchanged**: the ledger already has this outcome (or today's price).
- **conflict**: a person recorded a different outcome. `sync` never edits or
  removes an outcome and never appends beside a person's (`rules.by_person`),
  whatever the options; a person decides.
- **hidden**: the source withholds its result (Metaculus, see there).
- **error**: the source failed or answered with something unreadable.

A source that changes its mind after sync recorded it (a Kalshi amendment, a
Manifold re-resolution) gets a new `resolve`, appended after the old entry,
which stays in the history. `decide` is pure: `apply` runs it again on the
ledger it holds under the lock, so a second `--apply` appends nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ledger.core.dates import DateError, When, parse_when
from ledger.core.numbers import parse_probability
from ledger.core.rules import by_person, recorded_key, synced_from
from ledger.sync.reading import price_text

if TYPE_CHECKING:
    import datetime as dt
    from collections.abc import Callable

    from ledger.core.model import Question, Result
    from ledger.sync.reading import Reading

ACTIONS = ("resolve", "crowd", "pending", "unchanged", "conflict", "hidden", "error")
WRITES = ("resolve", "crowd")


@dataclass(frozen=True, slots=True)
class Action:
    """One line of `ledger sync`: what to do with one question, and why."""

    question: str
    source: str
    action: str
    result: str | None = None
    known: When | None = None
    p: float | None = None
    evidence: tuple[str, ...] = ()
    reason: str = ""
    raw: dict[str, Any] = field(default_factory=dict)
    crowd: str | None = None


def decide(
    question: Question, reading: Reading, today: dt.date, crowd: bool
) -> list[Action]:
    """The actions a reading calls for on `question` as of `today`."""
    resolver = question.resolver
    assert resolver is not None
    source = resolver.source

    def make(action: str, reason: str = "", **extra: Any) -> Action:
        return Action(
            question.id,
            source,
            action,
            reason=reason,
            evidence=reading.evidence,
            raw=reading.raw,
            **extra,
        )

    if reading.state in ("error", "hidden"):
        return [make(reading.state, reading.reason)]
    if reading.state == "pending":
        found = [make("pending", reading.reason)]
        price = _crowd(question, reading, today) if crowd else None
        return found + ([price] if price is not None else [])
    assert reading.result is not None and reading.known is not None
    return [_resolution(question, reading, today, make)]


def _resolution(
    question: Question, reading: Reading, today: dt.date, make: Callable[..., Action]
) -> Action:
    """resolve, unchanged, conflict or error for a source's result."""
    result, known = str(reading.result), reading.known
    assert known is not None
    extra = {"result": result, "known": known}
    people = [o for o in question.outcomes if by_person(o)]
    if people:
        latest = max(people, key=recorded_key)
        if same(latest.result, result, question.kind):
            why = f"a person recorded {latest.result} (line {latest.location.line})"
            return make("unchanged", why, **extra)
        why = (
            f"a person recorded {latest.result} (line {latest.location.line}); the "
            f"source says {result}: sync never overrules a person"
        )
        return make("conflict", why, **extra)
    synced = [o for o in question.outcomes if synced_from(o) is not None]
    if synced:
        latest = max(synced, key=recorded_key)
        if same(latest.result, result, question.kind):
            why = f"{latest.by} recorded {latest.result} (line {latest.location.line})"
            return make("unchanged", why, **extra)
    if known.earliest > today:
        why = f"the source dates it {known}, after today ({today}); sync again later"
        return make("error", why, **extra)
    late = [f for f in question.forecasts if f.made.earliest > known.latest]
    if late:
        why = (
            f"the forecast at line {late[0].location.line} was made {late[0].made}, "
            f"after the source's known date {known}; record this outcome by hand"
        )
        return make("error", why, **extra)
    why = "the source changed its result" if synced else ""
    return make("resolve", why, **extra)


def _crowd(question: Question, reading: Reading, today: dt.date) -> Action | None:
    """A crowd price to record today, or None when none is due."""
    resolver = question.resolver
    assert resolver is not None
    if resolver.crowd is None or reading.price is None:
        return None
    if today > question.deadline.latest:
        return None  # a forecast must be made by the deadline
    if any(
        o.result.kind != "provisional" and o.known.earliest <= today
        for o in question.outcomes
    ):
        return None  # never on or after a known outcome
    p = float(price_text(reading.price))
    action = Action(
        question.id,
        resolver.source,
        "crowd",
        p=p,
        crowd=resolver.crowd,
        evidence=reading.evidence,
        raw=reading.raw,
    )
    for forecast in question.forecasts:
        if forecast.by == resolver.crowd and forecast.made.earliest == today:
            why = f"{resolver.crowd} already has a price for {today} (line "
            why += f"{forecast.location.line})"
            return Action(
                question.id,
                resolver.source,
                "unchanged",
                p=p,
                crowd=resolver.crowd,
                reason=why,
                evidence=reading.evidence,
                raw=reading.raw,
            )
    return action


def same(recorded: Result, result: str, kind: str) -> bool:
    """Whether a recorded result says what `result` (ledger text) says."""
    word = result.strip().lower()
    if word in ("void", "ambiguous") or recorded.kind in ("void", "ambiguous"):
        return recorded.kind == word
    if kind == "date" and word != "no":
        try:
            when = parse_when(word)
        except DateError:
            return False
        value = recorded.value
        return isinstance(value, When) and (value.earliest, value.latest) == (
            when.earliest,
            when.latest,
        )
    if kind == "numeric":
        return recorded.kind == "number" and recorded.value == float(word)
    expected = {"yes": 1.0, "no": 0.0}.get(word)
    if expected is None:
        try:
            expected = parse_probability(word)
        except ValueError:
            return False
    return recorded.kind in ("yes", "no", "fraction") and recorded.value == expected


NOTE_PREFIX = "ledger sync from "
"""How the note of every entry `ledger sync` writes begins (`note`): a report
tells it from the keeper's notes by it."""


def note(action: Action) -> str:
    """The raw fields an action used, as one line: the new entry's note."""
    fields = ", ".join(f"{key}={_shown(value)}" for key, value in action.raw.items())
    return (
        f"{NOTE_PREFIX}{action.source}: {fields}"
        if fields
        else (f"{NOTE_PREFIX}{action.source}")
    )


def _shown(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
