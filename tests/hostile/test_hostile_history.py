"""`ledger verify` of a split ledger, a shallow clone, and no git (issue 13, problems 6
and 17): every included file's history is read, and what cannot be checked says so.

Real repositories in tmp_path, committed with fixed names and dates and no
global or system git configuration.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from typing import TYPE_CHECKING

import pytest
from click.testing import CliRunner, Result
from gitrepo import Repo, isolate

from ledger.cli import main

if TYPE_CHECKING:
    from pathlib import Path

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="verify reads git")

MAIN = """\
include: [ledger.d/*.yaml]
sources: []
forecasters:
  - {id: alice, name: Alice Example}
  - {id: bob, name: Bob Example}
questions: []
"""


def topic(p: str = "0.7", made: str = "2026-05-01", qid: str = "robots") -> str:
    return (
        "questions:\n"
        f"  - id: {qid}\n"
        "    title: A home robot folds laundry\n"
        "    criteria: Resolves yes if one is sold by the deadline.\n"
        "    kind: binary\n"
        "    deadline: 2028-12-31\n"
        "    forecasts:\n"
        f"      - by: alice\n        made: {made}\n        p: {p}\n        basis: stated\n"
    )


@pytest.fixture(autouse=True)
def isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    isolate(monkeypatch, tmp_path)


def verify(*args: str) -> Result:
    result = CliRunner().invoke(main, ["verify", *args], prog_name="ledger")
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        result.exc_info
    )
    return result


# -- problem 6: an included file's history was not read ------------------------------------


def test_a_change_in_an_included_file_is_found_and_names_it(tmp_path: Path) -> None:
    repo = Repo(tmp_path)
    c1 = repo.commit_files({"main.yaml": MAIN, "ledger.d/topic.yaml": topic("0.7")}, "2026-05-02")
    c2 = repo.commit_files({"ledger.d/topic.yaml": topic("0.2")}, "2026-05-20")
    result = verify("main.yaml")
    assert result.exit_code == 1
    assert result.stdout.startswith(
        "ledger.d/topic.yaml:8: error: forecast #1 by alice on robots: p changed "
        f"0.7 → 0.2 in commit {c2} (2026-05-20), after it was first committed in "
        f"commit {c1} (2026-05-02)\n"
    )
    assert "in 2 commits of main.yaml and 1 included file." in result.stdout
    data = json.loads(verify("main.yaml", "--format", "json").stdout)
    assert [(f["path"], f["line"]) for f in data["findings"]] == [("ledger.d/topic.yaml", 8)]


def test_an_honest_split_history_is_clean_across_renames_and_moves(tmp_path: Path) -> None:
    repo = Repo(tmp_path)
    single = MAIN.replace("include: [ledger.d/*.yaml]\n", "").replace(
        "questions: []\n", topic().split("questions:\n", 1)[1].join(["questions:\n", ""])
    )
    c1 = repo.commit_files({"main.yaml": single}, "2026-05-02")
    # the keeper splits the ledger: the question moves into an included file
    repo.commit_files({"main.yaml": MAIN, "ledger.d/robots.yaml": topic()}, "2026-05-10")
    # and renames that file
    repo.git("mv", "ledger.d/robots.yaml", "ledger.d/machines.yaml", day="2026-05-11")
    repo.git("commit", "-q", "-m", "rename", day="2026-05-11")
    # bob adds a forecast there a day after he made it
    update = topic() + "      - by: bob\n        made: 2026-05-11\n        p: 0.5\n" \
        "        basis: stated\n"
    c4 = repo.commit_files({"ledger.d/machines.yaml": update}, "2026-05-12")
    result = verify("main.yaml")
    assert result.exit_code == 0, result.output
    assert "No findings: 2 forecasts checked against 4 commits of main.yaml and 1 " \
        "included file." in result.stdout
    data = json.loads(verify("main.yaml", "--format", "json").stdout)
    assert [(f["forecaster"], f["commit"]) for f in data["forecasts"]] == [
        ("alice", c1), ("bob", c4),
    ]


def test_a_broken_included_file_is_a_warning_naming_it(tmp_path: Path) -> None:
    repo = Repo(tmp_path)
    repo.commit_files({"main.yaml": MAIN, "ledger.d/topic.yaml": topic()}, "2026-05-02")
    broken = repo.commit_files({"ledger.d/topic.yaml": "questions: [oops\n"}, "2026-05-03")
    repo.commit_files({"ledger.d/topic.yaml": topic()}, "2026-05-04")
    result = verify("main.yaml")
    assert result.exit_code == 0  # a warning alone
    assert result.stdout.startswith(
        f"ledger.d/topic.yaml:1: warning: commit {broken}: the file did not load"
    )
    strict = verify("main.yaml", "--strict")
    assert strict.exit_code == 1


def test_a_removed_forecast_in_an_included_file_names_that_file(tmp_path: Path) -> None:
    repo = Repo(tmp_path)
    repo.commit_files({"main.yaml": MAIN, "ledger.d/topic.yaml": topic()}, "2026-05-02")
    without = topic().split("    forecasts:\n")[0] + "    forecasts: []\n"
    repo.commit_files({"ledger.d/topic.yaml": without}, "2026-05-03")
    result = verify("main.yaml")
    assert result.exit_code == 1
    assert result.stdout.startswith(
        "ledger.d/topic.yaml:1: error: forecast #1 by alice on robots, first committed"
    )


# -- problem 17: a shallow clone, no git, and warnings alone -------------------------------


def test_a_shallow_clone_says_so_and_exits_2(tmp_path: Path) -> None:
    repo = Repo(tmp_path / "origin")
    repo.commit_files({"main.yaml": MAIN, "ledger.d/topic.yaml": topic(made="2025-01-01")},
                "2025-01-02")
    repo.commit_files({"ledger.d/topic.yaml": topic(made="2025-01-01").replace(
        "A home robot", "A robot")}, "2026-05-02")
    subprocess.run(["git", "clone", "-q", "--depth", "1",
                    f"file://{tmp_path / 'origin'}", str(tmp_path / "shallow")],
                   check=True, capture_output=True)
    result = verify(str(tmp_path / "shallow" / "main.yaml"))
    assert result.exit_code == 2
    assert "nothing checked (a shallow clone" in result.stderr
    assert "git fetch --unshallow" in result.stderr
    assert "entered late" not in result.stdout + result.stderr


def test_without_git_it_says_so_and_exits_2(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    repo = Repo(tmp_path)
    repo.commit_files({"main.yaml": MAIN, "ledger.d/topic.yaml": topic()}, "2026-05-02")
    monkeypatch.setenv("PATH", str(tmp_path / "no-such-folder"))
    result = verify("main.yaml")
    assert result.exit_code == 2
    assert result.stderr == (
        "cannot read the git history of main.yaml: nothing checked (git is not installed)\n"
    )


def test_warnings_alone_exit_0_and_strict_makes_them_fail(tmp_path: Path) -> None:
    repo = Repo(tmp_path)
    repo.commit_files({"main.yaml": MAIN, "ledger.d/topic.yaml": topic(made="2026-01-01")},
                "2026-05-02")
    result = verify("main.yaml")
    assert result.exit_code == 0
    assert "warning: forecast #1 by alice on robots was entered late" in result.stdout
    assert "0 errors, 1 warning" in result.stdout
    assert verify("main.yaml", "--strict").exit_code == 1
