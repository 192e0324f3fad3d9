"""Tamper evidence from git: when each forecast was first committed, and what changed.

`ledger verify` takes the git history of every file of the ledger (the root
and each file it includes, `ledger.query.history`: every commit that touched
any of them, oldest first, renames followed) and loads each version of each
file once with `load.load_text`; a commit's version of the ledger is its
files' records together. A commit where a file does not load is skipped,
with a warning (once for each such content of the file). Every finding names
the file the forecast is in now.

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
- *did not load* (warning): a committed version of a file that does not load.

Only errors make `ledger verify` fail; warnings alone exit 0, unless
`--strict`.

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
    from collections.abc import Iterator

    from ledger.query.history import Commit, History, Version

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
    """Everything `ledger verify` found; `files` counts the ledger's files."""

    path: str
    commits: int
    findings: tuple[Finding, ...]
    forecasts: tuple[Provenance, ...]
    files: int = 1

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


def _load(data: bytes, label: str) -> tuple[Ledger | None, str | None]:
    """The records of one committed version of a file, or why it did not load."""
    text, errors = decode(data, label)
    ledger = None
    if text is not None:
        ledger, errors = load_text(text, label)
    if errors or ledger is None:
        first = min(errors, key=lambda e: e.location)
        return None, f"line {first.location.line}: {first.message}"
    return ledger, None


class Raw(NamedTuple):
    """A finding before it has its place; `key` is None for a file as a whole.

    `path` names that file (for a finding with a key, the file is found from
    the forecast or its question).
    """

    key: Key | None
    level: Level
    message: str
    path: str | None = None


@dataclass
class _Walk:
    """The walk through the versions, oldest first: what it has seen so far."""

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

    def take(self, commit: Commit, ledger: Ledger, deleted: str = "") -> None:
        """Compare one committed version of the ledger with the ones before it.

        `deleted` says which files the commit deleted, if any.
        """
        where = str(commit) + deleted
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


def _versions(history: History, walk: _Walk) -> Iterator[tuple[Commit, Ledger, str]]:
    """Each commit's version of the ledger, with the files it deleted (as text).

    A commit where a file does not load is skipped, with a warning the first
    time that content of that file is met.
    """
    loaded: dict[tuple[int, str], Ledger | None] = {}
    before: tuple[str | None, ...] = ()
    for version in history.versions:
        walk.count += 1
        parts = _parts(history, version, loaded, walk)
        if parts is None:
            continue
        gone = [
            history.files[n] for n, blob in enumerate(version.blobs)
            if blob is None and n < len(before) and before[n] is not None
        ]
        before = version.blobs
        deleted = ""
        if gone:
            single = len(history.files) == 1
            deleted = " (the file was deleted)" if single else (
                " (" + ", ".join(f"{name} was deleted" for name in gone) + ")"
            )
        merged = Ledger(
            path=history.files[0],
            questions=tuple(q for part in parts for q in part.questions),
        )
        yield version.commit, merged, deleted


def _parts(
    history: History,
    version: Version,
    loaded: dict[tuple[int, str], Ledger | None],
    walk: _Walk,
) -> list[Ledger] | None:
    """The records of each file present in `version`; None if one does not load."""
    parts = []
    for number, blob in enumerate(version.blobs):
        if blob is None:
            continue
        if (number, blob) not in loaded:
            path = history.files[number]
            label = f"{path}@{version.commit.short}"
            ledger, problem = _load(history.contents[blob], label)
            loaded[(number, blob)] = ledger
            if ledger is None:
                walk.raw.append(Raw(None, "warning", (
                    f"commit {version.commit.short}: the file did not load "
                    f"({problem}); this version was skipped"
                ), path))
        part = loaded[(number, blob)]
        if part is None:
            return None
        parts.append(part)
    return parts


def verify(current: Ledger, history: History, threshold_days: int = 30) -> Report:
    """Check the `history` of a ledger's files against the `current` ledger."""
    now = forecasts(current)
    places = {key: (f.location.path, f.location.line) for key, f in now.items()}
    homes = {q.id: q.location.path for q in current.questions}
    root = history.files[0]
    walk = _Walk(threshold_days)
    for commit, ledger, deleted in _versions(history, walk):
        walk.take(commit, ledger, deleted)
    walk.removed(now, WORKING_TREE)
    for key, forecast in now.items():
        if key in walk.first:
            walk.compare(key, forecast, WORKING_TREE)

    def place(raw: Raw) -> tuple[str, int]:
        if raw.key is None:
            return raw.path or root, 1
        return places.get(raw.key) or (homes.get(raw.key[0], root), 1)

    found = [Finding(*place(raw), raw.level, raw.message) for raw in walk.raw]
    rank = {path: n for n, path in enumerate(history.files)}
    # by file, then line, then in the order of history (sorted() is stable)
    findings = tuple(sorted(found, key=lambda f: (rank.get(f.path, 0), f.line)))
    provenance = tuple(
        Provenance(key[0], key[1], key[2], places[key][1], walk.first.get(key))
        for key in now
    )
    return Report(root, walk.count, findings, provenance, len(history.files))
