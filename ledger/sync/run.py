"""Run: which questions a sync asks about, asking each source, and the plan.

A sync asks about every question that has a resolver (narrowed by `--only`
and `--source`) and is open or due as of today, or whose standing outcome was
recorded by sync itself (so a source that changes its mind is seen). A
question a person has resolved is left alone unless named with `--only`, which
then shows whether the source agrees (unchanged) or not (conflict). A source
that fails gives an `error` for its questions; the others go on.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ledger.core.rules import by_person, index, outcome, status
from ledger.sync import github, kalshi, manifold, metaculus, polymarket, series
from ledger.sync.http import FetchError
from ledger.sync.plan import Action, decide
from ledger.sync.reading import Reading, SourceError, failed

if TYPE_CHECKING:
    import datetime as dt

    from ledger.core.model import Ledger, Question, Resolver
    from ledger.sync.http import Client

Reader = Callable[["Client", "Resolver", "Question", "dt.date"], Reading]
READERS: dict[str, Reader] = {
    "manifold": manifold.read,
    "metaculus": metaculus.read,
    "polymarket": polymarket.read,
    "kalshi": kalshi.read,
    "csv": series.read_csv,
    "json": series.read_json,
    "github-release": github.read,
}


@dataclass(frozen=True, slots=True)
class Choice:
    """Which questions to sync: `--only` ids, `--source` names, and `--crowd`."""

    only: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    crowd: bool = False


def chosen(ledger: Ledger, today: dt.date, choice: Choice) -> list[Question]:
    """The questions a sync asks about, in file order."""
    questions = index(ledger)
    found = []
    for question in ledger.questions:
        resolver = question.resolver
        if resolver is None:
            continue
        if choice.only and question.id not in choice.only:
            continue
        if choice.sources and resolver.source not in choice.sources:
            continue
        standing = outcome(question, questions, today)
        state = status(question, standing, today)
        person = standing is not None and by_person(standing)
        if state in ("open", "due") or not person or choice.only:
            found.append(question)
    return found


def reading(client: Client, question: Question, today: dt.date) -> Reading:
    """What the question's source says; an error reading if it failed."""
    resolver = question.resolver
    assert resolver is not None
    try:
        return READERS[resolver.source](client, resolver, question, today)
    except FetchError as exc:
        return failed(str(exc))
    except SourceError as exc:
        return failed(f"{resolver.source}: {exc}")


def run(
    ledger: Ledger,
    client: Client,
    today: dt.date,
    choice: Choice,
    progress: Callable[[int], None] = lambda _: None,
) -> list[Action]:
    """Ask each chosen question's source, and plan the actions (in file order).

    `progress(n)` is called after each question with how many are done.
    """
    actions: list[Action] = []
    for done, question in enumerate(chosen(ledger, today, choice), start=1):
        actions += decide(
            question, reading(client, question, today), today, choice.crowd
        )
        progress(done)
    return actions
