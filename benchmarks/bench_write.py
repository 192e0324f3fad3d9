"""Benchmark writes (issue 19: writes cost what they change). By hand; not a test.

    python benchmarks/bench_write.py [--sizes shipped,10k,100k] [--runs 5]

1. Copies each ledger (predictions.yaml, or bench_all's seeded `generate` of
   10,000 or 100,000 questions) to benchmarks/out/write-SIZE.yaml, with a
   private parse cache beside it, and primes the cache with one `ledger check`.
2. Each round times, as whole processes (bench_all's WRAPPER: wall time, peak
   memory, CPU = user + system): a warm `ledger check` (the baseline); a
   `ledger forecast` adding one forecast to a random binary question (the
   write checks the ledger, makes the edit, checks the new text in part and
   patches the cache entry); the `ledger check` right after it (warm if the
   write left the cache entry); and a refused `ledger forecast` (an
   undeclared forecaster: the file is not written).
3. Prints one Markdown table: medians of the rounds, the largest peak, and
   each median's ratio to the warm check's (wall and CPU).

Targets: a forecast on the 10k file at most 1.5x a warm check of it; on the
100k file at most 5 s and 1 GB.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bench_all import WRAPPER, ledger_path  # noqa: E402


def measure(command: list[str], env: dict[str, str]) -> tuple[float, float, float]:
    """(wall seconds, peak MB, CPU seconds) of one run of `command`."""
    done = subprocess.run(
        [sys.executable, "-c", WRAPPER, *command],
        env=env, capture_output=True, text=True, check=False,
    )
    if done.returncode:
        raise SystemExit(f"{' '.join(command)} failed: {done.stderr}")
    seconds, kilobytes, cpu = done.stdout.split()[:3]
    return float(seconds), int(kilobytes) / 1024, float(cpu)


def binary_questions(path: Path) -> list[str]:
    """The ids of the binary questions whose outcome is not known (by the text)."""
    text = path.read_text(encoding="utf-8")
    found = []
    for item in re.split(r"\n  - id: ", text)[1:]:
        if "\n    kind: binary" in item and "result:" not in item:
            found.append(item.split("\n", 1)[0])
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="shipped,10k,100k")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    out = HERE / "out"
    out.mkdir(exist_ok=True)
    home = out / "write-cache"
    shutil.rmtree(home, ignore_errors=True)
    home.mkdir(mode=0o700)
    env = {**os.environ, "XDG_CACHE_HOME": str(home)}
    env.pop("LEDGER_CACHE", None)
    ledger = [sys.executable, "-m", "ledger"]
    rng = random.Random(0)
    rows = []
    for size in args.sizes.split(","):
        path = out / f"write-{size}.yaml"
        shutil.copyfile(ledger_path(size, out), path)
        questions = binary_questions(path)
        forecaster = "forecaster-01" if size != "shipped" else None
        if forecaster is None:  # the shipped ledger: its first forecaster, by text
            text = path.read_text(encoding="utf-8")
            forecaster = text.split("forecasters:", 1)[1].split("id: ", 1)[1].split()[0]
        check = [*ledger, "check", str(path)]
        measure(check, env)  # primes the cache
        times: dict[str, list[tuple[float, float, float]]] = {}
        for number in range(args.runs):
            question = rng.choice(questions)
            made = f"2023-01-{number + 2:02d}"
            forecast = [*ledger, "forecast", "-f", str(path), question, "--by",
                        forecaster, "--made", made, "--p", "0.3"]
            refused = [*forecast[:-5], "undeclared", *forecast[-4:]]
            for name, command in (("warm `check`", check), ("`forecast`", forecast),
                                  ("`check` after it", check),
                                  ("refused `forecast`", refused)):
                before = path.stat().st_size
                times.setdefault(name, []).append(measure(command, env))
                if (path.stat().st_size > before) != (name == "`forecast`"):
                    raise SystemExit(f"{' '.join(command)}: the file did not change as it should")
        base = times["warm `check`"]
        base_wall = statistics.median(t[0] for t in base)
        base_cpu = statistics.median(t[2] for t in base)
        for name, found in times.items():
            wall = statistics.median(t[0] for t in found)
            cpu = statistics.median(t[2] for t in found)
            peak = max(t[1] for t in found)
            rows.append(
                f"| {size} | {name} | {wall:.2f} s | {cpu:.2f} s | {peak:.0f} MB "
                f"| {wall / base_wall:.2f}× / {cpu / base_cpu:.2f}× |"
            )
    print("| size | command | wall | CPU | peak memory | ratio to warm `check` "
          "(wall / CPU) |")
    print("|---|---|---:|---:|---:|---:|")
    print("\n".join(rows))


if __name__ == "__main__":
    main()
