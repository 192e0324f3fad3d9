"""Benchmark scoring (issue "Scoring"). Run by hand; not a test.

    python benchmarks/bench_score.py [--forecasts 1000000] [--questions 100000]
                                     [--forecasters 100] [--runs 3] [--profile]

1. Generates the tidy frame directly in pandas, with the columns and dtypes of
   `ledger.frame.SCHEMA`: `--forecasts` forecasts by `--forecasters` people on
   `--questions` questions (90% binary, 10% date windows, a tenth of those
   without p), some forecasters updating (only their last forecast stands),
   about 70% of questions resolved, 10% void, 15% open and 5% due.
2. Times, median of --runs:
   - full scoring without the bootstrap: `scorecard.aggregate(frame,
     ["forecaster"], n_boot=0)` plus `scorecard.calibration(frame,
     by=["forecaster"])` (10 bins, folded table, Murphy, ECE per forecaster);
   - the bootstrap alone: the 95% question-bootstrap CI of every forecaster's
     mean Brier, 1,000 resamples (`scorecard.bootstrap`);
   - bare numpy over the same arrays: Brier and clipped log score of the
     standing scored forecasts, and their means per forecaster (np.bincount).
Target: full scoring at most 5x bare.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from ledger import scorecard  # noqa: E402
from ledger.frame import SCHEMA  # noqa: E402


def generate(forecasts: int, questions: int, forecasters: int, seed: int = 0) -> pd.DataFrame:
    """A tidy frame shaped like `ledger.frame.frame`'s output."""
    rng = np.random.default_rng(seed)
    q = np.sort(rng.integers(0, questions, forecasts))
    who = rng.integers(0, forecasters, forecasts)
    made = np.datetime64("2026-01-01", "s") + rng.integers(0, 700, forecasts).astype(
        "timedelta64[D]"
    )
    order = np.lexsort((made, who, q))  # by question, forecaster, made
    q, who, made = q[order], who[order], made[order]
    same_next = (q[1:] == q[:-1]) & (who[1:] == who[:-1])
    standing = np.append(~same_next, True)
    until_next = np.append(np.where(same_next, made[1:], np.datetime64("NaT", "s")), np.datetime64("NaT", "s"))

    state_of_q = rng.choice(["resolved", "void", "open", "due"], questions, p=[0.7, 0.1, 0.15, 0.05])
    kind_of_q = np.where(rng.random(questions) < 0.9, "binary", "date")
    deadline_of_q = np.datetime64("2028-01-01", "s") + rng.integers(0, 1500, questions).astype(
        "timedelta64[D]"
    )
    known_of_q = np.where(
        np.isin(state_of_q, ["resolved", "void"]),
        deadline_of_q - rng.integers(0, 300, questions).astype("timedelta64[D]"),
        np.datetime64("NaT", "s"),
    )
    truth_of_q = (rng.random(questions) < 0.4).astype(float)
    tags = [(), ("economy",), ("ai", "robotics"), ("health",)]
    tags_of_q = np.empty(questions, dtype=object)
    tags_of_q[:] = [tags[i % 4] for i in range(questions)]

    state, kind = state_of_q[q], kind_of_q[q]
    p = rng.integers(0, 101, forecasts) / 100
    no_p = (kind == "date") & (rng.random(forecasts) < 0.1)
    p[no_p] = np.nan
    resolved = state == "resolved"
    outcome = np.where(resolved, truth_of_q[q], np.nan)
    excluded = np.where(resolved, "", state).astype(object)
    excluded[resolved & no_p] = "no probability"
    known = known_of_q[q]
    until = np.where(np.isnat(until_next), known, np.minimum(until_next, known))
    date = kind == "date"
    timing = np.where(resolved & date, np.where(outcome == 1, 0.0, rng.random(forecasts) * 3), np.nan)
    frame = pd.DataFrame({
        "question": np.char.add("q", q.astype(str)).astype(object),
        "forecaster": np.char.add("f", who.astype(str)).astype(object),
        "kind": kind,
        "tags": tags_of_q[q],
        "status": state,
        "standing": standing,
        "excluded": excluded,
        "basis": np.where(rng.random(forecasts) < 0.8, "stated", "mapped"),
        "made": made,
        "made_latest": made,
        "until": until,
        "deadline": deadline_of_q[q],
        "known": known,
        "p": p,
        "outcome": outcome,
        "provisional": False,
        "timing_error": timing,
        "censored": False,
        "interval_score": np.where(resolved & date, 1.0 + 2 * timing, np.nan),
        "coverage_assumed": no_p & resolved,
        "line": np.arange(forecasts) + 10,
    })
    return frame[list(SCHEMA)].astype(SCHEMA)


def full(frame: pd.DataFrame) -> object:
    table = scorecard.aggregate(frame, ["forecaster"], n_boot=0)
    calibration = scorecard.calibration(frame, by=["forecaster"])
    return table, calibration


def bootstrap(frame: pd.DataFrame) -> object:
    return scorecard.bootstrap(frame, ["forecaster"], n_boot=1000, seed=0)


def bare_arrays(frame: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray, int]:
    """The arrays bare numpy works on: standing scored forecasts with a p."""
    keep = (
        frame["standing"].to_numpy()
        & (frame["excluded"].to_numpy(dtype=object) == "")
        & ~np.isnan(frame["p"].to_numpy())
    )
    codes = frame["forecaster"].cat.codes.to_numpy()[keep]
    return frame["outcome"].to_numpy()[keep], frame["p"].to_numpy()[keep], codes, len(
        frame["forecaster"].cat.categories
    )


def bare(o: np.ndarray, p: np.ndarray, codes: np.ndarray, n: int) -> object:
    brier = (p - o) ** 2
    q = np.clip(p, 0.001, 0.999)
    log = o * np.log(q) + (1 - o) * np.log1p(-q)
    count = np.bincount(codes, minlength=n)
    return np.bincount(codes, brier, n) / count, np.bincount(codes, log, n) / count


def median_time(function: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--forecasts", type=int, default=1_000_000)
    parser.add_argument("--questions", type=int, default=100_000)
    parser.add_argument("--forecasters", type=int, default=100)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--profile", action="store_true", help="cProfile the full scoring once")
    args = parser.parse_args()
    start = time.perf_counter()
    frame = generate(args.forecasts, args.questions, args.forecasters)
    print(f"generated {len(frame):,} forecasts on {frame['question'].nunique():,} questions "
          f"by {frame['forecaster'].nunique()} forecasters in {time.perf_counter() - start:.1f} s; "
          f"{int((frame['standing'] & frame['excluded'].eq('')).sum()):,} standing and scored")
    if args.profile:
        profiler = cProfile.Profile()
        profiler.runcall(full, frame)
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(30)
    arrays = bare_arrays(frame)
    t_full = median_time(lambda: full(frame), args.runs)
    t_boot = median_time(lambda: bootstrap(frame), args.runs)
    t_bare = median_time(lambda: bare(*arrays), args.runs)
    print()
    print("| computation | median | ratio to bare |")
    print("|---|---:|---:|")
    print(f"| full scoring by forecaster, no bootstrap (aggregate + calibration) | {t_full * 1e3:.0f} ms | {t_full / t_bare:.1f}x |")
    print(f"| bootstrap alone, 1,000 resamples per forecaster | {t_boot * 1e3:.0f} ms | {t_boot / t_bare:.1f}x |")
    print(f"| bare numpy: Brier + log, means per forecaster | {t_bare * 1e3:.0f} ms | 1.0x |")
    print(f"\nTarget: full scoring at most 5x bare; {'met' if t_full <= 5 * t_bare else 'NOT met'}.")


if __name__ == "__main__":
    main()
