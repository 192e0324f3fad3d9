"""Make the quantile cases (Q1-Q6) of tests/data/scoring-vectors.json, by hand.

Run once, by hand, with the test extra installed (`python tests/data/quantile_vectors.py`):
it computes each expected value twice, with a pure-Python formula written here and
with scoringrules' `quantile_score` and `interval_score` (0.10.0; its
`weighted_interval_score` has a bug, see shared/scoring/scoring.md §4, so the WIS is
composed from its interval scores by Bracher et al.'s formula), checks that they
agree to 1e-12, and writes the cases into the vector file, replacing earlier Q cases.
Every case it writes is marked `"added_by": "ledger"`: the shared cases stay as the
research material gave them (tests/score/test_score.py checks both).

Date cases count years as days / 365.25 (the ledger's unit of timing errors), and read
an uncertain date at its reading most favourable to the forecaster, as the ledger does
(`ledger.core.quantiles`); the inputs give the reading chosen.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import numpy as np
import scoringrules as sr

VECTORS = Path(__file__).parent / "scoring-vectors.json"
ADDED_BY = "ledger"
SOURCE_QS = (
    "Koenker & Bassett 1978 (pinball loss); Gneiting & Raftery 2007 JASA 102:359; "
    "Bracher et al. 2021 PLoS Comput Biol 17:e1008618 (quantile score = 2 x pinball)"
)
SOURCE_WIS = "Bracher et al. 2021 PLoS Comput Biol 17:e1008618"
ATTRIBUTION = (
    "Copied from shared/scoring/scoring-vectors.json (the ledger project's scoring test "
    "vectors; sources and cross-checks are listed per case and in "
    "shared/scoring/scoring.md). Besides this attribution key, the cases marked "
    '"added_by": "ledger" (the quantile score and WIS cases Q1-Q6) were added here by '
    "tests/data/quantile_vectors.py; every other case is identical to the shared file."
)


def pinball(level: float, error: float) -> float:
    return error * (level - (1.0 if error < 0 else 0.0))


def hand_qs(y: float, values: list[float], levels: list[float]) -> float:
    """Mean over the levels of 2 x pinball loss, written out."""
    return sum(2 * pinball(t, y - q) for t, q in zip(levels, values, strict=True)) / len(levels)


def library_qs(y: float, values: list[float], levels: list[float]) -> float:
    """The same from scoringrules' quantile_score (the pinball loss, not doubled)."""
    losses = [float(sr.quantile_score(y, q, t)) for t, q in zip(levels, values, strict=True)]
    return 2 * sum(losses) / len(losses)


def central(values: list[float], levels: list[float]) -> tuple[float, list[tuple[float, float, float]]]:
    at = dict(zip(levels, values, strict=True))
    pairs = [(2 * t, at[t], at[round(1 - t, 9)]) for t in levels if t < 0.5]
    return at[0.5], pairs


def hand_wis(y: float, values: list[float], levels: list[float]) -> float:
    """(½|y − m| + Σ αₖ/2 · IS_αₖ) / (K + ½), the interval scores written out."""
    median, pairs = central(values, levels)
    total = 0.5 * abs(y - median)
    for alpha, low, high in pairs:
        score = (high - low) + 2 / alpha * (max(low - y, 0) + max(y - high, 0))
        total += alpha / 2 * score
    return total / (len(pairs) + 0.5)


def library_wis(y: float, values: list[float], levels: list[float]) -> float:
    """The same with scoringrules' interval_score for each central interval."""
    median, pairs = central(values, levels)
    total = 0.5 * abs(y - median)
    for alpha, low, high in pairs:
        total += alpha / 2 * float(sr.interval_score(y, low, high, alpha))
    return total / (len(pairs) + 0.5)


def years(start: str, end: str) -> float:
    return (dt.date.fromisoformat(end) - dt.date.fromisoformat(start)).days / 365.25


def check(name: str, a: float, b: float, method_a: str, method_b: str) -> dict[str, Any]:
    assert abs(a - b) <= 1e-12 * max(1, abs(a), abs(b)), (name, a, b)
    return {"quantity": name, "method_a": method_a, "method_b": method_b,
            "value_a": a, "value_b": b, "abs_diff": abs(a - b)}


def numeric_case(
    case_id: str, description: str, y: float, values: list[float], levels: list[float],
    notes: str = "",
) -> dict[str, Any]:
    qs_a, qs_b = hand_qs(y, values, levels), library_qs(y, values, levels)
    checks = [check("quantile_score", qs_a, qs_b, "hand: mean of 2 x pinball loss",
                    "2 x mean of scoringrules quantile_score")]
    paired = 0.5 in levels and all(round(1 - t, 9) in levels for t in levels)
    expected: dict[str, Any] = {"quantile_score": qs_a, "wis": None}
    if paired:
        wis_a, wis_b = hand_wis(y, values, levels), library_wis(y, values, levels)
        checks.append(check("wis", wis_a, wis_b,
                            "hand: Bracher eq., (0.5|y-m| + sum alpha_k/2 IS_k)/(K+0.5)",
                            "Bracher eq. with scoringrules interval_score"))
        checks.append(check("wis_equals_quantile_score", wis_a, qs_a, "WIS", "quantile score"))
        expected["wis"] = wis_a
    case = {
        "id": case_id, "category": "quantile", "description": description,
        "inputs": {"y": y, "levels": levels, "quantiles": values},
        "expected": expected, "tolerance_rel": 1e-9, "cross_checks": checks,
        "source": SOURCE_WIS if paired else SOURCE_QS, "added_by": ADDED_BY,
    }
    if notes:
        case["notes"] = notes
    return case


def date_case(
    case_id: str, description: str, event: dict[str, str], chosen: dict[str, Any],
    quantiles: dict[str, str], notes: str,
) -> dict[str, Any]:
    """A date forecast: values and the outcome in years from the chosen readings."""
    origin = "2000-01-01"
    y = years(origin, chosen["outcome"])
    levels = [float(t) for t in quantiles]
    values = [years(origin, day) for day in chosen["values"]]
    case = numeric_case(case_id, description, y, values, levels, notes)
    case["inputs"] = {"event": event, "quantiles": quantiles, "reading": chosen}
    return case


def cases() -> list[dict[str, Any]]:
    return [
        numeric_case("Q1_quantile_score_median_only",
                     "Quantile score of a median alone is the absolute error: m = 20, y = 23.5",
                     23.5, [20.0], [0.5]),
        numeric_case("Q2_quantile_score_y_inside",
                     "Quantile score, levels 0.1/0.5/0.9 at 12/20/35, y = 22 (inside the 80% interval)",
                     22.0, [12.0, 20.0, 35.0], [0.1, 0.5, 0.9]),
        numeric_case("Q2_quantile_score_y_below",
                     "Quantile score, levels 0.1/0.5/0.9 at 12/20/35, y = 8 (below every value)",
                     8.0, [12.0, 20.0, 35.0], [0.1, 0.5, 0.9]),
        numeric_case("Q2_quantile_score_y_above",
                     "Quantile score, levels 0.1/0.5/0.9 at 12/20/35, y = 40 (above every value)",
                     40.0, [12.0, 20.0, 35.0], [0.1, 0.5, 0.9]),
        numeric_case("Q3_wis_from_quantiles",
                     "G2's forecast as five quantiles (0.05/0.25/0.5/0.75/0.95 at 5/8/12/14/20), y = 10: WIS 1.3 and the quantile score agree",
                     10.0, [5.0, 8.0, 12.0, 14.0, 20.0], [0.05, 0.25, 0.5, 0.75, 0.95],
                     "scoringrules 0.10.0 weighted_interval_score gives 3.3 here (its bug, G2); "
                     "the library's WIS is composed from its interval_score instead."),
        numeric_case("Q4_unpaired_levels_no_wis",
                     "Levels 0.25/0.5/0.8 do not pair up around the median: a quantile score, no WIS (null)",
                     3.0, [1.0, 2.0, 4.0], [0.25, 0.5, 0.8]),
        date_case("Q5_date_median_uncertain_month",
                  "A median of May 2030 (any day of it) against an event on 2031-03-01: the most favourable reading, 2030-05-31, 274 days = 0.7502 y",
                  {"happened": "2031-03-01"},
                  {"outcome": "2031-03-01", "values": ["2030-05-31"]},
                  {"0.5": "2030-05"},
                  "Years are days / 365.25. An uncertain date is read at the reading most "
                  "favourable to the forecaster (the ledger's convention for window ends)."),
        date_case("Q6_date_censored_lower_bound",
                  "Levels 0.25/0.75 at 2027 and 2029 (years, latest readings 2027-12-31 and 2029-12-31); the event did not happen by the deadline 2030-12-31, so y is at least 2031-01-01: a lower bound of 1.5024 y",
                  {"after": "2030-12-31"},
                  {"outcome": "2031-01-01", "values": ["2027-12-31", "2029-12-31"]},
                  {"0.25": "2027", "0.75": "2029"},
                  "Censored (the ledger's convention): every value lies before the first day "
                  "the event can come, so each term 2 tau (y - q) is smallest at that day and "
                  "the score is a lower bound; a value past it would leave the score unknown."),
    ]


def main() -> None:
    data = json.loads(VECTORS.read_text(encoding="utf-8"))
    kept = [c for c in data["cases"] if not c["id"].startswith("Q")]
    data["cases"] = kept + cases()
    data["attribution"] = ATTRIBUTION
    VECTORS.write_text(json.dumps(data, indent=1), encoding="utf-8")
    print(f"{len(cases())} quantile cases written; numpy {np.__version__}")


if __name__ == "__main__":
    main()
