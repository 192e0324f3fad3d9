"""Hostile and clumsy outputs (issue 13, problems 1-4 and 16): nothing is clobbered.

Each case starts from a small ledger in an empty folder, runs the real command
line, and checks the exit status, the message and that no byte changed where
none should. The rules themselves are `ledger.files.outputs`; these are the
cases that broke on main: a calendar written over the ledger, a report
written into the current folder by `--out ""`, `/dev/null` and FIFOs turned
into regular files, symbolic links replaced.
"""

from __future__ import annotations

import os
import shutil
import socket
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from ledger.cli import main

FIXTURE = Path(__file__).parents[1] / "errors" / "commands" / "fixture" / "predictions.yaml"
CSV = "question,forecaster,probability,made,deadline\nWill it?,Ann,0.7,2026-01-01,2026-12-31\n"


def run(*args: str) -> Result:
    result = CliRunner().invoke(main, list(args), prog_name="ledger")
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        result.exc_info
    )
    return result


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty folder holding a copy of the fixture ledger, as the current folder."""
    shutil.copy(FIXTURE, tmp_path / "L.yaml")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def snapshot(folder: Path) -> dict[str, tuple[int, bytes | str]]:
    """Every entry under `folder`: its type bits and its bytes (or link target)."""
    found: dict[str, tuple[int, bytes | str]] = {}
    for path in sorted(folder.rglob("*")):
        mode = path.lstat().st_mode
        if stat.S_ISLNK(mode):
            found[str(path.relative_to(folder))] = (stat.S_IFMT(mode), os.readlink(path))
        elif stat.S_ISREG(mode):
            found[str(path.relative_to(folder))] = (stat.S_IFMT(mode), path.read_bytes())
        else:
            found[str(path.relative_to(folder))] = (stat.S_IFMT(mode), b"")
    return found


# -- problem 1: `due L.yaml --ics L.yaml` replaced the ledger with a calendar --------------


def test_the_calendar_never_replaces_the_ledger(here: Path) -> None:
    before = snapshot(here)
    for extra in ([], ["--force"]):
        result = run("due", "L.yaml", "--ics", "L.yaml", "--as-of", "2026-06-01", *extra)
        assert result.exit_code == 2
        assert "'L.yaml' is a file of the ledger L.yaml; name another file" in result.stderr
    assert snapshot(here) == before


def test_the_calendar_never_replaces_an_included_file_or_another_ledger(here: Path) -> None:
    (here / "d").mkdir()
    (here / "d" / "topic.yaml").write_text("questions: []\n", encoding="utf-8")
    main_text = (here / "L.yaml").read_text("utf-8").replace(
        "forecasters:", "include: [d/topic.yaml]\nforecasters:", 1
    )
    (here / "L.yaml").write_text(main_text, encoding="utf-8")
    shutil.copy(FIXTURE, here / "other.yaml")  # a ledger the command did not load
    before = snapshot(here)
    included = run("due", "L.yaml", "--ics", "d/topic.yaml", "--force", "--as-of", "2026-06-01")
    assert included.exit_code == 2 and "is a file of the ledger L.yaml" in included.stderr
    other = run("due", "L.yaml", "--ics", "other.yaml", "--force", "--as-of", "2026-06-01")
    assert other.exit_code == 2 and "'other.yaml' holds a ledger" in other.stderr
    assert snapshot(here) == before


def test_an_existing_calendar_is_replaced_only_if_ledger_wrote_it(here: Path) -> None:
    (here / "mine.ics").write_text("my own notes\n", encoding="utf-8")
    refused = run("due", "L.yaml", "--ics", "mine.ics", "--as-of", "2026-06-01")
    assert refused.exit_code == 2 and "already exists; pass --force" in refused.stderr
    assert (here / "mine.ics").read_text("utf-8") == "my own notes\n"
    assert refused.stdout == ""  # refused before anything is printed
    forced = run("due", "L.yaml", "--ics", "mine.ics", "--force", "--as-of", "2026-06-01")
    assert forced.exit_code == 0
    assert (here / "mine.ics").read_bytes().startswith(b"BEGIN:VCALENDAR\r\n")
    # now it is ledger's own calendar: replaced without --force, day after day
    again = run("due", "L.yaml", "--ics", "mine.ics", "--as-of", "2026-06-02")
    assert again.exit_code == 0, again.stderr
    assert b"DTSTAMP:20260602T000000Z" in (here / "mine.ics").read_bytes()


# -- problem 2: `report --out ""` wrote 43 files into the current folder ------------------


@pytest.mark.parametrize("out", ["", "   "])
def test_an_empty_report_folder_is_refused_and_nothing_is_written(here: Path, out: str) -> None:
    (here / "README.md").write_text("# the project's own README\n", encoding="utf-8")
    before = snapshot(here)
    result = run("report", "L.yaml", "--out", out, "--as-of", "2026-12-31")
    assert result.exit_code == 2
    assert "the path is empty; name the folder to write into" in result.stderr
    assert snapshot(here) == before


def test_a_report_replaces_only_its_own_files(here: Path) -> None:
    (here / "README.md").write_text("# the project's own README\n", encoding="utf-8")
    before = snapshot(here)
    refused = run("report", "L.yaml", "--out", ".", "--as-of", "2026-12-31")
    assert refused.exit_code == 2
    assert "'./README.md' already exists; pass --force to replace it" in refused.stderr
    assert snapshot(here) == before  # the pages' names are checked before any is written
    made = run("report", "L.yaml", "--out", "out", "--as-of", "2026-12-31")
    assert made.exit_code == 0, made.output
    again = run("report", "L.yaml", "--out", "out", "--as-of", "2026-12-31", "--format", "md")
    assert again.exit_code == 0 and "(0 changed)" in again.stdout  # its own files
    # a file it did not write, where a chart of its own goes
    chart = next((here / "out" / "charts").glob("*.svg"))
    chart.unlink()
    chart.write_text("<svg>someone else's</svg>", encoding="utf-8")
    manifest = (here / "out" / ".ledger-report.json").read_text("utf-8")
    listed = manifest.replace(f'"charts/{chart.name}"', '"charts/elsewhere.svg"')
    (here / "out" / ".ledger-report.json").write_text(listed, encoding="utf-8")
    foreign = run("report", "L.yaml", "--out", "out", "--as-of", "2026-12-31")
    assert foreign.exit_code == 2 and f"charts/{chart.name}' already exists" in foreign.stderr
    assert chart.read_text("utf-8") == "<svg>someone else's</svg>"
    forced = run("report", "L.yaml", "--out", "out", "--as-of", "2026-12-31", "--force")
    assert forced.exit_code == 0
    assert chart.read_text("utf-8").startswith("<svg")
    assert chart.read_text("utf-8") != "<svg>someone else's</svg>"


def test_a_report_never_replaces_a_ledger_even_with_force(here: Path) -> None:
    (here / "out").mkdir()
    shutil.copy(FIXTURE, here / "out" / "compare.md")  # a ledger, whatever its name
    before = snapshot(here)
    result = run("report", "L.yaml", "--out", "out", "--as-of", "2026-12-31", "--force")
    assert result.exit_code == 2 and "'out/compare.md' holds a ledger" in result.stderr
    assert snapshot(here) == before


@pytest.mark.skipif(not Path("/proc/self").is_dir(), reason="needs Linux's /proc")
def test_a_report_folder_that_cannot_be_made_is_named(here: Path) -> None:
    result = run("report", "L.yaml", "--out", "/proc/nope", "--as-of", "2026-12-31")
    assert result.exit_code == 2
    assert "cannot create the folder '/proc/nope': No such file or directory" in result.stderr
    assert "Could not open file" not in result.stderr


# -- problem 3: /dev/null, FIFOs and sockets became regular files --------------------------


def test_an_import_never_replaces_a_device_even_with_force(here: Path) -> None:
    """The issue's `-o /dev/null --force`, on a null device made here: code that
    clobbered it would replace this one, not the machine's."""
    (here / "f.csv").write_text(CSV, encoding="utf-8")
    null = os.stat(os.devnull)
    try:
        os.mknod(here / "null", stat.S_IFCHR | 0o666, null.st_rdev)
    except OSError as exc:  # not root, or a container that forbids it
        pytest.skip(f"cannot make a device node: {exc}")
    result = run("import", "csv", "f.csv", "-o", "null", "--force")
    assert result.exit_code == 2
    assert "'null' is a character device, not a regular file" in result.stderr
    assert stat.S_ISCHR((here / "null").stat().st_mode)


@pytest.mark.parametrize("kind", ["fifo", "socket", "folder"])
def test_a_calendar_never_replaces_a_fifo_a_socket_or_a_folder(here: Path, kind: str) -> None:
    node = here / "node"
    if kind == "fifo":
        os.mkfifo(node)
        said = "is a FIFO (named pipe), not a regular file"
    elif kind == "socket":
        server = socket.socket(socket.AF_UNIX)
        server.bind(str(node))
        server.close()
        said = "is a socket, not a regular file"
    else:
        node.mkdir()
        said = "is a directory"  # click's own check (dir_okay=False)
    for extra in ([], ["--force"]):
        result = run("due", "L.yaml", "--ics", "node", "--as-of", "2026-06-01", *extra)
        assert result.exit_code == 2 and said in result.stderr
    assert stat.S_IFMT(node.lstat().st_mode) != stat.S_IFREG


# -- problem 4 (links): import -o LINK replaced a symbolic link without --force ------------


@pytest.mark.parametrize("dangling", [False, True])
def test_a_link_is_written_through_only_with_force(here: Path, dangling: bool) -> None:
    (here / "f.csv").write_text(CSV, encoding="utf-8")
    target = here / "real.yaml"
    if not dangling:
        target.write_text("# Imported by ledger import csv from old.csv; do not edit by hand\n"
                          "questions: []\n", encoding="utf-8")
    (here / "link.yaml").symlink_to("real.yaml")
    before = snapshot(here)
    refused = run("import", "csv", "f.csv", "-o", "link.yaml")
    assert refused.exit_code == 2
    assert "'link.yaml' is a symbolic link (to 'real.yaml'); pass --force" in refused.stderr
    assert snapshot(here) == before
    forced = run("import", "csv", "f.csv", "-o", "link.yaml", "--force")
    assert forced.exit_code == 0, forced.stderr
    assert (here / "link.yaml").is_symlink() and os.readlink(here / "link.yaml") == "real.yaml"
    assert target.read_text("utf-8").startswith("# Imported by ledger import csv from f.csv")


def test_a_link_to_a_ledger_is_refused_even_with_force(here: Path) -> None:
    (here / "f.csv").write_text(CSV, encoding="utf-8")
    (here / "link.yaml").symlink_to("L.yaml")
    before = snapshot(here)
    result = run("import", "csv", "f.csv", "-o", "link.yaml", "--force")
    assert result.exit_code == 2 and "'link.yaml' holds a ledger" in result.stderr
    assert snapshot(here) == before


def test_an_import_replaces_an_earlier_import_only_with_force(here: Path) -> None:
    (here / "f.csv").write_text(CSV, encoding="utf-8")
    assert run("import", "csv", "f.csv", "-o", "out.yaml").exit_code == 0
    first = (here / "out.yaml").read_bytes()
    (here / "f.csv").write_text(CSV.replace("0.7", "0.6"), encoding="utf-8")
    refused = run("import", "csv", "f.csv", "-o", "out.yaml")
    assert refused.exit_code == 2 and "already exists; pass --force" in refused.stderr
    assert (here / "out.yaml").read_bytes() == first
    assert run("import", "csv", "f.csv", "-o", "out.yaml", "--force").exit_code == 0
    assert b"p: 0.6" in (here / "out.yaml").read_bytes()


# -- the rules, one by one --------------------------------------------------------------


@pytest.mark.parametrize(
    ("head", "ledger"),
    [
        (b"forecasters:\n  - id: a\n", True),
        (b"\xef\xbb\xbf# yaml-language-server: $schema=x\n\n%YAML 1.1\n---\nquestions: []\n", True),
        (b"include: [d/*.yaml]\n", True),
        (b"{questions: [], forecasters: []}\n", True),
        (b"# just a comment\n", False),
        (b"BEGIN:VCALENDAR\r\n", False),
        (b"  questions: []\n", False),  # indented: not a top-level key
        (b"questionsx: 1\n", False),
        (b"", False),
        (b"\xff\xfe\x00garbage", False),
    ],
)
def test_what_starts_like_a_ledger(head: bytes, ledger: bool) -> None:
    from ledger.files import outputs

    assert outputs.looks_like_ledger(head) is ledger


def test_the_rules_refuse_before_anything_is_written(tmp_path: Path) -> None:
    from ledger.files import outputs
    from ledger.files.outputs import Refused, Rules

    plain = tmp_path / "plain.txt"
    plain.write_text("x", encoding="utf-8")
    with pytest.raises(Refused, match="already exists; pass --force"):
        outputs.write_output(str(plain), b"new", Rules())
    with pytest.raises(Refused, match="already exists and ledger did not write it"):
        outputs.write_output(str(plain), b"new", Rules(forceable=False))
    outputs.write_output(str(plain), b"new", Rules(own=lambda path: path == str(plain)))
    assert plain.read_bytes() == b"new"
    plain.chmod(0o444)
    with pytest.raises(Refused, match=r"read-only \(mode 0444\)"):
        outputs.write_output(str(plain), b"newer", Rules(force=True))
    assert plain.read_bytes() == b"new"
    fresh = tmp_path / "fresh.txt"
    outputs.write_output(str(fresh), b"made", Rules())
    assert fresh.read_bytes() == b"made"
