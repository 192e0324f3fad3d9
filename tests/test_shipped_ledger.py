"""The shipped ledger (predictions.yaml) is worth comparing, and its caveats are written down.

Issue 14, point 10: after outcomes are recorded, `ledger compare` must find at least
eight questions on which two or more forecasters are scored (by Brier, or, for the
medians and percentiles recorded as quantiles, by relative quantile score). The outcomes here are
simulated (they say nothing about the world): each is appended to a copy of the ledger
with the real `ledger resolve` command, and `compare` is run on that copy. Every note
the file carries must say something (point 4: caveats that a report can show).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import yaml
from click.testing import CliRunner

from ledger.cli import main
from ledger.loader.load import load_file

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = ROOT / "predictions.yaml"

# Simulated outcomes: (question, result, known). "known" lies before any real run of the
# test (the real `resolve` records today's date, and an outcome must be known by then)
# and after every forecast on these questions was made.
SIMULATED = [
    ("robotics-chatgpt-moment-by-2028", "no", "2026-12-01"),
    ("robotics-chatgpt-moment-by-2030", "yes", "2026-12-01"),
    ("first-general-ai-system", "2026-11-01", "2026-12-01"),
    ("first-agi-learns-after-deployment", "yes", "2026-12-01"),
    ("continual-learning-shipped", "2026-10-01", "2026-12-01"),
    ("jobs-widespread-automation", "no", "2026-12-01"),
    ("jobs-market-drastically-different", "yes", "2026-12-01"),
    ("fewer-people-type-code-by-2030", "yes", "2026-12-01"),
    ("openai-declares-agi-2025", "no", "2026-01-01"),
]


def simulated_copy(tmp_path: Path) -> Path:
    """A copy of the shipped ledger with every simulated outcome resolved into it."""
    path = tmp_path / "predictions.yaml"
    shutil.copyfile(SHIPPED, path)
    runner = CliRunner()
    judged = {q.id: q.judges[0] for q in load_file(str(path))[0].questions if q.judges}
    for question, result, known in SIMULATED:
        # a judged question (issue 16) is graded by its judge, the keeper
        by = judged.get(question, "simulation")
        args = ["resolve", "-f", str(path), question, result, "--known", known, "--by", by]
        outcome = runner.invoke(main, args)
        assert outcome.exit_code == 0, outcome.output
    return path


def shared_scored(compare_json: dict) -> set[str]:
    """The questions on which at least one pair of forecasters is scored head to head.

    By Brier, or by relative quantile score (issue 18: medians and percentiles are
    quantile forecasts, compared head to head on that score).
    """
    pairs = compare_json["pairs"] + (compare_json["quantiles"] or {"pairs": []})["pairs"]
    return {q["question"] for pair in pairs for q in pair["questions"]}


def test_compare_finds_at_least_eight_shared_scored_questions(tmp_path: Path) -> None:
    path = simulated_copy(tmp_path)
    result = CliRunner().invoke(
        main, ["compare", str(path), "--as-of", "2036-01-01", "--format", "json"])
    assert result.exit_code == 0, result.output
    shared = shared_scored(json.loads(result.stdout))
    assert len(shared) >= 8, sorted(shared)
    # every simulated question is shared: each has two or more forecasters with a p,
    # or with quantiles
    assert shared == {question for question, _, _ in SIMULATED}


def test_crowds_are_forecasters_of_their_own() -> None:
    data = yaml.safe_load(SHIPPED.read_text(encoding="utf-8"))
    ids = {f["id"] for f in data["forecasters"]}
    assert {"metaculus-crowd", "manifold-crowd"} <= ids
    by = {f["by"] for q in data["questions"] for f in q.get("forecasts") or []}
    assert {"metaculus-crowd", "manifold-crowd"} <= by


def test_every_moved_number_is_judged_with_a_note() -> None:
    """Levine's median for a stronger event is the keeper's reading, not a stated p."""
    data = yaml.safe_load(SHIPPED.read_text(encoding="utf-8"))
    levine = [f for q in data["questions"] for f in q.get("forecasts") or []
              if f["by"] == "sergey-levine"]
    assert levine and all(f["basis"] == "judged" and f["note"].strip() for f in levine)


def test_jim_fans_approximate_horizon_has_six_months_either_side() -> None:
    """'~3 years' is +3y ± 6 months (the README's convention), not a one-month window."""
    data = yaml.safe_load(SHIPPED.read_text(encoding="utf-8"))
    robotics = next(q for q in data["questions"] if q["id"] == "robotics-chatgpt-moment")
    fan = next(f for f in robotics["forecasts"] if f["by"] == "jim-fan")
    assert fan["window"] == "+30m..+42m"


def notes(data: dict) -> list[tuple[str, object]]:
    """Every `note` in the ledger, with where it sits."""
    found: list[tuple[str, object]] = []
    for kind in ("forecasters", "sources"):
        for item in data.get(kind) or []:
            if "note" in item:
                found.append((f"{kind} {item['id']}", item["note"]))
    for question in data["questions"]:
        if "note" in question:
            found.append((f"question {question['id']}", question["note"]))
        for entry in (question.get("forecasts") or []) + (question.get("outcomes") or []):
            if "note" in entry:
                found.append((f"question {question['id']}: {entry.get('by')}", entry["note"]))
    return found


def test_every_note_in_the_shipped_ledger_says_something() -> None:
    data = yaml.safe_load(SHIPPED.read_text(encoding="utf-8"))
    found = notes(data)
    assert len(found) > 50
    empty = [where for where, text in found if not isinstance(text, str) or not text.strip()]
    assert empty == []


def test_every_note_in_the_shipped_ledger_appears_on_some_html_page(tmp_path: Path) -> None:
    """Issue 14, "Done when": a report shows every caveat the file carries (point 4).

    Each note (of a forecaster, a source, a question, a forecast or an outcome) and each
    reason of a claim considered and not scored must be in the text of some HTML page of
    the report, as a reader sees it (entities decoded, whitespace collapsed).
    """
    import html5lib

    data = yaml.safe_load(SHIPPED.read_text(encoding="utf-8"))
    found = notes(data) + [
        (f"skipped: {item.get('quote', '')[:40]}", item.get("reason"))
        for item in data.get("skipped") or []
    ]
    shutil.copyfile(SHIPPED, tmp_path / "predictions.yaml")  # outside git: no history
    out = tmp_path / "reports"
    result = CliRunner().invoke(
        main, ["report", str(tmp_path / "predictions.yaml"), "--as-of", "2026-12-04",
               "--out", str(out), "--format", "html"])
    assert result.exit_code == 0, result.output
    shown = []
    for page in sorted(out.glob("*.html")):
        document = html5lib.parse(page.read_text("utf-8"), namespaceHTMLElements=False)
        shown.append(" ".join("".join(document.itertext()).split()))
    text = "\n".join(shown)
    missing = [where for where, note in found if " ".join(str(note).split()) not in text]
    assert missing == [], f"{len(missing)} of {len(found)} notes are on no page: {missing}"
