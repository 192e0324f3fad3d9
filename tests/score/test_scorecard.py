"""Tests of ledger.scorecard: aggregates, skill scores, bootstrap, calibration, explain.

Every expected figure is computed here by hand with `math`, from the forecasts
in tests/data/sample.yaml, never by calling ledger.score.
"""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from ledger.core.model import Ledger
from ledger.frame import frame
from ledger.score import scorecard
from ledger.validate import check as check_file

SAMPLE = Path(__file__).parents[1] / "data" / "sample.yaml"
AS_OF = dt.date(2029, 1, 1)
YEAR = 365.25

# The standing forecasts scored with a probability as of AS_OF: (question, p, outcome).
SCORED = {
    "alice": [
        ("rain-in-june", 0.8, 1),
        ("rates-cut-2026", 0.9, 1),
        ("budget-passes", 0.7, 0.5),
        ("rocket-launch", 0.7, 1),
        ("olympiad-gold", 0.8, 1),
        ("inflation-2027", 0.8, 1),
        ("launch-before-fusion", 0.9, 1),
    ],
    "bob": [
        ("rain-in-june", 0.3, 1),
        ("rates-cut-2026", 0.2, 1),
        ("coin-lands-heads", 0.0, 0),
        ("rocket-launch", 0.6, 0),
        ("fusion-power", 0.4, 0),
        ("inflation-2027", 0.5, 0),
        ("launch-before-fusion", 0.6, 1),
    ],
    "carol": [
        ("rain-in-june", 0.5, 1),
        ("budget-passes", 0.675, 0.5),
        ("inflation-2027", 0.6, 0),
    ],
    "dan": [
        ("coin-lands-heads", 1.0, 0),
        ("rocket-launch", 0.5, 1),
        ("olympiad-gold", 0.5, 0),
    ],
}
TAGS = {
    "rain-in-june": ["weather"],
    "rates-cut-2026": ["economy"],
    "budget-passes": ["economy", "politics"],
    "coin-lands-heads": ["games"],
    "rocket-launch": ["space"],
    "fusion-power": ["energy"],
    "olympiad-gold": ["space", "ai"],
    "inflation-2027": ["economy"],
    "launch-before-fusion": ["space", "energy"],
}


def d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def brier(p: float, o: float) -> float:
    return (p - o) ** 2


def log(p: float, o: float) -> float:
    q = min(max(p, 0.001), 0.999)
    return o * math.log(q) + (1 - o) * math.log(1 - q)


def baseline(p: float, o: float) -> float:
    """Metaculus Baseline, 100 ln(p N) / ln N with N = 2, on the clipped log score."""
    return 100 * (math.log(2) + log(p, o)) / math.log(2)


def spherical(p: float, o: float) -> float:
    return (o * p + (1 - o) * (1 - p)) / math.sqrt(p * p + (1 - p) ** 2)


def mean(values: list[float]) -> float:
    return sum(values) / len(values)


@pytest.fixture(scope="module")
def sample() -> Ledger:
    ledger, errors = check_file(str(SAMPLE))
    assert errors == []
    return ledger


@pytest.fixture(scope="module")
def table(sample: Ledger) -> pd.DataFrame:
    return frame(sample, AS_OF)


@pytest.fixture(scope="module")
def by_forecaster(table: pd.DataFrame) -> pd.DataFrame:
    return scorecard.aggregate(table, ["forecaster"]).set_index("forecaster")


# -- per forecaster --------------------------------------------------------------------


def test_the_baseline_helper_is_the_metaculus_formula():
    assert baseline(0.7, 1) == pytest.approx(48.5, abs=0.05)  # Metaculus FAQ
    assert baseline(0.7, 0) == pytest.approx(-73.7, abs=0.05)


@pytest.mark.parametrize("who", sorted(SCORED))
def test_mean_scores_by_forecaster(by_forecaster, who):
    forecasts = SCORED[who]
    got = by_forecaster.loc[who]
    assert got["n"] == len(forecasts)
    assert got["brier"] == pytest.approx(mean([brier(p, o) for _, p, o in forecasts]))
    assert got["log_score"] == pytest.approx(mean([log(p, o) for _, p, o in forecasts]))
    assert got["baseline_score"] == pytest.approx(
        mean([baseline(p, o) for _, p, o in forecasts])
    )
    assert got["spherical"] == pytest.approx(
        mean([spherical(p, o) for _, p, o in forecasts])
    )


def test_the_numbers_for_alice_written_out(by_forecaster):
    # rain .04, rates .01, budget (0.7 - 0.5)^2 .04, rocket .09, olympiad .04,
    # inflation .04, launch-before-fusion .01: sum 0.27 over 7
    assert by_forecaster.loc["alice", "brier"] == pytest.approx(0.27 / 7)
    # dan: coin p 1 on no (1.0), rocket 0.25, olympiad 0.25; log clips p 1 to 0.999
    assert by_forecaster.loc["dan", "brier"] == pytest.approx(1.5 / 3)
    expected = (math.log(0.001) + math.log(0.5) + math.log(0.5)) / 3
    assert by_forecaster.loc["dan", "log_score"] == pytest.approx(expected)


def test_counts_by_forecaster(by_forecaster):
    counts = by_forecaster[
        ["n_void", "n_open", "n_due", "n_unscorable", "n_window_only", "n_clipped"]
    ]
    assert counts.to_dict("index") == {
        # void: match-played, fusion-profitable; open: market-election;
        # due: bridge-opens
        "alice": dict(
            n_void=2, n_open=1, n_due=1, n_unscorable=0, n_window_only=0, n_clipped=0
        ),
        # void: match-played; open: cure-found; p 0 on coin-lands-heads is clipped
        "bob": dict(
            n_void=1, n_open=1, n_due=0, n_unscorable=0, n_window_only=0, n_clipped=1
        ),
        # void: referee-call (ambiguous); a rocket window without p
        "carol": dict(
            n_void=1, n_open=1, n_due=1, n_unscorable=0, n_window_only=1, n_clipped=0
        ),
        # open: market-election (provisional only); sun-rises is unscorable
        "dan": dict(
            n_void=1, n_open=1, n_due=0, n_unscorable=1, n_window_only=1, n_clipped=1
        ),
    }


def test_timing_and_interval_scores_average_date_windows_in_years(by_forecaster):
    bob_misses = [
        (d("2028-01-01") - d("2027-09-15")).days,
        (d("2028-01-01") - d("2027-06-30")).days,
    ]
    assert by_forecaster.loc["bob", "timing_error"] == pytest.approx(
        mean(bob_misses) / YEAR
    )
    # carol: her window without p still has a timing error (15 days late)
    assert by_forecaster.loc["carol", "timing_error"] == pytest.approx(15 / YEAR)
    width = (d("2028-03-31") - d("2027-01-01")).days / YEAR  # dan's +1y..+2y, inside
    assert by_forecaster.loc["dan", "interval_score"] == pytest.approx(width)
    assert by_forecaster.loc["alice", "timing_error"] == 0.0


def test_skill_scores(by_forecaster):
    for who, forecasts in SCORED.items():
        mean_brier = mean([brier(p, o) for _, p, o in forecasts])
        base = mean([o for _, _, o in forecasts])
        got = by_forecaster.loc[who]
        assert got["bss_half"] == pytest.approx(1 - mean_brier / 0.25)
        assert got["bss_base_rate"] == pytest.approx(
            1 - mean_brier / (base * (1 - base))
        )


def test_skill_against_the_base_rate_is_null_when_every_outcome_is_the_same(table):
    by_question = scorecard.aggregate(table, ["question"]).set_index("question")
    rain = by_question.loc["rain-in-june"]  # three forecasts, all resolved yes
    assert rain["n"] == 3
    assert math.isnan(rain["bss_base_rate"])
    assert rain["bss_half"] == pytest.approx(1 - (0.04 + 0.49 + 0.25) / 3 / 0.25)


def test_every_group_with_a_standing_forecast_is_listed(table):
    by_question = scorecard.aggregate(table, ["question"]).set_index("question")
    assert len(by_question) == 16
    open_ = by_question.loc["cure-found"]
    assert (open_["n"], open_["n_open"]) == (0, 2)
    assert math.isnan(open_["brier"]) and math.isnan(open_["brier_ci_low"])
    assert by_question.loc["rates-cut-2026", "n"] == 2  # the update is not a question


def test_brier_on_the_0_2_scale_is_doubled(table, by_forecaster):
    doubled = scorecard.aggregate(table, ["forecaster"], scale="0-2").set_index(
        "forecaster"
    )
    assert doubled.loc["alice", "brier"] == pytest.approx(2 * 0.27 / 7)
    for column in ("brier", "brier_ci_low", "brier_ci_high"):
        assert doubled[column].to_numpy() == pytest.approx(
            2 * by_forecaster[column].to_numpy()
        )
    assert doubled["log_score"].to_numpy() == pytest.approx(
        by_forecaster["log_score"].to_numpy()
    )
    assert set(doubled["scale"]) == {
        "brier 0-2 (GJ Open/Fatebook scale), lower is better"
    }
    assert set(by_forecaster["scale"]) == {"brier 0-1, lower is better"}


# -- other groupings -------------------------------------------------------------------


def rows() -> list[tuple[str, str, float, float]]:
    return [
        (who, q, p, o) for who, forecasts in SCORED.items() for q, p, o in forecasts
    ]


def test_by_tag(table):
    got = scorecard.aggregate(table, ["tag"]).set_index("tag")
    for tag in ("economy", "space", "energy", "weather", "politics", "ai", "games"):
        chosen = [brier(p, o) for _, q, p, o in rows() if tag in TAGS[q]]
        assert got.loc[tag, "n"] == len(chosen), tag
        assert got.loc[tag, "brier"] == pytest.approx(mean(chosen)), tag
    assert got.loc["sport", "n_void"] == 4  # match-played and referee-call, two each
    assert got.loc["(untagged)", "n_unscorable"] == 1  # sun-rises has no tags
    assert got.loc["politics", "n_open"] == 2  # market-election


def test_by_year_made_and_resolved(table):
    made = scorecard.aggregate(table, ["year"]).set_index("year")
    olympiad = [brier(0.8, 1), brier(0.5, 0)]  # the only forecasts made in 2025
    assert made.loc["2025", "n"] == 2
    assert made.loc["2025", "brier"] == pytest.approx(mean(olympiad))
    assert made.loc["2026", "n"] == 18
    known = {
        "rain-in-june": "2026",
        "rates-cut-2026": "2026",
        "budget-passes": "2027",
        "coin-lands-heads": "2027",
        "rocket-launch": "2027",
        "fusion-power": "2028",
        "olympiad-gold": "2028",
        "inflation-2027": "2028",
        "launch-before-fusion": "2028",
    }
    resolved = scorecard.aggregate(table, ["year"], year_of="resolved").set_index(
        "year"
    )
    assert list(resolved.index) == ["2026", "2027", "2028", "unresolved"]
    for year in ("2026", "2027", "2028"):
        chosen = [brier(p, o) for _, q, p, o in rows() if known[q] == year]
        assert resolved.loc[year, "n"] == len(chosen)
        assert resolved.loc[year, "brier"] == pytest.approx(mean(chosen))
    assert resolved.loc["2026", "n_void"] == 2  # match-played, known 2026-09-01
    # market-election has a provisional price known in 2027, but it resolves nothing
    unresolved = resolved.loc["unresolved"]
    assert (unresolved["n_open"], unresolved["n_due"], unresolved["n_unscorable"]) == (
        4,
        2,
        1,
    )


def test_by_horizon(table, sample):
    made = {
        (q.id, f.by): f.made.earliest
        for q in sample.questions
        for f in q.forecasts
        if not (q.id == "rates-cut-2026" and f.p == 0.6)  # replaced
    }
    known = {
        q: d(day)
        for q, day in [
            ("rain-in-june", "2026-07-01"),
            ("rates-cut-2026", "2026-12-31"),
            ("budget-passes", "2027-01-15"),
            ("coin-lands-heads", "2027-03-01"),
            ("rocket-launch", "2027-09-15"),
            ("fusion-power", "2028-01-01"),
            ("olympiad-gold", "2028-07-20"),
            ("inflation-2027", "2028-02-28"),
            ("launch-before-fusion", "2028-01-01"),
        ]
    }

    def band(days: int) -> str:
        return (
            "<1y"
            if days < 365
            else "1-2y"
            if days < 730
            else "2-5y"
            if days < 1826
            else "5-10y"
        )

    expected: dict[str, list[float]] = {}
    for who, q, p, o in rows():
        expected.setdefault(band((known[q] - made[(q, who)]).days), []).append(
            brier(p, o)
        )
    got = scorecard.aggregate(table, ["horizon"]).set_index("horizon")
    assert list(got.index) == ["<1y", "1-2y", "2-5y"]  # short to long
    for label, values in expected.items():
        assert got.loc[label, "n"] == len(values)
        assert got.loc[label, "brier"] == pytest.approx(mean(values))
    # open questions count toward the horizon of their deadline
    assert got.loc["2-5y", "n_open"] == 4  # market-election 2029, cure-found 2030


def test_by_two_keys(table):
    got = scorecard.aggregate(table, ["forecaster", "year"]).set_index(
        ["forecaster", "year"]
    )
    assert got.loc[("alice", "2025"), "brier"] == pytest.approx(0.04)
    assert got.loc[("alice", "2026"), "n"] == 6
    assert ("carol", "2025") not in got.index


def test_by_basis(table):
    got = scorecard.aggregate(table, ["basis"]).set_index("basis")
    assert got.loc["mapped", "n"] == 1
    assert got.loc["mapped", "brier"] == pytest.approx((0.675 - 0.5) ** 2)


def test_an_empty_frame_aggregates_to_an_empty_table():
    empty = frame(Ledger(path="empty.yaml"), AS_OF)
    got = scorecard.aggregate(empty, ["forecaster"])
    assert len(got) == 0
    assert list(got.columns)[:3] == ["forecaster", "n", "brier"]
    assert scorecard.calibration(empty)["n"] == 0


def test_unknown_groups_are_refused(table):
    with pytest.raises(ValueError, match="unknown group"):
        scorecard.aggregate(table, ["colour"])


# -- bootstrap -------------------------------------------------------------------------


def test_the_bootstrap_is_seeded_and_holds_the_mean(table):
    first = scorecard.aggregate(table, ["forecaster"], seed=7)
    again = scorecard.aggregate(table, ["forecaster"], seed=7)
    pd.testing.assert_frame_equal(first, again)
    other = scorecard.aggregate(table, ["forecaster"], seed=8)
    assert not np.array_equal(first["brier_ci_low"], other["brier_ci_low"])
    assert (first["brier_ci_low"] <= first["brier"]).all()
    assert (first["brier"] <= first["brier_ci_high"]).all()
    assert (first["brier_ci_low"] < first["brier_ci_high"]).all()


def test_the_bootstrap_resamples_questions(table):
    alice = [brier(p, o) for _, p, o in SCORED["alice"]]
    low, high = (
        scorecard.aggregate(table, ["forecaster"])
        .set_index("forecaster")
        .loc["alice", ["brier_ci_low", "brier_ci_high"]]
    )
    assert min(alice) <= low <= high <= max(alice)
    # One question: every resample is that question, so the interval is its mean.
    rain = (
        scorecard.aggregate(table, ["question"])
        .set_index("question")
        .loc["rain-in-june"]
    )
    assert (
        rain["brier_ci_low"]
        == rain["brier_ci_high"]
        == pytest.approx((0.04 + 0.49 + 0.25) / 3)
    )


def test_no_bootstrap_when_asked_for_none(table):
    got = scorecard.aggregate(table, ["forecaster"], n_boot=0)
    assert got["brier_ci_low"].isna().all() and got["brier_ci_high"].isna().all()
    assert got["brier"].notna().all()


def test_the_bootstrap_alone_matches_the_aggregate(table):
    alone = scorecard.bootstrap(table, ["forecaster"]).set_index("forecaster")
    full = scorecard.aggregate(table, ["forecaster"]).set_index("forecaster")
    assert alone["brier_ci_low"].tolist() == full["brier_ci_low"].tolist()


# -- time-averaged ---------------------------------------------------------------------


def test_time_averaged_weights_each_forecast_by_the_days_it_stood(table):
    # alice on rates-cut-2026: 0.6 from 2026-01-10, 0.9 from 2026-03-01;
    # it resolved yes, known 2026-12-31
    early = (d("2026-03-01") - d("2026-01-10")).days
    late = (d("2026-12-31") - d("2026-03-01")).days
    assert (early, late) == (50, 305)
    rates = (early * brier(0.6, 1) + late * brier(0.9, 1)) / (early + late)
    got = scorecard.aggregate(table, ["question", "forecaster"], time_averaged=True)
    got = got.set_index(["question", "forecaster"])
    assert got.loc[("rates-cut-2026", "alice"), "brier"] == pytest.approx(rates)
    expected_log = (early * log(0.6, 1) + late * log(0.9, 1)) / (early + late)
    assert got.loc[("rates-cut-2026", "alice"), "log_score"] == pytest.approx(
        expected_log
    )
    # a single forecast scores the same either way
    assert got.loc[("rates-cut-2026", "bob"), "brier"] == pytest.approx(brier(0.2, 1))
    alice = scorecard.aggregate(table, ["forecaster"], time_averaged=True).set_index(
        "forecaster"
    )
    others = [brier(p, o) for q, p, o in SCORED["alice"] if q != "rates-cut-2026"]
    assert alice.loc["alice", "brier"] == pytest.approx(mean([*others, rates]))
    assert alice.loc["alice", "n"] == 7
    # skill against the base rate uses the time-averaged Brier too
    base = mean([o for _, _, o in SCORED["alice"]])
    expected = 1 - mean([*others, rates]) / (base * (1 - base))
    assert alice.loc["alice", "bss_base_rate"] == pytest.approx(expected)


CAPPED = """\
forecasters:
  - {id: alice, name: Alice}
questions:
  - id: q
    title: Q
    criteria: C
    kind: binary
    deadline: 2026-01-31
    forecasts:
      - {by: alice, made: 2026-01-01, p: 0.2, basis: stated}
      - {by: alice, made: 2026-01-21, p: 0.9, basis: stated}
    outcomes:
      - {result: yes, known: 2026-03-02, recorded: 2026-03-02}
  - id: w
    title: W
    criteria: C
    kind: date
    deadline: 2027-12-31
    forecasts:
      - {by: alice, made: 2026-01-01, window: [2026-06-01, 2026-12-31], p: 0.8,
         basis: stated}
      - {by: alice, made: 2026-01-11, window: [2026-06-01, 2026-12-31], basis: stated}
    outcomes:
      - {result: 2026-07-01, known: 2026-07-01, recorded: 2026-07-01}
"""


def test_time_averaged_counts_no_day_after_the_deadline_or_without_a_score(check):
    ledger, errors = check(CAPPED)
    assert errors == []
    got = scorecard.aggregate(frame(ledger, AS_OF), ["question"], time_averaged=True)
    got = got.set_index("question")
    # q: 0.2 for 20 days (Jan 1-20), 0.9 for 11 (Jan 21-31); the five weeks from the
    # deadline to the day the outcome was known do not count.
    assert got.loc["q", "brier"] == pytest.approx((20 * 0.64 + 11 * 0.01) / 31)
    # w: only the first forecast has a p; the days of the window without one add no
    # Brier, and do not dilute it either.
    assert got.loc["w", "brier"] == pytest.approx(brier(0.8, 1))
    assert (got.loc["w", "n"], got.loc["w", "n_window_only"]) == (1, 0)
    assert got.loc["w", "timing_error"] == 0.0


# -- calibration -----------------------------------------------------------------------


def decile(p: float) -> int:
    return min(round(p * 100) // 10, 9)


def test_calibration_bins(table):
    got = scorecard.calibration(table)
    forecasts = [(p, o) for _, _, p, o in rows()]
    assert got["n"] == len(forecasts) == 20
    bins = got["bins"]
    assert len(bins) == 10  # empty bins kept
    assert bins["bin"].tolist()[0] == "0-10%" and bins["bin"].tolist()[-1] == "90-100%"
    for k in range(10):
        chosen = [(p, o) for p, o in forecasts if decile(p) == k]
        assert bins.loc[k, "n"] == len(chosen)
        if chosen:
            assert bins.loc[k, "mean_p"] == pytest.approx(mean([p for p, _ in chosen]))
            assert bins.loc[k, "observed"] == pytest.approx(
                mean([o for _, o in chosen])
            )
        else:
            assert math.isnan(bins.loc[k, "observed"])
    assert bins["n"].tolist() == [1, 0, 1, 1, 1, 4, 4, 2, 3, 3]


def wilson(k: float, n: int, z: float = 1.959963984540054) -> tuple[float, float]:
    phat = k / n
    centre = (phat + z * z / (2 * n)) / (1 + z * z / n)
    half = z / (1 + z * z / n) * math.sqrt(phat * (1 - phat) / n + z * z / (4 * n * n))
    return centre - half, centre + half


def test_calibration_wilson_interval(table):
    bins = scorecard.calibration(table)["bins"]
    eighty = bins.set_index("bin").loc["80-90%"]  # alice's three 80% forecasts, all yes
    assert (eighty["n"], eighty["observed"]) == (3, 1.0)
    low, high = wilson(3, 3)
    assert (eighty["wilson_lo"], eighty["wilson_hi"]) == (
        pytest.approx(low),
        pytest.approx(high),
    )


def test_murphy_decomposition_and_ece_by_hand(table):
    got = scorecard.calibration(table)
    forecasts = [(p, o) for _, _, p, o in rows()]
    n = len(forecasts)
    base = mean([o for _, o in forecasts])
    cells: dict[int, list[tuple[float, float]]] = {}
    for p, o in forecasts:
        cells.setdefault(decile(p), []).append((p, o))
    rel = res = ece = wbv = wbc = 0.0
    for chosen in cells.values():
        f_k, o_k = mean([p for p, _ in chosen]), mean([o for _, o in chosen])
        rel += len(chosen) * (f_k - o_k) ** 2
        res += len(chosen) * (o_k - base) ** 2
        ece += len(chosen) * abs(f_k - o_k)
        wbv += sum((p - f_k) ** 2 for p, _ in chosen)
        wbc += 2 * sum((o - o_k) * (p - f_k) for p, o in chosen)
    unc = mean([(o - base) ** 2 for _, o in forecasts])
    bs = mean([brier(p, o) for p, o in forecasts])
    murphy = got["murphy"]
    assert murphy["REL"] == pytest.approx(rel / n)
    assert murphy["RES"] == pytest.approx(res / n)
    assert murphy["UNC"] == pytest.approx(unc)
    assert murphy["WBV"] == pytest.approx(wbv / n)
    assert murphy["WBC"] == pytest.approx(wbc / n)
    assert murphy["BS"] == pytest.approx(bs)
    identity = (
        murphy["REL"] - murphy["RES"] + murphy["UNC"] + murphy["WBV"] - murphy["WBC"]
    )
    assert identity == pytest.approx(murphy["BS"], abs=1e-12)
    assert got["ece"] == pytest.approx(ece / n)


def test_the_folded_table(table):
    buckets = (50, 60, 70, 80, 90, 95, 99)

    def fold(p: float, o: float) -> tuple[int, float, float]:
        p, o = (1 - p, 1 - o) if p < 0.5 else (p, o)
        nearest = min(buckets, key=lambda b: (abs(100 * p - b), -b))  # ties go up
        return nearest, p, o

    folded = [fold(p, o) for _, _, p, o in rows()]
    got = scorecard.calibration(table)["folded"].set_index("bucket")
    assert list(got.index) == list(buckets)
    for bucket in buckets:
        chosen = [(p, o) for b, p, o in folded if b == bucket]
        assert got.loc[bucket, "n"] == len(chosen)
        if chosen:
            assert got.loc[bucket, "mean_p"] == pytest.approx(
                mean([p for p, _ in chosen])
            )
            assert got.loc[bucket, "observed"] == pytest.approx(
                mean([o for _, o in chosen])
            )
    assert got["n"].tolist() == [4, 4, 4, 4, 2, 0, 2]


def test_calibration_by_forecaster_matches_one_forecaster_at_a_time(table):
    together = scorecard.calibration(table, by=["forecaster"])
    assert together["summary"]["forecaster"].tolist() == [
        "alice",
        "bob",
        "carol",
        "dan",
    ]
    for who, scored in SCORED.items():
        alone = scorecard.calibration(table[table["forecaster"] == who])
        bins = together["bins"][together["bins"]["forecaster"] == who].reset_index(
            drop=True
        )
        pd.testing.assert_frame_equal(bins.drop(columns="forecaster"), alone["bins"])
        folded = together["folded"][together["folded"]["forecaster"] == who]
        pd.testing.assert_frame_equal(
            folded.drop(columns="forecaster").reset_index(drop=True), alone["folded"]
        )
        summary = together["summary"].set_index("forecaster").loc[who]
        assert summary["n"] == alone["n"] == len(scored)
        for term, value in alone["murphy"].items():
            assert summary[term] == pytest.approx(value, abs=1e-12), (who, term)
        assert summary["ECE"] == pytest.approx(alone["ece"])


def test_calibration_of_nothing(table):
    got = scorecard.calibration(table[table["question"] == "cure-found"])
    assert got["n"] == 0
    assert got["murphy"] is None and got["ece"] is None
    assert got["bins"]["n"].tolist() == [0] * 10


# -- explain ---------------------------------------------------------------------------


def test_explain_says_why_each_forecast_counts_or_not(table):
    rates = scorecard.explain(table, "rates-cut-2026")
    assert [(r["forecaster"], r["p"], r["counts"]) for r in rates] == [
        ("alice", 0.6, False),
        ("bob", 0.2, True),
        ("alice", 0.9, True),
    ]
    assert (
        rates[0]["why"]
        == "not scored: replaced by a later forecast by the same forecaster"
    )
    assert rates[2]["why"] == "counts: the standing forecast of its forecaster"
    assert rates[2]["brier"] == pytest.approx(0.01)
    assert rates[0]["brier"] == pytest.approx(0.16)  # shown, though it does not count
    assert rates[2]["bin"] == "90-100%"

    coin = {r["forecaster"]: r for r in scorecard.explain(table, "coin-lands-heads")}
    assert coin["dan"]["log_score"] == pytest.approx(math.log(0.001))  # p 1 clipped
    assert coin["dan"]["bin"] == "90-100%"

    reasons = {
        (question, r["forecaster"]): r["why"]
        for question in (
            "rocket-launch",
            "fusion-power",
            "market-election",
            "match-played",
            "bridge-opens",
            "sun-rises",
        )
        for r in scorecard.explain(table, question)
    }
    assert reasons[("rocket-launch", "carol")].startswith(
        "window without a probability"
    )
    assert reasons[("fusion-power", "carol")].startswith(
        "not scored: the outcome is inside"
    )
    assert (
        reasons[("market-election", "dan")] == "not scored: the question is still open"
    )
    assert reasons[("match-played", "bob")] == "not scored: the question is void"
    assert reasons[("bridge-opens", "alice")].startswith(
        "not scored: the deadline has passed"
    )
    assert (
        reasons[("sun-rises", "dan")] == "not scored: the question is marked unscorable"
    )


def test_explain_on_the_0_2_scale(table):
    rows_ = scorecard.explain(table, "rain-in-june", scale="0-2")
    assert [r["brier"] for r in rows_] == pytest.approx([0.08, 0.98, 0.5])
