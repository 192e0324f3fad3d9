"""The shipped ledger as it stood in December 2026, and simulated futures of it.

`tests/data/shipped-2026.yaml` is a frozen copy of predictions.yaml (the real
one changes as the keeper works); `future(...)` returns its text with outcome
entries and question fields added, as a keeper would have recorded them in a
simulated future, so tests reproduce issue 14's cases on the real ledger.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

from ledger.loader.load import load_text
from ledger.validate import validate

if TYPE_CHECKING:
    from ledger.core.model import Ledger

SHIPPED = Path(__file__).parent / "data" / "shipped-2026.yaml"
TEXT = SHIPPED.read_text(encoding="utf-8")


def _question(text: str, question: str) -> tuple[int, int]:
    """Where a question's entry starts and where the next one does."""
    start = text.index(f"  - id: {question}\n")
    following = text.find("\n  - id: ", start + 1)
    return start, len(text) if following < 0 else following + 1


def with_outcomes(text: str, question: str, *entries: str) -> str:
    """`text` with flow-mapping outcome `entries` added to `question`."""
    start, end = _question(text, question)
    block = text[start:end]
    items = "".join(f"      - {entry}\n" for entry in entries)
    if "    outcomes: []\n" in block:
        block = block.replace("    outcomes: []\n", "    outcomes:\n" + items)
    else:
        block = block.rstrip("\n") + "\n" + items + ("\n" if block.endswith("\n\n") else "")
    return text[:start] + block + text[end:]


def with_field(text: str, question: str, line: str) -> str:
    """`text` with the question-level field `line` (`key: value`) after its kind."""
    start, end = _question(text, question)
    block = text[start:end]
    at = block.index("    kind: ")
    at = block.index("\n", at) + 1
    block = block[:at] + f"    {line}\n" + block[at:]
    return text[:start] + block + text[end:]


def load(text: str) -> Ledger:
    """The ledger of `text`, which must be clean."""
    ledger, errors = load_text(text, "shipped.yaml")
    errors += validate(ledger)
    assert errors == [], [str(e) for e in errors]
    return ledger


def day(text: str) -> dt.date:
    return dt.date.fromisoformat(text)
