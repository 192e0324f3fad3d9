"""The issue's "done when": the shipped interview summary against the shipped ledger.

`ledger extract ../shared/source/interview-summary.txt --made 2026-01-06..2026-04-30
--against predictions.yaml`: every one of the ledger's 17 Tworek quotes is found and
covered, the four claims the ledger left out are found (and covered by its
`skipped:` entries), the windows match the ledger's (2–3 years → 2028-01-06 to
2029-04-30; "within decades" ends on the question's deadline, 2056-04-30), and
`--strict` passes.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from ledger.cli import main
from ledger.core.dates import parse_when
from ledger.extract import Options, extract
from ledger.extract.coverage import coverage
from ledger.validate import check

ROOT = Path(__file__).resolve().parents[2]
SUMMARY = ROOT.parent / "shared" / "source" / "interview-summary.txt"
LEFT_OUT = {
    "can persist for a long time": "Ideas diffuse, but the lead",
    "could eventually": "Models could eventually do this too",
    "data-constrained, not compute-constrained": "Scaling is data-constrained",
    "virtual worlds": "His greater concern is a dystopian future",
}

pytestmark = pytest.mark.skipif(
    not SUMMARY.exists(), reason=f"the interview summary is not at {SUMMARY}"
)


@pytest.fixture(scope="module")
def found() -> tuple:
    ledger, errors = check(str(ROOT / "predictions.yaml"))
    assert errors == []
    options = Options(made=parse_when("2026-01-06..2026-04-30"))
    extraction = extract(SUMMARY.read_text(encoding="utf-8"), "summary", options)
    return ledger, extraction, coverage(extraction, ledger)


def test_every_tworek_quote_is_found_and_covered(found: tuple) -> None:
    ledger, extraction, cover = found
    tworek = {
        q.id: f.quote for q in ledger.questions for f in q.forecasts if f.by == "jerry-tworek"
    }
    # 18 questions, 17 distinct quotes: the robotics claim is scored on the date
    # question and on its binary cut at 2030.
    assert (len(tworek), len(set(tworek.values()))) == (18, 17)
    covering = {id: [] for id in tworek}
    for candidate, covered in zip(extraction.candidates, cover.covers, strict=True):
        for id in covered.questions:
            if id in covering:
                covering[id].append(candidate.quote)
                assert candidate.quote in SUMMARY.read_text(encoding="utf-8")  # verbatim
    assert [id for id, quotes in covering.items() if not quotes] == []


def test_the_four_left_out_claims_are_found_and_covered_by_skipped(found: tuple) -> None:
    _, extraction, cover = found
    for words, start in LEFT_OUT.items():
        (i,) = [i for i, c in enumerate(extraction.candidates) if words in c.quote]
        assert extraction.candidates[i].quote.startswith(start)
        assert cover.covers[i].questions == ()
        assert [s.source for s in cover.covers[i].skipped] == ["bulletpointpodcast-tworek-summary"]
    assert (cover.by_skipped, cover.uncovered_high) == (4, 0)


def test_the_windows_match_the_ledgers(found: tuple) -> None:
    ledger, extraction, cover = found
    questions = {q.id: q for q in ledger.questions}
    by_question = {
        id: c for c, covered in zip(extraction.candidates, cover.covers, strict=True)
        for id in covered.questions
    }
    robotics = by_question["robotics-chatgpt-moment"]
    assert (robotics.kind, robotics.horizon, robotics.ledger_window) == ("date", "~2–3 years", "+2y..+3y")
    assert robotics.window == (dt.date(2028, 1, 6), dt.date(2029, 4, 30))
    (tworek,) = [f for f in questions["robotics-chatgpt-moment"].forecasts if f.by == "jerry-tworek"]
    assert robotics.window == (tworek.window.start.earliest, tworek.window.end.latest)
    automation = by_question["jobs-widespread-automation"]
    assert (automation.horizon, automation.confidence) == ("within decades", "low")
    assert automation.window[1] == questions["jobs-widespread-automation"].deadline.latest
    biology = by_question["biology-after-robotics"]
    assert (biology.kind, biology.order) == ("binary", ("robotics", "Biology"))
    order = questions["biology-after-robotics"].order
    assert (order.before, order.after) == ("robotics-chatgpt-moment", "biology-chatgpt-moment")


def test_the_mapped_words_match_the_ledgers(found: tuple) -> None:
    ledger, extraction, cover = found
    mapped = {
        q.id: f for q in ledger.questions for f in q.forecasts
        if f.by == "jerry-tworek" and f.basis == "mapped"
    }
    for candidate, covered in zip(extraction.candidates, cover.covers, strict=True):
        for id in set(covered.questions) & set(mapped):
            if candidate.probability.words:  # the clause that holds the hedge
                assert (candidate.probability.words, candidate.probability.p) == (
                    mapped[id].words, mapped[id].p), id


def test_the_command_passes_strict_and_prints_the_summary(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    args = ["extract", str(SUMMARY), "--made", "2026-01-06..2026-04-30",
            "--against", "predictions.yaml", "--strict", "--format", "json"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert set(data) == {"candidates", "skipped", "coverage"}
    assert data["coverage"]["not_covered_high"] == 0
    assert result.stderr.splitlines()[1:4] == [
        f"  covered by a forecast:        {data['coverage']['covered_by_forecast']}",
        "  covered by a skipped: entry:   4",
        f"  not covered:                  {data['coverage']['not_covered']}  (0 high confidence)",
    ]
