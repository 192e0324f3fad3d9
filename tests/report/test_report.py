"""Tests of `ledger report`: golden files, numbers, escaping, names, HTML, Markdown.

The golden files in tests/golden/ are tests/data/sample.yaml rendered as of
GOLDEN_AS_OF; after an intended change, rewrite them with
`python -m pytest tests/report/test_report.py --update-golden` and read the diff.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import html5lib
import pytest
from click.testing import CliRunner, Result
from shipped import TEXT, load, with_outcomes

from ledger import report
from ledger.cli import main
from ledger.query import history
from ledger.report import cards, forecaster
from ledger.report.write import _share
from ledger.validate import check as check_file

ROOT = Path(__file__).resolve().parent.parent.parent
SAMPLE = str(Path(__file__).parent.parent / "data" / "sample.yaml")
SHIPPED = str(ROOT / "predictions.yaml")
GOLDEN = Path(__file__).parent.parent / "golden"
GOLDEN_AS_OF = "2028-10-01"  # every sample outcome known; 2028 not over yet
SHIPPED_AS_OF = "2026-12-04"  # the committed reports/: the day the criteria were written
SLUG = re.compile(r"[a-z0-9][a-z0-9-]*")


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def tree(folder: Path) -> dict[str, bytes]:
    """Every file under `folder`, by its relative POSIX path."""
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def render(ledger: str, as_of: str, out: Path, *extra: str) -> dict[str, bytes]:
    result = run("report", ledger, "--as-of", as_of, "--out", str(out), *extra)
    assert result.exit_code == 0, result.output
    return tree(out)


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    # --no-history: the golden files depend on the file alone, not on the git
    # history of this repository (which a shallow clone does not have)
    return render(
        SAMPLE, GOLDEN_AS_OF, tmp_path_factory.mktemp("sample"), "--no-history"
    )


@pytest.fixture(scope="module")
def shipped(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    return render(SHIPPED, SHIPPED_AS_OF, tmp_path_factory.mktemp("shipped"))


def text(files: dict[str, bytes], name: str) -> str:
    return files[name].decode("utf-8")


def parse_html(source: str):  # type: ignore[no-untyped-def]
    """The document tree, or an exception on any HTML5 parse error (strict mode)."""
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
    return parser.parse(source)


# -- golden files and determinism ----------------------------------------------------


def test_the_sample_report_matches_the_golden_files(
    sample: dict[str, bytes], request: pytest.FixtureRequest
) -> None:
    if request.config.getoption("--update-golden"):
        shutil.rmtree(GOLDEN, ignore_errors=True)
        for name, data in sample.items():
            (GOLDEN / name).parent.mkdir(parents=True, exist_ok=True)
            (GOLDEN / name).write_bytes(data)
        return
    expected = tree(GOLDEN)
    assert sorted(sample) == sorted(expected)
    for name, data in expected.items():
        assert sample[name] == data, (
            f"{name} differs from tests/golden/{name}; if the change is intended, "
            "run `python -m pytest tests/report/test_report.py --update-golden`, "
            "read the diff"
        )


def test_rendering_twice_gives_byte_identical_files(tmp_path: Path) -> None:
    first = render(SHIPPED, SHIPPED_AS_OF, tmp_path / "a")
    second = render(SHIPPED, SHIPPED_AS_OF, tmp_path / "b")
    assert first == second
    again = run(
        "report", SHIPPED, "--as-of", SHIPPED_AS_OF, "--out", str(tmp_path / "a")
    )
    assert "(0 changed)" in again.stdout
    assert tree(tmp_path / "a") == first


def test_no_page_carries_a_clock_time(sample: dict[str, bytes]) -> None:
    today = dt.date.today().isoformat()
    for name, data in sample.items():
        page = data.decode("utf-8")
        assert not re.search(r"\d\d:\d\d:\d\d", page), name
        assert today not in page or today == GOLDEN_AS_OF, name
    assert f"As of {GOLDEN_AS_OF}" in text(sample, "README.md")


def test_the_committed_reports_are_the_shipped_ledger_rendered(tmp_path: Path) -> None:
    committed = ROOT / "reports"
    if not (committed / "README.md").is_file():
        pytest.skip("reports/ has not been rendered yet")
    as_of = re.search(
        r"As of (\d{4}-\d\d-\d\d)", (committed / "README.md").read_text("utf-8")
    )
    assert as_of, "reports/README.md does not say its as-of date"
    assert as_of[1] == SHIPPED_AS_OF
    try:  # the pages say when each forecast was first committed
        history.history(SHIPPED)
    except history.NoHistory as exc:
        pytest.skip(
            "reports/ shows entry dates from the git history of predictions.yaml, "
            f"which this checkout does not have ({exc})"
        )
    fresh = render(SHIPPED, as_of[1], tmp_path)
    # scorecard.png is the README's screenshot of the 2026 page, not rendered output.
    rendered = {
        name: data for name, data in tree(committed).items() if name != "scorecard.png"
    }
    assert rendered == fresh, (
        "reports/ is stale: run `ledger report predictions.yaml "
        f"--as-of {as_of[1]} --out reports` and commit the result"
    )


# -- the numbers, against values computed by hand -------------------------------------


def row(page: str, *cells: str) -> list[str]:
    """The cells of the Markdown table row whose leading cells are `cells`."""
    start = "| " + " | ".join(cells) + " |"
    found = [line for line in page.splitlines() if line.startswith(start)]
    assert len(found) == 1, (start, found)
    return [cell.strip() for cell in re.split(r"(?<!\\)\|", found[0])[1:-1]]


def test_resolved_forecasts_carry_their_scores(sample: dict[str, bytes]) -> None:
    page = text(sample, "2027.md")
    # Alice: 70% on a half-passed budget, (0.7 - 0.5)^2; 70% on a window that held.
    budget = row(page, "The budget passes", "70% (stated)")
    assert budget[2:5] == [
        "0.5 (partial credit), known 2027-01-15",
        "◐ partly",
        f"{0.2**2:.3f}",
    ]
    # A window's width beside it: 2027-01-01 to 2027-12-31 is 364 days at its widest.
    alice_window = "window 2027-01-01 to 2027-12-31 (1.00 y wide), 70% (stated)"
    launch = row(page, "The rocket launches", alice_window)
    assert launch[2:5] == ["2027-09-15, known 2027-09-15", "✓ came true", "0.090"]
    assert launch[7] == f"{364 / 365.25:.2f} y"  # inside: the interval score is the width
    # Bob's window opened 108 days after the launch: 0.6^2, and 108 / 365.25 years;
    # interval score: width + 2 / (1 - 0.6) x the distance outside.
    bob_window = "window 2028-01-01 to 2028-12-31 (1.00 y wide), 60% (stated)"
    bob = row(page, "The rocket launches", bob_window)
    assert (bob[3], bob[4], bob[6]) == ("✗ didn't", "0.360", f"{108 / 365.25:.2f} y")
    assert bob[7] == f"{(365 + 2 / 0.4 * 108) / 365.25:.2f} y"
    # Dan said 100% on heads; tails: Brier 1, Baseline 100 (1 + log2 0.001).
    coin = row(page, "The coin lands heads", "100% (stated)")
    assert coin[4] == "1.000"
    assert coin[5] == f"{100 * (1 + math.log2(0.001)):.1f}".replace("-", "−")
    # Carol's mapped "likely" (ICD 203, 67.5%) against 0.5.
    assert row(page, "The budget passes", "67.5% (mapped)")[4] == f"{0.175**2:.3f}"
    voided = row(page, "The referee's call is upheld", "50% (stated)")
    assert voided[2:5] == ["ambiguous, known 2027-05-01", "⊘ voided", "—"]
    scores = page.split("Scores of the forecasts resolved in 2027", 1)[1]
    scores = scores.split("## Whose judgement")[0]
    alice = row(scores, "Alice Example", "2")
    assert (alice[2], alice[3]) == (f"{(0.04 + 0.09) / 2:.3f}", "0.040 to 0.090")
    board = page.split("Leaderboard", 1)[1]
    assert row(board, "Alice Example", "2")[2] == alice[2]  # the comparison agrees


def test_the_calibration_tables_count_and_fold(sample: dict[str, bytes]) -> None:
    page = text(sample, "2027.md")
    # 70%: Alice 70% (budget, 0.5), Alice 70% (launch, 1), Carol 67.5% mapped (0.5).
    seventy = row(page, "70% (65–75%)", "3")
    assert seventy[2:5] == [
        "2 stated, 1 mapped",
        f"{100 * (0.7 + 0.7 + 0.675) / 3:.1f}%",
        f"{100 * 2 / 3:.1f}%",
    ]
    # 99%: Dan's 100% (no) and Bob's 0% (no, folded to 100% yes): half came true.
    assert row(page, "99% (97–100%)", "2")[4] == "50.0%"
    # Wilson 95% for 1 of 1: (1 + z²/2 - z·sqrt(z²/4)) / (1 + z²) to 1.
    z = 1.959963984540054
    low = (1 + z**2 / 2 - z * math.sqrt(z**2 / 4)) / (1 + z**2)
    assert row(page, "50% (50–55%)", "1")[5] == f"{100 * low:.1f}% to 100.0%"
    # one sentence explains the page's two bucket schemes
    assert "85% is in the 90% bucket, whose range is 85% up to 92.5%" in page
    assert "![Calibration of 7 forecasts resolved in 2027" in page


def test_running_means_accumulate_year_by_year(sample: dict[str, bytes]) -> None:
    page = text(sample, "2027.md")
    # Alice: 0.8 and 0.9 came true in 2026; 0.7 on 0.5 and 0.7 in the window in 2027.
    alice_2026 = ((0.8 - 1) ** 2 + (0.9 - 1) ** 2) / 2
    alice_2027 = ((0.8 - 1) ** 2 + (0.9 - 1) ** 2 + 0.2**2 + 0.3**2) / 4
    assert row(page, "Alice Example", f"{alice_2026:.3f} (2)") == [
        "Alice Example",
        f"{alice_2026:.3f} (2)",
        f"{alice_2027:.3f} (4)",
    ]
    assert row(page, "Dan Example", "—")[2] == "0.625 (2)"  # 1 and 0.25


def test_open_due_and_coming_questions(sample: dict[str, bytes]) -> None:
    page = text(sample, "2027.md")
    section = page.split("## Due but unrecorded", 1)[1].split("## Coming due", 1)[0]
    # bridge-opens: deadline 2027-06-30, nothing recorded by 2027-12-31.
    days = (dt.date(2027, 12, 31) - dt.date(2027, 6, 30)).days
    assert f"deadline 2027-06-30 (overdue by {days} days (6m))" in section
    coming = page.split("## Coming due in 2028", 1)[1].split("## Timing", 1)[0]
    assert (
        row(coming, "The first fusion plant is profitable")[2] == "Alice Example: 20%"
    )


def test_a_year_with_nothing_resolved_still_says_what_is_open(
    shipped: dict[str, bytes],
) -> None:
    page = text(shipped, "2026.md")
    assert "No question resolved in 2026 (as of 2026-12-04)" in page
    assert "24 questions open on 2026-12-04" in page
    # what each forecaster claimed: quote, source, probability and basis
    assert (
        "**Jerry Tworek**, made 2026-01-06..2026-04-30: **85%** "
        "(judged by the keeper)" in page
    )  # issue 14, point 8: not "(judged (the keeper's reading))"
    assert "(judged (" not in page
    assert (
        "mapped from “likely” with ICD 203 expressions of likelihood (range midpoints)"
        in page
    )
    assert "Quote: “Robotics timeline: \\~2–3 years for a “ChatGPT moment.”" in page
    assert "[Dwarkesh Podcast episode with Sergey Levine" in page
    assert "deadline 2035-12-31 (in 9y)" in page
    assert '![Timing of 4 windows on “Robotics has its "ChatGPT moment"”' in page
    # Levine's median (issue 18: a quantile forecast, no longer a window) is a fan
    assert "**Sergey Levine**, made 2025-09-12: **median 2030**" in page
    assert "charts/2026-fan-robotics-chatgpt-moment-sergey-levine.svg" in page
    # Jim Fan's "~3 years" (±6 months) window closes within the year after
    closing = row(page, "Jim Fan", 'Robotics has its "ChatGPT moment"')
    assert closing[2].startswith("window 2026-06-01 to 2027-06-30 (1.08 y wide)")
    assert closing[3] == "2027-06-30"
    html = parse_html(text(shipped, "2026.html"))
    for body in html.iter("tbody"):
        assert len(body.findall("tr")) > 0, "an empty table"


# -- escaping ------------------------------------------------------------------------

EVIL = """\
forecasters:
  - id: eve
    name: "<b>Eve</b> | *star* _under_ `tick` [x](javascript:alert(1)) $m$ &amp;"
    affiliation: "<img src=x onerror=alert(1)>"
    links: ["javascript:alert(1)", "https://example.org/a(b)|c"]
  - id: bob
    name: Bob
sources:
  - id: evil
    title: "<script>alert('source')</script>"
    kind: other
    url: "javascript:alert(1)"
questions:
  - id: evil-binary
    title: "<script>alert(1)</script>"
    criteria: |-
      | a | b |
      # not a heading
      - not a list
    kind: binary
    deadline: 2026-06-30
    forecasts:
      - {by: eve, made: 2026-01-01, p: 0.7, basis: stated, source: evil,
         quote: "</blockquote><script>alert(2)</script> ]]> --> \\u0007bell"}
      - {by: bob, made: 2026-01-02, p: 0.2, basis: judged, note: "1. <i>why</i>"}
    outcomes:
      - {result: yes, known: 2026-07-01, recorded: 2026-07-01}
  - id: evil-date
    title: "Launch <svg onload=alert(1)> & \\"quotes\\" 'apos'"
    criteria: The day it launches.
    kind: date
    deadline: 2030-12-31
    forecasts:
      - {by: eve, made: 2026-01-01, window: [2027-01-01, 2028-12-31], p: 0.5,
         basis: stated}
      - {by: bob, made: 2026-01-02, window: [2029-01-01, null], basis: stated}
"""


@pytest.fixture(scope="module")
def evil(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    folder = tmp_path_factory.mktemp("evil")
    (folder / "evil.yaml").write_text(EVIL, encoding="utf-8")
    assert run("check", str(folder / "evil.yaml")).exit_code == 0
    return render(str(folder / "evil.yaml"), "2026-12-31", folder / "out")


def test_user_text_is_text_in_html(evil: dict[str, bytes]) -> None:
    pages = [name for name in evil if name.endswith(".html")]
    assert pages
    seen = set()
    for name in pages:
        source = text(evil, name)
        assert (
            "<script" not in source and "<img" not in source and "<b>" not in source
        ), name
        assert 'href="javascript' not in source.lower(), name
        assert "\x07" not in source, name
        document = parse_html(source)
        for element in document.iter():
            tag = element.tag.rsplit("}", 1)[-1] if isinstance(element.tag, str) else ""
            assert tag not in ("script", "img", "b", "i", "iframe"), (name, tag)
            assert not any(key.lower().startswith("on") for key in element.attrib), name
            seen.add("".join(element.itertext()) if tag == "h3" else "")
    assert "<script>alert(1)</script>" in seen  # shown, as text
    assert 'href="https://example.org/a(b)|c"' in text(evil, "forecaster-eve.html")


def unescaped(line: str, char: str) -> int:
    return len(re.findall(rf"(?<!\\){re.escape(char)}", line))


def test_user_text_is_text_in_markdown(evil: dict[str, bytes]) -> None:
    pages = [name for name in evil if name.endswith(".md")]
    for name in pages:
        page = text(evil, name)
        for line in page.splitlines():
            assert unescaped(line, "<") == 0 and unescaped(line, ">") == 0, (name, line)
            assert unescaped(line, "`") == 0 and unescaped(line, "$") == 0, (name, line)
            assert not line.startswith(("# not", "- not")), (name, line)
        assert not re.search(r"(?<!\\)\]\(javascript", page), name
        tables = re.findall(r"((?:^\|.*\|\n)+)", page, flags=re.M)
        for table in tables:
            widths = {unescaped(line, "|") for line in table.splitlines()}
            assert len(widths) == 1, (name, table)  # no cell was split by a user's '|'
    eve = text(evil, "forecaster-eve.md")
    assert (
        "# \\<b\\>Eve\\</b\\> \\| \\*star\\* \\_under\\_ \\`tick\\` "
        "\\[x\\](javascript:alert(1)) \\$m\\$ &amp;amp;" in eve
    )
    assert "[https://example.org/a(b)\\|c](https://example.org/a%28b%29%7Cc)" in eve
    assert "- javascript:alert(1)\n" in eve  # not a link
    assert "The keeper's note: 1\\. \\<i\\>why\\</i\\>" in text(evil, "compare.md")


def test_user_text_is_text_in_svg(evil: dict[str, bytes]) -> None:
    charts = [name for name in evil if name.endswith(".svg")]
    assert "charts/2026-timing-evil-date.svg" in charts
    for name in charts:
        root = ET.fromstring(evil[name])  # well-formed XML
        tags = {element.tag.rsplit("}", 1)[-1] for element in root.iter()}
        assert not tags & {"script", "foreignObject", "a", "image"}, name
        for element in root.iter():
            assert not any(key.startswith("on") for key in element.attrib), name
    timing = ET.fromstring(evil["charts/2026-timing-evil-date.svg"])
    title = timing.find("{http://www.w3.org/2000/svg}title")
    assert (
        title is not None
        and title.text == "Launch <svg onload=alert(1)> & \"quotes\" 'apos'"
    )


def test_markdown_escape_rules() -> None:
    assert report.md_escape("a | b") == "a \\| b"
    assert report.md_escape("line one\n\n# two") == "line one \\# two"
    assert report.md_escape("- item") == "\\- item"
    assert report.md_escape("1. first") == "1\\. first"
    assert report.md_escape("0.5 and -0.5") == "0.5 and -0.5"  # numbers stay readable
    assert report.md_escape("AT&T &lt;") == "AT&T &amp;lt;"
    assert report.md_escape(report.Md("**kept**")) == "**kept**"


# -- file names ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "../../etc",
        "..",
        ".",
        "",
        "a/b",
        "a\\b",
        "/etc/passwd",
        "CON",
        "é",
        "x" * 300,
        "a\x00b",
        "-lead",
        "UPPER",
    ],
)
def test_safe_names_are_plain_slugs(name: str) -> None:
    safe = report.safe_name(name)
    assert SLUG.fullmatch(safe) and len(safe) <= 80, safe
    assert "/" not in safe and ".." not in safe


def test_safe_names_keep_slugs_and_separate_the_rest() -> None:
    assert report.safe_name("jerry-tworek") == "jerry-tworek"
    names = ["a/b", "a-b", "a_b", "A-B", "a b"]
    assert len({report.safe_name(n) for n in names}) == len(names)


@pytest.mark.parametrize(
    "relative", ["../x", "/etc/passwd", "charts/../../x", "a\\..\\b", ""]
)
def test_paths_outside_the_output_folder_are_refused(
    tmp_path: Path, relative: str
) -> None:
    with pytest.raises(ValueError):
        report.inside(tmp_path / "out", relative)


def test_a_symlink_out_of_the_folder_is_refused(tmp_path: Path) -> None:
    (tmp_path / "out").mkdir()
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "out" / "charts").symlink_to(tmp_path / "elsewhere")
    with pytest.raises(ValueError):
        report.inside(tmp_path / "out", "charts/x.svg")
    assert (
        report.inside(tmp_path / "out", "2026.md")
        == (tmp_path / "out" / "2026.md").resolve()
    )


def test_hostile_ids_stay_inside_the_output_folder(tmp_path: Path) -> None:
    ledger, errors = check_file(SAMPLE)
    assert not errors
    evil_id = "../../etc"
    questions = tuple(
        dataclasses.replace(
            q,
            id="../../../tmp/x" if q.id == "rocket-launch" else q.id,
            forecasts=tuple(
                dataclasses.replace(f, by=evil_id) if f.by == "alice" else f
                for f in q.forecasts
            ),
        )
        for q in ledger.questions
    )
    forecasters = tuple(
        dataclasses.replace(f, id=evil_id) if f.id == "alice" else f
        for f in ledger.forecasters
    )
    hostile = dataclasses.replace(ledger, questions=questions, forecasters=forecasters)
    files = report.build(hostile, dt.date(2028, 10, 1))
    assert f"forecaster-{report.safe_name(evil_id)}.md" in files
    assert f"charts/2027-timing-{report.safe_name('../../../tmp/x')}.svg" in files
    out = tmp_path / "out"
    for relative in files:
        assert ".." not in relative
        path = report.inside(out, relative)
        assert path.is_relative_to(out.resolve())


# -- HTML: self-contained, accessible, printable ------------------------------------


def test_every_html_page_is_strict_html5_and_self_contained(
    sample: dict[str, bytes],
) -> None:
    pages = sorted(name for name in sample if name.endswith(".html"))
    assert pages == [
        "2025.html",
        "2026.html",
        "2027.html",
        "2028.html",
        "compare.html",
        "forecaster-alice.html",
        "forecaster-bob.html",
        "forecaster-carol.html",
        "forecaster-dan.html",
        "index.html",
        "sources.html",
    ]
    for name in pages:
        source = text(sample, name)
        assert source.startswith('<!DOCTYPE html>\n<html lang="en">'), name
        document = parse_html(source)
        assert '<meta name="viewport"' in source and "@media print" in source, name
        assert "tabular-nums" in source and "overflow-x: auto" in source, name
        assert (
            "<script" not in source and "<link" not in source and "url(" not in source
        ), name
        for element in document.iter():
            tag = element.tag if isinstance(element.tag, str) else ""
            assert "src" not in element.attrib, name
            href = element.attrib.get("href")
            if href is not None:
                assert href.startswith(("https://", "http://", "#")) or re.fullmatch(
                    r"[a-z0-9-]+\.html(#[a-z0-9-]+)?", href
                ), (name, href)
            if tag == "th":
                assert element.attrib.get("scope") in ("col", "row"), name
        for table in document.iter("table"):
            assert (
                table.find("caption") is not None and table.find("thead") is not None
            ), name


def test_every_chart_has_a_size_a_title_and_a_text_alternative(
    sample: dict[str, bytes],
) -> None:
    svg = "{http://www.w3.org/2000/svg}"
    count = 0
    for name in (n for n in sample if n.endswith(".html")):
        document = html5lib.parse(text(sample, name), namespaceHTMLElements=False)
        for chart in document.iter(f"{svg}svg"):
            count += 1
            assert (
                float(chart.attrib["width"]) > 0 and float(chart.attrib["height"]) > 0
            )
            assert (
                chart.attrib["viewBox"]
                == f"0 0 {chart.attrib['width']} {chart.attrib['height']}"
            )
            assert chart.attrib["role"] == "img" and chart.attrib["aria-label"].strip()
            assert (chart.find(f"{svg}title").text or "").strip()
            assert (chart.find(f"{svg}desc").text or "").strip()
    assert count > 10
    page = text(sample, "2027.html")
    assert page.count("<svg ") == 6  # calibration, four timelines, running scores
    assert "Running mean Brier" in page and "perfect calibration" in page


def test_the_strict_parser_rejects_malformed_markup() -> None:
    with pytest.raises(html5lib.html5parser.ParseError):
        parse_html("<!DOCTYPE html><html lang=en><title>t</title><p><table></div>")


# -- Markdown: charts beside it, links that resolve ---------------------------------


def test_markdown_links_and_charts_resolve(sample: dict[str, bytes]) -> None:
    for name in (n for n in sample if n.endswith(".md")):
        page = text(sample, name)
        for target in re.findall(r"\]\(([^)#]+?)\)", page):
            if target.startswith(("http://", "https://")):
                continue
            assert target in sample, (name, target)
    assert "![Calibration of 7 forecasts resolved in 2027" in text(sample, "2027.md")
    pages = [name for name in sample if name != ".ledger-report.json"]
    assert all(name.endswith((".md", ".html", ".svg")) for name in pages)


def test_an_svg_file_and_its_inline_copy_are_the_same_drawing(
    sample: dict[str, bytes],
) -> None:
    svg = text(sample, "charts/2027-calibration.svg")
    assert svg.startswith('<svg xmlns="http://www.w3.org/2000/svg"')
    assert svg.rstrip("\n") in text(sample, "2027.html")


# -- the command ---------------------------------------------------------------------


def test_the_command_says_what_it_wrote(tmp_path: Path) -> None:
    result = run("report", SAMPLE, "--as-of", GOLDEN_AS_OF, "--out", str(tmp_path))
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(
        f"Report as of {GOLDEN_AS_OF} in {tmp_path}: 45 files (45 changed);"
    )
    assert (
        "yearly scorecards: 2025, 2026, 2027, 2028; 4 forecaster pages" in result.stdout
    )


def test_format_and_year_choose_what_is_written(tmp_path: Path) -> None:
    md = render(
        SAMPLE, GOLDEN_AS_OF, tmp_path / "md", "--format", "md", "--year", "2027"
    )
    assert "README.md" in md and "index.html" not in md and "2026.md" not in md
    assert "2027.md" in md and "charts/2027-calibration.svg" in md
    html = render(SAMPLE, GOLDEN_AS_OF, tmp_path / "html", "--format", "html")
    assert sorted(html) == sorted(
        n for n in html if n.endswith(".html") or n == ".ledger-report.json"
    )
    assert "[2027](2027.md)" in text(md, "README.md") and "2026.md" not in text(
        md, "README.md"
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--format", "pdf"], "unknown format 'pdf'"),
        (["--format", ","], "unknown format ','"),
        (["--year", "2029"], "year 2029 is after the as-of date 2028-10-01"),
        (["--year", "soon"], "'soon' is not a valid integer"),
    ],
)
def test_bad_options_are_usage_errors(
    tmp_path: Path, args: list[str], message: str
) -> None:
    result = run(
        "report", SAMPLE, "--as-of", GOLDEN_AS_OF, "--out", str(tmp_path), *args
    )
    assert result.exit_code == 2 and message in result.output
    assert list(tmp_path.iterdir()) == []


def test_an_output_path_that_is_a_file_is_refused(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x")
    result = run("report", SAMPLE, "--out", str(tmp_path / "file"))
    assert result.exit_code == 2 and "is a file" in result.output


def test_a_broken_ledger_is_reported_and_nothing_written(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "forecasters: []\nsources: []\nquestions:\n  - id: Bad Id\n", encoding="utf-8"
    )
    result = run("report", str(bad), "--out", str(tmp_path / "out"))
    assert result.exit_code == 1 and f"{bad}:" in result.stderr
    assert not (tmp_path / "out").exists()


def test_default_years_are_those_with_forecasts_or_outcomes() -> None:
    ledger, _ = check_file(SHIPPED)
    assert report.default_years(ledger, dt.date(2026, 11, 26)) == [
        2023,
        2024,
        2025,
        2026,
    ]
    sample, _ = check_file(SAMPLE)
    assert report.default_years(sample, dt.date(2026, 6, 1)) == [2025, 2026]
    assert report.default_years(sample, dt.date(2028, 10, 1)) == [
        2025,
        2026,
        2027,
        2028,
    ]


def test_default_years_run_from_the_first_to_the_as_of_year() -> None:
    # Issue 14: a simulated 2029 run skipped 2027 and 2028, when nothing
    # happened in them; every year gets a scorecard, empty years included.
    text = with_outcomes(
        TEXT, "labs-same-playbook-2028",
        "{result: yes, known: 2029-01-10, recorded: 2029-01-12}",
    )
    assert report.default_years(load(text), dt.date(2029, 2, 1)) == [
        2023, 2024, 2025, 2026, 2027, 2028, 2029,
    ]
    # A question written later starts no earlier year; one written before its
    # forecasts does.
    written = text.replace(
        "    tags: [labs, topic:L]\n", "    tags: [labs, topic:L]\n    written: 2021-05\n", 1
    )
    assert report.default_years(load(written), dt.date(2029, 2, 1))[0] == 2021
    empty, _ = check_file(SAMPLE)
    assert report.default_years(empty, dt.date(2000, 1, 1)) == []


# -- long lists: cut at LIST_LIMIT, with the count and the command that lists them all


NOTE = re.compile(
    r"Showing the first (\d[\d,]*) of (\d[\d,]*) ([^;]+); "
    r"(every one:|all of them are in) "
    r"`(ledger [^`]+)`\."
)


@pytest.fixture(scope="module")
def cut(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(cards, "LIST_LIMIT", 1)
        patch.setattr(forecaster, "SHARED_TITLES", 1)
        return render(
            SAMPLE, GOLDEN_AS_OF, tmp_path_factory.mktemp("cut"), "--no-history"
        )


def test_a_long_list_shows_its_first_items_and_says_how_to_list_them_all(
    cut: dict[str, bytes], sample: dict[str, bytes]
) -> None:
    notes = [
        (name, m)
        for name in sorted(cut)
        if name.endswith(".md")
        for m in NOTE.finditer(text(cut, name))
    ]
    kinds = {m[3] for _, m in notes}
    assert {
        "open questions",
        "forecasts made in 2026",
        "questions with more than one forecaster",
        "date and numeric questions with a window",
    } <= kinds, kinds
    for name, m in notes:
        assert m[1] == "1" and int(m[2].replace(",", "")) > 1, (name, m[0])
        words = m[5].split()
        assert words[:3] in (
            ["ledger", "list", "sample.yaml"],
            ["ledger", "due", "sample.yaml"],
            ["ledger", "compare", "sample.yaml"],
        ), m[5]
        listed = run(words[1], SAMPLE, *words[3:])
        assert listed.exit_code == 0, (m[5], listed.output)
        if m[4] == "every one:" and words[1] == "list":  # exactly these questions
            again = run(
                words[1],
                SAMPLE,
                *[w for w in words[3:] if w not in ("--format", "csv")],
                "--format",
                "csv",
            )
            questions = {line.split(",")[0] for line in again.stdout.splitlines()[1:]}
            assert len(questions) == int(m[2].replace(",", "")), (name, m[0])
    year = text(cut, "2027.md")
    open_part = year.split("## Still open", 1)[1].split("## Due but unrecorded", 1)[0]
    assert open_part.count("\n### ") == 1  # one card
    whole = text(sample, "2027.md").split("## Still open", 1)[1].split("\n\n", 2)[1]
    assert whole in open_part  # the same sentence, with every open question counted
    for name in cut:
        if name.endswith(".html"):
            source = text(cut, name)
            parse_html(source)  # still strict HTML5
            notes_md = (
                len(NOTE.findall(text(cut, name[:-5] + ".md")))
                if name != "index.html"
                else 0
            )
            assert source.count('<p class="more">') == notes_md, name
    assert len([n for n in cut if "-timing-" in n]) <= len(
        [n for n in cut if n.endswith(".md")]
    )


def test_a_command_in_a_note_is_a_code_span() -> None:
    assert (
        report.md_code("ledger list 'a b|c.yaml' --as-of 2026-01-01")
        == "`ledger list 'a b|c.yaml' --as-of 2026-01-01`"
    )
    assert report.md_code("a`b\nc") == "``a`b c``"


# -- several processes (--jobs) ----------------------------------------------------


@pytest.mark.skipif(
    not hasattr(__import__("os"), "fork"), reason="--jobs > 1 forks: POSIX only"
)
def test_several_processes_write_the_same_files(
    tmp_path: Path, sample: dict[str, bytes]
) -> None:
    two, three = tmp_path / "two", tmp_path / "three"
    assert render(SAMPLE, GOLDEN_AS_OF, two, "--jobs", "2", "--no-history") == sample
    assert render(SAMPLE, GOLDEN_AS_OF, three, "--jobs", "3", "--no-history") == sample
    again = run(
        "report",
        SAMPLE,
        "--as-of",
        GOLDEN_AS_OF,
        "--out",
        str(tmp_path / "two"),
        "--jobs",
        "2",
        "--no-history",
    )
    pages = len(sample) - 1  # the manifest is not counted
    assert again.exit_code == 0 and f"{pages} files (0 changed)" in again.output


@pytest.mark.skipif(
    not hasattr(__import__("os"), "fork"), reason="--jobs > 1 forks: POSIX only"
)
@pytest.mark.parametrize("blocked", ["2025.md", "forecaster-alice.html", "index.html"])
def test_a_file_another_process_cannot_write_is_reported(
    tmp_path: Path, blocked: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    import errno
    import importlib

    writing = importlib.import_module("ledger.report.write")  # the module, not write()
    made = writing.atomic_write

    def full(path: str, data: bytes, durable: bool = True) -> None:
        if path.endswith(blocked):  # in whichever process writes it
            raise OSError(errno.ENOSPC, "No space left on device")
        made(path, data, durable)

    monkeypatch.setattr(writing, "atomic_write", full)
    result = run(
        "report", SAMPLE, "--as-of", GOLDEN_AS_OF, "--out", str(tmp_path), "--jobs", "2"
    )
    assert result.exit_code == 1
    assert f"{tmp_path / blocked}': No space left on device" in result.output
    assert "Traceback" not in result.output


@pytest.mark.skipif(
    not hasattr(__import__("os"), "fork"), reason="--jobs > 1 forks: POSIX only"
)
@pytest.mark.parametrize(
    "blocked",
    # a year page's chart (the first process) and a forecaster page's (another)
    ["charts/2027-calibration.svg", "charts/forecaster-alice-calibration.svg"],
)
def test_a_file_a_process_may_not_replace_is_refused(tmp_path: Path, blocked: str) -> None:
    (tmp_path / blocked).mkdir(parents=True)  # a folder where the chart goes
    result = run(
        "report", SAMPLE, "--as-of", GOLDEN_AS_OF, "--out", str(tmp_path), "--jobs", "2"
    )
    assert result.exit_code == 2
    assert f"'{tmp_path / blocked}' is a folder, not a regular file" in result.output
    assert "Traceback" not in result.output


@pytest.mark.skipif(
    not hasattr(__import__("os"), "fork"), reason="--jobs > 1 forks: POSIX only"
)
def test_a_report_process_that_fails_or_dies_is_a_write_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import importlib
    import os

    writing = importlib.import_module("ledger.report.write")  # the module, not write()
    parent, made = os.getpid(), writing.page_files

    def failing(*args: object, **kwargs: object) -> object:
        if os.getpid() != parent:
            raise RuntimeError("out of paper")
        return made(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(writing, "page_files", failing)
    ledger, _ = check_file(SAMPLE)
    with pytest.raises(report.WriteError) as failed:
        report.write(ledger, dt.date(2028, 10, 1), str(tmp_path), jobs=2)
    assert failed.value.message == "report process failed: RuntimeError('out of paper')"
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # a process killed before it could say anything
        os._exit(9)
    os.close(write_end)
    answer = writing._answer(pid, read_end, "out")
    assert answer == {"path": "out", "message": "report process died"}


def test_year_pages_share_one_process_and_the_rest_go_heaviest_first() -> None:
    kinds = [
        "year",
        "year",
        "forecaster",
        "forecaster",
        "forecaster",
        "compare",
        "index",
    ]
    assert _share(kinds, 1) == [set(range(7))]
    assert _share(kinds, 2) == [{0, 1}, {2, 3, 4, 5, 6}]
    assert _share(kinds, 3) == [{0, 1}, {4, 5}, {2, 3, 6}]  # 7 + 1, 5 + 1 + 1
