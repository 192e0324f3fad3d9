"""The performance pass (issue §4): each fast path gives just what the plain one does.

- The loader composes a big ledger's questions a slice at a time
  (`loader._streamed`); any text it does not apply to, or that goes wrong
  along the way, is composed whole, and both give the same records and errors.
- `report.generate(..., utf8=True)` (what `ledger report` writes) gives the
  bytes of `report.build`, also when rendering is cut into tiny batches.
- `score.log_score` and `score.spherical` compute yes/no outcomes in one
  expression, with the same floats as the general formula.
- `report.md_escape` returns plain text as it is, as the general path would.
"""

from __future__ import annotations

import datetime as dt
import math
import random

import numpy as np
import pytest

from ledger import report
from ledger.loader import load as loader
from ledger.report import escape, render
from ledger.score import rules as score
from ledger.validate import check

SAMPLE = "tests/data/sample.yaml"


def ledger_text(questions: int) -> str:
    lines = ["forecasters:"]
    lines += [f"  - {{id: f{i}, name: Forecaster {i}}}" for i in range(5)]
    lines += [
        "sources:",
        "  - {id: gen, title: Generated, kind: dataset}",
        "questions:",
    ]
    for i in range(questions):
        lines += [
            f"  - id: q{i}",
            f"    title: Question {i}",
            "    criteria: >-",
            f"      Resolves yes if event {i} happens.",
            f"    kind: {'date' if i % 4 == 0 else 'binary'}",
            f"    deadline: {2027 + i % 5}-12-31",
            "    tags: [generated]",
            "    forecasts:",
        ]
        for j in range(2):
            claim = (
                "window: +1y..+3y, p: 60%" if i % 4 == 0 else f"p: 0.{(i + j) % 9 + 1}"
            )
            who, made = f"f{(i + j) % 5}", f"2026-0{j + 1}-1{j}"
            lines.append(f"      - {{by: {who}, made: {made}, {claim}, basis: stated}}")
        if i % 3 == 0:
            result = "2027-06-01" if i % 4 == 0 else "yes"
            lines += [
                "    outcomes:",
                f"      - {{result: {result}, known: 2027-06-01, "
                "recorded: 2027-06-02}",
            ]
    return "\n".join(lines) + "\n"


def whole(text: str) -> tuple[object, object]:
    """load_text without the slices: the document composed at once."""
    root, errors = loader.compose(text, "t.yaml")
    return (
        (loader.Ledger(path="t.yaml"), errors)
        if errors
        else loader._read_root(root, "t.yaml")
    )


VARIANTS = {
    "clean": lambda lines: lines,
    "field errors": lambda lines: [
        line.replace("p: 0.", "p: 1.").replace("made: 2026-02", "made: 2026-13")
        for line in lines
    ],
    "a scalar item": lambda lines: [*lines[:200], "  - just text", *lines[200:]],
    "a syntax error at the end": lambda lines: [*lines, "  - ["],
    "a quoted scalar across items": lambda lines: [
        *lines[:200],
        '  - title: "a',
        '  - b"',
        *lines[200:],
    ],
    "a second questions key": lambda lines: [*lines, "questions: []"],
    "a key after the list": lambda lines: [*lines, "unknown: 1"],
    "an indentless list": lambda lines: [
        line[2:] if i > lines.index("questions:") else line
        for i, line in enumerate(lines)
    ],
    "CRLF line breaks": lambda lines: [line + "\r" for line in lines],
    "an anchor": lambda lines: [*lines[:200], "  - &a {id: x}", *lines[200:]],
    "a tab in column 0": lambda lines: [*lines[:200], "\t- x", *lines[200:]],
    "a comment after questions:": lambda lines: [
        "questions:  # all of them" if line == "questions:" else line for line in lines
    ],
}


@pytest.mark.parametrize("variant", list(VARIANTS))
def test_the_questions_composed_in_slices_load_like_the_whole_document(
    monkeypatch: pytest.MonkeyPatch, variant: str
) -> None:
    monkeypatch.setattr(loader, "_SLICE_CHARS", 2_000)  # many slices
    text = "\n".join(VARIANTS[variant](ledger_text(300).split("\n")))
    expected = whole(text)
    with loader.gc_paused():
        streamed = loader._streamed(text, "t.yaml")
    assert streamed is None or streamed == expected
    monkeypatch.setattr(loader, "STREAM_CHARS", 0)
    assert loader.load_text(text, "t.yaml") == expected


def test_a_clean_big_ledger_is_composed_in_slices() -> None:
    text = ledger_text(6_000)
    assert len(text) >= loader.STREAM_CHARS
    streamed = loader._streamed(text, "t.yaml")
    assert streamed is not None
    assert streamed == whole(text)
    assert streamed[1] == [] and len(streamed[0].questions) == 6_000


@pytest.mark.parametrize("batch", [1, 7, 1 << 20])
def test_the_report_written_as_it_renders_is_the_report_built(
    monkeypatch: pytest.MonkeyPatch, batch: int
) -> None:
    ledger, errors = check(SAMPLE)
    assert errors == []
    monkeypatch.setattr(render, "_BATCH", batch)
    as_of = dt.date(2028, 10, 1)
    built = report.build(ledger, as_of)
    written = dict(report.generate(ledger, as_of, utf8=True))
    assert sorted(written) == sorted(built)
    assert all(written[name] == text.encode("utf-8") for name, text in built.items())


def general_log(o: np.ndarray, q: np.ndarray, clip: float | None) -> np.ndarray:
    if clip is not None:
        q = np.clip(q, clip, 1 - clip)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(o > 0, o * np.log(q), 0.0) + np.where(
            o < 1, (1 - o) * np.log1p(-q), 0.0
        )


@pytest.mark.parametrize("clip", [0.001, None])
def test_yes_no_scores_are_the_general_formula_to_the_bit(clip: float | None) -> None:
    rng = np.random.default_rng(0)
    q = np.concatenate([[0.0, -0.0, 1.0, 0.001, 0.999, 0.5], rng.random(10_000)])
    o = (rng.random(q.size) < 0.5).astype(float)
    logs, _ = score.log_score(o, q, clip)
    assert np.array_equal(np.signbit(logs), np.signbit(general_log(o, q, clip)))
    assert np.array_equal(logs, general_log(o, q, clip))
    sphere = score.spherical(o, q)
    general = (o * q + (1 - o) * (1 - q)) / np.sqrt(q**2 + (1 - q) ** 2)
    assert np.array_equal(sphere, general) and np.array_equal(
        np.signbit(sphere), np.signbit(general)
    )


def test_plain_text_is_escaped_for_markdown_as_before() -> None:
    """The fast path of md_escape against its general path, on random text."""

    def general(value: object) -> str:
        text = " ".join(report.clean(str(value)).split())
        text = escape._MD_ENTITY.sub("&amp;", text)
        text = escape._MD_ACTIVE.sub(r"\\\1", text)
        return escape._MD_LEADING.sub(
            lambda m: f"{m[1]}\\{m[2]}" if m[1] else f"\\{m[3]}", text
        )

    rng = random.Random(0)
    alphabet = [
        *"aZ09 ,.;:'\"()%/?!+=-\u2014\u2013\u2212\u2026\\`*_[]|~$#<>&",
        *"\t\n\x00\x85\u00a0é✓",
    ]
    alphabet += ["1.", "2)", "- ", "= ", "&amp;", "  "]
    for _ in range(20_000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 8)))
        assert report.md_escape(text) == general(text), repr(text)
    for value in (0, -1.5, math.pi, "1. a", "12) b", "-x", "a  b", " a", "100%"):
        assert report.md_escape(value) == general(value)
