"""`ledger verify`: tamper evidence from real git histories built in tmp_path.

Every repository here is made with controlled author and committer dates and
its own user name and e-mail (`-c` options), with the global and system git
configuration switched off, so nothing depends on the machine's git setup.
"""

from __future__ import annotations

import json
import shutil
from typing import TYPE_CHECKING

import pytest
from click.testing import CliRunner
from gitrepo import Repo, isolate

from ledger.cli import main

if TYPE_CHECKING:
    from pathlib import Path

pytestmark = pytest.mark.skipif(
    shutil.which("git") is None, reason="git is not installed; ledger verify reads git history"
)

FILE = "predictions.yaml"
HEAD = """\
forecasters:
  - id: alice
    name: Alice
  - id: bob
    name: Bob
questions:
  - id: rain
    title: It rains in Paris on 2026-07-14
    criteria: Météo-France records rain in Paris on 2026-07-14.
    kind: binary
    deadline: 2026-12-31
"""


def forecast(by: str, made: str, p: str, quote: str | None = None) -> str:
    entry = f"      - by: {by}\n        made: {made}\n        p: {p}\n        basis: stated\n"
    if quote is not None:
        entry += f"        quote: {json.dumps(quote)}\n"
    return entry


def outcome(result: str, known: str, recorded: str) -> str:
    return f"      - result: {result}\n        known: {known}\n        recorded: {recorded}\n"


def ledger(forecasts: list[str] = (), outcomes: list[str] = ()) -> str:  # type: ignore[assignment]
    text = HEAD + ("    forecasts:\n" + "".join(forecasts) if forecasts else "    forecasts: []\n")
    return text + ("    outcomes:\n" + "".join(outcomes) if outcomes else "    outcomes: []\n")


@pytest.fixture(autouse=True)
def isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    isolate(monkeypatch, tmp_path)


@pytest.fixture
def repo(tmp_path: Path) -> Repo:
    return Repo(tmp_path)


def verify(*args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(main, ["verify", *args])


def as_json(*args: str) -> dict:  # type: ignore[type-arg]
    result = verify(*args, "--format", "json")
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return json.loads(result.stdout)


def line_of(text: str, needle: str, nth: int = 1) -> int:
    """The 1-based line of the nth line of `text` that contains `needle`."""
    hits = [i for i, line in enumerate(text.splitlines(), 1) if needle in line]
    return hits[nth - 1]


def test_honest_history_is_clean_with_first_commits(repo: Repo) -> None:
    c1 = repo.commit(ledger(), "2026-01-10")
    c2 = repo.commit(ledger([forecast("alice", "2026-01-14", "70%")]), "2026-01-15")
    three = [
        forecast("alice", "2026-01-14", "70%"),
        forecast("bob", "2026-02-18", "0.4"),
        forecast("alice", "2026-02-19", "80%"),  # an update, appended
    ]
    c3 = repo.commit(ledger(three), "2026-02-20")
    c4 = repo.commit(ledger(three, [outcome("yes", "2026-07-14", "2026-07-15")]), "2026-07-15")
    assert len({c1, c2, c3, c4}) == 4

    result = verify()
    assert result.exit_code == 0, result.output
    assert "No findings: 3 forecasts checked against 4 commits" in result.stdout
    assert "not committed yet" not in result.stdout

    data = as_json()
    assert data["findings"] == []
    assert data["forecasts"] == [
        {"question": "rain", "forecaster": "alice", "ordinal": 1, "commit": c2, "date": "2026-01-15"},
        {"question": "rain", "forecaster": "bob", "ordinal": 1, "commit": c3, "date": "2026-02-20"},
        {"question": "rain", "forecaster": "alice", "ordinal": 2, "commit": c3, "date": "2026-02-20"},
    ]


def test_edited_p_is_an_error_naming_field_and_commit(repo: Repo) -> None:
    c1 = repo.commit(ledger([forecast("alice", "2026-01-14", "70%")]), "2026-01-15")
    text = ledger([forecast("alice", "2026-01-14", "90%")])
    c2 = repo.commit(text, "2026-03-01")

    result = verify()
    assert result.exit_code == 1
    line = line_of(text, "- by: alice")
    assert (
        f"{FILE}:{line}: error: forecast #1 by alice on rain: p changed 0.7 → 0.9 "
        f"in commit {c2} (2026-03-01), after it was first committed in commit {c1} (2026-01-15)"
    ) in result.stdout
    (finding,) = as_json()["findings"]
    assert finding["level"] == "error" and finding["line"] == line


def test_edited_quote_is_an_error(repo: Repo) -> None:
    repo.commit(ledger([forecast("alice", "2026-01-14", "70%", "Probably rain.")]), "2026-01-15")
    c2 = repo.commit(
        ledger([forecast("alice", "2026-01-14", "70%", "Almost certainly rain.")]), "2026-02-01"
    )
    result = verify()
    assert result.exit_code == 1
    assert (
        f'quote changed "Probably rain." → "Almost certainly rain." in commit {c2}'
    ) in result.stdout


def test_removed_forecast_is_an_error_at_line_1(repo: Repo) -> None:
    c1 = repo.commit(
        ledger([forecast("alice", "2026-01-14", "70%"), forecast("bob", "2026-01-14", "20%")]),
        "2026-01-15",
    )
    c2 = repo.commit(ledger([forecast("alice", "2026-01-14", "70%")]), "2026-02-01")
    result = verify()
    assert result.exit_code == 1
    assert (
        f"{FILE}:1: error: forecast #1 by bob on rain, first committed in commit {c1} "
        f"(2026-01-15), was removed in commit {c2} (2026-02-01)"
    ) in result.stdout
    data = as_json()
    assert [f["line"] for f in data["findings"]] == [1]
    assert [f["forecaster"] for f in data["forecasts"]] == ["alice"]


def test_forecast_committed_after_the_outcome_was_known_is_backdated(repo: Repo) -> None:
    known = [outcome("yes", "2026-03-01", "2026-03-05")]
    c1 = repo.commit(ledger([forecast("alice", "2026-01-14", "70%")], known), "2026-03-05")
    text = ledger([forecast("alice", "2026-01-14", "70%"), forecast("bob", "2026-02-25", "90%")], known)
    c2 = repo.commit(text, "2026-03-10")

    result = verify("--threshold-days", "400")
    assert result.exit_code == 1
    assert (
        f"{FILE}:{line_of(text, '- by: bob')}: error: forecast #1 by bob on rain is backdated: "
        f"first committed in commit {c2} (2026-03-10), after its question's outcome was "
        f"known (2026-03-01, recorded in commit {c1} (2026-03-05))"
    ) in result.stdout
    # alice's forecast went in with the outcome, but was committed after it was known too
    assert "forecast #1 by alice on rain is backdated" in result.stdout


def test_a_provisional_result_is_not_an_outcome_known(repo: Repo) -> None:
    market = [outcome("provisional:0.37", "2026-02-01", "2026-02-01")]
    repo.commit(ledger([forecast("alice", "2026-02-20", "70%")], market), "2026-02-21")
    assert verify().exit_code == 0


def test_late_entry_warns_unless_within_the_threshold(repo: Repo) -> None:
    text = ledger([forecast("alice", "2026-01-01", "70%")])
    c1 = repo.commit(text, "2026-04-01")  # 90 days after it was made

    result = verify()
    assert result.exit_code == 0  # a warning alone
    assert verify("--strict").exit_code == 1
    assert (
        f"{FILE}:{line_of(text, '- by: alice')}: warning: forecast #1 by alice on rain was "
        f"entered late: made 2026-01-01 (latest reading 2026-01-01), first committed in "
        f"commit {c1} (2026-04-01), 90 days later (threshold 30 days)"
    ) in result.stdout
    assert [f["level"] for f in as_json()["findings"]] == ["warning"]

    clean = verify("--threshold-days", "120")
    assert clean.exit_code == 0, clean.output
    assert "No findings" in clean.stdout


def test_late_entry_uses_the_latest_reading_of_made(repo: Repo) -> None:
    repo.commit(ledger([forecast("alice", "2026-01-01..2026-03-20", "70%")]), "2026-04-01")
    assert verify().exit_code == 0  # 12 days after the latest reading


def test_uncommitted_forecast_is_not_committed_yet(repo: Repo) -> None:
    c1 = repo.commit(ledger([forecast("alice", "2026-01-14", "70%")]), "2026-01-15")
    (repo.root / FILE).write_text(
        ledger([forecast("alice", "2026-01-14", "70%"), forecast("bob", "2026-05-01", "30%")]),
        encoding="utf-8",
    )
    result = verify()
    assert result.exit_code == 0, result.output
    assert "not committed yet" in result.stdout
    assert [(f["forecaster"], f["commit"], f["date"]) for f in as_json()["forecasts"]] == [
        ("alice", c1, "2026-01-15"),
        ("bob", None, None),
    ]


def test_uncommitted_edit_of_a_committed_forecast_is_an_error(repo: Repo) -> None:
    repo.commit(ledger([forecast("alice", "2026-01-14", "70%")]), "2026-01-15")
    (repo.root / FILE).write_text(ledger([forecast("alice", "2026-01-14", "75%")]), encoding="utf-8")
    result = verify()
    assert result.exit_code == 1
    assert "p changed 0.7 → 0.75 in the working tree (not committed)" in result.stdout


def test_not_a_git_repo_says_so_and_checks_nothing(tmp_path: Path) -> None:
    (tmp_path / FILE).write_text(ledger([forecast("alice", "2026-01-14", "70%")]), encoding="utf-8")
    result = verify()
    assert result.exit_code == 0
    assert f"no git history for {FILE}: nothing checked" in result.stderr
    assert result.stdout == ""


def test_a_file_never_committed_says_so(repo: Repo) -> None:
    repo.commit("other\n", "2026-01-01", name="README")
    (repo.root / FILE).write_text(ledger(), encoding="utf-8")
    result = verify()
    assert result.exit_code == 0
    assert f"no git history for {FILE}: nothing checked" in result.stderr


def test_a_repo_without_commits_says_so(repo: Repo) -> None:
    (repo.root / FILE).write_text(ledger(), encoding="utf-8")
    result = verify()
    assert result.exit_code == 0
    assert f"no git history for {FILE}: nothing checked" in result.stderr


def test_a_commit_with_broken_yaml_is_a_warning_not_a_crash(repo: Repo) -> None:
    c1 = repo.commit(ledger([forecast("alice", "2026-01-14", "70%")]), "2026-01-15")
    c2 = repo.commit("questions: [unclosed\n", "2026-01-16")
    repo.commit(ledger([forecast("alice", "2026-01-14", "70%")]), "2026-01-17")

    result = verify()
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert result.exit_code == 0  # a warning alone
    assert verify("--strict").exit_code == 1
    assert f"{FILE}:1: warning: commit {c2}: the file did not load" in result.stdout
    data = as_json()
    assert [f["level"] for f in data["findings"]] == ["warning"]
    assert data["forecasts"][0]["commit"] == c1


def test_a_renamed_file_is_followed(repo: Repo) -> None:
    c1 = repo.commit(ledger([forecast("alice", "2026-01-14", "70%")]), "2026-01-15", name="old.yaml")
    repo.git("mv", "old.yaml", FILE, day="2026-02-01")
    repo.git("commit", "-q", "-m", "rename", day="2026-02-01")
    assert as_json()["forecasts"][0]["commit"] == c1


def test_a_file_in_a_subdirectory_from_elsewhere(repo: Repo, tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    name = "data/sub/predictions.yaml"
    c1 = repo.commit(ledger([forecast("alice", "2026-01-14", "70%")]), "2026-01-15", name=name)
    (tmp_path / "elsewhere").mkdir()
    monkeypatch.chdir(tmp_path / "elsewhere")
    data = as_json(f"../{name}")
    assert data["findings"] == []
    assert data["forecasts"][0]["commit"] == c1


def test_output_is_deterministic(repo: Repo) -> None:
    repo.commit(
        ledger([forecast("alice", "2026-01-14", "70%"), forecast("bob", "2025-01-14", "20%")]),
        "2026-01-15",
    )
    repo.commit(ledger([forecast("alice", "2026-01-14", "60%")]), "2026-02-01")
    first, second = verify(), verify()
    assert first.exit_code == second.exit_code == 1
    assert first.stdout == second.stdout
    lines = [f["line"] for f in as_json()["findings"]]
    assert lines == sorted(lines)


def test_identity_is_file_order_not_made_order(repo: Repo) -> None:
    first = forecast("alice", "2026-02-01", "70%")
    update = forecast("alice", "2026-02-19", "80%")
    c1 = repo.commit(ledger([first, update]), "2026-02-20")
    # moving the first forecast's `made` past the update must not swap identities
    c2 = repo.commit(ledger([forecast("alice", "2026-03-01", "70%"), update]), "2026-03-02")
    result = verify()
    assert result.exit_code == 1
    data = as_json()
    assert [f["message"] for f in data["findings"]] == [
        f"forecast #1 by alice on rain: made changed 2026-02-01 → 2026-03-01 in "
        f"commit {c2} (2026-03-02), after it was first committed in commit {c1} (2026-02-20)"
    ]
    assert [(f["forecaster"], f["ordinal"]) for f in data["forecasts"]] == [
        ("alice", 1), ("alice", 2)
    ]
