"""Fuzzing the writing commands (issue §3): a bad argument never changes a byte.

tests/test_record_properties.py already shows that a valid `ledger forecast` or
`ledger resolve` on a generated ledger adds exactly its record and inserts only
its lines. These tests reuse its generated ledgers and add what it does not
try:

- invalid arguments: probabilities out of range or malformed (`1.3`, `1e400`,
  `nan`, 5,000 digits), impossible, ambiguous and relative dates, dates after
  the deadline or before the forecasts, unknown questions, forecasters and
  sources, results that do not fit the question's kind, windows that end before
  they start, a mapped or judged forecast without its table or note, ids that
  are not slugs or already exist. Each gives exit 1 (`PATH:LINE: message`
  lines) or 2 (a usage error), no traceback, and a byte-identical file with no
  temporary file left beside it;
- any text in the free-text fields (quote, note, evidence, name): control
  characters, line breaks, quotes, lone surrogates, strings of up to 1 MB.
  Either the edit is made and the text reads back exactly, or it is refused
  (exit 2) and the file is unchanged.

Budgets: tests/fuzzing.py (`HYPOTHESIS_PROFILE=deep` for 20 times more).
"""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

from click.testing import CliRunner, Result
from fuzzing import assert_printed_errors, fuzz
from hypothesis import given
from hypothesis import strategies as st
from recording import added, clean, load_bytes
from test_record_properties import FORECASTERS, ledgers

from ledger.cli import main
from ledger.loader.fields import text_problem

BAD_P = [
    "1.3",
    "-0.1",
    "101%",
    "abc",
    "nan",
    "inf",
    "-inf",
    "1e400",
    "9" * 5000,
    "70 %",
    "0,7",
    "",
    " ",
    "0x1",
    "\u00bd",
    "1/2",
    "70%%",
    "%",
    "1e",
    "\x00",
]
BAD_DATES = [
    "2025-13-01",
    "2025-02-30",
    "02/03/2025",
    "2025-1-5",
    "+2y",
    "today",
    "0000",
    "9" * 5000,
    "9" * 5000 + "-01-01",
    "2030..2028",
    "..",
    "2026-",
    "",
    "\n",
    "2026-01-01\x00",
]
BAD_WINDOWS = [
    "+3y..+1y",
    "2029-01-01..2028-01-01",
    "a..b",
    "+2y",
    "+" + "9" * 5000 + "y..+1y",
    "+1y..+" + "9" * 40 + "d",
    "1..2",
    "[2028, 2029]",
    "",
]
BAD_IDS = ["nope", "q9", "Q0", "q 0", "", "-", "q0\n", "\u0000"]
TEXT = st.text(st.characters(exclude_categories=()), max_size=40) | st.sampled_from(
    [
        "\x00",
        "\x1b[31mred\x1b[0m",
        "a\nb",
        "a\r\nb",
        "\r",
        "\u2028",
        "\u0085",
        "\ufeff",
        '"',
        "'",
        "\\",
        "# not a comment",
        "- x",
        "key: value",
        "{a: b}",
        "[",
        "*x",
        "&x",
        "!!python/none",
        "\ud800",
        "x" * 1_000_000,
        "é" * 100_000,
    ]
)


def run(path: Path, args: list[str]) -> Result:
    return CliRunner().invoke(main, [args[0], "-f", str(path), *args[1:]])


def assert_refused(result: Result, path: Path, old: bytes) -> None:
    """Exit 1 with `PATH:LINE: message` lines, or 2 with a usage error; nothing written."""
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    assert result.exit_code in (1, 2), (result.exit_code, result.output[-2000:])
    assert path.read_bytes() == old
    leftovers = [n for n in os.listdir(path.parent) if n.endswith(".tmp")]
    assert leftovers == []
    assert "added" not in result.stdout
    if result.exit_code == 1:
        assert_printed_errors(result.stderr, str(path))
    else:
        assert "Error: " in result.stderr, result.stderr[-2000:]


@st.composite
def bad_forecasts(draw: st.DrawFn, info: dict) -> list[str]:
    """`ledger forecast` arguments with at least one thing wrong."""
    q = draw(st.sampled_from(info["questions"]))
    qid, by = q["id"], draw(st.sampled_from(FORECASTERS))
    made = f"2026-0{draw(st.integers(2, 6))}-{draw(st.integers(10, 28))}"
    claim = ["--p", "0.6"] if q["kind"] == "binary" else ["--window", "+1y..+3y"]
    extra: list[str] = []
    wrong = draw(
        st.sampled_from(
            [
                "p",
                "made",
                "late",
                "question",
                "by",
                "window",
                "claim",
                "mapped",
                "judged",
                "source",
            ]
        )
    )
    if wrong == "p":
        claim = ["--p", draw(st.sampled_from(BAD_P))] + (
            [] if q["kind"] == "binary" else ["--window", "+1y..+3y"]
        )
    elif wrong == "made":
        made = draw(st.sampled_from(BAD_DATES))
    elif wrong == "late":  # after the deadline (2030-12-31)
        made = draw(st.sampled_from(["2031-01-01", "2031", "2031-01..2031-02", "9999"]))
    elif wrong == "question":
        qid = draw(st.sampled_from(BAD_IDS))
    elif wrong == "by":
        by = draw(st.sampled_from(["zed", "Ann", "ann ", "ANN", "a\nb", "-"]))
    elif wrong == "window":
        claim = ["--window", draw(st.sampled_from(BAD_WINDOWS))]
        if q["kind"] == "date":
            claim += ["--p", "0.5"]
    elif wrong == "claim":  # a window on a binary question, a bare p on a date one
        claim = ["--window", "+1y..+2y"] if q["kind"] == "binary" else ["--p", "0.5"]
    elif wrong == "mapped":
        extra = [
            "--basis",
            "mapped",
            *draw(
                st.sampled_from(
                    [
                        [],
                        ["--table", "icd-203"],
                        ["--words", "likely"],
                        ["--table", "nope", "--words", "likely"],
                        ["--table", "icd-203", "--words", "perhaps"],
                        ["--table", "icd-203", "--words", "likely", "--p", "0.9"],
                    ]
                )
            ),
        ]
        if q["kind"] == "binary":
            claim = [a for a in claim if a not in ("--p", "0.6")]
    elif wrong == "judged":
        extra = ["--basis", "judged"]
    else:
        extra = ["--source", draw(st.sampled_from(["nope", "Blog", "a b"]))]
    if draw(st.booleans()):
        extra += ["--quote", draw(TEXT)]
    return ["forecast", qid, "--by", by, "--made", made, *claim, *extra]


@st.composite
def bad_resolutions(draw: st.DrawFn, info: dict) -> list[str]:
    """`ledger resolve` arguments with at least one thing wrong."""
    q = draw(st.sampled_from(info["questions"]))
    qid = q["id"]
    result = "yes" if q["kind"] == "binary" else "2026-09-15"
    known = f"2026-09-{draw(st.integers(10, 28))}"
    wrongs = ["result", "known", "future", "question"]
    if q["forecasts"] == "block":  # it has forecasts, made in 2025
        wrongs.append("early")
    wrong = draw(st.sampled_from(wrongs))
    if wrong == "result":
        if q["kind"] == "binary":
            result = draw(
                st.sampled_from(
                    [
                        "on",
                        "off",
                        "y",
                        "n",
                        "maybe",
                        "1.5",
                        "-1",
                        "provisional:2",
                        "provisional:",
                        "2026-05-01",
                        "12",
                        "",
                        "1e400",
                        "nan",
                        "9" * 5000,
                    ]
                )
            )
        else:
            result = draw(
                st.sampled_from(
                    [
                        "yes",
                        "0.5",
                        "provisional:0.3",
                        "maybe",
                        "2026-02-30",
                        "on",
                        "",
                        "9" * 5000 + "-01-01",
                        "12.5",
                        "02/03/2026",
                    ]
                )
            )
    elif wrong == "known":
        known = draw(st.sampled_from(BAD_DATES))
    elif wrong == "future":  # known after it is recorded (today)
        known = draw(st.sampled_from(["2999-01-01", "9999-12-31", "2999"]))
    elif wrong == "early":  # known before the forecasts (made in 2025) were made
        known = draw(st.sampled_from(["2020-01-01", "2024-12-31", "2001"]))
    else:
        qid = draw(st.sampled_from(BAD_IDS))
    args = ["resolve", qid, result, "--known", known]
    if draw(st.booleans()):
        args += ["--note", draw(TEXT), "--evidence", draw(TEXT)]
    return args


@st.composite
def bad_additions(draw: st.DrawFn, info: dict) -> list[str]:
    """`ledger add` or `ledger forecaster add` with a taken or malformed id, or a bad date."""
    if draw(st.booleans()):
        fid = draw(st.sampled_from([*FORECASTERS, "Zed", "z z", "-z", "\u00e9"]))
        return [
            "forecaster",
            "add",
            "--id",
            fid,
            "--name",
            draw(TEXT.filter(str.strip)),
        ]
    qid = draw(
        st.sampled_from([q["id"] for q in info["questions"]] + ["Q-9", "q 9", "_"])
    )
    deadline = "2031-12-31"
    if qid.startswith("q") and " " not in qid and draw(st.booleans()):
        qid = "q-new"
        deadline = draw(st.sampled_from(BAD_DATES))
    return [
        "add",
        "--id",
        qid,
        "--title",
        "T",
        "--criteria",
        "C",
        "--kind",
        "binary",
        "--deadline",
        deadline,
    ]


@fuzz(80)
@given(st.data())
def test_a_bad_argument_changes_no_byte(data: st.DataObject) -> None:
    info = data.draw(ledgers())
    old = info["data"]
    kind = data.draw(
        st.sampled_from(["forecast", "forecast", "resolve", "resolve", "add"])
    )
    strategy = {
        "forecast": bad_forecasts,
        "resolve": bad_resolutions,
        "add": bad_additions,
    }
    args = data.draw(strategy[kind](info))
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "ledger.yaml"
        path.write_bytes(old)
        assert_refused(run(path, args), path, old)


@st.composite
def free_text_edits(draw: st.DrawFn, info: dict) -> tuple[list[str], dict[str, str]]:
    """A valid edit whose free-text fields hold anything at all."""
    q = draw(st.sampled_from(info["questions"]))
    if draw(st.booleans()):
        quote, note = draw(TEXT), draw(TEXT)
        claim = ["--p", "0.6"] if q["kind"] == "binary" else ["--window", "+1y..+3y"]
        args = [
            "forecast",
            q["id"],
            "--by",
            draw(st.sampled_from(FORECASTERS)),
            "--made",
            "2026-03-15",
            *claim,
            "--quote",
            quote,
            "--note",
            note,
        ]
        return args, {"quote": quote, "note": note}
    note, evidence = draw(TEXT), draw(TEXT)
    result = "yes" if q["kind"] == "binary" else "2026-09-15"
    args = [
        "resolve",
        q["id"],
        result,
        "--known",
        "2026-09-15",
        "--note",
        note,
        "--evidence",
        evidence,
    ]
    return args, {"note": note, "evidence": (evidence,)}


SURROGATE = re.compile("[\ud800-\udfff]")


@fuzz(50)
@given(st.data())
def test_any_free_text_is_written_exactly_or_refused(data: st.DataObject) -> None:
    info = data.draw(ledgers())
    old = info["data"]
    old_ledger = clean(old)
    args, expect = data.draw(free_text_edits(info))
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "ledger.yaml"
        path.write_bytes(old)
        result = run(path, args)
        texts = [expect.get("quote", ""), expect["note"], *expect.get("evidence", ())]
        if any(SURROGATE.search(text) for text in texts):
            assert_refused(result, path, old)  # not valid text: a usage error
            assert result.exit_code == 2
            return
        fields = [(name, text) for name in ("quote", "note") if (text := expect.get(name))]
        fields += [("evidence", link) for link in expect.get("evidence", ())]
        if any(not v.strip() or text_problem(v, name) for name, v in fields
               if name == "evidence" or v.strip()):
            # a blank link, invisible text or a control character in a link:
            # a PATH:LINE error
            assert_refused(result, path, old)
            assert result.exit_code == 1
            return
        if result.exception is not None and not isinstance(
            result.exception, SystemExit
        ):
            raise result.exception
        assert result.exit_code == 0, result.output[-2000:]
        new = path.read_bytes()
    _, errors = load_bytes(new)
    assert errors == []
    _, entry = added(old_ledger, clean(new))
    for name, value in expect.items():
        assert getattr(entry, name) == value, name
