"""Writes that respect the file system, one lock per ledger, and refusals that point
at the right line (issue 13, problems 4, 5 and 18).

- A read-only ledger (or included file) is refused with a clear error, checked
  before writing: the tests run as root, whose writes the system allows, so
  the check is shown twice: a 0444 file (no write bit: refused even for root)
  and a 0644 file that `os.access` says this user may not write.
- A hard-linked ledger is refused: an atomic write would cut the link.
- Two `ledger add` of the same id into two files of a split ledger, run
  together 50 times: exactly one lands each time.
- A refused `resolve` points at its question, not at the next one.
"""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

from click.testing import CliRunner, Result

from ledger.cli import main
from ledger.core.model import Ledger
from ledger.loader.load import load_text

if TYPE_CHECKING:
    import pytest

FIXTURE = Path(__file__).parents[1] / "errors" / "commands" / "fixture" / "predictions.yaml"
SHIPPED = Path(__file__).parents[2] / "predictions.yaml"


def run(*args: str) -> Result:
    result = CliRunner().invoke(main, list(args), prog_name="ledger")
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        result.exc_info
    )
    return result


def split_ledger(folder: Path) -> Path:
    """main.yaml (people, one question) including d/topic.yaml (one question)."""
    text = FIXTURE.read_text("utf-8")
    head, rest = text.split("questions:\n", 1)
    first, second = rest.split("  - id: new-release\n", 1)
    (folder / "d").mkdir()
    (folder / "d" / "topic.yaml").write_text(
        "questions:\n  - id: new-release\n" + second, encoding="utf-8"
    )
    root = folder / "main.yaml"
    root.write_text("include: [d/topic.yaml]\n" + head + "questions:\n" + first,
                    encoding="utf-8")
    return root


# -- problem 4: read-only files ------------------------------------------------------


def test_a_read_only_ledger_is_refused_and_stays_as_it_was(tmp_path: Path) -> None:
    path = tmp_path / "L.yaml"
    shutil.copy(FIXTURE, path)
    path.chmod(0o444)
    data = path.read_bytes()
    result = run("resolve", "new-release", "yes", "--known", "2026-06-05", "-f", str(path))
    assert result.exit_code == 1
    assert result.stderr == (
        f"{path}:1: the file is read-only (mode 0444); make it writable "
        f"(chmod u+w {path}) to change it\n"
    )
    assert path.read_bytes() == data and stat.S_IMODE(path.stat().st_mode) == 0o444


def test_a_read_only_included_file_is_refused(tmp_path: Path) -> None:
    root = split_ledger(tmp_path)
    topic = tmp_path / "d" / "topic.yaml"
    topic.chmod(0o444)
    before = topic.read_bytes(), root.read_bytes()
    result = run("resolve", "new-release", "yes", "--known", "2026-06-05", "-f", str(root))
    assert result.exit_code == 1
    assert f"{topic}:1: the file is read-only (mode 0444)" in result.stderr
    assert (topic.read_bytes(), root.read_bytes()) == before


def test_access_is_checked_not_left_to_the_system(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A 0644 file this user may not write (someone else's, say): `os.access` says so,
    and the write is refused before anything happens, although the folder would
    let the file be replaced."""
    path = tmp_path / "L.yaml"
    shutil.copy(FIXTURE, path)
    data = path.read_bytes()
    real = os.access

    def access(name: object, mode: int, *args: object, **kwargs: object) -> bool:
        if mode & os.W_OK and os.path.realpath(str(name)) == str(path.resolve()):
            return False
        return real(name, mode, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "access", access)
    result = run("resolve", "new-release", "yes", "--known", "2026-06-05", "-f", str(path))
    assert result.exit_code == 1
    assert "the file is read-only (mode 0644)" in result.stderr
    assert path.read_bytes() == data


def test_a_hard_linked_ledger_is_refused_and_both_names_keep_the_file(tmp_path: Path) -> None:
    path = tmp_path / "L.yaml"
    shutil.copy(FIXTURE, path)
    os.link(path, tmp_path / "backup.yaml")
    data = path.read_bytes()
    result = run("resolve", "new-release", "yes", "--known", "2026-06-05", "-f", str(path))
    assert result.exit_code == 1
    assert "the file has 2 hard links" in result.stderr
    assert path.read_bytes() == data == (tmp_path / "backup.yaml").read_bytes()
    assert path.stat().st_ino == (tmp_path / "backup.yaml").stat().st_ino


# -- problem 5: one lock per ledger ---------------------------------------------------

TRIALS = 50

RACER = """\
import os, sys, time
import click
from ledger.cli import main
folder, role, trials = sys.argv[1], sys.argv[2], int(sys.argv[3])
for n in range(trials):
    trial = os.path.join(folder, f"t{n}")
    open(os.path.join(trial, "ready-" + role), "w").close()
    while not os.path.exists(os.path.join(trial, "go")):
        time.sleep(0.0002)
    args = ["add", "-f", os.path.join(trial, "main.yaml"), "--id", "race1",
            "--title", "Race", "--criteria", "A judge decides.", "--kind", "binary",
            "--deadline", "2030-12-31"]
    if role == "b":
        args += ["--into", os.path.join(trial, "d", "topic.yaml")]
    try:
        main(args=args, prog_name="ledger", standalone_mode=False)
        code = 0
    except click.ClickException as exc:
        code = exc.exit_code
    except SystemExit as exc:
        code = exc.code
    with open(os.path.join(trial, "done-" + role), "w") as out:
        out.write(str(code))
"""


def test_two_writers_of_one_split_ledger_never_add_the_same_id(tmp_path: Path) -> None:
    """`add -f main.yaml` and `add -f main.yaml --into d/topic.yaml`, the same new
    id, started together 50 times (two processes, one trial after another):
    each time exactly one lands, and the ledger stays valid."""
    for n in range(TRIALS):
        (tmp_path / f"t{n}").mkdir()
        split_ledger(tmp_path / f"t{n}")
    racers = [
        subprocess.Popen([sys.executable, "-c", RACER, str(tmp_path), role, str(TRIALS)])
        for role in ("a", "b")
    ]
    try:
        deadline = time.monotonic() + 300
        for n in range(TRIALS):
            trial = tmp_path / f"t{n}"
            while not ((trial / "ready-a").exists() and (trial / "ready-b").exists()):
                assert time.monotonic() < deadline, "the writers did not get ready"
                assert all(r.poll() is None for r in racers), "a writer died"
                time.sleep(0.001)
            (trial / "go").touch()
        for racer in racers:
            assert racer.wait(timeout=300) == 0
    finally:
        for racer in racers:
            if racer.poll() is None:
                racer.kill()
                racer.wait()
    doubled = []
    for n in range(TRIALS):
        trial = tmp_path / f"t{n}"
        codes = sorted(int((trial / f"done-{r}").read_text()) for r in "ab")
        check = run("check", str(trial / "main.yaml"))
        if codes != [0, 2] or check.exit_code != 0:
            doubled.append((n, codes, check.stderr))
    assert doubled == []


# -- problem 18: a refused write points at its question ----------------------------------


def test_a_refused_resolve_points_at_its_question_in_the_shipped_ledger(tmp_path: Path) -> None:
    path = tmp_path / "predictions.yaml"
    shutil.copy(SHIPPED, path)
    ledger, _ = load_text(path.read_text("utf-8"), str(path))
    binary = [q for q in ledger.questions if q.kind == "binary" and not q.outcomes]
    question = binary[len(binary) // 2]
    data = path.read_bytes()
    result = run("resolve", question.id, "maybe", "--known", "2026-06-05", "-f", str(path))
    assert result.exit_code == 1
    assert result.stderr.startswith(f"{path}:{question.location.line}: result 'maybe'")
    assert path.read_bytes() == data


def test_a_refused_edit_keeps_the_lines_of_the_file_on_disk() -> None:
    from ledger.record import refused

    old = "a\nb\nc\nd\n"
    new = "a\nb\nnew 1\nnew 2\nc\nd\n"
    lines = refused._Map(old, new)
    assert [lines.old_line(n) for n in range(1, 7)] == [
        (1, False), (2, False), (2, True), (2, True), (3, False), (4, False),
    ]
    # a changed line (`[]` made a block list) counts as new; CR LF endings are lines too
    assert refused._Map("x: []\r\ny\r\n", "x:\r\n  - 1\r\ny\r\n").old_line(3) == (2, False)


def test_an_error_in_a_new_entry_points_at_its_question_and_others_move_back() -> None:
    from ledger.core.model import Error, Location
    from ledger.record import refused

    old = (
        "forecasters:\n  - id: a\n    name: A\nquestions:\n"
        "  - id: q1\n    title: T\n    criteria: C\n    kind: binary\n    deadline: 2030\n"
        "  - id: q2\n    title: T\n    criteria: C\n    kind: binary\n    deadline: 2030\n"
    )
    new = old.replace(
        "    deadline: 2030\n  - id: q2",
        "    deadline: 2030\n    forecasts:\n      - {by: a, made: 2026-01-01, p: 2, "
        "basis: stated}\n  - id: q2",
    )
    before, _ = load_text(old, "x.yaml")
    after, errors = load_text(new, "x.yaml")
    found = [*errors, Error(Location("x.yaml", 12), "about q2 (line 12)")]
    moved = refused.on_disk(found, "x.yaml", (old, new), (before, after))
    assert [(e.location.line, e.message) for e in moved] == [
        (5, errors[0].message),  # the new forecast's error: at q1, line 5
        (10, "about q2 (line 10)"),  # q2 is at line 10 on disk, 12 in the new text
    ]
    assert isinstance(after, Ledger)
