"""Ledgers larger than one file: `include:`, one namespace, writes to the right file,
and a layout in which two keepers' branches merge cleanly with plain git."""

from __future__ import annotations

import os
import shutil
import subprocess
from typing import TYPE_CHECKING

import pytest
from click.testing import CliRunner

from ledger.cli import main
from ledger.validate import check

if TYPE_CHECKING:
    from pathlib import Path

MAIN = """\
# The main file: people and sources; questions live one file per topic.
include: [ledger.d/*.yaml]
forecasters:
  - id: alice
    name: Alice
  - id: bob
    name: Bob
"""
ROBOTICS = """\
questions:
  - id: robots-fold-laundry
    title: A robot folds laundry at home
    criteria: A robot sold to consumers folds laundry unaided.
    kind: binary
    deadline: 2030-12-31
    forecasts:
      - {by: alice, made: 2026-01-10, p: 0.6, basis: stated}
"""
BIOLOGY = """\
questions:
  - id: ai-drug-approved
    title: An AI-designed drug is approved
    criteria: The FDA approves a drug whose molecule an AI system designed.
    kind: binary
    deadline: 2030-12-31
    forecasts:
      - {by: bob, made: 2026-01-12, p: 0.3, basis: stated}
"""


@pytest.fixture
def book(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "ledger.d").mkdir()
    (tmp_path / "predictions.yaml").write_text(MAIN, encoding="utf-8")
    (tmp_path / "ledger.d" / "robotics.yaml").write_text(ROBOTICS, encoding="utf-8")
    (tmp_path / "ledger.d" / "biology.yaml").write_text(BIOLOGY, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_included_files_are_one_ledger(book: Path) -> None:
    ledger, errors = check("predictions.yaml")
    assert errors == []
    assert sorted(q.id for q in ledger.questions) == ["ai-drug-approved", "robots-fold-laundry"]
    assert ledger.files == ("predictions.yaml", "ledger.d/biology.yaml", "ledger.d/robotics.yaml")
    assert {q.id: q.location.path for q in ledger.questions} == {
        "ai-drug-approved": "ledger.d/biology.yaml",
        "robots-fold-laundry": "ledger.d/robotics.yaml",
    }
    code, out, _ = run("list", "--as-of", "2026-06-01")
    assert code == 0 and "robots-fold-laundry" in out and "ai-drug-approved" in out


def test_errors_name_the_file_they_come_from(book: Path) -> None:
    (book / "ledger.d" / "biology.yaml").write_text(BIOLOGY.replace("by: bob", "by: bobb"))
    code, _, err = run("check")
    assert code == 1
    assert err == "ledger.d/biology.yaml:8: forecaster 'bobb' is not declared; did you mean 'bob'?\n"


def test_writes_go_to_the_file_that_holds_the_question(book: Path) -> None:
    before_main = (book / "predictions.yaml").read_bytes()
    before_bio = (book / "ledger.d" / "biology.yaml").read_bytes()
    code, out, _ = run("resolve", "robots-fold-laundry", "no", "--known", "2026-02-01")
    assert code == 0, out
    assert out.startswith("ledger.d/robotics.yaml:")
    assert (book / "predictions.yaml").read_bytes() == before_main
    assert (book / "ledger.d" / "biology.yaml").read_bytes() == before_bio
    assert "result: no" in (book / "ledger.d" / "robotics.yaml").read_text()
    code, out, _ = run("forecast", "ai-drug-approved", "--by", "alice", "--p", "0.2", "--made", "2026-03-01")
    assert code == 0 and out.startswith("ledger.d/biology.yaml:")
    assert check("predictions.yaml")[1] == []


def test_new_questions_go_where_into_says(book: Path) -> None:
    code, out, _ = run("add", "--id", "robots-cook", "--title", "A robot cooks", "--criteria", "c",
                       "--kind", "binary", "--deadline", "2031-01-01", "--into", "ledger.d/robotics.yaml")
    assert code == 0 and out.startswith("ledger.d/robotics.yaml:")
    assert "robots-cook" in (book / "ledger.d" / "robotics.yaml").read_text()
    code, out, err = run("add", "--id", "x", "--title", "t", "--criteria", "c", "--kind", "binary",
                         "--deadline", "2031-01-01", "--into", "predictions.yaml")
    assert code == 0 and out.startswith("predictions.yaml:")
    outside = book / "elsewhere.yaml"
    outside.write_text("questions: []\n")
    code, _, err = run("add", "--id", "y", "--title", "t", "--criteria", "c", "--kind", "binary",
                       "--deadline", "2031-01-01", "--into", "elsewhere.yaml")
    assert code == 2 and "not part of the ledger" in err


def test_a_write_that_breaks_another_file_is_refused(book: Path) -> None:
    before = (book / "ledger.d" / "robotics.yaml").read_bytes()
    code, _, err = run("add", "--id", "ai-drug-approved", "--title", "t", "--criteria", "c",
                       "--kind", "binary", "--deadline", "2031-01-01", "--into", "ledger.d/robotics.yaml")
    assert code == 2 and "already exists" in err
    assert (book / "ledger.d" / "robotics.yaml").read_bytes() == before


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_two_keepers_resolving_different_topics_merge_cleanly(book: Path) -> None:
    env = {**os.environ, "GIT_AUTHOR_NAME": "k", "GIT_AUTHOR_EMAIL": "k@example.org",
           "GIT_COMMITTER_NAME": "k", "GIT_COMMITTER_EMAIL": "k@example.org"}

    def git(*args: str) -> str:
        done = subprocess.run(["git", *args], cwd=book, env=env, capture_output=True, text=True, check=False)
        assert done.returncode == 0, done.stderr
        return done.stdout

    git("init", "-q", "-b", "main")
    git("add", "-A")
    git("commit", "-q", "-m", "ledger")
    git("checkout", "-q", "-b", "robotics")
    assert run("resolve", "robots-fold-laundry", "no", "--known", "2026-02-01")[0] == 0
    git("commit", "-q", "-am", "robotics outcome")
    git("checkout", "-q", "main")
    assert run("resolve", "ai-drug-approved", "yes", "--known", "2026-03-01")[0] == 0
    assert run("forecast", "ai-drug-approved", "--by", "alice", "--p", "0.4", "--made", "2026-02-20")[0] == 0
    git("commit", "-q", "-am", "biology outcome")
    git("merge", "-q", "--no-edit", "robotics")  # a conflict would fail here
    ledger, errors = check("predictions.yaml")
    assert errors == []
    resolved = {q.id: [o.result.kind for o in q.outcomes] for q in ledger.questions}
    assert resolved == {"ai-drug-approved": ["yes"], "robots-fold-laundry": ["no"]}
