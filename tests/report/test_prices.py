"""The crowd's price history on the yearly scorecards, next to the people's forecasts.

tests/data/crowd.yaml rendered as of CROWD_AS_OF is compared with
tests/golden-crowd/ (the year pages and the price charts); rewrite them with
`python -m pytest tests/report/test_prices.py --update-golden`.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import html5lib
import pytest
from click.testing import CliRunner

from ledger.cli import main
from ledger.report.prices import crowds
from ledger.validate import check

CROWD = str(Path(__file__).parent.parent / "data" / "crowd.yaml")
GOLDEN = Path(__file__).parent.parent / "golden-crowd"
CROWD_AS_OF = "2027-12-31"
COMPARED = ("2026.md", "2027.md", "2027.html", "charts/2026-prices-widget-ships.svg",
            "charts/2027-prices-widget-ships.svg")


def render(out: Path) -> dict[str, bytes]:
    # --no-history: the golden files depend on the file alone, not on this repository's git
    result = CliRunner().invoke(
        main, ["report", CROWD, "--as-of", CROWD_AS_OF, "--out", str(out), "--no-history"])
    assert result.exit_code == 0, result.output
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()}


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    return render(tmp_path_factory.mktemp("crowd"))


def test_the_crowd_pages_match_the_golden_files_and_are_deterministic(
    pages: dict[str, bytes], tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    assert render(tmp_path / "again") == pages
    if request.config.getoption("--update-golden"):
        for name in COMPARED:
            (GOLDEN / name).parent.mkdir(parents=True, exist_ok=True)
            (GOLDEN / name).write_bytes(pages[name])
    for name in COMPARED:
        assert pages[name] == (GOLDEN / name).read_bytes(), name


def test_the_chart_draws_the_prices_as_steps_and_the_people_as_markers(
    pages: dict[str, bytes]
) -> None:
    svg = ET.fromstring(pages["charts/2027-prices-widget-ships.svg"])
    ns = {"s": "http://www.w3.org/2000/svg"}
    assert svg.find("s:title", ns).text == "Crowd prices: The widget ships in 2027"
    desc = svg.find("s:desc", ns).text
    assert desc.startswith("The widget market: 3 prices from 2026-08-20 (41%) to 2027-02-14 (80%)")
    assert "Bob Example 2026-10-01..2026-11-15: 35%" in desc
    [line] = svg.findall("s:polyline", ns)
    ys = [float(point.split(",")[1]) for point in line.get("points").split()]
    # three prices, each held until the next: 41%, 55%, 80% on a 220-px axis from y=264
    assert ys == [264 - 220 * p for p in (0.41, 0.41, 0.55, 0.55, 0.8, 0.8)]
    xs = [float(point.split(",")[0]) for point in line.get("points").split()]
    assert xs == sorted(xs)
    markers = [p for p in svg.findall("s:path", ns) if p.get("fill") != "none"]
    assert len(markers) >= 2  # alice and bob (and their legend entries)
    assert any(t.text == "outcome: yes" for t in svg.iter("{http://www.w3.org/2000/svg}text"))


def test_the_section_lists_every_forecast_and_marks_the_crowd(pages: dict[str, bytes]) -> None:
    page = pages["2027.md"].decode()
    assert "## Crowd prices" in page
    assert "| The widget market (crowd) [3] | 2027-02-14 | 80% | stated |" in page
    # the note ledger sync wrote is its own, not the keeper's
    assert "3. The widget market on “The widget ships in 2027”: written by ledger sync: " in page
    assert "| Alice Example | 2026-09-01 | 70% | stated |" in page
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
    parser.parse(pages["2027.html"].decode())
    # the crowd is a forecaster like any other: it has its page and is compared
    assert "forecaster-widget-crowd.md" in pages
    assert "The widget market" in pages["compare.md"].decode()


def test_crowd_forecasters_are_named_by_resolvers_or_end_in_crowd() -> None:
    book, errors = check(CROWD)
    assert errors == []
    assert crowds(book) == {"widget-crowd"}


def test_no_section_without_crowd_prices(tmp_path: Path) -> None:
    text = Path(CROWD).read_text("utf-8").replace("by: widget-crowd", "by: alice")
    path = tmp_path / "plain.yaml"
    path.write_text(text.replace(", crowd: widget-crowd", ""), encoding="utf-8")
    result = CliRunner().invoke(main, ["report", str(path), "--as-of", CROWD_AS_OF, "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert "Crowd prices" not in (tmp_path / "out" / "2027.md").read_text("utf-8")
