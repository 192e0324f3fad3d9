"""Crash safety: a writer killed with SIGKILL at any moment leaves the old file or
the new one, byte for byte, and nothing that breaks the next write.

Two ways of killing, 270 kills in all:

- 240 forked writers (cheap: the modules are already imported). Each runs
  `record.write` in a loop, adding one forecast per write, so it is almost
  always somewhere inside a write; it is killed after a random delay (0-1 ms,
  or up to a few times the measured duration of one write), which lands before
  its first write finishes, inside a write (while its temporary file exists)
  and between writes; the test checks that all three happened. To widen the window between creating the
  temporary file and renaming it, the *child* wraps `os.fsync` with a 2 ms
  sleep; the product code has no test hooks.
- 30 real `python -m ledger forecast` processes, killed after 0-150 ms
  (start-up, validation, the write, exit).

After every kill the file must load cleanly and equal a version some writer
could have fully written: the version before the round, or one of the
versions the child's successive edits produce (the test computes that chain
itself from the same deterministic edits).

Leftover temporary files: a writer killed between creating
`.ledger-NAME.XXXX.tmp` and renaming it leaves that file behind. The next
write removes it (under the lock, see `record.remove_leftovers`), so there is
never more than one, and none after a clean write; the test checks both and
does not clean up itself.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from typing import TYPE_CHECKING

from recording import clean

from ledger.record import emit, insert, write

if TYPE_CHECKING:
    from pathlib import Path

BASE = """\
# a ledger that writers keep adding to
forecasters:
  - id: ann
    name: Ann
  - id: ben
    name: Ben   # ben's comment
  - id: cho
    name: Cho

questions:
  - id: q1
    title: First
    criteria: A judge decides.
    kind: binary
    deadline: 2030-12-31
    forecasts: []

  # the second question
  - id: q2
    title: Second
    criteria: A judge decides.
    kind: binary
    deadline: 2030-12-31
    forecasts:
      - {by: ann, made: 2025-01-01, p: 0.5, basis: stated}
"""

WHO = ["ann", "ben", "cho"]


def entry(k: int) -> emit.Entry:
    """The k-th edit of a writer: deterministic, so the test can replay it."""
    return [
        ("by", WHO[k % 3]),
        ("made", f"2026-{1 + k % 12:02d}-{1 + k % 28:02d}"),
        ("p", f"0.{10 + k % 89}"),
        ("basis", "stated"),
    ]


def question(k: int) -> str:
    return "q1" if k % 2 else "q2"


def apply(text: str, path: str, k: int) -> str:
    return insert.add_to_question(text, path, question(k), "forecasts", entry(k))[0]


def leftovers(folder: Path) -> list[str]:
    return sorted(
        n for n in os.listdir(folder) if n.startswith(".ledger-") and n.endswith(".tmp")
    )


def writer_child(path: str) -> None:
    """Runs in a forked child: write forever, until killed."""
    real_fsync = os.fsync

    def slow_fsync(fd: int) -> None:
        time.sleep(0.002)
        real_fsync(fd)

    os.fsync = slow_fsync  # the child's own copy of os: the parent is untouched
    try:
        for k in range(10**6):

            def edit(text: str, ledger: object, k: int = k) -> tuple[str, int]:
                return insert.add_to_question(
                    text, path, question(k), "forecasts", entry(k)
                )

            written, _ = write.write(path, edit)
            if written is None:
                os._exit(3)
    except BaseException:
        os._exit(4)
    os._exit(0)


def match_version(data: bytes, start: bytes, path: str, limit: int = 400) -> int:
    """How many writes took `start` to `data` (0: unchanged); fails if none did."""
    if data == start:
        return 0
    text = start.decode("utf-8")
    for k in range(limit):
        text = apply(text, path, k)
        if text.encode("utf-8") == data:
            return k + 1
    raise AssertionError(
        "the file is neither the old version nor any fully written one"
    )


def test_sigkill_at_random_moments_leaves_old_or_new(tmp_path: Path) -> None:
    rng = random.Random(20260101)
    path = tmp_path / "ledger.yaml"
    path.write_text(BASE)
    # one write's duration on this machine, now (plus the child's two 2 ms
    # fsync delays), so the kill delays suit a fast or a loaded machine
    started = time.monotonic()
    for k in range(3):
        write.write(
            str(path), lambda text, ledger, k=k: (apply(text, str(path), k), 1)
        )
    cycle = (time.monotonic() - started) / 3 + 0.004
    before = after = during = 0
    for round_ in range(240):
        if round_ % 30 == 0:  # keep the file small, so every round is cheap
            for name in leftovers(tmp_path):
                os.unlink(tmp_path / name)
            path.write_text(BASE)
        start = path.read_bytes()
        pid = os.fork()
        if pid == 0:
            writer_child(str(path))
        # a third each: at once (before any write), within the first few
        # writes, and later (between and inside later writes)
        delays = [
            rng.uniform(0, 0.001),
            rng.uniform(0, 3 * cycle),
            rng.uniform(cycle, 6 * cycle),
        ]
        time.sleep(delays[round_ % 3])
        os.kill(pid, signal.SIGKILL)
        _, status = os.waitpid(pid, 0)
        assert os.WIFSIGNALED(status), (
            f"the writer failed (exit {os.WEXITSTATUS(status)})"
        )
        data = path.read_bytes()
        clean(data, str(path))
        writes = match_version(data, start, str(path))
        stray = leftovers(tmp_path)
        assert len(stray) <= 1, stray  # the next write removed the previous one's
        if stray:
            during += 1
        elif writes == 0:
            before += 1
        else:
            after += 1
    # the kills landed everywhere: before any write, inside one, after one
    assert before and during and after, (before, during, after)
    # a clean write after all that: works, and leaves no temporary file
    written, errors = write.write(
        str(path), lambda text, ledger: (apply(text, str(path), 0), 1)
    )
    assert written is not None, errors
    assert leftovers(tmp_path) == []
    clean(path.read_bytes())


def cli_forecast(path: Path, k: int) -> subprocess.Popen:
    """`python -m ledger forecast ...` making the k-th edit."""
    by, made, p, _ = (value for _, value in entry(k))
    command = [
        "forecast",
        "-f",
        str(path),
        question(k),
        "--by",
        by,
        "--p",
        p,
        "--made",
        made,
    ]
    return subprocess.Popen(
        [sys.executable, "-m", "ledger", *command],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def test_sigkill_of_the_cli_leaves_old_or_new(tmp_path: Path) -> None:
    rng = random.Random(7)
    path = tmp_path / "ledger.yaml"
    path.write_text(BASE)
    # how long one whole command takes here, now: the kills spread over 1.5x that
    started = time.monotonic()
    assert cli_forecast(path, 0).wait() == 0
    duration = time.monotonic() - started
    outcomes = set()
    for k in range(1, 31):
        start = path.read_bytes()
        expected = apply(start.decode(), str(path), k).encode()
        process = cli_forecast(path, k)
        time.sleep(rng.uniform(0, 1.5 * duration))
        process.send_signal(signal.SIGKILL)
        process.wait()
        data = path.read_bytes()
        assert data in (start, expected)
        clean(data)
        outcomes.add(data == expected)
        assert len(leftovers(tmp_path)) <= 1
    assert outcomes == {True, False}  # some were killed before writing, some after
