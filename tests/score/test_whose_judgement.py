"""Issue 14 in the scores: time-averaged windows, window errors in every aggregate,
and whose judgement a score rests on (`score --sensitivity`).

Every expected number is worked out here by hand from the ledgers below (plain
arithmetic on the probabilities and outcomes), never by the code under test.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import math
from statistics import mean
from typing import TYPE_CHECKING, Any

import pandas as pd
import pytest
from click.testing import CliRunner

from ledger.cli import main
from ledger.frame import frame
from ledger.score import scorecard
from ledger.score.sensitivity import basis_split, judged_as, scenarios, sensitivity

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    Check = Callable[[str], Any]

AS_OF = dt.date(2031, 1, 1)


def built(check, text: str) -> pd.DataFrame:
    ledger, errors = check(text)
    assert errors == [], [str(e) for e in errors]
    return frame(ledger, AS_OF)


def run(tmp_path: Path, text: str, *args: str) -> str:
    path = tmp_path / "ledger.yaml"
    path.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(main, ["score", str(path), "--as-of", "2031-01-01", *args])
    assert result.exit_code == 0, result.output
    return result.stdout


# -- problem 3: --time-averaged keeps a window that stood and missed ------------------

TIME_AVERAGED = """\
forecasters:
  - {id: a, name: A}
questions:
  - id: d
    title: D
    criteria: c
    kind: date
    deadline: 2030-12-31
    forecasts:
      - {by: a, made: 2026-01-01, window: [2027-01-01, 2027-12-31], p: 70%, basis: stated}
      - {by: a, made: 2027-06-01, window: [2028-01-01, 2029-06-15], p: 60%, basis: stated}
    outcomes:
      - {result: 2029-06, known: 2029-07-01, recorded: 2029-07-02}
"""


def test_time_averaged_keeps_an_earlier_window_when_the_last_is_undetermined(
    check: Check, tmp_path: Path
) -> None:
    # June 2029 is outside the first window (a miss: (0.7 - 0)^2 = 0.49) and
    # inside the second under some readings of "2029-06", outside under others.
    data = built(check, TIME_AVERAGED)
    table = scorecard.aggregate(data, ["forecaster"], time_averaged=True)
    assert table["n"].tolist() == [1]
    assert table["brier"].iloc[0] == pytest.approx(0.7**2)
    out = json.loads(run(tmp_path, TIME_AVERAGED, "--time-averaged", "--format", "json"))
    assert (out[0]["n"], out[0]["brier"]) == (1, pytest.approx(0.49))
    # The standing forecasts alone: the last window cannot be scored.
    assert scorecard.aggregate(data, ["forecaster"])["n"].tolist() == [0]


def test_time_averaged_waits_while_the_last_window_is_open(check: Check) -> None:
    # A not-yet entry closes the first window; the second is still open, so the
    # pair has no final score yet.
    text = TIME_AVERAGED.replace(
        "      - {result: 2029-06, known: 2029-07-01, recorded: 2029-07-02}",
        "      - {result: not-yet, known: 2028-03-01, recorded: 2028-03-02}",
    )
    table = scorecard.aggregate(built(check, text), ["forecaster"], time_averaged=True)
    assert table["n"].tolist() == [0]


# -- windows in the aggregates --------------------------------------------------------

WINDOWS = """\
forecasters:
  - {id: a, name: A}
  - {id: b, name: B}
questions:
  - id: power
    title: Power
    criteria: c
    kind: numeric
    unit: GW
    deadline: 2027-12-31
    forecasts:
      - {by: a, made: 2026-01-01, window: [10, 20], p: 80%, basis: stated}
      - {by: b, made: 2026-01-01, window: [15, 30], basis: stated}
    outcomes:
      - {result: 25, known: 2027-12-31, recorded: 2028-01-02}
  - id: price
    title: Price
    criteria: c
    kind: numeric
    unit: USD
    deadline: 2027-12-31
    forecasts:
      - {by: b, made: 2026-01-01, window: [1, 2], p: 50%, basis: stated}
    outcomes:
      - {result: 2.5, known: 2027-12-31, recorded: 2028-01-02}
  - id: launch
    title: Launch
    criteria: c
    kind: date
    deadline: 2030-12-31
    forecasts:
      - {by: a, made: 2026-01-01, window: [2027-01-01, 2028-12-31], p: 80%, basis: stated}
      - {by: b, made: 2026-01-01, window: [2027-01-01, 2027-12-31], basis: stated}
    outcomes:
      - {result: 2028-06-01, known: 2028-06-01, recorded: 2028-06-02}
"""
YEAR = 365.25
# launch: a's window holds 2028-06-01; width 2027-01-01..2028-12-31 = 730 days.
A_LAUNCH_INTERVAL = 730 / YEAR
# b's window ends 2027-12-31, 153 days before; no p: 50% coverage, alpha 0.5.
B_LAUNCH_MISS = 153 / YEAR
B_LAUNCH_INTERVAL = 364 / YEAR + (2 / 0.5) * B_LAUNCH_MISS
# power: a [10, 20] p 0.8 misses 25 by 5: 10 + (2 / 0.2) * 5 = 60; b [15, 30] holds it,
# no p: width 15. price: b [1, 2] p 0.5 misses 2.5 by 0.5: 1 + (2 / 0.5) * 0.5 = 3.


def test_aggregates_by_question_carry_window_errors(check: Check) -> None:
    table = scorecard.aggregate(built(check, WINDOWS), ["question"]).set_index("question")
    power = table.loc["power"]
    assert power["numeric_error"] == pytest.approx(mean([5, 0]))
    assert power["numeric_interval_score"] == pytest.approx(mean([60, 15]))
    assert power["numeric_unit"] == "GW"
    assert math.isnan(power["timing_error"])  # no date window
    launch = table.loc["launch"]
    assert launch["timing_error"] == pytest.approx(mean([0, B_LAUNCH_MISS]))
    assert launch["interval_score"] == pytest.approx(
        mean([A_LAUNCH_INTERVAL, B_LAUNCH_INTERVAL])
    )
    assert pd.isna(launch["numeric_unit"]) and math.isnan(launch["numeric_error"])


def test_aggregates_by_forecaster_do_not_add_up_units(check: Check) -> None:
    table = scorecard.aggregate(built(check, WINDOWS), ["forecaster"]).set_index(
        "forecaster"
    )
    a, b = table.loc["a"], table.loc["b"]
    assert (a["numeric_error"], a["numeric_interval_score"], a["numeric_unit"]) == (
        5.0, pytest.approx(60.0), "GW"
    )
    assert b["numeric_unit"] == scorecard.MIXED_UNITS  # GW and USD
    assert math.isnan(b["numeric_error"]) and math.isnan(b["numeric_interval_score"])
    assert b["timing_error"] == pytest.approx(B_LAUNCH_MISS)
    assert b["interval_score"] == pytest.approx(B_LAUNCH_INTERVAL)


def test_score_shows_window_errors_in_every_format(check: Check, tmp_path: Path) -> None:
    out = run(tmp_path, WINDOWS, "--by", "question")
    lines = out.splitlines()
    header = next(line for line in lines if line.startswith("question"))
    assert header.split()[-10:] == [
        "timing", "(y)", "interval", "(y)", "distance", "interval", "void", "open",
        "due", "unscorable",
    ]
    power = next(line for line in lines if line.startswith("power"))
    assert "2.50 GW" in power and "37.50 GW" in power
    launch = next(line for line in lines if line.startswith("launch"))
    assert f"{mean([A_LAUNCH_INTERVAL, B_LAUNCH_INTERVAL]):.2f}" in launch
    records = {r["question"]: r for r in json.loads(
        run(tmp_path, WINDOWS, "--by", "question", "--format", "json")
    )}
    assert records["price"]["numeric_error"] == pytest.approx(0.5)
    assert records["price"]["numeric_interval_score"] == pytest.approx(3.0)
    assert records["price"]["numeric_unit"] == "USD"
    rows = {r["question"]: r for r in csv.DictReader(io.StringIO(
        run(tmp_path, WINDOWS, "--by", "question", "--format", "csv")
    ))}
    assert float(rows["power"]["numeric_interval_score"]) == pytest.approx(37.5)
    assert rows["power"]["numeric_unit"] == "GW"


def test_the_frame_has_the_window_width(check: Check) -> None:
    data = built(check, WINDOWS)
    width = {
        (q, f): w
        for q, f, w in zip(data["question"], data["forecaster"], data["window_width"], strict=True)
    }
    assert width[("power", "b")] == 15.0
    assert width[("launch", "a")] == pytest.approx(730 / YEAR)
    start = data.loc[data["question"].eq("launch") & data["forecaster"].eq("b"), "window_end"]
    assert start.iloc[0] == pd.Timestamp("2027-12-31")


# -- whose judgement ------------------------------------------------------------------

JUDGEMENT = """\
forecasters:
  - {id: a, name: A}
  - {id: b, name: B}
questions:
  - id: q1
    title: Q1
    criteria: c
    kind: binary
    deadline: 2029-12-31
    forecasts:
      - {by: a, made: 2026-01-01, p: 85%, basis: judged, note: A plain assertion.}
      - {by: b, made: 2026-01-01, p: 60%, basis: stated}
    outcomes:
      - {result: yes, known: 2029-01-01, recorded: 2029-01-02}
  - id: q2
    title: Q2
    criteria: c
    kind: binary
    deadline: 2029-12-31
    forecasts:
      - {by: a, made: 2026-01-01, p: 15%, basis: judged, note: A plain denial.}
    outcomes:
      - {result: no, known: 2029-01-01, recorded: 2029-01-02}
  - id: q3
    title: Q3
    criteria: c
    kind: binary
    deadline: 2029-12-31
    forecasts:
      - {by: a, made: 2026-01-01, basis: mapped, table: icd-203, words: likely}
      - {by: b, made: 2026-01-01, basis: mapped, table: mauboussin-2018, words: probably}
    outcomes:
      - {result: no, known: 2029-01-01, recorded: 2029-01-02}
  - id: q4
    title: Q4
    criteria: c
    kind: binary
    deadline: 2029-12-31
    forecasts:
      - {by: a, made: 2026-01-01, basis: mapped, table: icd-203, words: almost certain}
    outcomes:
      - {result: yes, known: 2029-01-01, recorded: 2029-01-02}
  - id: q5
    title: Q5
    criteria: c
    kind: binary
    deadline: 2029-12-31
    forecasts:
      - {by: a, made: 2026-01-01, p: 30%, basis: stated}
    outcomes:
      - {result: no, known: 2029-01-01, recorded: 2029-01-02}
  - id: q6
    title: Q6
    criteria: c
    kind: date
    deadline: 2030-12-31
    forecasts:
      - {by: a, made: 2026-01-01, window: [2027-01-01, 2028-12-31], p: 85%, basis: judged, note: Read so.}
    outcomes:
      - {result: 2028-03-01, known: 2028-03-01, recorded: 2028-03-02}
  - id: q7
    title: Q7
    criteria: c
    kind: binary
    deadline: 2035-12-31
    forecasts:
      - {by: a, made: 2026-01-01, p: 85%, basis: judged, note: Still open.}
"""
# (p, outcome) of each scored forecast; q7 is open and never counts.
# ICD 203: likely 67.5%, almost certain 97%, probably 67.5%.
# Mauboussin 2018: likely 70%, probably 70%; no "almost certain" (it is kept).
A = {"q1": (0.85, 1), "q2": (0.15, 0), "q3": (0.675, 0), "q4": (0.97, 1),
     "q5": (0.30, 0), "q6": (0.85, 1)}
B = {"q1": (0.60, 1), "q3": (0.70, 0)}
A_JUDGED, A_MAPPED = ("q1", "q2", "q6"), ("q3", "q4")


def mean_brier(pairs: dict[str, tuple[float, int]]) -> float:
    return sum((p - o) ** 2 for p, o in pairs.values()) / len(pairs)


def test_scenarios_are_the_three_levels_and_each_table() -> None:
    assert [name for name, _, _ in scenarios()] == [
        "as recorded", "judged 70%", "judged 85%", "judged 95%",
        "mapped icd-203", "mapped mauboussin-2018", "mapped kent-1964",
        "mapped fagen-2019",
    ]
    assert judged_as(0.85, 0.95) == 0.95 and judged_as(0.15, 0.95) == pytest.approx(0.05)


def test_sensitivity_by_hand(check: Check) -> None:
    table = sensitivity(built(check, JUDGEMENT))
    got = {(r["forecaster"], r["scenario"]): r for r in table.to_dict("records")}
    expected_a = {
        "as recorded": A,
        "judged 70%": {**A, "q1": (0.70, 1), "q2": (0.30, 0), "q6": (0.70, 1)},
        "judged 85%": A,
        "judged 95%": {**A, "q1": (0.95, 1), "q2": (0.05, 0), "q6": (0.95, 1)},
        "mapped icd-203": A,
        "mapped mauboussin-2018": {**A, "q3": (0.70, 0)},  # q4 kept at 97%
        # Kent (1964): "probable" 75%, "almost certain" 93%.
        "mapped kent-1964": {**A, "q3": (0.75, 0), "q4": (0.93, 1)},
        # Fagen-Ulmschneider (2019) survey medians: "likely" 70%, "almost certain" 95%.
        "mapped fagen-2019": {**A, "q3": (0.70, 0), "q4": (0.95, 1)},
    }
    for name, pairs in expected_a.items():
        row = got[("a", name)]
        assert row["n"] == 6
        assert row["brier"] == pytest.approx(mean_brier(pairs)), name
    assert got[("a", "judged 70%")]["n_changed"] == 3
    assert got[("a", "judged 85%")]["n_changed"] == 0
    assert got[("a", "mapped mauboussin-2018")]["n_changed"] == 1
    assert got[("a", "mapped mauboussin-2018")]["n_kept"] == 1
    assert got[("a", "mapped icd-203")]["n_kept"] == 0
    # b: its mapped forecast read with ICD 203 ("probably" 67.5%).
    assert got[("b", "as recorded")]["brier"] == pytest.approx(mean_brier(B))
    assert got[("b", "mapped icd-203")]["brier"] == pytest.approx(
        mean_brier({**B, "q3": (0.675, 0)})
    )
    assert got[("b", "judged 95%")]["brier"] == pytest.approx(mean_brier(B))


def test_basis_split_by_hand(check: Check) -> None:
    split = basis_split(built(check, JUDGEMENT))
    got = {(r["forecaster"], r["basis"]): r for r in split.to_dict("records")}
    for basis, chosen in (("stated", ("q5",)), ("mapped", A_MAPPED), ("judged", A_JUDGED)):
        row = got[("a", basis)]
        assert row["n"] == len(chosen)
        assert row["share"] == pytest.approx(len(chosen) / 6)
        assert row["brier"] == pytest.approx(mean_brier({q: A[q] for q in chosen}))
    assert got[("b", "judged")]["n"] == 0 and math.isnan(got[("b", "judged")]["brier"])
    assert got[("b", "stated")]["share"] == pytest.approx(0.5)


def test_score_sensitivity_prints_the_same_numbers(check: Check, tmp_path: Path) -> None:
    out = run(tmp_path, JUDGEMENT, "--sensitivity")
    assert "mean Brier (0-1, lower is better)" in out
    line = next(x for x in out.splitlines() if x.startswith("a ") and "%" not in x)
    values = [
        mean_brier(A),
        mean_brier({**A, "q1": (0.70, 1), "q2": (0.30, 0), "q6": (0.70, 1)}),
        mean_brier(A),
        mean_brier({**A, "q1": (0.95, 1), "q2": (0.05, 0), "q6": (0.95, 1)}),
        mean_brier(A),
        mean_brier({**A, "q3": (0.70, 0)}),
        mean_brier({**A, "q3": (0.75, 0), "q4": (0.93, 1)}),
        mean_brier({**A, "q3": (0.70, 0), "q4": (0.95, 1)}),
    ]
    assert line.split() == ["a", "6", *(f"{v:.3f}" for v in values)]
    assert "a: 1 kept with mauboussin-2018." in out
    judged = f"{mean_brier({q: A[q] for q in A_JUDGED}):.3f}"
    assert ["a", "judged", "3", "50.0%", judged] in [line.split() for line in out.splitlines()]
    assert ["a", "stated", "1", "16.7%", "0.090"] in [line.split() for line in out.splitlines()]
    data = json.loads(run(tmp_path, JUDGEMENT, "--sensitivity", "--format", "json"))
    assert {r["scenario"] for r in data["sensitivity"]} >= {"judged 95%"}
    assert len(data["basis"]) == 6
    rows = list(csv.DictReader(io.StringIO(run(tmp_path, JUDGEMENT, "--sensitivity", "--format", "csv"))))
    assert [r["section"] for r in rows].count("basis") == 6
    assert [r["section"] for r in rows].count("sensitivity") == 16  # 2 forecasters × 8 scenarios


def test_a_forecaster_judged_throughout_is_named(check: Check, tmp_path: Path) -> None:
    only_judged = JUDGEMENT.replace(
        "{by: b, made: 2026-01-01, p: 60%, basis: stated}",
        "{by: b, made: 2026-01-01, p: 60%, basis: judged, note: Read so.}",
    ).replace(
        "{by: b, made: 2026-01-01, basis: mapped, table: mauboussin-2018, words: probably}",
        "{by: b, made: 2026-01-01, p: 70%, basis: judged, note: Read so.}",
    )
    out = run(tmp_path, only_judged, "--sensitivity")
    assert (
        "Every scored forecast of b is judged: the score measures the keeper's "
        "reading of the speaker, not a stated probability."
    ) in out
    assert "Every scored forecast of a" not in out


def test_sensitivity_refuses_time_averaged(tmp_path: Path) -> None:
    path = tmp_path / "ledger.yaml"
    path.write_text(JUDGEMENT, encoding="utf-8")
    result = CliRunner().invoke(main, ["score", str(path), "--sensitivity", "--time-averaged"])
    assert result.exit_code == 2
    assert "--sensitivity reads the standing forecasts" in result.stderr
