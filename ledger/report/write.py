"""Writing a report: its files under the output folder, in one or more processes.

A file whose bytes would not change is left alone; the others are replaced
atomically (`ledger.files.write.atomic_write`, without fsync: the report can
be made again). `inside` refuses any path outside the output folder. Every
file obeys the output rules (`ledger.files.outputs`): a file the folder held
that the report did not write (its `manifest` says which it did) is replaced
only with --force, and never a ledger, a link (without --force) or a device;
the pages' own names are checked before anything is written. With several
jobs, forked processes share the pages (`_share`) and report back through a
pipe what they wrote; the files are the same for any number.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any, NoReturn

from ledger.core.memory import gc_paused
from ledger.files.outputs import Refused, Rules, target
from ledger.files.write import atomic_write, make_folder
from ledger.report import manifest
from ledger.report.book import Book, View
from ledger.report.common import nav
from ledger.report.pages import FORMATS, WEIGHTS, page_files, pages, years_to_write

if TYPE_CHECKING:
    import datetime as dt
    from collections.abc import Iterator, Sequence

    from ledger.core.model import Ledger

PARALLEL_FORECASTS = 50_000
"""Ledgers with at least this many forecasts are written by several processes
(`write`'s default `jobs`); smaller ones in well under the cost of a fork."""


class WriteError(Exception):
    """A report file that could not be written: its path and why.

    `refused` when the output rules refused it (a usage error), rather than
    the file system.
    """

    def __init__(self, path: str, message: str, refused: bool = False) -> None:
        super().__init__(f"{path}: {message}")
        self.path, self.message, self.refused = path, message, refused


def inside(out: str | Path, relative: str) -> Path:
    """The path of `relative` under `out`.

    Raises:
        ValueError: if it would land elsewhere.
    """
    part = PurePosixPath(relative)
    if part.is_absolute() or ".." in part.parts or "\\" in relative or not part.parts:
        raise ValueError(f"refusing to write '{relative}': not a plain relative path")
    root = Path(out).resolve()
    path = (root / Path(*part.parts)).resolve()
    if not path.is_relative_to(root) or path == root:
        raise ValueError(f"refusing to write '{relative}': it is outside {out}")
    return path


def default_jobs(ledger: Ledger) -> int:
    """Processes `write` uses by default: up to 2 (CPUs allowing) for a big ledger.

    On Linux only: elsewhere a fork without exec can crash system libraries
    (`--jobs` still asks for it).
    """
    forecasts = sum(len(q.forecasts) for q in ledger.questions)
    if not sys.platform.startswith("linux") or forecasts < PARALLEL_FORECASTS:
        return 1
    cpus = (
        len(os.sched_getaffinity(0))
        if hasattr(os, "sched_getaffinity")
        else os.cpu_count() or 1
    )
    return max(1, min(2, cpus))


def write(
    ledger: Ledger,
    as_of: dt.date,
    out: str,
    years: Sequence[int] | None = None,
    formats: Sequence[str] = FORMATS,
    jobs: int = 1,
    force: bool = False,
    view: View | None = None,
) -> tuple[set[str], int]:
    """Write the files of `build` under `out`: (every file's path, how many changed).

    A file whose bytes would not change is left alone; the others are
    replaced atomically (without fsync: the report can be made again). A file
    the report did not write itself is replaced only with `force` (--force);
    the manifest then lists what it wrote. Raises WriteError for a file that
    cannot (or may not) be written, ValueError as `generate` does. `view`
    is `generate`'s.

    With `jobs` > 1 (and `os.fork`), the pages are shared between that many
    processes: the frames every page reads are made first, then each process,
    forked with them, makes and writes its share (the heaviest pages first,
    each to the least loaded). Every file is made from the same data by the
    same code whichever process makes it, so the files are byte-identical to
    a single process's.
    """
    chosen = years_to_write(ledger, as_of, years, formats)
    book = Book(ledger, as_of, view or View())
    rule = manifest.rules(out, force, ledger.files)
    _check_names(book, chosen, formats, out, rule)
    files: set[str] = set()
    try:
        changed = _write_pages(book, chosen, formats, (out, rule), jobs, files)
    except BaseException:
        with contextlib.suppress(Exception):  # the files written so far are its own
            manifest.write(out, files, rule)
        raise
    try:
        manifest.write(out, files, rule)
    except Refused as exc:
        raise WriteError(manifest.shown(out, manifest.NAME), str(exc), True) from None
    except OSError as exc:
        shown = manifest.shown(out, manifest.NAME)
        raise WriteError(shown, exc.strerror or str(exc)) from None
    return files, changed


def _check_names(
    book: Book, chosen: list[int], formats: Sequence[str], out: str, rule: Rules
) -> None:
    """Refuse, before anything is written, a page or manifest path the rules forbid."""
    names = [manifest.NAME]
    for stem, _, _ in pages(book, chosen, nav(book, chosen)):
        for fmt in formats:
            names.append(f"{stem or ('README' if fmt == 'md' else 'index')}.{fmt}")
    for name in names:
        path = manifest.shown(out, name)
        if os.path.lexists(path):
            try:
                target(path, rule)
            except Refused as exc:
                raise WriteError(path, str(exc), True) from None


def _write_pages(
    book: Book,
    chosen: list[int],
    formats: Sequence[str],
    where: tuple[str, Rules],
    jobs: int,
    files: set[str],
) -> int:
    """Write the pages, in `jobs` processes, into `where`: how many changed.

    `where` is the folder and its output rules; each file written is added
    to `files`.
    """
    out = where[0]
    if jobs <= 1 or not hasattr(os, "fork"):
        return _write_files(page_files(book, chosen, formats, True), where, files)
    for year in chosen:  # every page's trend reads them: made once, shared by the fork
        book.frame(book.cutoff(year))
    book.frame(book.as_of)
    kinds = [template for _, template, _ in pages(book, chosen, nav(book, chosen))]
    shares = _share(kinds, jobs)
    children = [_fork(book, chosen, formats, where, part) for part in shares[1:]]
    try:
        mine = page_files(book, chosen, formats, True, shares[0].__contains__)
        changed = _write_files(mine, where, files)
    finally:
        answers = [_answer(pid, read_end, out) for pid, read_end in children]
        for answer in answers:
            files |= set(answer.get("files", ()))
    for answer in answers:
        if "message" in answer:
            refused = bool(answer.get("refused"))
            raise WriteError(answer["path"], answer["message"], refused)
        changed += answer["changed"]
    return changed


def _fork(
    book: Book,
    chosen: list[int],
    formats: Sequence[str],
    where: tuple[str, Rules],
    part: set[int],
) -> tuple[int, int]:
    """Start a process writing the pages in `part`: (its pid, its pipe's read end)."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read_end)
        _child(book, chosen, formats, where, part, write_end)
    os.close(write_end)
    return pid, read_end


def _child(
    book: Book,
    chosen: list[int],
    formats: Sequence[str],
    where: tuple[str, Rules],
    part: set[int],
    write_end: int,
) -> NoReturn:
    """The forked process: its share, then what it wrote, as JSON, and exit."""
    code = 0
    files: set[str] = set()
    try:
        mine = page_files(book, chosen, formats, True, part.__contains__)
        changed = _write_files(mine, where, files)
        answer: dict[str, Any] = {"files": sorted(files), "changed": changed}
    except WriteError as exc:
        answer = {"path": exc.path, "message": exc.message, "refused": exc.refused,
                  "files": sorted(files)}
    except BaseException as exc:
        answer = {"path": where[0], "message": f"report process failed: {exc!r}"}
        code = 1
    with os.fdopen(write_end, "w", encoding="utf-8") as pipe:
        pipe.write(json.dumps(answer))
    os._exit(code)


def _answer(pid: int, read_end: int, out: str) -> dict[str, Any]:
    """What a forked process wrote, once it has ended (or that it died)."""
    with os.fdopen(read_end, encoding="utf-8") as pipe:
        text = pipe.read()
    os.waitpid(pid, 0)
    if not text:
        return {"path": out, "message": "report process died"}
    answer: dict[str, Any] = json.loads(text)
    return answer


def _share(kinds: Sequence[str], jobs: int) -> list[set[int]]:
    """Page numbers (of pages of these kinds) in `jobs` shares.

    The year pages all go to the first share: each reads every question, and
    a forked process copies every page of memory it touches (reference counts
    are writes), so two processes making year pages would each hold a copy of
    the whole ledger; the other pages read a forecaster's rows of the frame
    and the few questions they show. Those are shared among the other
    processes by weight (WEIGHTS), heaviest first, each to the lightest share
    so far (ties: the lower number).
    """
    shares: list[set[int]] = [set() for _ in range(jobs)]
    shares[0] = {n for n, kind in enumerate(kinds) if kind == "year"}
    others = range(1, jobs) if jobs > 1 else range(1)
    loads = dict.fromkeys(others, 0)
    rest = [n for n, kind in enumerate(kinds) if kind != "year"]
    for page in sorted(rest, key=lambda n: (-WEIGHTS[kinds[n]], n)):
        lightest = min(others, key=lambda j: (loads[j], j))
        shares[lightest].add(page)
        loads[lightest] += WEIGHTS[kinds[page]]
    return shares


def _write_files(
    items: Iterator[tuple[str, bytes]], where: tuple[str, Rules], files: set[str]
) -> int:
    """Write each (relative path, bytes) under the folder that changed, by its rules.

    Adds each file's relative path to `files` (changed or not); returns how
    many changed.
    """
    out, rule = where
    changed = 0
    with gc_paused():  # many small objects, none kept: see loader.gc_paused
        for relative, data in items:
            try:
                inside(out, relative)
            except ValueError as exc:
                raise WriteError(str(out), str(exc)) from None
            shown = os.path.join(out, *PurePosixPath(relative).parts)
            try:
                path = Path(target(shown, rule))
            except Refused as exc:
                raise WriteError(shown, str(exc), True) from None
            try:
                if path.is_file() and path.read_bytes() == data:
                    files.add(relative)
                    continue
                make_folder(str(path.parent))
                # without fsync: made again by rerunning the command
                atomic_write(str(path), data, durable=False)
            except OSError as exc:  # named as the user wrote --out, not resolved
                raise WriteError(shown, exc.strerror or str(exc)) from None
            files.add(relative)
            changed += 1
    return changed
