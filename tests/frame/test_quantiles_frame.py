"""Quantile forecasts in the tidy frame and the commands that read it (issue 18).

`ledger score` (table, JSON, --explain), `ledger calibration --quantiles`, `ledger
list` and `ledger export` on one small ledger (tests/data/quantiles.yaml), every
number worked out here by hand in days (a year is 365.25 days), never by the code
under test.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import math
from pathlib import Path

import pytest
from click.testing import CliRunner

from ledger.cli import main
from ledger.frame import frame

YEAR = 365.25

LEDGER = (Path(__file__).parents[1] / "data" / "quantiles.yaml").read_text("utf-8")

AS_OF = "2032-01-01"


def years(start: str, end: str) -> float:
    return (dt.date.fromisoformat(end) - dt.date.fromisoformat(start)).days / YEAR


# Worked out by hand (each term 2 x pinball loss, in years or GW).
ALICE_ROBOTS = (
    2 * 0.1 * years("2027-01-01", "2031-03-01")
    + 2 * 0.5 * years("2030-06-01", "2031-03-01")
    + 2 * 0.1 * years("2031-03-01", "2034-01-01")
) / 3
BOB_ROBOTS = years("2030-12-31", "2031-03-01")  # the median read at its last day
ALICE_POWER = (2 * 0.1 * 17 + 2 * 0.5 * 13 + 2 * 0.9 * 5) / 3
BOB_POWER = (2 * 0.25 * 15 + 2 * 0.25 * 5) / 2
ALICE_NEVER = (
    2 * 0.25 * years("2027-12-31", "2031-01-01") + 2 * 0.75 * years("2029-12-31", "2031-01-01")
) / 2
ALICE_LATER = years("2028-06-01", "2029-07-01")  # at least: no event by 2029-06-30


@pytest.fixture
def ledger_file(tmp_path: Path) -> Path:
    path = tmp_path / "predictions.yaml"
    path.write_text(LEDGER, encoding="utf-8")
    return path


def run(*args: str) -> str:
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == 0, result.output
    return result.stdout


def standing(path: Path, as_of: str = AS_OF):
    from ledger.validate import check

    table = frame(check(str(path))[0], dt.date.fromisoformat(as_of))
    return {(r["question"], str(r["forecaster"])): r for _, r in table.iterrows()}


def test_the_frame_scores_each_quantile_forecast(ledger_file: Path) -> None:
    rows = standing(ledger_file)
    expect = {
        ("robots", "alice"): (ALICE_ROBOTS, ALICE_ROBOTS, False, "no probability"),
        ("robots", "bob"): (BOB_ROBOTS, BOB_ROBOTS, False, "no probability"),
        ("power", "alice"): (ALICE_POWER, ALICE_POWER, False, "no probability"),
        ("power", "bob"): (BOB_POWER, math.nan, False, "no probability"),
        ("never", "alice"): (ALICE_NEVER, math.nan, True, "no probability"),
        ("never", "bob"): (math.nan, math.nan, False, "undetermined"),
        ("later", "alice"): (ALICE_LATER, ALICE_LATER, True, "no probability"),
        ("later", "bob"): (math.nan, math.nan, False, "open"),
    }
    for key, (qs, wis, censored, excluded) in expect.items():
        row = rows[key]
        assert row["quantile_score"] == pytest.approx(qs, abs=1e-9, nan_ok=True), key
        assert row["wis"] == pytest.approx(wis, abs=1e-9, nan_ok=True), key
        assert bool(row["quantile_censored"]) is censored, key
        assert row["excluded"] == excluded, key
    assert rows[("later", "alice")]["known"] == dt.datetime(2029, 6, 30)  # closed then
    assert rows[("robots", "alice")]["quantile_levels"] == (0.1, 0.5, 0.9)
    assert rows[("robots", "alice")]["quantile_values"] == (
        "2027-01-01", "2030-06-01", "2034-01-01",
    )
    assert rows[("power", "bob")]["quantile_values"] == (10.0, 30.0)
    assert rows[("robots", "bob")]["timing_error"] == 0.0  # its window is scored too
    assert rows[("never", "bob")]["quantile_below"][0] == 0.0  # 2027 passed
    assert math.isinf(rows[("never", "bob")]["result_high"])


def test_before_the_outcome_nothing_is_scored(ledger_file: Path) -> None:
    rows = standing(ledger_file, "2028-01-01")
    assert all(math.isnan(r["quantile_score"]) for r in rows.values())
    assert {r["excluded"] for r in rows.values()} == {"open"}


def test_score_json_means_by_forecaster(ledger_file: Path) -> None:
    found = {
        r["forecaster"]: r
        for r in json.loads(run("score", str(ledger_file), "--as-of", AS_OF, "--format", "json"))
    }
    alice, bob = found["alice"], found["bob"]
    assert alice["n_quantiles"] == 4 and bob["n_quantiles"] == 2
    assert alice["quantile_score"] == pytest.approx(
        (ALICE_ROBOTS + ALICE_NEVER + ALICE_LATER) / 3, abs=1e-9
    )
    assert alice["wis"] == pytest.approx((ALICE_ROBOTS + ALICE_LATER) / 2, abs=1e-9)
    assert alice["numeric_quantile_score"] == pytest.approx(ALICE_POWER, abs=1e-9)
    assert alice["numeric_wis"] == pytest.approx(ALICE_POWER, abs=1e-9)
    assert bob["quantile_score"] == pytest.approx(BOB_ROBOTS, abs=1e-9)
    assert bob["numeric_quantile_score"] == pytest.approx(BOB_POWER, abs=1e-9)
    assert bob["numeric_wis"] is None  # 0.25/0.75 have no median
    assert alice["n_window_only"] == 0 and bob["n_window_only"] == 1
    assert bob["n_open"] == 1


def test_score_table_prints_the_columns_with_their_scale(ledger_file: Path) -> None:
    text = run("score", str(ledger_file), "--as-of", AS_OF)
    assert (
        "Quantiles: quantile score (mean of 2 x pinball loss over the levels) and WIS "
        "(Bracher et al. 2021), means in years over date questions and in the unit over "
        "numeric ones; at least 0, lower is better."
    ) in text
    header = next(line for line in text.splitlines() if line.startswith("forecaster"))
    assert "quantile (y)" in header and "WIS (y)" in header
    alice = next(line for line in text.splitlines() if line.startswith("alice"))
    assert f"{(ALICE_ROBOTS + ALICE_NEVER + ALICE_LATER) / 3:.2f}" in alice
    assert f"{ALICE_POWER:.2f} GW" in alice
    assert "1 windows scored by timing only, 6 by quantiles" in text


def test_explain_shows_the_quantiles_their_scores_and_why(ledger_file: Path) -> None:
    text = run("score", str(ledger_file), "--as-of", AS_OF, "--explain", "never")
    assert "quantile_score and wis: in years (date questions) or the question's unit" in text
    assert "quantiles 25%: 2027, 75%: 2029" in text
    assert f"quantile_score {ALICE_NEVER:.3f}" in text
    assert f"quantile score at least {ALICE_NEVER:.2f} y" in text
    assert "no WIS: no median (level 0.5)" in text
    assert "a quantile lies past it, so the quantile score is known only once" in text
    rows = json.loads(
        run("score", str(ledger_file), "--as-of", AS_OF, "--explain", "power", "--format", "json")
    )
    assert rows[0]["quantiles"] == {"10%": 8.0, "50%": 12.0, "90%": 20.0}
    assert rows[0]["quantile_score"] == pytest.approx(ALICE_POWER, abs=1e-9)


def test_calibration_quantiles_counts_below_each_level(ledger_file: Path) -> None:
    found = json.loads(
        run("calibration", str(ledger_file), "--quantiles", "--as-of", AS_OF, "--format", "json")
    )
    # Per level, standing forecasts with the outcome known against the value:
    # robots: alice 0.1 n, 0.5 n, 0.9 below; bob 0.5 n (2031-03 is after 2030)
    # power (25): alice 0.1/0.5/0.9 n n n; bob 0.25 n, 0.75 below
    # never (after 2030-12-31): alice 0.25 n, 0.75 n; bob 0.25 n (2032 unknown)
    # later (after 2029-06-30): alice 0.5 n; bob 0.5 n (2031-01-01 unknown)
    expected = {0.1: (2, 0.0), 0.25: (3, 0.0), 0.5: (5, 0.0), 0.75: (2, 0.5), 0.9: (2, 0.5)}
    assert {r["level"]: (r["n"], r["below"]) for r in found["levels"]} == expected
    assert set(found["levels"][0]) == {"level", "n", "below", "ci"}
    import numpy as np

    from ledger.score.calibration import wilson

    low, high = wilson(np.array([0.5]), np.array([2.0]))
    half = next(r for r in found["levels"] if r["level"] == 0.75)
    assert half["ci"] == pytest.approx([low[0], high[0]])
    intervals = {r["interval"]: (r["n"], r["covered"]) for r in found["intervals"]}
    # 80%: alice robots (inside), alice power (above); 50%: bob power (inside), alice never
    assert intervals == {0.8: (2, 0.5), 0.5: (2, 0.5)}
    assert found["n"] == 8 and found["n_scored"] == 8
    text = run("calibration", str(ledger_file), "--quantiles", "--as-of", AS_OF)
    assert "A calibrated forecaster has about τ below" in text
    assert "75%    2  50.0%" in text
    csv_text = run(
        "calibration", str(ledger_file), "--quantiles", "--as-of", AS_OF, "--format", "csv"
    )
    assert csv_text.splitlines()[0] == "section,level,n,share,ci_low,ci_high"
    assert "interval,0.8,2,0.5," in csv_text


def test_list_shows_quantiles_as_written(ledger_file: Path) -> None:
    text = run("list", str(ledger_file), "--as-of", "2027-01-01")
    assert "quantiles 10%: 2027-01-01, 50%: 2030-06-01, 90%: 2034-01-01  [stated]" in text
    assert "window 2029-01-01..2031-12-31  no p  median 2030  [judged]" in text
    assert "quantiles 10%: 8, 50%: 12, 90%: 20  [stated]" in text
    rows = json.loads(run("list", str(ledger_file), "--as-of", "2027-01-01", "--format", "json"))
    power = next(q for q in rows if q["id"] == "power")
    assert power["forecasts"][1]["quantiles"] == [
        {"level": 0.25, "value": 10.0}, {"level": 0.75, "value": 30.0},
    ]
    csv_text = run("list", str(ledger_file), "--as-of", "2027-01-01", "--format", "csv")
    assert csv_text.splitlines()[0].endswith(",quantiles")
    assert ",0.1:2027-01-01;0.5:2030-06-01;0.9:2034-01-01" in csv_text


def test_export_carries_levels_values_and_scores(ledger_file: Path) -> None:
    rows = json.loads(run("export", str(ledger_file), "--as-of", AS_OF, "--format", "json"))
    alice = next(r for r in rows if (r["question"], r["forecaster"]) == ("never", "alice"))
    assert alice["quantile_levels"] == [0.25, 0.75]
    assert alice["quantile_values"] == ["2027", "2029"]
    assert alice["quantile_score"] == pytest.approx(ALICE_NEVER, abs=1e-9)
    assert alice["quantile_censored"] is True
    assert alice["result_high"] is None  # only a lower bound: JSON has no infinity
    bob = next(r for r in rows if (r["question"], r["forecaster"]) == ("never", "bob"))
    assert bob["quantile_below"] == [0.0, None]
    text = run("export", str(ledger_file), "--as-of", AS_OF, "--format", "csv")
    assert "Infinity" not in json.dumps(rows) and "NaN" not in json.dumps(rows)
    table = list(csv.DictReader(io.StringIO(text)))
    cells = next(r for r in table if (r["question"], r["forecaster"]) == ("never", "bob"))
    assert json.loads(cells["quantile_levels"]) == [0.25, 0.75]  # a JSON array a cell
    assert json.loads(cells["quantile_below"]) == [0.0, None]
    assert cells["result_high"] == "inf"
