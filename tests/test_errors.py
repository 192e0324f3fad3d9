"""The error catalogue (hledger's test/errors): every message, as a real case.

Two kinds of case, each the exact output of the real command line:

- `tests/errors/<case>.yaml` is a small ledger with exactly the problem its
  first comment names; `<case>.txt` is the exact stderr of `ledger check
  <case>.yaml` run inside tests/errors. To add one, write the .yaml, run
  `ledger check <case>.yaml 2> <case>.txt` there, and read the .txt.
- `tests/errors/commands/<case>.txt` is a message only a command gives (a
  usage error, a refused write, a bad import, due, verify, report, compare):
  comment lines (`# ...`), then `$ ledger ARGS`, then the expected stdout
  after a line `>`, stderr after `>2` (a stream not given must be empty) and
  the exit status `>= N`. It runs in a fresh copy of `commands/fixture/` (a
  small clean ledger), with the files of `commands/<case>/` added. `$` lines
  before the last are set-up commands, run by the shell there (git history
  for `ledger verify`); `VAR=value` before `ledger` sets the environment.
  A `ledger sync` case answers from responses saved by `--save-responses`
  (`--replay saved`), never from the network.

`test_every_message_in_the_source_has_a_case` scans ledger/ for every place
that builds a message (`tests/messages.py`) and looks for each piece of its
text in the catalogue's output. A message no command can show is exempt only
when listed below (UNREACHABLE, GUARDS) with the test that shows it.
"""

from __future__ import annotations

import ast
import datetime as dt
import json
import os
import random
import re
import shlex
import shutil
import string
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pytest
from click.testing import CliRunner, Result
from messages import Place, Scan

import ledger
from ledger.cli import main

if TYPE_CHECKING:
    from collections.abc import Callable

    import pandas as pd

ERRORS = Path(__file__).parent / "errors"
CASES = sorted(ERRORS.glob("*.yaml"))
COMMANDS = ERRORS / "commands"
COMMAND_CASES = sorted(COMMANDS.glob("*.txt"))
FIXTURE = COMMANDS / "fixture"
ROOT = Path(__file__).parents[1]
TESTS = Path(__file__).parent
PACKAGE = Path(ledger.__file__).parent


def run_check(*args: str) -> Result:
    """Run `ledger check ARGS` in tests/errors, through the real CLI."""
    return CliRunner().invoke(main, ["check", *args])


@pytest.fixture
def in_errors(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ERRORS)


@pytest.mark.usefixtures("in_errors")
@pytest.mark.parametrize("case", CASES, ids=lambda path: path.stem)
def test_check_prints_the_catalogued_errors(case: Path) -> None:
    expected = case.with_suffix(".txt").read_text(encoding="utf-8")
    result = run_check(case.name)
    assert (result.exit_code, result.stderr) == (1, expected)
    assert result.stdout == ""


@pytest.mark.usefixtures("in_errors")
@pytest.mark.parametrize("case", CASES, ids=lambda path: path.stem)
def test_json_gives_the_same_errors_as_objects(case: Path) -> None:
    lines = case.with_suffix(".txt").read_text(encoding="utf-8").splitlines()
    expected = []
    for line in lines:
        path, number, message = line.split(":", 2)
        expected.append({"path": path, "line": int(number), "message": message[1:]})
    result = run_check("--json", case.name)
    assert result.exit_code == 1
    assert json.loads(result.stdout) == expected


def test_every_case_has_its_expected_output_and_the_reverse() -> None:
    yaml_names = {path.stem for path in CASES}
    txt_names = {path.stem for path in ERRORS.glob("*.txt")}
    assert yaml_names == txt_names
    assert len(CASES) >= 60


def catalogue() -> list[tuple[str, int, str]]:
    """Every (case, line, message) in the `ledger check` catalogue."""
    found = []
    for case in CASES:
        for line in case.with_suffix(".txt").read_text(encoding="utf-8").splitlines():
            # A case's errors are in the case file or in a file it includes.
            match = re.fullmatch(rf"(?:{re.escape(case.name)}|include\.d/[\w.-]+):(\d+): (.+)", line)
            assert match, f"{case.stem}: not PATH:LINE: message: {line!r}"
            found.append((case.stem, int(match.group(1)), match.group(2)))
    return found


# -- command cases ------------------------------------------------------------------

# The set-up commands, and the git that `ledger verify` runs, see only this git
# configuration: fixed names and dates, so commit ids are the same on every run.
GIT_ENVIRONMENT = {
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_AUTHOR_NAME": "Keeper",
    "GIT_AUTHOR_EMAIL": "keeper@example.org",
    "GIT_COMMITTER_NAME": "Keeper",
    "GIT_COMMITTER_EMAIL": "keeper@example.org",
    "GIT_AUTHOR_DATE": "2026-06-01T12:00:00+00:00",
    "GIT_COMMITTER_DATE": "2026-06-01T12:00:00+00:00",
}


@dataclass(frozen=True, slots=True)
class Command:
    """A command case: set-up, the command line, and what it must print."""

    setup: list[str]
    environment: dict[str, str]
    args: list[str]
    stdout: str
    stderr: str
    status: int


def read_command(path: Path) -> Command:
    """Parse a command case (the format is in this module's docstring)."""
    lines = path.read_text("utf-8").splitlines()
    while lines and lines[0].startswith("#"):
        lines.pop(0)
    commands = []
    while lines and lines[0].startswith("$ "):
        commands.append(lines.pop(0)[2:])
    assert commands, f"{path.name}: no `$ ledger ...` line"
    *setup, last = commands
    words = shlex.split(last)
    environment = {}
    while words and re.fullmatch(r"[A-Z_]+=.*", words[0]):
        name, value = words.pop(0).split("=", 1)
        environment[name] = value
    assert words[:1] == ["ledger"], f"{path.name}: the last `$` line must run ledger"
    assert lines and re.fullmatch(r">= \d+", lines[-1]), f"{path.name}: ends with `>= N`"
    streams: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in lines[:-1]:
        if line in (">", ">2"):
            assert line not in streams, f"{path.name}: {line} twice"
            current = streams[line] = []
        else:
            assert current is not None, f"{path.name}: {line!r} before `>` or `>2`"
            current.append(line)
    stdout, stderr = ("".join(f"{x}\n" for x in streams.get(k, [])) for k in (">", ">2"))
    return Command(setup, environment, words[1:], stdout, stderr, int(lines[-1][3:]))


def run_command(case: Path, work: Path) -> tuple[Command, Result]:
    """Run a command case in `work` (a fresh copy of its files): (the case, its result)."""
    command = read_command(case)
    shutil.copytree(FIXTURE, work)
    if (COMMANDS / case.stem).is_dir():
        shutil.copytree(COMMANDS / case.stem, work, dirs_exist_ok=True)
    # git looks for a repository in `work` and no higher, wherever the tests run
    isolated = {"HOME": str(work), "GIT_CEILING_DIRECTORIES": str(work.parent)}
    environment = {**os.environ, **GIT_ENVIRONMENT, **isolated}
    for line in command.setup:
        subprocess.run(line, shell=True, cwd=work, env=environment, check=True, timeout=60)
    old = Path.cwd()
    os.chdir(work)
    try:
        result = CliRunner().invoke(
            main, command.args, prog_name="ledger",
            env={**GIT_ENVIRONMENT, **isolated, **command.environment},
        )
    finally:
        os.chdir(old)
    return command, result


def test_every_command_case_has_a_folder_only_if_it_needs_one() -> None:
    folders = {p.name for p in COMMANDS.iterdir() if p.is_dir()} - {FIXTURE.name}
    assert sorted(folders - {case.stem for case in COMMAND_CASES}) == []
    assert not (COMMANDS / f"{FIXTURE.name}.txt").exists()
    assert len(COMMAND_CASES) >= 40


@pytest.mark.parametrize("case", COMMAND_CASES, ids=lambda path: path.stem)
def test_a_command_prints_the_catalogued_output(case: Path, tmp_path: Path) -> None:
    command, result = run_command(case, tmp_path / "work")
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        result.exc_info
    )
    assert (result.stdout, result.stderr, result.exit_code) == (
        command.stdout, command.stderr, command.status,
    )


# click's own text for its own checks (a missing file, an unknown option): not ours
# to style.
CLICK_OWN = re.compile(
    r"(File|Directory|Path) '.*' (does not exist|is a directory|is a file)\.|No such "
    r"option|Missing (option|argument)|Got unexpected extra|'.*' is not one of|Could not open"
)


def command_messages() -> list[tuple[str, str]]:
    """Every (case, message) the command cases show: a PATH:LINE: message line, a
    verify finding (PATH:LINE: level: message) or what follows click's `Error: `."""
    found = []
    for case in COMMAND_CASES:
        command = read_command(case)
        for line in (command.stderr + command.stdout).splitlines():
            match = (
                re.fullmatch(r"Error: Invalid value for (?:'[^']+'|\S+): (.+)", line)
                or re.fullmatch(r"Error: (?!Invalid value)(.+)", line)
                or re.fullmatch(r"[\w./-]+:\d+: (?:error: |warning: )?(.+)", line)
            )
            if match and not CLICK_OWN.match(match.group(1)):
                found.append((case.stem, match.group(1)))
    return found


def test_catalogued_messages_follow_the_style() -> None:
    """STYLE 2.4: lowercase start (or an acronym), no final period, one line each."""
    messages = [(case, m) for case, _, m in catalogue()] + command_messages()
    assert len(messages) > len(CASES)
    for case, message in messages:
        assert message[0].islower() or message.startswith(("YAML", "'", "--", "(")), (
            case,
            message,
        )
        assert not message.endswith("."), (case, message)


def test_the_catalogue_shows_many_distinct_messages() -> None:
    # Strip quoted values and numbers, so only the message's own words remain.
    shapes = {re.sub(r"'[^']*'|\d+", "_", message) for _, _, message in catalogue()}
    assert len(shapes) >= 60


# -- every message in the source has a case ------------------------------------------

# Message text no catalogued command can show, each with the test that shows it.
UNREACHABLE = {
    # a lone surrogate only exists in a str; a file is decoded strictly first
    "the text is not valid Unicode (a lone surrogate); save it as UTF-8": (
        "loader/test_loader.py::test_a_lone_surrogate_is_an_error"
    ),
    # libyaml stops deep nesting first; this guards the pure-Python parser
    "YAML nesting is too deep": "loader/test_loader.py::test_deep_nesting_is_refused",
    # needs a file whose YAML nodes outgrow the memory: a 50 MB one under a 1.5 GiB cap
    "the file is too big to load in the available memory": (
        "test_memory.py::test_huge_and_hostile_inputs_stay_within_the_memory_limit"
    ),
    # a shell's bytes that are not UTF-8; a case's command line is UTF-8 text
    "is not valid text (it has a lone surrogate)": (
        "record/test_record.py::test_a_lone_surrogate_in_an_option_is_a_usage_error"
    ),
    # another command holding the lock for a minute
    "another process has held the lock predictions.yaml.lock for 60 s; wait for the "
    "other ledger command to finish (or stop it) and try again": (
        "record/test_concurrency.py::test_a_held_lock_gives_a_notice_then_a_clear_error"
    ),
    # a folder no one may write in (a case runs as whoever runs the tests, root too)
    "cannot write the file: Permission denied": (
        "record/test_record.py::test_an_unwritable_folder_is_an_error_not_a_traceback"
    ),
    # another process changing the file between every read and write
    "kept changing while the edit was being written; try again": (
        "record/test_record.py::test_a_file_that_keeps_changing_is_an_error"
    ),
    # an importer's own bug: what it makes of any input passes ledger check
    "(not written) the imported ledger would not pass ledger check: forecaster "
    "'ghost' is not declared": (
        "importers/test_import_common.py::"
        "test_an_imported_ledger_that_would_not_pass_check_is_not_written"
    ),
    # the commands pass only files that exist; reading one can still fail
    "cannot read the file: Is a directory": (
        "importers/test_import_common.py::test_a_file_that_cannot_be_read_is_an_error_at_line_one"
    ),
    # a forked report process that crashes, or is killed
    "report process failed: RuntimeError('out of paper')": (
        "report/test_report.py::test_a_report_process_that_fails_or_dies_is_a_write_error"
    ),
    "report process died": (
        "report/test_report.py::test_a_report_process_that_fails_or_dies_is_a_write_error"
    ),
    # `ledger sync` against a live server: a case can only replay saved answers,
    # or be refused on a closed port. A server that asks for a long wait, that
    # never answers, an answer too big or with damaged gzip data (saved answers
    # are the decoded text)
    "api.manifold.markets asked to wait 3600 s (HTTP 429); try again later": (
        "sync/test_http.py::test_retry_after_backoff_and_the_retry_limit"
    ),
    "api.manifold.markets did not answer within 10 s": (
        "sync/test_sources.py::"
        "test_a_timeout_or_a_malformed_answer_is_an_error_and_writes_nothing"
    ),
    "the answer is larger than 64 MB": (
        "sync/test_http.py::test_an_oversized_or_damaged_answer_is_an_error"
    ),
    "the answer's gzip data is damaged": (
        "sync/test_http.py::test_an_oversized_or_damaged_answer_is_an_error"
    ),
    # saved answers are text, so only a live answer can be a CSV that is not UTF-8
    "csv: the CSV is not UTF-8 text": (
        "sync/test_http.py::test_a_csv_that_is_not_utf8_is_an_error"
    ),
    # `sync --save-responses` (a local server stands for the network): the output
    # rules refuse a file it did not write, and a symbolic link (it has no --force)
    "'responses/NAME.json' already exists and ledger did not write it; not replaced": (
        "sync/test_http.py::test_save_responses_never_replaces_a_file_it_did_not_write"
    ),
    "not written through": (
        "sync/test_http.py::test_save_responses_never_writes_through_a_link"
    ),
    # a case runs in the tests' own process, where pyarrow is installed
    "writing Parquet needs pyarrow, which is not installed: ": (
        "columnar/test_parquet_export.py::test_without_pyarrow_the_message_names_the_extra"
    ),
    "pip install 'prediction-ledger[parquet]'": (
        "columnar/test_parquet_export.py::test_without_pyarrow_the_message_names_the_extra"
    ),
}


def _scored_rows() -> pd.DataFrame:
    """The scored rows of the command cases' fixture ledger."""
    from ledger.frame import frame
    from ledger.score.forecasts import scored
    from ledger.validate import check

    return scored(frame(check(str(FIXTURE / "predictions.yaml"))[0], dt.date(2026, 12, 31)))


def _outside_the_report_folder() -> object:
    from ledger.report.write import inside

    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / "out").mkdir()
        (Path(folder) / "out" / "away").symlink_to(folder)
        return inside(Path(folder) / "out", "away/page.md")


def _not_a_list() -> str:
    from ledger.record.insert import add_to_question
    from ledger.record.write import EditError

    said = []
    block = "questions:\n  - id: q\n    forecasts: 5\n"
    flow = "questions:\n  - {id: q, forecasts: 5}\n"
    for text in (block, flow):
        with pytest.raises(EditError) as refused:
            add_to_question(text, "x.yaml", "q", "forecasts", [("by", "alice")])
        said.append(str(refused.value))
    assert said[0] == said[1]
    return said[0]


def _a_series_without_a_rule() -> object:
    from ledger.core.model import Location, Resolver
    from ledger.sync import series
    from ledger.validate import check

    question = check(str(FIXTURE / "predictions.yaml"))[0].questions[1]
    resolver = Resolver(
        location=Location("x.yaml", 1), source="csv", url="https://example.org/a.csv",
        column="a",
    )
    return series.decide([], resolver, question, dt.date(2026, 6, 1), (), one=False)


def _guards() -> dict[str, Callable[[], object]]:
    """Text the Python API gives for what no command passes it: click.Choice
    keeps the value in range, the ledger was checked first, or the command
    checks with its own message. Each is made here, in
    test_a_guard_of_the_python_api_says_so."""
    import pickle

    from ledger import compare, report
    from ledger.core.model import Ledger
    from ledger.loader import cache
    from ledger.record import locate
    from ledger.report.pages import years_to_write
    from ledger.score import calibration, daily, groups, quantities, rules

    day = dt.date(2026, 12, 31)
    return {
        "module 'ledger' has no attribute 'no_such_name'": lambda: ledger.no_such_name,
        "unknown aggregate 'mode'; use one of median, mean, geo-mean-odds": (
            lambda: compare.crowd_name("mode")
        ),
        "200,001 pairs is too many to compare (at most 200,000); name fewer forecasters": (
            lambda: compare.head_to_head(_scored_rows(), [("alice", "bob")] * 200_001)
        ),
        "unknown CI 'wild'; use bootstrap or t": (
            lambda: compare.leaderboard(_scored_rows(), ci="wild")  # type: ignore[arg-type]
        ),
        "not a cache entry": lambda: cache._loads(pickle.dumps((1, 2))),
        "'forecasts' is not a list; fix the file by hand first": _not_a_list,
        "x.yaml: cannot edit a file that does not load": (
            lambda: locate.whole("questions: [", "x.yaml")
        ),
        "unknown format 'pdf'; use md or html": (
            lambda: years_to_write(Ledger(path="x.yaml"), day, None, ["pdf"])
        ),
        "refusing to write '../page.md': not a plain relative path": (
            lambda: report.inside("out", "../page.md")
        ),
        "refusing to write 'away/page.md': it is outside": _outside_the_report_folder,
        "closed must be 'left' or 'right', got 'middle'": (
            lambda: calibration.decile(np.array([0.5]), "middle")  # type: ignore[arg-type]
        ),
        "bins must be 'deciles' or 'values', got 'fifths'": (
            lambda: calibration.murphy([1], [0.5], bins="fifths")  # type: ignore[arg-type]
        ),
        "unknown variant 'both'": (
            lambda: calibration.ece([1], [0.5], variant="both")  # type: ignore[arg-type]
        ),
        "unknown convention 'gjopen'": (
            lambda: daily.time_averaged(
                [(0, 0.5)], 0, 2, 2, lambda p: rules.brier(1, p), "gjopen"  # type: ignore[arg-type]
            )
        ),
        "unknown group 'colour'; use one of": (
            lambda: groups.groups(_scored_rows(), ["colour"], "made")
        ),
        "p must lie in [0, 1], got 1.5": lambda: rules.brier(1, 1.5),
        # the frame gives WIS NaN (and --explain says why) instead of asking
        "the levels do not pair up around a median: no median (level 0.5)": (
            lambda: quantities.wis(1, [0, 2], [0.25, 0.75])
        ),
        "the levels do not pair up around a median: level 0.8 has no partner 0.2": (
            lambda: quantities.wis(1, [1, 2], [0.5, 0.8])
        ),
        "probabilities over the options must sum to 1": (
            lambda: rules.brier_multi(0, [0.5, 0.6])
        ),
        "unknown reference 'zero'; use 'half' or 'base_rate'": (
            lambda: rules.brier_skill([1], [0.5], "zero")  # type: ignore[arg-type]
        ),
        # the loader requires a rule of every csv and json resolver
        "the resolver has no rule": _a_series_without_a_rule,
    }


GUARDS = _guards()


def covered_text() -> str:
    """Everything the catalogue shows: each case's expected output."""
    outputs = [case.with_suffix(".txt").read_text("utf-8") for case in CASES]
    for case in COMMAND_CASES:
        command = read_command(case)
        outputs += [command.stdout, command.stderr]
    return "\n".join(outputs)


def uncovered(places: list[Place], shown: str, exempt: list[str]) -> list[str]:
    """`PATH:LINE: builder(...): 'text'` for each piece of message text that is
    neither shown nor exempt."""
    return [
        f"{place}: {fragment!r}"
        for place in places
        for fragment in place.fragments
        if fragment not in shown and not any(fragment in text for text in exempt)
    ]


@pytest.fixture(scope="module")
def scan() -> Scan:
    return Scan.of_package(PACKAGE)


def test_every_message_in_the_source_has_a_case(scan: Scan) -> None:
    """Each piece of message text in ledger/ shows up in some catalogued output."""
    places = scan.places()
    assert len(places) > 150, "the scan finds far fewer messages than there are"
    missing = uncovered(places, covered_text(), [*UNREACHABLE, *GUARDS])
    assert missing == [], "add a case to tests/errors for:\n" + "\n".join(missing)


def test_every_exemption_is_still_needed(scan: Scan) -> None:
    """An exempt text is still built somewhere, and still shown by no case."""
    fragments = [f for place in scan.places() for f in place.fragments]
    shown = covered_text()
    for text in [*UNREACHABLE, *GUARDS]:
        used = [f for f in fragments if f in text]
        assert used, f"no message builds {text!r}: remove its exemption"
        assert any(f not in shown for f in used), f"a case shows {text!r}: remove its exemption"


@pytest.mark.parametrize("text", UNREACHABLE)
def test_each_unreachable_message_names_the_test_that_shows_it(text: str) -> None:
    file, _, name = UNREACHABLE[text].partition("::")
    tree = ast.parse((TESTS / file).read_text("utf-8"))
    functions = {n.name for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)}
    assert name in functions, f"{UNREACHABLE[text]} does not exist"


@pytest.mark.parametrize("text", GUARDS)
def test_a_guard_of_the_python_api_says_so(text: str) -> None:
    try:
        said = str(GUARDS[text]())
    except Exception as exc:  # the message is what is tested
        said = str(exc)
    assert text in said


# -- the scan itself ----------------------------------------------------------------

SAMPLE = '''
import click
from ledger.core.model import Error, Location

REMEDY = "pass --fix to repair it"

class SampleError(ValueError):
    pass

class Notice:
    where: str
    message: str

def _why(name) -> str:
    return f"name '{name}' is unusual here"

def complain(where, message, hint):
    return Error(where, f"{message} ({hint})")

def check(path, value):
    """A docstring is not a message, even a long one."""
    if value == 1:
        raise SampleError(f"value '{value}' is not allowed here")
    if value == 2:
        message = "the second value is taken"
        return Error(Location(path, 1), message)
    if value == 3:
        raise click.BadParameter(f"bad value; {REMEDY}", param_hint="--value")
    if value == 4:
        return Notice("x", _why(value))
    if value == 5:
        return complain(path, "a wrapped message", "with its own hint")
    if value == 6:
        return {"path": path, "message": "a message sent as data"}
    return Error(Location(path, 1), str(value))
'''


def sample_scan() -> Scan:
    return Scan.of_package(PACKAGE, {"ledger.sample": ("sample.py", SAMPLE)})


def test_the_scan_finds_each_kind_of_place_in_a_new_module() -> None:
    found = [
        (place.line, place.builder, place.fragments)
        for place in sample_scan().places()
        if place.path == "sample.py"
    ]
    assert found == [
        (23, "SampleError(...)", ("' is not allowed here",)),  # an exception of the tree
        (26, "Error(...)", ("the second value is taken",)),  # through a local
        (28, "BadParameter(...)", ("bad value;", "pass --fix to repair it")),  # a constant
        (30, "Notice(...)", ("' is unusual here",)),  # a function that returns text
        (32, "complain(...)", ("a wrapped message", "with its own hint")),  # a wrapper
        (34, '{"message": ...}', ("a message sent as data",)),  # a message as data
    ]


def test_an_uncatalogued_message_fails_the_coverage_test() -> None:
    places = [p for p in sample_scan().places() if p.path == "sample.py"]
    shown = "sample.py:1: the second value is taken\nsample.py:9: bad value; pass --fix to repair it\n"
    exempt = ["value 'x' is not allowed here", "name 'x' is unusual here"]
    assert uncovered(places, shown, exempt) == [
        "sample.py:32: complain(...): 'a wrapped message'",
        "sample.py:32: complain(...): 'with its own hint'",
        "sample.py:34: {\"message\": ...}: 'a message sent as data'",
    ]


def test_the_example_ledger_is_clean(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    result = CliRunner().invoke(main, ["check", "predictions.yaml"])
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "")
    result = CliRunner().invoke(main, ["check", "--json", "predictions.yaml"])
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "")


def garbage(size: int, seed: int) -> bytes:
    """`size` bytes of printable ASCII and YAML-ish token soup."""
    rng = random.Random(seed)
    allowed = (string.printable.replace("\x0b", "").replace("\x0c", "")).encode()
    printable = bytes.maketrans(
        bytes(range(256)), bytes(allowed[i % len(allowed)] for i in range(256))
    )
    tokens = [
        "- ",
        ": ",
        "? ",
        "[",
        "]",
        "{",
        "}",
        ",",
        "&a ",
        "*a ",
        "!!str ",
        "!tag ",
        "---\n",
        "...\n",
        "\n",
        "  ",
        "'",
        '"',
        "# ",
        "|\n",
        ">-\n",
        "%YAML 1.1\n",
        "p",
        "0.7",
        "70%",
        "2025-13-01",
        "questions",
        "forecasts",
        "~",
        "null",
        "yes",
        "on",
        "\\",
        "\t",
    ]
    soups = [("".join(rng.choices(tokens, k=400))).encode() for _ in range(64)]
    chunks = []
    total = 0
    while total < size:
        chunk = (
            rng.randbytes(4096).translate(printable)
            if rng.random() < 0.5
            else rng.choice(soups)
        )
        chunks.append(chunk)
        total += len(chunk)
    return b"".join(chunks)[:size]


@pytest.mark.parametrize("seed", [1, 2])
def test_fifty_megabytes_of_garbage_is_one_error(
    seed: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "garbage.yaml").write_bytes(garbage(50_000_000, seed))
    monkeypatch.chdir(tmp_path)
    result = run_check("garbage.yaml")
    assert result.exit_code == 1
    assert isinstance(result.exception, SystemExit)
    lines = result.stderr.splitlines()
    assert len(lines) == 1
    assert re.match(r"garbage\.yaml:\d+: \S", lines[0])
    assert "Traceback" not in result.stderr
