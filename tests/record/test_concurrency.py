"""Writers at the same moment: every edit lands, none is lost, the file stays valid.

The processes are real `ledger` commands (`ledger.cli.main`, as `python -m
ledger` runs it), started together: each imports ledger first, then waits for
a "go" file, so all of them reach the read-modify-write at once.
"""

from __future__ import annotations

import difflib
import fcntl
import os
import subprocess
import sys
import threading
import time
from typing import TYPE_CHECKING

import pytest
from click.testing import CliRunner
from recording import clean

from ledger.cli import main
from ledger.files import lock as locks
from ledger.record import insert, write

if TYPE_CHECKING:
    from pathlib import Path

N = 20

WAIT_THEN_RUN = """\
import os, sys, time
from ledger.cli import main
ready, go = sys.argv[1:3]
open(ready, "w").close()
while not os.path.exists(go):
    time.sleep(0.0005)
main(args=sys.argv[3:], prog_name="ledger")
"""


def base(n: int = N) -> str:
    forecasters = "".join(
        f"  - id: f{i:02d}\n    name: Forecaster {i}\n" for i in range(n)
    )
    return (
        "# many writers\nforecasters:\n" + forecasters + "\nquestions:\n"
        "  - id: q1\n    title: One\n    criteria: A judge decides.\n    kind: binary\n"
        "    deadline: 2030-12-31\n    forecasts: []\n\n"
        "  # the second\n"
        "  - id: q2\n    title: Two\n    criteria: A judge decides.\n    kind: binary\n"
        "    deadline: 2030-12-31\n    forecasts:\n"
        "      - by: f00\n        made: 2025-01-01\n        p: 0.5\n        basis: stated\n"
    )


def run_together(
    folder: Path, commands: list[list[str]]
) -> list[subprocess.CompletedProcess]:
    go = folder / "go"
    ready = [folder / f"ready-{i}" for i in range(len(commands))]
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", WAIT_THEN_RUN, str(flag), str(go), *command],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for flag, command in zip(ready, commands, strict=True)
    ]
    deadline = time.monotonic() + 60
    while not all(flag.exists() for flag in ready):  # all imported, all waiting
        assert time.monotonic() < deadline, "the writers did not start"
        assert all(p.poll() is None for p in processes), "a writer died early"
        time.sleep(0.01)
    go.touch()
    results = []
    for process, command in zip(processes, commands, strict=True):
        out, err = process.communicate(timeout=120)
        results.append(
            subprocess.CompletedProcess(command, process.returncode, out, err)
        )
    for path in [go, *ready]:
        path.unlink()
    return results


def test_twenty_writers_at_once_all_land(tmp_path: Path) -> None:
    path = tmp_path / "ledger.yaml"
    path.write_text(base())
    old = path.read_bytes()
    commands = [
        [
            "forecast",
            "-f",
            str(path),
            "q1" if i % 2 else "q2",
            "--by",
            f"f{i:02d}",
            "--p",
            f"0.{10 + i}",
            "--made",
            f"2026-02-{1 + i:02d}",
        ]
        for i in range(N)
    ]
    results = run_together(tmp_path, commands)
    for result in results:
        assert result.returncode == 0, result.stderr
        assert "added a forecast" in result.stdout
    new = path.read_bytes()
    ledger = clean(new)
    assert CliRunner().invoke(main, ["check", str(path)]).exit_code == 0
    q1, q2 = ledger.questions
    assert sorted(f.by for f in q1.forecasts) == [f"f{i:02d}" for i in range(1, N, 2)]
    assert sorted(f.by for f in q2.forecasts[1:]) == [
        f"f{i:02d}" for i in range(0, N, 2)
    ]
    assert {f.by: f.p for f in q1.forecasts + q2.forecasts[1:]} == {
        f"f{i:02d}": float(f"0.{10 + i}") for i in range(N)
    }
    # every line of the old file is still there, in order ("forecasts: []" aside)
    a = old.decode().replace("forecasts: []", "forecasts:").splitlines()
    b = new.decode().splitlines()
    opcodes = difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
    assert {op[0] for op in opcodes} == {"equal", "insert"}
    assert [n for n in os.listdir(tmp_path) if n.endswith(".tmp")] == []


def test_two_resolves_at_the_same_moment_both_land(tmp_path: Path) -> None:
    path = tmp_path / "ledger.yaml"
    for _ in range(3):
        path.write_text(base(2))
        results = run_together(
            tmp_path,
            [
                [
                    "resolve",
                    "-f",
                    str(path),
                    "q1",
                    "yes",
                    "--known",
                    "2026-03-01",
                    "--note",
                    "first",
                ],
                [
                    "resolve",
                    "-f",
                    str(path),
                    "q1",
                    "no",
                    "--known",
                    "2026-03-02",
                    "--note",
                    "second",
                ],
            ],
        )
        for result in results:
            assert result.returncode == 0, result.stderr
        outcomes = clean(path.read_bytes()).questions[0].outcomes
        assert sorted((o.result.kind, o.note) for o in outcomes) == [
            ("no", "second"),
            ("yes", "first"),
        ]


@pytest.fixture
def quick_lock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(locks, "LOCK_WAIT_NOTICE", 0.05)
    monkeypatch.setattr(locks, "LOCK_TIMEOUT", 0.3)


def test_a_held_lock_gives_a_notice_then_a_clear_error(
    tmp_path: Path, quick_lock: None
) -> None:
    path = tmp_path / "ledger.yaml"
    path.write_text(base(2))
    data = path.read_bytes()
    with open(str(path) + ".lock", "a") as held:
        fcntl.flock(held, fcntl.LOCK_EX)  # another ledger command, stuck mid-write
        started = time.monotonic()
        result = CliRunner().invoke(
            main,
            [
                "forecast",
                "-f",
                str(path),
                "q1",
                "--by",
                "f01",
                "--p",
                "0.6",
                "--made",
                "2026-02-01",
            ],
        )
        waited = time.monotonic() - started
    assert 0.3 <= waited < 5
    assert result.exit_code == 1, result.output
    notice, error = result.stderr.splitlines()
    assert (
        notice
        == f"waiting for another ledger command to finish writing {path} (lock {path}.lock)"
    )
    assert error == (
        f"{path}:1: another process has held the lock {path}.lock for 0.3 s; wait for the "
        "other ledger command to finish (or stop it) and try again"
    )
    assert path.read_bytes() == data


def test_a_lock_released_in_time_lets_the_write_through(
    tmp_path: Path, quick_lock: None
) -> None:
    path = tmp_path / "ledger.yaml"
    path.write_text(base(2))
    held = open(str(path) + ".lock", "a")  # noqa: SIM115 - released by the timer below
    fcntl.flock(held, fcntl.LOCK_EX)
    timer = threading.Timer(0.15, held.close)  # closing releases the lock
    timer.start()
    notices: list[str] = []
    try:
        written, errors = write.write(
            str(path),
            lambda text, ledger: insert.add_to_question(
                text,
                str(path),
                "q1",
                "forecasts",
                [
                    ("by", "f01"),
                    ("made", "2026-02-01"),
                    ("p", "0.6"),
                    ("basis", "stated"),
                ],
            ),
            notices.append,
        )
    finally:
        timer.join()
    assert errors == [] and written is not None
    assert len(notices) == 1 and "waiting for another ledger command" in notices[0]
    assert [f.by for f in clean(path.read_bytes()).questions[0].forecasts] == ["f01"]
