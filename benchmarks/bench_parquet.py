"""Benchmark the Parquet export and the streamed listing (issue 19). By hand; not a test.

    python benchmarks/bench_parquet.py [--sizes shipped,10k,100k] [--runs 3]

At each size (bench_all's seeded ledgers; `shipped` is predictions.yaml), whole
processes through bench_all's wrapper (wall time, peak memory), warm: the parse
cache and the frame cache filled by a first run, which is timed too.

- `export --format parquet -o DIR`: the first run (loads from the parse cache,
  builds the frame, writes the files and the cache entries) and warm runs
  (the files copied from the frame cache; a one-file ledger is not loaded);
- `score --by forecaster`: warm (the frame read from the frame cache);
- `list --format json`: warm (parse cache; written as it is made);
- the baseline: pyarrow's own write of the same frame (`pa.Table.from_pandas`
  and `pq.write_table` with zstd, in one process, the frame already built),
  the floor of any export of it.

The machine has 2 cores shared with other work: figures are noisy (medians).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import bench_all  # noqa: E402

AS_OF = "2026-11-26"


def pyarrow_write(file: Path, runs: int) -> tuple[float, int]:
    """(median seconds, bytes) of pyarrow writing the frame of `file` as Parquet."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from ledger.frame import frame
    from ledger.validate import check

    ledger, _ = check(str(file))
    data = frame(ledger, dt.date.fromisoformat(AS_OF))
    times, size = [], 0
    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / "f.parquet"
        for _ in range(runs):
            start = time.perf_counter()
            pq.write_table(pa.Table.from_pandas(data, preserve_index=False), target,
                           compression="zstd")
            times.append(time.perf_counter() - start)
            size = target.stat().st_size
    return statistics.median(times), size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="shipped,10k,100k")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    out = HERE / "out"
    out.mkdir(exist_ok=True)
    cache = Path(tempfile.mkdtemp(prefix="ledger-bench-cache-"))
    env = {**os.environ, "XDG_CACHE_HOME": str(cache)}
    ledger = [sys.executable, "-m", "ledger"]
    rows = []
    try:
        for size in args.sizes.split(","):
            file = bench_all.ledger_path(size, out)
            target = out / f"parquet-{size}"
            shutil.rmtree(target, ignore_errors=True)
            bench_all.measure([*ledger, "check", str(file)], 1, env)  # the parse cache
            export = [*ledger, "export", str(file), "--format", "parquet", "-o",
                      str(target), "--as-of", AS_OF]
            first, first_peak, _ = bench_all.measure(export, 1, env)
            warm, warm_peak, _ = bench_all.measure(export, args.runs, env)
            score = [*ledger, "score", str(file), "--as-of", AS_OF]
            bench_all.measure(score, 1, env)
            scored, score_peak, _ = bench_all.measure(score, args.runs, env)
            listing = [*ledger, "list", str(file), "--format", "json", "--as-of", AS_OF]
            listed, list_peak, _ = bench_all.measure(listing, args.runs, env)
            base, written = pyarrow_write(file, args.runs)
            files = sum(p.stat().st_size for p in target.iterdir())
            rows += [
                (size, "export --format parquet, first run", first, first_peak, ""),
                (size, "export --format parquet, warm", warm, warm_peak,
                 f"{warm / base:.1f}× pyarrow's write ({bench_all._time(base)}, "
                 f"{written / 1e6:.1f} MB; ours {files / 1e6:.1f} MB in 3 files)"),
                (size, "score --by forecaster, warm", scored, score_peak, ""),
                (size, "list --format json, warm", listed, list_peak, ""),
            ]
            print(rows[-4:], flush=True)
    finally:
        shutil.rmtree(cache, ignore_errors=True)
    print("| size | command | median | peak memory | ratio to the baseline |")
    print("|---|---|---:|---:|---|")
    for size, command, seconds, peak, ratio in rows:
        print(f"| {size} | {command} | {bench_all._time(seconds)} | {peak:,.0f} MB | {ratio} |")


if __name__ == "__main__":
    main()
