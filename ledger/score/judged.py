"""Judged: a ledger's judged questions as of a day, their disputes, what rests on them.

- `gradings`: each judged question's judges' gradings known by the as-of day
  (their latest), the votes table that `score.agreement` reads, and the
  combined outcome (`core.rules.outcome`).
- `disputed`: the questions whose judges' gradings differ, each grading with
  its note.
- `sensitivity`: each forecaster's mean Brier over the judged questions under
  each judge's gradings alone (the questions that judge graded yes, no or with
  a fraction) and under the combined outcome, so a reader sees how much a track
  record depends on who judged. A forecaster's standing probability as of the
  day is scored; ambiguous and void gradings, and unscorable questions, score
  nothing.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ledger.core import grading, rules
from ledger.score.agreement import Agreement, agreement, numeric

if TYPE_CHECKING:
    import datetime as dt

    from ledger.core.model import Ledger, Outcome, Question


@dataclass(frozen=True, slots=True)
class Judged:
    """One judged question as of a day: each judge's grading and the combination."""

    question: Question
    gradings: dict[str, Outcome]
    combined: Outcome | None

    @property
    def disputed(self) -> bool:
        """Whether the judges' gradings differ."""
        return grading.disputed(self.gradings.values())


@dataclass(frozen=True, slots=True)
class Sensitivity:
    """A forecaster's mean Brier under one reading of the judged questions."""

    forecaster: str
    under: str  # a judge's id, or "combined"
    n: int
    brier: float


@dataclass(frozen=True, slots=True)
class Judges:
    """What `ledger judges` reports."""

    judges: tuple[str, ...]
    questions: tuple[Judged, ...]
    agreement: Agreement
    sensitivity: tuple[Sensitivity, ...]

    @property
    def disputed(self) -> tuple[Judged, ...]:
        """The questions whose judges' gradings differ."""
        return tuple(q for q in self.questions if q.disputed)


def gradings(
    ledger: Ledger, as_of: dt.date, *, as_recorded: bool = False
) -> tuple[Judged, ...]:
    """Every judged question, with its judges' gradings known by `as_of`.

    With `as_recorded`, only gradings recorded by then count.
    """
    questions = rules.index(ledger)
    found = []
    for question in ledger.questions:
        if question.judges:
            counted = rules.counted_entries(question, as_of, as_recorded=as_recorded)
            latest = grading.latest(question, counted)
            combined = rules.outcome(
                question, questions, as_of, as_recorded=as_recorded)
            found.append(Judged(question, latest, combined))
    return tuple(found)


def judges_of(judged: tuple[Judged, ...]) -> tuple[str, ...]:
    """Every judge, in the order first named."""
    return tuple(dict.fromkeys(j for q in judged for j in q.question.judges))


def votes(
    judged: tuple[Judged, ...], judges: tuple[str, ...]
) -> list[list[str | None]]:
    """The votes table: a row per question, a column per judge (None: not graded)."""
    return [
        [grading.vote(q.gradings[j].result) if j in q.gradings else None
         for j in judges]
        for q in judged
    ]


def sensitivity(judged: tuple[Judged, ...], judges: tuple[str, ...],
                as_of: dt.date) -> tuple[Sensitivity, ...]:
    """Each forecaster's mean Brier under each judge alone and combined."""
    scores: dict[tuple[str, str], list[float]] = {}
    for q in judged:
        if q.question.unscorable:
            continue  # listed, never scored
        readings = {j: numeric(grading.vote(g.result)) for j, g in q.gradings.items()}
        combined = q.combined
        if combined is not None and combined.result.kind != "provisional":
            readings["combined"] = numeric(grading.vote(combined.result))
        for forecast in rules.standing_forecasts(q.question, as_of):
            if forecast.p is None:
                continue
            for under, outcome in readings.items():
                if not math.isnan(outcome):
                    scores.setdefault((forecast.by, under), []).append(
                        (forecast.p - outcome) ** 2)
    forecasters = sorted({by for by, _ in scores})
    return tuple(
        Sensitivity(by, under, len(found), sum(found) / len(found))
        for by in forecasters
        for under in (*judges, "combined")
        if (found := scores.get((by, under)))
    )


def judges(ledger: Ledger, as_of: dt.date, *, as_recorded: bool = False) -> Judges:
    """The judges' agreement, disputes and the sensitivity of scores, as of `as_of`.

    With `as_recorded`, only gradings recorded by then count.
    """
    judged = gradings(ledger, as_of, as_recorded=as_recorded)
    names = judges_of(judged)
    return Judges(
        judges=names,
        questions=judged,
        agreement=agreement(names, votes(judged, names)),
        sensitivity=sensitivity(judged, names, as_of),
    )
