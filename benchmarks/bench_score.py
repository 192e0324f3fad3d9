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
   - bare numpy over the same arrays: from the frame's columns as numpy arrays
     (standing, excluded codes, p, outcome, forecaster codes), select the
     standing scored forecasts with a p, compute Brier and the clipped log
     score, and their means per forecaster (np.bincount);
   - for reference, that arithmetic alone on arrays selected beforehand.
Target: full scoring at most 5x bare.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import statistics
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from typing import TYPE_CHECKING

from ledger.frame import SCHEMA
from ledger.score import scorecard

if TYPE_CHECKING:
    from collections.abc import Callable


def generate(
    forecasts: int, questions: int, forecasters: int, seed: int = 0
) -> pd.DataFrame:
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
    until_next = np.append(
        np.where(same_next, made[1:], np.datetime64("NaT", "s")),
        np.datetime64("NaT", "s"),
    )

    state_of_q = rng.choice(
        ["resolved", "void", "open", "due"], questions, p=[0.7, 0.1, 0.15, 0.05]
    )
    kind_of_q = np.where(rng.random(questions) < 0.9, "binary", "date")
    deadline_of_q = np.datetime64("2028-01-01", "s") + rng.integers(
        0, 1500, questions
    ).astype("timedelta64[D]")
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
    timing = np.where(
        resolved & date, np.where(outcome == 1, 0.0, rng.random(forecasts) * 3), np.nan
    )
    frame = pd.DataFrame(
        {
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
            "window_start": np.where(date, made, np.datetime64("NaT", "s")),
            "window_end": np.where(date, deadline_of_q[q], np.datetime64("NaT", "s")),
            "window_width": np.where(date, 1.0, np.nan),
            "unit": None,
            "table": None,
            "words": None,
            "line": np.arange(forecasts) + 10,
        }
    )
    return frame[list(SCHEMA)].astype(SCHEMA)


def full(frame: pd.DataFrame) -> object:
    table = scorecard.aggregate(frame, ["forecaster"], n_boot=0)
    calibration = scorecard.calibration(frame, by=["forecaster"])
    return table, calibration


def bootstrap(frame: pd.DataFrame) -> object:
    return scorecard.bootstrap(frame, ["forecaster"], n_boot=1000, seed=0)


def columns(frame: pd.DataFrame) -> tuple[np.ndarray, ...]:
    """The frame's columns as the numpy arrays it already holds (no copies)."""
    return (
        frame["standing"].to_numpy(),
        frame["excluded"].cat.codes.to_numpy(),
        frame["p"].to_numpy(),
        frame["outcome"].to_numpy(),
        frame["forecaster"].cat.codes.to_numpy(),
    )


def select(standing, excluded, p, outcome, who):  # type: ignore[no-untyped-def]
    """The standing, scored forecasts with a p (excluded code 0 is "")."""
    keep = standing & (excluded == 0) & ~np.isnan(p)
    return outcome[keep], p[keep], who[keep], int(who.max()) + 1


def bare(o: np.ndarray, p: np.ndarray, codes: np.ndarray, n: int) -> object:
    """Brier and clipped log score, and their means per forecaster."""
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
    parser.add_argument(
        "--profile", action="store_true", help="cProfile the full scoring once"
    )
    args = parser.parse_args()
    start = time.perf_counter()
    frame = generate(args.forecasts, args.questions, args.forecasters)
    print(
        f"generated {len(frame):,} forecasts on {frame['question'].nunique():,} "
        f"questions by {frame['forecaster'].nunique()} forecasters in "
        f"{time.perf_counter() - start:.1f} s; "
        f"{int((frame['standing'] & frame['excluded'].eq('')).sum()):,} scored"
    )
    if args.profile:
        profiler = cProfile.Profile()
        profiler.runcall(full, frame)
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(30)
    arrays = columns(frame)
    chosen = select(*arrays)
    t_full = median_time(lambda: full(frame), args.runs)
    t_boot = median_time(lambda: bootstrap(frame), args.runs)
    t_bare = median_time(lambda: bare(*select(*arrays)), max(args.runs, 7))
    t_math = median_time(lambda: bare(*chosen), max(args.runs, 7))
    print()
    print("| computation | median | ratio to bare |")
    print("|---|---:|---:|")
    for name, seconds in [
        ("full scoring by forecaster, no bootstrap (aggregate + calibration)", t_full),
        ("bootstrap alone: 95% CI per forecaster, 1,000 resamples", t_boot),
        (
            "**bare** numpy on the frame's columns: select, Brier + log, "
            "means per forecaster",
            t_bare,
        ),
        ("arithmetic alone: Brier + log + means on pre-selected arrays", t_math),
    ]:
        print(f"| {name} | {seconds * 1e3:.0f} ms | {seconds / t_bare:.1f}x |")
    verdict = "met" if t_full <= 5 * t_bare else "NOT met"
    print(
        f"\nTarget: full scoring at most 5x bare: {verdict} ({t_full / t_bare:.1f}x)."
    )


if __name__ == "__main__":
    main()
