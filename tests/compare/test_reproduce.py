"""The README's "Reproducing published results" recipes, run on invented data
and checked against numbers worked out here by hand (plain Python).

(a) ForecastBench's human leaderboard (Karger et al., ICLR 2025), the
    "Superforecaster median forecast" row: `ledger import forecastbench`, then
    `ledger compare --aggregate median --provisional --balance-by category --ci t`.
(b) Metaculus-style peer scores on an ACX-style contest: `ledger import csv`,
    then `ledger compare`; the contest score is peer_score_sum / questions.
"""

from __future__ import annotations

import json
import math
import statistics
from pathlib import Path

import pytest
from click.testing import CliRunner

from ledger.cli import main

SYNTHETIC = Path(__file__).parents[1] / "data" / "forecastbench" / "synthetic" / "leaderboard"
AS_OF = "2030-12-31"


def invoke(*args: str) -> str:
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == 0, result.output
    return result.stdout


def compare_json(path: str, *args: str) -> dict:
    out = json.loads(invoke("compare", path, "--as-of", AS_OF, "--format", "json", *args))
    return {f["forecaster"]: f for f in out["forecasters"]} | {"": out}


# -- (a) ForecastBench ----------------------------------------------------------------------
#
# The superforecasters' forecasts in synthetic/leaderboard/super_forecasts.json,
# per question (and horizon), and how each resolved (resolution_set.json).
# The platform crowds' freeze values (0.6, 0.3, 0.5, 0.5) and the public
# forecasters must not enter the median.

SUPERS = {
    # market questions: each counted once
    "MK1": ([0.7, 0.8, 0.6, 0.9], 1.0, "resolved"),  # resolved yes
    "MK2": ([0.2, 0.4, 0.1], 0.0, "resolved"),  # resolved no
    "MK3": ([0.5, 0.6, 0.2, 0.4], 0.35, "provisional"),  # open: its latest market probability
    # MK4 has no resolution row: never scored
    # dataset question-horizons that resolved (the others have no outcome)
    "DS1@2030-01-12": ([0.6, 0.7, 0.9, 0.8], 1.0, "dataset"),
    "DS1@2030-02-04": ([0.3, 0.2, 0.4], 0.0, "dataset"),
    "DS2@2030-01-12": ([0.1, 0.3, 0.2, 0.6], 0.0, "dataset"),
}


def median_brier(kinds: set[str]) -> list[float]:
    return [(statistics.median(ps) - o) ** 2 for ps, o, kind in SUPERS.values() if kind in kinds]


def forecastbench_interval(strata: list[list[float]]) -> tuple[float, float, float]:
    """Overall = mean of stratum means; t-interval, df = min n - 1, SE = sqrt(sum se^2)/k."""
    mean = statistics.fmean(statistics.fmean(s) for s in strata)
    se = math.sqrt(sum(statistics.variance(s) / len(s) for s in strata)) / len(strata)
    df = min(len(s) for s in strata) - 1
    t = {1: math.tan(0.475 * math.pi), 2: math.sqrt(2 * 0.95**2 / (1 - 0.95**2))}[df]
    return mean, mean - t * se, mean + t * se


def import_forecastbench(tmp_path: Path, *forecast_sets: str) -> str:
    out = str(tmp_path / "forecastbench.yaml")
    invoke("import", "forecastbench", "--questions", str(SYNTHETIC / "question_set.json"),
           "--resolutions", str(SYNTHETIC / "resolution_set.json"),
           *(x for name in forecast_sets for x in ("--forecasts", str(SYNTHETIC / name))), "-o", out)
    return out


def test_hand_computed_values() -> None:
    """The numbers the recipe must give, spelled out."""
    assert median_brier({"dataset"}) == pytest.approx([0.0625, 0.09, 0.0625])
    assert median_brier({"resolved", "provisional"}) == pytest.approx([0.0625, 0.04, 0.01])


def test_forecastbench_superforecaster_median(tmp_path: Path) -> None:
    path = import_forecastbench(tmp_path, "super_forecasts.json")
    got = compare_json(path, "--aggregate", "median", "--provisional", "--balance-by", "category", "--ci", "t")
    crowd = got["crowd-median"]
    dataset, market = median_brier({"dataset"}), median_brier({"resolved", "provisional"})
    assert crowd["strata"] == {
        "dataset": {"n": 3, "brier": pytest.approx(statistics.fmean(dataset))},  # Dataset: 0.0717
        "market": {"n": 3, "brier": pytest.approx(statistics.fmean(market))},  # Market: 0.0375
    }
    overall, low, high = forecastbench_interval([dataset, market])
    assert crowd["brier"] == pytest.approx(overall)  # Overall = (Dataset + Market) / 2 = 0.0546
    assert crowd["brier_ci"] == pytest.approx([low, high], rel=1e-9)
    assert got[""]["crowd"]["members"] == ["sf-a", "sf-b", "sf-c", "sf-d"]  # no platform crowd


def test_forecastbench_overall_resolved(tmp_path: Path) -> None:
    """The same without --provisional: unresolved markets drop out."""
    path = import_forecastbench(tmp_path, "super_forecasts.json")
    crowd = compare_json(path, "--aggregate", "median", "--balance-by", "category", "--ci", "t")["crowd-median"]
    dataset, market = median_brier({"dataset"}), median_brier({"resolved"})
    overall, low, high = forecastbench_interval([dataset, market])  # market n = 2: df = 1
    assert crowd["strata"]["market"] == {"n": 2, "brier": pytest.approx(0.05125)}
    assert crowd["brier"] == pytest.approx(overall)
    assert crowd["brier_ci"] == pytest.approx([low, high], rel=1e-9)


def test_forecastbench_with_the_public_set_needs_aggregate_of(tmp_path: Path) -> None:
    path = import_forecastbench(tmp_path, "super_forecasts.json", "public_forecasts.json")
    recipe = ("--aggregate", "median", "--provisional", "--balance-by", "category", "--ci", "t")
    mixed = compare_json(path, *recipe)["crowd-median"]
    chosen = compare_json(path, *recipe, "--aggregate-of",
                          "affiliation:Superforecaster forecasts (Synthetic)")
    overall, low, high = forecastbench_interval([median_brier({"dataset"}),
                                                 median_brier({"resolved", "provisional"})])
    assert chosen["crowd-median"]["brier"] == pytest.approx(overall)
    assert chosen["crowd-median"]["brier_ci"] == pytest.approx([low, high], rel=1e-9)
    assert mixed["brier"] != pytest.approx(overall)  # the public forecasts would shift the median
    assert chosen[""]["crowd"]["members"] == ["sf-a", "sf-b", "sf-c", "sf-d"]


# -- (b) ACX-style contest, Metaculus peer scores ----------------------------------------------

CONTEST = {  # question: (outcome, {forecaster: p}); a missing forecaster skipped the question
    "Will A happen?": (1, {"Ann": 0.8, "Ben": 0.6, "Cy": 0.3}),
    "Will B happen?": (0, {"Ann": 0.1, "Ben": 0.5, "Cy": 0.4, "Di": 0.2}),
    "Will C happen?": (1, {"Ann": 0.55, "Cy": 0.9}),
    "Will D happen?": (0, {"Ben": 0.3, "Di": 0.6}),
    "Will E happen?": (1, {"Ann": 0.7, "Ben": 0.7, "Cy": 0.95, "Di": 0.5}),
}


def acx_scores() -> dict[str, float]:
    """Per question ln p(outcome) minus the mean of the others' ln p(outcome), 0 if skipped;
    summed over the questions and divided by their number (x100, Metaculus's scale)."""
    totals = {name: 0.0 for _, people in CONTEST.values() for name in people}
    for outcome, people in CONTEST.values():
        logs = {name: math.log(p if outcome else 1 - p) for name, p in people.items()}
        for name, own in logs.items():
            others = [v for other, v in logs.items() if other != name]
            totals[name] += 100 * (own - statistics.fmean(others))
    return {name: total / len(CONTEST) for name, total in totals.items()}


def test_acx_contest_peer_scores(tmp_path: Path) -> None:
    forecasts, outcomes = tmp_path / "contest.csv", tmp_path / "outcomes.csv"
    forecasts.write_text("question,forecaster,probability\n" + "".join(
        f"{q},{name},{p}\n" for q, (_, people) in CONTEST.items() for name, p in people.items()), encoding="utf-8")
    outcomes.write_text("question,outcome\n" + "".join(
        f"{q},{'yes' if o else 'no'}\n" for q, (o, _) in CONTEST.items()), encoding="utf-8")
    ledger = str(tmp_path / "contest.yaml")
    invoke("import", "csv", str(forecasts), "--outcomes", str(outcomes), "--made", "2030-01-31",
           "--deadline", "2030-12-31", "--known", "2030-12-31", "-o", ledger)
    got = compare_json(ledger)
    questions = got[""]["questions"]
    assert questions == 5
    expected = acx_scores()
    assert {name: got[name.lower()]["peer_score_sum"] / questions for name in expected} == pytest.approx(expected)
    # Di answered 3 of 5: the mean over answered questions is a different number
    assert got["di"]["peer_score_mean"] == pytest.approx(expected["Di"] * 5 / 3)
    assert got["di"]["coverage"] == pytest.approx(3 / 5)
    table = invoke("compare", ledger, "--as-of", AS_OF)
    assert "a contest score is peer sum / 5 questions" in table
