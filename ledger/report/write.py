"""Writing a report: its files under the output folder, in one or more processes.

A file whose bytes would not change is left alone; the others are replaced
atomically (`ledger.files.write.atomic_write`, without fsync: the report can
be made again). `inside` refuses any path outside the output folder. With
several jobs, forked processes share the pages (`_share`) and report back
through a pipe what they wrote; the files are the same for any number.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any, NoReturn

from ledger.core.memory import gc_paused
from ledger.files.write import atomic_write, make_folder
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
    """A report file that could not be written: its path and why."""

    def __init__(self, path: str, message: str) -> None:
        super().__init__(f"{path}: {message}")
        self.path, self.message = path, message


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
    view: View | None = None,
) -> tuple[set[str], int]:
    """Write the files of `build` under `out`: (every file's path, how many changed).

    A file whose bytes would not change is left alone; the others are
    replaced atomically (without fsync: the report can be made again).
    Raises WriteError for a file that cannot be written, ValueError as
    `generate` does. `view` is `generate`'s.

    With `jobs` > 1 (and `os.fork`), the pages are shared between that many
    processes: the frames every page reads are made first, then each process,
    forked with them, makes and writes its share (the heaviest pages first,
    each to the least loaded). Every file is made from the same data by the
    same code whichever process makes it, so the files are byte-identical to
    a single process's.
    """
    chosen = years_to_write(ledger, as_of, years, formats)
    book = Book(ledger, as_of, view or View())
    if jobs <= 1 or not hasattr(os, "fork"):
        return _write_files(page_files(book, chosen, formats, True), out)
    for year in chosen:  # every page's trend reads them: made once, shared by the fork
        book.frame(book.cutoff(year))
    book.frame(as_of)
    kinds = [template for _, template, _ in pages(book, chosen, nav(book, chosen))]
    shares = _share(kinds, jobs)
    children = [_fork(book, chosen, formats, out, part) for part in shares[1:]]
    try:
        mine = page_files(book, chosen, formats, True, shares[0].__contains__)
        files, changed = _write_files(mine, out)
    finally:
        answers = [_answer(pid, read_end, out) for pid, read_end in children]
    for answer in answers:
        if "message" in answer:
            raise WriteError(answer["path"], answer["message"])
        files |= set(answer["files"])
        changed += answer["changed"]
    return files, changed


def _fork(
    book: Book, chosen: list[int], formats: Sequence[str], out: str, part: set[int]
) -> tuple[int, int]:
    """Start a process writing the pages in `part`: (its pid, its pipe's read end)."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read_end)
        _child(book, chosen, formats, out, part, write_end)
    os.close(write_end)
    return pid, read_end


def _child(
    book: Book,
    chosen: list[int],
    formats: Sequence[str],
    out: str,
    part: set[int],
    write_end: int,
) -> NoReturn:
    """The forked process: its share, then what it wrote, as JSON, and exit."""
    code = 0
    try:
        mine = page_files(book, chosen, formats, True, part.__contains__)
        files, changed = _write_files(mine, out)
        answer: dict[str, Any] = {"files": sorted(files), "changed": changed}
    except WriteError as exc:
        answer = {"path": exc.path, "message": exc.message}
    except BaseException as exc:
        answer = {"path": out, "message": f"report process failed: {exc!r}"}
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


def _write_files(items: Iterator[tuple[str, bytes]], out: str) -> tuple[set[str], int]:
    """Write each (relative path, bytes) under `out` that changed: (paths, changed)."""
    files: set[str] = set()
    changed = 0
    with gc_paused():  # many small objects, none kept: see loader.gc_paused
        for relative, data in items:
            files.add(relative)
            try:
                path = inside(out, relative)
            except ValueError as exc:
                raise WriteError(str(out), str(exc)) from None
            try:
                if path.is_file() and path.read_bytes() == data:
                    continue
                make_folder(str(path.parent))
                # without fsync: made again by rerunning the command
                atomic_write(str(path), data, durable=False)
            except OSError as exc:  # named as the user wrote --out, not resolved
                shown = os.path.join(out, *PurePosixPath(relative).parts)
                raise WriteError(shown, exc.strerror or str(exc)) from None
            changed += 1
    return files, changed
