"""Quantile forecasts on the report pages (issue 18): fans, scores, coverage.

Forecaster and year pages show each standing quantile forecast as a small fan on
its question's axis with the quantile score and WIS beside it, and the calibration
section shows the quantile coverage table. The pages stay strict HTML5, and the
same ledger and as-of date give the same bytes.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import html5lib
import pytest
from click.testing import CliRunner

from ledger.cli import main

YEAR = 365.25
LEDGER = Path(__file__).parents[1] / "data" / "quantiles.yaml"


def days(start: str, end: str) -> float:
    return (dt.date.fromisoformat(end) - dt.date.fromisoformat(start)).days / YEAR


def render(out: Path) -> dict[str, str]:
    """The report of tests/data/quantiles.yaml as of 2031-12-31, every file as text."""
    result = CliRunner().invoke(
        main, ["report", str(LEDGER), "--as-of", "2031-12-31", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    return {
        p.relative_to(out).as_posix(): p.read_text("utf-8")
        for p in sorted(out.rglob("*")) if p.is_file()
    }


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    return render(tmp_path_factory.mktemp("fans") / "out")


def test_the_year_page_shows_a_fan_per_quantile_forecast_with_its_scores(
    pages: dict[str, str],
) -> None:
    page = pages["2031.md"]
    assert "## Quantile forecasts" in page
    alice = (
        2 * 0.1 * days("2027-01-01", "2031-03-01")
        + 2 * 0.5 * days("2030-06-01", "2031-03-01")
        + 2 * 0.1 * days("2031-03-01", "2034-01-01")
    ) / 3
    assert (
        "**Alice**, made 2026-02-10: **quantiles 10%: 2027-01-01, 50%: 2030-06-01, "
        "90%: 2034-01-01** (stated). Outcome: 2031-03-01. "
        f"Quantile score {alice:.2f} y, WIS {alice:.2f} y (lower is better): scored."
    ) in page
    bob = days("2030-12-31", "2031-03-01")
    assert (
        "**window 2029-01-01 to 2031-12-31 (3.00 y wide), no probability; median 2030** "
        f"(judged by the keeper). Outcome: 2031-03-01. Quantile score {bob:.2f} y"
    ) in page
    assert 'Note: Bob\'s "around 2030", read as a median of 2030.' in page  # its caveat
    assert "![Quantiles of Alice on “Robots at work”](charts/2031-fan-robots-alice.svg)" in page
    power = (2 * 0.1 * 17 + 2 * 0.5 * 13 + 2 * 0.9 * 5) / 3
    assert (
        "quantiles 10%: 8, 50%: 12, 90%: 20 GW** (stated). Outcome: 25 GW. "
        f"Quantile score {power:.2f} GW, WIS {power:.2f} GW"
    ) in page
    assert "WIS — (no median (level 0.5))" in page  # bob's 25%/75%
    later = days("2028-06-01", "2029-07-01")  # no event by 2029-06-30, still open
    assert f"Outcome: after 2029-06-30 (or never). Quantile score ≥ {later:.2f} y" in page
    assert "not scored yet" in page  # bob's 90% value lies after 2029-06-30
    assert "charts/2031-fan-power-alice.svg" in pages


def test_a_censored_forecast_says_its_score_is_a_lower_bound(pages: dict[str, str]) -> None:
    page = pages["2030.md"]
    bound = (
        2 * 0.25 * days("2027-12-31", "2031-01-01") + 2 * 0.75 * days("2029-12-31", "2031-01-01")
    ) / 2
    assert (
        f"Outcome: after 2030-12-31 (or never). Quantile score ≥ {bound:.2f} y, "
        "WIS — (no median (level 0.5)) (lower is better): a lower bound"
    ) in page
    assert "waits for the event (a value lies past the deadline it did not happen by)" in page
    svg = pages["charts/2030-fan-never-alice.svg"]
    assert "stroke-dasharray=\"5 3\"" in svg  # the arrow: the event came later, if ever


def test_the_calibration_section_shows_the_coverage_table(pages: dict[str, str]) -> None:
    page = pages["forecaster-alice.md"]
    table = page[page.index("Quantile calibration:"):]
    # resolved: robots (2031-03-01): 10%, 50% not below, 90% below; power (25 GW):
    # none below; never (after 2030-12-31): 25%, 75% not below; later (not yet on
    # 2029-06-30, so after it): 50% (2028-06-01) not below
    assert "| 10% | 2 | 0.0% |" in table
    assert "| 50% | 3 | 0.0% |" in table
    assert "| 90% | 2 | 50.0% |" in table
    assert "| 80% | 10%–90% | 2 | 50.0% |" in table
    assert "| 50% | 25%–75% | 1 | 0.0% |" in table
    assert page.index("## Calibration") < page.index("Quantile calibration:") < page.index(
        "## Resolved"
    )


def test_the_pages_stay_strict_html5_and_the_fans_are_inline(pages: dict[str, str]) -> None:
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
    for name in (n for n in pages if n.endswith(".html")):
        parser.parse(pages[name])
    page = pages["2031.html"]
    assert '<h2 id="quantiles">Quantile forecasts</h2>' in page
    assert pages["charts/2031-fan-robots-alice.svg"].rstrip("\n") in page
    assert "<caption>Quantile coverage by level</caption>" in pages["forecaster-alice.html"]
    svg = pages["charts/2031-fan-robots-alice.svg"]
    assert re.search(r'<title>Robots at work</title>', svg)
    assert "<desc>Quantiles of Alice on “Robots at work”: quantiles 10%: 2027-01-01" in svg


def test_the_fans_are_drawn_the_same_every_time(tmp_path: Path, pages: dict[str, str]) -> None:
    assert render(tmp_path / "again") == pages


def test_a_page_without_quantile_forecasts_has_no_quantile_section(tmp_path: Path) -> None:
    path = tmp_path / "plain.yaml"
    path.write_text(
        "forecasters:\n  - {id: a, name: A}\nquestions:\n  - id: q\n    title: Q\n"
        "    criteria: x\n    kind: binary\n    deadline: 2030-12-31\n    forecasts:\n"
        "      - {by: a, made: 2026-01-01, p: 0.7, basis: stated}\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["report", str(path), "--as-of", "2027-01-01", "--out", str(out)])
    assert result.exit_code == 0, result.output
    for page in out.glob("*.*"):
        source = page.read_text("utf-8")
        assert "Quantile" not in source, page.name
