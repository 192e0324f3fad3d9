"""Hostile and clumsy input (issue 13, problems 9-15): no traceback, no hang.

Each case runs the real command line on a small ledger in an empty folder and
checks that it ends in a clear `PATH:LINE` error or a usage error, never a
traceback: year 0 anywhere (and the last day of year 9999), `check` without a
ledger, an include that is a symbolic link to itself, a device or a FIFO where
a ledger should be, extreme numbers in charts, and JSON without NaN or
Infinity.
"""

from __future__ import annotations

import contextlib
import json
import os
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from ledger.cli import main

FIXTURE = Path(__file__).parents[1] / "errors" / "commands" / "fixture" / "predictions.yaml"

DATE_QUESTION = """\
  - id: launch
    title: The launch happens
    criteria: Resolves on the day of the launch.
    kind: date
    deadline: 2026-12-31
    forecasts:
      - {by: alice, made: 2026-05-01, window: [2026-06-01, 2026-09-30], p: 0.6, basis: stated}
"""


def run(*args: str) -> Result:
    result = CliRunner().invoke(main, list(args), prog_name="ledger")
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        result.exc_info
    )
    return result


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty folder holding a copy of the fixture ledger (L.yaml), as the current one."""
    text = FIXTURE.read_text(encoding="utf-8") + DATE_QUESTION
    (tmp_path / "L.yaml").write_text(text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


# -- problem 9: year 0 anywhere gave `ValueError: year 0 is out of range` -------------


@pytest.mark.parametrize("deadline", [
    "0000-01", "0000-01-01", "0000-01..2026-01", "2026-01-01..0000-02-01",
])
def test_a_year_0_deadline_is_an_error_at_its_line(here: Path, deadline: str) -> None:
    text = (here / "L.yaml").read_text().replace("deadline: 2026-06-01", f"deadline: {deadline}")
    (here / "L.yaml").write_text(text)
    result = run("check", "L.yaml")
    assert result.exit_code == 1
    assert "L.yaml:19: impossible date '0000-" in result.output
    assert "there is no year 0" in result.output
    listed = json.loads(run("check", "--json", "L.yaml").stdout)
    assert [item["line"] for item in listed] == [19]


@pytest.mark.parametrize("args", [
    ("list", "L.yaml", "--as-of", "0000-01-01"),
    ("forecast", "-f", "L.yaml", "new-release", "--by", "bob", "--p", "0.3",
     "--made", "0000-01-01"),
    ("resolve", "-f", "L.yaml", "new-release", "yes", "--known", "0000-01"),
    ("source", "add", "-f", "L.yaml", "--id", "s2", "--title", "x", "--kind", "other",
     "--date", "0000-01-01"),
])
def test_a_year_0_option_is_a_usage_error(here: Path, args: tuple[str, ...]) -> None:
    before = (here / "L.yaml").read_bytes()
    result = run(*args)
    assert result.exit_code == 2
    assert "there is no year 0" in result.output
    assert (here / "L.yaml").read_bytes() == before


def test_a_year_0_result_of_a_date_question_is_refused(here: Path) -> None:
    before = (here / "L.yaml").read_bytes()
    result = run("resolve", "-f", "L.yaml", "launch", "0000-05-05", "--known", "2026-07-01")
    assert result.exit_code == 1
    assert "there is no year 0" in result.output
    assert (here / "L.yaml").read_bytes() == before


@pytest.mark.parametrize("command", ["score", "export", "compare", "calibration", "due"])
def test_the_last_day_of_year_9999_is_a_deadline_like_any_other(
    here: Path, command: str
) -> None:
    text = (here / "L.yaml").read_text().replace("deadline: 2026-06-01", "deadline: 9999-12-31")
    (here / "L.yaml").write_text(text)
    assert run(command, "L.yaml", "--as-of", "2026-07-01").exit_code == 0


def test_fixture_is_as_the_cases_assume() -> None:
    assert "deadline: 2026-06-01" in FIXTURE.read_text(encoding="utf-8")


# -- problem 10: `ledger check` without predictions.yaml gave a FileNotFoundError ------


@pytest.mark.parametrize("kind", ["missing", "directory", "dangling link"])
def test_check_without_a_ledger_is_the_usual_usage_error(here: Path, kind: str) -> None:
    if kind == "directory":
        (here / "predictions.yaml").mkdir()
    elif kind == "dangling link":
        (here / "predictions.yaml").symlink_to(here / "nowhere.yaml")
    result = run("check")
    assert result.exit_code == 2
    assert "Invalid value for '[FILE]...': File 'predictions.yaml'" in result.output
    assert result.output.startswith("Usage: ledger check")
    same = run("list")  # what every other command says
    assert same.exit_code == 2
    assert "File 'predictions.yaml'" in same.output


# -- problems 11-13: a symlink loop, a device, a FIFO: tracebacks, memory, hangs -------

SPLIT = "include: [{name}]\n"


def test_an_include_that_links_to_itself_is_an_error_at_the_include(here: Path) -> None:
    (here / "loop").symlink_to("loop")
    (here / "split.yaml").write_text(SPLIT.format(name="loop") + (here / "L.yaml").read_text())
    result = run("check", "split.yaml")
    assert result.exit_code == 1
    assert result.output == "split.yaml:1: cannot read 'loop': Too many levels of symbolic links\n"


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
def test_a_device_is_refused_before_it_is_read(here: Path, device: str) -> None:
    (here / "split.yaml").write_text(SPLIT.format(name=device) + (here / "L.yaml").read_text())
    result = run("check", "split.yaml")
    assert (result.exit_code, result.output) == (
        1, f"split.yaml:1: '{device}' is a character device, not a file ledger can read\n"
    )
    result = run("check", device)
    assert result.exit_code == 1
    assert f"{device}:1: '{device}' is a character device" in result.output


def test_a_file_over_2_gib_is_refused_unread(here: Path) -> None:
    with open(here / "big.yaml", "wb") as handle:  # sparse: no disk used
        handle.truncate(2 * 1024**3 + 1)
    result = run("list", "big.yaml")
    assert result.exit_code == 1
    assert "is larger than 2 GiB, the most ledger reads from one file" in result.output


@pytest.mark.parametrize("args", [
    ("check", "pipe.yaml"), ("list", "pipe.yaml"), ("check", "split.yaml"),
    ("add", "-f", "pipe.yaml", "--id", "x", "--title", "t", "--criteria", "c",
     "--kind", "binary", "--deadline", "2027"),
])
def test_a_fifo_is_refused_without_waiting(here: Path, args: tuple[str, ...]) -> None:
    os.mkfifo(here / "pipe.yaml")
    (here / "split.yaml").write_text(SPLIT.format(name="pipe.yaml"))
    done: list[Result] = []
    worker = threading.Thread(target=lambda: done.append(run(*args)), daemon=True)
    worker.start()
    worker.join(20)
    if not done:  # unblock the reader, so the test ends, and fail
        with contextlib.suppress(OSError):
            os.close(os.open(here / "pipe.yaml", os.O_WRONLY | os.O_NONBLOCK))
        worker.join(5)
        pytest.fail(f"ledger {' '.join(args)} waited on the FIFO")
    assert done[0].exit_code == 1
    assert "'pipe.yaml' is a FIFO (named pipe), not a file ledger can read" in done[0].output


# -- problem 14: `window: [-1e308, 1e308]`, `result: -1.7e308` crashed the chart ticks --

HUGE = """\
  - id: huge
    title: A huge number
    criteria: The number.
    kind: numeric
    unit: units
    deadline: 2026-06-01
    forecasts:
      - {by: alice, made: 2026-05-01, window: [-1e308, 1e308], p: 0.8, basis: stated}
      - {by: bob, made: 2026-05-01, quantiles: {0.1: -1e308, 0.5: 0, 0.9: 1.7e308},
         basis: stated}
    outcomes:
      - {result: -1.7e308, known: 2026-06-02, recorded: 2026-06-02}
"""


def test_extreme_numbers_are_drawn_at_the_edge_of_the_chart(here: Path) -> None:
    (here / "L.yaml").write_text((here / "L.yaml").read_text() + HUGE)
    result = run("report", "L.yaml", "--out", "R", "--as-of", "2026-07-01")
    assert result.exit_code == 0, result.output
    charts = list((here / "R" / "charts").glob("*huge*.svg"))
    assert charts  # the window's timeline and the quantile fan
    for chart in charts:
        text = chart.read_text()
        assert "nan" not in text and "inf" not in text, chart.name


# -- problem 15: JSON with `Infinity` (not JSON), and `score --explain` printing `inf` --


def strict_json(text: str) -> object:
    def refuse(word: str) -> None:
        raise AssertionError(f"{word} is not JSON")

    return json.loads(text, parse_constant=refuse)


@pytest.mark.parametrize("args", [
    ("score", "L.yaml", "--explain", "huge", "--format", "json"),
    ("export", "L.yaml", "--format", "json"),
    ("score", "L.yaml", "--by", "question", "--format", "json"),
    ("compare", "L.yaml", "--format", "json"),
])
def test_json_output_holds_null_not_infinity(here: Path, args: tuple[str, ...]) -> None:
    (here / "L.yaml").write_text((here / "L.yaml").read_text() + HUGE)
    result = run(*args, "--as-of", "2026-07-01")
    assert result.exit_code == 0, result.output
    strict_json(result.stdout)


def test_explain_flags_what_was_not_finite(here: Path) -> None:
    (here / "L.yaml").write_text((here / "L.yaml").read_text() + HUGE)
    rows = strict_json(run("score", "L.yaml", "--explain", "huge", "--format", "json",
                           "--as-of", "2026-07-01").stdout)
    assert isinstance(rows, list)
    bob = next(row for row in rows if row["forecaster"] == "bob")
    assert (bob["quantile_score"], bob["wis"]) == (None, None)
    assert bob["not_finite"] == {"quantile_score": "Infinity", "wis": "Infinity"}
    text = run("score", "L.yaml", "--explain", "huge", "--as-of", "2026-07-01").stdout
    assert " inf" not in text
    assert "quantile_score too large to compute (beyond 1.8e+308)" in text
