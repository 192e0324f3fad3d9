"""The git history of a ledger: every committed version of its files, oldest first.

The only module that runs a program (`git`). `history(files)` asks plain
`git` for the commits that touched each file of the ledger (`git log
--follow`, so renames are followed), puts them in history's order (`git
rev-list --topo-order`), finds each file's contents at each of those commits
(`git cat-file --batch-check`) and reads each distinct content once (`git
cat-file --batch`). A shallow clone is refused (`Shallow`): its history is
cut, and what it lacks would look like late entries. Dates are committer
dates, as ISO days in the committer's time zone. `ledger.query.verify`
compares the versions.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Sequence


class NoHistory(Exception):
    """The file has no git history to check; the message says why."""


class GitMissing(NoHistory):
    """git is not installed, or cannot run: nothing can be checked."""


class Shallow(NoHistory):
    """The repository is a shallow clone: the history is cut short."""


@dataclass(frozen=True, slots=True)
class Commit:
    """A commit that touched the file."""

    sha: str
    short: str
    date: dt.date  # committer date, as a day in the committer's time zone

    def __str__(self) -> str:
        return f"commit {self.short} ({self.date.isoformat()})"


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
        raise GitMissing("git is not installed") from None
    except OSError as exc:
        raise GitMissing(f"git could not run: {exc}") from None
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
    """Each object named (a blob id, or `COMMIT:PATH`), read by one cat-file --batch.

    None where it is missing or not a file.
    """
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


@dataclass(frozen=True, slots=True)
class Version:
    """A ledger's files as one commit left them.

    `blobs` holds, for each file (in `History.files` order), the id of its
    contents at this commit, or None where the file did not exist (yet, or
    any more).
    """

    commit: Commit
    blobs: tuple[str | None, ...]


@dataclass(frozen=True, slots=True)
class History:
    """Every commit that touched any file of a ledger, oldest first.

    `files` are the ledger's files as the user names them (the root first),
    `contents` each blob's bytes, read once however many versions share it.
    """

    files: tuple[str, ...]
    versions: tuple[Version, ...]
    contents: dict[str, bytes]


def _work_tree(file: str) -> str:
    """The top of the work tree holding `file`; NoHistory (or Shallow) if none."""
    cwd = os.path.dirname(os.path.abspath(file))
    inside = _git(cwd, "rev-parse", "--is-inside-work-tree").strip()
    if inside != b"true":
        raise NoHistory("not inside a git work tree")
    shallow = _git(cwd, "rev-parse", "--is-shallow-repository").strip()
    if shallow == b"true":
        raise Shallow(
            "a shallow clone: the commits before its first one are missing, so "
            "when each forecast was first committed cannot be told; fetch the "
            "whole history (git fetch --unshallow) and run verify again"
        )
    top = _git(cwd, "rev-parse", "--show-toplevel").decode("utf-8", "surrogateescape")
    return top.strip("\n")


def _relative(file: str, top: str) -> str | None:
    """`file`'s path from the top of the work tree, or None if it is outside."""
    relative = os.path.relpath(os.path.realpath(file), os.path.realpath(top))
    if relative == ".." or relative.startswith(("../", "..\\")):
        return None
    return relative.replace(os.sep, "/")


def _order(top: str) -> dict[str, int]:
    """Each commit reachable from HEAD, by its place in history (oldest first)."""
    out = _git(top, "rev-list", "--topo-order", "--reverse", "HEAD")
    return {sha: n for n, sha in enumerate(out.decode("ascii").split())}


def _ids(top: str, specs: Sequence[str]) -> list[str | None]:
    """The object id of each `COMMIT:PATH` (None when missing or not a file)."""
    if not specs:
        return []
    request = "".join(f"{s}\n" for s in specs).encode("utf-8", "surrogateescape")
    check = "--batch-check=%(objectname) %(objecttype)"
    out = _git(top, "cat-file", check, stdin=request)
    found: list[str | None] = []
    for line in out.decode("utf-8", "surrogateescape").splitlines():
        parts = line.split(" ")
        found.append(parts[0] if len(parts) == 2 and parts[1] == "blob" else None)
    return found


def history(files: Sequence[str]) -> History:
    """Every committed version of a ledger's `files` (the root first), oldest first.

    Each file's own commits are found with `git log --follow`, so renames are
    followed; a version holds every file as that commit left it.

    Raises:
        GitMissing: git is not installed, or cannot run.
        Shallow: the repository is a shallow clone.
        NoHistory: no work tree, no commits, or the root file never committed.
    """
    if isinstance(files, str):  # one file, not its characters
        files = (files,)
    top = _work_tree(files[0])
    logs: list[list[tuple[Commit, str | None]]] = []
    currents = [_relative(file, top) for file in files]
    for number, relative in enumerate(currents):
        try:
            log = [] if relative is None else _log(top, relative)
        except NoHistory as exc:
            raise NoHistory(f"no commits ({exc})") from None
        if number == 0 and not log:
            raise NoHistory("the file was never committed")
        logs.append(log)
    order = _order(top)
    commits = {c.sha: c for log in logs for c, _ in log}
    ranked = sorted(commits.values(), key=lambda c: order.get(c.sha, len(order)))
    specs, slots = _specs(ranked, logs, currents)
    ids = _ids(top, specs)
    wanted = sorted({i for i in ids if i is not None})
    contents = dict(zip(wanted, _blobs(top, wanted), strict=True))
    versions = []
    for number, commit in enumerate(ranked):
        blobs = tuple(
            next((ids[at] for at in slots[number][f] if ids[at] is not None), None)
            for f in range(len(files))
        )
        versions.append(Version(commit, blobs))
    found = {k: v for k, v in contents.items() if v is not None}
    return History(tuple(files), tuple(versions), found)


def _specs(
    ranked: Sequence[Commit],
    logs: Sequence[Sequence[tuple[Commit, str | None]]],
    currents: Sequence[str | None],
) -> tuple[list[str], list[list[list[int]]]]:
    """The `COMMIT:PATH` specs to look up, and for each commit and file, which.

    A file's path at a commit is the one its own log gave last (renames are
    followed); its other past paths are tried too, for commits on a branch
    that has not renamed it. A file deleted (or not yet made) at a commit
    gets no spec. No path is read for two files: a path that is another
    file's own (`currents`) belongs to that file (`git log --follow` may take
    a file split off a ledger for a rename of the ledger itself).
    """
    specs: list[str] = []
    slots: list[list[list[int]]] = []
    touched = [{c.sha: p for c, p in log} for log in logs]
    names = [[p for p in dict.fromkeys(p for _, p in log) if p] for log in logs]
    owned = {path for path in currents if path is not None}
    state: list[str | None] = [None] * len(logs)
    for commit in ranked:
        row = []
        for f in range(len(logs)):
            if commit.sha in touched[f]:
                state[f] = touched[f][commit.sha]
            current = state[f]
            tried = [] if current is None else [current, *names[f]]
            tried = [
                name for name in dict.fromkeys(tried)
                if name == currents[f] or name not in owned
            ]
            row.append(list(range(len(specs), len(specs) + len(tried))))
            specs += [f"{commit.sha}:{name}" for name in tried]
        slots.append(row)
    return specs, slots
