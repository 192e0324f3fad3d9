"""Benchmark a cold `ledger check` against composing the same bytes. By hand; not a test.

    python benchmarks/bench_check.py [--sizes shipped,10k,100k] [--runs 5]

1. Uses the ledgers of bench_all.py (`generate`, seeded; written to
   benchmarks/out/ledger-SIZE.yaml if missing): `10k` is 10,000 questions
   (about 55,000 forecasts, 9 MB), `100k` 100,000 (91 MB); `shipped` is
   predictions.yaml.
2. Times whole processes, each kind once per round and the rounds repeated
   (so a busy machine slows them alike), reporting the median wall time and
   the largest peak memory (bench_all's wrapper):
   - `ledger check FILE`, parse cache off (`LEDGER_CACHE=off`): cold;
   - the same with the loader's direct path turned off, so that every file
     is composed by PyYAML and read from its nodes (the path before issue 19,
     and still the one that reports errors);
   - the baseline: `yaml.compose` of the same bytes with PyYAML's C loader
     (`CBaseLoader`, which resolves no types) and the garbage collector off,
     the floor of any loader built on PyYAML's nodes;
   - for `shipped`, also `python -c "import click, yaml"`, since a small
     file's check is mostly Python starting.
3. Prints a Markdown table with the ratios to the baseline.

Targets (issue 19): a cold check at 10k at most 1.0x the compose baseline;
at 100k at most 10 s; peak memory at 100k at most 1.5 GB.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
from pathlib import Path

from bench_all import SIZES, generate, measure

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent

COMPOSE = (
    "import gc, yaml; gc.disable(); "
    "yaml.compose(open({!r}, 'rb').read(), Loader=yaml.CBaseLoader)"
)
COMPOSED_CHECK = (
    "import sys; from unittest import mock; from ledger.loader import direct; "
    "from ledger.cli import main; "
    "mock.patch.object(direct, 'load', lambda text, path: None).start(); "
    "sys.exit(main(['check', {!r}]))"
)


def _time(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms" if seconds < 1 else f"{seconds:.2f} s"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", default="shipped,10k,100k")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument(
        "--no-composed", action="store_true", help="Skip the check with the direct path off."
    )
    args = parser.parse_args()
    out = HERE / "out"
    out.mkdir(exist_ok=True)
    py = sys.executable
    env = {**os.environ, "LEDGER_CACHE": "off"}
    rows = []
    for size in [s.strip() for s in args.sizes.split(",") if s.strip()]:
        if size == "shipped":
            path = ROOT / "predictions.yaml"
        else:
            path = out / f"ledger-{size}.yaml"
            if not path.exists():
                generate(path, SIZES[size])
        file = str(path)
        kinds = {
            "check, cold": [py, "-m", "ledger", "check", file],
            "check, cold, direct path off": [py, "-c", COMPOSED_CHECK.format(file)],
            "baseline: yaml.compose, CBaseLoader, collector off": [
                py, "-c", COMPOSE.format(file)
            ],
        }
        if args.no_composed:
            del kinds["check, cold, direct path off"]
        if size == "shipped":
            kinds["python -c 'import click, yaml'"] = [py, "-c", "import click, yaml"]
        times: dict[str, list[float]] = {name: [] for name in kinds}
        peaks: dict[str, float] = dict.fromkeys(kinds, 0.0)
        for _ in range(args.runs):
            for name, command in kinds.items():
                _, peak, run = measure(command, 1, env)
                times[name] += run
                peaks[name] = max(peaks[name], peak)
        medians = {name: statistics.median(found) for name, found in times.items()}
        base = medians["baseline: yaml.compose, CBaseLoader, collector off"]
        megabytes = path.stat().st_size / 1e6
        for name in kinds:
            ratio = f"{medians[name] / base:.2f}x"
            if size == "shipped" and not name.startswith("python"):
                imports = medians["python -c 'import click, yaml'"]
                ratio += f"; {medians[name] / imports:.2f}x the imports"
            rows.append((f"{size} ({megabytes:.1f} MB)", name, medians[name], peaks[name],
                         times[name], ratio))
            print(f"{size} {name}: {_time(medians[name])}, {peaks[name]:.0f} MB",
                  file=sys.stderr, flush=True)
    print(f"\n{os.cpu_count()} CPUs, Python {sys.version.split()[0]}; medians of "
          f"{args.runs} rounds; memory: the largest peak (bench_all's wrapper).\n")
    print("| size | command | median | runs | peak memory | ratio to the compose baseline |")
    print("|---|---|---:|---|---:|---:|")
    for label, name, seconds, peak, found, ratio in rows:
        every = ", ".join(f"{t:.2f}" for t in found)
        print(f"| {label} | {name} | {_time(seconds)} | {every} | {peak:.0f} MB | {ratio} |")


if __name__ == "__main__":
    main()
