"""The writing commands on tricky layouts: only the lines an edit needs are added.

Each layout case runs `ledger forecast` (or `resolve`) through the CLI on a
file written as LF, CRLF, and CRLF with a UTF-8 BOM, then checks that:

- the new file is the old one with one block of lines inserted (difflib
  opcodes 'equal' and 'insert' only; the `[]`/`null` → block case may rewrite
  exactly that one line), with the same line endings, BOM and final newline;
- the inserted lines are exactly the expected ones, in the siblings' style;
- the new file loads and validates cleanly, and holds the old records plus
  the new one (claims compared without line numbers);
- the line the command reports is the new entry's first line.

Then the refusals (nothing written, byte for byte), permissions, symlinks,
leftover temporary files, and the retry when the file changes under the edit.
"""

from __future__ import annotations

import os
import re
import stat
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner
from recording import (
    BOM,
    added,
    assert_inserted,
    assert_only_inserted,
    claims,
    clean,
    load_bytes,
)

from ledger.cli import main
from ledger.files import write as writes
from ledger.record import insert, locate, write

MADE = "2026-02-01"

HEAD = """\
# yaml-language-server: $schema=./ledger/schema.json
forecasters:
  - id: alice
    name: Alice
  - id: bob
    name: Bob   # Bob's comment

questions:
"""


def question(qid: str, extra: str = "", indent: int = 2) -> str:
    """A binary question at dash column `indent`, keys two further in."""
    pad = " " * (indent + 2)
    body = (
        f"{' ' * indent}- id: {qid}\n"
        f"{pad}title: Question {qid}\n"
        f"{pad}criteria: 'Decided by a neutral judge.'\n"
        f"{pad}kind: binary\n"
        f'{pad}deadline: "2030-12-31"\n'
    )
    return body + textwrap.indent(textwrap.dedent(extra), pad) if extra else body


def block(dash: int, key: int, pairs: list[tuple[str, str]] | None = None) -> list[str]:
    """The expected lines of a new block item."""
    pairs = pairs or [("by", "bob"), ("made", MADE), ("p", "0.6"), ("basis", "stated")]
    first = " " * dash + "-" + " " * (key - dash - 1)
    return [
        (first if i == 0 else " " * key) + f"{k}: {v}" for i, (k, v) in enumerate(pairs)
    ]


ALICE = """\
forecasts:
  - by: alice
    made: 2026-01-01
    p: 0.5
    basis: stated
"""

LAYOUTS: dict[str, tuple[str, str, list[str], int]] = {
    # name: (ledger text, question to edit, expected inserted lines, lines replaced)
    "empty-flow-list": (
        HEAD + question("q1", "forecasts: []\n") + "\n" + question("q2", ALICE),
        "q1",
        block(6, 8),
        1,
    ),
    "empty-flow-list-with-comment": (
        HEAD
        + question("q1", "forecasts: []   # none yet\noutcomes: []\n")
        + question("q2"),
        "q1",
        block(6, 8),
        1,
    ),
    "null-list": (
        HEAD + question("q1", "forecasts: ~\n") + question("q2"),
        "q1",
        block(6, 8),
        1,
    ),
    "missing-key": (
        HEAD + question("q1") + "\n" + question("q2", ALICE),
        "q1",
        ["    forecasts:", *block(6, 8)],
        0,
    ),
    "missing-key-before-section-comment": (
        HEAD
        + question("q1")
        + "    # the keeper's note on q1\n\n  # -- next --\n"
        + question("q2"),
        "q1",
        ["    forecasts:", *block(6, 8)],
        0,
    ),
    "key-with-nothing": (
        HEAD + question("q1", "forecasts:\noutcomes: []\n") + question("q2"),
        "q1",
        block(6, 8),
        0,
    ),
    "key-with-nothing-then-comment": (
        HEAD + question("q1", "forecasts:   # to come\n") + "\n" + question("q2"),
        "q1",
        block(6, 8),
        0,
    ),
    "flow-siblings": (
        HEAD
        + question(
            "q1",
            """\
            forecasts:
              - {by: alice, made: 2026-01-01, p: 0.5, basis: stated}
              - {by: alice, made: 2026-01-15, p: 0.55, basis: stated}  # an update
            """,
        )
        + question("q2"),
        "q1",
        ["      - {by: bob, made: 2026-02-01, p: 0.6, basis: stated}"],
        0,
    ),
    "multi-line-flow-sibling": (
        HEAD
        + question(
            "q1",
            """\
            forecasts:
              - {by: alice, made: 2026-01-01,
                 p: 0.5, basis: stated}
            """,
        )
        + question("q2"),
        "q1",
        ["      - {by: bob, made: 2026-02-01, p: 0.6, basis: stated}"],
        0,
    ),
    "four-space-siblings": (
        "forecasters:\n    - id: alice\n      name: Alice\n    - id: bob\n      name: Bob\n"
        "questions:\n"
        + question(
            "q1",
            """\
            forecasts:
                - by: alice
                  made: 2026-01-01
                  p: 0.5
                  basis: stated
            """,
            indent=4,
        )
        + question("q2", indent=4),
        "q1",
        block(10, 12),
        0,
    ),
    "four-space-no-siblings-anywhere": (
        "forecasters:\n    - id: alice\n      name: Alice\n    - id: bob\n      name: Bob\n"
        "questions:\n"
        + question("q1", "forecasts: []\n", indent=4)
        + question("q2", indent=4),
        "q1",
        block(10, 12),
        1,
    ),
    "four-space-missing-key-copies-other-question": (
        "forecasters:\n    - id: alice\n      name: Alice\n    - id: bob\n      name: Bob\n"
        "questions:\n"
        + question("q1", indent=4)
        + question(
            "q2",
            """\
            forecasts:
                -   by: alice
                    made: 2026-01-01
                    p: 0.5
                    basis: stated
            """,
            indent=4,
        ),
        "q1",
        ["      forecasts:", *block(10, 14)],
        0,
    ),
    "indentless-lists": (
        "forecasters:\n- id: alice\n  name: Alice\n- id: bob\n  name: Bob\nquestions:\n"
        + question(
            "q1",
            "forecasts:\n- by: alice\n  made: 2026-01-01\n  p: 0.5\n  basis: stated\n",
            indent=0,
        )
        + question("q2", indent=0),
        "q1",
        block(2, 4),
        0,
    ),
    "indentless-no-siblings": (
        "forecasters:\n- id: alice\n  name: Alice\n- id: bob\n  name: Bob\nquestions:\n"
        + question("q1", "forecasts: []\n", indent=0)
        + question("q2", indent=0),
        "q1",
        block(2, 4),
        1,
    ),
    "comments-after-last-item": (
        HEAD
        + question(
            "q1",
            """\
            forecasts:
              - by: alice
                made: 2026-01-01
                p: 0.5        # alice's gut feeling
                basis: stated
                # alice added more later (inside the item: stays above)
              # end of the forecasts on q1 (stays below the new item)
            # the keeper: q1 is contested (stays below)

            """,
        )
        + "  # ---------- Section two ----------\n\n"
        + question("q2"),
        "q1",
        block(6, 8),
        0,
    ),
    "folded-scalar-last": (
        HEAD
        + question(
            "q1",
            """\
            forecasts:
              - by: alice
                made: 2026-01-01
                p: 0.5
                basis: judged
                note: >-
                  Alice hedged, and the keeper
                  reads the hedge as even odds.

            """,
        )
        + "  # next\n"
        + question("q2"),
        "q1",
        block(6, 8),
        0,
    ),
    "literal-keep-scalar-last": (
        HEAD
        + question(
            "q1",
            """\
            forecasts:
              - by: alice
                made: 2026-01-01
                p: 0.5
                basis: judged
                note: |+
                  Kept trailing lines.


            """,
        )
        + question("q2"),
        "q1",
        block(6, 8),
        0,
    ),
    "blank-line-separated": (
        HEAD
        + question(
            "q1",
            """\
            forecasts:
              - by: alice
                made: 2026-01-01
                p: 0.5
                basis: stated

              - by: alice
                made: 2026-01-20
                p: 0.4
                basis: stated
            """,
        )
        + "\n"
        + question("q2"),
        "q1",
        ["", *block(6, 8)],
        0,
    ),
    "quoted-and-odd-keys": (
        HEAD
        + question(
            "q1",
            """\
            forecasts:
              -   "by": 'alice'
                  "made": "2026-01-01"
                  p: '50%'
                  basis: "stated"
            """,
        )
        + question("q2"),
        "q1",
        block(6, 10),
        0,
    ),
    "dash-alone-on-its-line": (
        HEAD
        + "  -\n    id: q1\n    title: One\n    criteria: C\n    kind: binary\n    deadline: 2030\n"
        "    forecasts:\n      -\n        by: alice\n        made: 2026-01-01\n        p: 0.5\n"
        "        basis: stated\n" + question("q2"),
        "q1",
        block(6, 8),
        0,
    ),
    "comment-after-dash": (
        HEAD
        + question(
            "q1",
            """\
            forecasts:
              - # the first - and only - forecast
                by: alice
                made: 2026-01-01
                p: 0.5
                basis: stated
            """,
        )
        + question("q2"),
        "q1",
        block(6, 8),
        0,
    ),
    "directive-and-document-end": (
        "%YAML 1.1\n---\n"
        + HEAD
        + question("q1")
        + question("q2", ALICE)
        + "...\n# after the end\n",
        "q2",
        block(6, 8),
        0,
    ),
    "last-question-in-file": (
        HEAD + question("q1") + question("q2", ALICE) + "\n# end of file\n",
        "q2",
        block(6, 8),
        0,
    ),
    "last-question-missing-key": (
        HEAD + question("q1") + question("q2") + "\n\n",
        "q2",
        ["    forecasts:", *block(6, 8)],
        0,
    ),
    "no-final-newline": (
        HEAD + question("q1") + question("q2", ALICE).rstrip("\n"),
        "q2",
        block(6, 8),
        0,
    ),
    "no-final-newline-missing-key": (
        HEAD + question("q1") + question("q2").rstrip("\n"),
        "q2",
        ["    forecasts:", *block(6, 8)],
        0,
    ),
    "no-final-newline-empty-list": (
        HEAD + question("q1") + question("q2", "forecasts: []"),
        "q2",
        block(6, 8),
        1,
    ),
}

ENCODINGS = ["lf", "crlf", "bom-crlf", "bom-lf", "cr"]


def encode(text: str, encoding: str) -> bytes:
    data = text.encode("utf-8")
    if "crlf" in encoding:
        data = data.replace(b"\n", b"\r\n")
    elif encoding == "cr":  # old Mac line endings
        data = data.replace(b"\n", b"\r")
    return BOM + data if encoding.startswith("bom") else data


def run(path: Path, *args: str) -> tuple[int, str, str]:
    n = 2 if args[0] in ("forecaster", "source") else 1  # -f belongs to the subcommand
    result = CliRunner().invoke(main, [*args[:n], "-f", str(path), *args[n:]])
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


def forecast(
    path: Path, qid: str, by: str = "bob", p: str = "0.6", *extra: str
) -> tuple[int, str, str]:
    return run(path, "forecast", qid, "--by", by, "--p", p, "--made", MADE, *extra)


def reported_line(out: str) -> int:
    match = re.match(r".*?:(\d+): added ", out)
    assert match, out
    return int(match.group(1))


@pytest.mark.parametrize("encoding", ENCODINGS)
@pytest.mark.parametrize("layout", list(LAYOUTS))
def test_forecast_inserts_only_the_new_lines(
    tmp_path: Path, layout: str, encoding: str
) -> None:
    text, qid, expected, replaced = LAYOUTS[layout]
    old = encode(text, encoding)
    old_ledger = clean(old)  # the layout itself is a valid ledger
    path = tmp_path / "ledger.yaml"
    path.write_bytes(old)
    code, out, err = forecast(path, qid)
    assert code == 0, err
    new = path.read_bytes()
    assert_inserted(old, new, expected, replaced)
    lines = new.decode("utf-8-sig").splitlines()
    what, entry = added(old_ledger, clean(new))
    assert what == "forecasts"
    assert (entry.by, entry.p, entry.made.text, entry.basis) == (
        "bob",
        0.6,
        MADE,
        "stated",
    )
    assert "by: bob" in lines[reported_line(out) - 1]


def test_literal_keep_scalar_keeps_its_trailing_lines(tmp_path: Path) -> None:
    text = LAYOUTS["literal-keep-scalar-last"][0]
    path = tmp_path / "ledger.yaml"
    path.write_text(text)
    assert forecast(path, "q1")[0] == 0
    note = clean(path.read_bytes()).questions[0].forecasts[0].note
    assert note == "Kept trailing lines.\n\n\n"


def test_comment_that_introduces_the_next_section_stays_below(tmp_path: Path) -> None:
    path = tmp_path / "ledger.yaml"
    path.write_text(LAYOUTS["comments-after-last-item"][0])
    assert forecast(path, "q1")[0] == 0
    lines = path.read_text().splitlines()
    at = lines.index("      - by: bob")
    assert lines[at - 1].strip().startswith("# alice added more later")
    assert lines[at + 4].strip().startswith("# end of the forecasts on q1")
    assert lines[at + 5].strip().startswith("# the keeper: q1 is contested")
    assert lines[at + 7] == "  # ---------- Section two ----------"


def test_flow_list_gets_the_entry_inside_its_brackets(tmp_path: Path) -> None:
    """A flow list must change its line: a documented non-insertion. (An empty
    `[ ]` becomes a block list instead, as in the layout cases.)"""
    text = HEAD + question(
        "q1", "forecasts: [{by: alice, made: 2026-01-01, p: 0.5, basis: stated}]  # x\n"
    )
    text += question(
        "q2",
        "forecasts: [\n  {by: alice, made: 2026-01-01, p: 0.5, basis: stated},  # y\n]\n",
    )
    path = tmp_path / "ledger.yaml"
    path.write_text(text)
    old_ledger = clean(path.read_bytes())
    assert forecast(path, "q1")[0] == 0
    assert forecast(path, "q2")[0] == 0
    new = path.read_text()
    assert (
        "    forecasts: [{by: alice, made: 2026-01-01, p: 0.5, basis: stated}, "
        "{by: bob, made: 2026-02-01, p: 0.6, basis: stated}]  # x\n"
    ) in new
    assert (
        "      {by: alice, made: 2026-01-01, p: 0.5, basis: stated}, "
        "{by: bob, made: 2026-02-01, p: 0.6, basis: stated},  # y\n"
    ) in new
    assert len(new.splitlines()) == len(text.splitlines())
    ledger = clean(new.encode())
    assert claims(ledger.questions[0].forecasts[:1]) == claims(
        old_ledger.questions[0].forecasts
    )
    assert [f.by for q in ledger.questions for f in q.forecasts] == [
        "alice",
        "bob",
        "alice",
        "bob",
    ]


def test_flow_style_question_gets_the_key_inside_its_braces(tmp_path: Path) -> None:
    text = HEAD + (
        "  - {id: q1, title: One, criteria: By a judge., kind: binary, deadline: 2030-12-31}\n"
        "  - {id: q2, title: Two, criteria: By a judge., kind: binary, deadline: 2030-12-31,\n"
        "     forecasts: }\n"
    )
    path = tmp_path / "ledger.yaml"
    path.write_text(text)
    assert forecast(path, "q1")[0] == 0
    assert forecast(path, "q2")[0] == 0
    ledger = clean(path.read_bytes())
    assert [len(q.forecasts) for q in ledger.questions] == [1, 1]
    assert len(path.read_text().splitlines()) == len(text.splitlines())


def test_resolve_adds_an_outcomes_list_and_then_appends_to_it(tmp_path: Path) -> None:
    path = tmp_path / "ledger.yaml"
    text = (
        HEAD
        + question("q1", ALICE + "# outcomes follow when known\n")
        + "\n"
        + question("q2")
    )
    path.write_text(text)
    old = path.read_bytes()
    code, _, err = run(
        path,
        "resolve",
        "q1",
        "yes",
        "--known",
        "2026-03-01",
        "--by",
        "keeper",
        "--evidence",
        "https://example.org/a",
        "--note",
        "Settled: by the judge.",
    )
    assert code == 0, err
    first = path.read_bytes()
    inserted = assert_only_inserted(old, first)
    assert inserted[0] == "    outcomes:"
    assert inserted[1] == "      - result: yes"
    assert '        evidence: ["https://example.org/a"]' in inserted
    assert '        note: "Settled: by the judge."' in inserted
    what, outcome = added(clean(old), clean(first))
    assert (
        what == "outcomes" and outcome.result.kind == "yes" and outcome.by == "keeper"
    )
    # resolving again appends a second entry; the first stays
    code, _, err = run(path, "resolve", "q1", "no", "--known", "2026-03-02")
    assert code == 0, err
    second = path.read_bytes()
    assert assert_only_inserted(first, second)[0] == "      - result: no"
    assert [o.result.kind for o in clean(second).questions[0].outcomes] == ["yes", "no"]


def test_top_level_commands_copy_the_layout(tmp_path: Path) -> None:
    path = tmp_path / "ledger.yaml"
    text = (
        "forecasters:\n    - id: alice\n      name: Alice\n\n    - id: bob\n      name: Bob\n\n"
        "questions:\n" + question("q1", indent=4)
    )
    path.write_bytes(encode(text, "crlf"))
    before = path.read_bytes()
    code, _, err = run(
        path,
        "forecaster",
        "add",
        "--id",
        "carol",
        "--name",
        "Carol Doe",
        "--alias",
        "C. Doe",
        "--affiliation",
        "Example Lab",
    )
    assert code == 0, err
    after = path.read_bytes()
    assert_inserted(
        before,
        after,
        [
            "",
            "    - id: carol",
            "      name: Carol Doe",
            '      aliases: ["C. Doe"]',
            "      affiliation: Example Lab",
        ],
    )
    assert added(clean(before), clean(after))[0] == "forecasters"
    # a missing top-level list is created, in the indentation of the others
    code, _, err = run(
        path,
        "source",
        "add",
        "--id",
        "talk",
        "--title",
        "A talk",
        "--kind",
        "talk",
        "--date",
        "2026-01",
    )
    assert code == 0, err
    final = path.read_bytes()
    assert_inserted(
        after,
        final,
        [
            "sources:",
            "    - id: talk",
            "      title: A talk",
            "      kind: talk",
            "      date: 2026-01",
        ],
    )
    assert added(clean(after), clean(final))[0] == "sources"


def test_add_question_with_first_forecast(tmp_path: Path) -> None:
    path = tmp_path / "ledger.yaml"
    text = HEAD + question("q1", ALICE) + "\n" + question("q2", ALICE)
    path.write_text(text)
    code, _, err = run(
        path,
        "add",
        "--id",
        "q3",
        "--title",
        "Q three",
        "--criteria",
        "A judge decides.",
        "--kind",
        "binary",
        "--deadline",
        "2031-06-30",
        "--tag",
        "robotics",
        "--by",
        "alice",
        "--p",
        "70%",
        "--made",
        MADE,
    )
    assert code == 0, err
    new = path.read_bytes()
    inserted = assert_only_inserted(text.encode(), new)
    assert inserted[:2] == ["", "  - id: q3"]
    assert inserted[-5:] == [
        "    forecasts:",
        *block(
            6, 8, [("by", "alice"), ("made", MADE), ("p", "70%"), ("basis", "stated")]
        ),
    ]
    what, q = added(clean(text.encode()), clean(new))
    assert what == "questions" and q.id == "q3" and q.forecasts[0].p == 0.7


@pytest.mark.parametrize(
    "quote",
    [
        "a: b # not a comment",
        "null",
        "yes",
        "- dash",
        "it's 'quoted'",
        'say "hi"',
        "back\\slash",
        "tab\there",
        "two\nlines",
        " leading",
        "trailing ",
        "ünïcödé “curly” 😀",
        "line\u2028sep",
        "nel\x85x",
        "del\x7f",
        "%percent",
        "@at",
        "`tick",
        "[flow]",
        "{flow}",
        "a, b",
        "#hash",
        "*star",
        "&amp",
        "!bang",
        "|pipe",
        ">gt",
        "?q",
        "1e-3",
        "2026-01-01",
        "~",
        "bom\ufeffinside",
        "nul\x00",
        "esc\x1b",
        "astral \U0001d518",
    ],
)
def test_values_read_back_as_written(tmp_path: Path, quote: str) -> None:
    path = tmp_path / "ledger.yaml"
    path.write_text(HEAD + question("q1", ALICE))
    before = path.read_bytes()
    code, _, err = forecast(path, "q1", "bob", "0.6", "--quote", quote)
    assert code == 0, err
    what, entry = added(clean(before), clean(path.read_bytes()))
    assert what == "forecasts" and entry.quote == quote


# -- refusals: nothing is written ------------------------------------------------


REFUSALS = {
    "bad-p": (
        ["forecast", "q1", "--by", "bob", "--p", "1.3", "--made", MADE],
        2,
        "--p",
    ),
    "bad-p-text": (
        ["forecast", "q1", "--by", "bob", "--p", "likely", "--made", MADE],
        2,
        "--p",
    ),
    "unknown-forecaster": (
        ["forecast", "q1", "--by", "alcie", "--p", "0.6", "--made", MADE],
        1,
        "forecaster 'alcie' is not declared; did you mean 'alice'?",
    ),
    "unknown-question": (
        ["forecast", "q-one", "--by", "bob", "--p", "0.6"],
        2,
        "unknown question 'q-one'; did you mean 'q-on'?",
    ),
    "made-after-deadline": (
        ["forecast", "q1", "--by", "bob", "--p", "0.6", "--made", "2031-01-01"],
        1,
        "after the question's deadline",
    ),
    "date-result-on-binary": (
        ["resolve", "q1", "2027-01-01", "--known", "2026-03-01"],
        1,
        "does not fit a binary question",
    ),
    "known-after-recorded": (
        ["resolve", "q1", "yes", "--known", "2099-01-01"],
        1,
        "recorded",
    ),
    "unknown-question-resolve": (
        ["resolve", "q-onn", "yes"],
        2,
        "did you mean 'q-on'?",
    ),
    "duplicate-forecaster": (
        ["forecaster", "add", "--id", "alice", "--name", "A"],
        2,
        "already exists",
    ),
    "duplicate-question": (
        [
            "add",
            "--id",
            "q-on",
            "--title",
            "T",
            "--criteria",
            "C",
            "--kind",
            "binary",
            "--deadline",
            "2030",
        ],
        2,
        "already exists",
    ),
    "window-on-binary": (
        ["forecast", "q1", "--by", "bob", "--window", "+1y..+2y", "--made", MADE],
        1,
        "window",
    ),
}


@pytest.mark.parametrize("case", list(REFUSALS))
def test_refusals_leave_the_file_byte_identical(tmp_path: Path, case: str) -> None:
    args, exit_code, message = REFUSALS[case]
    path = tmp_path / "ledger.yaml"
    data = encode(
        HEAD + question("q1", ALICE) + "\n" + question("q-on") + "# tail", "bom-crlf"
    )
    path.write_bytes(data)
    code, out, err = run(path, *args)
    assert code == exit_code, (out, err)
    assert message in err
    if exit_code == 1:  # validation errors come as PATH:LINE: message
        assert re.search(rf"^{re.escape(str(path))}:\d+: ", err, re.M), err
    assert path.read_bytes() == data
    assert sorted(os.listdir(tmp_path)) in (
        ["ledger.yaml"],
        ["ledger.yaml", "ledger.yaml.lock"],
    )


def test_a_file_with_errors_is_not_edited(tmp_path: Path) -> None:
    path = tmp_path / "ledger.yaml"
    data = (
        HEAD + question("q1", ALICE.replace("p: 0.5", "p: 1.5")) + question("q2")
    ).encode()
    path.write_bytes(data)
    code, _, err = forecast(path, "q2")
    assert code == 1
    assert f"{path}:17: probability must be between 0 and 1" in err
    assert path.read_bytes() == data
    # the same through record.write (the CLI's own pre-check aside)
    called = []
    written, errors = write.write(
        str(path), lambda text, ledger: called.append(1) or (text, 1)
    )
    assert written is None and errors and not called
    assert path.read_bytes() == data


def test_an_edit_that_breaks_the_ledger_is_refused(tmp_path: Path) -> None:
    """Validation runs on the new text before anything is written."""
    path = tmp_path / "ledger.yaml"
    data = (HEAD + question("q1", ALICE)).encode()
    path.write_bytes(data)
    written, errors = write.write(
        str(path), lambda text, ledger: (text + "  - id: Bad Slug\n", 1)
    )
    assert written is None and any("slug" in e.message for e in errors)
    assert path.read_bytes() == data


# -- the file itself: permissions, links, leftovers, concurrent editors ----------


def test_permissions_are_kept(tmp_path: Path) -> None:
    path = tmp_path / "ledger.yaml"
    path.write_text(HEAD + question("q1", ALICE))
    path.chmod(0o640)
    assert forecast(path, "q1")[0] == 0
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    path.chmod(0o604)
    assert forecast(path, "q1", "alice")[0] == 0
    assert stat.S_IMODE(path.stat().st_mode) == 0o604
    if os.geteuid() == 0:  # root editing someone else's file gives it back to them
        os.chown(path, 4321, 4321)
        assert forecast(path, "q1", "alice")[0] == 0
        assert (path.stat().st_uid, path.stat().st_gid) == (4321, 4321)


def test_a_symlink_stays_a_symlink(tmp_path: Path) -> None:
    real = tmp_path / "data" / "real.yaml"
    real.parent.mkdir()
    real.write_text(HEAD + question("q1", ALICE))
    link = tmp_path / "ledger.yaml"
    link.symlink_to(real)
    assert forecast(link, "q1")[0] == 0
    assert link.is_symlink()
    assert len(clean(real.read_bytes()).questions[0].forecasts) == 2


def test_leftover_temporary_files_are_removed_by_the_next_write(tmp_path: Path) -> None:
    """A writer killed between creating its temporary file and renaming it leaves
    `.ledger-NAME.XXXX.tmp`; the next write (holding the lock) removes it, and
    leaves other files' temporaries alone."""
    path = tmp_path / "ledger.yaml"
    path.write_text(HEAD + question("q1", ALICE))
    (tmp_path / ".ledger-ledger.yaml.abc123.tmp").write_text("half a file")
    (tmp_path / ".ledger-other.yaml.abc123.tmp").write_text("someone else's")
    (tmp_path / ".ledger-ledger.yaml.x.abc123.tmp").write_text("ledger.yaml.x's")
    assert forecast(path, "q1")[0] == 0
    assert sorted(os.listdir(tmp_path)) == [
        ".ledger-ledger.yaml.x.abc123.tmp",
        ".ledger-other.yaml.abc123.tmp",
        "ledger.yaml",
        "ledger.yaml.lock",
    ]


def test_a_change_on_disk_between_read_and_write_is_retried(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another editor (not using the lock) saves the file while the edit is being
    built: the write notices, rebuilds the edit on the new text, and both land."""
    path = tmp_path / "ledger.yaml"
    path.write_text(HEAD + question("q1", ALICE) + question("q2"))
    real_unchanged = write._unchanged
    calls = []

    def unchanged(p: str, data: bytes) -> bool:
        calls.append(p)
        if len(calls) == 1:  # the other editor adds a forecaster and a comment
            text = Path(p).read_text()
            text = text.replace(
                "questions:\n",
                "  - id: carol\n    name: Carol\n\n# edited elsewhere\nquestions:\n",
            )
            Path(p).write_text(text)
        return real_unchanged(p, data)

    monkeypatch.setattr(write, "_unchanged", unchanged)
    code, out, err = forecast(path, "q2", "carol")
    assert code == 0, err
    assert len(calls) == 2
    ledger = clean(path.read_bytes())
    assert [f.id for f in ledger.forecasters] == ["alice", "bob", "carol"]
    assert [f.by for f in ledger.questions[1].forecasts] == ["carol"]
    assert "# edited elsewhere\n" in path.read_text()
    line = path.read_text().splitlines()[reported_line(out) - 1]
    assert line == "      - by: carol"


def test_a_file_that_keeps_changing_is_an_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "ledger.yaml"
    path.write_text(HEAD + question("q1", ALICE))
    data = path.read_bytes()
    monkeypatch.setattr(write, "_unchanged", lambda p, data: False)
    code, _, err = forecast(path, "q1")
    assert code == 1
    assert "kept changing" in err
    assert path.read_bytes() == data


def test_an_unwritable_folder_is_an_error_not_a_traceback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "ledger.yaml"
    path.write_text(HEAD + question("q1", ALICE))
    data = path.read_bytes()

    def refuse(**kwargs: object) -> None:
        raise PermissionError(13, "Permission denied", str(tmp_path))

    monkeypatch.setattr(writes.tempfile, "mkstemp", refuse)  # as in a read-only folder
    code, _, err = forecast(path, "q1")
    assert code == 1
    assert f"{path}:1: cannot write the file: Permission denied ({tmp_path})" in err
    assert path.read_bytes() == data


def test_a_lone_surrogate_in_an_option_is_a_usage_error(tmp_path: Path) -> None:
    # A shell passes bytes that are not UTF-8 (`--note $'\xff'`) as a lone surrogate.
    path = tmp_path / "ledger.yaml"
    path.write_text(HEAD + question("q1", ALICE))
    data = path.read_bytes()
    code, _, err = forecast(path, "q1", "bob", "0.6", "--note", "caf\udce9")
    assert code == 2
    assert err.endswith("Error: 'caf\\udce9' is not valid text (it has a lone surrogate)\n")
    assert path.read_bytes() == data


def test_load_bytes_helper_sees_errors() -> None:
    """The helper the other tests lean on does report a broken ledger."""
    _, errors = load_bytes(b"questions: [1]\n")
    assert errors


# -- big files: the edit composes only the question items it needs --------------------------


def _many_questions(count: int, outcomes_from: int = 0) -> str:
    lines = ["forecasters:", "  - id: ann", "    name: Ann", "sources:", "  - id: s", "    title: S",
             "    kind: article",
             "questions:"]
    for i in range(count):
        lines += [f"  - id: q{i}", f"    title: Question {i}", "    criteria: A judge decides.",
                  "    kind: binary", "    deadline: 2030-06-30"]
        if i % 3:
            if i % 2:
                lines += ["    forecasts:", f"      - {{by: ann, made: 2030-01-0{1 + i % 9}, p: 0.5, basis: stated}}"]
            else:
                lines += ["    forecasts:", "        - by: ann", "          made: 2030-01-02",
                          "          p: 0.4", "          basis: stated"]
        if i >= outcomes_from and i % 4 == 0:
            lines += ["    outcomes:", "      - {result: yes, known: 2030-07-01, recorded: 2030-07-02}"]
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("outcomes_from", [0, 70])
def test_a_big_file_is_edited_as_if_composed_whole(monkeypatch: pytest.MonkeyPatch,
                                                   outcomes_from: int) -> None:
    """With most items blanked (locate.root_of), every edit gives the bytes the whole
    document gives: forecasts and outcomes on questions at the start, the middle and
    the end, new questions, forecasters and sources; and, when the first items have
    no outcomes list to copy the indentation of, the whole document is read."""
    from ledger.loader.load import load_text

    text = _many_questions(130, outcomes_from)
    ledger, errors = load_text(text, "big.yaml")
    assert errors == []
    lines = {q.id: q.location.line for q in ledger.questions}
    forecast = [("by", "ann"), ("made", "2030-03-01"), ("p", "0.7"), ("basis", "stated")]
    outcome = [("result", "no"), ("known", "2030-07-01"), ("recorded", "2030-07-03")]
    edits = [
        *((insert.add_to_question, (text, "big.yaml", q, name, entry, lines[q]))
          for q in ("q0", "q1", "q2", "q60", "q99", "q129")
          for name, entry in (("forecasts", forecast), ("outcomes", outcome))),
        (insert.add_top, (text, "big.yaml", "questions",
                          [("id", "new"), ("title", "New"), ("criteria", "C."), ("kind", "binary"),
                           ("deadline", "2031-01-01")])),
        (insert.add_top, (text, "big.yaml", "forecasters", [("id", "bob"), ("name", "Bob")])),
        (insert.add_top, (text, "big.yaml", "sources", [("id", "t"), ("title", "T"), ("kind", "article")])),
    ]
    for edit, args in edits:
        monkeypatch.setattr(locate, "REDUCE_CHARS", 10**12)  # the whole document
        whole = edit(*args)
        monkeypatch.setattr(locate, "REDUCE_CHARS", 0)  # items blanked
        assert edit(*args) == whole, (edit.__name__, args[2:4])
        assert load_text(whole[0], "big.yaml")[1] == []
