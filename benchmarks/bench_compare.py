"""Benchmark `ledger import csv` and `ledger compare` on a contest (issue: compare, §4).

Run by hand; not a test:

    python benchmarks/bench_compare.py [--forecasters 3300] [--questions 50] [--runs 3]

1. Generates a contest, every forecaster answering every question (3,300 x 50
   = 165,000 forecasts by default), as a long CSV (`question, forecaster,
   probability`) and an outcomes CSV (`question, outcome`), in benchmarks/out/.
2. Times, as whole commands (median of --runs, each a fresh process):
   - `ledger import csv FORECASTS.csv --outcomes OUTCOMES.csv --made ... -o contest.yaml --force`;
   - `ledger compare contest.yaml --format csv` (the leaderboard: above 50
     forecasters no pairs are computed unless asked for);
   - a plain pandas script that reads the two CSV files and computes the same
     Metaculus peer scores (mean and sum per forecaster) and mean Brier;
   and checks that the peer scores of `ledger compare` equal the script's.
3. Prints a Markdown table. Targets: compare <= 10x the plain script; import +
   compare <= 30 s.

The first `ledger compare` after an import reads the parse cache the import
primed (see ledger/cache.py); `--cold` also times compare with the cache
disabled (LEDGER_CACHE=off), which parses the YAML.
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
MADE, DEADLINE, KNOWN = "2030-01-01", "2030-12-31", "2031-01-15"

PLAIN = r"""
import sys
import numpy as np
import pandas as pd

forecasts = pd.read_csv(sys.argv[1])
outcomes = pd.read_csv(sys.argv[2])
rows = forecasts.merge(outcomes, on="question")
y = (rows["outcome"] == "yes").astype(float)
p = rows["probability"].clip(0.001, 0.999)
rows["log"] = np.log(np.where(y == 1, p, 1 - p))
rows["brier"] = (rows["probability"] - y) ** 2
by_question = rows.groupby("question")["log"]
total, count = by_question.transform("sum"), by_question.transform("size")
others = (total - rows["log"]) / (count - 1)
rows["peer"] = (100 * (rows["log"] - others)).where(count > 1, 0.0)
board = rows.groupby("forecaster").agg(
    n=("question", "size"), brier=("brier", "mean"),
    peer_score_mean=("peer", "mean"), peer_score_sum=("peer", "sum"),
)
board.sort_values("brier").to_csv(sys.stdout)
"""


def generate(
    forecasts: Path, outcomes: Path, people: int, questions: int, seed: int = 0
) -> None:
    """A contest: each forecaster gives every question a probability in whole percents (0.01-0.99)."""
    rng = random.Random(seed)
    truth = [rng.random() < 0.4 for _ in range(questions)]
    skill = [rng.uniform(0.0, 0.35) for _ in range(people)]
    with forecasts.open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle, lineterminator="\n")
        out.writerow(["question", "forecaster", "probability"])
        for j in range(questions):
            for i in range(people):
                lean = skill[i] if truth[j] else -skill[i]
                p = min(99, max(1, round(100 * (0.5 + lean + rng.gauss(0, 0.2)))))
                out.writerow(
                    [f"Contest question {j + 1}", f"Player {i + 1}", f"{p / 100:g}"]
                )
    with outcomes.open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle, lineterminator="\n")
        out.writerow(["question", "outcome"])
        for j in range(questions):
            out.writerow([f"Contest question {j + 1}", "yes" if truth[j] else "no"])


def timed(
    command: list[str], runs: int, env: dict[str, str] | None = None
) -> tuple[float, str]:
    times, stdout = [], ""
    for _ in range(runs):
        start = time.perf_counter()
        done = subprocess.run(
            command, check=True, capture_output=True, text=True, env=env
        )
        times.append(time.perf_counter() - start)
        stdout = done.stdout
    return statistics.median(times), stdout


def same_peer_scores(ledger_csv: str, plain_csv: str) -> float:
    """The largest difference between the two peer-score tables (by forecaster)."""
    ours = {row["forecaster"]: row for row in csv.DictReader(io.StringIO(ledger_csv))}
    theirs = list(csv.DictReader(io.StringIO(plain_csv)))
    worst = 0.0
    for row in theirs:
        # the ledger's ids are slugs of the names: "Player 12" -> "player-12"
        mine = ours["-".join(row["forecaster"].lower().split())]
        for key in ("peer_score_mean", "peer_score_sum", "brier"):
            worst = max(worst, abs(float(mine[key]) - float(row[key])))
    if len(ours) != len(theirs):
        raise SystemExit(
            f"{len(ours)} forecasters in ledger compare, {len(theirs)} in the plain script"
        )
    return worst


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--forecasters", type=int, default=3300)
    parser.add_argument("--questions", type=int, default=50)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--cold", action="store_true", help="Also time compare without the parse cache."
    )
    args = parser.parse_args()
    out = HERE / "out"
    out.mkdir(exist_ok=True)
    stem = f"contest-{args.forecasters}x{args.questions}"
    forecasts, outcomes = out / f"{stem}.csv", out / f"{stem}-outcomes.csv"
    ledger_file = out / f"{stem}.yaml"
    generate(forecasts, outcomes, args.forecasters, args.questions)
    cache = out / "cache"  # a private cache folder, so a run never touches the user's
    env = {**os.environ, "XDG_CACHE_HOME": str(cache)}
    cold = {**env, "LEDGER_CACHE": "off"}
    py = sys.executable
    ledger = [py, "-m", "ledger"]
    importing = [
        *ledger,
        "import",
        "csv",
        str(forecasts),
        "--outcomes",
        str(outcomes),
        "--made",
        MADE,
        "--deadline",
        DEADLINE,
        "--known",
        KNOWN,
        "-o",
        str(ledger_file),
        "--force",
    ]
    comparing = [
        *ledger,
        "compare",
        str(ledger_file),
        "--as-of",
        "2031-12-31",
        "--format",
        "csv",
    ]
    plain = [py, "-c", PLAIN, str(forecasts), str(outcomes)]

    import_s, _ = timed(importing, args.runs, env)
    compare_s, ours = timed(comparing, args.runs, env)
    plain_s, theirs = timed(plain, args.runs, env)
    rows = [
        ("`ledger import csv`", import_s, ""),
        (
            "`ledger compare` (leaderboard)",
            compare_s,
            f"{compare_s / plain_s:.1f}x the plain script",
        ),
    ]
    if args.cold:
        cold_s, _ = timed(comparing, args.runs, cold)
        rows.append(
            (
                "`ledger compare`, no parse cache",
                cold_s,
                f"{cold_s / plain_s:.1f}x the plain script",
            )
        )
    rows += [
        ("plain pandas script (read CSV, peer scores)", plain_s, "baseline"),
        ("import + compare", import_s + compare_s, "target <= 30 s"),
    ]
    worst = same_peer_scores(ours, theirs)
    size = ledger_file.stat().st_size / 1e6
    print(
        f"{args.forecasters:,} forecasters x {args.questions} questions = "
        f"{args.forecasters * args.questions:,} forecasts; ledger {size:.1f} MB; "
        f"median of {args.runs} runs; {os.cpu_count()} CPUs"
    )
    print(f"peer scores and Brier agree with the plain script to {worst:.1e}")
    print()
    print("| step | median | note |")
    print("|---|---:|---|")
    for name, seconds, note in rows:
        print(f"| {name} | {seconds:.2f} s | {note} |")


if __name__ == "__main__":
    main()
