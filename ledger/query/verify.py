"""Tamper evidence from git: when each forecast was first committed, and what changed.

`ledger verify` takes the ledger file's own git history (`ledger.query.history`:
every committed version, oldest first) and loads every version with
`load.load_text`. A version that does not load is skipped, with a warning.

**Identity.** A forecast is identified by the triple (question id, forecaster
id, ordinal), where the ordinal (1, 2, ...) counts that forecaster's forecasts
on that question in file order. Forecasts are appended, never rewritten, so in
an honest history a forecast keeps its ordinal from the commit that first
recorded it onwards. Deleting or reordering a forecaster's forecasts shifts the
ordinals after it, which shows up as changed or removed forecasts: that is
tampering too.

**Findings.**

- *changed* (error): a forecast's claim (`p`, the `window` text, `quote`, or
  the `made` text) differs from the one it had when first committed; each
  change is reported with its field, old and new value, and the commit that
  made it (or the working tree, when the change is not committed yet).
- *removed* (error): a committed forecast is missing from a later version.
- *backdated* (error): a forecast was first committed on a day later than the
  `known` date (latest reading) of an outcome of its question that was already
  in that commit or an earlier one. Provisional results (market prices on an
  open question) and not-yet entries leave the question open: they are not
  outcomes known, and do not count.
- *late* (warning): a forecast's `made` date (latest reading) is more than
  `threshold_days` days before the day it was first committed.
- *did not load* (warning): a committed version of the file that does not load.

Dates are committer dates, as ISO days in the committer's time zone. A forecast
in the working-tree file that no commit holds is "not committed yet". The
first commit of a forecast is the first version that loads and holds it.

This module compares versions and returns findings; `history` runs `git`,
`ledger.show.verify` writes the findings as text or JSON, and `cli` prints
them and exits.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal, NamedTuple

from ledger.core.model import Forecast, Ledger
from ledger.loader.load import load_text
from ledger.loader.nodes import decode

if TYPE_CHECKING:
    import datetime as dt
    from collections.abc import Iterable

    from ledger.query.history import Commit, Snapshot

Level = Literal["error", "warning"]
Key = tuple[str, str, int]
CLAIM_FIELDS = ("p", "window", "quote", "made")
WORKING_TREE = "the working tree (not committed)"


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem, at the forecast's line in the current file (1 when it is gone)."""

    path: str
    line: int
    level: Level
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.level}: {self.message}"


@dataclass(frozen=True, slots=True)
class Provenance:
    """Where one forecast of the current file was first committed (None: not yet)."""

    question: str
    forecaster: str
    ordinal: int
    line: int
    commit: Commit | None


@dataclass(frozen=True, slots=True)
class Report:
    """Everything `ledger verify` found."""

    path: str
    commits: int
    findings: tuple[Finding, ...]
    forecasts: tuple[Provenance, ...]

    @property
    def errors(self) -> int:
        """How many findings are errors."""
        return sum(f.level == "error" for f in self.findings)

    @property
    def warnings(self) -> int:
        """How many findings are warnings."""
        return sum(f.level == "warning" for f in self.findings)


def forecasts(ledger: Ledger) -> dict[Key, Forecast]:
    """Every forecast by its identity (question, forecaster, ordinal), in file order."""
    found: dict[Key, Forecast] = {}
    counts: dict[tuple[str, str], int] = {}
    # the loader orders a question's forecasts by `made`; identity needs file order
    pairs = sorted(
        ((q.id, f) for q in ledger.questions for f in q.forecasts),
        key=lambda pair: pair[1].location.line,
    )
    for question, forecast in pairs:
        ordinal = counts.get((question, forecast.by), 0) + 1
        counts[(question, forecast.by)] = ordinal
        found[(question, forecast.by, ordinal)] = forecast
    return found


def claim(forecast: Forecast) -> dict[str, str | None]:
    """The parts of a forecast that must never change once committed, as text."""
    return {
        "p": None if forecast.p is None else repr(forecast.p),  # every digit counts
        "window": None if forecast.window is None else forecast.window.text,
        "quote": forecast.quote,
        "made": str(forecast.made),
    }


def _shown(field: str, value: str | None) -> str:
    if value is None:
        return "(none)"
    if field == "quote":
        return json.dumps(value, ensure_ascii=False)
    return value


def _name(key: Key) -> str:
    question, by, ordinal = key
    return f"forecast #{ordinal} by {by} on {question}"


def _load(snapshot: Snapshot, path: str) -> tuple[Ledger | None, str | None]:
    """The ledger of a snapshot (empty if deleted), or why it did not load."""
    if snapshot.data is None:
        return Ledger(path=path), None
    label = f"{path}@{snapshot.commit.short}"
    text, errors = decode(snapshot.data, label)
    ledger = None
    if text is not None:
        ledger, errors = load_text(text, label)
    if errors or ledger is None:
        first = min(errors, key=lambda e: e.location)
        return None, f"line {first.location.line}: {first.message}"
    return ledger, None


class Raw(NamedTuple):
    """A finding before it has its line; `key` is None for the file as a whole."""

    key: Key | None
    level: Level
    message: str


@dataclass
class _Walk:
    """The walk through the versions, oldest first: what it has seen so far."""

    path: str
    threshold_days: int
    raw: list[Raw] = field(default_factory=list)
    first: dict[Key, Commit] = field(default_factory=dict)
    last: dict[Key, Forecast] = field(default_factory=dict)
    present: dict[Key, Forecast] = field(default_factory=dict)
    known: dict[str, tuple[dt.date, Commit]] = field(default_factory=dict)
    """Per question: the earliest day an outcome was known, and where."""
    count: int = 0

    def compare(self, key: Key, forecast: Forecast, where: str) -> None:
        """A finding for each claim field of `key` that differs from the last one."""
        if key not in self.last:
            return
        old, new = claim(self.last[key]), claim(forecast)
        for name in CLAIM_FIELDS:
            if old[name] != new[name]:
                self.raw.append(Raw(key, "error", (
                    f"{_name(key)}: {name} changed {_shown(name, old[name])} → "
                    f"{_shown(name, new[name])} in {where}, after it was first "
                    f"committed in {self.first[key]}"
                )))

    def removed(self, version: dict[Key, Forecast], where: str) -> None:
        """A finding for each forecast of the last version that `version` lacks."""
        for key in self.present:
            if key not in version:
                self.raw.append(Raw(key, "error", (
                    f"{_name(key)}, first committed in {self.first[key]}, was removed "
                    f"in {where}"
                )))

    def outcomes(self, ledger: Ledger, commit: Commit) -> None:
        """Note the earliest day each question's outcome was known (not interim)."""
        for question in ledger.questions:
            for outcome in question.outcomes:
                if outcome.result.kind in ("provisional", "not-yet"):
                    continue
                day = outcome.known.latest
                if question.id not in self.known or day < self.known[question.id][0]:
                    self.known[question.id] = (day, commit)

    def take(self, snapshot: Snapshot) -> None:
        """Compare one committed version with the ones before it."""
        self.count += 1
        commit = snapshot.commit
        ledger, problem = _load(snapshot, self.path)
        if ledger is None:
            self.raw.append(Raw(None, "warning", (
                f"commit {commit.short}: the file did not load ({problem}); "
                "this version was skipped"
            )))
            return
        where = str(commit)
        if snapshot.data is None:
            where += " (the file was deleted)"
        self.outcomes(ledger, commit)
        version = forecasts(ledger)
        self.removed(version, where)
        for key, forecast in version.items():
            if key in self.first:
                self.compare(key, forecast, where)
            else:
                self.first[key] = commit
                self.raw.extend(self.first_findings(key, forecast, commit))
            self.last[key] = forecast
        self.present = version

    def first_findings(self, key: Key, forecast: Forecast, commit: Commit) -> list[Raw]:
        """Backdated and late entries, judged at the commit that first holds `key`."""
        found: list[Raw] = []
        if key[0] in self.known and commit.date > self.known[key[0]][0]:
            day, where = self.known[key[0]]
            found.append(Raw(key, "error", (
                f"{_name(key)} is backdated: first committed in {commit}, after its "
                f"question's outcome was known ({day.isoformat()}, recorded in {where})"
            )))
        late = (commit.date - forecast.made.latest).days
        if late > self.threshold_days:
            found.append(Raw(key, "warning", (
                f"{_name(key)} was entered late: made {forecast.made} (latest reading "
                f"{forecast.made.latest.isoformat()}), first committed in {commit}, "
                f"{late} days later (threshold {self.threshold_days} days)"
            )))
        return found


def verify(
    path: str, current: Ledger, snapshots: Iterable[Snapshot], threshold_days: int = 30
) -> Report:
    """Check the history `snapshots` (oldest first) against the `current` ledger."""
    now = forecasts(current)
    lines = {key: f.location.line for key, f in now.items()}
    walk = _Walk(path, threshold_days)
    for snapshot in snapshots:
        walk.take(snapshot)
    walk.removed(now, WORKING_TREE)
    for key, forecast in now.items():
        if key in walk.first:
            walk.compare(key, forecast, WORKING_TREE)
    found = [
        Finding(path, 1 if key is None else lines.get(key, 1), level, message)
        for key, level, message in walk.raw
    ]
    # by line, then in the order of history (sorted() is stable)
    findings = tuple(sorted(found, key=lambda f: f.line))
    provenance = tuple(
        Provenance(key[0], key[1], key[2], lines[key], walk.first.get(key))
        for key in now
    )
    return Report(path, walk.count, findings, provenance)
