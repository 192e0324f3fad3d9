"""`ledger list` (and `ledger check`) through the command line.

Every expected value here is worked out by hand from the YAML written in this
file (or read from the YAML with PyYAML), never by calling `ledger.listing`.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from ledger.cli import main
from ledger.show import lists as listing

ROOT = Path(__file__).resolve().parent.parent.parent
SAMPLE = ROOT / "tests" / "data" / "sample.yaml"
PREDICTIONS = ROOT / "predictions.yaml"

# A small invented ledger. Each question exercises one status rule; the
# expected statuses at several --as-of dates are in STATUS below.
SMALL = textwrap.dedent(
    """\
    forecasters:
      - id: alice
        name: Alice Example
        aliases: [Ally]
      - id: bob
        name: Bob Builder

    sources:
      - id: notes
        title: The keeper's invented notes
        kind: other

    questions:
      - id: open-late
        title: Open question with a late deadline
        criteria: Invented.
        kind: binary
        deadline: 2031-06-30
        tags: [alpha]
        forecasts:
          - {by: alice, made: 2026-01-10, source: notes, p: 0.6, basis: stated}
          - {by: bob, made: 2026-02-01, p: 30%, basis: stated}
          - {by: alice, made: 2026-03-01, p: 0.75, basis: stated}

      - id: open-soon
        title: Open question with an early deadline
        criteria: Invented.
        kind: binary
        deadline: 2030-03-31
        tags: [beta]
        forecasts:
          - {by: bob, made: 2026-05-01, p: 0.4, basis: stated}

      - id: due-old
        title: Deadline passed long ago, no outcome
        criteria: Invented.
        kind: binary
        deadline: 2029-01-31
        tags: [alpha, beta]
        forecasts:
          - {by: alice, made: 2027-01-01, p: 0.2, basis: stated}

      - id: due-recent
        title: Deadline passed recently, no outcome
        criteria: Invented.
        kind: binary
        deadline: 2029-11-30
        tags: [gamma]
        forecasts:
          - {by: bob, made: 2029-06-01, p: 0.9, basis: stated}

      - id: resolved-yes
        title: Resolves yes a little after its deadline
        criteria: Invented.
        kind: binary
        deadline: 2028-12-31
        tags: [alpha]
        forecasts:
          - {by: alice, made: 2027-06-01, p: 0.8, basis: stated}
        outcomes:
          - {result: yes, known: 2029-01-15, recorded: 2029-01-20}

      - id: voided
        title: Called off
        criteria: Invented.
        kind: binary
        deadline: 2028-10-31
        tags: [beta]
        forecasts:
          - {by: bob, made: 2027-02-01, p: 0.5, basis: stated}
        outcomes:
          - {result: void, known: 2028-11-01, recorded: 2028-11-02}

      - id: muddled
        title: Nobody can tell
        criteria: Invented.
        kind: binary
        deadline: 2028-09-30
        forecasts:
          - {by: alice, made: 2027-03-01, p: 0.5, basis: stated}
        outcomes:
          - {result: ambiguous, known: 2028-10-01, recorded: 2028-10-01}

      - id: market
        title: Only a market price so far
        criteria: Invented.
        kind: binary
        deadline: 2030-12-31
        forecasts:
          - {by: alice, made: 2026-06-01, p: 0.3, basis: stated}
        outcomes:
          - {result: "provisional:0.45", known: 2027-01-01, recorded: 2027-01-01}

      - id: parent
        title: The condition
        criteria: Invented.
        kind: binary
        deadline: 2028-06-30
        forecasts:
          - {by: bob, made: 2026-07-01, p: 0.6, basis: stated}
        outcomes:
          - {result: no, known: 2028-05-01, recorded: 2028-05-02}

      - id: child
        title: Only meaningful if the condition holds
        criteria: Invented.
        kind: binary
        deadline: 2029-06-30
        condition: parent
        forecasts:
          - {by: alice, made: 2026-08-01, p: 0.1, basis: stated}

      - id: launch-date
        title: The day it launches
        criteria: Invented.
        kind: date
        deadline: 2031-12-31
        tags: [gamma]
        forecasts:
          - by: alice
            made: 2026-01-06..2026-04-30
            quote: "In about two to three years."
            window: +2y..+3y
            basis: stated
          - {by: bob, made: 2026-09-01, window: [2027-01-01, null], p: 0.7,
             basis: stated}
          - {by: bob, made: 2026-10-01, window: [null, 2028-06-30], p: 0.55,
             basis: stated}

      - id: empty-numeric
        title: A number nobody has forecast yet
        criteria: Invented.
        kind: numeric
        unit: "%"
        deadline: 2032-01-31
    """
)

IDS = [
    "open-late",
    "open-soon",
    "due-old",
    "due-recent",
    "resolved-yes",
    "voided",
    "muddled",
    "market",
    "parent",
    "child",
    "launch-date",
    "empty-numeric",
]

# Worked out by hand from SMALL: the status of every question as of a date.
# - 2028-03-01: nothing is known yet, no deadline has passed: all open.
# - 2028-12-31: voided/muddled known (void), parent known no (resolved), so its
#   child is void; resolved-yes's deadline is today, its outcome comes later: open.
# - 2029-01-10: resolved-yes's deadline passed, its outcome is not known yet: due.
# - 2030-01-01: resolved-yes known; due-old and due-recent passed with no outcome;
#   market has only a provisional outcome: open.
STATUS = {
    "2028-03-01": dict.fromkeys(IDS, "open"),
    "2028-12-31": {
        **dict.fromkeys(IDS, "open"),
        "voided": "void",
        "muddled": "void",
        "child": "void",
        "parent": "resolved",
    },
    "2029-01-10": {
        **dict.fromkeys(IDS, "open"),
        "voided": "void",
        "muddled": "void",
        "child": "void",
        "parent": "resolved",
        "resolved-yes": "due",
    },
    "2030-01-01": {
        **dict.fromkeys(IDS, "open"),
        "voided": "void",
        "muddled": "void",
        "child": "void",
        "parent": "resolved",
        "resolved-yes": "resolved",
        "due-old": "due",
        "due-recent": "due",
    },
}

# sample.yaml (tests/data), worked out by hand from its outcomes.
SAMPLE_STATUS = {
    # Only rain-in-june .. coin-lands-heads and match-played are known by then;
    # referee-call's "ambiguous" is known 2027-05-01; market-election is provisional.
    "2027-03-15": {
        "rain-in-june": "resolved",
        "rates-cut-2026": "resolved",
        "budget-passes": "resolved",
        "coin-lands-heads": "resolved",
        "match-played": "void",
        "referee-call": "open",
        "market-election": "open",
        "cure-found": "open",
        "bridge-opens": "open",
        "sun-rises": "open",
        "rocket-launch": "open",
        "fusion-power": "open",
        "olympiad-gold": "open",
        "inflation-2027": "open",
        "fusion-profitable": "open",
        "launch-before-fusion": "open",
    },
    # Everything known; fusion-power resolved no, so fusion-profitable is void and
    # launch-before-fusion derives yes; market-election is past its deadline with
    # only a provisional price: due.
    "2030-01-01": {
        "rain-in-june": "resolved",
        "rates-cut-2026": "resolved",
        "budget-passes": "resolved",
        "coin-lands-heads": "resolved",
        "match-played": "void",
        "referee-call": "void",
        "market-election": "due",
        "cure-found": "open",
        "bridge-opens": "due",
        "sun-rises": "due",
        "rocket-launch": "resolved",
        "fusion-power": "resolved",
        "olympiad-gold": "resolved",
        "inflation-2027": "resolved",
        "fusion-profitable": "void",
        "launch-before-fusion": "resolved",
    },
}

GROUP = {"due": 0, "open": 1, "resolved": 2, "void": 3}
SUMMARY = re.compile(
    r"^(\d+) questions as of (\d{4}-\d\d-\d\d): "
    r"(\d+) open, (\d+) due, (\d+) resolved, (\d+) void$"
)


# ---------------------------------------------------------------- helpers


@pytest.fixture
def small(tmp_path: Path) -> Path:
    path = tmp_path / "small.yaml"
    path.write_text(SMALL, encoding="utf-8")
    return path


def run(*args: str | Path, code: int = 0):  # type: ignore[no-untyped-def]
    result = CliRunner().invoke(main, [str(a) for a in args])
    assert result.exit_code == code, (result.exit_code, result.output, result.exception)
    return result


def as_json(*args: str | Path) -> list[dict]:
    return json.loads(run("list", *args, "--format", "json").stdout)


def as_csv(*args: str | Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(run("list", *args, "--format", "csv").stdout)))


def earliest(made: object) -> dt.date:
    """The earliest reading of a `made` value as PyYAML reads it."""
    if isinstance(made, dt.date):
        return made
    text = str(made).split("..")[0]
    parts = [int(x) for x in text.split("-")] + [1, 1]
    return dt.date(parts[0], parts[1], parts[2])


def parsed(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def deadline(question: dict) -> dt.date:
    value = question["deadline"]
    assert isinstance(value, dt.date), "the tests' ledgers use exact deadlines"
    return value


def blocks(text: str) -> tuple[str, dict[str, list[str]]]:
    """The summary line, and each question's lines keyed by its id."""
    summary, *rest = text.rstrip("\n").split("\n\n")
    found = {}
    for block in rest:
        lines = block.split("\n")
        found[lines[0].split()[0]] = lines
    return summary, found


def check_order(
    ids: list[str], status: dict[str, str], deadlines: dict[str, dt.date]
) -> None:
    """Due first (most overdue first), then open by deadline, resolved, void."""
    groups = [GROUP[status[i]] for i in ids]
    assert groups == sorted(groups), list(zip(ids, groups, strict=True))
    for name in ("due", "open"):
        days = [deadlines[i] for i in ids if status[i] == name]
        assert days == sorted(days), (name, ids)


# ---------------------------------------------------------------- statuses and order


@pytest.mark.parametrize("as_of", sorted(STATUS))
def test_statuses_order_and_summary_on_a_small_ledger(small: Path, as_of: str) -> None:
    expected = STATUS[as_of]
    deadlines = {q["id"]: deadline(q) for q in parsed(small)["questions"]}
    found = as_json(small, "--as-of", as_of)
    assert {row["id"]: row["status"] for row in found} == expected
    ids = [row["id"] for row in found]
    check_order(ids, expected, deadlines)

    summary, table = blocks(run("list", small, "--as-of", as_of).stdout)
    match = SUMMARY.match(summary)
    assert match, summary
    counts = [
        list(expected.values()).count(s) for s in ("open", "due", "resolved", "void")
    ]
    assert [int(x) for x in match.groups()[2:]] == counts
    assert int(match[1]) == len(IDS) and match[2] == as_of
    assert list(table) == ids  # the table lists the same questions in the same order


def test_exact_order_at_2030(small: Path) -> None:
    ids = [row["id"] for row in as_json(small, "--as-of", "2030-01-01")]
    # due: due-old (2029-01-31) is more overdue than due-recent (2029-11-30);
    # open by deadline; then the resolved ones, then the void ones.
    assert ids[:7] == [
        "due-old",
        "due-recent",
        "open-soon",
        "market",
        "open-late",
        "launch-date",
        "empty-numeric",
    ]
    assert set(ids[7:9]) == {"parent", "resolved-yes"}
    assert set(ids[9:]) == {"voided", "muddled", "child"}


@pytest.mark.parametrize("as_of", sorted(SAMPLE_STATUS))
def test_statuses_on_sample(as_of: str) -> None:
    expected = SAMPLE_STATUS[as_of]
    assert {q["id"] for q in parsed(SAMPLE)["questions"]} == set(expected)
    deadlines = {q["id"]: deadline(q) for q in parsed(SAMPLE)["questions"]}
    found = as_json(SAMPLE, "--as-of", as_of)
    assert {row["id"]: row["status"] for row in found} == expected
    check_order([row["id"] for row in found], expected, deadlines)
    summary = run("list", SAMPLE, "--as-of", as_of).stdout.splitlines()[0]
    match = SUMMARY.match(summary)
    assert match, summary
    counts = [
        list(expected.values()).count(s) for s in ("open", "due", "resolved", "void")
    ]
    assert [int(x) for x in match.groups()[2:]] == counts


def test_outcomes_and_reasons_in_json(small: Path) -> None:
    found = {row["id"]: row for row in as_json(small, "--as-of", "2030-01-01")}
    assert found["resolved-yes"]["outcome"]["result"] == "yes"
    assert found["resolved-yes"]["outcome"]["known"] == "2029-01-15"
    assert found["muddled"]["outcome"]["result"] == "ambiguous"
    assert found["voided"]["outcome"]["result"] == "void"
    assert found["child"]["outcome"]["result"] == "void"  # derived from its condition
    assert found["parent"]["outcome"]["result"] == "no"
    assert found["due-old"]["outcome"] is None
    # deadline 2029-01-31 is 335 days before 2030-01-01
    assert found["due-old"]["days_to_deadline"] == -335
    assert found["open-soon"]["days_to_deadline"] == 89  # 2030-03-31


# ---------------------------------------------------------------- --as-of


def test_outcome_known_after_as_of_does_not_count() -> None:
    # inflation-2027: deadline 2027-12-31, result known 2028-02-28.
    before = {r["id"]: r for r in as_json(SAMPLE, "--as-of", "2028-02-27")}
    after = {r["id"]: r for r in as_json(SAMPLE, "--as-of", "2028-02-28")}
    assert before["inflation-2027"]["status"] == "due"
    assert before["inflation-2027"]["outcome"] is None
    assert after["inflation-2027"]["status"] == "resolved"
    # rain-in-june: deadline 2026-06-30 (the last day counts as open), known 2026-07-01.
    on_deadline = {
        r["id"]: r["status"] for r in as_json(SAMPLE, "--as-of", "2026-06-30")
    }
    assert on_deadline["rain-in-june"] == "open"
    assert (
        "due today"
        in blocks(run("list", SAMPLE, "--as-of", "2026-06-30").stdout)[1][
            "rain-in-june"
        ][0]
    )


def test_forecast_made_after_as_of_is_not_shown(small: Path) -> None:
    # open-late: alice 2026-01-10, bob 2026-02-01, alice 2026-03-01 (an update).
    early = {r["id"]: r for r in as_json(small, "--as-of", "2026-02-15")}
    shown = [
        (f["by"], f["made"], f["standing"]) for f in early["open-late"]["forecasts"]
    ]
    assert shown == [("alice", "2026-01-10", True), ("bob", "2026-02-01", True)]
    later = {r["id"]: r for r in as_json(small, "--as-of", "2026-03-01")}
    shown = [
        (f["by"], f["made"], f["standing"]) for f in later["open-late"]["forecasts"]
    ]
    assert shown == [
        ("alice", "2026-01-10", False),
        ("bob", "2026-02-01", True),
        ("alice", "2026-03-01", True),
    ]
    # due-recent's only forecast is made 2029-06-01; the question is still listed.
    assert early["due-recent"]["forecasts"] == []
    _, table = blocks(run("list", small, "--as-of", "2026-02-15").stdout)
    assert table["due-recent"][-1].strip() == "(no forecasts)"
    # a forecast made on a range counts from its earliest reading (2026-01-06)
    assert [f["by"] for f in early["launch-date"]["forecasts"]] == ["alice"]


@pytest.mark.parametrize("as_of", ["2026-02-15", "2027-06-01", "2030-01-01"])
def test_every_forecast_made_by_as_of_is_listed(small: Path, as_of: str) -> None:
    day = dt.date.fromisoformat(as_of)
    expected = {
        q["id"]: sorted(
            (f["by"], earliest(f["made"]))
            for f in q.get("forecasts") or []
            if earliest(f["made"]) <= day
        )
        for q in parsed(small)["questions"]
    }
    found = {
        r["id"]: sorted((f["by"], earliest(f["made"])) for f in r["forecasts"])
        for r in as_json(small, "--as-of", as_of)
    }
    assert found == expected


def test_default_as_of_is_today(small: Path) -> None:
    result = run("list", small)
    match = SUMMARY.match(result.stdout.splitlines()[0])
    assert match and int(match[1]) == len(IDS)
    dt.date.fromisoformat(match[2])
    run("list", small, "--as-of", "today")


def test_bad_as_of_is_a_usage_error(small: Path) -> None:
    run("list", small, "--as-of", "02/03/2025", code=2)
    run("list", small, "--as-of", "2026-02-30", code=2)


def test_file_defaults_to_predictions_yaml(
    small: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (small.parent / "predictions.yaml").write_text(SMALL, encoding="utf-8")
    monkeypatch.chdir(small.parent)
    found = as_json("--as-of", "2030-01-01")
    assert sorted(r["id"] for r in found) == sorted(IDS)


# ---------------------------------------------------------------- filters


@pytest.mark.parametrize("who", ["bob", "Bob Builder", "bob builder", "BOB"])
def test_forecaster_by_id_or_name(small: Path, who: str) -> None:
    found = as_json(small, "--as-of", "2030-01-01", "--forecaster", who)
    # questions with a forecast by bob: read off SMALL
    expected = sorted(
        q["id"]
        for q in parsed(small)["questions"]
        if any(f["by"] == "bob" for f in q.get("forecasts") or [])
    )
    assert sorted(r["id"] for r in found) == expected
    assert all(f["by"] == "bob" for r in found for f in r["forecasts"])
    # launch-date: both of bob's forecasts, the first replaced by the second
    launch = next(r for r in found if r["id"] == "launch-date")
    assert [f["standing"] for f in launch["forecasts"]] == [False, True]


def test_forecaster_by_alias(small: Path) -> None:
    by_alias = as_json(small, "--as-of", "2030-01-01", "--forecaster", "Ally")
    by_id = as_json(small, "--as-of", "2030-01-01", "--forecaster", "alice")
    assert by_alias == by_id
    assert {f["by"] for r in by_alias for f in r["forecasts"]} == {"alice"}


def test_forecaster_hides_questions_with_no_forecast_by_then(small: Path) -> None:
    # bob's only forecast on due-recent is made 2029-06-01
    ids = [
        r["id"] for r in as_json(small, "--as-of", "2029-05-31", "--forecaster", "bob")
    ]
    assert "due-recent" not in ids and "open-late" in ids


def test_forecaster_alias_on_predictions_yaml() -> None:
    found = as_json(
        PREDICTIONS, "--as-of", "2030-12-31", "--forecaster", "Jerry Torque"
    )
    expected = sorted(
        q["id"]
        for q in parsed(PREDICTIONS)["questions"]
        if any(f["by"] == "jerry-tworek" for f in q.get("forecasts") or [])
    )
    assert expected and sorted(r["id"] for r in found) == expected
    assert {f["by"] for r in found for f in r["forecasts"]} == {"jerry-tworek"}
    by_id = as_json(
        PREDICTIONS, "--as-of", "2030-12-31", "--forecaster", "jerry-tworek"
    )
    assert by_id == found


@pytest.mark.parametrize(
    ("who", "hint"), [("alcie", "did you mean 'alice'?"), ("nobody-at-all", None)]
)
def test_unknown_forecaster(small: Path, who: str, hint: str | None) -> None:
    result = run("list", small, "--forecaster", who, code=2)
    assert f"unknown forecaster '{who}'" in result.stderr
    if hint:
        assert hint in result.stderr
    else:
        assert "did you mean" not in result.stderr
    assert result.stdout == ""


def test_unknown_forecaster_on_predictions_yaml() -> None:
    result = run("list", PREDICTIONS, "--forecaster", "Jerry Torqe", code=2)
    assert "did you mean 'jerry-tworek'?" in result.stderr


def test_tag_filter_is_any_of(small: Path) -> None:
    questions = parsed(small)["questions"]

    def tagged(*tags: str) -> list[str]:
        return sorted(
            q["id"] for q in questions if set(tags) & set(q.get("tags") or [])
        )

    one = as_json(small, "--as-of", "2030-01-01", "--tag", "alpha")
    assert (
        sorted(r["id"] for r in one)
        == tagged("alpha")
        == ["due-old", "open-late", "resolved-yes"]
    )
    two = as_json(small, "--as-of", "2030-01-01", "--tag", "alpha", "--tag", "gamma")
    assert sorted(r["id"] for r in two) == tagged("alpha", "gamma")
    assert len(two) == 5
    assert as_json(small, "--as-of", "2030-01-01", "--tag", "no-such-tag") == []


def test_status_filter_is_repeatable(small: Path) -> None:
    expected = STATUS["2030-01-01"]
    for chosen in (["due"], ["void"], ["due", "void"], ["open", "resolved"]):
        args = [a for s in chosen for a in ("--status", s)]
        found = as_json(small, "--as-of", "2030-01-01", *args)
        assert sorted(r["id"] for r in found) == sorted(
            i for i, s in expected.items() if s in chosen
        )
    summary = run("list", small, "--as-of", "2030-01-01", "--status", "due").stdout
    assert (
        summary.splitlines()[0]
        == "2 questions as of 2030-01-01: 0 open, 2 due, 0 resolved, 0 void"
    )
    run("list", small, "--status", "pending", code=2)


def test_filters_combine(small: Path) -> None:
    found = as_json(
        small,
        "--as-of",
        "2030-01-01",
        "--tag",
        "beta",
        "--status",
        "open",
        "--forecaster",
        "bob",
    )
    assert [r["id"] for r in found] == ["open-soon"]


# ---------------------------------------------------------------- formats


def test_table_is_readable(small: Path) -> None:
    text = run("list", small, "--as-of", "2030-01-01").stdout
    summary, table = blocks(text)
    assert summary == "12 questions as of 2030-01-01: 5 open, 2 due, 2 resolved, 3 void"
    head, title, *lines = table["open-late"]
    assert head.startswith("open-late  [binary]  OPEN  deadline 2031-06-30 (in ")
    assert title.strip() == "Open question with a late deadline"
    assert len(lines) == 3
    first, second, third = lines
    assert re.search(r"alice\s+made 2026-01-10\s+p 60%\s+\[stated\].*replaced", first)
    assert re.search(r"bob\s+made 2026-02-01\s+p 30%\s+\[stated\]$", second)
    assert re.search(r"alice\s+made 2026-03-01\s+p 75%\s+\[stated\]$", third)

    assert re.match(
        r"due-old  \[binary\]  DUE  deadline 2029-01-31 \(overdue by \d",
        table["due-old"][0],
    )
    assert "[numeric]" in table["empty-numeric"][0]
    assert table["empty-numeric"][-1].strip() == "(no forecasts)"
    assert "RESOLVED" in table["resolved-yes"][0] and "yes" in table["resolved-yes"][0]
    assert "VOID" in table["muddled"][0] and "ambiguous" in table["muddled"][0]
    assert "VOID" in table["child"][0]
    assert "OPEN" in table["market"][0]  # provisional stays open


def test_table_spans(small: Path) -> None:
    # 2029-12-10: due-recent (2029-11-30) is 10 days overdue, open-soon
    # (2030-03-31) is 111 days away.
    _, table = blocks(run("list", small, "--as-of", "2029-12-10").stdout)
    assert table["due-recent"][0].endswith("(overdue by 10d)")
    assert table["open-soon"][0].endswith("(in 3m)")
    _, table = blocks(run("list", small, "--as-of", "2030-03-21").stdout)
    assert table["open-soon"][0].endswith("(in 10d)")


def test_windows_at_widest_reading(small: Path) -> None:
    as_of = "2026-12-01"
    _, table = blocks(run("list", small, "--as-of", as_of).stdout)
    lines = table["launch-date"][2:]
    # +2y..+3y from 2026-01-06..2026-04-30
    assert re.search(
        r"alice\s+made 2026-01-06\.\.2026-04-30\s+"
        r"window 2028-01-06\.\.2029-04-30\s+no p",
        lines[0],
    )
    assert re.search(r"window 2027-01-01\.\.…\s+p 70%.*replaced", lines[1])
    assert re.search(r"window …\.\.2028-06-30\s+p 55%", lines[2])
    assert "replaced" not in lines[0] + lines[2]

    launch = next(
        r for r in as_json(small, "--as-of", as_of) if r["id"] == "launch-date"
    )
    assert [f["window"] for f in launch["forecasts"]] == [
        ["2028-01-06", "2029-04-30"],
        ["2027-01-01", None],
        [None, "2028-06-30"],
    ]
    assert [f["p"] for f in launch["forecasts"]] == [None, 0.7, 0.55]

    rows = [r for r in as_csv(small, "--as-of", as_of)[1:] if r[0] == "launch-date"]
    start, end = (
        listing.CSV_COLUMNS.index("window_start"),
        listing.CSV_COLUMNS.index("window_end"),
    )
    assert [(r[start], r[end]) for r in rows] == [
        ("2028-01-06", "2029-04-30"),
        ("2027-01-01", ""),
        ("", "2028-06-30"),
    ]


def test_csv(small: Path) -> None:
    as_of = "2030-01-01"
    table = as_csv(small, "--as-of", as_of)
    assert tuple(table[0]) == listing.CSV_COLUMNS
    assert table[0] == [
        "question",
        "title",
        "kind",
        "status",
        "deadline",
        "forecaster",
        "made",
        "p",
        "window_start",
        "window_end",
        "basis",
        "standing",
        "quantiles",
    ]
    body = [dict(zip(table[0], row, strict=True)) for row in table[1:]]
    assert all(len(row) == len(table[0]) for row in table)
    # one row per forecast; a question with none gets one row
    day = dt.date.fromisoformat(as_of)
    per_question = {
        q["id"]: max(
            1, sum(earliest(f["made"]) <= day for f in q.get("forecasts") or [])
        )
        for q in parsed(small)["questions"]
    }
    assert len(body) == sum(per_question.values())
    for qid, n in per_question.items():
        assert sum(r["question"] == qid for r in body) == n
    empty = [r for r in body if r["question"] == "empty-numeric"]
    assert empty == [
        {
            "question": "empty-numeric",
            "title": "A number nobody has forecast yet",
            "kind": "numeric",
            "status": "open",
            "deadline": "2032-01-31",
            "forecaster": "",
            "made": "",
            "p": "",
            "window_start": "",
            "window_end": "",
            "basis": "",
            "standing": "",
            "quantiles": "",
        }
    ]
    late = [
        (r["forecaster"], r["made"], r["p"], r["standing"])
        for r in body
        if r["question"] == "open-late"
    ]
    assert late == [
        ("alice", "2026-01-10", "0.6", "false"),
        ("bob", "2026-02-01", "0.3", "true"),
        ("alice", "2026-03-01", "0.75", "true"),
    ]
    assert {r["question"]: r["status"] for r in body} == STATUS[as_of]


def test_json(small: Path) -> None:
    found = as_json(small, "--as-of", "2030-01-01")
    assert isinstance(found, list) and len(found) == len(IDS)
    keys = {
        "id",
        "title",
        "kind",
        "status",
        "deadline",
        "days_to_deadline",
        "tags",
        "outcome",
        "forecasts",
    }
    forecast_keys = {"by", "made", "p", "window", "basis", "standing"}
    for row in found:
        assert keys <= set(row), row
        for forecast in row["forecasts"]:
            assert forecast_keys <= set(forecast), forecast
    rows = {r["id"]: r for r in found}
    source = {q["id"]: q for q in parsed(small)["questions"]}
    for qid, row in rows.items():
        assert row["title"] == source[qid]["title"]
        assert row["kind"] == source[qid]["kind"]
        assert row["deadline"] == source[qid]["deadline"].isoformat()
        assert row["tags"] == source[qid].get("tags", [])
        assert (
            row["days_to_deadline"]
            == (source[qid]["deadline"] - dt.date(2030, 1, 1)).days
        )
    bob = rows["open-late"]["forecasts"][1]
    assert {k: bob[k] for k in forecast_keys} == {
        "by": "bob",
        "made": "2026-02-01",
        "p": 0.3,
        "window": None,
        "basis": "stated",
        "standing": True,
    }


def test_formats_agree_on_sample() -> None:
    as_of = "2028-03-01"
    found = as_json(SAMPLE, "--as-of", as_of)
    table = as_csv(SAMPLE, "--as-of", as_of)
    _, text = blocks(run("list", SAMPLE, "--as-of", as_of).stdout)
    assert [r["id"] for r in found] == list(text)
    csv_ids = list(dict.fromkeys(row[0] for row in table[1:]))
    assert csv_ids == [r["id"] for r in found]
    assert len(table) - 1 == sum(max(1, len(r["forecasts"])) for r in found)
    # rates-cut-2026: alice's first forecast was replaced by her update
    rates = next(r for r in found if r["id"] == "rates-cut-2026")
    assert [(f["by"], f["standing"]) for f in rates["forecasts"]] == [
        ("alice", False),
        ("bob", True),
        ("alice", True),
    ]
    assert (
        "replaced" in text["rates-cut-2026"][2]
        and "replaced" not in text["rates-cut-2026"][4]
    )


# ---------------------------------------------------------------- errors


BAD = SMALL.replace(
    "{by: bob, made: 2026-05-01, p: 0.4, basis: stated}",
    "{by: bob, made: 2026-05-01, p: 1.3, basis: stated}",
).replace(
    "{by: alice, made: 2027-01-01, p: 0.2, basis: stated}",
    "{by: alcie, made: 2027-01-01, p: 0.2, basis: stated}",
)


def bad_lines() -> list[int]:
    lines = BAD.splitlines()
    return sorted(
        n for n, line in enumerate(lines, 1) if "p: 1.3" in line or "by: alcie" in line
    )


def test_list_on_a_ledger_with_errors(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(BAD, encoding="utf-8")
    for fmt in ("table", "csv", "json"):
        result = run("list", path, "--as-of", "2030-01-01", "--format", fmt, code=1)
        assert result.stdout == ""
        errors = result.stderr.splitlines()
        assert errors
        for error in errors:
            assert re.match(rf"^{re.escape(str(path))}:\d+: \S", error), error
        lines = [int(e[len(str(path)) + 1 :].split(":")[0]) for e in errors]
        assert lines == sorted(lines)
        assert set(bad_lines()) <= set(lines)
        assert any("did you mean 'alice'" in e for e in errors)


def test_list_on_a_missing_file(tmp_path: Path) -> None:
    result = run("list", tmp_path / "nope.yaml", code=2)
    assert result.stdout == ""


def test_check_is_silent_on_the_shipped_ledgers() -> None:
    for path in (PREDICTIONS, SAMPLE):
        result = run("check", path)
        assert result.stdout == "" and result.stderr == ""
    assert run("check", PREDICTIONS, "--json").stdout == ""


def test_check_json_on_a_bad_file(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(BAD, encoding="utf-8")
    result = run("check", path, "--json", code=1)
    items = json.loads(result.stdout)
    assert isinstance(items, list) and items
    for item in items:
        assert set(item) == {"path", "line", "message"}
        assert item["path"] == str(path)
        assert isinstance(item["line"], int) and isinstance(item["message"], str)
    assert set(bad_lines()) <= {item["line"] for item in items}
    plain = run("check", path, code=1)
    assert plain.stdout == ""
    assert plain.stderr.splitlines() == [
        f"{i['path']}:{i['line']}: {i['message']}" for i in items
    ]


def test_check_on_a_missing_file(tmp_path: Path) -> None:
    run("check", tmp_path / "nope.yaml", code=2)


def test_schema_prints_the_shipped_schema() -> None:
    out = run("schema").stdout
    assert json.loads(out) == json.loads(
        (ROOT / "ledger" / "schema.json").read_text("utf-8")
    )


# ---------------------------------------------------------------- the README's main job


def test_python_m_ledger_list_predictions_yaml() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "ledger", "list", "predictions.yaml"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    ids = [q["id"] for q in parsed(PREDICTIONS)["questions"]]
    assert ids
    summary, table = blocks(result.stdout)
    assert SUMMARY.match(summary)
    assert int(SUMMARY.match(summary)[1]) == len(ids)
    assert sorted(table) == sorted(ids)


def test_numbers_are_written_in_full(tmp_path: Path) -> None:
    path = tmp_path / "numbers.yaml"
    path.write_text(
        textwrap.dedent(
            """\
            forecasters:
              - {id: alice, name: Alice Example}
            sources: []
            questions:
              - id: gdp
                title: GDP
                criteria: Invented.
                kind: numeric
                unit: USD
                deadline: 2030-12-31
                forecasts:
                  - {by: alice, made: 2026-01-01, window: [1234567, 2500000],
                     p: 0.123456789, basis: stated}
            """
        ),
        encoding="utf-8",
    )
    args = (path, "--as-of", "2027-01-01")
    assert "window 1234567..2500000" in run("list", *args).stdout
    header, row = as_csv(*args)
    line = dict(zip(header, row, strict=True))
    assert (line["p"], line["window_start"], line["window_end"]) == (
        "0.123456789",
        "1234567",
        "2500000",
    )
    (forecast,) = as_json(*args)[0]["forecasts"]
    assert forecast["window"] == ["1234567", "2500000"]
    assert forecast["p"] == 0.123456789


def test_list_shows_assess_written_entered_and_not_yet(tmp_path: Path) -> None:
    text = textwrap.dedent(
        """\
        forecasters:
          - {id: alice, name: Alice}
        questions:
          - id: state
            title: A state at the deadline
            criteria: Holds on 2028-12-31.
            kind: binary
            deadline: 2028-12-31
            assess: at-deadline
            written: 2026-03
            forecasts:
              - {by: alice, made: 2026-01-10, p: 0.8, basis: stated, entered: 2026-04-02}
          - id: event
            title: An event
            criteria: The day it happens.
            kind: date
            deadline: 2035-12-31
            forecasts:
              - {by: alice, made: 2026-01-10, window: [2026-06-01, 2026-12-31], basis: stated}
            outcomes:
              - {result: not-yet, known: 2027-01-15, recorded: 2027-01-16}
        """
    )
    path = tmp_path / "ledger.yaml"
    path.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(
        main, ["list", str(path), "--as-of", "2027-02-01", "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    rows = {row["id"]: row for row in json.loads(result.stdout)}
    state, event = rows["state"], rows["event"]
    assert (state["assess"], state["written"], state["not_yet"]) == (
        "at-deadline", "2026-03", None
    )
    assert state["forecasts"][0]["entered"] == "2026-04-02"
    assert (event["assess"], event["written"], event["status"]) == (
        "by-deadline", None, "open"
    )
    assert event["not_yet"] == "2027-01-15"
    table = CliRunner().invoke(main, ["list", str(path), "--as-of", "2027-02-01"])
    assert "  had not happened as of 2027-01-15\n" in table.stdout
    assert "  assessed at its deadline: no final result before it\n" in table.stdout
