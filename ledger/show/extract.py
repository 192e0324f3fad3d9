"""What `ledger extract` prints: YAML stubs, JSON, and the coverage summary.

The YAML is a list of question stubs (see `extract.stubs`) under a first line
that says they are candidates to review, each stub with comments saying where
its quote stands and how sure the reading is; candidates a ledger already
covers and the sentences passed over are listed as comments at the end. The
JSON is `{"candidates": [...], "skipped": [...]}` (and `coverage` with
--against). Every value goes through `record.emit`, the one YAML writer.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ledger.core.text import plural
from ledger.extract.stubs import Raw, stubs
from ledger.record.emit import comment, scalar, value
from ledger.show.layout import columns, json_text

if TYPE_CHECKING:
    from collections.abc import Iterable

    from ledger.extract.coverage import Coverage, Covered
    from ledger.extract.model import Candidate, Extraction, Options, PassedOver
    from ledger.extract.stubs import Fields

_QUOTE_SHOWN = 100  # characters of a quote shown in a comment or summary line


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= _QUOTE_SHOWN else text[: _QUOTE_SHOWN - 1] + "…"


def _where(item: Candidate | PassedOver) -> dict[str, object]:
    where = item.where
    return {"quote": item.quote, "line": where.line, "time": where.time,
            "speaker": where.speaker}


def candidate_json(
    candidate: Candidate, cover: Covered | None = None
) -> dict[str, object]:
    """One candidate as the JSON output shows it."""
    found = candidate.probability
    window = candidate.window
    data = _where(candidate) | {
        "kind": candidate.kind,
        "words": found.words,
        "table": found.table,
        "p": found.p,
        "basis": found.basis,
        "note": found.note,
        "window": (
            None if window is None else [d.isoformat() if d else None for d in window]
        ),
        "horizon": candidate.horizon,
        "confidence": candidate.confidence,
        "reasons": list(candidate.reasons),
        "convention": candidate.rule,
    }
    if candidate.order is not None:
        data["order"] = {"before": candidate.order[0], "after": candidate.order[1]}
    if candidate.values is not None:
        data["values"] = list(candidate.values)
        data["unit"] = candidate.unit
    if cover is not None:
        data["covered_by"] = list(cover.questions)
        data["skipped_by"] = [
            {"line": entry.location.line, "path": entry.location.path,
             "quote": entry.quote, "reason": entry.reason}
            for entry in cover.skipped
        ]
    return data


def to_json(extraction: Extraction, found: Coverage | None = None) -> str:
    """`{"candidates": [...], "skipped": [...]}`, and `coverage` with a ledger."""
    covers = found.covers if found is not None else [None] * len(extraction.candidates)
    data: dict[str, object] = {
        "candidates": [
            candidate_json(c, cover)
            for c, cover in zip(extraction.candidates, covers, strict=True)
        ],
        "skipped": [_where(p) | {"reason": p.reason} for p in extraction.passed],
    }
    if found is not None:
        data["coverage"] = {
            "ledger": found.ledger,
            "candidates": len(extraction.candidates),
            "covered_by_forecast": found.by_forecast,
            "covered_by_skipped": found.by_skipped,
            "not_covered": found.uncovered,
            "not_covered_high": found.uncovered_high,
        }
    return json_text(data)


def _fields(fields: Fields, dash: int, key: int) -> list[str]:
    """A mapping as a block list item: `- k: v` at `dash`, the rest at `key`."""
    lines: list[str] = []
    for name, data in fields:
        if data is None:
            continue
        text = str(data) if isinstance(data, Raw) else value(data)
        prefix = " " * dash + "- " if not lines else " " * key
        lines.append(f"{prefix}{name}: {text}")
    return lines


def to_yaml(
    extraction: Extraction,
    options: Options,
    found: Coverage | None = None,
    taken: Iterable[str] = (),
) -> str:
    """The candidates as YAML stubs to review, paste under `questions:` and complete."""
    open_ = [
        c for i, c in enumerate(extraction.candidates)
        if found is None or not (found.covers[i].questions or found.covers[i].skipped)
    ]
    high = sum(c.confidence == "high" for c in extraction.candidates)
    made = str(options.made) if options.made is not None else "not given"
    lines = [
        comment(
            f"Candidate forecasts found by `ledger extract` in {extraction.path}: "
            "review each one before it goes into a ledger. Fill in every field a "
            "`needs:` line names, delete that line, and paste the stubs under "
            "`questions:`."
        ),
        comment(
            f"{plural(len(extraction.candidates), 'candidate')} ({high} high "
            f"confidence), {plural(len(extraction.passed), 'sentence')} passed over; "
            f"made {made}; verbal table {options.table}; conventions "
            f"{options.conventions.path.rsplit('/', 1)[-1]}."
        ),
    ]
    if found is not None:
        lines.append(comment(
            f"{len(extraction.candidates) - len(open_)} already covered by "
            f"{found.ledger} (listed at the end); stubs follow for the "
            f"{len(open_)} others."
        ))
    for item in stubs(open_, options, taken):
        lines.append("")
        lines += ["  " + comment(text) for text in item.comments]
        lines += _fields(item.question, 2, 4)
        lines.append("    forecasts:")
        lines += _fields(item.forecast, 6, 8)
    if not open_:
        lines += ["", "[]"]
    lines += _covered(extraction, found) + _passed(extraction.passed)
    return "\n".join(lines) + "\n"


def _covered(extraction: Extraction, found: Coverage | None) -> list[str]:
    if found is None:
        return []
    rows = []
    for candidate, cover in zip(extraction.candidates, found.covers, strict=True):
        if cover.questions:
            what = "question " + ", ".join(cover.questions)
        elif cover.skipped:
            what = f"skipped at line {cover.skipped[0].location.line}"
        else:
            continue
        rows.append(comment(f"line {candidate.where.line} ({what}): "
                            f"{scalar(_short(candidate.quote))}"))
    return ["", comment(f"Covered by {found.ledger}:"), *rows] if rows else []


def _passed(passed: Iterable[PassedOver]) -> list[str]:
    rows = [
        comment(f"line {item.where.line} ({item.reason}): {scalar(_short(item.quote))}")
        for item in passed
    ]
    title = comment("Passed over (forecast-like, but not forecasts):")
    return ["", title, *rows] if rows else []


def summary(extraction: Extraction, found: Coverage) -> list[str]:
    """The coverage summary: counts, then each high-confidence candidate not covered."""
    total = len(extraction.candidates)
    high = sum(c.confidence == "high" for c in extraction.candidates)
    lines = [
        f"Coverage of {extraction.path} by {found.ledger}: "
        f"{plural(total, 'candidate')}, {high} high confidence.",
        *(
            "  " + line for line in columns(
                ["", "", ""],
                [["covered by a forecast:", str(found.by_forecast), ""],
                 ["covered by a skipped: entry:", str(found.by_skipped), ""],
                 ["not covered:", str(found.uncovered),
                  f"({found.uncovered_high} high confidence)"]],
                right={1},
            )[1:]
        ),
    ]
    missing = [
        c for c, cover in zip(extraction.candidates, found.covers, strict=True)
        if c.confidence == "high" and not (cover.questions or cover.skipped)
    ]
    if missing:
        lines.append("Not covered, high confidence (enter each, or list it under "
                     "skipped: with the reason):")
        lines += [f"  line {c.where.line}: {_short(c.quote)}" for c in missing]
    return lines
