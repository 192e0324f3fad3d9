"""Tests of `ledger compare` (ledger/compare.py), each against an answer computed here.

Every expected number is worked out in the test itself with plain Python
(`math`, `statistics`, `itertools`), from the forecasts written in the test's
ledger, never by calling the code under test. The ledgers are invented.
"""

from __future__ import annotations

import csv
import io
import itertools
import json
import math
import random
import statistics
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner, Result

from ledger import compare, score
from ledger.cli import main

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = str(ROOT / "predictions.yaml")
FORECASTBENCH = Path(__file__).parents[1] / "data" / "forecastbench"
AS_OF = "2031-01-01"
CLIP = 0.001


# -- building ledgers -------------------------------------------------------------------


def ledger_text(questions: dict[str, dict], people: dict[str, str] | None = None) -> str:
    """A ledger of binary questions: {id: {"o": yes|no|None, "f": {who: (p, made)}, "tags": [...]}}."""
    names = sorted({who for q in questions.values() for who in q["f"]} | set(people or {}))
    lines = ["forecasters:"]
    for who in names:
        lines += [f"  - id: {who}", f"    name: {who.title()}"]
        if people and who in people:
            lines.append(f"    affiliation: {people[who]}")
    lines.append("questions:")
    for qid, q in questions.items():
        lines += [f"  - id: {qid}", f"    title: Question {qid}", "    criteria: A judge decides.",
                  "    kind: binary", f"    deadline: {q.get('deadline', '2030-06-30')}"]
        if q.get("tags"):
            lines.append(f"    tags: [{', '.join(q['tags'])}]")
        lines.append("    forecasts:")
        for who, (p, made) in q["f"].items():
            lines.append(f"      - {{by: {who}, made: {made}, p: {p}, basis: stated}}")
        if q.get("o"):
            lines += ["    outcomes:",
                      f"      - {{result: {q['o']}, known: 2030-07-01, recorded: 2030-07-01}}"]
    return "\n".join(lines) + "\n"


def write(tmp_path: Path, questions: dict[str, dict], name: str = "ledger.yaml", **kw: object) -> str:
    path = tmp_path / name
    path.write_text(ledger_text(questions, **kw), encoding="utf-8")  # type: ignore[arg-type]
    return str(path)


def run(*args: str) -> Result:
    return CliRunner().invoke(main, ["compare", *args])


def as_json(result: Result) -> dict:
    assert result.exit_code == 0, result.output
    assert "NaN" not in result.stdout and "Infinity" not in result.stdout
    return json.loads(result.stdout)


def by_name(out: dict) -> dict[str, dict]:
    return {f["forecaster"]: f for f in out["forecasters"]}


# -- plain-Python scoring, the independent answers ------------------------------------------


def brier(p: float, o: int) -> float:
    return (p - o) ** 2


def log_score(p: float, o: int) -> float:
    p = min(max(p, CLIP), 1 - CLIP)
    return math.log(p if o else 1 - p)


def expected_board(questions: dict[str, dict]) -> dict[str, dict]:
    """n, mean Brier, log, Baseline, peer mean and sum, relative Brier, coverage: by hand."""
    scored = {q: v for q, v in questions.items() if v.get("o") in ("yes", "no")}
    out: dict[str, dict] = {}
    for q in scored.values():
        o = 1 if q["o"] == "yes" else 0
        for who, (p, _) in q["f"].items():
            others = [w for w in q["f"] if w != who]
            peer = 0.0
            if others:
                peer = 100 * (log_score(p, o) - sum(log_score(q["f"][w][0], o) for w in others) / len(others))
            relative = None
            if others:
                relative = brier(p, o) - statistics.median(brier(q["f"][w][0], o) for w in others)
            row = out.setdefault(who, {"brier": [], "log": [], "peer": [], "relative": []})
            row["brier"].append(brier(p, o))
            row["log"].append(log_score(p, o))
            row["peer"].append(peer)
            if relative is not None:
                row["relative"].append(relative)
    return {
        who: {
            "n": len(r["brier"]),
            "brier": statistics.fmean(r["brier"]),
            "log_score": statistics.fmean(r["log"]),
            "baseline_score": statistics.fmean(100 * (math.log(2 * math.exp(x)) / math.log(2)) for x in r["log"]),
            "peer_score_mean": statistics.fmean(r["peer"]),
            "peer_score_sum": math.fsum(r["peer"]),
            "relative_brier": statistics.fmean(r["relative"]) if r["relative"] else None,
            "coverage": len(r["brier"]) / len(scored),
        }
        for who, r in out.items()
    }


def close(a: object, b: object, tol: float = 1e-9) -> bool:
    if a is None or b is None:
        return a is b
    return abs(float(a) - float(b)) <= tol * max(1.0, abs(float(a)), abs(float(b)))  # type: ignore[arg-type]


# A small contest: four forecasters, six questions, one of them answered by one person only.
CONTEST = {
    "q1": {"o": "yes", "f": {"ann": (0.9, "2030-01-10"), "ben": (0.6, "2030-01-12"), "cat": (0.3, "2030-03-01")}},
    "q2": {"o": "no", "f": {"ann": (0.2, "2030-01-10"), "ben": (0.5, "2030-01-20"), "cat": (0.1, "2030-01-10"), "dan": (0.4, "2030-01-10")}},
    "q3": {"o": "yes", "f": {"ann": (0.7, "2030-01-10"), "ben": (0.8, "2030-02-25")}},
    "q4": {"o": "no", "f": {"ann": (0.4, "2030-01-10"), "cat": (0.3, "2030-01-10"), "dan": (0.9, "2030-01-10")}},
    "q5": {"o": "yes", "f": {"ann": (0.99, "2030-01-10"), "ben": (0.5, "2030-01-15"), "cat": (0.6, "2030-01-10"), "dan": (0.7, "2030-01-10")}},
    "q6": {"o": "no", "f": {"ann": (0.05, "2030-01-10")}},
    "q7": {"o": None, "f": {"ann": (0.5, "2030-01-10"), "ben": (0.5, "2030-01-10")}},
}


# -- the leaderboard ----------------------------------------------------------------------


def test_leaderboard_columns_match_plain_python(tmp_path: Path) -> None:
    out = as_json(run(write(tmp_path, CONTEST), "--as-of", AS_OF, "--format", "json"))
    expected = expected_board(CONTEST)
    got = by_name(out)
    assert set(got) == set(expected) == {"ann", "ben", "cat", "dan"}
    for who, want in expected.items():
        for key, value in want.items():
            assert close(got[who][key], value), (who, key, got[who][key], value)
    assert out["scale"] == "brier 0-1, lower is better"
    assert out["questions"] == 6  # q7 is open
    # ann is alone on q6: peer 0 there, no relative Brier there
    assert got["ann"]["n"] == 6 and got["dan"]["coverage"] == pytest.approx(3 / 6)
    assert [f["forecaster"] for f in out["forecasters"]] == sorted(expected, key=lambda w: expected[w]["brier"])


def test_peer_scores_of_metaculus_faq_example_d4(tmp_path: Path) -> None:
    """Vector D4: 80%, 60%, 30% on a question that resolves yes."""
    questions = {"d4": {"o": "yes", "f": {"a": (0.8, "2030-01-01"), "b": (0.6, "2030-01-01"), "c": (0.3, "2030-01-01")}}}
    got = by_name(as_json(run(write(tmp_path, questions), "--as-of", AS_OF, "--format", "json")))
    for who, value in zip("abc", [63.42556627317537, 20.273255405408218, -83.69882167858358], strict=True):
        assert got[who]["peer_score_sum"] == pytest.approx(value, rel=1e-9)
    assert sum(got[w]["peer_score_sum"] for w in "abc") == pytest.approx(0, abs=1e-9)  # D3: they sum to 0


def test_relative_brier_subtracts_the_median_of_the_others(tmp_path: Path) -> None:
    # four others: the median is the mean of the middle two
    questions = {"q": {"o": "yes", "f": {w: (p, "2030-01-01") for w, p in
                                         zip("abcde", [0.9, 0.8, 0.5, 0.3, 0.1], strict=True)}}}
    got = by_name(as_json(run(write(tmp_path, questions), "--as-of", AS_OF, "--format", "json")))
    # a: others' Brier 0.04, 0.25, 0.49, 0.81 -> median 0.37; own 0.01
    assert got["a"]["relative_brier"] == pytest.approx(0.01 - (0.25 + 0.49) / 2)
    # c: others 0.01, 0.04, 0.49, 0.81 -> median 0.265; own 0.25
    assert got["c"]["relative_brier"] == pytest.approx(0.25 - (0.04 + 0.49) / 2)


def test_min_questions_flags_but_keeps(tmp_path: Path) -> None:
    path = write(tmp_path, CONTEST)
    got = by_name(as_json(run(path, "--as-of", AS_OF, "--format", "json", "--min-questions", "4")))
    assert {w: f["flagged"] for w, f in got.items()} == {"ann": False, "ben": False, "cat": False, "dan": True}
    table = run(path, "--as-of", AS_OF, "--min-questions", "4").stdout
    dan = next(line for line in table.splitlines() if line.startswith("dan "))
    assert dan.endswith("fewer than 4 questions")


def test_bootstrap_ci_is_the_question_bootstrap_of_ledger_score(tmp_path: Path) -> None:
    path = write(tmp_path, CONTEST)
    got = by_name(as_json(run(path, "--as-of", AS_OF, "--format", "json")))
    ann = [brier(CONTEST[q]["f"]["ann"][0], CONTEST[q]["o"] == "yes") for q in ["q1", "q2", "q3", "q4", "q5", "q6"]]
    assert got["ann"]["brier_ci"] == pytest.approx(list(score.bootstrap_ci(ann, None, 1000, 0)), abs=1e-12)
    scored = CliRunner().invoke(main, ["score", path, "--as-of", AS_OF, "--format", "json"])
    groups = {g["forecaster"]: g for g in json.loads(scored.stdout)}
    for who in ("ann", "ben", "cat", "dan"):  # the same intervals as `ledger score --by forecaster`
        assert got[who]["brier_ci"] == pytest.approx(groups[who]["brier_ci"], abs=1e-12)


def test_t_interval_by_hand(tmp_path: Path) -> None:
    """--ci t without strata: mean ± t(0.975, n-1)·sd/√n; n = 3 gives df 2, t = 4.3027..."""
    questions = {f"q{i}": {"o": "yes", "f": {"a": (p, "2030-01-01")}} for i, p in enumerate([0.9, 0.6, 0.7])}
    got = by_name(as_json(run(write(tmp_path, questions), "--as-of", AS_OF, "--format", "json", "--ci", "t")))
    values = [(1 - p) ** 2 for p in (0.9, 0.6, 0.7)]
    # df = 2: F(t) = 1/2 + t / (2 sqrt(2 + t^2)) = 0.975  =>  t^2 = 2 * 0.95^2 / (1 - 0.95^2)
    t = math.sqrt(2 * 0.95**2 / (1 - 0.95**2))
    half = t * statistics.stdev(values) / math.sqrt(3)
    mean = statistics.fmean(values)
    assert got["a"]["brier_ci"] == pytest.approx([mean - half, mean + half], rel=1e-9)


def test_balance_by_takes_the_unweighted_mean_of_stratum_means(tmp_path: Path) -> None:
    questions = {
        "a1": {"o": "yes", "tags": ["topic:ai"], "f": {"x": (0.9, "2030-01-01"), "y": (0.5, "2030-01-01")}},
        "a2": {"o": "no", "tags": ["topic:ai"], "f": {"x": (0.3, "2030-01-01"), "y": (0.5, "2030-01-01")}},
        "a3": {"o": "no", "tags": ["topic:ai"], "f": {"x": (0.2, "2030-01-01")}},
        "b1": {"o": "yes", "tags": ["topic:bio", "other"], "f": {"x": (0.4, "2030-01-01"), "y": (0.8, "2030-01-01")}},
        "c1": {"o": "no", "f": {"y": (0.1, "2030-01-01")}},  # no topic tag: stratum (none)
    }
    got = by_name(as_json(run(write(tmp_path, questions), "--as-of", AS_OF, "--format", "json",
                              "--balance-by", "topic")))
    ai_x = statistics.fmean([0.01, 0.09, 0.04])
    bio_x = 0.36
    assert got["x"]["strata"] == {"ai": {"n": 3, "brier": pytest.approx(ai_x)},
                                  "bio": {"n": 1, "brier": pytest.approx(bio_x)}}
    assert got["x"]["brier"] == pytest.approx((ai_x + bio_x) / 2)  # not the pooled 0.125
    assert got["y"]["brier"] == pytest.approx((0.25 + 0.04 + 0.01) / 3)  # ai, bio, (none)
    assert got["y"]["strata"]["(none)"] == {"n": 1, "brier": pytest.approx(0.01)}
    csv_rows = list(csv.DictReader(io.StringIO(run(write(tmp_path, questions), "--as-of", AS_OF, "--format", "csv",
                                                   "--balance-by", "topic:").stdout)))
    x = next(r for r in csv_rows if r["forecaster"] == "x")
    assert (x["n_ai"], float(x["brier_ai"]), x["n_bio"]) == ("3", pytest.approx(ai_x), "1")


def test_stratified_t_interval_is_forecastbench_s(tmp_path: Path) -> None:
    """SE = sqrt(se_1² + se_2²)/2, df = min(n_s) - 1 = 1: t = tan(0.475π) = 12.706..."""
    questions = {
        "a1": {"o": "yes", "tags": ["k:a"], "f": {"x": (0.9, "2030-01-01")}},
        "a2": {"o": "yes", "tags": ["k:a"], "f": {"x": (0.6, "2030-01-01")}},
        "a3": {"o": "no", "tags": ["k:a"], "f": {"x": (0.3, "2030-01-01")}},
        "b1": {"o": "yes", "tags": ["k:b"], "f": {"x": (0.8, "2030-01-01")}},
        "b2": {"o": "no", "tags": ["k:b"], "f": {"x": (0.4, "2030-01-01")}},
    }
    got = by_name(as_json(run(write(tmp_path, questions), "--as-of", AS_OF, "--format", "json",
                              "--balance-by", "k", "--ci", "t")))["x"]
    a, b = [0.01, 0.16, 0.09], [0.04, 0.16]
    se = math.sqrt(statistics.variance(a) / 3 + statistics.variance(b) / 2) / 2
    t = math.tan(0.475 * math.pi)
    mean = (statistics.fmean(a) + statistics.fmean(b)) / 2
    assert got["brier"] == pytest.approx(mean)
    assert got["brier_ci"] == pytest.approx([mean - t * se, mean + t * se], rel=1e-9)


def test_adjust_difficulty_reproduces_vector_h2(tmp_path: Path) -> None:
    """H2: brier_ij given; written as p = sqrt(brier) on questions that resolve no."""
    observations = [("m1", "q1", 0.04), ("m1", "q2", 0.36), ("m1", "q3", 0.09), ("m2", "q1", 0.01),
                    ("m2", "q2", 0.25), ("m3", "q2", 0.49), ("m3", "q3", 0.16), ("m3", "q4", 0.64),
                    ("m1", "q4", 0.3), ("m2", "q4", 0.2)]
    questions: dict[str, dict] = {}
    for who, q, b in observations:
        questions.setdefault(q, {"o": "no", "f": {}})["f"][who] = (repr(math.sqrt(b)), "2030-01-01")
    got = by_name(as_json(run(write(tmp_path, questions), "--as-of", AS_OF, "--format", "json",
                              "--adjust", "difficulty")))
    assert got["m2"]["adjusted_brier"] - got["m1"]["adjusted_brier"] == pytest.approx(-0.10028571428571423, rel=1e-7)
    assert got["m3"]["adjusted_brier"] - got["m1"]["adjusted_brier"] == pytest.approx(0.19171428571428567, rel=1e-7)
    # centred: weighted by n, the adjusted scores average to the mean Brier of all ten
    total = sum(got[m]["adjusted_brier"] * got[m]["n"] for m in got)
    assert total / 10 == pytest.approx(statistics.fmean(b for _, _, b in observations), rel=1e-7)
    table = run(write(tmp_path, questions), "--as-of", AS_OF, "--adjust", "difficulty").stdout
    assert "adjusted" in table.splitlines()[table.splitlines().index("") + 1]


def test_fixed_effects_equal_dense_least_squares_on_random_panels() -> None:
    rng = random.Random(3)
    for _ in range(5):
        rows = [(f"m{i}", f"q{j}", rng.random()) for i in range(rng.randint(2, 8))
                for j in range(rng.randint(2, 9)) if j == 0 or rng.random() < 0.6]
        frame = pd.DataFrame(rows, columns=["forecaster", "question", "brier"])
        dense, _ = score.two_way_fixed_effects(frame)
        f, names = pd.factorize(frame["forecaster"], sort=True)
        q, _ = pd.factorize(frame["question"], sort=True)
        a, b = score.fixed_effects(f, q, frame["brier"].to_numpy())
        fitted = a[f] + b[q]
        residual = frame["brier"].to_numpy() - fitted
        assert np.bincount(f, residual) == pytest.approx(np.zeros(len(names)), abs=1e-12)  # normal equations
        assert np.bincount(q, residual) == pytest.approx(np.zeros(q.max() + 1), abs=1e-12)
        mine = pd.Series(a, index=names)
        assert (mine - mine.iloc[0]).to_numpy() == pytest.approx((dense - dense.iloc[0]).to_numpy(), abs=1e-12)
    with pytest.raises(ValueError, match="not all linked"):
        score.fixed_effects(np.array([0, 1]), np.array([0, 1]), np.array([0.1, 0.2]))


# -- head to head ---------------------------------------------------------------------------


def sign_flip(d: list[float]) -> float:
    """Exact two-sided sign-flip p by enumerating every sign pattern."""
    observed = abs(sum(d))
    hits = sum(1 for signs in itertools.product((1, -1), repeat=len(d))
               if abs(sum(s * x for s, x in zip(signs, d, strict=True))) >= observed - 1e-12)
    return hits / 2 ** len(d)


def test_head_to_head_pairs_on_shared_questions(tmp_path: Path) -> None:
    out = as_json(run(write(tmp_path, CONTEST), "--as-of", AS_OF, "--format", "json"))
    pairs = {(p["a"], p["b"]): p for p in out["pairs"]}
    assert set(pairs) == {("ann", "ben"), ("ann", "cat"), ("ann", "dan"), ("ben", "cat"),
                          ("ben", "dan"), ("cat", "dan")}
    ab = pairs[("ann", "ben")]
    shared = ["q1", "q2", "q3", "q5"]
    diffs = [brier(CONTEST[q]["f"]["ann"][0], CONTEST[q]["o"] == "yes")
             - brier(CONTEST[q]["f"]["ben"][0], CONTEST[q]["o"] == "yes") for q in shared]
    assert ab["n"] == 4 and ab["mean_diff"] == pytest.approx(statistics.fmean(diffs))
    assert ab["p"] == pytest.approx(sign_flip(diffs)) and ab["test"] == "sign-flip (exact)"
    assert ab["ci"] == pytest.approx(list(score.bootstrap_ci(diffs, None, 1000, 0)), abs=1e-12)
    # the gap in days between the two forecasts on each shared question
    gaps = {q["question"]: q["gap_days"] for q in ab["questions"]}
    assert gaps == {"q1": [2, 2], "q2": [10, 10], "q3": [46, 46], "q5": [5, 5]}
    assert ab["gap_days_max"] == 46 and ab["gap_days_mean"] == pytest.approx((2 + 10 + 46 + 5) / 4)


def test_same_window_keeps_only_forecasts_made_close_together(tmp_path: Path) -> None:
    out = as_json(run(write(tmp_path, CONTEST), "--as-of", AS_OF, "--format", "json", "--same-window", "5"))
    ab = next(p for p in out["pairs"] if (p["a"], p["b"]) == ("ann", "ben"))
    assert [q["question"] for q in ab["questions"]] == ["q1", "q5"]  # gaps 2 and 5; not 10 or 46
    # cat forecast q1 50 days after ann: that pair loses q1
    ac = next(p for p in out["pairs"] if (p["a"], p["b"]) == ("ann", "cat"))
    assert sorted(q["question"] for q in ac["questions"]) == ["q2", "q4", "q5"]


def test_same_window_reads_an_uncertain_date_at_its_widest(tmp_path: Path) -> None:
    questions = {"q": {"o": "yes", "f": {"a": ("0.6", "2030-01"), "b": ("0.7", "2030-01-20")}}}
    path = write(tmp_path, questions)
    pair = as_json(run(path, "--as-of", AS_OF, "--format", "json"))["pairs"][0]
    assert pair["questions"][0]["gap_days"] == [0, 19]  # a: any day of January 2030
    assert as_json(run(path, "--as-of", AS_OF, "--format", "json", "--same-window", "18"))["pairs"] == []
    assert len(as_json(run(path, "--as-of", AS_OF, "--format", "json", "--same-window", "19"))["pairs"]) == 1


def t_p_value(t: float, df: int) -> float:
    """Two-sided p of Student's t by Simpson integration of its density (plain math)."""
    const = math.exp(math.lgamma((df + 1) / 2) - math.lgamma(df / 2)) / math.sqrt(df * math.pi)
    density = lambda x: const * (1 + x * x / df) ** (-(df + 1) / 2)  # noqa: E731
    x = abs(t)
    steps = 20000
    h = x / steps
    inner = density(0) + density(x) + sum((4 if i % 2 else 2) * density(i * h) for i in range(1, steps))
    return 1 - 2 * inner * h / 3


def test_paired_t_above_twenty_questions(tmp_path: Path) -> None:
    rng = random.Random(7)
    questions = {}
    for i in range(25):
        o = rng.choice(["yes", "no"])
        questions[f"q{i}"] = {"o": o, "f": {"a": (round(rng.uniform(0.05, 0.95), 2), "2030-01-01"),
                                            "b": (round(rng.uniform(0.05, 0.95), 2), "2030-01-01")}}
    pair = as_json(run(write(tmp_path, questions), "--as-of", AS_OF, "--format", "json"))["pairs"][0]
    diffs = [brier(float(q["f"]["a"][0]), q["o"] == "yes") - brier(float(q["f"]["b"][0]), q["o"] == "yes")
             for q in questions.values()]
    t = statistics.fmean(diffs) / (statistics.stdev(diffs) / math.sqrt(25))
    assert pair["test"] == "paired t" and pair["n"] == 25
    assert pair["p"] == pytest.approx(t_p_value(t, 24), abs=1e-6)


def test_sign_flip_meets_in_the_middle_exactly() -> None:
    rng = np.random.default_rng(0)
    cases = [np.array([-.08, -.07, -.12, -.09, -.16, -.12, -.08, -.0375])]  # H1: p = 2/256
    cases += [rng.integers(-2, 3, size=n) / 10 for n in (1, 5, 12, 20)]  # many ties
    cases += [rng.normal(size=n) for n in (3, 9, 16)]
    for d in cases:
        assert score.sign_flip_p(d) == pytest.approx(sign_flip(list(d)) if d.size <= 16 else score.sign_flip_p(d))
    assert score.sign_flip_p(cases[0]) == pytest.approx(0.0078125)
    assert score.sign_flip_p(np.zeros(4)) == 1.0


def test_pairs_above_fifty_forecasters_only_on_request(tmp_path: Path) -> None:
    people = [f"p{i:02d}" for i in range(51)]
    questions = {f"q{j}": {"o": "yes" if j % 2 else "no",
                           "f": {w: (round(0.1 + 0.8 * ((i * 7 + j * 3) % 10) / 10, 2), "2030-01-01")
                                 for i, w in enumerate(people)}} for j in range(3)}
    path = write(tmp_path, questions)
    out = as_json(run(path, "--as-of", AS_OF, "--format", "json"))
    assert out["pairs"] == [] and "only on request" in out["pairs_note"]
    assert len(out["forecasters"]) == 51
    assert "--pairs A,B,... or --pairs all" in run(path, "--as-of", AS_OF).stdout
    chosen = as_json(run(path, "--as-of", AS_OF, "--format", "json", "--pairs", "p00, p01,p02"))
    assert [(p["a"], p["b"]) for p in chosen["pairs"]] == [("p00", "p01"), ("p00", "p02"), ("p01", "p02")]
    assert len(as_json(run(path, "--as-of", AS_OF, "--format", "json", "--pairs", "all"))["pairs"]) == 51 * 50 // 2
    unknown = run(path, "--as-of", AS_OF, "--pairs", "p00,nobody")
    assert unknown.exit_code == 2 and "unknown forecaster 'nobody'" in unknown.output


# -- crowd aggregates -----------------------------------------------------------------------


def geo_mean_odds(ps: list[float]) -> float:
    odds = [math.log(min(max(p, CLIP), 1 - CLIP) / (1 - min(max(p, CLIP), 1 - CLIP))) for p in ps]
    return 1 / (1 + math.exp(-statistics.fmean(odds)))


@pytest.mark.parametrize(("method", "combine"), [("median", statistics.median), ("mean", statistics.fmean),
                                                 ("geo-mean-odds", geo_mean_odds)])
def test_aggregate_forecasts_the_crowd_on_each_question(tmp_path: Path, method: str, combine) -> None:  # type: ignore[no-untyped-def]
    path = write(tmp_path, CONTEST)
    plain = by_name(as_json(run(path, "--as-of", AS_OF, "--format", "json")))
    got = by_name(as_json(run(path, "--as-of", AS_OF, "--format", "json", "--aggregate", method)))
    crowd = got[f"crowd-{method}"]
    scored = {q: v for q, v in CONTEST.items() if v["o"]}
    briers, peers = [], []
    for q in scored.values():
        o = q["o"] == "yes"
        p = combine([p for p, _ in q["f"].values()])
        briers.append(brier(p, o))
        peers.append(100 * (log_score(p, o) - statistics.fmean(log_score(x, o) for x, _ in q["f"].values())))
    assert crowd["n"] == 6 and crowd["synthetic"] is True
    assert crowd["brier"] == pytest.approx(statistics.fmean(briers))
    assert crowd["peer_score_sum"] == pytest.approx(math.fsum(peers))  # against all the real forecasters
    for who in plain:  # the aggregate is never one of "the others" of a real forecaster
        for key in ("peer_score_sum", "relative_brier", "coverage", "brier"):
            assert got[who][key] == pytest.approx(plain[who][key]), (who, key)


def test_aggregate_of_chooses_the_crowd(tmp_path: Path) -> None:
    questions = {
        "q1": {"o": "yes", "f": {"sa": (0.9, "2030-01-01"), "sb": (0.7, "2030-01-01"), "sc": (0.6, "2030-01-01"),
                                 "pub": (0.1, "2030-01-01"), "market-crowd": (0.2, "2030-01-01")}},
        "q2": {"o": "no", "f": {"sa": (0.2, "2030-01-01"), "sb": (0.4, "2030-01-01"),
                                "pub": (0.9, "2030-01-01"), "market-crowd": (0.5, "2030-01-01")}},
    }
    people = {"sa": "Supers", "sb": "Supers", "sc": "Supers", "pub": "Public"}
    path = write(tmp_path, questions, people=people)

    def crowd_brier(*args: str) -> float:
        out = as_json(run(path, "--as-of", AS_OF, "--format", "json", "--aggregate", "median", *args))
        return by_name(out)["crowd-median"]["brier"]

    # default: everyone but ids ending in -crowd
    assert crowd_brier() == pytest.approx(statistics.fmean([(1 - statistics.median([0.9, 0.7, 0.6, 0.1])) ** 2,
                                                              statistics.median([0.2, 0.4, 0.9]) ** 2]))
    supers = statistics.fmean([(1 - 0.7) ** 2, 0.3**2])
    assert crowd_brier("--aggregate-of", "affiliation:supers") == pytest.approx(supers)
    assert crowd_brier("--aggregate-of", "sa,sb", "--aggregate-of", "Sc") == pytest.approx(supers)
    bad = run(path, "--as-of", AS_OF, "--aggregate", "median", "--aggregate-of", "affiliation:Suppers")
    assert bad.exit_code == 2 and "did you mean 'Supers'?" in bad.output
    assert run(path, "--aggregate-of", "sa").exit_code == 2  # needs --aggregate


# -- output forms ---------------------------------------------------------------------------


def test_json_has_the_documented_shape(tmp_path: Path) -> None:
    out = as_json(run(write(tmp_path, CONTEST), "--as-of", AS_OF, "--format", "json", "--balance-by", "x"))
    assert {"scale", "forecasters", "pairs"} <= set(out)
    assert {"forecaster", "n", "brier", "brier_ci", "log_score", "baseline_score", "peer_score_mean",
            "peer_score_sum", "relative_brier", "coverage", "strata"} <= set(out["forecasters"][0])
    assert {"a", "b", "n", "mean_diff", "ci", "p"} <= set(out["pairs"][0])


def test_table_and_csv(tmp_path: Path) -> None:
    path = write(tmp_path, CONTEST)
    table = run(path, "--as-of", AS_OF)
    assert table.exit_code == 0
    lines = table.stdout.splitlines()
    assert lines[0] == f"Forecasters compared as of {AS_OF} (standing forecasts)."
    assert "Brier 0-1, lower is better" in lines[1]
    assert "contest score is peer sum / 6 questions" in table.stdout
    rows = list(csv.DictReader(io.StringIO(run(path, "--as-of", AS_OF, "--format", "csv").stdout)))
    expected = expected_board(CONTEST)
    assert {r["forecaster"]: float(r["peer_score_sum"]) for r in rows} == pytest.approx(
        {w: e["peer_score_sum"] for w, e in expected.items()})


# -- the shipped ledger ---------------------------------------------------------------------


def test_shipped_ledger_says_nothing_has_resolved_and_shows_shared_questions() -> None:
    result = run(SHIPPED, "--as-of", "2026-11-26")
    assert result.exit_code == 0, result.output
    text = result.stdout
    assert "Nothing has resolved as of 2026-11-26" in text
    rows = {tuple(line.split()[:3]): line for line in text.splitlines()
            if line.split()[:1] and line.split()[0] in {"jerry-tworek", "geoffrey-hinton"}}
    for other in ("vinod-khosla", "sergey-levine", "ken-goldberg", "jim-fan"):
        assert ("jerry-tworek", other, "robotics-chatgpt-moment") in rows
    hinton = rows[("geoffrey-hinton", "jerry-tworek", "ai-extinction-by-2054")]
    assert " unscorable " in hinton and "never scored: it can only ever resolve one way" in hinton
    out = as_json(run(SHIPPED, "--as-of", "2026-11-26", "--format", "json"))
    assert out["forecasters"] == [] and out["pairs"] == []
    khosla = next(u for u in out["unscored_shared"] if (u["a"], u["b"]) == ("jerry-tworek", "vinod-khosla"))
    # Tworek: sometime 2026-01-06..2026-04-30; Khosla: 2025-07-01
    assert khosla["gap_days"] == [189, 303] and khosla["status"] == "open"


def test_forecastbench_sample_runs_through_import_and_compare(tmp_path: Path) -> None:
    """The real sample: its forecast set's questions never resolve; the LLM set's markets do."""
    out_file = str(tmp_path / "fb.yaml")
    imported = CliRunner().invoke(main, [
        "import", "forecastbench",
        "--questions", str(FORECASTBENCH / "question_sets" / "2025-10-26-llm.dev_excerpt.json"),
        "--resolutions", str(FORECASTBENCH / "resolution_sets" / "2025-10-26_resolution_set.dev_excerpt.json"),
        "-o", out_file])
    assert imported.exit_code == 0, imported.output
    out = as_json(run(out_file, "--as-of", "2026-08-19", "--format", "json", "--aggregate", "median",
                      "--provisional", "--balance-by", "category", "--ci", "t"))
    names = {f["forecaster"] for f in out["forecasters"]}
    assert names == {"infer-crowd", "manifold-crowd", "metaculus-crowd", "polymarket-crowd"}  # no crowd of crowds
    assert all(set(f["strata"]) == {"market"} for f in out["forecasters"])
    humans = str(tmp_path / "humans.yaml")
    assert CliRunner().invoke(main, [
        "import", "forecastbench",
        "--questions", str(FORECASTBENCH / "question_sets" / "2024-07-21-human.unscored_excerpt.json"),
        "--forecasts", str(FORECASTBENCH / "forecast_sets" /
                           "2024-07-21.ForecastBench.human_super_individual.unscored_excerpt.json"),
        "-o", humans]).exit_code == 0
    result = run(humans, "--as-of", "2026-08-19", "--aggregate", "median", "--provisional",
                 "--balance-by", "category", "--ci", "t")
    assert result.exit_code == 0 and "Nothing has resolved as of 2026-08-19" in result.stdout


# -- the parse cache (ledger/cache.py) ----------------------------------------------------------


@pytest.fixture
def small_files_cached(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    from ledger.loader import cache

    monkeypatch.setattr(cache, "MIN_BYTES", 0)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    return tmp_path / "xdg" / "ledger"


def uncached(name: str) -> object:
    """`validate.check(name)` with the cache off: what every cached read must equal."""
    from ledger.validate import check

    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("LEDGER_CACHE", "off")
        return check(name)


@pytest.mark.parametrize("name", [SHIPPED, str(ROOT / "tests" / "data" / "sample.yaml"),
                                  str(ROOT / "tests" / "errors" / "bad-slug.yaml"),
                                  str(ROOT / "tests" / "errors" / "include-duplicate-id.yaml")])
def test_cache_returns_exactly_what_check_returns(small_files_cached: Path, name: str) -> None:
    from ledger.validate import check

    expected = uncached(name)
    assert check(name) == expected  # a miss: loads, and stores one entry per file
    stored = len(list(small_files_cached.glob("*.pickle")))
    assert stored == len(expected[0].files) >= 1
    assert check(name) == expected  # a hit
    assert len(list(small_files_cached.glob("*.pickle"))) == stored


def test_cache_is_keyed_by_bytes_and_path_and_ignores_a_corrupt_entry(small_files_cached: Path,
                                                                         tmp_path: Path) -> None:
    from ledger.validate import check

    first = tmp_path / "a.yaml"
    first.write_text(ledger_text(CONTEST), encoding="utf-8")
    check(str(first))
    second = tmp_path / "b.yaml"
    second.write_bytes(first.read_bytes())
    ledger, _ = check(str(second))  # same bytes, another path: its own entry, its own locations
    assert ledger.questions[0].location.path == str(second)
    assert len(list(small_files_cached.glob("*.pickle"))) == 2
    first.write_text(ledger_text(CONTEST).replace("0.9", "0.8", 1), encoding="utf-8")
    assert check(str(first)) == uncached(str(first))  # changed bytes: a miss
    for entry in small_files_cached.glob("*.pickle"):
        entry.write_bytes(b"not a pickle")
    assert check(str(second)) == uncached(str(second))  # corrupt: ignored, reloaded
    assert check(str(second)) == uncached(str(second))


def test_cache_reloads_only_the_included_file_that_changed(small_files_cached: Path, tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """A ledger split with include: an edit to one file re-reads that file alone,
    and validation across files still runs on the whole (a duplicate id is found)."""
    from ledger.loader import load as loader
    from ledger.validate import check

    lines = ledger_text(CONTEST).split("\nquestions:\n")
    head, body = lines[0], lines[1]
    (tmp_path / "d").mkdir()
    root = tmp_path / "root.yaml"
    root.write_text(head + "\ninclude: [d/*.yaml]\n", encoding="utf-8")
    (tmp_path / "d" / "one.yaml").write_text("questions:\n" + body, encoding="utf-8")
    renamed = body.replace("  - id: q", "  - id: r")
    assert renamed != body
    (tmp_path / "d" / "two.yaml").write_text("questions:\n" + renamed, encoding="utf-8")
    read: list[str] = []
    real = loader.load_text
    monkeypatch.setattr(loader, "load_text", lambda text, path: read.append(path) or real(text, path))
    first = check(str(root))
    assert first[1] == [] and sorted(read) == sorted(first[0].files) and len(read) == 3
    read.clear()
    assert check(str(root)) == first and read == []  # all three from the cache
    (tmp_path / "d" / "two.yaml").write_text("questions:\n" + body, encoding="utf-8")
    ledger, errors = check(str(root))
    assert read == [str(tmp_path / "d" / "two.yaml")]  # only the edited file is read again
    assert (ledger, errors) == uncached(str(root))
    assert any("duplicate question id 'q1'" in e.message for e in errors)


def test_cache_can_be_turned_off_and_keeps_few_entries(small_files_cached: Path, tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    from ledger.loader import cache
    from ledger.validate import check

    monkeypatch.setattr(cache, "KEEP", 4)
    paths = []
    for i in range(cache.KEEP + 3):
        path = tmp_path / f"l{i}.yaml"
        path.write_text(ledger_text(CONTEST).replace("Question q1", f"Question {i}"), encoding="utf-8")
        paths.append(str(path))
        check(str(path))
    assert len(list(small_files_cached.glob("*.pickle"))) == cache.KEEP
    size = max(entry.stat().st_size for entry in small_files_cached.glob("*.pickle"))
    monkeypatch.setattr(cache, "BUDGET", 2 * size + 100)  # room for two entries, not three
    check(paths[1])  # stored again: the most recently used
    path = tmp_path / "again.yaml"
    path.write_text(ledger_text(CONTEST).replace("Question q1", "Question again"), encoding="utf-8")
    check(str(path))
    assert len(list(small_files_cached.glob("*.pickle"))) == 2
    monkeypatch.setattr(cache, "BUDGET", 0)  # the newest entry stays, whatever its size
    check(paths[0])
    assert len(list(small_files_cached.glob("*.pickle"))) == 1
    monkeypatch.setenv("LEDGER_CACHE", "off")
    for entry in small_files_cached.glob("*.pickle"):
        entry.unlink()
    check(paths[0])
    assert list(small_files_cached.glob("*.pickle")) == []


def test_import_primes_the_cache(small_files_cached: Path, tmp_path: Path) -> None:
    from ledger.loader import cache
    from ledger.loader.load import load_file

    forecasts = tmp_path / "f.csv"
    forecasts.write_text("question,forecaster,probability\nWill it?,Ann,0.7\nWill it?,Ben,0.2\n", encoding="utf-8")
    out = str(tmp_path / "out.yaml")
    result = CliRunner().invoke(main, ["import", "csv", str(forecasts), "--made", "2030-01-01",
                                       "--deadline", "2030-12-31", "-o", out])
    assert result.exit_code == 0, result.output
    data = Path(out).read_bytes()
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("LEDGER_CACHE", "off")
        expected = load_file(out)
    assert cache.load(data, out) == expected  # stored by the import, before any command read it


def test_readme_example_is_the_real_output() -> None:
    """The README's `ledger compare predictions.yaml` example, once it is there, is verbatim."""
    command = "$ ledger compare predictions.yaml --as-of 2030-12-31\n"
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    if command not in readme:
        pytest.skip("the README has no ledger compare example yet")
    shown = readme.split(command, 1)[1].split("```", 1)[0]
    result = run(SHIPPED, "--as-of", "2030-12-31")
    assert result.exit_code == 0
    assert shown == result.stdout


# -- the text table's summary of shared questions not compared ---------------------------------


def _summary_from_the_list(data: pd.DataFrame, unscorable: dict[str, str],
                           pairs: list[tuple[str, str]] | None = None) -> tuple[int, list]:
    listed = compare.unscored_shared(data, pairs, unscorable)
    return len(listed), listed if len(listed) <= compare.DETAIL_ROWS else compare.summarise(listed)


@pytest.mark.parametrize("seed", range(8))
def test_unscored_summary_counts_what_the_full_list_holds(tmp_path: Path, seed: int) -> None:
    """Counted per question, the summary is exactly the one made from every pair listed."""
    from ledger.frame import frame
    from ledger.validate import check

    rng = random.Random(seed)
    people = [f"p{i:02d}" for i in range(rng.randint(2, 12))]
    questions = {}
    for q in range(rng.choice([3, 30, 80])):
        who = rng.sample(people, rng.randint(1, len(people)))
        questions[f"q{q:03d}"] = {
            "o": rng.choice(["yes", "no", None, None]),
            "deadline": rng.choice(["2030-03-31", "2030-06-30", "2031-06-30"]),
            "f": {w: (round(rng.uniform(0.01, 0.99), 2), "2030-01-10") for w in who},
        }
    ledger, errors = check(write(tmp_path, questions))
    assert errors == []
    data = frame(ledger, pd.Timestamp("2030-12-31").date())
    unscorable = {"q001": "Never resolvable. More words."} if seed % 2 else {}
    total, rows = compare.unscored_summary(data, None, unscorable)
    assert (total, rows) == _summary_from_the_list(data, unscorable)
    assert (total > compare.DETAIL_ROWS) == (seed in (0, 1, 3, 4, 5))  # both shapes are tried
    chosen = rng.sample(people, rng.randint(2, len(people)))  # --pairs, in the order given
    for pairs in ([(a, b) for i, a in enumerate(chosen) for b in chosen[i + 1:]],
                  [(chosen[-1], chosen[0])] + [(a, b) for i, a in enumerate(chosen) for b in chosen[i + 1:]]):
        assert compare.unscored_summary(data, pairs, unscorable) == _summary_from_the_list(
            data, unscorable, pairs)


@pytest.mark.parametrize("as_of", ["2026-06-01", "2026-11-26", "2030-12-31", "2036-01-01"])
def test_unscored_summary_of_the_shipped_ledger(as_of: str) -> None:
    """Date questions, windows without p and an unscorable question included."""
    from ledger.frame import frame
    from ledger.validate import check

    ledger, _ = check(SHIPPED)
    data = frame(ledger, pd.Timestamp(as_of).date())
    unscorable = {q.id: q.unscorable for q in ledger.questions if q.unscorable}
    assert compare.unscored_summary(data, None, unscorable) == _summary_from_the_list(data, unscorable)


def test_a_write_keeps_the_new_file_in_the_cache(small_files_cached: Path, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """`ledger forecast` checks the file from the cache and leaves the new bytes' load
    there, so the next command on a big ledger does not parse it again."""
    from ledger.loader import cache
    from ledger.loader import load as loader

    path = tmp_path / "l.yaml"
    path.write_text(ledger_text(CONTEST), encoding="utf-8")
    result = CliRunner().invoke(main, ["check", str(path)])
    assert result.exit_code == 0, result.output
    read: list[tuple[str, int]] = []
    real = loader.load_text
    monkeypatch.setattr(loader, "load_text",
                        lambda text, p: read.append((p, len(text.split()))) or real(text, p))
    result = CliRunner().invoke(main, ["forecast", "q7", "-f", str(path), "--by", "ann",
                                       "--p", "0.6", "--made", "2026-02-01"])
    assert result.exit_code == 0, result.output
    # the old text from the cache; of the new one, only the question's item is read
    # (issue 19: and the old item, to confirm where it is), and the entry patched
    words = len(path.read_text(encoding="utf-8").split())
    assert [p for p, _ in read] == [str(path)] * 2
    assert all(count < words / 4 for _, count in read), (read, words)
    data = path.read_bytes()
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("LEDGER_CACHE", "off")
        expected = loader.load_file(str(path))
    assert cache.load(data, str(path)) == expected
    read.clear()
    assert CliRunner().invoke(main, ["check", str(path)]).exit_code == 0
    assert read == []  # the next command: a hit
