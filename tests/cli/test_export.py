"""`ledger export`: the tidy frame as CSV or JSON on stdout, for other tools."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from click.testing import CliRunner

from ledger.cli import main
from ledger.frame import SCHEMA

LEDGER = """\
forecasters:
  - id: ann
    name: Ann
questions:
  - id: rain
    title: Rain on the day
    criteria: Any rain at the station.
    kind: binary
    deadline: 2026-05-01
    tags: [weather, "topic:uk"]
    forecasts:
      - {by: ann, made: 2026-04-01, p: 0.7, basis: stated}
    outcomes:
      - {result: yes, known: 2026-05-01, recorded: 2026-05-02}
  - id: market
    title: A market still open
    criteria: As the market resolves.
    kind: binary
    deadline: 2027-01-01
    forecasts:
      - {by: ann, made: 2026-04-01, p: 25%, basis: stated}
    outcomes:
      - {result: "provisional:0.4", known: 2026-06-01, recorded: 2026-06-01}
  - id: landing
    title: A landing
    criteria: The day it lands.
    kind: date
    deadline: 2030-12-31
    forecasts:
      - {by: ann, made: 2026-01, window: [2027-01-01, 2028-12-31], basis: stated}
"""


def run(*args: object) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, [str(a) for a in args])
    return result.exit_code, result.stdout, result.stderr


def ledger_file(tmp_path: Path) -> Path:
    path = tmp_path / "l.yaml"
    path.write_text(LEDGER, "utf-8")
    return path


def test_csv(tmp_path: Path) -> None:
    code, stdout, stderr = run("export", ledger_file(tmp_path), "--as-of", "2026-07-01")
    assert (code, stderr) == (0, "")
    rows = list(csv.DictReader(io.StringIO(stdout)))
    assert list(rows[0]) == list(SCHEMA)
    by = {row["question"]: row for row in rows}
    assert set(by) == {"rain", "market", "landing"}
    rain = by["rain"]
    assert (rain["tags"], rain["made"], rain["known"], rain["p"], rain["outcome"]) == (
        '["weather","topic:uk"]',
        "2026-04-01",
        "2026-05-01",
        "0.7",
        "1.0",
    )
    assert (rain["standing"], rain["provisional"], rain["excluded"]) == (
        "true",
        "false",
        "",
    )
    market = by["market"]
    # not scored without --provisional: no outcome, an empty cell
    assert (market["status"], market["outcome"], market["known"], market["tags"]) == (
        "open",
        "",
        "2026-06-01",
        "[]",
    )
    landing = by["landing"]
    assert (landing["made"], landing["made_latest"], landing["p"]) == (
        "2026-01-01",
        "2026-01-31",
        "",
    )


def test_csv_provisional(tmp_path: Path) -> None:
    code, stdout, _ = run(
        "export", ledger_file(tmp_path), "--as-of", "2026-07-01", "--provisional"
    )
    assert code == 0
    market = next(
        r for r in csv.DictReader(io.StringIO(stdout)) if r["question"] == "market"
    )
    assert (market["outcome"], market["provisional"], market["excluded"]) == (
        "0.4",
        "true",
        "",
    )


def test_json(tmp_path: Path) -> None:
    code, stdout, stderr = run(
        "export", ledger_file(tmp_path), "--format", "json", "--as-of", "2026-07-01"
    )
    assert (code, stderr) == (0, "")
    rows = json.loads(stdout)
    assert [list(row) for row in rows] == [list(SCHEMA)] * 3
    by = {row["question"]: row for row in rows}
    assert by["rain"]["tags"] == ["weather", "topic:uk"]
    assert by["rain"]["outcome"] == 1.0 and by["rain"]["standing"] is True
    assert by["rain"]["deadline"] == "2026-05-01"
    assert by["market"]["outcome"] is None and by["landing"]["until"] is None
    assert by["landing"]["p"] is None and by["landing"]["line"] == 30
    assert isinstance(by["landing"]["line"], int)


def test_a_broken_ledger_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(LEDGER.replace("p: 0.7", "p: 1.7"), "utf-8")
    code, stdout, stderr = run("export", path)
    assert (code, stdout) == (1, "")
    assert stderr.startswith(f"{path}:12: probability must be between 0 and 1")


def test_export_of_an_imported_ledger(tmp_path: Path) -> None:
    data = Path(__file__).parent.parent / "data" / "forecastbench" / "synthetic"
    out = tmp_path / "fb.yaml"
    code, _, stderr = run(
        "import",
        "forecastbench",
        "--questions",
        data / "question_set.json",
        "--forecasts",
        data / "forecast_set.json",
        "--resolutions",
        data / "resolution_set.json",
        "-o",
        out,
    )
    assert code == 0, stderr
    code, stdout, _ = run("export", out, "--as-of", "2030-12-31")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(stdout)))
    assert len(rows) == 15  # every forecast of the synthetic import
    assert {r["tags"] for r in rows} >= {
        '["category:market","source:manifold"]',
        '["category:dataset","source:fred"]',
    }
