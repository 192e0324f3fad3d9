"""Grading: the outcome that stands on a judged question, from its judges' gradings.

A question may name its judges (`judges: [alice, bob]`) and how their gradings
combine (`grading:`, majority by default). Each judge's grading is an outcome
entry with `by: JUDGE` (yes, no, a fraction, ambiguous or void); a judge's
latest entry that counts (see `core.rules.counted_entries`) is their grading.

- **majority**: the grading given by more judges than any other; a tie gives
  ambiguous (so does a majority of ambiguous; a majority of void gives void).
  A fraction is a grading of its own (0.5 and 0.6 are two gradings).
- **unanimous**: the judges' common grading; any disagreement gives ambiguous.
- **mean**: the mean of the yes (1), no (0) and fraction gradings, as a
  fractional outcome (yes when it is 1, no when 0); ambiguous and void
  gradings are left out of the mean, and with no other grading the outcome
  is void if every judge graded void, else ambiguous.

A question is **disputed** when its judges' gradings are not all the same.
Questions without judges keep the rule of `core.rules`: the latest entry stands.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ledger.core.model import Error, Grading, Outcome, Question, Result
from ledger.core.text import exact, number, plural

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator, Sequence


RULES: dict[Grading, str] = {
    "majority": "the grading most judges gave; a tie gives ambiguous",
    "unanimous": "the judges' common grading; any disagreement gives ambiguous",
    "mean": "the mean of the yes (1), no (0) and partial gradings, as partial credit",
}
"""Each combination rule in a few words (the reports and `ledger judges` show it)."""

GRADED = frozenset({"yes", "no", "fraction", "ambiguous", "void"})
"""The results a judge's grading may give."""


def rule(question: Question) -> Grading:
    """The question's combination rule: as written, else majority."""
    return question.grading or "majority"


def latest(question: Question, entries: Iterable[Outcome]) -> dict[str, Outcome]:
    """Each judge's grading among `entries`: their latest recorded, by judge.

    `entries` are the question's entries that count, in recorded order (as
    `core.rules.recorded_key` sorts them); entries by others, and interim
    ones, are no gradings.
    """
    judges = set(question.judges)
    found: dict[str, Outcome] = {}
    for entry in entries:
        if entry.by in judges and entry.result.kind in GRADED:
            found[entry.by] = entry
    return {judge: found[judge] for judge in question.judges if judge in found}


def vote(result: Result) -> str:
    """What a grading says, as a comparable text: yes, no, ambiguous, void or 0.5."""
    if result.kind == "fraction" and isinstance(result.value, float):
        return exact(result.value)
    return result.kind


def disputed(gradings: Iterable[Outcome]) -> bool:
    """Whether the gradings differ."""
    return len({vote(g.result) for g in gradings}) > 1


def combine(how: Grading, results: Sequence[Result]) -> Result:
    """The combined result of one or more gradings under rule `how`."""
    if how == "mean":
        return _mean(results)
    votes = [vote(r) for r in results]
    counts = sorted(((votes.count(v), v) for v in set(votes)), reverse=True)
    if how == "unanimous" and len(counts) > 1:
        return _AMBIGUOUS
    if len(counts) > 1 and counts[0][0] == counts[1][0]:
        return _AMBIGUOUS  # a tie
    return results[votes.index(counts[0][1])]


_AMBIGUOUS = Result("ambiguous", None, "ambiguous")


def _mean(results: Sequence[Result]) -> Result:
    values = [r.value for r in results if isinstance(r.value, float)]
    if not values:
        void = all(r.kind == "void" for r in results)
        return Result("void", None, "void") if void else _AMBIGUOUS
    mean = sum(values) / len(values)
    if mean == 1.0:
        return Result("yes", mean, "yes")
    if mean == 0.0:
        return Result("no", mean, "no")
    return Result("fraction", mean, number(mean))


def standing(question: Question, counted: Sequence[Outcome]) -> Outcome | None:
    """The combined outcome of a judged question from the entries that count.

    None while no judge has graded it. The combined entry is derived: it sits
    at the latest grading's place, is known and recorded when the last of the
    gradings was, and says in `derived` how it was combined.
    """
    gradings = latest(question, counted)
    if not gradings:
        return None
    how = rule(question)
    result = combine(how, [g.result for g in gradings.values()])
    return Outcome(
        location=last_of(gradings).location,
        result=result,
        known=max(gradings.values(), key=lambda g: g.known.latest).known,
        recorded=last_of(gradings).recorded,
        derived=explained(question, gradings),
    )


def last_of(gradings: dict[str, Outcome]) -> Outcome:
    """The grading recorded last."""
    return max(gradings.values(), key=lambda g: (g.recorded.latest, g.location.line))


def explained(question: Question, gradings: dict[str, Outcome]) -> str:
    """How a combined outcome came about: the rule, each grading, a dispute.

    >>> from ledger.core.model import Location
    >>> from ledger.core.dates import parse_when
    >>> day = parse_when("2028-01-05")
    >>> q = Question(location=Location("x", 1), id="q", title="t", criteria="c",
    ...              kind="binary", deadline=day, judges=("bob", "cy"))
    >>> g = {j: Outcome(location=Location("x", 9), result=Result(r, None, r),
    ...                 known=day, recorded=day, by=j) for j, r in
    ...      (("bob", "yes"), ("cy", "no"))}
    >>> explained(q, g)
    'majority of 2 judges: bob yes, cy no; disputed'
    >>> explained(q, {"bob": g["bob"]})
    'majority of 1 of 2 judges so far: bob yes'
    """
    parts = ", ".join(f"{judge} {g.result}" for judge, g in gradings.items())
    of = len(question.judges)
    if of == 1:
        return f"its single judge: {parts}"
    graded = "" if len(gradings) == of else f"{len(gradings)} of "
    why = f"{rule(question)} of {graded}{plural(of, 'judge')}"
    why += " so far" if graded else ""
    return f"{why}: {parts}" + ("; disputed" if disputed(gradings.values()) else "")


def problems(question: Question) -> Iterator[Error]:
    """What is wrong with a question's judges and gradings (`validate` reports it).

    Its judges' own references (declared forecasters) are checked with every
    other reference, in `validate.check_references`.
    """
    judges = question.judges
    if not judges:
        if question.grading is not None:
            yield Error(question.at("grading"), "'grading' says how judges' gradings "
                        "combine, but this question has no judges")
        return
    yield from _judges(question)
    named = ", ".join(dict.fromkeys(judges))
    day: dict[tuple[str, object], Outcome] = {}
    for entry in question.outcomes:
        if entry.result.kind == "provisional" and entry.by not in judges:
            continue  # a market's price, not a grading
        if entry.by not in judges:
            who = "this outcome has no 'by'" if entry.by is None else (
                f"'{entry.by}' is not a judge of this question")
            yield Error(entry.at("by"), f"{who}; a judged question's outcomes are "
                        f"its judges' gradings ({named}), each with by: JUDGE")
        elif entry.result.kind not in GRADED:
            yield Error(entry.at("result"), f"judge '{entry.by}' grades yes, no, a "
                        f"fraction, ambiguous or void, not '{entry.result}'")
        else:
            earlier = day.setdefault((entry.by, entry.recorded), entry)
            if vote(earlier.result) != vote(entry.result):
                yield Error(entry.at("result"), f"judge '{entry.by}' graded this "
                            f"question {earlier.result} at line {earlier.location.line}"
                            f" and {entry.result} on the same day ({entry.recorded}); "
                            "keep one grading a day")


def _judges(question: Question) -> Iterator[Error]:
    """A judged question's own problems: its kind, its list, its forecasters."""
    where = question.at("judges")
    if question.kind != "binary":
        kind = question.kind
        yield Error(where, f"only a binary question is judged, not a {kind} one")
    forecasters = {f.by for f in question.forecasts}
    for i, judge in enumerate(question.judges):
        if judge in question.judges[:i]:
            yield Error(where, f"judge '{judge}' is listed twice")
        elif judge in forecasters:
            yield Error(where, f"judge '{judge}' forecasts on this question; a judge "
                        "never grades a question they forecast on")
