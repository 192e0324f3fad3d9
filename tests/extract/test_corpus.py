"""The quality targets on the labelled corpus (a correctness test, not a timing test).

benchmarks/bench_extract.py prints the same figures; the README states them.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
spec = importlib.util.spec_from_file_location("bench_extract", ROOT / "benchmarks" / "bench_extract.py")
assert spec is not None and spec.loader is not None
bench = importlib.util.module_from_spec(spec)
spec.loader.exec_module(bench)


def test_the_corpus_is_big_enough_and_balanced() -> None:
    corpus = bench.load()
    labels = [item["forecast"] for item in corpus["sentences"]]
    assert len(labels) >= 60
    assert labels.count("true") >= 30 and labels.count("false") >= 30
    assert sum("window" in item for item in corpus["sentences"]) >= 30


def test_recall_precision_and_windows_meet_the_targets() -> None:
    result = bench.evaluate()
    assert result["recall"] >= 0.9, result["misses"]
    assert result["precision"] >= 0.8, result["false_alarms"]
    assert result["window_accuracy"] >= 0.9, result["wrong_windows"]


def test_the_held_out_figures_are_the_ones_the_readme_states() -> None:
    result = bench.evaluate(part="held-out")
    assert (result["sentences"], result["forecasts"], result["windows"]) == (42, 25, 14)
    assert (round(result["recall"], 2), round(result["precision"], 3)) == (0.84, 0.875)
    assert result["window_accuracy"] == 1.0
