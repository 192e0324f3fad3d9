"""Benchmark the parse cache (issue 13: a cache that cannot run code). By hand; not a test.

    python benchmarks/bench_cache.py [--questions 10000] [--runs 7]

1. Generates a ledger of N questions with bench_all's `generate` (seeded) in
   benchmarks/out/cache-N.yaml, and a private cache folder beside it.
2. Times, in this process (median of --runs): the cache's `store` of the
   file's records (serialising and writing one entry) and its `load` (reading
   the entry back, checking it, rebuilding the records).
3. Times `ledger check` on the file as a whole process (median of --runs):
   cold (`LEDGER_CACHE=off`) and warm (the entry is there).
Prints one Markdown table row: medians, and the fastest run (on a shared
machine the fastest is the steadier figure). To compare with another version
of ledger, run it with that version first on PYTHONPATH.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bench_all import generate  # noqa: E402


def _shown(times: list[float], scale: float, unit: str) -> str:
    """The median and the fastest of `times`, in `unit` (seconds times `scale`)."""
    median, fastest = statistics.median(times) * scale, min(times) * scale
    digits = 0 if scale > 1 else 2
    return f"{median:.{digits}f} {unit} (min {fastest:.{digits}f})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--questions", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()

    out = HERE / "out"
    out.mkdir(exist_ok=True)
    ledger_path = out / f"cache-{args.questions}.yaml"
    if not ledger_path.exists():
        generate(ledger_path, args.questions)
    cache_home = out / "cache-home"
    shutil.rmtree(cache_home, ignore_errors=True)
    cache_home.mkdir(mode=0o700)
    os.environ["XDG_CACHE_HOME"] = str(cache_home)
    os.environ.pop("LEDGER_CACHE", None)

    from ledger.loader import cache
    from ledger.loader.load import load_text

    data = ledger_path.read_bytes()
    name = str(ledger_path)
    ledger, errors = load_text(data.decode("utf-8"), name)
    stores, loads = [], []
    for _ in range(args.runs):
        for old in (cache_home / "ledger").glob("*.pickle"):
            old.unlink()  # a miss: the store writes it again
        started = time.perf_counter()
        cache.store(data, name, ledger, errors)
        stores.append(time.perf_counter() - started)
        started = time.perf_counter()
        found = cache.load(data, name)
        loads.append(time.perf_counter() - started)
        assert found is not None and len(found[0].questions) == len(ledger.questions)
    entry = max((cache_home / "ledger").glob("*.pickle"), key=lambda p: p.stat().st_size)

    import ledger

    command = [sys.executable, "-m", "ledger", "check", name]
    env = {**os.environ}
    source = Path(ledger.__file__).parent.parent  # the code measured (PYTHONPATH)

    def timed(environment: dict[str, str]) -> list[float]:
        found = []
        for _ in range(args.runs):
            started = time.perf_counter()
            subprocess.run(command, env=environment, check=True, cwd=source)
            found.append(time.perf_counter() - started)
        return found

    cold = timed({**env, "LEDGER_CACHE": "off"})
    subprocess.run(command, env=env, check=True, cwd=source)  # primes the cache
    warm = timed(env)
    size = ledger_path.stat().st_size / 1e6
    print(f"| {args.questions:,} questions ({size:.1f} MB), entry "
          f"{entry.stat().st_size / 1e6:.1f} MB | store {_shown(stores, 1000, 'ms')} "
          f"| load {_shown(loads, 1000, 'ms')} | check cold {_shown(cold, 1, 's')} "
          f"| check warm {_shown(warm, 1, 's')} |")


if __name__ == "__main__":
    main()
