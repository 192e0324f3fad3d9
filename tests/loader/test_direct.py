"""The loader's two paths give the same records (issue 19, the cold load).

`loader.direct` builds a clean ledger straight from `loader.scan`'s reading of
its text; whatever is unusual falls back to composing the text with PyYAML
and reading the nodes with `loader.records`, which alone reports errors. Both
paths run here, and their results are compared:

- on every case of the error catalogue (tests/errors): the direct path gives
  up, or (where only validation finds the problem) gives exactly the
  composed path's records; and `ledger check` prints the catalogued output
  with the direct path turned off as well as on;
- on random valid ledgers written in every style the subset reads (block and
  flow records, every scalar style, comments, blank lines, indentless lists):
  the direct path reads each one, with the composed path's records;
- on random edits of those and of the shipped ledgers: the direct path gives
  up or gives the same records, and never gives records for a text the
  composed path refuses.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from fuzzing import fuzz
from hypothesis import example, given
from hypothesis import strategies as st

from ledger.cli import main
from ledger.core.model import Error, Ledger
from ledger.loader import direct, nodes, records, scan
from ledger.loader.fields import PARAGRAPHS
from ledger.loader.load import load_text

ROOT = Path(__file__).parents[2]
ERRORS = ROOT / "tests" / "errors"
CASES = sorted(ERRORS.glob("*.yaml"))
SHIPPED = [ROOT / "predictions.yaml", ROOT / "tests" / "data" / "sample.yaml"]
PATH = "t.yaml"


def composed(text: str, path: str = PATH) -> tuple[Ledger, list[Error]]:
    """The composed path: PyYAML's node tree read by `records`."""
    root, errors = nodes.compose(text, path)
    if errors:
        return Ledger(path=path), errors
    return records.read_root(root, path)


def fast(text: str, path: str = PATH) -> tuple[Ledger, list[Error]] | None:
    """The direct path, or None where it gives up (any other exception fails)."""
    try:
        return direct.build(text, path)
    except scan.Unsupported:
        return None


def assert_same(text: str, path: str = PATH, *, read: bool = False) -> None:
    """The direct path gives up or gives the composed records; with `read`, it reads."""
    found = fast(text, path)
    if read:
        assert found is not None, "the direct path gave up on a text in its subset"
    if found is not None:
        expected = composed(text, path)
        assert expected[1] == [], "the direct path read a text the loader refuses"
        assert found == expected


# -- the error catalogue ---------------------------------------------------------


@pytest.mark.parametrize("case", CASES, ids=lambda path: path.stem)
def test_each_catalogue_case_gives_up_or_gives_the_composed_records(case: Path) -> None:
    text = nodes.decode(case.read_bytes(), case.name)[0]
    if text is not None:
        assert_same(text, case.name)


def test_the_direct_path_reads_the_catalogue_cases_that_only_validation_refuses() -> None:
    texts = {case: nodes.decode(case.read_bytes(), case.name)[0] for case in CASES}
    read = [case.stem for case, text in texts.items() if text and fast(text, case.name)]
    assert {"duplicate-question-id", "unknown-forecaster", "condition-cycle"} <= set(read)


@pytest.mark.parametrize("path", ["direct", "composed"])
@pytest.mark.parametrize("case", CASES, ids=lambda path: path.stem)
def test_check_prints_the_catalogue_on_both_paths(
    monkeypatch: pytest.MonkeyPatch, case: Path, path: str
) -> None:
    if path == "composed":
        monkeypatch.setattr(direct, "load", lambda text, path: None)
    monkeypatch.chdir(ERRORS)
    result = CliRunner().invoke(main, ["check", case.name])
    expected = case.with_suffix(".txt").read_text(encoding="utf-8")
    assert (result.exit_code, result.stderr) == (1, expected)


# -- ledgers the subset reads -------------------------------------------------------


@pytest.mark.parametrize("path", SHIPPED, ids=lambda path: path.name)
def test_the_shipped_ledgers_are_read_directly(path: Path) -> None:
    assert_same(path.read_text("utf-8"), path.name, read=True)


def test_what_the_ledgers_writers_write_is_read_directly() -> None:
    from ledger.record.emit import ledger_text

    ledger, errors = load_text((ROOT / "predictions.yaml").read_text("utf-8"), "p.yaml")
    assert errors == []
    text = ledger_text(
        "Written by emit.ledger_text", ledger.forecasters, ledger.sources, ledger.questions
    )
    assert_same(text, read=True)


def test_the_benchmark_ledger_is_read_directly(tmp_path: Path) -> None:
    import sys

    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        import bench_all
    finally:
        sys.path.pop(0)
    file = tmp_path / "ledger.yaml"
    bench_all.generate(file, 300)
    assert_same(file.read_text("utf-8"), read=True)


# Texts with YAML's special characters, which each scalar style must carry.
WORDS = st.text(
    st.sampled_from(list("abcxyzABC019 .-_:#'\"[]{},&*!|>%@`?~\\/é–😀\u00a0")),
    min_size=1,
    max_size=24,
).filter(
    lambda text: text.strip()
    and text.strip(" ") == text.strip()
    and text not in ("~", "null", "Null", "NULL")
)
SLUGS = st.from_regex(r"[a-z][a-z0-9-]{0,8}", fullmatch=True)
DAYS = st.dates(dt.date(1900, 1, 1), dt.date(2100, 12, 31)).map(dt.date.isoformat)
DATES = st.one_of(
    DAYS,
    DAYS.map(lambda day: day[:7]),
    DAYS.map(lambda day: day[:4]),
    st.sampled_from(["2026-01-06..2026-04-30", "2025..2027"]),
)
PROBABILITIES = st.one_of(
    st.sampled_from(["0.7", "70%", "1e-3", ".5", "0", "1", "12.5%", "100%"]),
    st.floats(0, 1).map(repr),
)


class Items(list[str]):
    """A list of records, each already written out (not a list of texts)."""


def plain(text: str, where: str) -> bool:
    """Whether `text` written plain reads back as itself (PyYAML decides).

    `where`: "flow" (in a flow collection), "item" (a block list's) or "value".
    """
    document = {"flow": "{k: %s}", "item": "k:\n- %s", "value": "k: %s"}[where] % text
    try:
        node = yaml.compose(document, Loader=yaml.CBaseLoader)
    except yaml.YAMLError:
        return False
    value = node.value[0][1]
    if where == "item":
        value = value.value[0] if isinstance(value, yaml.SequenceNode) else value
    return isinstance(value, yaml.ScalarNode) and value.value == text and not value.style


@st.composite
def scalar(
    draw: st.DrawFn, text: str, where: str, indent: int, breaks: bool = False
) -> str:
    """`text` as a scalar in one of the styles the subset reads, as `plain` places it.

    With `breaks` (a paragraph field), also as a literal block, whose lines keep
    their breaks: one-line text refuses a line break.
    """
    # The subset's plain scalars start with neither `:` nor `?`, and in a flow
    # collection hold no `#` or `?` and start with no `-`.
    subset = text[0] not in ":?" and (
        where != "flow" or not ("#" in text or "?" in text or text[0] == "-")
    )
    styles = ["double", "single"] + (["plain"] * 3 if subset and plain(text, where) else [])
    if where == "value" and " " in text and "\n" not in text and text[0] != " ":
        styles += [">-", ">"] + (["|-", "|"] if breaks else [])
    style = draw(st.sampled_from(styles))
    if style == "plain":
        return text
    if style == "double":
        return json.dumps(text, ensure_ascii=draw(st.booleans()) and text.isascii())
    if style == "single":
        return "'" + text.replace("'", "''") + "'"
    words = text.split(" ")
    cuts = draw(st.sets(st.integers(1, len(words) - 1), max_size=3)) if len(words) > 1 else set()
    lines, start = [], 0
    for cut in sorted(cuts):
        if words[cut - 1] and words[cut]:  # a line ends and starts with a word
            lines.append(" ".join(words[start:cut]))
            start = cut
    lines.append(" ".join(words[start:]))
    pad = " " * (indent + draw(st.sampled_from([2, 4])))
    return style + "".join("\n" + pad + line for line in lines)


@st.composite
def listing(draw: st.DrawFn, texts: list[str], indent: int, step: int) -> str:
    """A list of scalars after its key: `[a, b]` or a block list on the next lines."""
    if not texts or draw(st.booleans()):
        return " [" + ", ".join(draw(scalar(t, "flow", 0)) for t in texts) + "]"
    at = indent + (0 if draw(st.booleans()) else step)
    return "".join("\n" + " " * at + "- " + draw(scalar(t, "item", at)) for t in texts)


@st.composite
def block(draw: st.DrawFn, fields: list[tuple[str, object]], dash: int, step: int) -> str:
    """A record as a block mapping, its `-` at column `dash`."""
    key = dash + 2
    lines = []
    for i, (name, value) in enumerate(fields):
        head = " " * dash + "- " if i == 0 else " " * key
        if isinstance(value, list) and not isinstance(value, Items):
            body = draw(listing(value, key, step))
        elif isinstance(value, Items):
            at = key + (0 if draw(st.booleans()) else step)
            body = "".join("\n" + item for item in value) if value else " []"
            body = body.replace("\n" + " " * (key + step), "\n" + " " * at)
        elif isinstance(value, dict):
            body = (
                " {" + ", ".join(f"{k}: {v}" for k, v in value.items()) + "}"
                if draw(st.booleans())
                else "".join(f"\n{' ' * (key + step)}{k}: {v}" for k, v in value.items())
            )
        else:
            body = " " + draw(scalar(str(value), "value", key, name in PARAGRAPHS))
            if "\n" not in body and draw(st.integers(0, 5)) == 0:
                body += "  # a comment"
        lines.append(f"{head}{name}:{body}")
        if draw(st.integers(0, 9)) == 0:
            lines.append(draw(st.sampled_from(["", " " * key + "# a note", "# column 0"])))
    return "\n".join(lines)


@st.composite
def flowing(draw: st.DrawFn, fields: list[tuple[str, object]], dash: int) -> str:
    """A record as a one-line flow mapping `- {k: v, ...}`."""
    parts = []
    for name, value in fields:
        if isinstance(value, list):
            items = ", ".join(draw(scalar(v, "flow", 0)) for v in value)
            parts.append(f"{name}: [{items}]")
        else:
            parts.append(f"{name}: {draw(scalar(str(value), 'flow', 0))}")
    comment = "  # a comment" if draw(st.integers(0, 5)) == 0 else ""
    return " " * dash + "- {" + ", ".join(parts) + "}" + comment


@st.composite
def record(draw: st.DrawFn, fields: list[tuple[str, object]], dash: int, step: int) -> str:
    """A record in block or, when it holds no list of records, flow style."""
    order = draw(st.permutations(fields))
    nested = any(name in ("forecasts", "outcomes", "order") for name, _ in order)
    if not nested and draw(st.booleans()):
        return draw(flowing(order, dash))
    return draw(block(order, dash, step))


@st.composite
def forecast(draw: st.DrawFn, kind: str) -> list[tuple[str, object]]:
    fields: list[tuple[str, object]] = [("by", draw(SLUGS)), ("made", draw(DATES))]
    if kind == "binary":
        basis = draw(st.sampled_from(["stated", "judged", "mapped"]))
        if basis == "mapped":
            fields += [("table", "icd-203"), ("words", draw(st.sampled_from(["likely", "Very Likely"])))]
        else:
            fields.append(("p", draw(PROBABILITIES)))
    else:
        basis = "stated"
        ends = ["+1y", "+2y"] if kind == "date" else ["1.5", "10"]
        if draw(st.booleans()):
            fields.append(("window", ends))
        else:
            fields.append(("window", "..".join(ends)))
        if draw(st.booleans()):
            fields.append(("p", draw(PROBABILITIES)))
    fields.append(("basis", basis))
    if basis == "judged" or draw(st.booleans()):
        fields.append(("note", draw(WORDS)))
    if draw(st.booleans()):
        fields.append(("quote", draw(WORDS)))
    if draw(st.booleans()):
        fields.append(("source", draw(SLUGS)))
    return fields


@st.composite
def question(draw: st.DrawFn, dash: int, step: int) -> str:
    kind = draw(st.sampled_from(["binary", "date", "numeric"]))
    fields: list[tuple[str, object]] = [
        ("id", draw(SLUGS)),
        ("title", draw(WORDS)),
        ("criteria", draw(WORDS)),
        ("kind", kind),
        ("deadline", draw(DATES)),
    ]
    if draw(st.booleans()):
        fields.append(("tags", draw(st.lists(WORDS, max_size=3))))
    if kind == "numeric":
        fields.append(("unit", draw(WORDS)))
    if kind == "binary" and draw(st.integers(0, 4)) == 0:
        fields.append(("order", {"before": draw(SLUGS), "after": draw(SLUGS)}))
    if draw(st.integers(0, 4)) == 0:
        fields.append(("condition", draw(SLUGS)))
    inner = dash + 2 + step  # the `-` of its forecasts and outcomes
    items = [
        draw(record(draw(forecast(kind)), inner, step))
        for _ in range(draw(st.integers(0, 3)))
    ]
    fields.append(("forecasts", Items(items)))
    if draw(st.booleans()):
        result = {"binary": "yes", "date": "2027-01-01", "numeric": "4.5"}[kind]
        outcome: list[tuple[str, object]] = [
            ("result", draw(st.sampled_from([result, "void", "ambiguous"]))),
            ("known", "2027-01-01"),
            ("recorded", "2027-01-02"),
        ]
        if draw(st.booleans()):
            outcome.append(("evidence", draw(st.lists(WORDS, min_size=1, max_size=2))))
        fields.append(("outcomes", Items([draw(record(outcome, inner, step))])))
    return draw(record(fields, dash, step))


@st.composite
def ledgers(draw: st.DrawFn) -> str:
    """A valid ledger's text in any of the styles the subset reads."""
    step = draw(st.sampled_from([2, 4]))
    dash = draw(st.sampled_from([0, step]))  # indentless top-level lists, or not
    parts = ["# a ledger"] if draw(st.booleans()) else []
    if draw(st.booleans()):
        people = [
            [("id", draw(SLUGS)), ("name", draw(WORDS))]
            + ([("aliases", draw(st.lists(WORDS, max_size=2)))] if draw(st.booleans()) else [])
            for _ in range(draw(st.integers(1, 3)))
        ]
        parts += ["forecasters:"] + [draw(record(p, dash, step)) for p in people]
    if draw(st.booleans()):
        kinds = st.sampled_from(["interview", "post", "dataset"])
        source = [("id", draw(SLUGS)), ("title", draw(WORDS)), ("kind", draw(kinds))]
        parts += ["sources:", draw(record(source, dash, step))]
    questions = [draw(question(dash, step)) for _ in range(draw(st.integers(1, 3)))]
    parts += ["questions:", *questions]
    if draw(st.integers(0, 5)) == 0:
        parts.append("include: [" + draw(SLUGS) + ".yaml]")
    return "\n".join(parts) + draw(st.sampled_from(["\n", "", "\n\n"]))


@fuzz(300)
@given(ledgers())
def test_random_ledgers_in_the_subset_are_read_directly_with_the_same_records(
    text: str,
) -> None:
    assert_same(text, read=True)


# -- edits: whatever the direct path reads, it reads as the composed path does ------


EDITS = [*":#'\"-[]{},&*!|>%@`? \t\r\n\\~", "\u2028", "\x85", "---", "...", "null", ""]


@st.composite
def edited(draw: st.DrawFn) -> str:
    """A valid ledger, or a shipped one, with a few characters changed."""
    if draw(st.booleans()):
        text = draw(ledgers())
    else:
        text = draw(st.sampled_from(SHIPPED)).read_text("utf-8")
    for _ in range(draw(st.integers(1, 3))):
        at = draw(st.integers(0, len(text)))
        cut = draw(st.integers(0, 3))
        text = text[:at] + draw(st.sampled_from(EDITS)) + text[at + cut :]
    return text


@fuzz(500)
@given(edited())
@example("questions:\n- id: a\n  title: b: c\n")
@example("questions: []\nquestions: []\n")
@example("questions:\n  - {id: a, id: b}\n")
@example("questions:\n  - id: a\n    title: >-\n      x\n\n      y\n")
def test_edited_ledgers_give_the_composed_records_or_none(text: str) -> None:
    assert_same(text)
