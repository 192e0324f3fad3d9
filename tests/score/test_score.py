"""Tests of ledger.score against the shared scoring vectors, plus properties.

Every case in tests/data/scoring-vectors.json is either recomputed here with
ledger.score (``COMPUTE``) or listed in ``NOT_APPLICABLE``; within a tested
case every expected key is checked unless ``SKIPPED_KEYS`` gives a reason.
"""

from __future__ import annotations

import itertools
import json
import math
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ledger import score

if TYPE_CHECKING:
    from collections.abc import Callable

DATA = Path(__file__).parents[1] / "data" / "scoring-vectors.json"
SHARED = Path(__file__).parents[3] / "shared" / "scoring" / "scoring-vectors.json"
VECTORS = json.loads(DATA.read_text(encoding="utf-8"))
CASES = {case["id"]: case for case in VECTORS["cases"]}

COMPUTE: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {}


def computes(*case_ids: str) -> Callable[[Any], Any]:
    """Register a function that recomputes the expected values of these cases."""

    def register(fn: Any) -> Any:
        for case_id in case_ids:
            COMPUTE[case_id] = fn
        return fn

    return register


def decode(value: Any) -> Any:
    """Turn the JSON encoding of infinities back into floats."""
    if value == "Infinity":
        return math.inf
    if value == "-Infinity":
        return -math.inf
    return value


def assert_close(actual: Any, expected: Any, tol: float, where: str) -> None:
    """|a - b| <= tol * max(1, |a|, |b|), recursively; None means undefined."""
    expected = decode(expected)
    if isinstance(expected, dict):
        assert set(actual) == set(expected), where
        for key in expected:
            assert_close(actual[key], expected[key], tol, f"{where}.{key}")
    elif isinstance(expected, list):
        assert len(actual) == len(expected), where
        for i, (a, b) in enumerate(zip(actual, expected, strict=True)):
            assert_close(a, b, tol, f"{where}[{i}]")
    elif expected is None or actual is None:
        assert actual is expected, f"{where}: {actual!r} != {expected!r}"
    elif math.isinf(expected):
        assert float(actual) == expected, f"{where}: {actual!r} != {expected!r}"
    else:
        a, b = float(actual), float(expected)
        assert abs(a - b) <= tol * max(1.0, abs(a), abs(b)), f"{where}: {a!r} != {b!r}"


def floats(values: Any) -> list[float]:
    return [float(v) for v in np.asarray(values).ravel()]


# --- A: binary single forecasts and sets ----------------------------------------


@computes("A1_single_p0.7_yes", "A2_single_p0.7_no", "A3_perfect_p1_yes",
          "A3b_perfect_p0_no", "A5_p0.5")
def single_binary(inputs: dict[str, Any]) -> dict[str, Any]:
    o, p = inputs["outcome"], inputs["p"]
    ln = float(score.log_score(o, p, clip=None)[0])
    return {
        "brier": score.brier(o, p),
        "brier_two_component_0_to_2": 2 * score.brier_multi([1 - o, o], [1 - p, p]),
        "log_score_ln": ln,
        "log_loss_ln": -ln,
        "log_score_log2": ln / math.log(2),
        "spherical": score.spherical(o, p),
        "metaculus_baseline": score.baseline_score(o, p, clip=None),
    }


@computes("A4_worst_p1_no_clipping")
def worst_case(inputs: dict[str, Any]) -> dict[str, Any]:
    o, p = inputs["outcome"], inputs["p"]
    eps = float(np.finfo(float).eps)
    return {
        "brier": score.brier(o, p),
        "brier_two_component_0_to_2": 2 * score.brier_multi([1 - o, o], [1 - p, p]),
        "log_score_ln_unclipped": score.log_score(o, p, clip=None)[0],
        "log_loss_sklearn_clip_eps": -score.log_score(o, p, clip=eps)[0],
        "log_score_ln_clip_0.001_0.999": score.log_score(o, p)[0],
        "metaculus_baseline_clip_0.001_0.999": score.baseline_score(o, p),
        "log_score_ln_clip_0.01_0.99": score.log_score(o, p, clip=0.01)[0],
    }


@computes("A6_set_of_8", "A7_all_same_outcomes")
def binary_set(inputs: dict[str, Any]) -> dict[str, Any]:
    o, p = inputs["outcome"], inputs["p"]
    unc = score.murphy(o, p)["UNC"]
    return {
        "mean_brier": score.brier(o, p).mean(),
        "mean_log_loss_ln": -score.log_score(o, p)[0].mean(),
        "mean_spherical": score.spherical(o, p).mean(),
        "brier_climatology_in_sample": unc,
        "murphy_uncertainty": unc,
        "bss_vs_climatology": score.brier_skill(o, p, "base_rate"),
        "bss_vs_0.5": score.brier_skill(o, p, "half"),
        "mean_metaculus_baseline": score.baseline_score(o, p).mean(),
    }


# --- B: multi-category -----------------------------------------------------------


@computes("B1_cultivate_ordinal_example", "B2_three_options", "B3_zero_on_outcome")
def multi_category(inputs: dict[str, Any]) -> dict[str, Any]:
    k, probs = inputs["outcome_index"], inputs["probs"]
    on_outcome = probs[k]
    half = float(score.brier_multi(k, probs))
    return {
        "brier_sum_0_to_2": 2 * half,
        "brier_half_0_to_1": half,
        "log_score_ln": score.log_score(1, on_outcome, clip=None)[0],
        "metaculus_baseline": score.baseline_score(
            1, on_outcome, n_options=len(probs), clip=None
        ),
    }


# --- C, D: log score and Metaculus ------------------------------------------------


@computes("C1_log_bases")
def log_bases(inputs: dict[str, Any]) -> dict[str, Any]:
    o, p, m = inputs["outcome"], inputs["p"], inputs["median_other"]
    ln = float(score.log_score(o, p)[0])
    return {
        "ln": ln,
        "log2": ln / math.log(2),
        "log10": ln / math.log(10),
        "metaculus_baseline": score.baseline_score(o, p),
        "metaculus_legacy_relative_log2": (ln - float(score.log_score(o, m)[0]))
        / math.log(2),
    }


@computes("C2_metaculus_die_table")
def die_table(inputs: dict[str, Any]) -> dict[str, Any]:
    def row(p: float) -> dict[str, float]:
        return {
            "score_if_not_6": float(score.log_score(0, p)[0]),
            "score_if_6": float(score.log_score(1, p)[0]),
            "expected_if_fair_die": float(score.log_score(1 / 6, p)[0]),
        }

    return {"table": {f"{p:.4g}": row(p) for p in inputs["predictions"]}}


@computes("C3_metaculus_99_vs_999")
def extreme_logs(inputs: dict[str, Any]) -> dict[str, Any]:
    return {
        f"{side}_{p:g}": float(score.log_score(o, p)[0])
        for p in inputs["predictions"]
        for side, o in (("yes", 1), ("no", 0))
    }


@computes("D1_metaculus_baseline_table")
def baseline_table(inputs: dict[str, Any]) -> dict[str, Any]:
    belief = inputs["belief"]

    def row(p: float) -> dict[str, float]:
        return {
            "if_yes": float(score.baseline_score(1, p)),
            "if_no": float(score.baseline_score(0, p)),
            f"expected_if_belief_{belief:g}": float(score.baseline_score(belief, p)),
        }

    return {"table": {f"{p:g}": row(p) for p in inputs["predictions"]}}


def yes_baseline(p: Any) -> Any:
    return score.baseline_score(1, p)


@computes("D2_metaculus_time_average")
def metaculus_time_average(inputs: dict[str, Any]) -> dict[str, Any]:
    daily = inputs["daily_forecast"]
    forecasts = [(day, p) for day, p in enumerate(daily) if p is not None]
    start, end = inputs["open"], inputs["close"]

    def averaged(s: Any, a: int = start, b: int = end) -> float:
        return score.time_averaged(forecasts, a, b, b, s, "metaculus")

    return {
        "daily_baseline": [averaged(yes_baseline, d, d + 1) for d in range(start, end)],
        "time_averaged_baseline": averaged(yes_baseline),
        "coverage": averaged(np.ones_like),
    }


@computes("D3_metaculus_peer_faq")
def peer_faq(inputs: dict[str, Any]) -> dict[str, Any]:
    names = list(inputs["log_scores"])
    peers = score.peer_scores(list(inputs["log_scores"].values())) / 100  # unscaled
    unscaled = dict(zip(names, floats(peers), strict=True))
    return {"peer_unscaled": unscaled, "sum": peers.sum()}


@computes("D4_metaculus_peer_binary")
def peer_binary(inputs: dict[str, Any]) -> dict[str, Any]:
    peers = score.peer_scores(score.log_score(inputs["outcome"], inputs["p"])[0])
    return {"peer": floats(peers), "sum": peers.sum()}


@computes("D5_metaculus_truncation")
def truncation(_: dict[str, Any]) -> dict[str, Any]:
    # FAQ: a 52-week question "fired this year?", review in week 0. Honest: 24%
    # in week 0, then 5%. Gaming: 99%, then 5%. Untruncated = scored only up
    # to the actual close; truncated = divided by the scheduled 52 weeks.
    honest, gaming = [(0, 0.24), (1, 0.05)], [(0, 0.99), (1, 0.05)]

    def avg(forecasts: Any, outcome: int, known: int, truncated: bool = True) -> float:
        def daily(p: Any) -> Any:
            return score.baseline_score(outcome, p)

        close = 52 if truncated else known
        return score.time_averaged(forecasts, 0, close, known, daily, "metaculus")

    fired_week, fired_later, not_fired = 0.2, 0.8 * 0.05, 0.8 * 0.95
    return {
        "S24_fired": avg(honest, 1, 1, truncated=False),
        "fired_end_of_year": avg(honest, 1, 52),
        "not_fired": avg(honest, 0, 52),
        "truncated_fired_this_week": avg(honest, 1, 1),
        "gaming_fired_this_week_untruncated": avg(gaming, 1, 1, truncated=False),
        "gaming_not_fired": avg(gaming, 0, 52),
        "honest_expected_untruncated": fired_week * avg(honest, 1, 1, truncated=False)
        + fired_later * avg(honest, 1, 52)
        + not_fired * avg(honest, 0, 52),
        "honest_expected_truncated": fired_week * avg(honest, 1, 1)
        + fired_later * avg(honest, 1, 52)
        + not_fired * avg(honest, 0, 52),
        "gaming_expected_truncated": fired_week * avg(gaming, 1, 1)
        + fired_later * avg(gaming, 1, 52)
        + not_fired * avg(gaming, 0, 52),
    }


@computes("D6_metaculus_bounds")
def metaculus_bounds(inputs: dict[str, Any]) -> dict[str, Any]:
    low, high = inputs["p_min"], inputs["p_max"]
    best, worst = score.log_score([1, 1], [high, low])[0]
    return {
        "binary_best": score.baseline_score(1, high),
        "binary_worst": score.baseline_score(1, low),
        "mc8_worst": score.baseline_score(1, low, n_options=8),
        "peer_binary_best": score.peer_scores([best, worst])[0],
    }


@computes("D7_metaculus_coverage_early_resolution")
def early_resolution(inputs: dict[str, Any]) -> dict[str, Any]:
    forecasts = [(inputs["forecast_start"], inputs["p"])]
    days = inputs["open"], inputs["scheduled_close"], inputs["actual_close"]
    args = (forecasts, *days)
    return {
        "coverage": score.time_averaged(*args, np.ones_like, "metaculus"),
        "baseline_time_averaged": score.time_averaged(
            *args, lambda p: score.baseline_score(inputs["outcome"], p), "metaculus"
        ),
    }


# --- E: GJ Open / Cultivate daily scoring ---------------------------------------


@computes("E1_cultivate_daily_average")
def cultivate_daily(inputs: dict[str, Any]) -> dict[str, Any]:
    forecasts = list(enumerate(inputs["daily_forecast_yes"]))
    days = len(forecasts)

    def gjo_brier(p: Any) -> Any:
        return 2 * score.brier(inputs["outcome"], p)  # GJ Open's 0-2 scale

    return {
        "daily_scores": [
            score.time_averaged(forecasts, d, d + 1, d + 1, gjo_brier)
            for d in range(days)
        ],
        "question_brier": score.time_averaged(forecasts, 0, days, days, gjo_brier),
    }


@computes("E2_daily_carry_forward")
def carry_forward(inputs: dict[str, Any]) -> dict[str, Any]:
    forecasts = [(int(day), p) for day, p in inputs["forecast_updates"].items()]
    start, end = 1, 1 + inputs["days"]  # days are numbered from 1 in the vector

    def one_component(p: Any) -> Any:
        return score.brier(inputs["outcome"], p)

    mean = score.time_averaged(forecasts, start, end, end, one_component)
    return {
        "carried_daily_forecast": [
            score.time_averaged(forecasts, d, d + 1, d + 1, lambda p: p)
            for d in range(start, end)
        ],
        "brier_one_component": mean,
        "brier_two_component_gjo_scale": 2 * mean,
    }


@computes("E3_relative_brier_vs_median")
def relative_vs_median(inputs: dict[str, Any]) -> dict[str, Any]:
    daily = pd.DataFrame(inputs["daily_forecasts_yes"])
    relative = score.relative_brier(inputs["outcome"], daily)
    return {"relative_brier": (2 * relative).to_dict()}  # the vector uses the 0-2 scale


# --- F: decomposition, ECE and bins --------------------------------------------


def decomposition(murphy: dict[str, float]) -> dict[str, float]:
    return {
        "brier": murphy["BS"],
        "reliability": murphy["REL"],
        "resolution": murphy["RES"],
        "uncertainty": murphy["UNC"],
        "within_bin_variance": murphy["WBV"],
        "within_bin_covariance": murphy["WBC"],
    }


@computes("F1_murphy_exact")
def murphy_exact(inputs: dict[str, Any]) -> dict[str, Any]:
    return decomposition(score.murphy(inputs["outcome"], inputs["p"], bins="values"))


@computes("F2_murphy_binned_plus_ece")
def murphy_binned(inputs: dict[str, Any]) -> dict[str, Any]:
    o, p = inputs["outcome"], inputs["p"]
    table = score.calibration_bins(o, p, closed="right").query("n > 0")
    return {
        **decomposition(score.murphy(o, p, bins="deciles", closed="right")),
        "n_bins_used": len(table),
        "ece_10_uniform_bins": score.ece(o, p, closed="right"),
        "bin_prob_pred": floats(table["mean_p"]),
        "bin_prob_true": floats(table["observed"]),
        "bin_counts": floats(table["n"]),
    }


@computes("F5_ece_top_label_vs_positive_class")
def ece_variants(inputs: dict[str, Any]) -> dict[str, Any]:
    o, p = inputs["outcome"], inputs["p"]
    return {
        "ece_top_label": score.ece(o, p, "top_label", closed="right"),
        "ece_positive_class": score.ece(o, p, "positive_class", closed="right"),
    }


@computes("F3_bin_edge_conventions")
def bin_edges(inputs: dict[str, Any]) -> dict[str, Any]:
    p = inputs["p"]
    counts = score.calibration_bins(np.zeros(len(p)), p, closed="right")["n"].to_numpy()
    # One bin index per forecast, read back from the per-bin counts.
    index = np.repeat(np.arange(10), counts)
    return {"p": p, "sklearn_uniform10_bin_index": floats(index)}


@computes("F4_acx_folded_buckets")
def acx_buckets(inputs: dict[str, Any]) -> dict[str, Any]:
    table = score.folded_table(inputs["outcome"], inputs["p"]).query("n > 0")
    buckets = (
        table.assign(correct=table["observed"] * table["n"], fraction=table["observed"])
        .set_index(table["bucket"].astype(str))[["correct", "n", "fraction"]]
        .to_dict("index")
    )
    return {"buckets": buckets}


# --- G: interval, CRPS and timing ---------------------------------------------


@computes("G1_interval_score_y5", "G1_interval_score_y15", "G1_interval_score_y25")
def interval(inputs: dict[str, Any]) -> dict[str, Any]:
    args = (inputs["lower"], inputs["upper"], inputs["y"], inputs["alpha"])
    return {"interval_score": score.interval_score(*args)}


@computes("G2_weighted_interval_score")
def weighted_interval(inputs: dict[str, Any]) -> dict[str, Any]:
    lower, upper = inputs["lower"], inputs["upper"]
    y, alphas = inputs["y"], inputs["alphas"]
    return {
        "interval_scores": floats(score.interval_score(lower, upper, y, alphas)),
        "wis": score.weighted_interval_score(lower, upper, y, alphas, inputs["median"]),
    }


@computes("G3_crps_ensemble")
def ensemble(inputs: dict[str, Any]) -> dict[str, Any]:
    y, members = inputs["y"], inputs["ensemble"]
    return {
        "crps": score.crps_ensemble(y, members),
        "crps_fair": score.crps_ensemble(y, members, fair=True),
    }


@computes("G4_crps_normal")
def normal(inputs: dict[str, Any]) -> dict[str, Any]:
    return {"crps": score.crps_normal(inputs["y"], inputs["mu"], inputs["sigma"])}


@computes("G5_timing_uniform_2_3y_event_at_2.5", "G5_timing_uniform_2_3y_event_at_3.5",
          "G5_timing_uniform_2_3y_event_at_1.5")
def uniform(inputs: dict[str, Any]) -> dict[str, Any]:
    assert inputs["forecast"] == "Uniform(2,3) years"
    return {"crps_years": score.crps_uniform(2, 3, inputs["event_time_years"])}


@computes("G6_timing_censored_provisional")
def censored(inputs: dict[str, Any]) -> dict[str, Any]:
    assert inputs["forecast"] == "Uniform(2,3) years"
    assert not inputs["event_happened_by_tau"]
    tau = inputs["evaluation_time_years"]
    return {"twcrps_years": score.crps_uniform_censored(2, 3, tau)}


@computes("G7_timing_as_binary_window")
def binary_window(inputs: dict[str, Any]) -> dict[str, Any]:
    p, cases = inputs["p_window"], inputs["cases"]
    outside, inside = cases["event_at_3.5"], cases["event_at_2.5"]
    return {
        "brier_if_outside": score.brier(outside, p),
        "brier_if_inside": score.brier(inside, p),
        "log_if_outside": score.log_score(outside, p)[0],
        "log_if_inside": score.log_score(inside, p)[0],
    }


# --- Q: quantile score and WIS (added by the ledger; see tests/data/quantile_vectors.py)


@computes(
    "Q1_quantile_score_median_only", "Q2_quantile_score_y_inside",
    "Q2_quantile_score_y_below", "Q2_quantile_score_y_above",
    "Q3_wis_from_quantiles", "Q4_unpaired_levels_no_wis",
)
def quantile_numbers(inputs: dict[str, Any]) -> dict[str, Any]:
    """The array rules of ledger.score, truth first."""
    y, values, levels = inputs["y"], inputs["quantiles"], inputs["levels"]
    try:
        wis = float(score.wis(y, values, levels))
    except ValueError:  # the levels do not pair up around a median
        wis = None
    return {"quantile_score": float(score.quantile_score(y, values, levels)), "wis": wis}


@computes("Q5_date_median_uncertain_month", "Q6_date_censored_lower_bound")
def quantile_dates(inputs: dict[str, Any]) -> dict[str, Any]:
    """The frame's own rule (ledger.core.quantiles), on dates as the ledger reads them."""
    from ledger.core.dates import parse_when
    from ledger.core.model import Quantiles
    from ledger.core.quantiles import score as score_quantiles
    from ledger.core.quantiles import truth

    given = inputs["quantiles"]
    forecast = Quantiles(
        tuple(float(t) for t in given), tuple(parse_when(v) for v in given.values())
    )
    event = inputs["event"]
    after = event.get("after")
    outcome = truth(
        None if after else parse_when(event["happened"]),
        None if after is None else parse_when(after).latest,
    )
    found = score_quantiles(forecast, outcome)
    assert found.quantile_censored == (after is not None)
    return {
        "quantile_score": found.quantile_score,
        "wis": None if math.isnan(found.wis) else found.wis,
    }


# --- H: comparison ----------------------------------------------------------------


@computes("H1_paired_comparison")
def paired(inputs: dict[str, Any]) -> dict[str, Any]:
    o = inputs["outcome"]
    brier_a, brier_b = score.brier(o, inputs["p_A"]), score.brier(o, inputs["p_B"])
    result = score.paired_comparison(brier_a - brier_b)
    return {
        "brier_A": brier_a.mean(),
        "brier_B": brier_b.mean(),
        "mean_diff_A_minus_B": result["mean"],
        "dm_stat_h1": result["dm"],
        "dm_hln_stat_h1": result["t"],
        "paired_t": result["t"],
        "paired_t_df": result["df"],
        "paired_t_p_two_sided": result["p_t"],
        "sign_flip_exact_p_two_sided": result["p_sign_flip"],
    }


@computes("H2_forecastbench_two_way_fe")
def fixed_effects(inputs: dict[str, Any]) -> dict[str, Any]:
    frame = pd.DataFrame(
        inputs["observations_model_question_brier"],
        columns=["forecaster", "question", "brier"],
    )
    adjusted, difficulty = score.two_way_fixed_effects(frame)
    return {
        "question_fixed_effects_m1_reference": difficulty.to_dict(),
        "difficulty_adjusted_m1_reference": adjusted.to_dict(),
        "adjusted_minus_m1": (adjusted - adjusted["m1"]).to_dict(),
    }


# Expected keys of tested cases that are deliberately not recomputed.
SKIPPED_KEYS: dict[tuple[str, str], str] = {
    **{
        (case, "spherical"): "score.spherical is binary-only; multi-category spherical "
        "is not a ledger rule"
        for case in (
            "B1_cultivate_ordinal_example",
            "B2_three_options",
            "B3_zero_on_outcome",
        )
    },
    ("B1_cultivate_ordinal_example", "rps_unnormalized"): "RPS is not a ledger rule",
    ("B1_cultivate_ordinal_example", "rps_normalized_K_minus_1"): "RPS is not a "
    "ledger rule",
    ("B1_cultivate_ordinal_example", "cultivate_ordinal_daily_score"): "ordinal "
    "(cumulative-split) Brier is not in ledger.score",
    ("A6_set_of_8", "base_rate"): "plain mean of the outcomes, not a scoring rule",
    ("F1_murphy_exact", "n_bins_used"): "murphy returns only REL/RES/UNC/WBV/WBC/BS; "
    "per-value bins = distinct forecasts",
    ("F3_bin_edge_conventions", "sklearn_uniform10_bin"): "sklearn's interval text for "
    "the same bin indices, which are tested",
    ("F3_bin_edge_conventions", "fatebook_bucket_centre"): "reproduces Fatebook's "
    "float bug; the ledger bins in basis points",
    ("F3_bin_edge_conventions", "predictionbook_band_for_integer_percent"): (
        "PredictionBook bands; the ledger folds to ACX buckets instead (F4)"
    ),
    ("F3_bin_edge_conventions", "decimal_round_half_up_to_10pct"): "a rounding scheme "
    "ledger.score does not expose",
    ("G2_weighted_interval_score", "scoringrules_0.10.0_wis_BUGGY"): "a buggy "
    "implementation's value; test_wis_is_not_the_scoringrules_bug asserts we differ",
    ("H2_forecastbench_two_way_fe", "raw_mean_brier"): "plain per-forecaster mean, "
    "not a rule in ledger.score",
}


@pytest.mark.parametrize("case_id", sorted(COMPUTE))
def test_vector(case_id: str) -> None:
    case = CASES[case_id]
    expected = {
        key: value
        for key, value in case["expected"].items()
        if (case_id, key) not in SKIPPED_KEYS
    }
    actual = COMPUTE[case_id](case["inputs"])
    assert_close(
        {k: actual[k] for k in actual if k in case["expected"]},
        expected,
        case["tolerance_rel"],
        case_id,
    )


def test_skipped_keys_exist() -> None:
    for case_id, key in SKIPPED_KEYS:
        assert key in CASES[case_id]["expected"], (case_id, key)
        assert case_id in COMPUTE


def test_wis_is_not_the_scoringrules_bug() -> None:
    case = CASES["G2_weighted_interval_score"]
    wis = weighted_interval(case["inputs"])["wis"]
    assert abs(float(wis) - case["expected"]["scoringrules_0.10.0_wis_BUGGY"]) > 1


ADDED_BY = "ledger"
"""The `added_by` of the cases this copy adds to the shared file (quantile_vectors.py)."""


def test_copy_holds_every_shared_case_unchanged_and_marks_its_own() -> None:
    if not SHARED.exists():
        pytest.skip("shared/ is not beside this checkout")
    shared = json.loads(SHARED.read_text(encoding="utf-8"))
    note = "Copied from shared/scoring/scoring-vectors.json"
    assert VECTORS["attribution"].startswith(note)
    rest = {k: v for k, v in VECTORS.items() if k not in ("attribution", "cases")}
    assert rest == {k: v for k, v in shared.items() if k != "cases"}
    ours = {case["id"]: case for case in VECTORS["cases"]}
    for case in shared["cases"]:
        assert ours.get(case["id"]) == case, case["id"]
    theirs = {case["id"] for case in shared["cases"]}
    added = [case for case in VECTORS["cases"] if case["id"] not in theirs]
    assert added, "the quantile cases are this copy's own"
    assert all(case.get("added_by") == ADDED_BY for case in added)
    assert not any("added_by" in case for case in shared["cases"])


def test_added_cases_agree_with_a_library_where_it_is_right() -> None:
    """Recompute each added case's cross-checks with scoringrules (>= 0.10).

    Its quantile_score and interval_score are used; its weighted_interval_score
    (0.10.0) adds the median instead of |y - median|, so the WIS is composed from
    its interval scores (Bracher et al. 2021), as quantile_vectors.py does.
    """
    sr = pytest.importorskip("scoringrules")
    added = [case for case in VECTORS["cases"] if case.get("added_by") == ADDED_BY]
    for case in added:
        inputs = case["inputs"]
        if "y" not in inputs:
            continue  # a date case: its values are read from dates by the ledger
        y, values, levels = inputs["y"], inputs["quantiles"], inputs["levels"]
        losses = [float(sr.quantile_score(y, q, t)) for t, q in zip(levels, values, strict=True)]
        qs = 2 * sum(losses) / len(losses)
        assert_close(qs, case["expected"]["quantile_score"], 1e-9, case["id"])
        if case["expected"]["wis"] is None:
            continue
        at = dict(zip(levels, values, strict=True))
        total = 0.5 * abs(y - at[0.5])
        lows = [t for t in levels if t < 0.5]
        for t in lows:
            total += t * float(sr.interval_score(y, at[t], at[round(1 - t, 9)], 2 * t))
        assert_close(total / (len(lows) + 0.5), case["expected"]["wis"], 1e-9, case["id"])


# --- Edge cases and conventions not in the vectors ----------------------------------


def test_probabilities_outside_unit_interval_are_rejected() -> None:
    with pytest.raises(ValueError, match="p must lie in"):
        score.brier(1, 1.3)
    with pytest.raises(ValueError, match="outcome must lie in"):
        score.log_score(2, 0.5)
    with pytest.raises(ValueError, match="sum to 1"):
        score.brier_multi(0, [0.5, 0.6])


def test_log_score_counts_clipped_forecasts_and_handles_certainty() -> None:
    scores, n_clipped = score.log_score([1, 0, 1, 0], [1.0, 0.0, 0.0005, 0.5])
    assert n_clipped == 2 + 1
    assert scores[0] == pytest.approx(math.log(0.999))
    raw, none_clipped = score.log_score([1, 0], [1.0, 0.0], clip=None)
    assert none_clipped == 0
    assert floats(raw) == [0.0, 0.0]  # 0 * ln 0 is taken as 0, not NaN


def test_calibration_bins_ledger_convention_is_left_closed() -> None:
    p = [0.0, 0.1, 0.15, 0.35, 0.7, 0.9999, 1.0]
    table = score.calibration_bins(np.zeros(len(p)), p)
    assert list(table.columns) == [
        "bin", "lo", "hi", "n", "mean_p", "observed", "wilson_lo", "wilson_hi"
    ]
    assert table["bin"].tolist()[0] == "0-10%"
    assert table["bin"].tolist()[-1] == "90-100%"
    assert table["n"].tolist() == [1, 2, 0, 1, 0, 0, 0, 1, 0, 2]
    empty = table[table["n"] == 0]
    assert empty[["mean_p", "observed", "wilson_lo", "wilson_hi"]].isna().all().all()


def test_wilson_interval_known_values() -> None:
    # 5 of 10: (0.2366, 0.7634); 1 of 1: lower 1/(1 + z^2) = 0.2065.
    table = score.calibration_bins([1] * 5 + [0] * 5 + [1], [0.55] * 10 + [0.95])
    five, one = table.iloc[5], table.iloc[9]
    five_interval = (five["wilson_lo"], five["wilson_hi"])
    assert five_interval == pytest.approx((0.236593, 0.763407), abs=1e-6)
    one_low = 1 / (1 + score.WILSON_Z**2)
    assert (one["wilson_lo"], one["wilson_hi"]) == pytest.approx((one_low, 1.0))


def test_folded_table_rounds_half_up_to_the_nearest_bucket() -> None:
    p = [0.55, 0.45, 0.65, 0.925, 0.97, 0.975, 1.0, 0.0, 0.5]
    table = score.folded_table(np.ones(len(p)), p)
    assert table["bucket"].tolist() == [50, 60, 70, 80, 90, 95, 99]
    # 0.55 and 0.45 (folded) -> 60; 0.65 -> 70; 0.925 -> 95; 0.97, 0.975, 1, 0 -> 99
    assert table["n"].tolist() == [1, 2, 1, 0, 0, 1, 4]
    assert table.loc[1, "observed"] == 0.5  # the folded 0.45 came true as "no" = wrong


def test_time_averaged_conventions() -> None:
    forecasts = [(1, 0.4), (2, 0.7), (4, 0.8)]
    daily = floats(yes_baseline([0.4, 0.7, 0.7, 0.8]))
    ledger = score.time_averaged(forecasts, 0, 5, 5, yes_baseline)
    assert ledger == pytest.approx(sum(daily) / 4)  # before the first forecast: skipped
    early = score.time_averaged(forecasts, 0, 5, 3, yes_baseline)
    assert early == pytest.approx(sum(daily[:2]) / 2)  # none after the outcome is known
    assert math.isnan(score.time_averaged(forecasts, 0, 5, 1, yes_baseline))
    assert score.time_averaged(forecasts, 0, 5, 1, yes_baseline, "metaculus") == 0
    # Order of the list does not matter; the last forecast of a day stands.
    shuffled = [(4, 0.8), (2, 0.1), (1, 0.4), (2, 0.7)]
    assert score.time_averaged(shuffled, 0, 5, 5, yes_baseline) == pytest.approx(ledger)


def test_relative_brier_skips_days_without_a_crowd() -> None:
    daily = pd.DataFrame(
        {"A": [0.9, 0.9, 0.8], "B": [np.nan, 0.5, 0.6], "C": [np.nan] * 3}
    )
    relative = score.relative_brier(1, daily)
    assert relative["A"] == pytest.approx(-0.09)  # day 0 (A alone) is skipped
    assert relative["A"] == pytest.approx(-relative["B"])
    assert math.isnan(relative["C"])


def test_brier_skill_undefined_returns_none() -> None:
    assert score.brier_skill([1, 1], [0.9, 0.8], "base_rate") is None
    assert score.brier_skill([], [], "half") is None
    with pytest.raises(ValueError, match="unknown reference"):
        score.brier_skill([1, 0], [0.9, 0.1], "median")  # type: ignore[arg-type]


def test_bootstrap_edge_cases_and_groups() -> None:
    assert all(math.isnan(x) for x in score.bootstrap_ci([]))
    assert score.bootstrap_ci([0.2]) == (0.2, 0.2)
    # One question holding every value: every replicate is the same mean.
    low, high = score.bootstrap_ci([0.1, 0.3], groups=["q", "q"])
    assert low == pytest.approx(0.2) and high == pytest.approx(0.2)
    # Chunks of replicates: more replicates than one chunk still works.
    low, high = score.bootstrap_ci(np.arange(2**21) % 2, n_boot=3, seed=1)
    assert 0.49 < low <= high < 0.51


def test_paired_comparison_small_and_large_n() -> None:
    assert score.paired_comparison([])["mean"] is None
    one = score.paired_comparison([0.1])
    assert one["mean"] == 0.1 and one["t"] is None and one["p_sign_flip"] == 1.0
    big = score.paired_comparison(np.linspace(-1, 2, 25))
    assert big["p_sign_flip"] is None and big["p_t"] is not None


def test_two_way_fixed_effects_rejects_disconnected_panel() -> None:
    frame = pd.DataFrame(
        {"forecaster": ["a", "b"], "question": ["q1", "q2"], "brier": [0.1, 0.2]}
    )
    with pytest.raises(ValueError, match="not all linked"):
        score.two_way_fixed_effects(frame)


def test_timing_error_is_distance_to_window() -> None:
    lower, upper = [2, 2, 2, np.nan, 2], [3, 3, 3, 3, None]
    got = score.timing_error(lower, upper, [1.5, 2.5, 4, -10, 99])
    assert floats(got) == [0.5, 0.0, 1.0, 0.0, 0.0]


# --- Independent formulas (scipy is not installed here) ------------------------------


def t_two_sided_closed_form(t: float, df: int) -> float:
    """Abramowitz & Stegun 26.7.3/26.7.4: Student t for integer df by finite series."""
    theta = math.atan(abs(t) / math.sqrt(df))
    s, c = math.sin(theta), math.cos(theta)
    if df % 2:
        term, total = c, c if df > 1 else 0.0
        for k in range(3, df - 1, 2):
            term *= (k - 1) / k * c * c
            total += term
        a = 2 / math.pi * (theta + s * total)
    else:
        term, total = 1.0, 1.0
        for k in range(2, df - 1, 2):
            term *= (k - 1) / k * c * c
            total += term
        a = s * total
    return 1 - a


def diffs_with_t(t: float, df: int) -> Any:
    """df + 1 differences whose paired t statistic is (up to rounding) t."""
    base = np.tile([1.0, -1.0], df + 1)[: df + 1]
    base = base - base.mean()
    return base + t * base.std(ddof=1) / math.sqrt(df + 1)


@given(st.floats(-40, 40), st.integers(1, 60))
def test_t_p_value_matches_closed_form(t: float, df: int) -> None:
    result = score.paired_comparison(diffs_with_t(t, df))
    expected = t_two_sided_closed_form(result["t"], df)
    assert result["p_t"] == pytest.approx(expected, rel=1e-9, abs=1e-13)


def t_tail_df1(t: float) -> float:
    return 2 / math.pi * math.atan(1 / abs(t))


def t_tail_df2(t: float) -> float:
    r = math.sqrt(2 + t * t)
    return 2 / (r * (r + abs(t)))


@pytest.mark.parametrize("t", [1e-9, 0.5, 3.0, 40.0, 1e3, 1e6])
@pytest.mark.parametrize(("df", "tail"), [(1, t_tail_df1), (2, t_tail_df2)])
def test_t_p_value_matches_exact_tails(t: float, df: int, tail: Any) -> None:
    """Tail forms free of cancellation, so tiny p is checked to 1e-12 too."""
    result = score.paired_comparison(diffs_with_t(t, df))
    assert result["p_t"] == pytest.approx(tail(result["t"]), rel=1e-12)


@settings(max_examples=30)
@given(st.lists(st.floats(-1, 1).map(lambda x: round(x, 2)), min_size=1, max_size=9))
def test_sign_flip_matches_brute_force(diffs: list[float]) -> None:
    d = np.array(diffs)
    observed = abs(d.sum())
    patterns = itertools.product([1, -1], repeat=d.size)
    sums = [abs(np.dot(signs, d)) for signs in patterns]
    tol = 1e-9 * max(1.0, float(np.abs(d).sum()))
    expected = sum(s >= observed - tol for s in sums) / 2**d.size
    assert score.paired_comparison(d)["p_sign_flip"] == pytest.approx(expected)


def pinball_wis(lower: Any, upper: Any, y: float, alphas: Any, median: float) -> float:
    """WIS as the sum of quantile (pinball) losses over 2K + 1 quantiles / (K + 1/2)."""

    def pinball(q: float, tau: float) -> float:
        return 2 * ((y <= q) - tau) * (q - y)

    total = pinball(median, 0.5) / 2
    for lo, hi, a in zip(lower, upper, alphas, strict=True):
        total += (pinball(lo, a / 2) + pinball(hi, 1 - a / 2)) / 2
    return total / (len(alphas) + 0.5)


interval_sets = st.lists(
    st.tuples(st.floats(0.01, 0.99), st.floats(-50, 50), st.floats(0, 50)),
    min_size=1,
    max_size=4,
)


@given(interval_sets, st.floats(-100, 100), st.floats(-50, 50))
def test_wis_equals_pinball_form(intervals: list[Any], y: float, median: float) -> None:
    alphas = [a for a, _, _ in intervals]
    lower = [c - w for _, c, w in intervals]
    upper = [c + w for _, c, w in intervals]
    got = float(score.weighted_interval_score(lower, upper, y, alphas, median))
    expected = pinball_wis(lower, upper, y, alphas, median)
    assert got == pytest.approx(expected, rel=1e-9, abs=1e-9)


def trapezoid(f: Any, lo: float, hi: float, n: int = 200_001) -> float:
    x = np.linspace(lo, hi, n)
    y = f(x)
    return float(np.sum((y[1:] + y[:-1]) / 2 * np.diff(x)))


def brier_integral(cdf: Any, y: float, lo: float, hi: float) -> float:
    """CRPS as the integral over thresholds of the Brier score, split at y."""
    below = trapezoid(lambda x: cdf(x) ** 2, lo, y)
    return below + trapezoid(lambda x: (1 - cdf(x)) ** 2, y, hi)


@settings(max_examples=25, deadline=None)
@given(st.floats(-5, 5), st.floats(0.1, 5), st.floats(-10, 10))
def test_crps_uniform_equals_brier_integral(a: float, width: float, y: float) -> None:
    b = a + width

    def cdf(x: Any) -> Any:
        return np.clip((x - a) / width, 0, 1)

    expected = brier_integral(cdf, y, min(a, y) - 1, max(b, y) + 1)
    assert float(score.crps_uniform(a, b, y)) == pytest.approx(expected, abs=1e-6)
    censored = trapezoid(lambda x: cdf(x) ** 2, min(a, y) - 1, y)
    provisional = float(score.crps_uniform_censored(a, b, y))
    assert provisional == pytest.approx(censored, abs=1e-6)


@settings(max_examples=25, deadline=None)
@given(st.floats(-3, 3), st.floats(0.2, 3), st.floats(-5, 5))
def test_crps_normal_equals_brier_integral(mu: float, sigma: float, y: float) -> None:
    erf = np.vectorize(math.erf)

    def cdf(x: Any) -> Any:
        return 0.5 * (1 + erf((x - mu) / (sigma * math.sqrt(2))))

    expected = brier_integral(cdf, y, min(mu, y) - 12 * sigma, max(mu, y) + 12 * sigma)
    assert float(score.crps_normal(y, mu, sigma)) == pytest.approx(expected, abs=1e-6)


@given(st.lists(st.floats(-100, 100), min_size=2, max_size=12), st.floats(-100, 100))
def test_crps_ensemble_equals_pairwise_form(members: list[float], y: float) -> None:
    x = np.array(members)
    pairs = np.abs(x[:, None] - x[None, :]).sum()
    m = x.size
    nrg = np.abs(x - y).mean() - pairs / (2 * m * m)
    fair = np.abs(x - y).mean() - pairs / (2 * m * (m - 1))
    got = float(score.crps_ensemble(y, x)), float(score.crps_ensemble(y, x, fair=True))
    assert got == pytest.approx((nrg, fair), rel=1e-9, abs=1e-9)


def backfit(frame: pd.DataFrame) -> pd.Series:
    """Difficulty-adjusted Brier by alternating projections (backfitting)."""
    f, forecasters = pd.factorize(frame["forecaster"], sort=True)
    q, _ = pd.factorize(frame["question"], sort=True)
    y = frame["brier"].to_numpy()
    a, b = np.zeros(f.max() + 1), np.zeros(q.max() + 1)
    for _ in range(1_000_000):
        b_new = np.bincount(q, y - a[f]) / np.bincount(q)
        a_new = np.bincount(f, y - b_new[q]) / np.bincount(f)
        change = max(np.abs(a_new - a).max(), np.abs(b_new - b).max())
        a, b = a_new, b_new
        if change < 1e-13:
            break
    return pd.Series(np.bincount(f, y - b[q]) / np.bincount(f), index=forecasters)


@settings(max_examples=25, deadline=None)
@given(st.data())
def test_two_way_fixed_effects_matches_backfitting(data: st.DataObject) -> None:
    n_f = data.draw(st.integers(2, 4))
    n_q = data.draw(st.integers(2, 5))
    # A connected panel: forecaster 0 answers everything; others a non-empty subset.
    rows = [(0, q) for q in range(n_q)] + [
        (f, q)
        for f in range(1, n_f)
        for q in data.draw(st.sets(st.integers(0, n_q - 1), min_size=1))
    ]
    n = len(rows)
    briers = data.draw(st.lists(st.floats(0, 1), min_size=n, max_size=n))
    frame = pd.DataFrame({
        "forecaster": [f"m{f}" for f, _ in rows],
        "question": [f"q{q}" for _, q in rows],
        "brier": briers,
    })
    adjusted, _ = score.two_way_fixed_effects(frame)
    reference = backfit(frame)
    got = adjusted - adjusted.iloc[0]
    want = reference - reference.iloc[0]
    assert np.allclose(got.to_numpy(), want.loc[got.index].to_numpy(), atol=1e-9)


# --- Properties ---------------------------------------------------------------------

probability = st.floats(0, 1)
binary = st.sampled_from([0.0, 1.0])
pairs = st.lists(st.tuples(binary, probability), max_size=60)


@given(st.lists(st.tuples(probability, probability), min_size=1))
def test_brier_is_in_unit_interval(rows: list[tuple[float, float]]) -> None:
    o, p = zip(*rows, strict=True)
    b = score.brier(o, p)
    assert np.all((b >= 0) & (b <= 1))


@given(st.lists(binary, min_size=1))
def test_perfect_forecast_scores_zero(outcomes: list[float]) -> None:
    assert np.all(score.brier(outcomes, outcomes) == 0)
    assert np.all(score.log_score(outcomes, outcomes, clip=None)[0] == 0)
    assert np.all(score.baseline_score(outcomes, outcomes, clip=None) == 100)


@given(st.lists(st.tuples(probability, probability), min_size=1),
       st.sampled_from([None, 0.001, 0.01]))
def test_log_score_is_never_positive(
    rows: list[tuple[float, float]], clip: float | None
) -> None:
    o, p = zip(*rows, strict=True)
    scores, _ = score.log_score(o, p, clip=clip)
    assert np.all(scores <= 0)


@given(pairs, st.sampled_from(["left", "right"]))
def test_calibration_keeps_ten_bins_and_counts_every_forecast(
    rows: list[Any], closed: Any
) -> None:
    o = [r[0] for r in rows]
    p = [r[1] for r in rows]
    table = score.calibration_bins(o, p, closed=closed)
    assert len(table) == 10
    assert table["n"].sum() == len(rows)
    folded = score.folded_table(o, p)
    assert len(folded) == 7
    assert folded["n"].sum() == len(rows)


@given(st.lists(st.tuples(st.floats(0, 1), probability), min_size=1, max_size=60),
       st.sampled_from(["deciles", "values"]), st.sampled_from(["left", "right"]))
def test_murphy_identity_holds(rows: list[Any], bins: Any, closed: Any) -> None:
    o = [r[0] for r in rows]
    p = [r[1] for r in rows]
    m = score.murphy(o, p, bins=bins, closed=closed)
    parts = m["REL"] - m["RES"] + m["UNC"] + m["WBV"] - m["WBC"]
    assert parts == pytest.approx(m["BS"], abs=1e-12)
    assert m["BS"] == pytest.approx(float(score.brier(o, p).mean()), abs=1e-15)


@settings(max_examples=30)
@given(st.lists(st.floats(0, 1), min_size=2, max_size=40), st.integers(0, 2**32 - 1))
def test_bootstrap_is_reproducible(values: list[float], seed: int) -> None:
    first = score.bootstrap_ci(values, n_boot=200, seed=seed)
    assert first == score.bootstrap_ci(values, n_boot=200, seed=seed)
    slack = 1e-12  # a mean of equal values can differ from them in the last bit
    assert min(values) - slack <= first[0] <= first[1] <= max(values) + slack


@given(st.lists(st.floats(-10, 10), min_size=2, max_size=8))
def test_peer_scores_sum_to_zero(log_scores: list[float]) -> None:
    assert float(score.peer_scores(log_scores).sum()) == pytest.approx(0, abs=1e-9)


# Every vector case that is not recomputed above, and why.
NOT_APPLICABLE: dict[str, str] = {}


def test_every_vector_case_is_tested_or_excused() -> None:
    assert set(COMPUTE) | set(NOT_APPLICABLE) == set(CASES)
    assert not set(COMPUTE) & set(NOT_APPLICABLE)
