"""The judges' agreement figures: worked examples from the literature, and a
ledger of three judges grading 30 questions against an independent computation.

Independent: statsmodels' Cohen's and Fleiss' kappa, Krippendorff's alpha by
its definition (observed over expected disagreement of pairable values),
written out here, and Brier scores summed by hand.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import math
import random
from typing import TYPE_CHECKING

import numpy as np
import pytest
from click.testing import CliRunner
from statsmodels.stats.inter_rater import aggregate_raters, cohens_kappa
from statsmodels.stats.inter_rater import fleiss_kappa as sm_fleiss

from ledger.cli import main
from ledger.core import rules
from ledger.loader.load import load_file
from ledger.score import agreement, judged

if TYPE_CHECKING:
    from pathlib import Path

NAN = math.nan


def test_cohens_kappa_of_the_textbook_example():
    # 50 items: both yes 20, both no 15, yes/no 5, no/yes 10 (Wikipedia's
    # worked example): p_o 0.7, p_e 0.5, kappa 0.4.
    first = ["yes"] * 25 + ["no"] * 25
    second = ["yes"] * 20 + ["no"] * 5 + ["yes"] * 10 + ["no"] * 15
    assert agreement.cohen_kappa(first, second) == pytest.approx(0.4, abs=1e-12)


def test_fleiss_kappa_of_the_worked_example():
    # Ten subjects, 14 raters, five categories (Fleiss 1971's statistic, the
    # worked example of its Wikipedia article): P 0.378, P_e 0.213, kappa 0.210.
    table = np.array([
        [0, 0, 0, 0, 14], [0, 2, 6, 4, 2], [0, 0, 3, 5, 6], [0, 3, 9, 2, 0],
        [2, 2, 8, 1, 1], [7, 7, 0, 0, 0], [3, 2, 6, 3, 0], [2, 5, 3, 2, 2],
        [6, 5, 2, 1, 0], [0, 2, 2, 3, 7],
    ])
    assert agreement.fleiss_kappa(table) == pytest.approx(0.20993, abs=5e-6)
    assert agreement.fleiss_kappa(table) == pytest.approx(sm_fleiss(table), abs=1e-12)


def test_krippendorffs_alpha_of_his_reliability_data_example():
    # Krippendorff (2011), "Computing Krippendorff's alpha-reliability": four
    # observers, twelve units, missing values; interval alpha 0.849.
    data = np.array([
        [1, 2, 3, 3, 2, 1, 4, 1, 2, NAN, NAN, NAN],
        [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, NAN, 3],
        [NAN, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, NAN],
        [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, NAN],
    ])
    assert agreement.interval_alpha(data) == pytest.approx(0.849, abs=5e-4)
    assert agreement.interval_alpha(data) == pytest.approx(by_definition(data), abs=1e-12)


def by_definition(data: np.ndarray) -> float:
    """Interval alpha: 1 - D_o / D_e over the pairable values (Krippendorff 2011)."""
    units = [col[~np.isnan(col)] for col in data.T]
    units = [u for u in units if len(u) >= 2]
    values = np.concatenate(units)
    n = len(values)
    observed = sum(
        sum((a - b) ** 2 for a, b in itertools.permutations(u, 2)) / (len(u) - 1)
        for u in units
    ) / n
    expected = sum((a - b) ** 2 for a, b in itertools.permutations(values, 2)) / (
        n * (n - 1))
    return 1 - observed / expected


# -- a ledger of three judges grading 30 questions ------------------------------

JUDGES = ("bob", "cy", "dee")
CHOICES = ["yes", "yes", "no", "no", "0.5", "0.25", "ambiguous", "void"]


def gradings_30() -> list[dict[str, str]]:
    """Each question's gradings: related (judges mostly follow a true reading)."""
    rng = random.Random(16)
    found = []
    for _ in range(30):
        truth = rng.choice(CHOICES)
        row = {}
        for judge in JUDGES:
            if rng.random() < 0.1:
                continue  # not graded yet
            row[judge] = truth if rng.random() < 0.6 else rng.choice(CHOICES)
        found.append(row)
    return found


def ledger_30(tmp_path: Path, rule: str) -> Path:
    rng = random.Random(61)
    lines = ["forecasters:"]
    lines += [f"  - {{id: {who}, name: {who.title()}}}" for who in (*JUDGES, "ann", "eve")]
    lines.append("questions:")
    for i, row in enumerate(gradings_30()):
        lines += [
            f"  - id: q{i:02d}", f"    title: Question {i}",
            "    criteria: The judges find that it happened.", "    kind: binary",
            "    deadline: 2027-12-31", "    judges: [bob, cy, dee]",
            f"    grading: {rule}", "    forecasts:",
            f"      - {{by: ann, made: 2026-01-01, p: {rng.randint(1, 99) / 100}, basis: stated}}",
            f"      - {{by: eve, made: 2026-01-01, p: {rng.randint(1, 99) / 100}, basis: stated}}",
        ]
        if row:
            lines.append("    outcomes:")
        for judge, result in row.items():
            lines.append(f"      - {{result: \"{result}\", known: 2028-01-02, "
                         f"recorded: 2028-01-02, by: {judge}, note: read}}")
    path = tmp_path / f"thirty-{rule}.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def value(vote: str) -> float:
    """A grading on the interval scale, written out here: ambiguous and void missing."""
    if vote in ("ambiguous", "void"):
        return NAN
    return {"yes": 1.0, "no": 0.0}.get(vote, float(vote) if vote[0].isdigit() else NAN)


def expected_combined(row: dict[str, str], rule: str) -> str | None:
    """The combined grading, written out independently of `core.grading`."""
    votes = list(row.values())
    if not votes:
        return None
    if rule == "unanimous":
        return votes[0] if len(set(votes)) == 1 else "ambiguous"
    if rule == "majority":
        counts = sorted((votes.count(v) for v in set(votes)), reverse=True)
        if len(counts) > 1 and counts[0] == counts[1]:
            return "ambiguous"
        return max(set(votes), key=votes.count)
    numbers = [value(v) for v in votes if not math.isnan(value(v))]
    if not numbers:
        return "void" if set(votes) == {"void"} else "ambiguous"
    mean = sum(numbers) / len(numbers)
    return {1.0: "yes", 0.0: "no"}.get(mean, f"{mean:.3f}")


AS_OF = dt.date(2028, 2, 1)


@pytest.mark.parametrize("rule", ["majority", "unanimous", "mean"])
def test_thirty_questions_combine_by_each_rule(tmp_path, rule):
    ledger, errors = load_file(str(ledger_30(tmp_path, rule)))
    assert errors == []
    questions = rules.index(ledger)
    got = []
    for q in ledger.questions:
        found = rules.outcome(q, questions, AS_OF)
        got.append(None if found is None else str(found.result))
    want = [expected_combined(row, rule) for row in gradings_30()]
    assert got == want
    assert len({w for w in want if w}) >= 4  # the rule meets ties, fractions, voids


def test_thirty_questions_agreement_matches_an_independent_computation(tmp_path):
    path = ledger_30(tmp_path, "majority")
    ledger, _ = load_file(str(path))
    found = judged.judges(ledger, AS_OF)
    rows = gradings_30()
    pairs = {(p.a, p.b): p for p in found.agreement.pairs}
    for a, b in itertools.combinations(JUDGES, 2):
        both = [(r[a], r[b]) for r in rows if a in r and b in r]
        cats = sorted({v for pair in both for v in pair})
        table = np.zeros((len(cats), len(cats)))
        for x, y in both:
            table[cats.index(x), cats.index(y)] += 1
        assert pairs[a, b].n == len(both)
        assert pairs[a, b].agreement == pytest.approx(
            sum(x == y for x, y in both) / len(both), abs=1e-9)
        assert pairs[a, b].kappa == pytest.approx(cohens_kappa(table).kappa, abs=1e-9)
    full = [[r[j] for j in JUDGES] for r in rows if len(r) == 3]
    cats = sorted({v for r in full for v in r})
    counts, _ = aggregate_raters(np.array([[cats.index(v) for v in r] for r in full]))
    assert found.agreement.fleiss_n == len(full)
    assert found.agreement.fleiss_kappa == pytest.approx(sm_fleiss(counts), abs=1e-9)
    matrix = np.array([[value(r[j]) if j in r else NAN for r in rows] for j in JUDGES])
    assert found.agreement.alpha == pytest.approx(by_definition(matrix), abs=1e-9)
    assert found.agreement.alpha_n == int(((~np.isnan(matrix)).sum(axis=0) >= 2).sum())
    assert len(found.disputed) == sum(len(set(r.values())) > 1 for r in rows)
    # The JSON the command prints carries the same figures.
    result = CliRunner().invoke(
        main, ["judges", str(path), "--as-of", AS_OF.isoformat(), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert set(data) >= {"pairs", "fleiss_kappa", "alpha", "n_questions", "disputed",
                         "sensitivity"}
    assert data["n_questions"] == 30
    assert data["fleiss_kappa"] == pytest.approx(sm_fleiss(counts), abs=1e-9)
    assert {"a", "b", "n", "agreement", "kappa"} == set(data["pairs"][0])


def test_thirty_questions_sensitivity_matches_brier_by_hand(tmp_path):
    path = ledger_30(tmp_path, "mean")
    ledger, _ = load_file(str(path))
    found = judged.judges(ledger, AS_OF)
    questions = rules.index(ledger)
    expected: dict[tuple[str, str], list[float]] = {}
    for q, row in zip(ledger.questions, gradings_30(), strict=True):
        readings = {j: value(v) for j, v in row.items()}
        combined = rules.outcome(q, questions, AS_OF)
        if combined is not None and combined.result.value is not None:
            readings["combined"] = float(combined.result.value)
        for f in q.forecasts:
            for under, o in readings.items():
                if not math.isnan(o):
                    expected.setdefault((f.by, under), []).append((f.p - o) ** 2)
    got = {(s.forecaster, s.under): (s.n, s.brier) for s in found.sensitivity}
    assert got.keys() == expected.keys()
    for key, scores in expected.items():
        assert got[key][0] == len(scores)
        assert got[key][1] == pytest.approx(sum(scores) / len(scores), abs=1e-9)
