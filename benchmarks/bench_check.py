"""Benchmark a cold `ledger check` against composing the same bytes. By hand; not a test.

    python benchmarks/bench_check.py [--sizes shipped,10k,100k] [--runs 5]

1. Uses the ledgers of bench_all.py (`generate`, seeded; written to
   benchmarks/out/ledger-SIZE.yaml if missing): `10k` is 10,000 questions
   (about 55,000 forecasts, 9 MB), `100k` 100,000 (91 MB); `shipped` is
   predictions.yaml.
2. Times whole processes, each kind once per round and the rounds repeated
   (so a busy machine slows them alike), reporting the median wall time, the
   median CPU time (user + system: steadier than the wall time when other
   work shares the machine) and the largest peak memory (bench_all's
   wrapper):
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
import subprocess
import sys
from pathlib import Path

from bench_all import SIZES, WRAPPER, ledger_path

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


def run(command: list[str], env: dict[str, str]) -> tuple[float, float, float]:
    """(wall seconds, peak memory in MB, CPU seconds) of one run of `command`."""
    done = subprocess.run(
        [sys.executable, "-c", WRAPPER, *command],
        env=env, capture_output=True, text=True, check=False,
    )
    if done.returncode:
        raise SystemExit(f"{' '.join(command)} failed: {done.stderr}")
    seconds, kilobytes, cpu = done.stdout.split()
    return float(seconds), int(kilobytes) / 1024, float(cpu)


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
        if size not in SIZES:
            raise SystemExit(f"unknown size '{size}'; use {', '.join(SIZES)}")
        path = ledger_path(size, out)
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
        walls: dict[str, list[float]] = {name: [] for name in kinds}
        cpus: dict[str, list[float]] = {name: [] for name in kinds}
        peaks: dict[str, float] = dict.fromkeys(kinds, 0.0)
        for _ in range(args.runs):
            for name, command in kinds.items():
                wall, peak, cpu = run(command, env)
                walls[name].append(wall)
                cpus[name].append(cpu)
                peaks[name] = max(peaks[name], peak)
        wall = {name: statistics.median(found) for name, found in walls.items()}
        cpu = {name: statistics.median(found) for name, found in cpus.items()}
        base = "baseline: yaml.compose, CBaseLoader, collector off"
        megabytes = path.stat().st_size / 1e6
        for name in kinds:
            ratio = f"{wall[name] / wall[base]:.2f}x / {cpu[name] / cpu[base]:.2f}x"
            if size == "shipped" and not name.startswith("python"):
                imports = "python -c 'import click, yaml'"
                ratio += f"; {wall[name] / wall[imports]:.2f}x the imports"
            rows.append((f"{size} ({megabytes:.1f} MB)", name, wall[name], cpu[name],
                         peaks[name], ratio))
            print(f"{size} {name}: {_time(wall[name])} (CPU {_time(cpu[name])}), "
                  f"{peaks[name]:.0f} MB; runs: "
                  + ", ".join(f"{w:.2f}" for w in walls[name]),
                  file=sys.stderr, flush=True)
    print(f"\n{os.cpu_count()} CPUs, Python {sys.version.split()[0]}; medians of "
          f"{args.runs} rounds; CPU: user + system time; memory: the largest peak "
          "(bench_all's wrapper).\n")
    print("| size | command | wall | CPU | peak memory | ratio to the compose baseline "
          "(wall / CPU) |")
    print("|---|---|---:|---:|---:|---:|")
    for label, name, seconds, cpu_seconds, peak, ratio in rows:
        print(f"| {label} | {name} | {_time(seconds)} | {_time(cpu_seconds)} "
              f"| {peak:.0f} MB | {ratio} |")


if __name__ == "__main__":
    main()
