"""Tests of `ledger score` and `ledger calibration` through the real command line."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import math
import re
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from ledger.cli import main
from ledger.core import rules
from ledger.validate import check as check_file

ROOT = Path(__file__).resolve().parent.parent.parent
SAMPLE = str(Path(__file__).parent.parent / "data" / "sample.yaml")
SHIPPED = str(ROOT / "predictions.yaml")
AS_OF = "2029-01-01"
KEYS = {
    "n",
    "brier",
    "brier_ci",
    "log_score",
    "baseline_score",
    "n_void",
    "n_open",
    "scale",
}


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def as_json(result: Result) -> object:
    assert result.exit_code == 0, result.output
    assert "NaN" not in result.stdout and "Infinity" not in result.stdout  # plain JSON
    return json.loads(result.stdout)


# -- score -----------------------------------------------------------------------------


def test_score_prints_a_table_with_its_scale():
    result = run("score", SAMPLE, "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert out.startswith("Scores as of 2029-01-01 (standing forecasts).\n")
    assert "Brier 0-1, lower is better" in out
    assert "Baseline (Metaculus): 0 = chance, 100 = perfect" in out
    lines = out.splitlines()
    header = next(line for line in lines if line.startswith("forecaster"))
    assert header.split()[:3] == ["forecaster", "n", "brier"]
    alice = next(line for line in lines if line.startswith("alice"))
    assert alice.split()[1:3] == ["7", f"{0.27 / 7:.3f}"]
    assert (
        "20 forecasts scored with a probability, 2 windows scored by timing only; "
        "4 open, 2 due, 5 void, 1 unscorable" in out
    )


def test_score_json_has_the_documented_keys():
    records = as_json(run("score", SAMPLE, "--as-of", AS_OF, "--format", "json"))
    assert [r["forecaster"] for r in records] == ["alice", "bob", "carol", "dan"]
    for record in records:
        assert KEYS | {"forecaster"} <= set(record)
        assert "brier_ci_low" not in record and "brier_ci_high" not in record
        low, high = record["brier_ci"]
        assert low <= record["brier"] <= high
        assert record["scale"] == "brier 0-1, lower is better"
    alice = records[0]
    assert alice["n"] == 7
    assert alice["brier"] == pytest.approx(0.27 / 7)
    assert (alice["n_void"], alice["n_open"]) == (2, 1)


def test_score_json_writes_null_for_what_is_undefined():
    records = as_json(
        run("score", SAMPLE, "--as-of", AS_OF, "--by", "question", "--format", "json")
    )
    by_question = {r["question"]: r for r in records}
    cure = by_question["cure-found"]  # open: nothing to score yet
    assert (cure["n"], cure["brier"], cure["brier_ci"], cure["log_score"]) == (
        0,
        None,
        [None, None],
        None,
    )
    assert cure["n_open"] == 2
    assert by_question["rain-in-june"]["bss_base_rate"] is None  # every outcome yes


def test_score_json_groups_by_several_keys():
    records = as_json(
        run(
            "score",
            SAMPLE,
            "--as-of",
            AS_OF,
            "--by",
            "forecaster",
            "--by",
            "year",
            "--year-of",
            "resolved",
            "--format",
            "json",
        )
    )
    keys = [(r["forecaster"], r["year"]) for r in records]
    assert keys[:4] == [
        ("alice", "2026"),
        ("alice", "2027"),
        ("alice", "2028"),
        ("alice", "unresolved"),
    ]
    assert all(set(r) >= KEYS for r in records)


def test_score_on_the_0_2_scale():
    plain = as_json(run("score", SAMPLE, "--as-of", AS_OF, "--format", "json"))
    doubled = as_json(
        run("score", SAMPLE, "--as-of", AS_OF, "--scale", "0-2", "--format", "json")
    )
    assert doubled[0]["brier"] == pytest.approx(2 * plain[0]["brier"])
    assert doubled[0]["brier_ci"] == pytest.approx(
        [2 * x for x in plain[0]["brier_ci"]]
    )
    assert doubled[0]["scale"] == "brier 0-2 (GJ Open/Fatebook scale), lower is better"
    table = run("score", SAMPLE, "--as-of", AS_OF, "--scale", "0-2")
    assert "Brier 0-2 (GJ Open/Fatebook scale), lower is better" in table.stdout


def test_score_csv():
    result = run("score", SAMPLE, "--as-of", AS_OF, "--by", "tag", "--format", "csv")
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert {"tag", "n", "brier", "brier_ci_low", "brier_ci_high", "scale"} <= set(
        rows[0]
    )
    by_tag = {r["tag"]: r for r in rows}
    assert by_tag["sport"]["n"] == "0" and by_tag["sport"]["n_void"] == "4"
    assert by_tag["sport"]["brier"] == ""  # no score: an empty cell


def test_as_of_changes_what_counts():
    early = as_json(run("score", SAMPLE, "--as-of", "2026-12-31", "--format", "json"))
    alice = early[0]
    assert alice["n"] == 2  # rain-in-june and rates-cut-2026 only
    assert alice["brier"] == pytest.approx((0.04 + 0.01) / 2)
    assert alice["n_void"] == 1  # match-played; fusion-profitable is still open


def test_provisional_outcomes_count_only_with_the_flag():
    plain = {
        r["forecaster"]: r
        for r in as_json(run("score", SAMPLE, "--as-of", AS_OF, "--format", "json"))
    }
    asked = {
        r["forecaster"]: r
        for r in as_json(
            run("score", SAMPLE, "--as-of", AS_OF, "--provisional", "--format", "json")
        )
    }
    assert asked["dan"]["n"] == plain["dan"]["n"] + 1  # market-election at 0.4
    assert asked["dan"]["n_open"] == plain["dan"]["n_open"] - 1


def test_time_averaged_is_said_and_changes_the_update():
    result = run(
        "score",
        SAMPLE,
        "--as-of",
        AS_OF,
        "--time-averaged",
        "--by",
        "question",
        "--format",
        "json",
    )
    rates = {r["question"]: r for r in as_json(result)}["rates-cut-2026"]
    alice = (50 * 0.16 + 305 * 0.01) / 355  # 0.6 for 50 days, then 0.9 for 305
    assert rates["brier"] == pytest.approx((alice + 0.64) / 2)
    table = run("score", SAMPLE, "--as-of", AS_OF, "--time-averaged")
    assert "time-averaged over the days each forecast stood" in table.stdout


# -- the shipped ledger ----------------------------------------------------------------


def test_the_shipped_ledger_in_2030_has_nothing_to_score_and_says_what_is_due():
    ledger, errors = check_file(SHIPPED)
    assert errors == []
    as_of = dt.date(2030, 12, 31)
    questions = rules.index(ledger)
    states = {
        q.id: rules.status(q, rules.outcome(q, questions, as_of), as_of)
        for q in ledger.questions
    }
    # Due: past the deadline with no outcome, and a forecast waiting to be scored.
    due = sorted(
        q.id
        for q in ledger.questions
        if states[q.id] == "due" and q.forecasts and not q.unscorable
    )
    assert due  # the ledger has questions past their deadline by then

    result = run("score", SHIPPED, "--as-of", "2030-12-31")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert (
        "\n0 forecasts scored with a probability, 0 windows scored by timing only; "
        in out
    )
    assert (
        "Nothing has resolved as of 2030-12-31: there is nothing to score yet." in out
    )
    totals = re.search(r"; (\d+) open, (\d+) due, (\d+) void, (\d+) unscorable", out)
    assert totals is not None
    records = as_json(
        run("score", SHIPPED, "--as-of", "2030-12-31", "--format", "json")
    )
    assert all(r["n"] == 0 and r["brier"] is None for r in records)
    assert int(totals[1]) == sum(r["n_open"] for r in records) > 0
    assert int(totals[2]) == sum(r["n_due"] for r in records) > 0
    listed = re.search(
        r"^Due \(deadline passed, no outcome recorded\): (.+)\.$", out, re.M
    )
    assert listed is not None, out
    assert listed[1].split(", ") == due


# -- explain ---------------------------------------------------------------------------


def test_explain_shows_every_forecast_and_why():
    result = run("score", SAMPLE, "--as-of", AS_OF, "--explain", "rates-cut-2026")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert out.startswith(
        "rates-cut-2026 as of 2029-01-01 (brier 0-1, lower is better)"
    )
    assert "not scored: replaced by a later forecast by the same forecaster" in out
    assert out.count("counts: the standing forecast of its forecaster") == 2
    assert "calibration bin 90-100%" in out
    rows = as_json(
        run(
            "score",
            SAMPLE,
            "--as-of",
            AS_OF,
            "--explain",
            "rocket-launch",
            "--format",
            "json",
        )
    )
    carol = next(r for r in rows if r["forecaster"] == "carol")
    assert (carol["counts"], carol["p"], carol["brier"], carol["bin"]) == (
        False,
        None,
        None,
        None,
    )
    assert carol["timing_error"] == pytest.approx(15 / 365.25)
    assert carol["why"].startswith("window without a probability")


def test_explain_an_unknown_question_suggests_the_nearest():
    result = run("score", SAMPLE, "--as-of", AS_OF, "--explain", "rates-cut-2062")
    assert result.exit_code == 2
    assert (
        "unknown question 'rates-cut-2062'; did you mean 'rates-cut-2026'?"
        in result.output
    )


# -- calibration -----------------------------------------------------------------------


def test_calibration_table():
    result = run("calibration", SAMPLE, "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert out.startswith("Calibration as of 2029-01-01: 20 scored forecasts.\n")
    assert "90-100%" in out and "10-20%" in out  # the empty bin is kept
    assert "Folded (ACX style" in out
    assert re.search(r"Murphy decomposition \(brier 0-1\): REL [\d.]+, RES", out)
    assert "ECE (positive class, 10 bins; a diagnostic, not a score)" in out


def test_calibration_json_for_one_forecaster_by_alias():
    out = as_json(
        run(
            "calibration",
            SAMPLE,
            "--as-of",
            AS_OF,
            "--forecaster",
            "Ally",
            "--format",
            "json",
        )
    )
    assert out["n"] == 7  # alice's scored forecasts
    bins = {b["bin"]: b for b in out["bins"]}
    assert len(bins) == 10
    assert (bins["80-90%"]["n"], bins["80-90%"]["observed"]) == (3, 1.0)
    assert bins["0-10%"]["observed"] is None  # empty: null, not NaN
    murphy = out["murphy"]
    total = (
        murphy["REL"] - murphy["RES"] + murphy["UNC"] + murphy["WBV"] - murphy["WBC"]
    )
    assert math.isclose(total, murphy["BS"], abs_tol=1e-12)
    assert murphy["BS"] == pytest.approx(0.27 / 7)


def test_calibration_shows_stated_and_mapped_apart():
    mapped = as_json(
        run(
            "calibration",
            SAMPLE,
            "--as-of",
            AS_OF,
            "--basis",
            "mapped",
            "--format",
            "json",
        )
    )
    stated = as_json(
        run(
            "calibration",
            SAMPLE,
            "--as-of",
            AS_OF,
            "--basis",
            "stated",
            "--format",
            "json",
        )
    )
    assert (mapped["n"], stated["n"]) == (1, 19)


def test_calibration_csv():
    result = run("calibration", SAMPLE, "--as-of", AS_OF, "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [r["bin"] for r in rows][:2] == ["0-10%", "10-20%"] and len(rows) == 10


def test_calibration_of_an_unknown_forecaster_is_a_usage_error():
    result = run("calibration", SAMPLE, "--forecaster", "alcie")
    assert result.exit_code == 2
    assert "did you mean 'alice'?" in result.output


# -- a ledger with errors --------------------------------------------------------------


@pytest.mark.parametrize("command", ["score", "calibration"])
def test_a_broken_ledger_is_not_scored(tmp_path, command):
    broken = tmp_path / "broken.yaml"
    broken.write_text(
        "forecasters:\n"
        "  - {id: alice, name: Alice}\n"
        "questions:\n"
        "  - id: q\n"
        "    title: Q\n"
        "    criteria: C\n"
        "    kind: binary\n"
        "    deadline: 2026-12-31\n"
        "    forecasts:\n"
        "      - {by: alcie, made: 2026-01-01, p: 1.3, basis: stated}\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(main, [command, str(broken), "--as-of", AS_OF])
    assert result.exit_code == 1
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) >= 2  # the unknown forecaster and the probability, both at once
    assert all(re.match(rf"{re.escape(str(broken))}:10: ", line) for line in lines), (
        lines
    )
    assert "Traceback" not in result.output
