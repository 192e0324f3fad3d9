"""What should be refused is refused, each with a PATH:LINE message (issue 13,
problems 19 and 20).

Each case was accepted on main before its fix: a fullwidth or Arabic-Indic
digit read as a number; a title of nothing but invisible characters; `!!str`
(the README says tags are errors); a forecast made, or an outcome known, after
the real today; a date result later than its `known`; control characters in
one-line text (a raw CR printed by `list` and `due`); broken ForecastBench
freeze dates and values dropped silently; a CSV header with a repeated column
(the last one won); a forecast on an order question after its outcome was
known; a provisional price recorded after a final outcome (it reopened the
question).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from invoke import fixture_text, run

from ledger.loader.direct import build
from ledger.loader.flow import Unsupported
from ledger.loader.load import load_text

if TYPE_CHECKING:
    from click.testing import Result


def checked(tmp_path: Path, text: str) -> tuple[Path, Result]:
    path = tmp_path / "L.yaml"
    path.write_text(text, encoding="utf-8")
    return path, run("check", str(path))


def both_paths_refuse(text: str) -> list[str]:
    """The loader's errors; the direct path gives way to the full loader."""
    with pytest.raises(Unsupported):
        build(text, "L.yaml")
    errors = load_text(text, "L.yaml")[1]
    assert errors
    return [str(error) for error in errors]


# -- digits other than 0-9 ----------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "line", "said"),
    [
        ("p: 0.6", "p: １", 31, "malformed probability: '１' has the digit '１' "
         "(fullwidth digit one, U+FF11)"),
        ("p: 0.6", "p: 6٠%", 31, "malformed probability: '6٠%' has the digit '٠' "
         "(arabic-indic digit zero, U+0660)"),
        ("deadline: 2026-12-31", "deadline: 2026-1２-31", 29, "malformed date: "
         "'2026-1２-31' has the digit '２' (fullwidth digit two, U+FF12)"),
    ],
)
def test_digits_other_than_ascii_are_refused(
    tmp_path: Path, old: str, new: str, line: int, said: str
) -> None:
    path, result = checked(tmp_path, fixture_text().replace(old, new))
    assert result.exit_code == 1
    assert result.stderr == f"{path}:{line}: {said}; write the digits 0-9\n"
    assert both_paths_refuse(fixture_text().replace(old, new)) == [
        f"L.yaml:{line}: {said}; write the digits 0-9"
    ]


def test_digits_other_than_ascii_are_refused_on_the_command_line(tmp_path: Path) -> None:
    path = tmp_path / "L.yaml"
    path.write_text(fixture_text(), encoding="utf-8")
    within = run("due", str(path), "--within", "٥d", "--as-of", "2026-06-01")
    assert within.exit_code == 2 and "malformed window: '٥d' has the digit" in within.stderr
    p = run("forecast", "new-release", "--by", "bob", "--p", "７0%", "--made",
            "2026-06-01", "-f", str(path))
    assert p.exit_code == 2 and "'７0%' has the digit '７'" in p.stderr
    assert path.read_text("utf-8") == fixture_text()


# -- every YAML tag, !!str included -----------------------------------------------------


@pytest.mark.parametrize("tag", ["!!str", "!", "!!int", "!local"])
def test_every_yaml_tag_is_refused(tmp_path: Path, tag: str) -> None:
    text = fixture_text().replace("title: Version 2", f"title: {tag} Version 2")
    path, result = checked(tmp_path, text)
    assert result.exit_code == 1
    assert result.stderr == f"{path}:26: YAML tag '{tag}' is not allowed in a ledger\n"
    assert both_paths_refuse(text) == [
        f"L.yaml:26: YAML tag '{tag}' is not allowed in a ledger"
    ]


def test_a_tag_in_a_big_ledger_read_a_slice_at_a_time_is_refused() -> None:
    head, rest = fixture_text().split("questions:\n", 1)
    filler = "".join(
        rest.replace("id: will-it-rain", f"id: rain-{n}").split("  - id: new-release")[0]
        for n in range(4000)
    )
    text = head + "questions:\n" + filler + "  - id: tagged\n" + (
        "    title: !!str Tagged\n    criteria: Whatever it is.\n    kind: binary\n"
        "    deadline: 2026-12-31\n"
    )
    assert len(text) > 1_000_000  # composed a slice at a time, when it can be
    errors = load_text(text, "big.yaml")[1]
    assert [e.message for e in errors] == ["YAML tag '!!str' is not allowed in a ledger"]


# -- invisible and control characters in text ------------------------------------------


def test_a_title_of_only_invisible_characters_is_empty(tmp_path: Path) -> None:
    text = fixture_text().replace("title: Version 2 is released", 'title: "\\t\\u200b"')
    path, result = checked(tmp_path, text)
    assert result.exit_code == 1
    assert result.stderr == (
        f"{path}:26: 'title' is empty: it has only invisible characters (U+0009, U+200B)\n"
    )
    assert both_paths_refuse(text) == [
        "L.yaml:26: 'title' is empty: it has only invisible characters (U+0009, U+200B)"
    ]


@pytest.mark.parametrize(
    ("value", "said"),
    [
        ('"Version\\r2"', "a carriage return (U+000D) at character 8"),
        ('"Version\\n2"', "a line break (U+000A) at character 8"),
        ('"Version\\u00852"', "a control character (U+0085) at character 8"),
        ('"\\u0007Version 2"', "a control character (U+0007) at character 1"),
    ],
)
def test_a_control_character_in_a_one_line_text_is_refused(
    tmp_path: Path, value: str, said: str
) -> None:
    text = fixture_text().replace("title: Version 2 is released", f"title: {value}")
    path, result = checked(tmp_path, text)
    assert result.exit_code == 1
    assert result.stderr == f"{path}:26: 'title' has {said}; remove it\n"
    assert both_paths_refuse(text) == [f"L.yaml:26: 'title' has {said}; remove it"]
    # the commands that print titles refuse the ledger rather than print a raw CR
    for command in (["list", str(path)], ["due", str(path), "--as-of", "2026-12-31"]):
        shown = run(*command)
        assert shown.exit_code == 1 and "\r" not in shown.stdout


def test_a_paragraph_keeps_its_line_breaks_and_tabs(tmp_path: Path) -> None:
    text = fixture_text().replace(
        "    criteria: Resolves yes if version 2.0",
        '    note: "First line\\n\\tindented second line"\n'
        "    criteria: Resolves yes if version 2.0",
    )
    assert checked(tmp_path, text)[1].exit_code == 0


def test_ledger_add_cannot_write_a_carriage_return_into_a_title(tmp_path: Path) -> None:
    path = tmp_path / "L.yaml"
    path.write_text(fixture_text(), encoding="utf-8")
    result = run(
        "add", "-f", str(path), "--id", "cr-title", "--title", "Bad\rtitle",
        "--criteria", "Whatever it is.", "--kind", "binary", "--deadline", "2027-01-01",
    )
    assert result.exit_code == 1
    assert "'title' has a carriage return (U+000D) at character 4" in result.stderr
    assert path.read_text("utf-8") == fixture_text()


# -- nothing reopens a settled question (problems 19 and 20) -------------------------

ERRORS = Path(__file__).parents[1] / "errors"


def case_refused(tmp_path: Path, case: str, expected: str) -> tuple[Path, str]:
    """Check the catalogue case `case` in a copy: refused with `expected` (PATH:...)."""
    text = (ERRORS / f"{case}.yaml").read_text("utf-8")
    path, result = checked(tmp_path, text)
    assert result.exit_code == 1
    assert result.stderr == expected.format(path=path)
    return path, text


def edit_refused(path: Path, fine: str, args: list[str], said: str) -> None:
    """With the clean `fine` text, the command `args` on `path` is refused with `said`."""
    path.write_text(fine, encoding="utf-8")
    assert run("check", str(path)).exit_code == 0
    result = run(*args, "-f", str(path))
    assert result.exit_code == 1 and said in result.stderr
    assert path.read_text("utf-8") == fine


def test_a_date_result_later_than_its_known_date_is_refused(tmp_path: Path) -> None:
    _, text = case_refused(
        tmp_path, "date-result-after-known",
        "{path}:12: the event's date 2026-09-01 is after the day the outcome was known "
        "(2026-06-02); it cannot be known before it happened\n",
    )
    # the same day, or a range that reaches it, is fine
    same = text.replace("result: 2026-09-01", "result: 2026-06-02")
    assert checked(tmp_path, same)[1].exit_code == 0
    reaching = text.replace("result: 2026-09-01", "result: 2026-06")
    assert checked(tmp_path, reaching)[1].exit_code == 0


def test_a_forecast_on_a_settled_order_question_is_refused(tmp_path: Path) -> None:
    path, text = case_refused(
        tmp_path, "order-forecast-after-known",
        "{path}:28: forecast made 2026-04-03, on or after the day this order "
        "question's outcome was known (2026-04-03: 'robots-arrive' and "
        "'drug-approved' had resolved); a forecast must come before the outcome\n",
    )
    # and `ledger forecast` cannot add one
    fine = text.replace("      - {by: alice, made: 2026-04-03, p: 0.99, basis: stated}\n", "")
    args = ["forecast", "robots-first", "--by", "alice", "--p", "0.99", "--made",
            "2026-05-01"]
    edit_refused(path, fine, args, "on or after the day this order")


def test_a_provisional_price_after_a_final_outcome_is_refused(tmp_path: Path) -> None:
    path, text = case_refused(
        tmp_path, "provisional-after-final",
        "{path}:14: a provisional price recorded 2026-06-05, after the final outcome "
        "'yes' (line 13); a price cannot reopen a resolved question\n",
    )
    fine = text.replace(
        "      - {result: provisional:0.9, known: 2026-06-05, recorded: 2026-06-05}\n", ""
    )
    args = ["resolve", "foo-ships", "provisional:0.9", "--known", "2026-06-05"]
    edit_refused(path, fine, args, "cannot reopen a resolved question")


# -- nothing made or known after the real today ----------------------------------------


def test_a_forecast_made_or_an_outcome_known_after_today_is_not_written(
    tmp_path: Path,
) -> None:
    later = (dt.date.today() + dt.timedelta(days=3)).isoformat()
    fine = fixture_text().replace("deadline: 2026-12-31", "deadline: 2999-12-31")
    path = tmp_path / "L.yaml"
    made = ["forecast", "new-release", "--by", "bob", "--p", "0.3", "--made", later]
    edit_refused(path, fine, made, "after today; a forecast is recorded once it is made")
    known = ["resolve", "new-release", "yes", "--known", later]
    edit_refused(path, fine, known, "after today; an outcome is recorded once it is known")
    # the loader and `check` know no clock (the test ledgers are dated in the
    # future); a write refuses only what it adds, so a ledger that already holds
    # a later date can still be edited
    text = fine.replace("made: 2026-05-01, p: 0.6", f"made: {later}, p: 0.6")
    assert load_text(text, "L.yaml")[1] == []
    path.write_text(text, encoding="utf-8")
    today = dt.date.today().isoformat()
    added = run("forecast", "new-release", "--by", "bob", "--p", "0.3", "--made", today,
                "-f", str(path))
    assert added.exit_code == 0, added.stderr
    # but a new entry dated like the later one already there is still refused
    # (the edit's errors are counted, not matched by message alone)
    same = ["forecast", "new-release", "--by", "bob", "--p", "0.3", "--made", later]
    edit_refused(path, text, same, "after today; a forecast is recorded once it is made")


def test_the_shipped_ledger_has_nothing_after_today() -> None:
    shipped = Path(__file__).parents[2] / "predictions.yaml"
    result = run("check", str(shipped))
    assert (result.exit_code, result.stderr) == (0, "")


# -- importers: broken ForecastBench freeze values, a repeated CSV column -----------------


def forecastbench_set(freeze: str, value: str) -> str:
    """A question set of one market, with its freeze date and value as JSON text."""
    return (
        '{\n  "forecast_due_date": "2029-01-05",\n  "question_set": "s.json",\n'
        '  "questions": [\n'
        '    {"id": "M1", "source": "manifold", "question": "Will A happen?", '
        f'"resolution_dates": "N/A", "freeze_datetime": {freeze}, '
        f'"freeze_datetime_value": {value}}}\n  ]\n}}\n'
    )


@pytest.mark.parametrize(
    ("freeze", "value", "said"),
    [
        ('"2029-02-30"', '"0.4"', "freeze_datetime: impossible date '2029-02-30': "
         "February 2029 has 28 days"),
        ('"2029-01-01"', "[0.4, 0.5]", "freeze_datetime_value must be a number or text, "
         "got [0.4, 0.5]"),
    ],
)
def test_a_broken_forecastbench_freeze_is_an_error_at_its_record(
    tmp_path: Path, freeze: str, value: str, said: str
) -> None:
    questions = tmp_path / "q.json"
    questions.write_text(forecastbench_set(freeze, value), encoding="utf-8")
    out = tmp_path / "out.yaml"
    result = run("import", "forecastbench", "--questions", str(questions), "-o", str(out))
    assert result.exit_code == 1
    assert result.stderr == f"{questions}:5: questions[0]: question manifold/M1: {said}\n"
    assert not out.exists()
    # a good freeze is a crowd forecast
    questions.write_text(forecastbench_set('"2029-01-01"', '"0.4"'), encoding="utf-8")
    good = run("import", "forecastbench", "--questions", str(questions), "-o", str(out))
    assert good.exit_code == 0, good.stderr
    assert "by: manifold-crowd" in out.read_text("utf-8")


def test_a_csv_header_naming_a_column_twice_is_refused(tmp_path: Path) -> None:
    csv = tmp_path / "f.csv"
    csv.write_text(
        "question,forecaster,made,probability,Probability\nq1,alice,2026-01-01,0.3,0.9\n",
        encoding="utf-8",
    )
    out = tmp_path / "out.yaml"
    result = run("import", "csv", str(csv), "--deadline", "2026-12-31", "-o", str(out))
    assert result.exit_code == 1
    assert result.stderr == (
        f"{csv}:1: column 5 'Probability' repeats column 4 ('probability'); name each "
        "column once\n"
    )
    assert not out.exists()
