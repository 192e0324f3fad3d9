"""The pages of a ledger with judged questions (issue 16), against golden files.

tests/data/judged/: three judges, each grading in a file of their own; a
disputed question, a unanimous one, a mean of partial credit, a single judge
and a question not graded yet. `--update-golden` rewrites tests/golden-judged.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from ledger.cli import main

LEDGER = str(Path(__file__).parent.parent / "data" / "judged" / "predictions.yaml")
GOLDEN = Path(__file__).parent.parent / "golden-judged"
AS_OF = "2028-06-30"
COMPARED = ("README.md", "index.html", "2028.md", "2028.html", "2027.md",
            "forecaster-alice.md", "forecaster-bob.html")


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    out = tmp_path_factory.mktemp("judged")
    result = CliRunner().invoke(
        main, ["report", LEDGER, "--as-of", AS_OF, "--out", str(out), "--no-history"])
    assert result.exit_code == 0, result.output
    return {p.relative_to(out).as_posix(): p.read_text(encoding="utf-8")
            for p in out.rglob("*") if p.is_file() and p.suffix in (".md", ".html")}


def test_the_judged_pages_match_the_golden_files(pages, request):
    if request.config.getoption("--update-golden"):
        GOLDEN.mkdir(exist_ok=True)
        for name in COMPARED:
            (GOLDEN / name).write_text(pages[name], encoding="utf-8")
    for name in COMPARED:
        assert pages[name] == (GOLDEN / name).read_text(encoding="utf-8"), name


def test_the_index_shows_the_agreement_table_and_the_disputes(pages):
    index = pages["README.md"]
    assert "## Judges" in index
    assert "| Kim Keeper | Jo Judge | 3 | 66.67% | 0.40 |" in index
    assert "Fleiss' kappa 0.45 (n=2" in index
    assert "- The leading labs converge on one recipe by 2027: yes by majority." in index
    assert "Lee Judge: no (“One lab trains differently.”)" in index


def test_each_judged_row_shows_every_grading_its_note_and_the_rule(pages):
    year = pages["2028.md"]
    assert ("“The leading labs converge on one recipe by 2027” is judged by 3 judges, "
            "combined by majority") in year
    assert "Jo Judge: yes (“Same recipe in every model card.”)" in year
    assert "a score on it rests on a disputed question" in year
    assert "“Robotics has its ChatGPT moment by 2027” has a single judge." in year
    assert "majority of 3 judges: kim yes, jo yes, lee no; disputed" in year


def test_a_forecaster_page_shows_the_sensitivity_line(pages):
    assert ("On judged questions, mean Brier 0.024 under the combined outcomes (n=3); "
            "0.020 under Kim Keeper's gradings alone (n=3)") in pages["forecaster-alice.md"]


def test_a_page_of_an_earlier_year_shows_no_later_grading(pages):
    for later in ("One lab trains differently", "kim yes", "## Judges"):
        assert later not in pages["2027.md"]


@pytest.mark.parametrize(
    ("extra", "expected"),
    [((), "majority of 3 judges: kim yes, jo yes, lee no; disputed"),
     (("--as-recorded",), "majority of 2 of 3 judges so far: kim yes, jo yes")],
)
def test_as_recorded_pages_count_only_gradings_recorded_by_then(tmp_path, extra, expected):
    # Lee's grading of labs-converge was known on 2028-01-13 and recorded on the
    # 15th: on the 14th it counts as known, not as recorded.
    result = CliRunner().invoke(main, [
        "report", LEDGER, "--as-of", "2028-01-14", "--out", str(tmp_path),
        "--no-history", *extra])
    assert result.exit_code == 0, result.output
    page = (tmp_path / "2028.md").read_text(encoding="utf-8")
    assert expected in page
    assert ("Lee Judge: no (“One lab trains differently.”)" in page) == (not extra)


def test_a_scorecard_shows_every_forecasters_sensitivity_line(pages):
    year = pages["2028.md"]
    assert "- Bob Example: On judged questions, mean Brier 0.177 under the combined" in year
    assert "0.045 under Lee Judge's gradings alone (n=2)" in year
