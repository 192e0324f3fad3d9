"""Benchmark `ledger check` (issue: the ledger itself, §6). Run by hand; not a test.

    python benchmarks/bench_check.py [--questions 10000] [--forecasts 50000] [--runs 7]

1. Generates a ledger of N questions with M forecasts (benchmarks/out/big.yaml).
2. Times, as whole commands (median of --runs):
   - `ledger check big.yaml` against a bare parse of the same file with PyYAML's
     fastest loader (`yaml.load(..., Loader=yaml.CSafeLoader)`);
   - `ledger check predictions.yaml` against `python -c "import click, yaml"`.
Targets: at most 2x the bare parse, and at most 2x the bare import. The parse
cache is off (LEDGER_CACHE=off): with it, a second check of the same file reads
the cache instead of parsing.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


def generate(path: Path, questions: int, forecasts: int, seed: int = 0) -> None:
    """A valid ledger: 50 forecasters, `questions` binary/date questions, forecasts spread over them."""
    rng = random.Random(seed)
    lines = ["forecasters:"]
    for i in range(50):
        lines += [f"  - id: f{i}", f"    name: Forecaster {i}"]
    lines += [
        "sources:",
        "  - id: gen",
        "    title: Generated",
        "    kind: dataset",
        "questions:",
    ]
    per = [
        forecasts // questions + (1 if i < forecasts % questions else 0)
        for i in range(questions)
    ]
    for i in range(questions):
        date = i % 5 == 0
        lines += [
            f"  - id: q{i}",
            f"    title: Generated question {i}",
            "    criteria: >-",
            f"      Resolves yes if generated event {i} happens by the deadline.",
            f"    kind: {'date' if date else 'binary'}",
            f"    deadline: {2027 + i % 10}-12-31",
            "    tags: [generated, topic:" + "abcde"[i % 5] + "]",
            "    forecasts:",
        ]
        for _ in range(per[i]):
            month = rng.randint(1, 12)
            who = rng.randrange(50)
            if date:
                claim = f"window: +{rng.randint(1, 3)}y..+{rng.randint(4, 6)}y, p: {rng.randint(5, 95)}%"
            else:
                claim = f"p: {rng.randint(1, 99) / 100}"
            lines.append(
                f"      - {{by: f{who}, made: 2026-{month:02d}-{rng.randint(1, 28):02d}, "
                f"source: gen, {claim}, basis: stated}}"
            )
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def median_time(command: list[str], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        # The parse cache off: this measures parsing, against a bare parse.
        subprocess.run(
            command,
            check=True,
            stdout=subprocess.DEVNULL,
            env={**os.environ, "LEDGER_CACHE": "off"},
        )
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--questions", type=int, default=10_000)
    parser.add_argument("--forecasts", type=int, default=50_000)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    out = HERE / "out"
    out.mkdir(exist_ok=True)
    big = out / f"big-{args.questions}.yaml"
    generate(big, args.questions, args.forecasts)
    py = sys.executable
    ledger = [py, "-m", "ledger"]
    bare = [
        py,
        "-c",
        f"import yaml; yaml.load(open({str(big)!r}, 'rb'), Loader=yaml.CSafeLoader)",
    ]
    rows = [
        (
            "check, generated ledger",
            median_time([*ledger, "check", str(big)], args.runs),
            "bare CSafeLoader parse",
            median_time(bare, args.runs),
        ),
        (
            "check, predictions.yaml",
            median_time([*ledger, "check", str(ROOT / "predictions.yaml")], args.runs),
            "python -c 'import click, yaml'",
            median_time([py, "-c", "import click, yaml"], args.runs),
        ),
    ]
    size = big.stat().st_size / 1e6
    print(
        f"generated: {args.questions} questions, {args.forecasts} forecasts, {size:.1f} MB"
    )
    print("| command | median | baseline | median | ratio |")
    print("|---|---:|---|---:|---:|")
    for name, seconds, base, base_seconds in rows:
        print(
            f"| {name} | {seconds:.3f} s | {base} | {base_seconds:.3f} s | {seconds / base_seconds:.2f}x |"
        )


if __name__ == "__main__":
    main()
