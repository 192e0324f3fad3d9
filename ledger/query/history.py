"""The git history of a ledger file: every committed version, oldest first.

The only module that runs a program (`git`). `history(file)` asks plain `git`
for the commits that touched the file (`git log --follow`, so renames are
followed) and reads the file as each commit left it with one
`git cat-file --batch`. Dates are committer dates, as ISO days in the
committer's time zone. `ledger.query.verify` compares the versions. A shallow
clone has no history to read: its oldest commit would seem to have entered
every forecast.
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


@dataclass(frozen=True, slots=True)
class Snapshot:
    """The file as one commit left it; `data` is None when the commit deleted it."""

    commit: Commit
    path: str
    data: bytes | None


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
    # A shallow clone's oldest commit would seem to have entered every forecast.
    if _git(cwd, "rev-parse", "--is-shallow-repository").strip() == b"true":
        raise NoHistory(
            "a shallow clone: its history is cut short (git fetch --unshallow "
            "reads the rest)"
        )
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
