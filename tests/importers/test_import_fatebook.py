"""`ledger import fatebook`: Fatebook's CSV export in, a ledger out.

EXPORT below is a HAND-MADE example of the format, not real Fatebook data: it
follows `questionsToCsv` in Sage-Future/fatebook `lib/web/export.ts` (header
names and order, string cells double-quoted with "" escapes, dates written
`YYYY-MM-DD H:MM:S` with unpadded seconds, empty cells for missing values,
rows joined with a bare newline). The people, questions and numbers are
invented.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from click.testing import CliRunner

from ledger.cli import main
from ledger.validate import check

if TYPE_CHECKING:
    from pathlib import Path

    from ledger.core.model import Ledger

HEADER = (
    "Question title,Multiple choice option,Forecast created by,Forecast (scale = 0-1),"
    "Forecast created at,Question created by,Question created at,Question resolve by,"
    "Resolution,Resolved at,Your Brier score for this question,"
    "Your relative Brier score for this question,Question notes,Question shared with,"
    "Question shared publicly,Question comments"
)

# Hand-made example of the format (invented data): see the module docstring.
EXPORT = (
    HEADER
    + "\n"
    + "\n".join(
        [
            '"Will it rain in Oxford on 9 March 2024?",,"Ada Lovelace",0.7,2024-03-01 9:05:7,'
            '"Ada Lovelace",2024-03-01 9:04:59,2024-03-09 23:59:0,"YES",2024-03-10 8:00:1,0.09,-0.02,'
            '"Met Office, ""Oxford"" station,\nmeasured at the Radcliffe Observatory",,false,',
            '"Will it rain in Oxford on 9 March 2024?",,"Charles Babbage",0.2,2024-03-02 10:00:0,'
            '"Ada Lovelace",2024-03-01 9:04:59,2024-03-09 23:59:0,"YES",2024-03-10 8:00:1,,,'
            '"Met Office, ""Oxford"" station,\nmeasured at the Radcliffe Observatory",'
            '"Charles Babbage",false,"Charles Babbage: wet already"',
            '"Will it rain in Oxford on 9 March 2024?",,"Ada Lovelace",0.85,2024-03-08 18:30:12,'
            '"Ada Lovelace",2024-03-01 9:04:59,2024-03-09 23:59:0,"YES",2024-03-10 8:00:1,,,'
            '"Met Office, ""Oxford"" station,\nmeasured at the Radcliffe Observatory",,false,',
            '"Ship the analytical engine by June?",,"Charles Babbage",0.05,2024-01-10 12:00:0,'
            '"Charles Babbage",2024-01-10 11:59:30,2024-06-30 0:0:0,,,,,,,true,',
            '"Ship the analytical engine by June?",,"Charles Babbage",0.1,2024-07-02 12:00:0,'
            '"Charles Babbage",2024-01-10 11:59:30,2024-06-30 0:0:0,,,,,,,true,',
            '"Who wins the 2024 chess match?","Lasker","Ada Lovelace",0.6,2024-02-01 9:0:0,'
            '"Ada Lovelace",2024-02-01 8:0:0,2024-04-01 0:0:0,"NO",2024-04-02 10:0:0,,,,,false,',
            '"Who wins the 2024 chess match?","Tarrasch","Ada Lovelace",0.4,2024-02-01 9:0:0,'
            '"Ada Lovelace",2024-02-01 8:0:0,2024-04-01 0:0:0,"YES",2024-04-02 10:0:0,,,,,false,',
            '"Will the meeting happen?",,"",0.5,2024-02-03 9:0:0,'
            '"Ada Lovelace",2024-02-03 8:0:0,2024-02-10 0:0:0,"AMBIGUOUS",2024-02-11 9:0:0,,,,,false,',
        ]
    )
)


def run(*args: object) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, [str(a) for a in args])
    return result.exit_code, result.stdout, result.stderr


def load(path: Path) -> Ledger:
    ledger, errors = check(str(path))
    assert errors == [], errors
    return ledger


def test_hand_made_export(tmp_path: Path) -> None:
    export = tmp_path / "fatebook-export.csv"
    export.write_text(EXPORT, "utf-8")
    out = tmp_path / "out.yaml"
    code, stdout, stderr = run("import", "fatebook", export, "-o", out)
    assert code == 0, stderr
    assert stdout == ""
    assert "5 questions, 8 forecasts by 3 forecasters, 4 outcomes" in stderr
    ledger = load(out)
    questions = {q.id: q for q in ledger.questions}
    assert sorted(questions) == [
        "ship-the-analytical-engine-by-june",
        "who-wins-the-2024-chess-match-lasker",
        "who-wins-the-2024-chess-match-tarrasch",
        "will-it-rain-in-oxford-on-9-march-2024",
        "will-the-meeting-happen",
    ]
    rain = questions["will-it-rain-in-oxford-on-9-march-2024"]
    assert rain.title == "Will it rain in Oxford on 9 March 2024?"
    assert rain.criteria == (
        "Will it rain in Oxford on 9 March 2024?, as resolved on Fatebook by "
        'Ada Lovelace.\n\nNotes: Met Office, "Oxford" station,\n'
        "measured at the Radcliffe Observatory"
    )
    assert str(rain.deadline) == "2024-03-09"
    assert [(f.by, str(f.made), f.p) for f in rain.forecasts] == [
        ("ada-lovelace", "2024-03-01", 0.7),
        ("charles-babbage", "2024-03-02", 0.2),
        ("ada-lovelace", "2024-03-08", 0.85),
    ]
    assert [
        (o.result.kind, str(o.known), str(o.recorded), o.by) for o in rain.outcomes
    ] == [("yes", "2024-03-10", "2024-03-10", "Ada Lovelace")]
    assert rain.tags == ("source:fatebook",)
    # a forecast after the resolve-by date moves the deadline, and the note says so
    ship = questions["ship-the-analytical-engine-by-june"]
    assert (str(ship.deadline), ship.outcomes) == ("2024-07-02", ())
    assert "resolve-by date is 2024-06-30" in (ship.note or "")
    # each option of a multiple-choice question is a binary question
    lasker = questions["who-wins-the-2024-chess-match-lasker"]
    assert lasker.title == "Who wins the 2024 chess match?: Lasker"
    assert [o.result.kind for o in lasker.outcomes] == ["no"]
    assert [
        o.result.kind
        for o in questions["who-wins-the-2024-chess-match-tarrasch"].outcomes
    ] == ["yes"]
    meeting = questions["will-the-meeting-happen"]
    assert [o.result.kind for o in meeting.outcomes] == ["ambiguous"]
    assert [f.by for f in meeting.forecasts] == ["anonymous"]
    assert {f.id: f.name for f in ledger.forecasters} == {
        "ada-lovelace": "Ada Lovelace",
        "charles-babbage": "Charles Babbage",
        "anonymous": "anonymous",
    }
    (source,) = ledger.sources
    assert (source.id, source.kind, source.title) == (
        "fatebook",
        "platform",
        "Fatebook export fatebook-export.csv",
    )
    assert run("check", out) == (0, "", "")


def test_older_header_names_and_percent_strings(tmp_path: Path) -> None:
    export = tmp_path / "old.csv"
    export.write_text(
        "Question title,Forecast created by,Forecast,Forecast created at,Question created by,"
        "Question created at,Question resolution,Question resolve by,Question resolved at\n"
        '"Q",Ann,70%,2023-05-01 10:0:0,Ann,2023-05-01 9:0:0,"NO",2023-06-01 0:0:0,'
        "2023-06-02 0:0:0\n",
        "utf-8",
    )
    out = tmp_path / "out.yaml"
    code, _, stderr = run("import", "fatebook", export, "-o", out)
    assert code == 0, stderr
    (question,) = load(out).questions
    assert [(f.by, f.p) for f in question.forecasts] == [("ann", 0.7)]
    assert [(o.result.kind, str(o.known)) for o in question.outcomes] == [
        ("no", "2023-06-02")
    ]


def test_bad_rows_are_reported_at_their_lines(tmp_path: Path) -> None:
    lines = EXPORT.split("\n")
    # the first three data rows span two lines each (their notes hold a
    # newline), so the fourth data row is on line 8 and the sixth on line 10
    lines[8 - 1] = lines[8 - 1].replace(",0.05,", ",1.5,")
    lines[10 - 1] = lines[10 - 1].replace('"NO"', '"MAYBE"')
    export = tmp_path / "bad.csv"
    export.write_text("\n".join(lines), "utf-8")
    out = tmp_path / "out.yaml"
    code, _, stderr = run("import", "fatebook", export, "-o", out)
    assert code == 1
    assert stderr.splitlines() == [
        f"{export}:8: forecast: probability must be between 0 and 1 "
        "(0% and 100%), got '1.5'",
        f"{export}:10: unknown resolution 'MAYBE'; expected YES, NO or AMBIGUOUS",
    ]
    assert not out.exists()


def test_a_missing_column_is_reported_at_the_header(tmp_path: Path) -> None:
    export = tmp_path / "bad.csv"
    export.write_text('Question title,Forecast created by\n"Q",Ann\n', "utf-8")
    code, _, stderr = run("import", "fatebook", export, "-o", tmp_path / "o.yaml")
    assert code == 1
    assert stderr.startswith(
        f"{export}:1: missing columns 'forecast (scale = 0-1)', "
        "'forecast created at', 'question resolve by'; the header has "
    )


def test_refuses_to_overwrite(tmp_path: Path) -> None:
    export = tmp_path / "e.csv"
    export.write_text(EXPORT, "utf-8")
    out = tmp_path / "out.yaml"
    out.write_text("mine\n", "utf-8")
    code, _, stderr = run("import", "fatebook", export, "-o", out)
    assert (code, out.read_text("utf-8")) == (2, "mine\n")
    assert stderr.endswith(
        f"Error: Invalid value for '-o' / '--output': '{out}' already exists; pass "
        "--force to replace it\n"
    )
    assert run("import", "fatebook", export, "-o", out, "--force")[0] == 0
