"""Tests of ledger.loader: text → records, with every field typed from its own text."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ledger.core import rules
from ledger.core.dates import When
from ledger.core.model import Error, Ledger, Question, Result
from ledger.core.numbers import parse_probability
from ledger.loader import nodes
from ledger.loader import records as load
from ledger.loader.fields import FieldError
from ledger.loader.load import load_file, load_text
from ledger.loader.nodes import decode
from ledger.validate import validate

ROOT = Path(__file__).parents[2]
EXAMPLE = ROOT / "predictions.yaml"

PEOPLE = """\
forecasters:
  - id: alice
    name: Alice
sources:
  - id: blog
    title: Alice's blog
    kind: post
questions:
"""


def d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def messages(errors: list[Error]) -> list[str]:
    return [str(e) for e in errors]


def only(ledger: Ledger) -> Question:
    (question,) = ledger.questions
    return question


# -- probabilities ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("0.7", 0.7),
        (".25", 0.25),
        ("70%", 0.7),
        ("67.5%", 0.675),
        ("1e-3", 0.001),
        ("1E-3", 0.001),
        ("2.5e-1", 0.25),
        ("0", 0.0),
        ("1", 1.0),
        ("0%", 0.0),
        ("100%", 1.0),
        (" 0.5 ", 0.5),
    ],
)
def test_probabilities_in_every_accepted_form(text: str, value: float) -> None:
    assert parse_probability(text) == value


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("1.3", "probability must be between 0 and 1 (0% and 100%), got '1.3'"),
        ("130%", "probability must be between 0 and 1 (0% and 100%), got '130%'"),
        ("-0.1", "probability must be between 0 and 1 (0% and 100%), got '-0.1'"),
        ("1e400", "probability must be between 0 and 1 (0% and 100%), got '1e400'"),
        (
            "70 %",
            "malformed probability '70 %'; write the percent sign without a space, like 70%",
        ),
        ("0,7", "malformed probability '0,7'; use a decimal point, like 0.7"),
        (
            "nan",
            "malformed probability 'nan'; write a number in [0, 1] like 0.7, or a percent like 70%",
        ),
        (
            "0x1",
            "malformed probability '0x1'; write a number in [0, 1] like 0.7, or a percent like 70%",
        ),
    ],
)
def test_bad_probabilities_say_why(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=re.escape(message)):
        parse_probability(text)


def test_p_written_as_1e_minus_3_is_a_thousandth(loaded):
    """
    forecasters:
      - {id: alice, name: Alice}
    questions:
      - id: rare
        title: A rare event
        criteria: It happens.
        kind: binary
        deadline: 2030-12-31
        forecasts:
          - {by: alice, made: 2025-01-01, p: 1e-3, basis: stated}
          - {by: alice, made: 2025-01-02, p: 0.1%, basis: stated}
    """
    ledger, errors = loaded
    assert errors == []
    assert [f.p for f in only(ledger).forecasts] == [0.001, 0.001]


# -- YAML 1.1 traps: read as the writer meant ------------------------------------------


def test_yaml_1_1_scalars_are_read_as_written(loaded):
    """
    forecasters:
      - id: alice
        name: NO
        aliases: [on, off, yes, 0o17, 1_000, 010]
        note: 1.50
    questions:
      - id: no
        title: no
        criteria: yes
        kind: binary
        deadline: 2030-12-31
        tags: [null-hypothesis, true]
        forecasts:
          - {by: alice, made: 2025-01-01, p: 0.5, basis: stated}
    """
    ledger, errors = loaded
    assert errors == []
    (alice,) = ledger.forecasters
    assert alice.name == "NO"  # the Norway problem: not False
    assert alice.aliases == ("on", "off", "yes", "0o17", "1_000", "010")
    assert alice.note == "1.50"
    question = only(ledger)
    assert (question.id, question.title, question.criteria) == ("no", "no", "yes")
    assert question.tags == ("null-hypothesis", "true")
    assert question.deadline == When(d("2030-12-31"), d("2030-12-31"), "2030-12-31")


@pytest.mark.parametrize(
    ("written", "kind", "value"),
    [
        ("yes", "yes", 1.0),
        ("no", "no", 0.0),
        ("Yes", "yes", 1.0),
        ("NO", "no", 0.0),
        ("true", "yes", 1.0),
        ("False", "no", 0.0),
        ("1", "yes", 1.0),
        ("0", "no", 0.0),
        ("0.25", "fraction", 0.25),
        ("25%", "fraction", 0.25),
        ("void", "void", None),
        ("ambiguous", "ambiguous", None),
        ("provisional:0.8", "provisional", 0.8),
    ],
)
def test_binary_results_are_read_as_meant(
    written: str, kind: str, value: float | None
) -> None:
    text = PEOPLE + textwrap.dedent(f"""\
      - id: q
        title: Q
        criteria: It happens.
        kind: binary
        deadline: 2030-12-31
        outcomes:
          - {{result: {written}, known: 2030-01-01, recorded: 2030-01-02}}
    """)
    ledger, errors = load_text(text, "test.yaml")
    assert errors == []
    (entry,) = only(ledger).outcomes
    assert (entry.result.kind, entry.result.value) == (kind, value)


@pytest.mark.parametrize(
    ("written", "reads"),
    [("on", "true"), ("off", "false"), ("y", "true"), ("n", "false")],
)
def test_yaml_1_1_booleans_are_refused_with_a_hint(written: str, reads: str) -> None:
    text = PEOPLE + textwrap.dedent(f"""\
      - id: q
        title: Q
        criteria: It happens.
        kind: binary
        deadline: 2030-12-31
        outcomes:
          - result: {written}
            known: 2030-01-01
            recorded: 2030-01-02
    """)
    _, errors = load_text(text, "test.yaml")
    assert messages(errors) == [
        f"test.yaml:15: result '{written}' is neither yes nor no; write yes or no "
        f"(YAML 1.1 reads '{written}' as {reads}, a ledger does not)"
    ]


def test_date_and_numeric_results(loaded):
    """
    questions:
      - id: when
        title: When
        criteria: The day it happens.
        kind: date
        deadline: 2035-12-31
        outcomes:
          - {result: 2031-05, known: 2031-06-01, recorded: 2031-06-02}
          - {result: no, known: 2036-01-01, recorded: 2036-01-02}
      - id: how-many
        title: How many
        criteria: The count.
        kind: numeric
        deadline: 2035-12-31
        outcomes:
          - {result: 1.5e4, known: 2031-06-01, recorded: 2031-06-02}
    """
    ledger, errors = loaded
    assert errors == []
    when, how_many = ledger.questions
    assert [o.result.kind for o in when.outcomes] == ["date", "no"]
    assert when.outcomes[0].result.value == When(
        d("2031-05-01"), d("2031-05-31"), "2031-05"
    )
    assert how_many.outcomes[0].result == Result("number", 15000.0, "1.5e4")


# -- windows ---------------------------------------------------------------------------


def test_relative_window_carries_the_uncertainty_of_made(loaded):
    """
    forecasters:
      - {id: jerry, name: Jerry}
    questions:
      - id: robots
        title: Robots
        criteria: The day it happens.
        kind: date
        deadline: 2035-12-31
        forecasts:
          - by: jerry
            made: 2026-01-06..2026-04-30
            window: +2y..+3y
            basis: stated
    """
    ledger, errors = loaded
    assert errors == []
    (forecast,) = only(ledger).forecasts
    assert forecast.window is not None
    start, end = forecast.window.start, forecast.window.end
    assert isinstance(start, When) and isinstance(end, When)
    assert (start.earliest, start.latest) == (d("2028-01-06"), d("2028-04-30"))
    assert (end.earliest, end.latest) == (d("2029-01-06"), d("2029-04-30"))
    assert str(forecast.window) == "+2y..+3y"


def test_relative_window_clamps_month_ends(loaded):
    """
    forecasters:
      - {id: alice, name: Alice}
    questions:
      - id: robots
        title: Robots
        criteria: The day it happens.
        kind: date
        deadline: 2035-12-31
        forecasts:
          - {by: alice, made: 2024-01-31, window: [+1m, +13m], basis: stated}
          - {by: alice, made: 2024-02-29, window: [+1y, +4y], basis: stated}
          - {by: alice, made: 2024-01-31, window: [+10d, +6w], basis: stated}
    """
    ledger, errors = loaded
    assert errors == []
    ends = [
        (f.window.start.earliest, f.window.end.latest)  # type: ignore[union-attr]
        for f in only(ledger).forecasts
    ]
    assert ends == [  # in order of made
        (d("2024-02-29"), d("2025-02-28")),  # Jan 31 + 1 month: the last day of Feb
        (d("2024-02-10"), d("2024-03-13")),  # days and weeks are exact
        (d("2025-02-28"), d("2028-02-29")),  # Feb 29 + 1 year: no Feb 29 in 2025
    ]


def test_windows_with_open_ends_absolute_dates_and_numbers(loaded):
    """
    forecasters:
      - {id: alice, name: Alice}
    questions:
      - id: robots
        title: Robots
        criteria: The day it happens.
        kind: date
        deadline: 2035-12-31
        forecasts:
          - {by: alice, made: 2025-08-27, window: [+10y, null], basis: stated}
          - {by: alice, made: 2025-09-12, window: "2028..2030-06", p: 50%, basis: stated}
      - id: units
        title: Units
        criteria: The count.
        kind: numeric
        deadline: 2035-12-31
        forecasts:
          - {by: alice, made: 2025-01-01, window: [1e3, 2500], basis: stated}
          - {by: alice, made: 2025-01-02, window: 10..20, basis: stated}
    """
    ledger, errors = loaded
    assert errors == []
    (open_end, absolute), (scientific, dotted) = (q.forecasts for q in ledger.questions)
    assert open_end.window.start.earliest == d("2035-08-27")  # type: ignore[union-attr]
    assert open_end.window.end is None  # type: ignore[union-attr]
    assert absolute.window.start == When(d("2028-01-01"), d("2028-12-31"), "2028")  # type: ignore[union-attr]
    assert absolute.window.end.latest == d("2030-06-30")  # type: ignore[union-attr]
    assert absolute.p == 0.5
    assert (scientific.window.start, scientific.window.end) == (1000.0, 2500.0)  # type: ignore[union-attr]
    assert (dotted.window.start, dotted.window.end) == (10.0, 20.0)  # type: ignore[union-attr]


def test_the_example_ledgers_relative_windows():
    ledger, errors = load_file(str(EXAMPLE))
    assert errors == []
    robots = next(q for q in ledger.questions if q.id == "robotics-chatgpt-moment")
    tworek = next(f for f in robots.forecasts if f.by == "jerry-tworek")
    assert tworek.window.start.earliest == d("2028-01-06")  # type: ignore[union-attr]
    assert tworek.window.end.latest == d("2029-04-30")  # type: ignore[union-attr]


def test_a_window_relative_to_a_broken_made_adds_no_second_error(loaded):
    """
    forecasters:
      - {id: alice, name: Alice}
    questions:
      - id: robots
        title: Robots
        criteria: The day it happens.
        kind: date
        deadline: 2035-12-31
        forecasts:
          - {by: alice, made: 2026-13-01, window: +2y..+3y, basis: stated}
          - {by: alice, window: +2y..+3y, basis: stated}
    """
    _, errors = loaded
    assert messages(errors) == [
        "test.yaml:10: impossible date '2026-13-01': there is no month 13",
        "test.yaml:11: forecast is missing required field 'made'",
    ]


# -- mapped probabilities --------------------------------------------------------------


def test_a_mapped_forecast_takes_p_from_its_table(loaded):
    """
    forecasters:
      - {id: alice, name: Alice}
    questions:
      - id: q
        title: Q
        criteria: It happens.
        kind: binary
        deadline: 2030-12-31
        forecasts:
          - {by: alice, made: 2025-01-01, basis: mapped, table: icd-203, words: Likely}
          - {by: alice, made: 2025-01-02, basis: mapped, table: icd-203, words: likely, p: 67.5%}
          - {by: alice, made: 2025-01-03, basis: mapped, table: mauboussin-2018, words: probably}
    """
    ledger, errors = loaded
    assert errors == []
    assert [f.p for f in only(ledger).forecasts] == [0.675, 0.675, 0.7]


# -- records, lines and order ----------------------------------------------------------


def test_records_know_the_line_of_each_field(loaded):
    """
    forecasters:
      - id: alice
        name: Alice
    questions:
      - id: q
        title: Q
        criteria: It happens.
        kind: binary
        deadline: 2030-12-31
        forecasts:
          - by: alice
            made: 2025-01-01
            p: 0.5
            basis: stated
    """
    ledger, _ = loaded
    question = only(ledger)
    assert question.location.line == 5
    assert question.at("deadline").line == 9
    (forecast,) = question.forecasts
    assert (forecast.location.line, forecast.at("p").line) == (11, 13)
    assert forecast.at("no-such-field") == forecast.location


def test_forecasts_and_outcomes_are_sorted_by_date_not_by_file_order(loaded):
    """
    forecasters:
      - {id: alice, name: Alice}
    questions:
      - id: q
        title: Q
        criteria: It happens.
        kind: binary
        deadline: 2030-12-31
        forecasts:
          - {by: alice, made: 2025-03-01, p: 0.3, basis: stated}
          - {by: alice, made: 2025-01-01, p: 0.1, basis: stated}
          - {by: alice, made: 2025-02, p: 0.2, basis: stated}
        outcomes:
          - {result: no, known: 2030-06-01, recorded: 2030-07-01}
          - {result: yes, known: 2030-06-01, recorded: 2030-06-02}
    """
    ledger, errors = loaded
    assert errors == []
    question = only(ledger)
    assert [f.p for f in question.forecasts] == [0.1, 0.2, 0.3]
    assert [o.result.kind for o in question.outcomes] == ["yes", "no"]


def test_a_broken_record_is_left_out_but_its_references_are_kept(loaded):
    """
    forecasters:
      - id: alice
        name: [not, text]
    questions:
      - id: q
        title: Q
        criteria: It happens.
        kind: binary
        deadline: 2030-13-31
        forecasts:
          - {by: alice, made: 2025-01-01, p: 0.5, basis: stated}
          - {by: bob, made: 2025-01-01, p: 0.5, basis: stated}
    """
    ledger, errors = loaded
    assert (ledger.forecasters, ledger.questions) == ((), ())
    assert ledger.broken == {("forecaster", "alice"), ("question", "q")}
    assert [(kind, id) for kind, id, _ in ledger.references] == [
        ("forecaster", "alice"),
        ("forecaster", "bob"),
    ]
    assert messages(errors) == [
        "test.yaml:3: 'name' must be text, got a list",
        "test.yaml:9: impossible date '2030-13-31': there is no month 13",
        "test.yaml:12: forecaster 'bob' is not declared",
    ]


def test_a_misspelt_required_key_is_reported_once(loaded):
    """
    questions:
      - id: q
        titel: Q
        criteria: It happens.
        kind: binary
        deadline: 2030-12-31
    """
    _, errors = loaded
    assert messages(errors) == [
        "test.yaml:3: unknown field 'titel' in question; did you mean 'title'?"
    ]


def test_duplicate_keys_are_reported_not_merged(loaded):
    """
    questions:
      - id: q
        title: Q
        criteria: It happens.
        kind: binary
        kind: date
        deadline: 2030-12-31
    """
    ledger, errors = loaded
    assert messages(errors) == [
        "test.yaml:6: duplicate key 'kind' in question (first at line 5)"
    ]
    assert only(ledger).kind == "binary"


def test_text_refuses_an_empty_value() -> None:
    node = yaml.compose("note: ~").value[0][1]
    with pytest.raises(FieldError, match="'note' is empty"):
        load.RecordReader("test.yaml").text(node, "note")


# -- hostile input ---------------------------------------------------------------------


def test_python_tags_are_refused_and_never_run(tmp_path: Path) -> None:
    target = tmp_path / "pwned"
    text = PEOPLE + textwrap.dedent(f"""\
      - !!python/object/apply:os.system ["touch {target}"]
      - id: q
        title: !!python/object/apply:os.system ["touch {target}"]
        criteria: It happens.
        kind: binary
        deadline: 2030-12-31
        note: !!python/none
    """)
    _, errors = load_text(text, "test.yaml")
    assert messages(errors) == [
        "test.yaml:9: YAML tag '!!python/object/apply:os.system' is not allowed in a ledger",
        "test.yaml:11: YAML tag '!!python/object/apply:os.system' is not allowed in a ledger",
        "test.yaml:15: YAML tag '!!python/none' is not allowed in a ledger",
    ]
    assert not target.exists()


def bomb(levels: int, width: int = 10) -> str:
    """A "billion laughs" document: width ** levels strings once expanded."""
    lines = ['a0: &a0 ["' + '","'.join(["lol"] * width) + '"]']
    for level in range(1, levels):
        lines.append(
            f"a{level}: &a{level} [" + ",".join([f"*a{level - 1}"] * width) + "]"
        )
    lines.append(f"questions: *a{levels - 1}")
    return "\n".join(lines) + "\n"


def test_an_alias_bomb_is_refused_without_expanding() -> None:
    _, errors = load_text(bomb(9), "bomb.yaml")  # 10^9 strings if expanded
    message = "YAML aliases (*name) are not allowed in a ledger; write the value out"
    assert messages(errors) == [f"bomb.yaml:{line}: {message}" for line in range(2, 11)]


def test_an_alias_bomb_stays_within_a_gigabyte(tmp_path: Path) -> None:
    """Under RLIMIT_AS of ~1 GB an expanding loader would die; ours completes."""
    path = tmp_path / "bomb.yaml"
    path.write_text(bomb(9), encoding="utf-8")
    script = textwrap.dedent(f"""\
        import resource
        limit = 1 << 30
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
        from ledger.loader.load import load_file
        from ledger.validate import validate
        ledger, errors = load_file({str(path)!r})
        errors += validate(ledger)
        print(len(errors))
    """)
    done = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert (done.returncode, done.stdout, done.stderr) == (0, "9\n", "")


def test_deep_nesting_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    deep = "[" * 100000
    _, errors = load_text(deep, "deep.yaml")
    assert messages(errors) == [
        "deep.yaml:1: YAML syntax error: exceeded maximum nesting depth "
        "(while increasing flow level)"
    ]
    # The pure-Python parser has no depth limit; its composer recurses instead.
    monkeypatch.setattr(nodes, "_Loader", yaml.SafeLoader)
    _, errors = load_text(deep, "deep.yaml")
    assert messages(errors) == ["deep.yaml:1: YAML nesting is too deep"]


def test_a_lone_surrogate_is_an_error() -> None:
    _, errors = load_text("questions: []\n# \ud800\n", "test.yaml")
    assert messages(errors) == [
        "test.yaml:2: the text is not valid Unicode (a lone surrogate); save it as UTF-8"
    ]


def test_decode_drops_a_bom_and_locates_a_bad_byte() -> None:
    assert decode(b"\xef\xbb\xbfquestions: []\n", "x.yaml") == ("questions: []\n", [])
    text, errors = decode(b"questions: []\n# caf\xe9\n", "x.yaml")
    assert text is None
    assert messages(errors) == [
        "x.yaml:2: the file is not UTF-8: byte 0xe9 at column 6; save it as UTF-8"
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "the ledger is empty; expected a mapping with a 'questions' list"),
        (
            "# only a comment\n",
            "the ledger is empty; expected a mapping with a 'questions' list",
        ),
        ("~\n", "the ledger is empty; expected a mapping with a 'questions' list"),
        (
            "- a\n",
            "the top level must be a mapping with 'forecasters', 'sources' and 'questions', got a list",
        ),
        (
            "yes\n",
            "the top level must be a mapping with 'forecasters', 'sources' and 'questions', got 'yes'",
        ),
    ],
)
def test_a_file_that_is_not_a_ledger(text: str, message: str) -> None:
    _, errors = load_text(text, "x.yaml")
    assert messages(errors) == [f"x.yaml:1: {message}"]


def test_an_explicit_document_end_is_fine() -> None:
    _, errors = load_text("---\nquestions: []\n...\n", "x.yaml")
    assert errors == []


# -- properties: whatever the input, errors come back as values ------------------------

ERROR_LINE = re.compile(r"x\.yaml:\d+: \S")
AS_OF = dt.date(2040, 1, 1)
EXAMPLE_LINES = EXAMPLE.read_bytes().splitlines(keepends=True)


def check_never_raises(data: bytes) -> None:
    text, errors = decode(data, "x.yaml")
    if text is not None:
        ledger, errors = load_text(text, "x.yaml")
        errors = errors + validate(ledger)
    # YAML also breaks lines at a lone CR, NEL and U+2028/9; str.splitlines does too
    lines = max(len((text or "").splitlines()), data.count(b"\n")) + 1
    for error in errors:
        assert isinstance(error, Error)
        assert ERROR_LINE.match(str(error)), str(error)
        assert 1 <= error.location.line <= lines + 1, str(error)
    if text is not None and not errors:  # a clean ledger: the rules apply to it
        questions = rules.index(ledger)
        for question in ledger.questions:
            rules.standing_forecasts(question)
            rules.status(question, rules.outcome(question, questions, AS_OF), AS_OF)


VALUES = [
    "",
    "~",
    "[]",
    "{}",
    "[a, b]",
    "yes",
    "no",
    "on",
    "void",
    "provisional:0.5",
    "0",
    "1",
    "1.3",
    "1e-3",
    "1e400",
    "70%",
    "70 %",
    "0,7",
    "2025-13-01",
    "2025-02-30",
    "2026-01-06..2026-04-30",
    "2030..2028",
    "02/03/2025",
    "+2y",
    "+2y..+3y",
    "+3y..+2y",
    "+99999y",
    "[+10y, null]",
    "[5, 3]",
    "date",
    "numeric",
    "binary",
    "mapped",
    "judged",
    "icd-203",
    "likely",
    "jerry-tworek",
    "alcie",
    "robotics-chatgpt-moment",
    "*x",
    "&x a",
    "!!python/none",
    "'quoted'",
]


@st.composite
def mutations(draw: st.DrawFn) -> bytes:
    """predictions.yaml with a few lines deleted, cut, inserted, re-indented, swapped
    or given another value."""
    lines = list(EXAMPLE_LINES)
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(lines) - 1))
        edit = draw(
            st.sampled_from(["delete", "truncate", "insert", "indent", "swap", "value"])
        )
        if edit == "value":
            key, colon, _ = lines[at].partition(b": ")
            value = draw(st.sampled_from(VALUES)).encode()
            lines[at] = key + b": " + value + b"\n" if colon else lines[at]
        elif edit == "delete":
            del lines[at]
        elif edit == "truncate":
            lines = [*lines[:at], lines[at][: draw(st.integers(0, len(lines[at])))]]
        elif edit == "insert":
            lines.insert(at, draw(st.binary(max_size=40)))
        elif edit == "indent":
            body = lines[at].lstrip(b" ")
            lines[at] = b" " * draw(st.integers(0, 12)) + body
        else:
            other = draw(st.integers(0, len(lines) - 1))
            lines[at], lines[other] = lines[other], lines[at]
        if not lines:
            break
    return b"".join(lines)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=2000))
def test_random_bytes_never_raise(data: bytes) -> None:
    check_never_raises(data)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutations())
def test_mutations_of_the_example_never_raise(data: bytes) -> None:
    check_never_raises(data)


WORDS = "questions forecasts outcomes window date binary numeric 2025-01-01 +2y .. null"
YAMLISH = st.lists(
    st.sampled_from(
        [
            *"abcpqy019-.:%+&*!?[]{},'\"#|>~ \n",
            *[
                "- ",
                ": ",
                "\n  ",
                "\n    ",
                "p: ",
                "made: ",
                "by: ",
                "kind: ",
                "result: ",
            ],
            *WORDS.split(),
            *["yes", "no", "on", "1e-3", "70%"],
        ]
    ),
    max_size=80,
).map("".join)


@settings(max_examples=200, deadline=None)
@given(YAMLISH)
def test_yaml_ish_text_never_raises(text: str) -> None:
    check_never_raises(text.encode("utf-8"))


def test_every_error_prints_on_one_line_however_odd_the_value() -> None:
    text = 'questions:\n  - id: q\n    "a\\rb\\nc": 1\n    title: "' + "x" * 5000 + '"\n'
    _, errors = load_text(text, "odd.yaml")
    assert errors
    for error in errors:
        shown = str(error)
        assert "\n" not in shown and "\r" not in shown
        assert len(shown) < 500
        assert shown.startswith("odd.yaml:")
    assert any("a\\rb\\nc" in str(e) for e in errors)
