"""Property: on any ledger, however it is formatted, a valid `ledger forecast` or
`ledger resolve` inserts only the new entry's lines and adds only that record.

The ledgers are generated: 2- or 4-space or indentless lists, "- " or "-   "
after the dash, block and flow items mixed, keys in any order, plain, single-
and double-quoted scalars, folded notes, blank-line-separated items, comment
lines (at any indentation) and end-of-line comments scattered through, empty
lists written `[]`, `~`, `null`, nothing or not at all, a dash alone on its
line, LF, CRLF or CR line endings, with or
without a BOM, a `---` marker and a final newline. The command runs through the
CLI (CliRunner) on a temporary file; the new entry may carry arbitrary text.

Deterministic (derandomize) and modest: 60 examples, a few seconds.
"""

from __future__ import annotations

import json
import re
import tempfile
from pathlib import Path

from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from recording import BOM, added, assert_only_inserted, clean

from ledger.cli import main
from ledger.core.numbers import parse_probability
from ledger.loader.nodes import compose
from ledger.record import emit

FORECASTERS = ["ann", "ben", "cho", "dee"]
LIST_FORMS = ["missing", "flow-empty", "nothing", "null", "block"]

# A line of the generated file, and how deep a comment line after it may be
# indented (None: nothing may follow it, it is inside a block scalar).
Line = tuple[str, int | None]


@st.composite
def quoted(draw: st.DrawFn, value: str, plain_ok: bool = True) -> str:
    style = draw(
        st.sampled_from(
            ["plain", "single", "double"] if plain_ok else ["single", "double"]
        )
    )
    if style == "plain":
        return value
    if style == "single":
        return "'" + value.replace("'", "''") + "'"
    return json.dumps(value, ensure_ascii=False)


@st.composite
def eol_comment(draw: st.DrawFn) -> str:
    if draw(st.integers(0, 5)) == 0:
        return (
            " " * draw(st.integers(1, 3))
            + "# "
            + draw(st.sampled_from(["note", "see above", "- x: y", "#"]))
        )
    return ""


@st.composite
def mapping_item(
    draw: st.DrawFn,
    fields: list[tuple[str, str]],
    dash: int,
    gap: int,
    flow: bool,
    folded: tuple[str, str] | None = None,
) -> list[Line]:
    """One list item: `fields` are (key, already-quoted value) pairs."""
    if flow:
        body = ", ".join(f"{k}: {v}" for k, v in fields)
        return [
            (
                " " * dash + "-" + " " * gap + "{" + body + "}" + draw(eol_comment()),
                dash + 8,
            )
        ]
    key = dash + 1 + gap
    order = draw(st.permutations(fields))
    lines: list[Line] = []
    alone = draw(st.sampled_from(["", "", "", "", "-", "- # first - of all"]))
    if alone:  # the dash alone on its line (or with a comment), the keys below
        lines.append((" " * dash + alone, None))
    for i, (k, v) in enumerate(order):
        prefix = " " * dash + "-" + " " * gap if i == 0 and not alone else " " * key
        lines.append((f"{prefix}{k}: {v}" + draw(eol_comment()), key + 4))
    if folded is not None:  # a folded scalar, as the last field
        k, text = folded
        prefix = " " * dash + "-" + " " * gap if not lines else " " * key
        lines.append((f"{prefix}{k}: >-" + draw(eol_comment()), None))
        words = text.split()
        lines.append((" " * (key + 2) + " ".join(words[:3]), None))
        lines.append(
            (" " * (key + 2) + " ".join(words[3:]), key)
        )  # comments shallower end it
    return lines


@st.composite
def a_list(
    draw: st.DrawFn, name: str, items: list[list[Line]], key_column: int, form: str
) -> list[Line]:
    pad = " " * key_column
    if form == "missing":
        return []
    if form == "flow-empty":
        return [(f"{pad}{name}: []" + draw(eol_comment()), key_column + 4)]
    if form == "nothing":
        return [(f"{pad}{name}:" + draw(eol_comment()), key_column + 4)]
    if form == "null":
        return [
            (
                f"{pad}{name}: "
                + draw(st.sampled_from(["~", "null"]))
                + draw(eol_comment()),
                key_column + 4,
            )
        ]
    lines: list[Line] = [(f"{pad}{name}:" + draw(eol_comment()), key_column + 4)]
    spaced = draw(st.booleans())
    for i, item in enumerate(items):
        if spaced and i:
            lines.append(("", key_column + 4))
        lines += item
    return lines


@st.composite
def ledgers(draw: st.DrawFn) -> dict:
    top_dash = draw(st.sampled_from([0, 2, 4]))
    gap = draw(st.sampled_from([1, 1, 3]))
    nested = draw(
        st.sampled_from([0, 2, 2, 4])
    )  # dash of inner lists, from the question's keys
    key = top_dash + 1 + gap
    inner_dash = key + nested
    info: dict = {"questions": []}

    forecasters: list[Line] = [("forecasters:" + draw(eol_comment()), 4)]
    for i, fid in enumerate(FORECASTERS):
        fields = [("id", draw(quoted(fid))), ("name", draw(quoted(f"Person {i}")))]
        if draw(st.booleans()):
            fields.append(("aliases", "[" + draw(quoted(f"P{i}")) + "]"))
        forecasters += draw(mapping_item(fields, top_dash, gap, draw(st.booleans())))

    questions: list[Line] = [("questions:" + draw(eol_comment()), 4)]
    spaced = draw(st.booleans())
    n_questions = draw(st.integers(1, 4))
    for n in range(n_questions):
        kind = draw(st.sampled_from(["binary", "binary", "date"]))
        qid = f"q{n}"
        title = draw(
            st.sampled_from([f"Question {n}", f"Question {n}: odd", f"It's {n}"])
        )
        fields = [
            ("id", draw(quoted(qid))),
            ("title", draw(quoted(title, ": " not in title))),
            ("criteria", draw(quoted("A neutral judge decides."))),
            ("kind", draw(quoted(kind))),
            ("deadline", draw(quoted("2030-12-31"))),
        ]
        if draw(st.booleans()):
            fields.append(
                ("tags", "[robotics, " + draw(quoted("topic:R", False)) + "]")
            )
        # forecasts, made in 2025
        f_items: list[list[Line]] = []
        for _ in range(draw(st.integers(1, 3))):
            by = draw(st.sampled_from(FORECASTERS))
            made = f"2025-{draw(st.integers(1, 12)):02d}-{draw(st.integers(1, 28)):02d}"
            f_fields = [("by", draw(quoted(by))), ("made", draw(quoted(made)))]
            if kind == "binary":
                p = draw(st.sampled_from(["0.3", "70%", "0.05", "1e-1", ".5"]))
                f_fields.append(("p", draw(quoted(p))))
            else:
                f_fields.append(
                    (
                        "window",
                        draw(
                            st.sampled_from(
                                [
                                    "+1y..+2y",
                                    "[2027-01-01, 2028-06-30]",
                                    "'2027..2029'",
                                    "[+2y, null]",
                                ]
                            )
                        ),
                    )
                )
            folded = None
            if draw(st.booleans()):
                f_fields.append(("basis", draw(quoted("stated"))))
            else:
                f_fields.append(("basis", "judged"))
                folded = (
                    "note",
                    "The keeper reads a plain assertion as its stated level here.",
                )
                if draw(st.booleans()):
                    f_fields.append(("note", draw(quoted("The keeper's reading."))))
                    folded = None
            flow = folded is None and draw(st.booleans())
            f_items.append(draw(mapping_item(f_fields, inner_dash, gap, flow, folded)))
        o_items: list[list[Line]] = []
        for _ in range(draw(st.integers(1, 2))):
            known = (
                f"2026-{draw(st.integers(7, 10)):02d}-{draw(st.integers(1, 28)):02d}"
            )
            result = (
                draw(st.sampled_from(["yes", "no", "0.5", "void"]))
                if kind == "binary"
                else known
            )
            o_fields = [
                ("result", draw(quoted(result))),
                ("known", known),
                ("recorded", "2026-11-20"),
            ]
            if draw(st.booleans()):
                o_fields.append(("by", "keeper"))
            o_items.append(
                draw(mapping_item(o_fields, inner_dash, gap, draw(st.booleans())))
            )
        f_form = draw(st.sampled_from(LIST_FORMS))
        o_form = draw(st.sampled_from(LIST_FORMS))
        info["questions"].append(
            {"id": qid, "kind": kind, "forecasts": f_form, "outcomes": o_form}
        )
        item = draw(mapping_item(fields, top_dash, gap, False))
        item += draw(a_list("forecasts", f_items, key, f_form))
        item += draw(a_list("outcomes", o_items, key, o_form))
        if spaced and n:
            questions.append(("", 4))
        questions += item

    parts = [forecasters, questions]
    if draw(st.booleans()):
        parts.reverse()
    lines: list[Line] = []
    if draw(st.booleans()):
        lines.append(("# yaml-language-server: $schema=./ledger/schema.json", 0))
    if draw(st.booleans()):
        lines.append(("---", 0))
    for part in parts:
        lines += part
        if draw(st.booleans()):
            lines.append(("", 0))

    # comment lines and blank lines, wherever a comment may go
    safe = [i for i, (_, depth) in enumerate(lines) if depth is not None]
    extra = draw(
        st.lists(
            st.tuples(st.sampled_from(safe), st.integers(0, 12), st.booleans()),
            max_size=10,
        )
    )
    for i, depth, blank in sorted(extra, reverse=True):
        limit = lines[i][1]
        assert limit is not None
        text = (
            ""
            if blank
            else " " * min(depth, limit)
            + "# "
            + draw(
                st.sampled_from(
                    ["a comment", "- by: commented-out", "TODO", "section", "x: y"]
                )
            )
        )
        lines.insert(i + 1, (text, limit))

    text = "\n".join(line for line, _ in lines)
    if draw(st.booleans()):
        text += "\n"
    text = text.replace("\n", draw(st.sampled_from(["\n", "\r\n", "\r"])))
    data = text.encode("utf-8")
    if draw(st.booleans()):
        data = BOM + data
    info["data"] = data
    return info


quotes = st.text(
    st.characters(exclude_categories=("Cs",)), min_size=1, max_size=20
).filter(lambda s: s.strip() != "")


@st.composite
def actions(draw: st.DrawFn, info: dict) -> tuple[list[str], str, dict]:
    """(CLI arguments, list name, what the new record must say)."""
    q = draw(st.sampled_from(info["questions"]))
    if draw(st.booleans()):
        by = draw(st.sampled_from(FORECASTERS))
        made = f"2026-0{draw(st.integers(2, 6))}-{draw(st.integers(10, 28))}"
        args = ["forecast", q["id"], "--by", by, "--made", made]
        expect: dict = {"by": by, "made": made}
        if q["kind"] == "binary":
            p = draw(st.sampled_from(["0.6", "35%", "0.999", "1e-2"]))
            args += ["--p", p]
            expect["p"] = parse_probability(p)
        else:
            args += [
                "--window",
                draw(st.sampled_from(["2027-01-01..2028-01-01", "+1y..+3y"])),
            ]
        if draw(st.booleans()):
            quote = draw(quotes)
            args += ["--quote", quote]
            expect["quote"] = quote
        return args, "forecasts", {**expect, "_list": q["forecasts"]}
    known = f"2026-09-{draw(st.integers(10, 28))}"
    if q["kind"] == "binary":
        result = draw(st.sampled_from(["yes", "no", "0.25", "void", "ambiguous"]))
    else:
        result = draw(st.sampled_from([known, "no", "void"]))
    args = ["resolve", q["id"], result, "--known", known]
    if draw(st.booleans()):
        args += ["--evidence", "https://example.org/e?a=1&b=2", "--note", draw(quotes)]
    return args, "outcomes", {"known": known, "result": result, "_list": q["outcomes"]}


@settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(st.data())
def test_an_edit_inserts_only_its_lines_and_adds_only_its_record(
    data: st.DataObject,
) -> None:
    info = data.draw(ledgers())
    old = info["data"]
    old_ledger = clean(old)  # the generator makes valid ledgers only
    args, name, expect = data.draw(actions(info))
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "ledger.yaml"
        path.write_bytes(old)
        result = CliRunner().invoke(main, [args[0], "-f", str(path), *args[1:]])
        assert result.exit_code == 0, (result.stdout, result.stderr, result.exception)
        new = path.read_bytes()
    replaced = 1 if expect.pop("_list") in ("flow-empty", "null") else 0
    inserted = assert_only_inserted(old, new, replaced)
    assert inserted
    what, entry = added(old_ledger, clean(new))
    assert what == name
    if name == "forecasts":
        assert entry.by == expect["by"] and entry.made.text == expect["made"]
        assert entry.p == expect.get("p")
        assert entry.quote == expect.get("quote")
    else:
        assert entry.known.text == expect["known"]
        assert (
            str(entry.result) == expect["result"]
            or entry.result.kind == expect["result"]
        )
    line = re.match(r".*?:(\d+): added ", result.stdout)
    assert line, result.stdout
    first_key = "by" if name == "forecasts" else "result"
    assert (
        f"{first_key}: " in new.decode("utf-8-sig").splitlines()[int(line.group(1)) - 1]
    )


@settings(max_examples=300, deadline=None, derandomize=True, database=None)
@given(st.text(st.characters(exclude_categories=("Cs",)), max_size=30), st.booleans())
def test_a_written_value_reads_back_as_the_same_text(value: str, flow: bool) -> None:
    """`emit.scalar` picks plain or double-quoted so the loader reads back the
    exact text, in block (`k: v`) and flow (`[v]`) context."""
    written = emit.scalar(value, flow) if not flow else emit.value([value])
    text = f"k: {written}\n"
    root, errors = compose(text, "x.yaml")
    assert not errors, (written, errors)
    node = root.value[0][1]
    if flow:
        assert len(node.value) == 1
        node = node.value[0]
    assert node.value == value
    if node.style is None:  # plain: never something the loader reads as empty
        assert value not in ("", "~", "null", "Null", "NULL")
