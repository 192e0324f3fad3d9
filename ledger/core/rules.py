"""The ledger's rules, each stated once: which forecast stands, which outcome stands.

- **Standing forecast.** A forecaster's standing forecast on a question is their
  last forecast made on or before the question's deadline (and, as of a date, on
  or before that date), ordered by `made` (earliest reading, then latest
  reading, then line in the file). Earlier
  forecasts by the same forecaster are updates it replaced: they stay in the
  file and in `ledger list`, but are not scored as questions of their own.
- **Standing outcome.** Outcomes are an append-only history. As of a date, the
  entries that count are those known on or before it (with `as_recorded`, also
  recorded on or before it: the view that could have been published that day);
  of those, the latest recorded (then the last in the file) stands. Earlier
  entries stay visible. A `not-yet` entry never stands (see below).
- **A judged question** (one with `judges:`) is the exception: its standing
  outcome is the combination, by the question's `grading:` rule, of each
  judge's latest grading among the entries that count (`core.grading`:
  majority by default, unanimous, mean); until a judge grades it, the rule
  above applies to its other entries (a market's provisional price).
- **Not yet.** A `not-yet` entry on a date question says that the event had
  not happened as of its `known` date (its earliest reading). It is an interim
  observation, not a result: it leaves the question open (or due), and it
  counts only while no final result stands, that is while the standing outcome
  is missing or provisional. Then the latest such date among the entries that
  count (`not_yet`) closes every window that ended on or before it: each is a
  miss, with a timing error that is a lower bound. A final result (a date,
  `no`, void, ambiguous), once it stands, decides every window and the not-yet
  entries are history. A not-yet entry known after the deadline is refused
  (record `no`), and so is one that contradicts a recorded date (`validate`).
- **Derived outcomes.** A question with a `condition` is void once its
  condition resolves no (or void). An `order` question resolves by itself from
  its two date questions: yes when `after` happened strictly later than
  `before`, no when it happened on the same day or earlier, void when either is
  void, ambiguous when both closed without a date or their dates overlap.
- **A person's outcome.** An outcome entry whose `by` is not `sync:SOURCE`
  (including one with no `by`) was recorded by a person, and no machine ever
  overrules it: `ledger sync` appends nothing beside it and reports a conflict
  when its source disagrees. A provisional entry is a price, not a verdict.
- **Status.** `resolved`, `void` (void or ambiguous), `due` (deadline passed,
  no outcome yet), or `open`. A provisional outcome leaves a question open, and
  so does a not-yet entry.
- **Existence.** A question exists from its `written` date, or, without one,
  from the day its first forecast was made (`exists_from`); a scorecard of an
  earlier day does not show it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from ledger.core import grading
from ledger.core.dates import When
from ledger.core.model import Forecast, Ledger, Order, Outcome, Question, Result

if TYPE_CHECKING:
    import datetime as dt
    from collections.abc import Iterable, Mapping, Sequence

    from ledger.core.model import Location

Status = Literal["open", "due", "resolved", "void"]
STATUSES: tuple[Status, ...] = ("open", "due", "resolved", "void")
_CLOSED_VOID = frozenset({"void", "ambiguous"})


def index(ledger: Ledger) -> dict[str, Question]:
    """Questions by id (the first declared, if an id is duplicated)."""
    found: dict[str, Question] = {}
    for question in ledger.questions:
        found.setdefault(question.id, question)
    return found


def made_key(forecast: Forecast) -> tuple[dt.date, dt.date, int]:
    """The order of forecasts: by `made` (earliest, then latest reading), then line."""
    return (forecast.made.earliest, forecast.made.latest, forecast.location.line)


def recorded_key(entry: Outcome) -> tuple[dt.date, dt.date, int]:
    """The order of outcomes: by `recorded` (earliest, then latest), then line."""
    return (entry.recorded.earliest, entry.recorded.latest, entry.location.line)


def timely(
    question: Question,
    as_of: dt.date | None = None,
    entered: Mapping[Location, dt.date] | None = None,
) -> tuple[Forecast, ...]:
    """The forecasts that can count, in order of `made`.

    Those made on or before the deadline and, given `as_of`, possibly made by
    then (earliest reading), so that an as-of view never sees a forecast that
    did not exist yet. Given `entered` (the day each forecast was first
    entered in the ledger, by its location: the as-recorded view), a forecast
    entered after `as_of` does not count either; one missing from `entered`
    counts.
    """
    last_day = question.deadline.latest
    if as_of is not None:
        last_day = min(last_day, as_of)
    counted = (f for f in question.forecasts if f.made.earliest <= last_day)
    if entered is not None and as_of is not None:
        counted = (f for f in counted if entered.get(f.location, as_of) <= as_of)
    return tuple(sorted(counted, key=made_key))


def standing_forecasts(
    question: Question,
    as_of: dt.date | None = None,
    entered: Mapping[Location, dt.date] | None = None,
) -> tuple[Forecast, ...]:
    """Each forecaster's standing forecast on `question` (as of `as_of`), by `made`.

    `entered` is `timely`'s: the as-recorded view.
    """
    return standing_among(timely(question, as_of, entered))


def standing_among(counted: Sequence[Forecast]) -> tuple[Forecast, ...]:
    """The standing forecasts among `counted`: each forecaster's last, in order.

    `counted` holds the timely forecasts of one question in order of `made`
    (see `timely`).
    """
    last = {f.by: f for f in counted}
    return tuple(f for f in counted if last[f.by] is f)


def counted_entries(
    question: Question, as_of: dt.date, *, as_recorded: bool = False
) -> list[Outcome]:
    """The entries of the question's outcome history that count as of `as_of`.

    Those known by then (latest reading); with `as_recorded`, also recorded by
    then, so that only what was written down that day counts.
    """
    return [
        o
        for o in question.outcomes
        if o.known.latest <= as_of and (not as_recorded or o.recorded.latest <= as_of)
    ]


def recorded_outcome(
    question: Question, as_of: dt.date, *, as_recorded: bool = False
) -> Outcome | None:
    """The standing entry of the question's own outcome history as of `as_of`.

    The latest recorded of the entries that count, not-yet entries aside; on
    a judged question, the combination of its judges' gradings.
    """
    if not question.outcomes:  # most questions, in a big ledger
        return None
    known = [
        o
        for o in question.outcomes
        if o.known.latest <= as_of
        and o.result.kind != "not-yet"
        and (not as_recorded or o.recorded.latest <= as_of)
    ]
    if question.judges:
        combined = grading.standing(question, known)
        if combined is not None:
            return combined
        known = [o for o in known if o.result.kind == "provisional"]
    if not known:
        return None
    return max(known, key=recorded_key)


def not_yet(
    question: Question,
    standing: Outcome | None,
    as_of: dt.date,
    *,
    as_recorded: bool = False,
) -> dt.date | None:
    """The last day the event is known not to have happened, while no result stands.

    The latest `known` day (earliest reading) of the not-yet entries that count
    as of `as_of`; None when there is none, or when a final result stands
    (`standing` is the question's standing outcome: only None or a
    provisional one leaves room for an interim observation).
    """
    if standing is not None and standing.result.kind != "provisional":
        return None
    days = [
        o.known.earliest
        for o in counted_entries(question, as_of, as_recorded=as_recorded)
        if o.result.kind == "not-yet"
    ]
    return max(days, default=None)


def exists_from(question: Question) -> dt.date | None:
    """The first day `question` existed: its `written` date, else its first forecast.

    The earliest reading of either; None for a question with neither (it is
    taken to have always existed).
    """
    if question.written is not None:
        return question.written.earliest
    return min((f.made.earliest for f in question.forecasts), default=None)


def exists(question: Question, day: dt.date) -> bool:
    """Whether `question` existed on `day` (see `exists_from`)."""
    start = exists_from(question)
    return start is None or start <= day


def _derived(
    question: Question, result: Result, sources: Iterable[Outcome], why: str
) -> Outcome:
    parts = list(sources)
    known = max(parts, key=lambda o: o.known.latest).known
    recorded = max(parts, key=lambda o: o.recorded.latest).recorded
    return Outcome(
        location=question.location,
        result=result,
        known=known,
        recorded=recorded,
        derived=why,
    )


def _order_result(before: Outcome, after: Outcome) -> Result:
    """An order question's result from the outcomes of its two date questions."""
    kinds = (before.result.kind, after.result.kind)
    if kinds[0] in _CLOSED_VOID or kinds[1] in _CLOSED_VOID:
        return Result("void", None, "void")
    first, second = before.result.value, after.result.value
    if isinstance(first, When) and isinstance(second, When):
        return _dates_in_order(first, second)
    if isinstance(first, When) and kinds[1] == "no":
        return Result("yes", 1.0, "yes")  # `after` did not happen by its deadline
    if isinstance(second, When) and kinds[0] == "no":
        return Result("no", 0.0, "no")  # `after` happened; `before` never did
    return Result("ambiguous", None, "ambiguous")


def _dates_in_order(first: When, second: When) -> Result:
    """Yes if `second` is strictly later than `first`, no if not; ambiguous if both."""
    if second.earliest > first.latest:
        return Result("yes", 1.0, "yes")
    if second.latest <= first.earliest:
        return Result("no", 0.0, "no")
    return Result("ambiguous", None, "ambiguous")


def outcome(
    question: Question,
    questions: Mapping[str, Question],
    as_of: dt.date,
    _seen: frozenset[str] = frozenset(),
    *,
    as_recorded: bool = False,
) -> Outcome | None:
    """The outcome that stands for `question` as of `as_of`, derived or recorded.

    With `as_recorded`, only entries recorded by `as_of` count (here and in the
    questions it derives from).
    """
    if question.id in _seen:  # a cycle; `validate` reports it
        return None
    seen = _seen | {question.id}
    if question.condition and question.condition in questions:
        condition = outcome(
            questions[question.condition], questions, as_of, seen,
            as_recorded=as_recorded,
        )
        if condition is not None and condition.result.kind in _CLOSED_VOID | {"no"}:
            why = (
                f"void because its condition '{question.condition}' resolved "
                f"{condition.result}"
            )
            return _derived(question, Result("void", None, "void"), [condition], why)
    if question.order is not None:
        return _ordered(question, question.order, questions, (as_of, as_recorded), seen)
    return recorded_outcome(question, as_of, as_recorded=as_recorded)


def _ordered(
    question: Question,
    order: Order,
    questions: Mapping[str, Question],
    view: tuple[dt.date, bool],
    seen: frozenset[str],
) -> Outcome | None:
    """An order question's derived outcome, once both its questions have one.

    `view` is (as_of, as_recorded), as `outcome` takes them.
    """
    first, second = questions.get(order.before), questions.get(order.after)
    if first is None or second is None:
        return None
    as_of, as_recorded = view
    before = outcome(first, questions, as_of, seen, as_recorded=as_recorded)
    after = outcome(second, questions, as_of, seen, as_recorded=as_recorded)
    if before is None or after is None:
        return None
    why = (
        f"derived from '{order.before}' ({before.result}) and "
        f"'{order.after}' ({after.result})"
    )
    return _derived(question, _order_result(before, after), [before, after], why)


SYNC_BY = "sync:"
"""The prefix of an outcome's `by` when `ledger sync` recorded it: `sync:manifold`."""


def synced_from(entry: Outcome) -> str | None:
    """The source an outcome was synced from (`sync:kalshi` → kalshi), or None."""
    by = entry.by or ""
    return by[len(SYNC_BY):] if by.startswith(SYNC_BY) else None


def by_person(entry: Outcome) -> bool:
    """Whether a person recorded this outcome: its `by` is not `sync:SOURCE`.

    A provisional entry (a market price on an open question) is no verdict,
    so it is never a person's outcome in this sense.
    """
    return entry.result.kind != "provisional" and synced_from(entry) is None


def status(question: Question, standing: Outcome | None, as_of: dt.date) -> Status:
    """Where a question stands as of `as_of`, given its standing outcome."""
    if standing is None or standing.result.kind == "provisional":
        return "due" if as_of > question.deadline.latest else "open"
    if standing.result.kind in _CLOSED_VOID:
        return "void"
    return "resolved"
