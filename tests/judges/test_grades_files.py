"""One file per judge: `gradings:` lists joined to their questions, on both load paths,
and `ledger grade --into` writing to the judge's own file."""

from __future__ import annotations

import datetime as dt

from click.testing import CliRunner
from judged import FORECASTERS, question

from ledger.cli import main
from ledger.core import rules
from ledger.loader import direct, nodes, records
from ledger.loader.load import load_file

ROOT = (
    "include: [grades/*.yaml]\n" + FORECASTERS + "questions:\n"
    + question("[bob, cy]", "2025-12-31") + "    grading: unanimous\n"
    + "    forecasts:\n      - {by: ann, made: 2025-01-01, p: 0.7, basis: stated}\n"
)
BOB = """\
gradings:
  - {question: labs-converge, result: yes, known: 2026-01-05, recorded: 2026-01-05, by: bob, note: All five.}
"""


def layout(tmp_path):
    (tmp_path / "grades").mkdir()
    (tmp_path / "predictions.yaml").write_text(ROOT, encoding="utf-8")
    (tmp_path / "grades" / "bob.yaml").write_text(BOB, encoding="utf-8")
    (tmp_path / "grades" / "cy.yaml").write_text("# cy's gradings\ngradings: []\n",
                                                 encoding="utf-8")
    return tmp_path / "predictions.yaml"


def test_both_paths_read_a_gradings_list_alike():
    fast, errors = direct.build(BOB, "grades/bob.yaml")
    assert errors == []
    root, errors = nodes.compose(BOB, "grades/bob.yaml")
    slow, errors = records.read_root(root, "grades/bob.yaml")
    assert errors == []
    assert fast.gradings == slow.gradings
    [(question, entry)] = fast.gradings
    assert (question, entry.by, str(entry.result), entry.note) == (
        "labs-converge", "bob", "yes", "All five.")


def test_gradings_in_a_judges_file_count_as_the_questions_outcomes(tmp_path):
    ledger, errors = load_file(str(layout(tmp_path)))
    assert errors == []
    question = ledger.questions[0]
    assert [o.by for o in question.outcomes] == ["bob"]
    assert question.outcomes[0].location.path.endswith("grades/bob.yaml")
    standing = rules.outcome(question, {}, dt.date(2026, 2, 1))
    assert str(standing.result) == "yes"


def test_grade_into_the_judges_own_file(tmp_path):
    path = layout(tmp_path)
    cy = tmp_path / "grades" / "cy.yaml"
    result = CliRunner().invoke(main, [
        "grade", "labs-converge", "0.5", "--by", "cy", "--note", "Three of five.",
        "--into", str(cy), "-f", str(path)])
    assert result.exit_code == 0, result.output
    assert "grades/cy.yaml:3: added a grading of 'labs-converge' by 'cy'" in result.output
    assert (tmp_path / "grades" / "bob.yaml").read_text(encoding="utf-8") == BOB
    assert path.read_text(encoding="utf-8") == ROOT
    ledger, errors = load_file(str(path))
    assert errors == []
    question = ledger.questions[0]
    standing = rules.outcome(question, {}, dt.date.today())
    assert standing.result.kind == "ambiguous"  # unanimous, and they differ
    pending = CliRunner().invoke(main, ["grade", "--pending", "--by", "cy", "-f", str(path)])
    assert pending.output == "Nothing left for cy to grade.\n"
