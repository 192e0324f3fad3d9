"""`ledger export --format parquet`: three files, exactly the frame, the same bytes
for the same ledger, the output rules, and a clear message without pyarrow."""

from __future__ import annotations

import datetime as dt
import math
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")

from ledger.cli import main  # noqa: E402
from ledger.columnar import arrow  # noqa: E402
from ledger.frame import SCHEMA  # noqa: E402
from ledger.frame import frame as make_frame  # noqa: E402
from ledger.validate import check  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
QUANTILES = ROOT / "tests" / "data" / "quantiles.yaml"
AS_OF = dt.date(2032, 1, 1)


def generated(tmp_path: Path, questions: int = 300) -> Path:
    """A benchmark ledger (windows, mapped words, fractions, voids, dates)."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        import bench_all
    finally:
        sys.path.pop(0)
    file = tmp_path / "ledger.yaml"
    bench_all.generate(file, questions)
    return file


def run(*args: object) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, [str(a) for a in args])
    return result.exit_code, result.stdout, result.stderr


def export(file: Path, out: Path, *more: object) -> None:
    code, _, err = run("export", file, "--format", "parquet", "-o", out, *more)
    assert code == 0, err


def test_the_files_and_their_columns(tmp_path: Path) -> None:
    export(QUANTILES, tmp_path / "out", "--as-of", AS_OF)
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "forecasts.parquet", "outcomes.parquet", "questions.parquet",
    ]
    table = pq.read_table(tmp_path / "out" / "forecasts.parquet")
    assert table.column_names == list(SCHEMA)
    types = {field.name: str(field.type) for field in table.schema}
    assert types["made"] == "date32[day]" and types["p"] == "double"
    assert types["tags"] == types["quantile_values"] == "list<element: string>"
    assert types["quantile_levels"] == "list<element: double>"
    assert types["standing"] == "bool" and types["line"] == "int64"
    assert types["forecaster"] == types["excluded"] == "string"


def test_the_forecasts_are_the_frame_sorted(tmp_path: Path) -> None:
    file = generated(tmp_path)
    export(file, tmp_path / "out", "--as-of", "2026-11-26")
    ledger, errors = check(str(file))
    assert errors == []
    data = make_frame(ledger, dt.date(2026, 11, 26))
    table = pq.read_table(tmp_path / "out" / "forecasts.parquet")
    assert table.num_rows == len(data) > 1000
    # the rows sorted by question, forecaster, made, line (ties in frame order)
    expected = data.assign(
        _q=data["question"].astype(str), _f=data["forecaster"].astype(str)
    ).sort_values(["_q", "_f", "made", "line"], kind="stable")
    read = arrow.frame(table)
    pd.testing.assert_frame_equal(
        read, expected[list(SCHEMA)].reset_index(drop=True), check_exact=True
    )
    # missing values are nulls, so SQL's AVG skips them; an open width stays inf
    p = table["p"]
    assert p.null_count == int(data["p"].isna().sum()) > 0
    assert not any(isinstance(v, float) and math.isnan(v) for v in p.to_pylist())


def test_quantile_values_read_back_with_their_types(tmp_path: Path) -> None:
    export(QUANTILES, tmp_path / "out", "--as-of", AS_OF)
    rows = pq.read_table(tmp_path / "out" / "forecasts.parquet").to_pylist()
    power = [r for r in rows if r["question"] == "power" and r["forecaster"] == "alice"]
    assert power[0]["quantile_values"] == ["8.0", "12.0", "20.0"]
    assert power[0]["quantile_levels"] == [0.1, 0.5, 0.9]
    robots = [r for r in rows if r["question"] == "robots" and r["forecaster"] == "alice"]
    assert robots[0]["quantile_values"] == ["2027-01-01", "2030-06-01", "2034-01-01"]


def test_the_frame_round_trips_exactly(tmp_path: Path) -> None:
    for file, day in ((QUANTILES, AS_OF), (generated(tmp_path), dt.date(2026, 11, 26)),
                      (ROOT / "predictions.yaml", dt.date(2026, 11, 26))):
        ledger, _ = check(str(file))
        for provisional in (False, True):
            data = make_frame(ledger, day, provisional=provisional)
            back = arrow.frame(arrow.read(arrow.parquet(arrow.forecasts(data))))
            pd.testing.assert_frame_equal(back, data, check_exact=True)
            for name in data.columns:  # the same Python types, cell by cell
                assert [type(v) for v in back[name]] == [type(v) for v in data[name]], name
                if data[name].dtype == object:
                    assert [repr(v) for v in back[name]] == [repr(v) for v in data[name]]


def test_an_empty_ledger_gives_empty_files_with_every_column(tmp_path: Path) -> None:
    file = tmp_path / "empty.yaml"
    file.write_text("forecasters: []\nquestions: []\n", "utf-8")
    export(file, tmp_path / "out")
    table = pq.read_table(tmp_path / "out" / "forecasts.parquet")
    assert table.num_rows == 0 and table.column_names == list(SCHEMA)
    assert pq.read_table(tmp_path / "out" / "outcomes.parquet").num_rows == 0


def test_the_questions_and_every_outcome_entry(tmp_path: Path) -> None:
    file = tmp_path / "l.yaml"
    file.write_text(
        """\
forecasters: [{id: ann, name: Ann}]
questions:
  - id: b
    title: B
    criteria: x
    kind: date
    deadline: 2030-12-31
    tags: [t1, t2]
    outcomes:
      - {result: not-yet, known: 2027-01-01, recorded: 2027-01-02}
      - {result: 2028-03, known: 2028-04-01, recorded: 2028-04-03, by: ann}
  - id: a
    title: A
    criteria: x
    kind: binary
    deadline: 2026-05-01
    forecasts:
      - {by: ann, made: 2026-04-01, p: 0.7, basis: stated}
    outcomes:
      - {result: "provisional:0.4", known: 2026-04-10, recorded: 2026-04-10}
      - {result: yes, known: 2026-05-01, recorded: 2026-05-02, evidence: [https://example.org]}
""",
        "utf-8",
    )
    export(file, tmp_path / "out", "--as-of", "2026-06-01")
    questions = pq.read_table(tmp_path / "out" / "questions.parquet").to_pylist()
    assert [q["id"] for q in questions] == ["a", "b"]
    assert questions[1]["tags"] == ["t1", "t2"] and questions[1]["kind"] == "date"
    assert questions[1]["deadline"] == dt.date(2030, 12, 31)
    outcomes = pq.read_table(tmp_path / "out" / "outcomes.parquet").to_pylist()
    # every entry, even those after --as-of: the reader applies an as-of of their own
    assert [(o["question"], o["result"]) for o in outcomes] == [
        ("a", "provisional"), ("a", "yes"), ("b", "not-yet"), ("b", "date"),
    ]
    assert outcomes[0]["value"] == 0.4 and outcomes[1]["value"] == 1.0
    assert outcomes[1]["known"] == dt.date(2026, 5, 1)
    assert outcomes[1]["recorded"] == dt.date(2026, 5, 2)
    assert outcomes[1]["evidence"] == ["https://example.org"]
    assert outcomes[3]["value_earliest"] == dt.date(2028, 3, 1)
    assert outcomes[3]["value_latest"] == dt.date(2028, 3, 31)
    assert outcomes[3]["by"] == "ann" and outcomes[3]["line"] == 11


@pytest.mark.parametrize("cache", ["on", "off"])
def test_the_same_ledger_gives_the_same_bytes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cache: str
) -> None:
    from ledger.loader import cache as parse_cache

    monkeypatch.setattr(parse_cache, "MIN_BYTES", 0)  # the frame cache is used
    if cache == "off":
        monkeypatch.setenv("LEDGER_CACHE", "off")
    file = generated(tmp_path, 120)
    runs = []
    for number in range(3):  # the second and third read the frame cache
        out = tmp_path / f"out{number}"
        export(file, out, "--as-of", "2026-11-26")
        runs.append({p.name: p.read_bytes() for p in sorted(out.iterdir())})
    assert runs[0] == runs[1] == runs[2]
    # a copy of the ledger in another folder, under another name: the same files
    # but for the path column of questions and outcomes
    other = tmp_path / "elsewhere"
    other.mkdir()
    (other / "ledger.yaml").write_bytes(file.read_bytes())
    export(other / "ledger.yaml", tmp_path / "out3", "--as-of", "2026-11-26")
    assert (tmp_path / "out3" / "forecasts.parquet").read_bytes() == runs[0][
        "forecasts.parquet"
    ]
    metadata = pq.read_metadata(tmp_path / "out0" / "forecasts.parquet")
    assert set(metadata.metadata) == {b"ledger.export", b"ARROW:schema"}
    assert b"pandas" not in metadata.metadata


def test_the_output_rules(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "questions.parquet").write_bytes(b"someone else's file")
    code, _, err = run("export", QUANTILES, "--format", "parquet", "-o", out)
    assert code == 2
    assert "questions.parquet' already exists; pass --force to replace it" in err
    assert not (out / "forecasts.parquet").exists()  # nothing written
    export(QUANTILES, out, "--force")
    export(QUANTILES, out)  # its own files are replaced without --force
    (tmp_path / "file").write_text("x", "utf-8")
    code, _, err = run("export", QUANTILES, "--format", "parquet", "-o", tmp_path / "file")
    assert code == 2 and "is a file" in err


def test_the_options_that_go_together(tmp_path: Path) -> None:
    code, _, err = run("export", QUANTILES, "--format", "parquet")
    assert code == 2 and "name their folder with -o DIR" in err
    code, _, err = run("export", QUANTILES, "-o", tmp_path)
    assert code == 2 and "(-o DIR) is only for --format parquet" in err


WITHOUT_PYARROW = (
    "import sys; sys.modules['pyarrow'] = None; sys.argv[0] = 'ledger'; "
    "from ledger.cli import main; main()"
)
"""`ledger` in a process where `import pyarrow` fails (pandas too never sees it)."""


def without_pyarrow(*args: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", WITHOUT_PYARROW, *map(str, args)],
        capture_output=True, text=True, check=False,
    )


def test_without_pyarrow_the_message_names_the_extra(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ledger.loader import cache as parse_cache

    big = tmp_path / "big.yaml"  # big enough for the caches to be asked
    big.write_bytes(QUANTILES.read_bytes() + b"#" * parse_cache.MIN_BYTES + b"\n")
    done = without_pyarrow("export", big, "--format", "parquet", "-o", tmp_path / "out")
    assert done.returncode == 2, done.stderr
    assert done.stderr.endswith(
        "Error: writing Parquet needs pyarrow, which is not installed: "
        "pip install 'prediction-ledger[parquet]'\n"
    )
    assert not (tmp_path / "out").exists()
    # everything else works without it, with the frame cache off: nothing is
    # stored (the runs with pyarrow, here, stored what they made)
    frames = Path(os.environ["XDG_CACHE_HOME"]) / "ledger" / "frames"
    export_csv = run("export", big, "--format", "csv", "--as-of", AS_OF)[1]
    monkeypatch.setenv("LEDGER_CACHE", "off")
    score = run("score", big, "--as-of", "2032-01-02")[1]
    monkeypatch.delenv("LEDGER_CACHE")
    stored = sorted(frames.iterdir())
    for _ in range(2):
        for args, expected in ((("export", big, "--as-of", AS_OF), export_csv),
                               (("score", big, "--as-of", "2032-01-02"), score)):
            done = without_pyarrow(*args)
            assert done.returncode == 0 and done.stdout == expected, done.stderr
    assert sorted(frames.iterdir()) == stored
