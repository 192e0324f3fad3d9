"""Comparing quantile forecasters (issue 18): relative quantile scores and crowds.

Questions have different units, so `ledger compare` ranks quantile forecasters by
the ratio of their quantile score to the median quantile score of the others on the
same question, and tests head to head on those ratios; the crowd aggregates (median,
mean) aggregate quantiles level by level. Every expected number is worked out here.
"""

from __future__ import annotations

import json
import statistics
from typing import TYPE_CHECKING

import pytest
from click.testing import CliRunner

from ledger.cli import main
from ledger.score.stats import sign_flip_p

if TYPE_CHECKING:
    from pathlib import Path

# Three numeric questions (different units), three forecasters, outcomes known.
LEDGER = """\
forecasters:
  - {id: ana, name: Ana}
  - {id: ben, name: Ben}
  - {id: cy, name: Cy}
questions:
  - id: gw
    title: Gigawatts
    criteria: x
    kind: numeric
    unit: GW
    deadline: 2030-12-31
    forecasts:
      - {by: ana, made: 2026-01-01, quantiles: {0.1: 8, 0.5: 12, 0.9: 20}, basis: stated}
      - {by: ben, made: 2026-01-01, quantiles: {0.1: 10, 0.5: 15, 0.9: 30}, basis: stated}
      - {by: cy, made: 2026-01-01, quantiles: {0.5: 30}, basis: stated}
    outcomes:
      - {result: 14, known: 2030-06-01, recorded: 2030-06-02}
  - id: dollars
    title: Dollars
    criteria: x
    kind: numeric
    unit: USD bn
    deadline: 2030-12-31
    forecasts:
      - {by: ana, made: 2026-01-01, quantiles: {0.5: 100}, basis: stated}
      - {by: ben, made: 2026-01-01, quantiles: {0.5: 180}, basis: stated}
      - {by: cy, made: 2026-01-01, quantiles: {0.25: 150, 0.5: 200, 0.75: 260}, basis: stated}
    outcomes:
      - {result: 190, known: 2030-06-01, recorded: 2030-06-02}
  - id: people
    title: People
    criteria: x
    kind: numeric
    unit: million
    deadline: 2030-12-31
    forecasts:
      - {by: ana, made: 2026-01-01, quantiles: {0.5: 3}, basis: stated}
      - {by: ben, made: 2026-01-01, quantiles: {0.5: 5}, basis: stated}
    outcomes:
      - {result: 4.5, known: 2030-06-01, recorded: 2030-06-02}
"""


def qs(y: float, given: dict[float, float]) -> float:
    terms = [2 * (y - q) * (t - (y < q)) for t, q in given.items()]
    return sum(terms) / len(terms)


SCORES = {
    "gw": {
        "ana": qs(14, {0.1: 8, 0.5: 12, 0.9: 20}),
        "ben": qs(14, {0.1: 10, 0.5: 15, 0.9: 30}),
        "cy": qs(14, {0.5: 30}),
    },
    "dollars": {
        "ana": qs(190, {0.5: 100}),
        "ben": qs(190, {0.5: 180}),
        "cy": qs(190, {0.25: 150, 0.5: 200, 0.75: 260}),
    },
    "people": {"ana": qs(4.5, {0.5: 3}), "ben": qs(4.5, {0.5: 5})},
}


def relative(question: str, who: str) -> float:
    others = [s for name, s in SCORES[question].items() if name != who]
    return SCORES[question][who] / statistics.median(others)


@pytest.fixture
def ledger_file(tmp_path: Path) -> Path:
    path = tmp_path / "predictions.yaml"
    path.write_text(LEDGER, encoding="utf-8")
    return path


def compare(path: Path, *args: str) -> dict:
    result = CliRunner().invoke(
        main, ["compare", str(path), "--as-of", "2031-01-01", "--format", "json", *args]
    )
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_relative_quantile_score_is_the_ratio_to_the_others_median(ledger_file: Path) -> None:
    found = compare(ledger_file)["quantiles"]
    assert found["scale"].startswith("relative quantile score: own quantile score / the median")
    board = {row["forecaster"]: row for row in found["forecasters"]}
    for who in ("ana", "ben", "cy"):
        mine = [relative(q, who) for q in SCORES if who in SCORES[q]]
        assert board[who]["n"] == len(mine) == board[who]["n_relative"]
        assert board[who]["relative_quantile_score"] == pytest.approx(
            sum(mine) / len(mine), rel=1e-12
        )
    ranked = [row["relative_quantile_score"] for row in found["forecasters"]]
    assert ranked == sorted(ranked)


def test_head_to_head_on_the_ratios_of_shared_questions(ledger_file: Path) -> None:
    pairs = {(p["a"], p["b"]): p for p in compare(ledger_file)["quantiles"]["pairs"]}
    ana_ben = pairs[("ana", "ben")]
    diffs = [relative(q, "ana") - relative(q, "ben") for q in ("gw", "dollars", "people")]
    assert ana_ben["n"] == 3
    assert ana_ben["mean_diff"] == pytest.approx(sum(diffs) / 3, rel=1e-12)
    assert ana_ben["test"] == "sign-flip (exact)"
    import numpy as np

    assert ana_ben["p"] == pytest.approx(sign_flip_p(np.array(diffs)))
    shared = [q["question"] for q in ana_ben["questions"]]
    assert shared == ["gw", "dollars", "people"]
    assert ana_ben["questions"][0]["relative_quantile_score_a"] == pytest.approx(
        relative("gw", "ana")
    )
    assert pairs[("ana", "cy")]["n"] == 2  # cy did not forecast people


def test_the_crowd_aggregates_quantiles_level_by_level(ledger_file: Path) -> None:
    for method, combine in (("median", statistics.median), ("mean", statistics.mean)):
        found = compare(ledger_file, "--aggregate", method)["quantiles"]
        crowd = next(r for r in found["forecasters"] if r["forecaster"] == f"crowd-{method}")
        assert crowd["synthetic"]
        # gw: the levels all three gave is 0.5 only; dollars: 0.5; people: 0.5
        medians = {
            "gw": (14, [12, 15, 30]), "dollars": (190, [100, 180, 200]), "people": (4.5, [3, 5]),
        }
        ratios = []
        for question, (y, values) in medians.items():
            own = abs(y - combine(values))
            ratios.append(own / statistics.median(SCORES[question].values()))
        assert crowd["relative_quantile_score"] == pytest.approx(
            sum(ratios) / len(ratios), rel=1e-12
        )
        # a real forecaster's others never include the crowd
        ana = next(r for r in found["forecasters"] if r["forecaster"] == "ana")
        assert ana["relative_quantile_score"] == pytest.approx(
            sum(relative(q, "ana") for q in SCORES) / 3, rel=1e-12
        )


def test_a_crowd_keeps_the_levels_every_member_gave(tmp_path: Path) -> None:
    import datetime as dt

    from ledger.compare import aggregate_forecaster
    from ledger.frame import frame
    from ledger.validate import check

    path = tmp_path / "two.yaml"
    path.write_text(
        LEDGER.split("  - id: dollars", maxsplit=1)[0].replace(
            "{0.5: 30}", "{0.1: 20, 0.5: 30, 0.9: 40}"
        ),
        encoding="utf-8",
    )
    table = aggregate_forecaster(frame(check(str(path))[0], dt.date(2031, 1, 1)), "mean")
    row = table[table["forecaster"] == "crowd-mean"].iloc[0]
    assert row["quantile_levels"] == (0.1, 0.5, 0.9)
    assert row["quantile_values"] == pytest.approx(((8 + 10 + 20) / 3, (12 + 15 + 30) / 3, 30.0))
    expected = qs(14, dict(zip((0.1, 0.5, 0.9), row["quantile_values"], strict=True)))
    assert row["quantile_score"] == pytest.approx(expected, rel=1e-12)


def test_the_text_table_shows_the_quantile_section(ledger_file: Path) -> None:
    result = CliRunner().invoke(main, ["compare", str(ledger_file), "--as-of", "2031-01-01"])
    assert result.exit_code == 0, result.output
    text = result.stdout
    assert "No forecast with a probability has resolved as of 2031-01-01" in text
    assert "Quantile forecasts (relative quantile score: own quantile score / the median" in text
    assert "Head to head on the questions both forecast with quantiles" in text
    assert "quantiles without p, compared by quantile score: ana, ben" in text
