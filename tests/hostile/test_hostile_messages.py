"""Clear messages for clumsy input (issue 13, problem 16).

- A tab used for indentation says so, at its line (not "found character that
  cannot start any token").
- A UTF-16 or UTF-32 file, with or without a byte order mark, says which
  encoding it looks like (not "unacceptable character #x0000").
- A file included twice (a diamond) is read once; the second include is an
  error naming both include lines (not a duplicate id naming one place twice).
- A report folder that cannot be created is a usage error naming the folder.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from invoke import fixture_text, run


@pytest.mark.parametrize(
    ("old", "new", "line", "column"),
    [
        ("    title: It rains", "\ttitle: It rains", 16, 1),
        ("  - id: new-release", "\t- id: new-release", 25, 1),
        ("    name: Bob Example", "  \t  name: Bob Example", 9, 3),
        ("forecasters:\n", "forecasters:\n\t\n", 4, 1),
    ],
)
def test_a_tab_used_for_indentation_is_named_at_its_line(
    tmp_path: Path, old: str, new: str, line: int, column: int
) -> None:
    path = tmp_path / "L.yaml"
    path.write_text(fixture_text().replace(old, new, 1), encoding="utf-8")
    result = run("check", str(path))
    assert result.exit_code == 1
    assert result.stderr == (
        f"{path}:{line}: tabs are not allowed for indentation (a tab at column "
        f"{column}); indent with spaces\n"
    )


def test_a_tab_inside_a_paragraph_is_still_fine(tmp_path: Path) -> None:
    path = tmp_path / "L.yaml"
    old = "criteria: Resolves yes if version 2.0 is on the official site by the deadline."
    new = 'criteria: "Resolves\\tyes if version 2.0 is on the official site by the deadline."'
    text = fixture_text().replace(old, new)
    assert text != fixture_text()
    path.write_text(text, encoding="utf-8")
    assert run("check", str(path)).exit_code == 0


@pytest.mark.parametrize(
    ("encoding", "said"),
    [
        ("utf-16-le", "UTF-16 (little-endian) text without a byte order mark"),
        ("utf-16-be", "UTF-16 (big-endian) text without a byte order mark"),
        ("utf-32-le", "UTF-32 (little-endian) text without a byte order mark"),
        ("utf-32-be", "UTF-32 (big-endian) text without a byte order mark"),
        ("utf-16", "UTF-16 (little-endian) text"),  # Python writes a BOM, little-endian
        ("utf-32", "UTF-32 (little-endian) text"),
    ],
)
def test_a_wide_encoding_is_named(tmp_path: Path, encoding: str, said: str) -> None:
    path = tmp_path / "L.yaml"
    path.write_bytes(fixture_text().encode(encoding))
    result = run("check", str(path))
    assert result.exit_code == 1
    assert result.stderr == f"{path}:1: the file looks like {said}; save it as UTF-8\n"


def test_utf8_with_a_stray_zero_byte_is_not_taken_for_utf16(tmp_path: Path) -> None:
    path = tmp_path / "L.yaml"
    path.write_bytes(fixture_text().encode("utf-8").replace(b"Alice Example", b"Alice\0"))
    result = run("check", str(path))
    assert result.exit_code == 1 and "#x0000" in result.stderr
    assert "looks like" not in result.stderr


def test_a_file_included_twice_names_both_includes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    text = fixture_text()
    head, questions = text.split("questions:\n", 1)
    Path("main.yaml").write_text(
        "include: [left.yaml, right.yaml]\n" + head, encoding="utf-8"
    )
    Path("left.yaml").write_text("# left\ninclude: [bottom.yaml]\n", encoding="utf-8")
    Path("right.yaml").write_text("include: [bottom.yaml]\n", encoding="utf-8")
    Path("bottom.yaml").write_text("questions:\n" + questions, encoding="utf-8")
    result = run("check", "main.yaml")
    assert result.exit_code == 1
    assert result.stderr == (
        "right.yaml:1: 'bottom.yaml' is already included at left.yaml:2; include "
        "each file once\n"
    )
    # the same file twice in one list
    Path("twice.yaml").write_text(
        "include: [bottom.yaml,\n  bottom.yaml]\n" + head, encoding="utf-8"
    )
    twice = run("check", "twice.yaml")
    assert twice.stderr == (
        "twice.yaml:2: 'bottom.yaml' is already included at twice.yaml:1; include "
        "each file once\n"
    )


def test_a_report_folder_that_cannot_be_made_is_a_usage_error(tmp_path: Path) -> None:
    path = tmp_path / "L.yaml"
    path.write_text(fixture_text(), encoding="utf-8")
    result = run("report", str(path), "--out", "/proc/nope", "--as-of", "2026-12-31")
    assert result.exit_code == 2
    assert "cannot create the folder '/proc/nope'" in result.stderr
    assert "Could not open file" not in result.stderr
