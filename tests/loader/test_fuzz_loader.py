"""Fuzzing the loader (issue §3, "no input breaks it"): whatever the bytes, `load`
plus `validate` (and `ledger check`) return a clean ledger or errors, each one
`PATH:LINE: message` with LINE inside the file; nothing raises, nothing hangs.
Every text is loaded on both of the loader's paths (`loader.direct` first, and
PyYAML's nodes alone), which must give the same records and errors.

Inputs, all bounded so that an example takes milliseconds (no timing asserts;
the profiles have no deadline):

- YAML documents from recursive strategies: mappings, lists and scalars keyed
  with the ledger's own field names, shaped like a ledger or not, emitted in
  block, flow or mixed style, with a BOM, CRLF or CR line endings;
- mutations of the two shipped ledgers (predictions.yaml, tests/data/sample.yaml):
  deleted, duplicated and swapped lines, swapped indentation, truncation,
  inserted and flipped bytes, values replaced by huge numbers (1e400, 10**400,
  5,000 digits), deep nesting (up to 100,000 levels), strings of up to 1 MB;
- random bytes, behind byte-order marks of several encodings.

A result that loads clean also goes through `rules` (standing forecasts,
outcomes, status); a sample of the clean ones through `ledger list`, `score`,
`due` and `calibration`. The budgets are in tests/fuzzing.py (`ci` by default,
`HYPOTHESIS_PROFILE=deep` for 20 times as many examples).
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import TYPE_CHECKING
from unittest import mock

import yaml
from click.testing import CliRunner, Result
from fuzzing import assert_errors, fuzz, printed
from hypothesis import assume, example, given
from hypothesis import strategies as st

from ledger.cli import main
from ledger.core import rules
from ledger.loader import direct
from ledger.loader.load import load_text
from ledger.loader.nodes import decode
from ledger.validate import validate

if TYPE_CHECKING:
    from ledger.core.model import Error, Ledger

ROOT = Path(__file__).parents[2]
BASES = {
    "predictions.yaml": (ROOT / "predictions.yaml").read_bytes(),
    "sample.yaml": (ROOT / "tests" / "data" / "sample.yaml").read_bytes(),
}
PATH = "fuzz.yaml"
AS_OF = dt.date(2040, 1, 1)
BOM = b"\xef\xbb\xbf"

# -- the property --------------------------------------------------------------


def exercise_rules(ledger: Ledger) -> None:
    """What every command computes first: the standing forecasts and outcomes."""
    questions = rules.index(ledger)
    for question in ledger.questions:
        rules.standing_forecasts(question)
        for as_of in (dt.date(2000, 1, 1), AS_OF, dt.date.max):
            standing = rules.outcome(question, questions, as_of)
            rules.status(question, standing, as_of)


def check_text(text: str, lines: int, path: str = PATH) -> tuple[Ledger, list[Error]]:
    """Load `text` on both of the loader's paths (the direct one, which gives up on
    anything unusual, and PyYAML's nodes alone): the same records and errors."""
    ledger, errors = load_text(text, path)
    with mock.patch.object(direct, "load", lambda text, path: None):
        assert load_text(text, path) == (ledger, errors)
    errors = errors + validate(ledger)
    assert_errors(errors, path, lines=lines)
    if not errors:
        exercise_rules(ledger)
    return ledger, errors


def check_bytes(data: bytes, path: str = PATH) -> tuple[Ledger | None, list[Error]]:
    """Load and validate `data` as `ledger check` does; assert the property."""
    text, errors = decode(data, path)
    # YAML also breaks lines at a lone CR, NEL and U+2028/9; str.splitlines does too
    lines = (
        max(len((text or "").splitlines()), data.count(b"\n"), data.count(b"\r")) + 1
    )
    if text is None:
        assert len(errors) == 1
        assert_errors(errors, path, lines=lines)
        return None, errors
    return check_text(text, lines, path)


def clean_exit(result: Result) -> None:
    """The command ended by returning or by sys.exit, never by an exception."""
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception


# -- scalars and documents with the ledger's vocabulary ---------------------------

HUGE = [
    "1e400",
    "-1e400",
    "1e-400",
    "1e308",
    "1" + "0" * 400,
    "0." + "0" * 400 + "1",
    "9" * 5000,
    "1" + "0" * 400 + "%",
    "+" + "9" * 5000 + "y",
    "+" + "9" * 30 + "d",
    "+1y..+" + "9" * 5000 + "m",
    "[" + "9" * 5000 + ", 1e400]",
    "provisional:1e400",
    "provisional:" + "9" * 5000,
    "9" * 5000 + "-01-01",
    "10000-01-01",
    "9999-12-31",
    "0001-01-01",
    "0000",
    ".nan",
    ".inf",
    "-.inf",
    "nan",
    "inf",
    "0x1F",
    "1_000",
]
DATES = [
    "2025-01-01",
    "2026-02",
    "2027",
    "2025-01-06..2026-04-30",
    "2030..2028",
    "2026-02-30",
    "2025-13-01",
    "02/03/2025",
    "2025-1-5",
    "9999-12-31",
    "9999",
    "today",
    "..",
    "2025..",
    "9" * 5000,
    "9" * 5000 + "-01-01",
    "2025..9999-12-31",
]
PROBABILITIES = [
    "0.7",
    "70%",
    "1e-3",
    ".5",
    "0",
    "1",
    "100%",
    "1.3",
    "-0.1",
    "0,7",
    "70 %",
    "101%",
    "1e400",
    "1e-400",
    "1" + "0" * 400 + "%",
    "0." + "0" * 400 + "1",
    "9" * 5000,
]
WINDOWS = [
    "+2y..+3y",
    "+3y..+2y",
    "+0d..+0d",
    "2028-01-06..2029-04-30",
    "1..2",
    "+2y",
    "..",
    ["2028-01-01", "2029-01-01"],
    ["+10y", None],
    [None, None],
    ["5", "3"],
    ["1", "2"],
    ["+1y"],
    ["1", "2", "3"],
    ["2028", "3"],
    "+1y..+" + "9" * 5000 + "m",
    "+" + "9" * 40 + "d..+" + "9" * 40 + "w",
    ["+" + "9" * 5000 + "y", None],
    ["1e400", "2"],
    ["-1e400", "1e400"],
    "1e400..1e401",
]
RESULTS = [
    "yes",
    "no",
    "true",
    "false",
    "on",
    "off",
    "y",
    "n",
    "YES",
    "0.5",
    "1",
    "0",
    "provisional:0.37",
    "provisional:2",
    "provisional:",
    "void",
    "ambiguous",
    "2026-05-01",
    "2026",
    "12.5",
    "-3",
    "maybe",
    "1e400",
    "-1e400",
    "9" * 5000,
    "provisional:1e400",
    "9" * 5000 + "-01-01",
]
IDS = ["a", "b", "q1", "q2", "alice", "x-y", "A", "-a", "1"]
WORDS = ["likely", "very likely", "probably", "never", "almost certain", "perhaps"]
POOLS: dict[str, list[object]] = {
    "id": IDS,
    "by": ["a", "b", "alice"],
    "source": IDS,
    "condition": IDS,
    "before": IDS,
    "after": IDS,
    "name": ["Alice", "Alice", "", " "],
    "title": ["T", "no", "", "yes"],
    "criteria": ["C", "on"],
    "kind": [
        "binary",
        "binary",
        "date",
        "date",
        "numeric",
        "Binary",
        "interview",
        "other",
    ],
    "deadline": DATES,
    "made": DATES,
    "known": DATES,
    "recorded": DATES,
    "date": DATES,
    "p": PROBABILITIES,
    "window": WINDOWS,
    "basis": ["stated", "mapped", "judged", "stat"],
    "table": ["icd-203", "mauboussin-2018", "icd203"],
    "words": WORDS,
    "result": RESULTS,
    "tags": [["a", "b"], [""], [None], "a"],
    "aliases": [["x"], [""], "x"],
    "links": [["https://x"], []],
    "evidence": [["https://x"], [None]],
    "unit": ["km"],
    "unscorable": ["Never resolves."],
    "note": ["n", ""],
}
FIELDS = {
    "forecaster": ["id", "name", "aliases", "affiliation", "links", "note"],
    "source": ["id", "title", "kind", "url", "date", "note", "licence", "attribution"],
    "question": [
        "id",
        "title",
        "criteria",
        "kind",
        "deadline",
        "tags",
        "unit",
        "condition",
        "order",
        "unscorable",
        "note",
        "forecasts",
        "outcomes",
    ],
    "forecast": [
        "by",
        "made",
        "source",
        "quote",
        "p",
        "window",
        "basis",
        "table",
        "words",
        "note",
    ],
    "outcome": ["result", "known", "recorded", "by", "evidence", "note"],
}
REQUIRED = {
    "forecaster": {"id", "name"},
    "source": {"id", "title", "kind"},
    "question": {"id", "title", "criteria", "kind", "deadline"},
    "forecast": {"by", "made", "basis"},
    "outcome": {"result", "known", "recorded"},
}
KEYS = sorted(
    {k for names in FIELDS.values() for k in names}
    | {"forecasters", "sources", "questions", "before", "after"}
)

SCALARS = st.one_of(
    st.sampled_from(
        sorted({str(v) for pool in POOLS.values() for v in pool if isinstance(v, str)})
    ),
    st.sampled_from(HUGE),
    st.text(max_size=12),
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(),
)
TREES = st.recursive(
    SCALARS,
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(
            st.sampled_from(KEYS) | st.text(max_size=6), children, max_size=5
        )
    ),
    max_leaves=30,
)


@st.composite
def field_value(draw: st.DrawFn, name: str) -> object:
    """Mostly a plausible value for field `name`; sometimes anything at all."""
    if name in ("forecasts", "outcomes"):
        what = "forecast" if name == "forecasts" else "outcome"
        if draw(st.integers(0, 9)) == 0:
            return draw(TREES)
        return draw(st.lists(record(what), max_size=3))
    if name == "order":
        return draw(
            st.fixed_dictionaries(
                {}, optional={k: st.sampled_from(IDS) for k in ("before", "after")}
            )
            | TREES
        )
    pool = POOLS.get(name)
    roll = draw(st.integers(0, 19))
    if pool and roll < 16:
        return draw(st.sampled_from(pool))
    if roll < 19:
        return draw(st.sampled_from(HUGE))
    return draw(TREES)


@st.composite
def record(draw: st.DrawFn, what: str) -> dict[object, object]:
    names = [
        name
        for name in FIELDS[what]
        if draw(st.integers(0, 19)) < (19 if name in REQUIRED[what] else 6)
    ]
    fields: dict[object, object] = {name: draw(field_value(name)) for name in names}
    if draw(st.integers(0, 5)) == 0:  # a stray or misspelt key
        fields[
            draw(
                st.sampled_from(["critera", "dedline", "Title", "p ", "forecast", "x"])
            )
        ] = draw(SCALARS)
    return fields


LEDGERS = st.fixed_dictionaries(
    {"questions": st.lists(record("question"), max_size=4)},
    optional={
        "forecasters": st.lists(record("forecaster"), max_size=3),
        "sources": st.lists(record("source"), max_size=2),
    },
)


@st.composite
def documents(draw: st.DrawFn) -> bytes:
    """A ledger-shaped tree or any tree, emitted as YAML in a random style."""
    tree = draw(LEDGERS if draw(st.integers(0, 3)) else TREES)
    text = yaml.safe_dump(
        tree,
        default_flow_style=draw(st.sampled_from([False, None, True])),
        indent=draw(st.sampled_from([2, 3, 4, 8])),
        width=draw(st.sampled_from([10, 80, 10**6])),
        allow_unicode=draw(st.booleans()),
        explicit_start=draw(st.booleans()),
        sort_keys=False,
    )
    if draw(st.booleans()):
        text = "# yaml-language-server: $schema=./ledger/schema.json\n" + text
    text = text.replace("\n", draw(st.sampled_from(["\n", "\n", "\r\n", "\r"])))
    data = text.encode("utf-8", "surrogatepass")
    return (BOM if draw(st.booleans()) else b"") + data


# -- mutations of the shipped ledgers -----------------------------------------------


@st.composite
def nesting(draw: st.DrawFn) -> bytes:
    depth = draw(st.sampled_from([2, 50, 999, 1000, 1001, 5000, 100_000]))
    closed = draw(st.booleans())
    kind = draw(st.sampled_from(["[", "{a: ", "- ", "{? ", "[{x: "]))
    if kind == "- ":  # block lists, one per line, each indented under the last
        depth = min(depth, 1500)
        return (
            b"".join(b" " * (2 * i) + b"-\n" for i in range(depth))
            + b" " * (2 * depth)
            + b"x"
        )
    closing = {"[": "]", "{a: ": "}", "{? ": "}", "[{x: ": "}]"}[kind]
    return (kind * depth + "x" + (closing * depth if closed else "")).encode()


LONG = st.sampled_from([100, 10_000, 1_000_000]).map(lambda n: b"x" * n)
LONG_QUOTED = st.sampled_from([10_000, 1_000_000]).map(
    lambda n: b'"' + b"\\u00e9" * (n // 6) + b'"'
)
VALUES = st.one_of(
    st.sampled_from([v.encode() for v in HUGE]),
    st.sampled_from([str(v).encode() for pool in POOLS.values() for v in pool]),
    st.sampled_from(
        [
            b"*x",
            b"&x a",
            b"!!python/none",
            b"!!binary aGk=",
            b"|",
            b">-",
            b"'",
            b'"',
            b"[",
            b"{",
            b"? a",
            b"<<: *x",
        ]
    ),
    nesting(),
    LONG,
    LONG_QUOTED,
    st.binary(max_size=20),
)


EDITS = (
    "value",
    "value",
    "value",
    "delete",
    "duplicate",
    "swap",
    "indent",
    "swap-indent",
    "truncate",
    "insert",
    "flip",
    "nest",
    "key",
)


@st.composite
def mutated(
    draw: st.DrawFn, base: bytes | None = None, edits: tuple[str, ...] = EDITS
) -> bytes:
    """A shipped ledger with 1-5 random edits."""
    if base is None:
        base = BASES[draw(st.sampled_from(sorted(BASES)))]
    lines = base.splitlines(keepends=True)
    for _ in range(draw(st.integers(1, 5))):
        if not lines:
            break
        at = draw(st.integers(0, len(lines) - 1))
        other = draw(st.integers(0, len(lines) - 1))
        edit = draw(st.sampled_from(edits))
        line = lines[at]
        body = line.lstrip(b" -")
        head = line[: len(line) - len(body)]
        if edit == "value":
            key, colon, _ = body.partition(b": ")
            if colon:
                lines[at] = head + key + b": " + draw(VALUES) + b"\n"
        elif edit == "key":
            _, colon, rest = body.partition(b":")
            key = draw(
                st.sampled_from([k.encode() for k in KEYS])
                | LONG
                | st.binary(max_size=8)
            )
            lines[at] = head + key + b":" + (rest if colon else b" x\n")
        elif edit == "delete":
            del lines[at]
        elif edit == "duplicate":
            lines.insert(at, line)
        elif edit == "swap":
            lines[at], lines[other] = lines[other], lines[at]
        elif edit == "indent":
            lines[at] = draw(st.sampled_from([b" ", b"\t", b"  "])) * draw(
                st.integers(0, 12)
            ) + line.lstrip(b" \t")
        elif edit == "swap-indent":
            mine, theirs = line.lstrip(b" "), lines[other].lstrip(b" ")
            lines[at] = lines[other][: len(lines[other]) - len(theirs)] + mine
            lines[other] = line[: len(line) - len(mine)] + theirs
        elif edit == "truncate":
            data = b"".join(lines)
            lines = data[: draw(st.integers(0, len(data)))].splitlines(keepends=True)
        elif edit == "insert":
            cut = draw(st.integers(0, len(line)))
            lines[at] = (
                line[:cut]
                + draw(st.binary(min_size=1, max_size=8) | VALUES)
                + line[cut:]
            )
        elif edit == "flip":
            if line:
                i = draw(st.integers(0, len(line) - 1))
                flipped = line[i] ^ (1 << draw(st.integers(0, 7)))
                lines[at] = line[:i] + bytes([flipped]) + line[i + 1 :]
        else:  # nest
            lines.insert(at, head + b"n: " + draw(nesting()) + b"\n")
    data = b"".join(lines)
    ending = draw(st.sampled_from([b"\n", b"\n", b"\n", b"\r\n", b"\r"]))
    if ending != b"\n":
        data = data.replace(b"\n", ending)
    return (BOM if draw(st.integers(0, 4)) == 0 else b"") + data


PREFIXES = [
    b"",
    BOM,
    b"\xff\xfe",
    b"\xfe\xff",
    b"\x00\x00\xfe\xff",
    b"%YAML 1.1\n---\n",
    b"---\n",
    b"\x00",
]


@st.composite
def binaries(draw: st.DrawFn) -> bytes:
    """Random bytes, or a ledger in another encoding, behind a byte-order mark."""
    if draw(st.integers(0, 4)) == 0:
        base = BASES[draw(st.sampled_from(sorted(BASES)))].decode("utf-8")
        encoding = draw(
            st.sampled_from(["utf-16", "utf-16-le", "utf-32", "latin-1", "cp1252"])
        )
        data = base.encode(encoding, "replace")
        return data[: draw(st.integers(0, len(data)))]
    return draw(st.sampled_from(PREFIXES)) + draw(st.binary(max_size=4000))


# -- the tests ---------------------------------------------------------------------


# Crashes the fuzzing found, kept as examples that always run:
# a horizon of more digits than int() reads (ValueError from dates.parse_offset).
FOUND = [
    b"questions:\n- {id: q, title: T, criteria: C, kind: date, deadline: 2030, forecasts:"
    b" [{by: a, made: 2025, window: +1y..+" + b"9" * 5000 + b"m, basis: stated}]}\n",
]


@fuzz(200)
@given(documents())
@example(FOUND[0])
def test_generated_documents_load_or_say_why(data: bytes) -> None:
    check_bytes(data)


@fuzz(100)
@given(TREES)
def test_generated_text_with_any_characters_loads_or_says_why(tree: object) -> None:
    """Through the Python API, as `str`: lone surrogates included."""
    text = yaml.safe_dump(tree, allow_unicode=True)
    check_text(text, len(text.splitlines()) + 1)


@fuzz(400)
@given(mutated())
def test_mutated_ledgers_load_or_say_why(data: bytes) -> None:
    check_bytes(data)


@fuzz(150)
@given(binaries())
def test_random_bytes_load_or_say_why(data: bytes) -> None:
    check_bytes(data)


@fuzz(60)
@given(st.one_of(mutated(), documents(), binaries()))
def test_ledger_check_exits_0_or_1_with_path_line_errors(
    tmp_path_factory, data: bytes
) -> None:
    path = tmp_path_factory.mktemp("check") / "fuzz.yaml"
    path.write_bytes(data)
    _, errors = check_bytes(data, str(path))
    result = CliRunner().invoke(main, ["check", str(path)])
    clean_exit(result)
    assert result.exit_code == (1 if errors else 0), result.output[:2000]
    assert result.stdout == ""
    assert result.stderr == printed(errors)
    result = CliRunner().invoke(main, ["check", "--json", str(path)])
    clean_exit(result)
    assert result.exit_code == (1 if errors else 0)
    if errors:
        items = json.loads(result.stdout)
        assert [(i["path"], i["line"]) for i in items] == [
            (str(path), e.location.line)
            for e in sorted(errors, key=lambda e: e.location)
        ]


@fuzz(40)
@given(mutated(BASES["sample.yaml"], ("value", "delete", "duplicate")))
def test_what_loads_clean_can_be_listed_scored_and_dated(
    tmp_path_factory, data: bytes
) -> None:
    """A mutation that still passes `check` goes through the reading commands."""
    _, errors = check_bytes(data)
    assume(not errors)
    path = tmp_path_factory.mktemp("clean") / "fuzz.yaml"
    path.write_bytes(data)
    for command in (
        ["list", "--format", "json"],
        ["score", "--format", "json", "--provisional"],
        ["score", "--by", "forecaster", "--by", "horizon", "--time-averaged"],
        ["calibration", "--format", "json"],
        ["due", "--format", "json"],
    ):
        result = CliRunner().invoke(
            main, [*command, str(path), "--as-of", "2030-01-01"]
        )
        clean_exit(result)
        assert result.exit_code == 0, (command, result.output[:2000])
