"""Issue 14's report points: what a reader sees, as a careful forecasting researcher reads it.

- 4: every caveat the file carries is on the page, next to what it qualifies: question
  and forecast notes (every basis), the keeper's criteria marked as the keeper's, source
  notes on the sources page that every citation links to;
- 5: whose judgement: scores split by basis with shares, the sensitivity line, and the
  "keeper's reading" line where every scored forecast is judged (checked against values
  computed by hand here);
- 6: hindsight: forecasts entered late (entered: dates, or git history read only up to
  the as-of date) and criteria written after a forecast are flagged, with the gap;
- 7: past scorecards show only the questions that existed, every year gets one;
- 8: window widths and interval scores beside windows (see also test_report.py);
- closed windows under their year, the as-recorded view, claims considered and not
  scored.

Ledgers are rendered outside any git repository (or with --no-history) unless a test
builds its own repository.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import html5lib
import pytest
from click.testing import CliRunner
from query.test_verify import Repo, isolated  # noqa: F401  (isolated: autouse)
from shipped import with_outcomes

from ledger.cli import main
from ledger.validate import check

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = ROOT / "predictions.yaml"

TRUTH = """\
forecasters:
  - {id: kay, name: Kay Reader}
  - {id: max, name: Max Mixed}
sources:
  - id: talk
    title: A talk on the future
    kind: talk
    note: Only a secondary report of the talk was seen, not its transcript.
questions:
  - id: q-one
    title: The first thing happens
    criteria: Yes if the first thing happens by mid-2027.
    kind: binary
    deadline: 2027-06-30
    note: The mid-2027 deadline is the keeper's choice.
    forecasts:
      - {by: kay, made: 2026-01-10, p: 0.8, basis: judged, source: talk,
         quote: "It will happen.", note: Kay reading one at the plain-assertion convention.}
      - {by: max, made: 2026-01-11, p: 0.6, basis: stated, source: talk,
         quote: "Sixty percent.", note: Max said sixty on stage.}
    outcomes:
      - {result: yes, known: 2027-07-01, recorded: 2027-07-02}
  - id: q-two
    title: The second thing happens
    criteria: Yes if the second thing happens by mid-2027.
    kind: binary
    deadline: 2027-06-30
    forecasts:
      - {by: kay, made: 2026-01-10, p: 0.8, basis: judged, source: talk,
         quote: "It will happen too.", note: Kay reading two at the same convention.}
      - {by: max, made: 2026-01-11, basis: mapped, table: icd-203, words: likely,
         source: talk, quote: "Likely.", note: Max mapped from likely.}
    outcomes:
      - {result: yes, known: 2027-07-01, recorded: 2027-07-02}
  - id: q-three
    title: The third thing happens
    criteria: Yes if the third thing happens by mid-2027.
    kind: binary
    deadline: 2027-06-30
    forecasts:
      - {by: kay, made: 2026-01-10, p: 0.8, basis: judged, source: talk,
         quote: "That one happens.", note: Kay reading three at the same convention.}
      - {by: max, made: 2026-01-11, p: 0.3, basis: judged, source: talk,
         quote: "Doubtful.", note: Max read as doubtful.}
    outcomes:
      - {result: no, known: 2027-07-01, recorded: 2027-07-02}
"""
TRUTH_AS_OF = "2027-12-31"


def run(*args: str) -> str:
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == 0, result.output
    return result.stdout


def render(path: Path, as_of: str, out: Path, *extra: str) -> dict[str, str]:
    run("report", str(path), "--as-of", as_of, "--out", str(out), *extra)
    return {
        p.relative_to(out).as_posix(): p.read_text("utf-8")
        for p in out.rglob("*")
        if p.suffix in (".md", ".html")
    }


def written(tmp_path: Path, text: str, name: str = "ledger.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def html_text(page: str) -> str:
    """The text of an HTML page as a reader sees it: entities decoded, spaces collapsed."""
    document = html5lib.parse(page, namespaceHTMLElements=False)
    return " ".join("".join(document.iter("body").__next__().itertext()).split())


def md_row(page: str, *cells: str) -> list[str]:
    """The cells of the Markdown table row whose leading cells are `cells`."""
    start = "| " + " | ".join(cells) + " |"
    found = [line for line in page.splitlines() if line.startswith(start)]
    assert len(found) == 1, (start, found)
    return [cell.strip() for cell in re.split(r"(?<!\\)\|", found[0])[1:-1]]


def close(cell: str, value: float) -> bool:
    """Whether a cell's leading number is `value` to its three decimals."""
    match = re.match(r"(\d+\.\d+)", cell)
    return match is not None and abs(float(match[1]) - value) <= 0.0005 + 1e-9


@pytest.fixture
def truth(tmp_path: Path) -> dict[str, str]:
    return render(written(tmp_path, TRUTH), TRUTH_AS_OF, tmp_path / "out")


# -- 4: caveats next to what they qualify, on every page, for every basis ----------------

NOTES = {
    "kay": ["Kay reading one at the plain-assertion convention.",
            "Kay reading two at the same convention.",
            "Kay reading three at the same convention."],
    "max": ["Max said sixty on stage.", "Max mapped from likely.", "Max read as doubtful."],
}


def test_every_forecast_note_is_on_every_page_its_forecast_is_on(
    truth: dict[str, str],
) -> None:
    # Each forecast appears on the 2026 page (made, and open), the 2027 page (resolved),
    # its forecaster's page and the comparison (the questions are shared): its note must
    # be on each, in both formats, whatever its basis (stated, mapped, judged).
    for forecaster, notes in NOTES.items():
        for stem in ("2026", "2027", f"forecaster-{forecaster}", "compare"):
            for note in notes:
                assert note in truth[f"{stem}.md"], (stem, note)
                assert note in html_text(truth[f"{stem}.html"]), (stem, note)
    # the question's note too, on each page that shows the question
    for stem in ("2026", "2027", "forecaster-kay", "forecaster-max", "compare"):
        assert "The mid-2027 deadline is the keeper's choice." in truth[f"{stem}.md"]


def test_the_keepers_words_are_marked_as_the_keepers(truth: dict[str, str]) -> None:
    page = truth["2026.md"]
    assert "Resolves by (the keeper's criteria): Yes if the first thing happens" in page
    assert "The keeper's note on the question: The mid-2027 deadline" in page
    assert "  - The keeper's note: Max said sixty on stage." in page
    assert "**80%** (judged by the keeper)" in page
    # in a table, the row refers to numbered notes printed under it
    resolved = truth["2027.md"].split("### Kay Reader", 1)[1].split("###", 1)[0]
    assert md_row(resolved, "The first thing happens")[1] == "80% (judged) [1] [2]"
    assert (
        "1. The keeper's note on “The first thing happens”: The mid-2027 deadline is the "
        "keeper's choice." in resolved
    )
    assert "2. Kay Reader on “The first thing happens”: the keeper's note: Kay reading one" \
        in resolved
    html = truth["2027.html"]
    assert '<sup class="ref"><a href="#resolved-kay-note-1">1</a></sup>' in html
    assert '<li id="resolved-kay-note-1" value="1">' in html


def test_a_source_note_is_on_the_sources_page_every_citation_links_to(
    truth: dict[str, str],
) -> None:
    note = "Only a secondary report of the talk was seen, not its transcript."
    assert note in truth["sources.md"] and note in html_text(truth["sources.html"])
    assert "### Source: talk" in truth["sources.md"]  # GitHub's anchor: source-talk
    assert '<article class="source" id="source-talk">' in truth["sources.html"]
    assert "cited by 6 forecasts: Kay Reader (3), Max Mixed (3)" in truth["sources.md"]
    for stem in ("2026", "compare"):  # where a card cites it
        assert "([about this source](sources.md#source-talk))" in truth[f"{stem}.md"]
        assert '<a href="sources.html#source-talk">about this source</a>' in truth[
            f"{stem}.html"
        ]
    # every page links to the sources page
    for name, page in truth.items():
        if name.endswith(".md"):
            assert "](sources.md)" in page, name
        else:
            assert '<a href="sources.html"' in page, name


# -- 5: whose judgement -------------------------------------------------------------------

# By hand: Brier (p - outcome)^2. Kay: 80% judged on yes, yes, no.
KAY = [(0.8, 1), (0.8, 1), (0.8, 0)]
# Max: 60% stated (yes), "likely" mapped with ICD 203 = 67.5% (yes), 30% judged (no).
MAX = [(0.6, 1, "stated"), (0.675, 1, "mapped"), (0.3, 0, "judged")]
# "likely" in the other shipped tables: Mauboussin & Mauboussin (2018) 70%, Kent (1964,
# "probable" and its variants) 75%, Fagen-Ulmschneider (2019) survey median 70%.
LIKELY = {"icd-203": 0.675, "mauboussin-2018": 0.70, "kent-1964": 0.75, "fagen-2019": 0.70}


def brier(pairs: list[tuple[float, int]]) -> float:
    return sum((p - o) ** 2 for p, o in pairs) / len(pairs)


def test_scores_are_split_by_basis_with_independent_values(truth: dict[str, str]) -> None:
    page = truth["2027.md"].split("## Whose judgement", 1)[1].split("Sensitivity:")[0]
    kay = md_row(page, "Kay Reader", "3")
    assert close(kay[2], brier(KAY))
    assert kay[3:] == ["0 (0.0%)", "0 (0.0%)", f"3 (100.0%): {kay[2]}"]
    mixed = md_row(page, "Max Mixed", "3")
    assert close(mixed[2], brier([(p, o) for p, o, _ in MAX]))
    for cell, (p, o, basis) in zip(mixed[3:], MAX, strict=True):
        assert cell.startswith("1 (33.3%): "), (basis, cell)
        assert close(cell.split(": ")[1], (p - o) ** 2), (basis, cell)


def test_the_sensitivity_line_has_independent_values(truth: dict[str, str]) -> None:
    page = truth["2027.md"].split("Sensitivity:", 1)[1].split("## Calibration")[0]
    header = md_row(page, "Forecaster", "Scored")
    assert header[2:] == ["As recorded", "judged 70%", "judged 85%", "judged 95%"] + [
        f"mapped with {table}" for table in LIKELY]
    kay = md_row(page, "Kay Reader", "3")
    expected = [brier(KAY)] + [brier([(level, o) for _, o in KAY]) for level in
                               (0.70, 0.85, 0.95)] + [brier(KAY)] * len(LIKELY)
    assert all(close(c, v) for c, v in zip(kay[2:], expected, strict=True)), kay
    mixed = md_row(page, "Max Mixed", "3")
    recorded = [(p, o) for p, o, _ in MAX]

    def judged_at(level: float) -> float:  # a judged 30% is the opposite claim at `level`
        return brier([(p if b != "judged" else 1 - level, o) for p, o, b in MAX])

    expected = [brier(recorded), judged_at(0.70), judged_at(0.85), judged_at(0.95)] + [
        brier([(0.6, 1), (likely, 1), (0.3, 0)]) for likely in LIKELY.values()]
    assert all(close(c, v) for c, v in zip(mixed[2:], expected, strict=True)), mixed
    # the line in words, on the forecaster's page too
    line = (
        f"- Kay Reader: with the keeper's judged probabilities read as 70%: "
        f"{kay[3]}, 85%: {kay[4]}, 95%: {kay[5]}. Note that every scored forecast of "
        "Kay Reader is judged by the keeper: the figure measures the keeper's reading "
        "of the speaker, not a probability the speaker gave."
    )
    assert line in truth["2027.md"] and line in truth["forecaster-kay.md"]
    assert "Note that every scored forecast of Max Mixed" not in truth["2027.md"]
    assert f"with the mapped words read with icd-203: {mixed[6]}, with " \
        f"mauboussin-2018: {mixed[7]}, with kent-1964: {mixed[8]}, with fagen-2019: " \
        f"{mixed[9]}" in truth["forecaster-max.md"]


def test_a_simulated_2029_scorecard_says_tworeks_record_is_the_keepers(
    tmp_path: Path,
) -> None:
    # Issue 14, point 5: Tworek's judged 85%s scored in 2029 read as his track record.
    text = SHIPPED.read_text("utf-8")
    for question in ("labs-same-playbook-2028", "hard-to-verify-domains-stay-hard-2028"):
        text = with_outcomes(
            text, question, "{result: yes, known: 2029-01-10, recorded: 2029-01-12}"
        )
    pages = render(written(tmp_path, text), "2029-02-01", tmp_path / "out")
    page = pages["2029.md"]
    judgement = page.split("## Whose judgement", 1)[1].split("Sensitivity:")[0]
    tworek = md_row(judgement, "Jerry Tworek", "2")
    assert close(tworek[2], 0.15**2)
    assert tworek[5] == f"2 (100.0%): {tworek[2]}"
    assert "Note that every scored forecast of Jerry Tworek is judged by the keeper: " \
        "the figure measures the keeper's reading of the speaker" in page
    assert "Note that every scored forecast of Jerry Tworek is judged" in pages[
        "forecaster-jerry-tworek.md"
    ]


def test_probabilities_waiting_are_split_by_basis_before_anything_is_scored(
    tmp_path: Path,
) -> None:
    pages = render(written(tmp_path, TRUTH), "2026-12-31", tmp_path / "out")
    page = pages["2026.md"]
    assert md_row(page, "Kay Reader", "3") == [
        "Kay Reader", "3", "0 (0.0%)", "0 (0.0%)", "3 (100.0%)"]
    assert md_row(page, "Max Mixed", "3")[2:] == ["1 (33.3%)", "1 (33.3%)", "1 (33.3%)"]
    assert "Note that every probability still waiting for an outcome of Kay Reader is " \
        "judged by the keeper: once scored, the figure will measure the keeper's " \
        "reading of the speaker" in page


# -- 6: hindsight -------------------------------------------------------------------------

HINDSIGHT = """\
forecasters:
  - {id: alice, name: Alice}
questions:
  - id: rain
    title: It rains
    criteria: It rains in Paris on 2027-07-14.
    kind: binary
    deadline: 2027-12-31
    written: 2026-04-01
    forecasts:
      - {by: alice, made: 2026-01-01, p: 0.6, basis: stated, entered: 2026-03-15}
      - {by: alice, made: 2026-03-20, p: 0.7, basis: stated, entered: 2026-03-25}
"""


def test_a_forecast_entered_late_and_criteria_written_after_it_are_flagged(
    tmp_path: Path,
) -> None:
    pages = render(written(tmp_path, HINDSIGHT), "2026-12-31", tmp_path / "out",
                   "--no-history")
    page = pages["forecaster-alice.md"]
    late = (dt.date(2026, 3, 15) - dt.date(2026, 1, 1)).days  # 73 days
    after = (dt.date(2026, 4, 1) - dt.date(2026, 1, 1)).days  # 90 days
    assert f"Hindsight: entered late: entered 2026-03-15 (its entered: date), {late} " \
        "days after it was made" in page
    assert f"Hindsight: the keeper wrote the question's criteria 2026-04-01, {after} " \
        "days after it was made" in page
    # the later forecast: entered 5 days after, criteria 12 days after: neither is late
    standing = page.split("**Alice**, made 2026-03-20", 1)[1].split("\n- ", 1)[0]
    assert "Hindsight" not in standing
    # in the made table, by note reference
    year = pages["2026.md"]
    assert f"Alice on “It rains”: Hindsight: entered late: entered 2026-03-15 (its " \
        f"entered: date), {late} days after it was made; the keeper wrote the " \
        f"question's criteria 2026-04-01, {after} days after it was made." in year


def test_entry_dates_come_from_git_up_to_the_as_of_date_only(tmp_path: Path) -> None:
    repo = Repo(tmp_path / "repo")
    first = HINDSIGHT.replace(", entered: 2026-03-15", "").replace(
        ", entered: 2026-03-25", "")
    repo.commit(first.split("      - {by: alice, made: 2026-03-20")[0], "2026-05-10",
                "ledger.yaml")
    path = repo.root / "ledger.yaml"
    out = tmp_path / "out"
    before = render(path, "2026-12-31", out)
    gap = (dt.date(2026, 5, 10) - dt.date(2026, 1, 1)).days
    page = before["forecaster-alice.md"]
    assert f"entered late: first committed 2026-05-10, {gap} days after it was made" in page
    assert "Entry dates come from the git history of ledger.yaml, commits dated up " \
        "to 2026-12-31." in page
    # A later forecast committed after the as-of date: as of 2026-12-31 it is in no
    # commit, and the report of 2026-12-31 is the same whenever it is made.
    repo.commit(first, "2027-02-01", "ledger.yaml")
    again = render(path, "2026-12-31", tmp_path / "again")
    later = (dt.date(2026, 12, 31) - dt.date(2026, 3, 20)).days
    assert f"entered late: in no commit by 2026-12-31, at least {later} days after it " \
        "was made" in again["forecaster-alice.md"]
    repo.commit(first + "\n", "2027-03-01", "ledger.yaml")
    assert render(path, "2026-12-31", tmp_path / "third") == again
    # As recorded, a forecast in no commit by the as-of date does not count.
    recorded = render(path, "2026-12-31", tmp_path / "recorded", "--as-recorded")
    assert "1 forecast, 1 standing" in recorded["forecaster-alice.md"]
    # Without history, nothing is known of entry (no entered: dates here).
    plain = render(path, "2026-12-31", tmp_path / "plain", "--no-history")
    assert "Hindsight: entered late" not in plain["forecaster-alice.md"]


# -- 7: past scorecards show what existed; every year gets one ----------------------------


def test_past_scorecards_show_only_the_questions_that_existed(tmp_path: Path) -> None:
    shutil.copyfile(SHIPPED, tmp_path / "predictions.yaml")
    pages = render(tmp_path / "predictions.yaml", "2026-12-04", tmp_path / "out")
    ledger, _ = check(str(SHIPPED))
    later = [q for q in ledger.questions if q.written and q.written.earliest.year > 2023]
    page = pages["2023.md"]
    # Issue 14, point 7: the 2023 scorecard showed "20 open" questions written in 2026.
    assert page.count("\n### ") == 0  # no question card
    assert "As of 2023-12-31: 0 open, 0 due but unrecorded, 0 resolved and 0 void " \
        f"questions ({len(later)} questions of the ledger written later are not shown)" \
        in page
    # its forecasts made in 2023 are listed, each saying its question came later
    made = page.split("## Forecasts made in 2023", 1)[1].split("## Still open")[0]
    assert "| 2023-12 | Jim Fan | Robotics has its \"ChatGPT moment\" |" in made
    assert "question written 2026-" in made
    # on the index, 2023 has nothing open at its end
    assert md_row(pages["README.md"], "[2023](2023.md)")[4] == "0"


def test_every_year_gets_a_scorecard_listed_in_the_readme(tmp_path: Path) -> None:
    text = with_outcomes(
        SHIPPED.read_text("utf-8"), "labs-same-playbook-2028",
        "{result: yes, known: 2029-01-10, recorded: 2029-01-12}",
    )
    pages = render(written(tmp_path, text), "2029-02-01", tmp_path / "out")
    readme = pages["README.md"]
    for year in range(2023, 2030):
        assert f"| [{year}]({year}.md) |" in readme, year
        assert f"{year}.md" in pages and f"{year}.html" in pages


def test_a_question_written_after_its_outcome_is_scored_the_year_it_was_written(
    tmp_path: Path,
) -> None:
    text = TRUTH.replace("    note: The mid-2027 deadline", "    written: 2028-02-01\n"
                         "    note: The mid-2027 deadline")
    pages = render(written(tmp_path, text), "2028-03-01", tmp_path / "out")
    assert "The first thing happens" not in pages["2027.md"].split("## Forecasts made")[0]
    resolved = pages["2028.md"].split("## Resolved in 2028", 1)[1].split("## Whose")[0]
    assert "| The first thing happens | 80% (judged)" in resolved


# -- closed windows under their year --------------------------------------------------------


def test_closed_windows_are_listed_under_their_year(tmp_path: Path) -> None:
    # Issue 14, "Done when": after `resolve robotics-chatgpt-moment not-yet --known
    # 2030-06-01`, Jim Fan's, Khosla's and Tworek's windows are misses as of 2030-07-01.
    text = with_outcomes(
        SHIPPED.read_text("utf-8"), "robotics-chatgpt-moment",
        "{result: not-yet, known: 2030-06-01, recorded: 2030-06-02}",
    )
    pages = render(written(tmp_path, text), "2030-07-01", tmp_path / "out")
    title = 'Robotics has its "ChatGPT moment"'
    closings = {"2027": ("Jim Fan", "2027-06-30"), "2028": ("Vinod Khosla", "2028-07-01"),
                "2029": ("Jerry Tworek", "2029-04-30")}
    for year, (name, day) in closings.items():
        page = pages[f"{year}.md"]
        section = page.split(f"## Windows closed in {year}", 1)[1].split("## Timing")[0]
        cells = md_row(section, day, name, title)
        assert cells[4].startswith("closed, nothing recorded since"), cells
    settled = pages["2030.md"].split("## Resolved in 2030", 1)[1].split("## Whose")[0]
    for name, day in closings.values():
        group = settled.split(f"### {name}", 1)[1].split("###", 1)[0]
        assert f"window closed {day} without the event; timing error at least" in group
        assert "known 2030-06-01" in group
    timing = pages["2030.md"].split("## Timing", 1)[1]
    rows = {
        cells[0].split(" [")[0]: cells
        for cells in (
            [c.strip() for c in line.split("|")[1:-1]]
            for line in timing.split('### Robotics has its "ChatGPT moment"\n', 1)[1]
            .split("###", 1)[0].splitlines()
            if line.startswith("| ") and "| 20" in line
        )
    }
    # Levine's 2030 is a median since issue 18 (a quantile forecast), not a window:
    # it has no row among the windows.
    assert "Sergey Levine" not in rows
    for name, day in closings.values():
        assert rows[name][6].startswith(f"window closed {day} without the event")


# -- as known, or as recorded ----------------------------------------------------------------


def test_as_recorded_counts_only_what_was_written_down_and_says_so(
    tmp_path: Path,
) -> None:
    # The outcomes are known 2027-07-01 and recorded 2027-07-02.
    path = written(tmp_path, TRUTH)
    known = render(path, "2027-07-01", tmp_path / "known")
    recorded = render(path, "2027-07-01", tmp_path / "recorded", "--as-recorded")
    assert "6 standing forecasts resolved, voided or closed without the event in 2027" \
        in known["2027.md"]
    assert "0 standing forecasts resolved" in recorded["2027.md"]
    assert "As known: an outcome counts from the day it became known" in known["2027.md"]
    for name, page in recorded.items():  # every page says which view it shows
        assert "As recorded: only outcomes recorded by " in page, name
    assert "As recorded: only outcomes recorded by 2026-12-31, and forecasts entered " \
        "by then, count" in recorded["2026.md"]
    assert "6 standing forecasts resolved" in render(
        path, "2027-07-02", tmp_path / "next", "--as-recorded")["2027.md"]


# -- claims considered and not scored --------------------------------------------------------


def test_the_index_shows_claims_considered_and_not_scored(tmp_path: Path) -> None:
    skipped = TRUTH + """\
skipped:
  - quote: "Scaling is <data>-constrained."
    source: talk
    by: kay
    reason: A description of the present, not a forecast.
"""
    pages = render(written(tmp_path, skipped), TRUTH_AS_OF, tmp_path / "out")
    index = pages["README.md"]
    assert "## Considered and not scored" in index
    assert "- “Scaling is \\<data\\>-constrained.” (Kay Reader), from A talk on the " \
        "future ([about this source](sources.md#source-talk)). Not scored: A " \
        "description of the present, not a forecast." in index
    assert "Scaling is &lt;data&gt;-constrained." in pages["index.html"]
    assert "1 claim considered and not scored" in pages["sources.md"]
    plain = render(written(tmp_path, TRUTH, "plain.yaml"), TRUTH_AS_OF, tmp_path / "plain")
    assert "The ledger lists no claim as considered and not scored." in plain["README.md"]
