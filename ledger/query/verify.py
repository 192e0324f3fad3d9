"""Tamper evidence from git: when each forecast was first committed, and what changed.

`ledger verify` reads the ledger file's own git history with plain `git`
(`git log --follow` for the commits that touched the file, oldest first, and
`git cat-file` for the file as each commit left it) and loads every version
with `load.load_text`. A version that does not load is skipped, with a warning.

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
  open question) are not outcomes known, and do not count.
- *late* (warning): a forecast's `made` date (latest reading) is more than
  `threshold_days` days before the day it was first committed.
- *did not load* (warning): a committed version of the file that does not load.

Dates are committer dates, as ISO days in the committer's time zone. A forecast
in the working-tree file that no commit holds is "not committed yet". The
first commit of a forecast is the first version that loads and holds it.

This module runs `git` and returns findings; `cli` prints them and exits.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from ledger.core.model import Forecast, Ledger
from ledger.core.text import plural
from ledger.load.loader import load_text
from ledger.load.nodes import decode

Level = Literal["error", "warning"]
Key = tuple[str, str, int]
CLAIM_FIELDS = ("p", "window", "quote", "made")
WORKING_TREE = "the working tree (not committed)"


class NoHistory(Exception):
    """The file has no git history to check; the message says why."""


@dataclass(frozen=True, slots=True)
class Commit:
    """A commit that touched the file."""

    sha: str
    short: str
    date: dt.date  # committer date, as a day in the committer's time zone

    def __str__(self) -> str:
        return f"commit {self.short} ({self.date.isoformat()})"


@dataclass(frozen=True, slots=True)
class Snapshot:
    """The file as one commit left it; `data` is None when the commit deleted it."""

    commit: Commit
    path: str
    data: bytes | None


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
        return sum(f.level == "error" for f in self.findings)

    @property
    def warnings(self) -> int:
        return sum(f.level == "warning" for f in self.findings)


# -- reading git --------------------------------------------------------------


def _git(cwd: str, *args: str, stdin: bytes | None = None) -> bytes:
    """Run git in `cwd` and return its stdout; NoHistory if it is missing or fails."""
    command = [
        "git", "--literal-pathspecs", "-c", "core.quotepath=false",
        "-c", "log.showSignature=false", *args,
    ]
    try:
        done = subprocess.run(
            command, cwd=cwd, input=stdin, capture_output=True, check=False
        )
    except FileNotFoundError:
        raise NoHistory("git is not installed") from None
    except OSError as exc:
        raise NoHistory(f"git could not run: {exc}") from None
    if done.returncode != 0:
        reason = done.stderr.decode("utf-8", "replace").strip().splitlines()
        text = reason[0] if reason else f"git {args[0]} failed"
        raise NoHistory(text.removeprefix("fatal: "))
    return done.stdout


def _log(cwd: str, relative: str) -> list[tuple[Commit, str | None]]:
    """Commits that touched `relative`, oldest first, each with the file's path.

    The path is None in a commit that deleted the file.
    """
    out = _git(
        cwd, "log", "--follow", "-z", "--no-color", "--format=%x01%H %h %cI",
        "--name-status", "--", relative,
    )
    entries: list[tuple[Commit, str | None, bool]] = []
    for chunk in out.decode("utf-8", "surrogateescape").split("\x01")[1:]:
        header, _, rest = chunk.partition("\x00")
        sha, short, stamp = header.strip().split(" ")
        commit = Commit(sha, short, dt.date.fromisoformat(stamp[:10]))
        tokens = [t for t in rest.strip("\n").split("\x00") if t.strip("\n")]
        tokens = [t.lstrip("\n") for t in tokens]
        if not tokens:  # a merge: no name-status; the path is the one before it
            entries.append((commit, None, False))
            continue
        status, paths = tokens[0], tokens[1:]
        deleted = status.startswith("D")
        entries.append((commit, paths[-1] if paths else None, deleted))
    entries.reverse()
    found: list[tuple[Commit, str | None]] = []
    path = relative  # a merge lists no paths: it keeps the path of the commit before
    for commit, name, deleted in entries:
        if name is not None:
            path = name
        found.append((commit, None if deleted else path))
    return found


def _blobs(cwd: str, names: Sequence[str]) -> list[bytes | None]:
    """Each `COMMIT:PATH` blob (None when missing), read by one cat-file --batch."""
    if not names:
        return []
    request = "".join(f"{n}\n" for n in names).encode("utf-8", "surrogateescape")
    out = _git(cwd, "cat-file", "--batch", stdin=request)
    blobs: list[bytes | None] = []
    at = 0
    for _ in names:
        end = out.index(b"\n", at)
        header = out[at:end].split(b" ")
        at = end + 1
        if len(header) != 3 or header[1] != b"blob":
            blobs.append(None)  # "missing", or not a file there
            continue
        size = int(header[2])
        blobs.append(out[at : at + size])
        at += size + 1  # the content is followed by a newline
    return blobs


def history(file: str) -> list[Snapshot]:
    """Each committed version of `file`, oldest first; NoHistory when there is none."""
    full = os.path.abspath(file)
    cwd, name = os.path.split(full)
    inside = _git(cwd, "rev-parse", "--is-inside-work-tree").strip()
    if inside != b"true":
        raise NoHistory("not inside a git work tree")
    prefix = _git(cwd, "rev-parse", "--show-prefix").decode("utf-8", "surrogateescape")
    top = _git(cwd, "rev-parse", "--show-toplevel").decode("utf-8", "surrogateescape")
    top = top.strip("\n")
    relative = prefix.strip("\n") + name  # from the top of the work tree
    try:
        commits = _log(top, relative)
    except NoHistory as exc:
        raise NoHistory(f"no commits ({exc})") from None
    if not commits:
        raise NoHistory("the file was never committed")
    wanted = [(c, p) for c, p in commits if p is not None]
    blobs = iter(_blobs(top, [f"{c.sha}:{p}" for c, p in wanted]))
    contents = {c.sha: next(blobs) for c, _ in wanted}
    return [
        Snapshot(c, p or relative, contents.get(c.sha) if p is not None else None)
        for c, p in commits
    ]


# -- comparing versions -------------------------------------------------------


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


def verify(
    path: str, current: Ledger, snapshots: Iterable[Snapshot], threshold_days: int = 30
) -> Report:
    """Check the history `snapshots` (oldest first) against the `current` ledger."""
    now = forecasts(current)
    lines = {key: f.location.line for key, f in now.items()}
    raw: list[tuple[Key | None, Level, str]] = []
    first: dict[Key, Commit] = {}
    last: dict[Key, Forecast] = {}
    present: dict[Key, Forecast] = {}
    known: dict[str, tuple[dt.date, Commit]] = {}  # per question: earliest known
    count = 0

    def compare(key: Key, forecast: Forecast, where: str) -> None:
        if key not in last:
            return
        old, new = claim(last[key]), claim(forecast)
        for field in CLAIM_FIELDS:
            if old[field] != new[field]:
                raw.append((key, "error", (
                    f"{_name(key)}: {field} changed {_shown(field, old[field])} → "
                    f"{_shown(field, new[field])} in {where}, after it was first "
                    f"committed in {first[key]}"
                )))

    def removed(version: dict[Key, Forecast], where: str) -> None:
        for key in present:
            if key not in version:
                raw.append((key, "error", (
                    f"{_name(key)}, first committed in {first[key]}, was removed "
                    f"in {where}"
                )))

    for snapshot in snapshots:
        count += 1
        commit = snapshot.commit
        ledger, problem = _load(snapshot, path)
        if ledger is None:
            raw.append((None, "warning", (
                f"commit {commit.short}: the file did not load ({problem}); "
                "this version was skipped"
            )))
            continue
        where = str(commit)
        if snapshot.data is None:
            where += " (the file was deleted)"
        for question in ledger.questions:
            for outcome in question.outcomes:
                if outcome.result.kind == "provisional":
                    continue
                day = outcome.known.latest
                if question.id not in known or day < known[question.id][0]:
                    known[question.id] = (day, commit)
        version = forecasts(ledger)
        removed(version, where)
        for key, forecast in version.items():
            if key in first:
                compare(key, forecast, where)
            else:
                first[key] = commit
                raw.extend(
                    _first_findings(key, forecast, commit, known, threshold_days)
                )
            last[key] = forecast
        present = version

    removed(now, WORKING_TREE)
    for key, forecast in now.items():
        if key in first:
            compare(key, forecast, WORKING_TREE)

    found = [
        Finding(path, 1 if key is None else lines.get(key, 1), level, message)
        for key, level, message in raw
    ]
    # by line, then in the order of history (sorted() is stable)
    findings = tuple(sorted(found, key=lambda f: f.line))
    provenance = tuple(
        Provenance(key[0], key[1], key[2], lines[key], first.get(key)) for key in now
    )
    return Report(path, count, findings, provenance)


def _first_findings(
    key: Key,
    forecast: Forecast,
    commit: Commit,
    known: dict[str, tuple[dt.date, Commit]],
    threshold_days: int,
) -> list[tuple[Key, Level, str]]:
    """Backdated and late entries, judged at the commit that first recorded `key`."""
    found: list[tuple[Key, Level, str]] = []
    if key[0] in known and commit.date > known[key[0]][0]:
        day, where = known[key[0]]
        found.append((key, "error", (
            f"{_name(key)} is backdated: first committed in {commit}, after its "
            f"question's outcome was known ({day.isoformat()}, recorded in {where})"
        )))
    late = (commit.date - forecast.made.latest).days
    if late > threshold_days:
        found.append((key, "warning", (
            f"{_name(key)} was entered late: made {forecast.made} (latest reading "
            f"{forecast.made.latest.isoformat()}), first committed in {commit}, "
            f"{late} days later (threshold {threshold_days} days)"
        )))
    return found


# -- output -------------------------------------------------------------------


def to_json(report: Report) -> str:
    """{"findings": [{path, line, level, message}], "forecasts": [{question, ...}]}."""
    data = {
        "findings": [
            {"path": f.path, "line": f.line, "level": f.level, "message": f.message}
            for f in report.findings
        ],
        "forecasts": [
            {
                "question": p.question,
                "forecaster": p.forecaster,
                "ordinal": p.ordinal,
                "commit": None if p.commit is None else p.commit.short,
                "date": None if p.commit is None else p.commit.date.isoformat(),
            }
            for p in report.forecasts
        ],
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def table(report: Report) -> str:
    """Findings as PATH:LINE: level: message, then the provenance table."""
    lines = [str(f) for f in report.findings]
    summary = (
        f"{plural(report.errors, 'error')}, {plural(report.warnings, 'warning')} "
        f"in {plural(report.commits, 'commit')} of {report.path}."
    )
    lines += ["", summary] if lines else [
        f"No findings: {plural(len(report.forecasts), 'forecast')} checked against "
        f"{plural(report.commits, 'commit')} of {report.path}."
    ]
    lines.append("")
    header = ["question", "forecaster", "#", "first commit", "date"]
    body = [
        [
            p.question, p.forecaster, str(p.ordinal),
            "not committed yet" if p.commit is None else p.commit.short,
            "—" if p.commit is None else p.commit.date.isoformat(),
        ]
        for p in report.forecasts
    ]
    if not body:
        lines.append("(no forecasts in the file)")
        return "\n".join(lines) + "\n"
    widths = [max(len(row[i]) for row in [header, *body]) for i in range(len(header))]
    for row in [header, *body]:
        cells = [
            cell.rjust(w) if i == 2 else cell.ljust(w)
            for i, (cell, w) in enumerate(zip(row, widths, strict=True))
        ]
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines) + "\n"
