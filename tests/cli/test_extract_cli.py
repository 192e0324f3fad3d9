"""`ledger extract` on the command line: outputs, refusals, usage errors, --strict."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner, Result

from ledger.cli import main

TRANSCRIPT = """\
[00:00:05] Ann: When will robots fold laundry?
[00:00:12] Ben: In about 2–3 years, probably.
[00:00:40] Ann: And the economy?
[00:00:45] Ben: Unemployment will likely exceed 8% by 2027.
"""
LEDGER = """\
forecasters:
  - {id: ben-b, name: Ben B, aliases: [Ben]}
sources:
  - {id: pod, title: A podcast, kind: podcast}
questions:
  - id: robots-laundry
    title: Robots fold laundry
    criteria: c
    kind: date
    deadline: 2035
    forecasts:
      - {by: ben-b, made: 2026-02, source: pod, window: +2y..+3y, basis: stated, quote: "In about 2–3 years, probably."}
"""


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "t.txt").write_text(TRANSCRIPT, encoding="utf-8")
    (tmp_path / "ledger.yaml").write_text(LEDGER, encoding="utf-8")
    return tmp_path


def run(*args: str) -> Result:
    return CliRunner().invoke(main, ["extract", *args])


@pytest.mark.usefixtures("here")
def test_yaml_stubs_on_stdout() -> None:
    result = run("t.txt", "--made", "2026-02")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("# Candidate forecasts found by `ledger extract` in t.txt")
    stubs = yaml.safe_load(result.stdout)
    assert [s["kind"] for s in stubs] == ["date", "numeric"]
    assert stubs[1]["deadline"] == 2027 and stubs[1]["unit"] == "%"
    assert stubs[1]["forecasts"][0]["window"] == [8, None]
    assert "# Passed over (forecast-like, but not forecasts):" in result.stdout
    assert result.stderr == ""


@pytest.mark.usefixtures("here")
def test_json_has_every_field_the_issue_names() -> None:
    result = run("t.txt", "--made", "2026-02", "--format", "json", "--table", "kent-1964")
    data = json.loads(result.stdout)
    assert set(data) == {"candidates", "skipped"}
    first = data["candidates"][0]
    assert {k: first[k] for k in ("quote", "line", "time", "speaker", "kind", "words", "table",
                                  "p", "basis", "window", "horizon", "confidence")} == {
        "quote": "In about 2–3 years, probably.", "line": 2, "time": "00:00:12", "speaker": "Ben",
        "kind": "date", "words": "probably", "table": "kent-1964", "p": 0.75, "basis": "mapped",
        "window": ["2028-02-01", "2029-02-28"], "horizon": "In about 2–3 years",
        "confidence": "high",
    }
    assert data["skipped"][0]["reason"] == "a question, not a claim"


@pytest.mark.usefixtures("here")
def test_against_a_ledger_with_speaker_aliases_and_strict() -> None:
    result = run("t.txt", "--made", "2026-02", "--against", "ledger.yaml", "--speaker",
                 "ben-b", "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert [c["covered_by"] for c in data["candidates"]] == [["robots-laundry"], []]
    assert data["coverage"]["not_covered_high"] == 1
    strict = run("t.txt", "--made", "2026-02", "--against", "ledger.yaml", "--strict")
    assert strict.exit_code == 1
    assert strict.stderr.splitlines()[-2:] == [
        "Not covered, high confidence (enter each, or list it under skipped: with the reason):",
        "  line 4: Unemployment will likely exceed 8% by 2027.",
    ]
    stubs = yaml.safe_load(strict.stdout)
    assert [s["forecasts"][0]["by"] for s in stubs] == ["ben-b"]


def test_output_file_is_never_replaced_without_force(here: Path) -> None:
    assert run("t.txt", "-o", "out.yaml").exit_code == 0
    first = (here / "out.yaml").read_bytes()
    again = run("t.txt", "-o", "out.yaml", "--made", "2026-02")
    assert (again.exit_code, again.stderr) == (
        1, "out.yaml:1: already exists; pass --force to overwrite it (nothing was written)\n")
    assert (here / "out.yaml").read_bytes() == first
    forced = run("t.txt", "-o", "out.yaml", "--made", "2026-02", "--force")
    assert forced.exit_code == 0
    assert forced.stderr == "wrote out.yaml: 2 candidates\n"
    assert (here / "out.yaml").read_bytes() != first


@pytest.mark.usefixtures("here")
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--strict"], "Error: --strict needs --against LEDGER"),
        (["--made", "2026-13"], "Error: Invalid value for --made: impossible date '2026-13': there is no month 13"),
        (["--table", "icd203"], "Error: Invalid value for --table: unknown table 'icd203'; did you mean 'icd-203'?"),
        (["--format", "csv"], "Error: Invalid value for '--format': 'csv' is not one of 'yaml', 'json'."),
    ],
)
def test_usage_errors_exit_2(args: list[str], message: str) -> None:
    result = run("t.txt", *args)
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == message


def test_problems_with_the_input_are_path_line_messages(here: Path) -> None:
    result = run("t.txt", "--speaker", "Bne")
    assert (result.exit_code, result.stderr) == (1, "t.txt:1: no turn by speaker 'Bne'; did you mean 'Ben'?\n")
    result = run("t.txt", "--speaker", "Zed")
    assert result.stderr == "t.txt:1: no turn by speaker 'Zed'; speakers in it: Ann, Ben\n"
    (here / "plain.txt").write_text("Robots will win by 2030.\n", encoding="utf-8")
    result = run("plain.txt", "--speaker", "Ann")
    assert result.stderr == (
        "plain.txt:1: no turn by speaker 'Ann'; it has no speaker labels (Name: at the start of a line)\n")
    (here / "bad.txt").write_bytes(b"Robots will win.\n\xff\n")
    result = run("bad.txt")
    assert (result.exit_code, result.stderr) == (
        1, "bad.txt:2: the file is not UTF-8: byte 0xff at column 1; save it as UTF-8\n")
    (here / "broken.yaml").write_text("questions: [{id: Q}]\n", encoding="utf-8")
    result = run("t.txt", "--against", "broken.yaml")
    assert result.exit_code == 1 and result.stderr.startswith("broken.yaml:1: ")
    (here / "c.json").write_text('{"spans": []}', encoding="utf-8")
    result = run("t.txt", "--conventions", "c.json")
    assert (result.exit_code, result.stderr) == (
        1, "c.json:1: 'approximate' is missing: give its 'slack' for each unit\n")


def test_a_text_too_long_is_refused(here: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import ledger.extract

    monkeypatch.setattr(ledger.extract, "LARGEST", 50)
    result = run("t.txt", "-o", "out.yaml")
    assert (result.exit_code, result.stderr) == (
        1, f"t.txt:1: the text has {len(TRANSCRIPT):,} characters; ledger extract reads at most 50 (split it into parts)\n")
    assert not (here / "out.yaml").exists()


def test_a_keepers_conventions_change_the_window(here: Path) -> None:
    shipped = json.loads(Path(__import__("ledger.core.conventions", fromlist=["shipped"]).shipped().path).read_text("utf-8"))
    shipped["approximate"]["slack"]["year"] = "+1y"
    (here / "mine.json").write_text(json.dumps(shipped), encoding="utf-8")
    (here / "one.txt").write_text("Robots will arrive in about 3 years.\n", encoding="utf-8")
    result = run("one.txt", "--made", "2026-02-01", "--format", "json", "--conventions", "mine.json")
    assert json.loads(result.stdout)["candidates"][0]["window"] == ["2028-02-01", "2030-02-01"]
