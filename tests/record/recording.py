"""Helpers shared by the tests of the writing commands (test_record*, test_crash_safety,
test_concurrency): what changed between two versions of a ledger file.

- `claims(ledger)`: everything the records say, without line numbers, so two
  versions of a file compare equal when they declare the same things.
- `added(old, new)`: the one record `new` has beyond `old`; fails if anything
  else differs.
- `assert_only_inserted(old, new)`: the new text is the old one with lines
  inserted, in one block, and the same line endings, BOM and final newline.
"""

from __future__ import annotations

import dataclasses
import difflib
import re
from typing import Any

from ledger.core.model import Error, Ledger, Location
from ledger.loader.load import load_text
from ledger.loader.nodes import decode
from ledger.validate import validate

BOM = b"\xef\xbb\xbf"


def claims(value: Any) -> Any:
    """A comparable form of a record (or a ledger's records) without positions."""
    if isinstance(value, Ledger):
        return claims((value.forecasters, value.sources, value.questions))
    if isinstance(value, Location):
        return None
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return (
            type(value).__name__,
            *(
                (f.name, claims(getattr(value, f.name)))
                for f in dataclasses.fields(value)
                if f.name not in ("location", "lines")
            ),
        )
    if isinstance(value, (tuple, list)):
        return tuple(claims(v) for v in value)
    return value


def load_bytes(data: bytes, path: str = "ledger.yaml") -> tuple[Ledger, list[Error]]:
    """Load and validate a file's bytes, as `ledger check` does."""
    text, errors = decode(data, path)
    assert text is not None, errors
    ledger, errors = load_text(text, path)
    return ledger, errors + validate(ledger)


def clean(data: bytes, path: str = "ledger.yaml") -> Ledger:
    """The ledger in `data`, which must load and validate without errors."""
    ledger, errors = load_bytes(data, path)
    assert not errors, (
        "\n".join(map(str, errors)) + "\n---\n" + data.decode("utf-8", "replace")
    )
    return ledger


def added(old: Ledger, new: Ledger) -> tuple[str, Any]:
    """(what, record): the one forecaster, source, question, forecast or outcome
    that `new` adds at the end of its list; everything else must be equal."""
    found: list[tuple[str, Any]] = []
    for what in ("forecasters", "sources"):
        before, after = getattr(old, what), getattr(new, what)
        assert claims(after[: len(before)]) == claims(before), what
        found += [(what, record) for record in after[len(before) :]]
    if len(new.questions) == len(old.questions) + 1:
        assert claims(new.questions[:-1]) == claims(old.questions)
        found.append(("questions", new.questions[-1]))
    else:
        assert len(new.questions) == len(old.questions)
        for q_old, q_new in zip(old.questions, new.questions, strict=True):
            if claims(q_old) == claims(q_new):
                continue
            for what in ("forecasts", "outcomes"):
                before, after = getattr(q_old, what), getattr(q_new, what)
                assert claims(after[: len(before)]) == claims(before), (q_new.id, what)
                found += [(what, record) for record in after[len(before) :]]
            bare = ("forecasts", "outcomes", "location", "lines")
            assert all(
                claims(getattr(q_old, f.name)) == claims(getattr(q_new, f.name))
                for f in dataclasses.fields(q_old)
                if f.name not in bare
            ), q_new.id
    assert len(found) == 1, found
    return found[0]


def line_ending(data: bytes) -> bytes:
    if b"\r\n" in data:
        return b"\r\n"
    return b"\r" if b"\r" in data and b"\n" not in data else b"\n"


def assert_only_inserted(old: bytes, new: bytes, replaced: int = 0) -> list[str]:
    """`new` is `old` with one block of lines inserted (and, when `replaced` is 1,
    the one line above the block rewritten: the documented `[]` → block case).

    Also: the same BOM, the same line endings on every line, a final newline
    exactly when the original had one. Returns the inserted lines.
    """
    assert new.startswith(BOM) == old.startswith(BOM)
    eol = line_ending(old)
    if eol == b"\r\n":
        assert new.count(b"\n") == new.count(b"\r\n"), "a line lost its CRLF"
    elif eol == b"\r":
        assert b"\n" not in new
    else:
        assert b"\r" not in new
    assert new.endswith(eol) == old.endswith(eol), "the final newline changed"
    a = old.decode("utf-8-sig").splitlines()
    b = new.decode("utf-8-sig").splitlines()
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    changes = [op for op in matcher.get_opcodes() if op[0] != "equal"]
    if replaced:
        changed = [i for op in changes for i in range(op[1], op[2])]
        assert len(changed) == 1, changes
        i = changed[0]
        emptied = re.sub(r" *(\[ *\]|null|~)", "", a[i], count=1)
        assert emptied != a[i], a[i]
        a = [*a[:i], emptied, *a[i + 1 :]]
        matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
        changes = [op for op in matcher.get_opcodes() if op[0] != "equal"]
    assert [op[0] for op in changes] == ["insert"], changes
    _, _, _, j1, j2 = changes[0]
    return b[j1:j2]


def assert_inserted(
    old: bytes, new: bytes, expected: list[str], replaced: int = 0
) -> None:
    """`new` is `old` with exactly the lines `expected` inserted as one block.

    (difflib may align a blank line on either side of the block; both readings
    are the same file, so the block is looked for in the new lines.)
    """
    inserted = assert_only_inserted(old, new, replaced)
    lines = new.decode("utf-8-sig").splitlines()
    assert len(inserted) == len(expected), inserted
    n = len(expected)
    assert any(lines[i : i + n] == expected for i in range(len(lines) - n + 1)), (
        inserted
    )
