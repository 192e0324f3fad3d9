"""`ledger due`: overdue questions, deadlines ahead, windows closing, stale forecasts,
the .ics file."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import subprocess
import sys
from pathlib import Path

import icalendar
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from ledger.cli import main
from ledger.show.calendar import escape_text, fold

ROOT = Path(__file__).resolve().parent.parent.parent
SHIPPED = ROOT / "tests" / "data" / "shipped-2026.yaml"  # predictions.yaml, 2026-12
AS_OF = "2026-06-01"

# Deadlines counted from 2026-06-01: old-overdue 121 days late, recent-overdue 31;
# due-today 0, soon 44, month-deadline 60 (latest reading 2026-07-31),
# edge-of-window 90, just-outside 91, far-away 578 days ahead.
CRITERIA = (
    "Yes if Zoë's café in Málaga, Spain; opens (a \\ backslash).\n"
    "Second line: 日本語のテキストがここにあります、"
    "折り返しを試すために長くします。"
    "Emoji 🎉, more commas, more; semicolons."
)

LEDGER = f"""\
forecasters:
  - id: alice
    name: Alice Example
  - id: bob
    name: Bob Example
sources:
  - id: notes
    title: Invented notes
    kind: other
questions:
  - id: soon
    title: Soon, it happens; really
    criteria: {json.dumps(CRITERIA, ensure_ascii=False)}
    kind: binary
    deadline: 2026-07-15
    forecasts:
      - {{by: alice, made: 2025-05-31, p: 0.7, basis: stated}}
      - {{by: bob, made: 2025-06-01, p: 0.4, basis: stated}}
  - id: old-overdue
    title: An old question
    criteria: Resolves yes if it happens by the end of January 2026.
    kind: binary
    deadline: 2026-01-31
    forecasts:
      - {{by: alice, made: 2024-12-01, p: 0.2, basis: stated}}
      - {{by: bob, made: 2025-01..2025-06, p: 0.3, basis: stated}}
  - id: recent-overdue
    title: A recent question
    criteria: Resolves yes if it happens by 2026-05-01.
    kind: binary
    deadline: 2026-05-01
    forecasts:
      - {{by: alice, made: 2024-12-01, p: 0.6, basis: stated}}
      - {{by: alice, made: 2026-01-01, p: 0.9, basis: stated}}
    outcomes:
      - {{result: "provisional:0.4", known: 2026-04-01, recorded: 2026-04-01}}
  - id: resolved-early
    title: Resolved before the as-of date
    criteria: Resolves yes if it happens in March 2026.
    kind: binary
    deadline: 2026-03-31
    forecasts:
      - {{by: alice, made: 2024-01-01, p: 0.5, basis: stated}}
    outcomes:
      - {{result: yes, known: 2026-03-01, recorded: 2026-03-02}}
  - id: voided
    title: Voided question
    criteria: Void.
    kind: binary
    deadline: 2026-12-31
    outcomes:
      - {{result: void, known: 2026-02-01, recorded: 2026-02-01}}
  - id: due-today
    title: Due today
    criteria: Resolves on the as-of date.
    kind: binary
    deadline: 2026-06-01
  - id: month-deadline
    title: A month deadline
    criteria: Resolves by the end of July 2026.
    kind: date
    deadline: 2026-07
  - id: edge-of-window
    title: Ninety days ahead
    criteria: Ninety days.
    kind: binary
    deadline: 2026-08-30
  - id: just-outside
    title: Ninety-one days ahead
    criteria: Ninety-one days.
    kind: binary
    deadline: 2026-08-31
  - id: far-away
    title: Far away
    criteria: Far.
    kind: binary
    deadline: 2027-12-31
"""


@pytest.fixture
def book(tmp_path: Path) -> str:
    path = tmp_path / "due.yaml"
    path.write_text(LEDGER, encoding="utf-8")
    return str(path)


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["due", *args])
    return result.exit_code, result.stdout, result.stderr


def as_json(*args: str) -> dict:
    code, out, err = run(*args, "--format", "json")
    assert code == 0, err
    return json.loads(out)


# -- classification and order ---------------------------------------------------


def test_sample_ledger_is_clean(book: str) -> None:
    result = CliRunner().invoke(main, ["check", book])
    assert result.exit_code == 0, result.output


def test_overdue_most_overdue_first_with_days(book: str) -> None:
    data = as_json(book, "--as-of", AS_OF)
    assert [(r["question"], r["days"]) for r in data["overdue"]] == [
        ("old-overdue", 121),
        ("recent-overdue", 31),  # a provisional outcome leaves it due
    ]
    assert data["overdue"][0]["span"] == "4m"


def test_upcoming_within_default_window_soonest_first(book: str) -> None:
    data = as_json(book, "--as-of", AS_OF)
    assert data["within_days"] == 90
    assert [(r["question"], r["days"]) for r in data["upcoming"]] == [
        ("due-today", 0),
        ("soon", 44),
        ("month-deadline", 60),  # a month deadline is read at its latest day
        ("edge-of-window", 90),  # the window's last day counts
    ]
    month = data["upcoming"][2]
    assert (month["deadline"], month["deadline_latest"]) == ("2026-07", "2026-07-31")


def test_resolved_and_void_questions_are_not_listed(book: str) -> None:
    data = as_json(book, "--as-of", AS_OF)
    sections = ("overdue", "upcoming", "stale")
    listed = {r["question"] for section in sections for r in data[section]}
    assert not listed & {"resolved-early", "voided"}


def test_before_the_outcome_was_known_a_question_is_open(book: str) -> None:
    data = as_json(book, "--as-of", "2026-02-15")
    upcoming = [(r["question"], r["days"]) for r in data["upcoming"]]
    assert ("resolved-early", 44) in upcoming
    assert ("old-overdue", 15) in [(r["question"], r["days"]) for r in data["overdue"]]


def test_stale_forecasts_oldest_first(book: str) -> None:
    data = as_json(book, "--as-of", AS_OF)
    assert [(r["forecaster"], r["question"], r["age_days"]) for r in data["stale"]] == [
        ("alice", "old-overdue", 547),
        ("alice", "soon", 366),
    ]
    # bob on `soon` is exactly 365 days old: not more than a year.
    # bob on old-overdue (made 2025-01..2025-06) is 336 days old from its latest
    # reading, though 516 from its earliest.
    # alice on recent-overdue updated on 2026-01-01: the update stands, and is fresh.
    assert data["stale"][0]["made"] == "2024-12-01"


def test_stale_uses_only_forecasts_made_by_the_as_of_date(book: str) -> None:
    data = as_json(book, "--as-of", "2025-12-31")
    stale = {(r["forecaster"], r["question"]) for r in data["stale"]}
    assert ("alice", "recent-overdue") in stale  # her 2026 update was not made yet


def test_stale_is_a_nudge_not_an_error(book: str) -> None:
    code, out, _ = run(book, "--as-of", AS_OF)
    assert code == 0
    assert "alice" in out


# -- --within -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("within", "days"),
    [
        ("90d", 90), ("12w", 84), ("6m", 183), ("1y", 365),
        ("2Y", 731),  # 2028 is a leap year
        ("+30d", 30), ("0d", 0),
    ],
)
def test_within_accepts_days_weeks_months_years(
    book: str, within: str, days: int
) -> None:
    data = as_json(book, "--as-of", AS_OF, "--within", within)
    assert data["within_days"] == days
    assert all(r["days"] <= days for r in data["upcoming"])


def test_within_widens_the_window(book: str) -> None:
    data = as_json(book, "--as-of", AS_OF, "--within", "2y")
    ahead = [r["question"] for r in data["upcoming"]]
    assert ahead[-2:] == ["just-outside", "far-away"]
    today = as_json(book, "--as-of", AS_OF, "--within", "0d")["upcoming"]
    assert [r["question"] for r in today] == ["due-today"]


@pytest.mark.parametrize("within", ["90", "3x", "-5d", "1.5y", "", "d", "99999y"])
def test_bad_within_is_a_usage_error(book: str, within: str) -> None:
    code, _, err = run(book, "--as-of", AS_OF, "--within", within)
    assert code == 2
    assert "--within" in err
    assert "90d" in err or "9999" in err


# -- output formats -------------------------------------------------------------


def test_table_has_four_sections_and_a_summary(book: str) -> None:
    code, out, _ = run(book, "--as-of", AS_OF)
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == (
        "As of 2026-06-01: 2 overdue, 4 due within 90 days, 0 windows to check, "
        "2 stale forecasts."
    )
    headings = (
        "Overdue",
        "Due within 90 days (by 2026-08-30)",
        "Windows closed or closing by 2026-08-30 (check whether the event happened)",
        "Stale forecasts (older than a year)",
    )
    assert all(heading in lines for heading in headings)
    assert (
        out.index("Overdue") < out.index("Due within") < out.index("Windows closed")
        < out.index("Stale forecasts")
    )
    assert "overdue by 121 days (4m)" in out
    assert "due today" in out


def test_table_says_none_for_empty_sections(book: str) -> None:
    code, out, _ = run(book, "--as-of", "2024-01-01", "--within", "1d")
    assert code == 0
    assert out.count("\n  none\n") == 4


def test_json_shape(book: str) -> None:
    data = as_json(book, "--as-of", AS_OF)
    assert set(data) >= {
        "as_of", "within_days", "overdue", "upcoming", "closing", "stale"
    }
    assert data["as_of"] == AS_OF
    for row in data["overdue"] + data["upcoming"]:
        assert {"question", "title", "deadline", "days"} <= set(row)
    for row in data["stale"]:
        assert {"question", "title", "forecaster", "made", "age_days"} <= set(row)


def test_csv_one_row_per_item_with_a_section(book: str) -> None:
    code, out, _ = run(book, "--as-of", AS_OF, "--format", "csv")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    sections = [r["section"] for r in rows]
    assert sections == ["overdue"] * 2 + ["upcoming"] * 4 + ["stale"] * 2
    assert rows[0]["question"] == "old-overdue" and rows[0]["days"] == "121"
    assert rows[-1]["forecaster"] == "alice" and rows[-1]["age_days"] == "366"
    assert rows[2]["title"] == "Due today"


def test_a_ledger_with_errors_exits_1(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(LEDGER.replace("p: 0.7,", "p: 1.3,"), encoding="utf-8")
    code, out, err = run(str(path), "--as-of", AS_OF)
    assert code == 1
    assert out == ""
    assert err.startswith(f"{path}:")
    assert "1.3" in err


# -- the shipped ledger -----------------------------------------------------------


def test_shipped_ledger_in_january_2027() -> None:
    data = as_json(str(SHIPPED), "--as-of", "2027-01-15")
    # Jim Fan's December 2026 window is a claim, not a deadline: nothing is due
    # before the first deadlines at the end of 2028, but his window has closed.
    assert data["overdue"] == []
    assert data["upcoming"] == []
    assert [(r["forecaster"], r["closes"], r["days"]) for r in data["closing"]] == [
        ("jim-fan", "2026-12-31", -15)
    ]
    assert [(r["forecaster"], r["question"]) for r in data["stale"]] == [
        ("jim-fan", "robotics-chatgpt-moment"),
        ("geoffrey-hinton", "ai-extinction-by-2054"),
        ("vinod-khosla", "robotics-chatgpt-moment"),
        ("ken-goldberg", "robotics-chatgpt-moment"),
        ("sergey-levine", "robotics-chatgpt-moment"),
    ]
    age = (dt.date(2027, 1, 15) - dt.date(2023, 12, 31)).days  # latest reading of made
    assert data["stale"][0]["age_days"] == age


def test_due_imports_neither_pandas_nor_jinja2() -> None:
    code = (
        "import sys\n"
        "from click.testing import CliRunner\n"
        "from ledger.cli import main\n"
        f"r = CliRunner().invoke(main, ['due', {str(ROOT / 'predictions.yaml')!r}, "
        "'--as-of', '2027-01-15'])\n"
        "assert r.exit_code == 0, r.output\n"
        "print(sorted(m for m in ('pandas', 'jinja2', 'numpy') if m in sys.modules))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "[]"


# -- the calendar -----------------------------------------------------------------


def write_ics(book: str, out: Path, as_of: str = AS_OF) -> bytes:
    code, stdout, err = run(
        book, "--as-of", as_of, "--ics", str(out), "--format", "json"
    )
    assert code == 0, err
    json.loads(stdout)  # the notice goes to stderr, so stdout stays JSON
    assert str(out) in err
    return out.read_bytes()


def events(data: bytes) -> dict[str, icalendar.Event]:
    calendar = icalendar.Calendar.from_ical(data)
    assert str(calendar["VERSION"]) == "2.0"
    assert str(calendar["CALSCALE"]) == "GREGORIAN"
    assert "PRODID" in calendar
    return {str(event["UID"]): event for event in calendar.walk("VEVENT")}


def test_ics_has_one_event_per_open_or_due_deadline(book: str, tmp_path: Path) -> None:
    found = events(write_ics(book, tmp_path / "due.ics"))
    expected = {
        "old-overdue", "recent-overdue", "due-today", "soon", "month-deadline",
        "edge-of-window", "just-outside", "far-away",  # all, not just the window
    }
    assert set(found) == {f"{q}@ledger" for q in expected}
    assert "resolved-early@ledger" not in found and "voided@ledger" not in found


def test_ics_event_fields(book: str, tmp_path: Path) -> None:
    found = events(write_ics(book, tmp_path / "due.ics"))
    soon = found["soon@ledger"]
    assert soon["DTSTART"].dt == dt.date(2026, 7, 15)
    assert soon["DTEND"].dt == dt.date(2026, 7, 16)
    assert soon["DTSTAMP"].dt == dt.datetime(2026, 6, 1, tzinfo=dt.UTC)
    assert str(soon["SUMMARY"]) == "Due: Soon, it happens; really"
    description = str(soon["DESCRIPTION"])
    assert CRITERIA in description  # commas, semicolons, newlines, backslash, non-ASCII
    assert "soon" in description and "binary" in description
    assert found["month-deadline@ledger"]["DTSTART"].dt == dt.date(2026, 7, 31)
    assert "date" in str(found["month-deadline@ledger"]["DESCRIPTION"])


def test_ics_resolved_question_has_an_event_only_before_it_was_known(
    book: str, tmp_path: Path
) -> None:
    before = events(write_ics(book, tmp_path / "before.ics", "2026-02-15"))
    assert "resolved-early@ledger" in before
    after = events(write_ics(book, tmp_path / "after.ics", "2026-03-01"))
    assert "resolved-early@ledger" not in after


def test_ics_lines_are_crlf_and_at_most_75_octets(book: str, tmp_path: Path) -> None:
    data = write_ics(book, tmp_path / "due.ics")
    assert data.startswith(b"BEGIN:VCALENDAR\r\n")
    assert data.endswith(b"END:VCALENDAR\r\n")
    lines = data[:-2].split(b"\r\n")
    assert all(b"\n" not in line and b"\r" not in line for line in lines)
    assert max(len(line) for line in lines) <= 75
    assert any(line.startswith(b" ") for line in lines)  # the long criteria folded
    for line in lines:
        line.decode("utf-8")  # no line ends inside a multi-byte character


def test_ics_is_byte_identical_on_two_runs(book: str, tmp_path: Path) -> None:
    first = write_ics(book, tmp_path / "one.ics")
    second = write_ics(book, tmp_path / "two.ics")
    again = write_ics(book, tmp_path / "one.ics")  # overwritten in place
    assert first == second == again


def test_ics_unwritable_path_exits_1(book: str, tmp_path: Path) -> None:
    missing = tmp_path / "missing" / "x.ics"
    code, _, err = run(book, "--as-of", AS_OF, "--ics", str(missing))
    assert code == 1
    assert "x.ics" in err


# -- escaping and folding ---------------------------------------------------------


def test_escape_text() -> None:
    assert escape_text("a\\b;c,d\r\ne\rf\ng") == "a\\\\b\\;c\\,d\\ne\\nf\\ng"


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=300))
def test_fold_keeps_lines_short_and_unfolds_to_the_original(text: str) -> None:
    line = "DESCRIPTION:" + escape_text(text)
    folded = fold(line).encode("utf-8")
    assert folded.endswith(b"\r\n")
    pieces = folded[:-2].split(b"\r\n")
    assert all(len(piece) <= 75 for piece in pieces)
    assert all(piece.startswith(b" ") for piece in pieces[1:])
    assert b"".join([pieces[0], *(p[1:] for p in pieces[1:])]).decode("utf-8") == line


@settings(max_examples=100, deadline=None)
@given(
    st.text(
        alphabet=st.characters(blacklist_categories=("Cs", "Cc")),
        min_size=1,
        max_size=200,
    )
)
def test_escaped_text_round_trips_through_icalendar(text: str) -> None:
    body = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\n"
    body += "BEGIN:VEVENT\r\nUID:x\r\n"
    body += fold("DESCRIPTION:" + escape_text(text)) + "END:VEVENT\r\nEND:VCALENDAR\r\n"
    event = icalendar.Calendar.from_ical(body.encode("utf-8")).walk("VEVENT")[0]
    assert str(event["DESCRIPTION"]) == text


# -- window closings --------------------------------------------------------------


def test_shipped_ledger_due_within_a_year_lists_jim_fans_window(tmp_path: Path) -> None:
    # Issue 14: "Due within 365 days: none" hid Jim Fan's window, closing
    # 2026-12-31 (+3y from a post of December 2023).
    code, out, _ = run(str(SHIPPED), "--as-of", "2026-11-26", "--within", "1y")
    assert code == 0
    assert out.splitlines()[0] == (
        "As of 2026-11-26: 0 overdue, 0 due within 365 days, 1 window to check, "
        "5 stale forecasts."
    )
    section = out.split(
        "Windows closed or closing by 2027-11-26 (check whether the event happened)\n"
    )[1].split("\n\n")[0]
    assert section.splitlines() == [
        "  jim-fan  window 2026-12-01..2026-12-31  closes in 35 days  "
        "on robotics-chatgpt-moment",
        "  If the event had not happened by then: "
        "ledger resolve QUESTION not-yet --known DATE",
    ]
    data = as_json(str(SHIPPED), "--as-of", "2026-11-26", "--within", "2y")
    # Within two years (by 2028-11-26): Jim Fan's window and Khosla's.
    assert [(r["forecaster"], r["closes"], r["closed"]) for r in data["closing"]] == [
        ("jim-fan", "2026-12-31", False),
        ("vinod-khosla", "2028-07-01", False),
    ]


def test_a_not_yet_entry_clears_the_windows_it_closed(tmp_path: Path) -> None:
    text = SHIPPED.read_text(encoding="utf-8").replace(
        "          This window falls due soon after this file was written; not yet checked.\n"
        "    outcomes: []\n",
        "          This window falls due soon after this file was written; not yet checked.\n"
        "    outcomes:\n"
        "      - {result: not-yet, known: 2028-08-01, recorded: 2028-08-02}\n",
    )
    path = tmp_path / "ledger.yaml"
    path.write_text(text, encoding="utf-8")
    data = as_json(str(path), "--as-of", "2029-06-01", "--within", "1y")
    # Jim Fan's and Khosla's windows ended by 2028-08-01: settled, as misses.
    # Tworek's (to 2029-04-30) closed after it and is still to be checked;
    # Levine's closes 2030-12-31, past the year ahead.
    assert [(r["forecaster"], r["closes"], r["days"], r["closed"]) for r in data["closing"]] == [
        ("jerry-tworek", "2029-04-30", -32, True),
    ]
    out = run(str(path), "--as-of", "2029-06-01", "--within", "1y")[1]
    assert "window 2028-01-06..2029-04-30  closed 32 days ago (1m)" in out
    rows = list(csv.DictReader(io.StringIO(
        run(str(path), "--as-of", "2029-06-01", "--within", "1y", "--format", "csv")[1]
    )))
    closing = [r for r in rows if r["section"] == "closing"]
    assert [(r["forecaster"], r["closes"], r["days"]) for r in closing] == [
        ("jerry-tworek", "2029-04-30", "-32")
    ]


def test_ics_has_an_event_for_each_window_still_to_check(tmp_path: Path) -> None:
    found = events(write_ics(str(SHIPPED), tmp_path / "due.ics", "2026-11-26"))
    windows = {uid: e for uid, e in found.items() if uid.startswith("window-")}
    assert set(windows) == {
        f"window-{who}-robotics-chatgpt-moment@ledger"
        for who in ("jim-fan", "vinod-khosla", "jerry-tworek", "sergey-levine")
    }  # Goldberg's window has an open end: it never closes
    fan = windows["window-jim-fan-robotics-chatgpt-moment@ledger"]
    assert fan["DTSTART"].dt == dt.date(2026, 12, 31)
    assert str(fan["SUMMARY"]).startswith("Window closes: jim-fan on Robotics")
    assert (
        "ledger resolve robotics-chatgpt-moment not-yet --known 2026-12-31"
        in str(fan["DESCRIPTION"])
    )
