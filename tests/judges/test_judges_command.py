"""`ledger judges` in each format, on the judged test ledger (tests/data/judged)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from click.testing import CliRunner

from ledger.cli import main

LEDGER = str(Path(__file__).parent.parent / "data" / "judged" / "predictions.yaml")


def judges(*args: str) -> str:
    result = CliRunner().invoke(main, ["judges", LEDGER, "--as-of", "2028-06-30", *args])
    assert result.exit_code == 0, result.output
    return result.output


def test_the_three_formats_carry_the_same_figures():
    data = json.loads(judges("--format", "json"))
    rows = list(csv.DictReader(io.StringIO(judges("--format", "csv"))))
    table = judges()
    fleiss = next(r for r in rows if r["measure"] == "fleiss_kappa")
    assert float(fleiss["value"]) == data["fleiss_kappa"]
    assert int(fleiss["n"]) == data["fleiss_n"] == 2
    assert f"Fleiss' kappa {data['fleiss_kappa']:.2f} (n=2" in table
    assert [d["question"] for d in data["disputed"]] == ["labs-converge", "agents-everywhere"]
    assert data["disputed"][0]["gradings"][2] == {
        "judge": "lee", "result": "no", "note": "One lab trains differently."}
    assert "    lee no: One lab trains differently." in table
    assert {(s["forecaster"], s["under"]) for s in data["sensitivity"]} == {
        (who, under) for who in ("alice", "bob") for under in ("kim", "jo", "lee", "combined")}


def test_before_any_grading_there_is_nothing_to_agree_on():
    data = json.loads(judges("--format", "json", "--as-of", "2027-12-31"))
    assert data["n_questions"] == 5 and data["disputed"] == [] and data["sensitivity"] == []
    assert all(p["n"] == 0 and p["kappa"] is None for p in data["pairs"])
    table = judges("--as-of", "2027-12-31")
    assert "No two judges have graded the same question yet" in table
