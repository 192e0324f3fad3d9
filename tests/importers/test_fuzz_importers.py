"""Fuzzing the importers (issue §3): broken input files give `PATH:LINE:` errors.

Each importer starts from good input (the synthetic ForecastBench sets in
tests/data/forecastbench/synthetic/, small invented CSV files in the long and
wide layouts, and a hand-made Fatebook export) and one file is damaged:

- as bytes: truncated at a random point, bytes flipped, inserted or deleted,
  emptied, given a BOM (UTF-8 or UTF-16) or NUL bytes, CRLF or CR line endings,
  a line duplicated or a 1 MB cell;
- as CSV: a column dropped, added, renamed or duplicated, cells replaced by
  values of the wrong type (text, 1e400, nan, 5,000 digits, bad dates, stray
  quotes), rows cut short or lengthened;
- as JSON: any value replaced by a value of another type (null, booleans,
  lists, objects, 10**400, NaN, Infinity, huge strings), keys deleted,
  the top level replaced, deep nesting.

Whatever the damage, `ledger import` exits 0 having written a ledger that
passes `ledger check`, or exits 1 with `PATH:LINE: message` lines that name
one of the input files and writes nothing: never a traceback. Damage that
certainly breaks the file (an empty file, a JSON text cut short) must give
exit 1.

Budgets: tests/fuzzing.py (`HYPOTHESIS_PROFILE=deep` for 20 times more).
"""

from __future__ import annotations

import copy
import csv
import io
import json
import math
import re
import tempfile
from pathlib import Path
from typing import Any

from click.testing import CliRunner
from fuzzing import assert_printed_errors, fuzz
from hypothesis import example, given
from hypothesis import strategies as st
from test_import_fatebook import EXPORT as FATEBOOK

from ledger.cli import main
from ledger.validate import check

SYNTHETIC = Path(__file__).parent.parent / "data" / "forecastbench" / "synthetic"
FORECASTBENCH = {
    "questions": (SYNTHETIC / "question_set.json").read_bytes(),
    "forecasts": (SYNTHETIC / "forecast_set.json").read_bytes(),
    "resolutions": (SYNTHETIC / "resolution_set.json").read_bytes(),
}
LONG = (
    "question,forecaster,probability,made,deadline\n"
    "Will it rain in Oxford on 1 May 2026?,Ada Lovelace,0.7,2026-04-01,2026-05-01\n"
    "Will it rain in Oxford on 1 May 2026?,Charles Babbage,25%,2026-04-02,2026-05-01\n"
    '"Mars landing, by 2030?",Ada Lovelace,0.05,2026-04,2030-12-31\n'
)
OUTCOMES = (
    "question,outcome,known\n"
    "Will it rain in Oxford on 1 May 2026?,yes,2026-05-01\n"
    '"Mars landing, by 2030?",,\n'
)
WIDE = "forecaster,made,Rain on 1 May?,Mars by 2030?\nAda,2026-04-01,0.7,0.05\nBob,2026-04-02,,0.1\n"
CSV_FILES = {"forecasts.csv": LONG, "outcomes.csv": OUTCOMES, "wide.csv": WIDE}

BOMS = [b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff"]
JUNK_CELLS = [
    "",
    " ",
    "abc",
    "yes",
    "1e400",
    "-1e400",
    "nan",
    "inf",
    "-1",
    "1.5",
    "70",
    "101%",
    "9" * 5000,
    "2026-13-01",
    "2026-02-30",
    "02/03/2026",
    "0000-00-00",
    '"',
    '""',
    "\x00",
    "Ada Lovelace",
    "x" * 100_000,
    "2026-05-01T25:00:00",
    "\u2028",
    "=cmd|' /C calc'!A0",
]
JUNK_JSON: list[Any] = [
    None,
    True,
    False,
    0,
    -1,
    2,
    1.5,
    1e308,
    10**400,
    -(10**400),
    "",
    " ",
    "N/A",
    "abc",
    "0.5",
    "2030-13-01",
    "9" * 5000,
    "x" * 100_000,
    [],
    [None],
    {},
    {"id": 1},
    [["x"]],
    math.nan,
    math.inf,
    -math.inf,
]


# -- damage ------------------------------------------------------------------------


@st.composite
def damaged_bytes(draw: st.DrawFn, data: bytes) -> bytes:
    kind = draw(
        st.sampled_from(
            [
                "truncate",
                "flip",
                "insert",
                "delete",
                "empty",
                "bom",
                "nul",
                "crlf",
                "cr",
                "duplicate",
                "long",
            ]
        )
    )
    if kind == "truncate":
        return data[: draw(st.integers(0, len(data)))]
    if kind == "empty":
        return draw(st.sampled_from([b"", b"\n", b" \r\n", b"\xef\xbb\xbf"]))
    if kind == "bom":
        return draw(st.sampled_from(BOMS)) + data
    if kind == "crlf":
        return data.replace(b"\n", b"\r\n")
    if kind == "cr":
        return data.replace(b"\n", b"\r")
    at = draw(st.integers(0, max(len(data) - 1, 0)))
    if kind == "flip" and data:
        return (
            data[:at]
            + bytes([data[at] ^ (1 << draw(st.integers(0, 7)))])
            + data[at + 1 :]
        )
    if kind == "insert":
        return data[:at] + draw(st.binary(min_size=1, max_size=8)) + data[at:]
    if kind == "delete":
        return data[:at] + data[at + draw(st.integers(1, 40)) :]
    if kind == "nul":
        return data[:at] + b"\x00" + data[at:]
    lines = data.splitlines(keepends=True) or [b""]
    i = draw(st.integers(0, len(lines) - 1))
    if kind == "duplicate":
        return b"".join([*lines[: i + 1], lines[i], *lines[i + 1 :]])
    return b"".join([*lines[:i], b"x" * 1_000_000 + b"," + lines[i], *lines[i + 1 :]])


def read_rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


def write_rows(rows: list[list[str]]) -> bytes:
    out = io.StringIO(newline="")
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue().encode("utf-8", "surrogatepass")


@st.composite
def damaged_csv(draw: st.DrawFn, text: str) -> bytes:
    rows = read_rows(text)
    width = len(rows[0])
    kind = draw(
        st.sampled_from(
            [
                "cell",
                "cell",
                "drop-column",
                "add-column",
                "rename",
                "duplicate-column",
                "short-row",
                "long-row",
                "swap-columns",
                "header-only",
                "bytes",
            ]
        )
    )
    if kind == "bytes":
        return draw(damaged_bytes(text.encode()))
    column = draw(st.integers(0, width - 1))
    row = draw(st.integers(0, len(rows) - 1))
    if kind == "cell":
        for _ in range(draw(st.integers(1, 3))):
            r, c = draw(st.integers(0, len(rows) - 1)), draw(st.integers(0, width - 1))
            rows[r][c] = draw(st.sampled_from(JUNK_CELLS) | st.text(max_size=10))
    elif kind == "drop-column":
        rows = [r[:column] + r[column + 1 :] for r in rows]
    elif kind == "add-column":
        name = draw(st.sampled_from(["extra", "question", "made", "", "Probability "]))
        rows = [
            [
                *r[:column],
                name if i == 0 else draw(st.sampled_from(JUNK_CELLS)),
                *r[column:],
            ]
            for i, r in enumerate(rows)
        ]
    elif kind == "rename":
        rows[0][column] = draw(
            st.sampled_from(["Question", " forecaster ", "prob", "", "made"])
        )
    elif kind == "duplicate-column":
        rows = [[*r, r[column]] for r in rows]
    elif kind == "short-row":
        rows[row] = rows[row][: draw(st.integers(0, width - 1))]
    elif kind == "long-row":
        rows[row] = rows[row] + draw(
            st.lists(st.sampled_from(JUNK_CELLS), min_size=1, max_size=3)
        )
    elif kind == "swap-columns":
        other = draw(st.integers(0, width - 1))
        for r in rows:
            r[column], r[other] = r[other], r[column]
    else:
        rows = rows[:1]
    data = write_rows(rows)
    if draw(st.integers(0, 3)) == 0:
        data = data.replace(b"\n", b"\r\n")
    return data


def paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every path to a value inside a JSON document."""
    found = [prefix]
    if isinstance(value, dict):
        for key, item in value.items():
            found += paths(item, (*prefix, key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            found += paths(item, (*prefix, i))
    return found


@st.composite
def damaged_json(draw: st.DrawFn, data: bytes) -> bytes:
    document = json.loads(data)
    kind = draw(
        st.sampled_from(["value", "value", "value", "delete", "top", "nest", "bytes"])
    )
    if kind == "bytes":
        return draw(damaged_bytes(data))
    junk = st.sampled_from(JUNK_JSON).map(copy.deepcopy)  # never share a list
    if kind == "top":
        document = draw(junk)
    elif kind == "nest":
        depth = draw(st.sampled_from([10, 900, 990, 1000, 100_000]))
        where = draw(st.sampled_from(paths(document)[1:]))
        parent = document
        for step in where[:-1]:
            parent = parent[step]
        parent[where[-1]] = "__nest__"
        text = json.dumps(document).replace('"__nest__"', "[" * depth + "]" * depth, 1)
        return text.encode()
    else:
        for _ in range(draw(st.integers(1, 3))):
            where = draw(st.sampled_from(paths(document)[1:]))
            parent = document
            for step in where[:-1]:
                parent = parent[step]
            if kind == "delete":
                del parent[where[-1]]
            else:
                parent[where[-1]] = draw(junk | st.text(max_size=8))
    indent = draw(st.sampled_from([None, 1, 4]))
    return json.dumps(document, indent=indent, allow_nan=True).encode(
        "utf-8", "surrogatepass"
    )


# -- running an import ----------------------------------------------------------------


def import_and_check(
    folder: Path, args: list[str], inputs: dict[str, bytes], broken: bool
) -> None:
    """Write `inputs`, run `ledger import ARGS -o OUT`, and check the outcome."""
    for name, data in inputs.items():
        (folder / name).write_bytes(data)
    out = folder / "out.yaml"
    result = CliRunner().invoke(main, ["import", *args, "-o", str(out)])
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    assert result.exit_code in (0, 1), (result.exit_code, result.output[-2000:])
    if result.exit_code == 1:
        assert not out.exists(), "an import that failed wrote its output"
        names = [str(folder / name) for name in inputs]
        assert_printed_errors(result.stderr, *names)
        for line in result.stderr.split("\n"):
            assert not line.startswith(str(out)), line[
                :500
            ]  # the input's fault, not ours
        texts = {str(folder / n): d for n, d in inputs.items()}
        for line in result.stderr.splitlines():
            for name, data in texts.items():
                if line.startswith(name + ":"):
                    number = int(line[len(name) + 1 :].split(":", 1)[0])
                    assert number <= len(re.findall(rb"\r\n|\r|\n", data)) + 1, line[
                        :300
                    ]
        return
    assert not broken, "a certainly broken input was imported"
    _, errors = check(str(out))
    assert errors == [], [str(e) for e in errors[:5]]


@st.composite
def forecastbench_inputs(draw: st.DrawFn) -> tuple[dict[str, bytes], bool]:
    inputs = {f"{name}.json": data for name, data in FORECASTBENCH.items()}
    name = draw(st.sampled_from(sorted(inputs)))
    original = inputs[name]
    damaged = draw(damaged_json(original))
    inputs[name] = damaged
    stripped = original.rstrip()
    broken = len(damaged.rstrip()) < len(stripped) and stripped.startswith(
        damaged.rstrip()
    )
    return inputs, broken or not damaged.strip(b" \r\n\xef\xbb\xbf")


# Crashes the fuzzing found, kept as examples that always run.
FOUND_JSON = [
    # a forecast of 10**400: float() of it overflows
    {
        "forecasts.json": FORECASTBENCH["forecasts"].replace(
            b'"forecast": 0.7', b'"forecast": 1' + b"0" * 400, 1
        )
    },
    # a resolved_to of 10**400: math.isfinite() of it overflows
    {
        "resolutions.json": FORECASTBENCH["resolutions"].replace(
            b'"resolved_to": 1.0', b'"resolved_to": 1' + b"0" * 400, 1
        )
    },
    # an integer of 5,000 digits: json.loads raises ValueError, not JSONDecodeError
    {"questions.json": FORECASTBENCH["questions"].replace(b'"4242"', b"9" * 5000, 1)},
]


@fuzz(120)
@given(forecastbench_inputs())
@example(
    ({**{f"{k}.json": v for k, v in FORECASTBENCH.items()}, **FOUND_JSON[0]}, False)
)
@example(
    ({**{f"{k}.json": v for k, v in FORECASTBENCH.items()}, **FOUND_JSON[1]}, False)
)
@example(
    ({**{f"{k}.json": v for k, v in FORECASTBENCH.items()}, **FOUND_JSON[2]}, True)
)
def test_damaged_forecastbench_sets(case: tuple[dict[str, bytes], bool]) -> None:
    inputs, broken = case
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        args = [
            "forecastbench",
            "--questions",
            str(folder / "questions.json"),
            "--forecasts",
            str(folder / "forecasts.json"),
            "--resolutions",
            str(folder / "resolutions.json"),
        ]
        import_and_check(folder, args, inputs, broken)


@st.composite
def csv_inputs(draw: st.DrawFn) -> tuple[list[str], dict[str, bytes], bool]:
    layout = draw(st.sampled_from(["long", "long", "wide"]))
    if layout == "wide":
        inputs = {"wide.csv": WIDE.encode()}
        args = ["csv", "wide.csv", "--wide", "--deadline", "2030-12-31"]
    else:
        inputs = {"forecasts.csv": LONG.encode(), "outcomes.csv": OUTCOMES.encode()}
        args = ["csv", "forecasts.csv", "--outcomes", "outcomes.csv"]
    name = draw(st.sampled_from(sorted(inputs)))
    damaged = draw(damaged_csv(CSV_FILES[name]))
    inputs[name] = damaged
    return args, inputs, not damaged.strip(b" \r\n\xef\xbb\xbf")


@fuzz(120)
@given(csv_inputs())
def test_damaged_csv_files(case: tuple[list[str], dict[str, bytes], bool]) -> None:
    args, inputs, broken = case
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        args = [str(folder / a) if a.endswith(".csv") else a for a in args]
        import_and_check(folder, args, inputs, broken)


@fuzz(80)
@given(damaged_csv(FATEBOOK))
def test_damaged_fatebook_exports(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        broken = not data.strip(b" \r\n\xef\xbb\xbf")
        import_and_check(
            folder,
            ["fatebook", str(folder / "export.csv")],
            {"export.csv": data},
            broken,
        )
