"""Fuzzing `ledger extract`: whatever the text, candidates or nothing; never a traceback.

Texts are generated from the tool's own vocabulary (hedges, horizons, numbers,
dashes, labels, timestamps, Markdown marks) mixed with arbitrary characters,
control characters and very long lines. Every result must hold only verbatim
quotes, and its YAML and JSON must read back. The budgets are in tests/fuzzing.py.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import yaml
from click.testing import CliRunner
from fuzzing import fuzz
from hypothesis import example, given
from hypothesis import strategies as st

from ledger.cli import main
from ledger.core.dates import parse_when
from ledger.extract import Options, extract
from ledger.show.extract import to_json, to_yaml

WORDS = [
    "will", "probably", "likely", "almost certainly", "10 to 20%", "one in ten", "coin flip",
    "in about 2–3 years", "within decades", "by 2030", "before 2035", "in the 2030s", "never",
    "later than", "longer than", "timeline:", "not", "if", "?", ".", "!", ",", ";", "—", "−",
    "~", "Ann:", "[00:01:02]", "00:00:01,000 --> 00:00:02,000", "#", "- ", "> ", "```", "\n",
    "\n\n", "\r\n", "e.g.", "U.S.", "o1", "2019", "9999", "99999 years", "1e400", "%", "’", "“",
    "”", "\x00", "\u2028", "\ufeff", "\t", "a" * 3000,
]


@st.composite
def texts(draw: st.DrawFn) -> str:
    parts = draw(st.lists(st.one_of(st.sampled_from(WORDS), st.text(max_size=20)), max_size=60))
    return " ".join(parts)


@fuzz(200)
@given(texts(), st.sampled_from([None, "2026-01-06..2026-04-30", "9999", "0001-01-01"]))
@example("in 99999 years by 9999 within 500 decades", "9999")
@example("Ann: \n" * 3 + "[00:00:01] Ann: it will rain in 2 years?", None)
def test_any_text_gives_verbatim_candidates_and_readable_output(text: str, made: str | None) -> None:
    options = Options(made=parse_when(made) if made else None)
    found = extract(text, "t.txt", options)
    for item in (*found.candidates, *found.passed):
        assert text[item.where.start:item.where.start + len(item.quote)] == item.quote
        assert 1 <= item.where.line <= text.count("\n") + 1
    assert isinstance(yaml.safe_load(to_yaml(found, options)), list)
    assert set(json.loads(to_json(found))) == {"candidates", "skipped"}


@fuzz(30)
@given(st.binary(max_size=300))
def test_any_bytes_on_the_command_line(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "t.txt"
        path.write_bytes(data)
        result = CliRunner().invoke(main, ["extract", str(path), "--format", "json"])
        assert result.exit_code in (0, 1), result.output
        if result.exit_code == 1:
            assert result.stderr.startswith(f"{path}:") and "Traceback" not in result.stderr
        else:
            json.loads(result.stdout)
