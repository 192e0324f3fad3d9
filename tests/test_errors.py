"""The error catalogue (hledger's test/errors): every message, as a real case.

Each `tests/errors/<case>.yaml` is a small ledger with exactly the problem its
first comment names; `<case>.txt` is the exact stderr of `ledger check
<case>.yaml` run inside tests/errors. To add a case, write the .yaml, run
`ledger check <case>.yaml 2> <case>.txt` there, and read the .txt.
"""

from __future__ import annotations

import ast
import json
import random
import re
import string
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

import ledger
from ledger.cli import main

ERRORS = Path(__file__).parent / "errors"
CASES = sorted(ERRORS.glob("*.yaml"))
ROOT = Path(__file__).parents[1]
PACKAGE = Path(ledger.__file__).parent

# Where a user-facing message can come from. core/words.py is included because its
# KeyError text reaches the user through load/claims.py.
MESSAGE_MODULES = (
    "loader/nodes.py", "loader/fields.py", "loader/claims.py", "loader/records.py",
    "loader/load.py", "loader/resolver.py", "validate.py", "core/dates.py", "core/words.py", "core/numbers.py",
)
# Message text no file can produce, each with the unit test that covers it.
UNREACHABLE_FROM_A_FILE = {
    # a lone surrogate only exists in a str; a file is decoded strictly first
    "the text is not valid Unicode (a lone surrogate); save it as UTF-8": (
        "test_loader.py::test_a_lone_surrogate_is_an_error"
    ),
    # libyaml stops deep nesting first; this guards the pure-Python parser
    "YAML nesting is too deep": "test_loader.py::test_deep_nesting_is_refused",
    # parse_day's remedy is for --as-of (a usage error, exit 2), not a file
    "write an exact day as YYYY-MM-DD": "test_dates.py::test_parse_day_wants_an_exact_day",
    # needs a file whose YAML nodes outgrow the memory: a 50 MB one under a 1.5 GiB cap
    "the file is too big to load in the available memory": (
        "test_memory.py::test_huge_and_hostile_inputs_stay_within_the_memory_limit"
    ),
}
# Strings in those modules that look like prose but are never shown.
NOT_MESSAGES = {"but found another document"}  # matched against PyYAML's text


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
    """Every (case, line, message) in the catalogue."""
    found = []
    for case in CASES:
        for line in case.with_suffix(".txt").read_text(encoding="utf-8").splitlines():
            # A case's errors are in the case file or in a file it includes.
            match = re.fullmatch(rf"(?:{re.escape(case.name)}|include\.d/[\w.-]+):(\d+): (.+)", line)
            assert match, f"{case.stem}: not PATH:LINE: message: {line!r}"
            found.append((case.stem, int(match.group(1)), match.group(2)))
    return found


def test_catalogued_messages_follow_the_style() -> None:
    """STYLE 2.4: lowercase start (or an acronym), no final period, one line each."""
    for case, _, message in catalogue():
        assert message[0].islower() or message.startswith(("YAML", "'")), (
            case,
            message,
        )
        assert not message.endswith("."), (case, message)


def test_the_catalogue_shows_many_distinct_messages() -> None:
    # Strip quoted values and numbers, so only the message's own words remain.
    shapes = {re.sub(r"'[^']*'|\d+", "_", message) for _, _, message in catalogue()}
    assert len(shapes) >= 60


def message_fragments(path: Path) -> set[str]:
    """The literal words of each string in a module that could be a message.

    Docstrings are skipped; of every other string (an f-string counts as its
    literal pieces), each piece with a space and at least 8 characters is kept.
    Regexes and dictionary keys have no spaces, so they drop out.
    """
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.FunctionDef | ast.ClassDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    pieces: list[str] = []
    inside_fstrings = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            for value in node.values:
                inside_fstrings.add(id(value))
                if isinstance(value, ast.Constant):
                    pieces.append(value.value)
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and id(node) not in docstrings
            and id(node) not in inside_fstrings
        ):
            pieces.append(node.value)
    return {
        piece.strip()
        for piece in pieces
        if " " in piece.strip() and len(piece.strip()) >= 8
    }


@pytest.mark.parametrize("module", MESSAGE_MODULES)
def test_every_message_in_the_source_has_a_case(module: str) -> None:
    """Each piece of message text in the code shows up in some catalogued output."""
    shown = "\n".join(message for _, _, message in catalogue())
    fragments = message_fragments(PACKAGE / module)
    assert fragments, "the scan found no message text at all"
    missing = sorted(
        fragment
        for fragment in fragments
        if fragment not in shown
        and fragment not in NOT_MESSAGES
        and not any(fragment in exempt for exempt in UNREACHABLE_FROM_A_FILE)
    )
    assert missing == [], f"add a case to tests/errors for: {missing}"


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
