"""Benchmark `ledger extract` on its labelled corpus. Run by hand; the targets are also a test.

    python benchmarks/bench_extract.py [--verbose] [--megabytes 5]

1. Quality, on tests/data/extract/corpus.yaml (133 sentences written and labelled for
   this project, 91 development and 42 held out; see the file's header), whole and by part. Each sentence is read as a text of its own,
   made on the corpus's `made` date. A sentence counts as found when it gives at least
   one candidate (a passed-over sentence is not found).
   - recall: forecasts found / forecasts (target at least 0.9);
   - precision: forecasts among the sentences found (target at least 0.8);
   - window accuracy: forecasts with a labelled window, found, whose first candidate's
     window is exactly the labelled one / forecasts with a labelled window.
   --verbose lists every miss, false alarm and wrong window.
2. Speed: `extract` on the shipped interview summary (../shared/source, if present)
   and on a text of --megabytes MB made of the corpus's sentences, as paragraphs.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

from ledger.core.dates import parse_when  # noqa: E402
from ledger.extract import Options, extract  # noqa: E402

CORPUS = ROOT / "tests" / "data" / "extract" / "corpus.yaml"
SUMMARY = ROOT.parent / "shared" / "source" / "interview-summary.txt"


def load(path: Path = CORPUS) -> dict[str, Any]:
    # BaseLoader: every value stays text, so dates are compared as written
    data: dict[str, Any] = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
    return data


def evaluate(path: Path = CORPUS, part: str | None = None) -> dict[str, Any]:
    """Recall, precision and window accuracy on the corpus (or one `part` of it:
    "development" or "held-out"), with the cases behind them."""
    corpus = load(path)
    options = Options(made=parse_when(corpus["made"]))
    items = [
        item for item in corpus["sentences"]
        if part is None or item.get("part", "development") == part
    ]
    found_true = found_false = missed = 0
    windows_right = windows_total = 0
    misses, false_alarms, wrong_windows = [], [], []
    for item in items:
        text = item["text"]
        forecast = item["forecast"] == "true"
        candidates = extract(text, "corpus", options).candidates
        if forecast and candidates:
            found_true += 1
        elif forecast:
            missed += 1
            misses.append(text)
        elif candidates:
            found_false += 1
            false_alarms.append(text)
        if forecast and "window" in item:
            windows_total += 1
            expected = [None if end == "null" else end for end in item["window"]]
            got = candidates[0].window if candidates else None
            got_text = None if got is None else [d.isoformat() if d else None for d in got]
            if got_text == expected:
                windows_right += 1
            else:
                wrong_windows.append((text, expected, got_text))
    forecasts = found_true + missed
    return {
        "sentences": len(items),
        "forecasts": forecasts,
        "recall": found_true / forecasts,
        "precision": found_true / (found_true + found_false),
        "window_accuracy": windows_right / windows_total,
        "windows": windows_total,
        "misses": misses,
        "false_alarms": false_alarms,
        "wrong_windows": wrong_windows,
    }


def timed(text: str, runs: int) -> float:
    options = Options(made=parse_when("2026-01-06..2026-04-30"))
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        extract(text, "bench", options)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--verbose", action="store_true")
    parser.add_argument("--megabytes", type=float, default=5)
    args = parser.parse_args()
    for part in (None, "development", "held-out"):
        result = evaluate(part=part)
        print(f"{part or 'whole corpus'}: {result['sentences']} sentences, "
              f"{result['forecasts']} forecasts, {result['windows']} with a labelled window: "
              f"recall {result['recall']:.3f} (target >= 0.9), precision "
              f"{result['precision']:.3f} (target >= 0.8), window accuracy "
              f"{result['window_accuracy']:.3f}")
    result = evaluate()
    if args.verbose:
        for text in result["misses"]:
            print(f"  missed: {text}")
        for text in result["false_alarms"]:
            print(f"  false alarm: {text}")
        for text, expected, got in result["wrong_windows"]:
            print(f"  window: {text}  expected {expected}, got {got}")
    if SUMMARY.exists():
        summary = SUMMARY.read_text(encoding="utf-8")
        seconds = timed(summary, 7)
        print(f"interview summary ({len(summary):,} characters): {seconds * 1000:.0f} ms (median of 7)")
    sentences = [item["text"] for item in load()["sentences"]]
    paragraph = " ".join(sentences[:12]) + "\n\n"
    size = int(args.megabytes * 1_000_000)
    big = (paragraph * (size // len(paragraph) + 1))[:size]
    seconds = timed(big, 1)
    print(f"{args.megabytes:g} MB of corpus text: {seconds:.1f} s "
          f"({args.megabytes / seconds:.2f} MB/s)")


if __name__ == "__main__":
    main()
