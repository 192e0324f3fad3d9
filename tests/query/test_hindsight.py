"""Hindsight (issue 14): when each forecast was entered, when criteria were written,
and the as-recorded view that leaves out forecasts not yet committed.

With git history the day a forecast was entered is its first commit (real
repositories built in tmp_path, as in test_verify); without, its `entered:`.
Gaps are counted here by hand with `datetime`.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from typing import TYPE_CHECKING

import pytest
from click.testing import CliRunner
from test_verify import Repo, isolated  # noqa: F401  (isolated: an autouse fixture)

from ledger.cli import main
from ledger.frame import frame
from ledger.query import history
from ledger.query.hindsight import LATE_DAYS, hindsight
from ledger.validate import check

if TYPE_CHECKING:
    from pathlib import Path

    from ledger.core.model import Ledger

NOW = dt.date(2026, 12, 4)


def d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


LEDGER = """\
forecasters:
  - {id: alice, name: Alice}
  - {id: bob, name: Bob}
questions:
  - id: rain
    title: It rains
    criteria: It rains in Paris on 2027-07-14.
    kind: binary
    deadline: 2027-12-31
    written: 2026-03-15
    forecasts:
      - {by: alice, made: 2026-01-06..2026-02-10, p: 0.6, basis: stated, entered: 2026-03-20}
      - {by: bob, made: 2026-03-01, p: 0.3, basis: stated, entered: 2026-03-20}
  - id: snow
    title: It snows
    criteria: It snows in Paris on 2027-12-25.
    kind: binary
    deadline: 2027-12-31
    forecasts:
      - {by: alice, made: 2026-02-01, p: 0.2, basis: stated}
"""


def loaded(path: Path) -> Ledger:
    ledger, errors = check(str(path))
    assert errors == []
    return ledger


def test_without_git_the_entered_field_says_when(tmp_path: Path) -> None:
    path = tmp_path / "predictions.yaml"
    path.write_text(LEDGER, encoding="utf-8")
    found = hindsight(loaded(path), None, NOW)
    assert found.source == "entered: dates"
    by = {(e.question, e.forecaster): e for e in found.forecasts}
    alice = by[("rain", "alice")]
    # Made by 2026-02-10 at the latest, entered 2026-03-20: 38 days, late.
    assert (alice.entered, alice.how) == (d("2026-03-20"), "entered")
    assert alice.late_days == (d("2026-03-20") - d("2026-02-10")).days == 38
    assert alice.late
    bob = by[("rain", "bob")]
    assert (bob.late_days, bob.late) == (19, False)  # within LATE_DAYS
    snow = by[("snow", "alice")]
    assert (snow.entered, snow.how, snow.late_days, snow.late) == (None, "unknown", None, False)
    assert [e.forecaster for e in found.late()] == ["alice"]
    # Criteria written 2026-03-15: 33 days after Alice's forecast, 14 after Bob's.
    rain = next(q for q in found.questions if q.question == "rain")
    assert [(who, gap) for who, _, gap in rain.after] == [("alice", 33)]
    assert rain.late and rain.written == "2026-03-15"
    assert rain.exists_from == d("2026-03-15")
    snow_q = next(q for q in found.questions if q.question == "snow")
    assert not snow_q.late and snow_q.exists_from == d("2026-02-01")
    assert LATE_DAYS == 30


needs_git = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


@needs_git
def test_with_git_the_first_commit_says_when(tmp_path: Path) -> None:
    repo = Repo(tmp_path / "repo")
    first = LEDGER.replace(
        "      - {by: bob, made: 2026-03-01, p: 0.3, basis: stated, entered: 2026-03-20}\n",
        "",
    )
    short = repo.commit(first, "2026-04-15")
    later = repo.commit(LEDGER, "2026-05-01")
    path = repo.root / "predictions.yaml"
    path.write_text(
        LEDGER + "      - {by: bob, made: 2026-11-30, p: 0.1, basis: stated}\n",
        encoding="utf-8",
    )
    ledger = loaded(path)
    found = hindsight(ledger, history.history((str(path),)), NOW)
    assert found.source == "git history"
    entries = [(e.question, e.forecaster, e.entered, e.how, e.commit) for e in found.forecasts]
    assert entries == [
        ("rain", "alice", d("2026-04-15"), "git", short),  # git wins over entered:
        ("rain", "bob", d("2026-05-01"), "git", later),
        ("snow", "alice", d("2026-04-15"), "git", short),
        ("snow", "bob", NOW, "uncommitted", None),  # in the working tree only
    ]
    alice = found.forecasts[0]
    assert alice.late_days == (d("2026-04-15") - d("2026-02-10")).days
    assert not found.forecasts[3].late  # made 2026-11-30, 4 days before NOW
    # As recorded at the end of April 2026, Bob's forecast on rain was not in
    # the file yet (first committed 2026-05-01).
    entered = found.entered_days()
    view = frame(ledger, d("2026-04-30"), as_recorded=True, entered=entered)
    assert sorted(map(str, view.loc[view["question"] == "rain", "forecaster"])) == ["alice"]
    known = frame(ledger, d("2026-04-30"))
    assert sorted(map(str, known.loc[known["question"] == "rain", "forecaster"])) == [
        "alice", "bob"
    ]


@needs_git
def test_score_as_recorded_reads_the_git_history(tmp_path: Path) -> None:
    repo = Repo(tmp_path / "repo")
    text = LEDGER.replace(
        "  - id: snow\n",
        "    outcomes:\n      - {result: yes, known: 2027-07-14, recorded: 2027-08-01}\n"
        "  - id: snow\n",
    )
    first = text.replace(
        "      - {by: bob, made: 2026-03-01, p: 0.3, basis: stated, entered: 2026-03-20}\n",
        "",
    )
    repo.commit(first, "2026-04-15")
    repo.commit(text, "2027-09-01")  # Bob's forecast reached the file late
    path = str(repo.root / "predictions.yaml")

    def score(*args: str) -> str:
        result = CliRunner().invoke(main, ["score", path, "--format", "json", *args])
        assert result.exit_code == 0, result.output
        return result.stdout

    as_known = {r["forecaster"]: r for r in json.loads(score("--as-of", "2027-07-20"))}
    assert as_known["alice"]["n"] == 1 and as_known["bob"]["n"] == 1
    # Known 2027-07-14 but recorded 2027-08-01: not yet written down on 2027-07-20.
    early = {r["forecaster"]: r for r in json.loads(
        score("--as-of", "2027-07-20", "--as-recorded")
    )}
    assert early["alice"]["n"] == 0 and early["alice"]["n_open"] == 2
    assert "bob" not in early  # not committed until 2027-09-01
    later = {r["forecaster"]: r for r in json.loads(
        score("--as-of", "2027-08-15", "--as-recorded")
    )}
    assert later["alice"]["n"] == 1 and "bob" not in later
    assert later["alice"]["brier"] == pytest.approx((1 - 0.6) ** 2)
