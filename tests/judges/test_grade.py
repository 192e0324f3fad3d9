"""`ledger grade`: a grading appended through the write path; `--pending`, blind."""

from __future__ import annotations

import datetime as dt

from click.testing import CliRunner
from judged import FORECASTERS, question

from ledger.cli import main
from ledger.loader.load import load_file

LEDGER = (
    FORECASTERS + "questions:\n" + question("[bob, cy]", "2025-12-31")
    + "    forecasts:\n      - {by: ann, made: 2025-01-01, p: 0.7, basis: stated}\n"
    + question("[cy]", "2099-12-31", "fewer-typists")
)



def test_a_grading_is_appended_and_stands(tmp_path):
    path = tmp_path / "predictions.yaml"
    path.write_text(LEDGER, encoding="utf-8")
    result = CliRunner().invoke(main, [
        "grade", "labs-converge", "0.5", "--by", "bob", "--note", "Two of five.",
        "-f", str(path)])
    assert result.exit_code == 0, result.output
    assert "added a grading of 'labs-converge' by 'bob' (0.5)" in result.output
    ledger, errors = load_file(str(path))
    assert errors == []
    entry = ledger.questions[0].outcomes[-1]
    assert (entry.by, str(entry.result), entry.note) == ("bob", "0.5", "Two of five.")
    assert entry.recorded.earliest == dt.date.today()


def test_a_grading_by_someone_not_a_judge_is_refused(tmp_path):
    path = tmp_path / "predictions.yaml"
    path.write_text(LEDGER, encoding="utf-8")
    result = CliRunner().invoke(main, [
        "grade", "labs-converge", "yes", "--by", "ann", "-f", str(path)])
    assert result.exit_code == 1
    assert "'ann' is not a judge of this question" in result.output
    assert path.read_text(encoding="utf-8") == LEDGER


def test_pending_lists_what_the_judge_has_left_without_others_results(tmp_path):
    path = tmp_path / "predictions.yaml"
    path.write_text(LEDGER, encoding="utf-8")
    CliRunner().invoke(main, [
        "grade", "labs-converge", "no", "--by", "bob", "--note", "Secret reading",
        "-f", str(path)])
    result = CliRunner().invoke(main, ["grade", "--pending", "--by", "cy", "-f", str(path)])
    assert result.exit_code == 0, result.output
    assert "2 to grade by cy" in result.output
    assert "The leading labs converge on one recipe" in result.output
    lines = result.output.splitlines()
    assert "due" in lines[1] and "labs-converge" in lines[1]
    assert "open" in lines[2] and "fewer-typists" in lines[2]
    assert "Secret" not in result.output and "bob" not in result.output
    done = CliRunner().invoke(main, ["grade", "--pending", "--by", "bob", "-f", str(path)])
    assert done.output == "Nothing left for bob to grade.\n"
