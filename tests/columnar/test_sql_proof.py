"""Proof that the Parquet export is right: one SQL query (DuckDB) over the exported
files gives the mean Brier, log score and n per forecaster that `ledger score --by
forecaster --format json` gives, to 1e-9; and so does the README's Polars query.

The queries below are the README's, word for word (`test_the_readme_shows_them`).
"""

from __future__ import annotations

import json
import math
import re
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

pytest.importorskip("pyarrow")

from ledger.cli import main

ROOT = Path(__file__).resolve().parents[2]

SQL = """\
SELECT forecaster,
       count(*) AS n,
       avg((p - outcome) ** 2) AS brier,
       avg(outcome * ln(least(greatest(p, 0.001), 0.999))
           + (1 - outcome) * ln(1 - least(greatest(p, 0.001), 0.999))) AS log_score
FROM 'out/forecasts.parquet'
WHERE standing AND excluded IN ('', 'no probability')
  AND p IS NOT NULL AND outcome IS NOT NULL
GROUP BY forecaster
ORDER BY forecaster
"""

POLARS = """\
import polars as pl

q = pl.col("p").clip(0.001, 0.999)
o = pl.col("outcome")
board = (
    pl.scan_parquet("out/forecasts.parquet")
    .filter(pl.col("standing") & pl.col("excluded").is_in(["", "no probability"])
            & pl.col("p").is_not_null() & o.is_not_null())
    .group_by("forecaster")
    .agg(n=pl.len(), brier=((pl.col("p") - o) ** 2).mean(),
         log_score=(o * q.log() + (1 - o) * (1 - q).log()).mean())
    .sort("forecaster")
    .collect()
)
"""


def generated(tmp_path: Path, questions: int) -> Path:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        import bench_all
    finally:
        sys.path.pop(0)
    file = tmp_path / "ledger.yaml"
    bench_all.generate(file, questions)
    return file


def ledger_scores(file: Path, *more: str) -> dict[str, tuple[int, float, float]]:
    result = CliRunner().invoke(
        main, ["score", str(file), "--by", "forecaster", "--format", "json", *more]
    )
    assert result.exit_code == 0, result.stderr
    return {
        row["forecaster"]: (row["n"], row["brier"], row["log_score"])
        for row in json.loads(result.stdout)
        if row["n"]
    }


def exported(file: Path, tmp_path: Path, *more: str) -> Path:
    out = tmp_path / "out"
    result = CliRunner().invoke(
        main, ["export", str(file), "--format", "parquet", "-o", str(out), *more]
    )
    assert result.exit_code == 0, result.stderr
    return out


def assert_same(found: dict[str, tuple[int, float, float]],
                expected: dict[str, tuple[int, float, float]]) -> None:
    assert sorted(found) == sorted(expected)
    for name, (n, brier, log) in expected.items():
        got = found[name]
        assert got[0] == n, name
        assert math.isclose(got[1], brier, rel_tol=0, abs_tol=1e-9), name
        assert math.isclose(got[2], log, rel_tol=0, abs_tol=1e-9), name


CASES = [("2026-11-26", ()), ("2026-11-26", ("--provisional",)), ("2031-01-01", ())]


@pytest.mark.parametrize(("as_of", "more"), CASES)
def test_duckdb_gives_the_scores_of_ledger_score(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, as_of: str, more: tuple[str, ...]
) -> None:
    duckdb = pytest.importorskip("duckdb")
    # binary and date questions; windows with and without p, mapped and judged
    # forecasts, updates, fractions and voids
    file = generated(tmp_path, 400)
    expected = ledger_scores(file, "--as-of", as_of, *more)
    assert len(expected) >= 40
    exported(file, tmp_path, "--as-of", as_of, *more)
    monkeypatch.chdir(tmp_path)
    rows = duckdb.sql(SQL).fetchall()
    assert_same({f: (n, b, lg) for f, n, b, lg in rows}, expected)


def test_polars_gives_the_same(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("polars")
    file = generated(tmp_path, 400)
    expected = ledger_scores(file, "--as-of", "2026-11-26")
    exported(file, tmp_path, "--as-of", "2026-11-26")
    monkeypatch.chdir(tmp_path)
    scope: dict[str, object] = {}
    exec(POLARS, scope)
    board = scope["board"].rows()  # type: ignore[attr-defined]
    assert_same({f: (n, b, lg) for f, n, b, lg in board}, expected)


def test_the_readme_shows_them() -> None:
    readme = (ROOT / "README.md").read_text("utf-8")
    blocks = re.findall(r"```(?:sql|python)\n(.*?)```", readme, re.S)
    assert SQL in blocks
    assert POLARS in blocks
