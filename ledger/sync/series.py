"""Series: a value in a CSV or JSON document, checked against the resolver's rule.

**csv**: the first column (or `date:`) holds the observation dates (`2027-06-01`
or `2027-06`), `column` the values; an empty value, `.` (FRED's mark for a
missing observation) or `NA` is missing. FRED's graph CSV
(`fredgraph.csv?id=UNRATE`) has this shape. **json**: `path` finds the value
(`$.models[-1].horizon_minutes`) and `date_path`, if given, its date;
without one, the observation is dated the day of the sync.

A rule decides. With `on`, the observation on that date: yes if the rule
holds, no if not, pending while the observation is missing. Without `on`, the
first observation on or before the question's deadline that satisfies the
rule: yes (a date question: its date); no once a csv series has an
observation after the deadline and none before it held (a JSON document
shows one observation, so it never proves a no). `known` runs from the
observation's date to the day of the sync: a value is published some time
after the period it describes, and the sync only proves it by then.
"""

from __future__ import annotations

import csv
import io
import math
import operator
import re
from typing import TYPE_CHECKING, Any

from ledger.core.dates import DateError, When, parse_when
from ledger.sync.reading import Reading, SourceError, between, parse_json

if TYPE_CHECKING:
    import datetime as dt
    from collections.abc import Callable

    from ledger.core.model import Question, Resolver, Rule
    from ledger.sync.http import Client

OPS: dict[str, Callable[[float, float], bool]] = {
    ">=": operator.ge,
    ">": operator.gt,
    "<=": operator.le,
    "<": operator.lt,
    "==": operator.eq,
    "!=": operator.ne,
}
MISSING = frozenset({"", ".", "na", "n/a", "nan", "null", "#n/a"})
_STEP = re.compile(r"\.([A-Za-z_][A-Za-z0-9_-]*)|\[(-?\d+)\]|\[\"([^\"]*)\"\]")

Observation = tuple[When, float | None, str]
"""(its date, its value or None when missing, the value as written)."""


def read_csv(
    client: Client, resolver: Resolver, question: Question, today: dt.date
) -> Reading:
    """What the CSV series at `resolver.url` says, by the resolver's rule."""
    url = str(resolver.url)
    text = _text(client.get("csv", url).body)
    rows = list(csv.reader(io.StringIO(text)))
    if not rows or len(rows[0]) < 2:
        raise SourceError("the CSV has no header with a date and a value column")
    header = [name.strip() for name in rows[0]]
    column = str(resolver.column)
    date_name = resolver.date or header[0]
    for name in (date_name, column):
        if name not in header:
            raise SourceError(
                f"the CSV has no column {name!r} (columns: {', '.join(header)})"
            )
    at, value_at = header.index(date_name), header.index(column)
    observations: list[Observation] = []
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) <= max(at, value_at):
            raise SourceError(f"CSV line {number} has too few columns")
        observations.append(_observation(row[at], row[value_at], f"CSV line {number}"))
    observations.sort(key=lambda o: o[0].earliest)
    return decide(observations, resolver, question, today, (url,), one=False)


def read_json(
    client: Client, resolver: Resolver, question: Question, today: dt.date
) -> Reading:
    """What the JSON document at `resolver.url` says, by the resolver's rule."""
    url = str(resolver.url)
    document = parse_json(client.get("json", url).body, "the JSON source")
    value = find(document, str(resolver.path))
    if resolver.date_path is not None:
        found = find(document, resolver.date_path)
        if found is None:
            return Reading(
                "pending",
                evidence=(url,),
                raw={"date_path": None},
                reason=f"no date at {resolver.date_path} yet",
            )
        written = str(found)
    else:
        written = today.isoformat()
    shown = "" if value is None else str(value)
    observation = _observation(written, shown, str(resolver.path))
    return decide([observation], resolver, question, today, (url,), one=True)


def decide(
    observations: list[Observation],
    resolver: Resolver,
    question: Question,
    today: dt.date,
    evidence: tuple[str, ...],
    one: bool,
) -> Reading:
    """Apply the resolver's rule to the observations (in date order)."""
    rule = resolver.rule
    if rule is None:
        raise SourceError("the resolver has no rule")
    if rule.on is not None:
        return _on(observations, rule, rule.on, today, evidence)
    deadline = question.deadline.latest
    for when, value, written in observations:
        if when.earliest > deadline:
            break
        if value is not None and OPS[rule.op](value, rule.value):
            raw = {"date": str(when), "value": written}
            result = when.earliest.isoformat() if question.kind == "date" else "yes"
            if question.kind == "date" and not when.exact:
                result = str(when)
            return Reading(
                "resolved",
                result=result,
                known=_known(when, today),
                evidence=evidence,
                raw=raw,
            )
    after = [o for o in observations if o[0].earliest > deadline]
    if after and not one:
        when, _, written = after[0]
        raw = {"date": str(when), "value": written, "deadline": str(question.deadline)}
        return Reading(
            "resolved",
            result="no",
            known=_known(when, today),
            evidence=evidence,
            raw=raw,
        )
    return Reading(
        "pending",
        evidence=evidence,
        raw=_last(observations),
        reason=f"the rule {rule.op} {rule.value:g} has not held yet",
    )


def _on(
    observations: list[Observation],
    rule: Rule,
    on: When,
    today: dt.date,
    evidence: tuple[str, ...],
) -> Reading:
    """The observation dated within `on` decides the rule."""
    inside = [o for o in observations if on.earliest <= o[0].earliest <= on.latest]
    if not inside:
        return Reading(
            "pending",
            evidence=evidence,
            raw=_last(observations),
            reason=f"no observation for {on} yet",
        )
    when, value, written = inside[-1]
    raw = {"date": str(when), "value": written}
    if value is None:
        return Reading(
            "pending",
            evidence=evidence,
            raw=raw,
            reason=f"the observation for {when} is missing ({written!r})",
        )
    result = "yes" if OPS[rule.op](value, rule.value) else "no"
    return Reading(
        "resolved", result=result, known=_known(when, today), evidence=evidence, raw=raw
    )


def _known(when: When, today: dt.date) -> When:
    return between(min(when.earliest, today), today)


def _last(observations: list[Observation]) -> dict[str, Any]:
    if not observations:
        return {"observations": 0}
    when, _, written = observations[-1]
    return {"last_date": str(when), "last_value": written}


def _observation(date_text: str, value_text: str, where: str) -> Observation:
    """One observation, read; SourceError on a date or number that does not read."""
    try:
        when = parse_when(date_text.strip()[:10])
    except DateError:
        raise SourceError(f"{where}: {date_text!r} is not a date") from None
    written = value_text.strip()
    if written.lower() in MISSING:
        return when, None, written
    try:
        value = float(written)
    except ValueError:
        raise SourceError(f"{where}: {written!r} is not a number") from None
    if not math.isfinite(value):
        raise SourceError(f"{where}: {written!r} is not a finite number")
    return when, value, written


def find(document: Any, path: str) -> Any:
    """The value at `path` (`$.a.b[-1]["c d"]`) in a JSON document, or None.

    >>> find({"models": [{"h": 1}, {"h": 2}]}, "$.models[-1].h")
    2
    """
    current = document
    for key, index, quoted in _STEP.findall(path[1:]):
        if index:
            if not isinstance(current, list) or not -len(current) <= int(index) < len(
                current
            ):
                return None
            current = current[int(index)]
            continue
        name = key or quoted
        if not isinstance(current, dict) or name not in current:
            return None
        current = current[name]
    return current


def _text(body: bytes) -> str:
    try:
        return body.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise SourceError("the CSV is not UTF-8 text") from None
