"""`ledger verify`'s findings as text: a terminal table or JSON.

The findings come from `ledger.query.verify`; this module only writes them:
each finding as PATH:LINE: level: message, a summary line, then the table of
where each forecast was first committed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ledger.core.text import DASH, plural
from ledger.show.layout import columns, json_text

if TYPE_CHECKING:
    from ledger.query.verify import Report


def to_json(report: Report) -> str:
    """{"findings": [{path, line, level, message}], "forecasts": [{question, ...}]}."""
    data = {
        "findings": [
            {"path": f.path, "line": f.line, "level": f.level, "message": f.message}
            for f in report.findings
        ],
        "forecasts": [
            {
                "question": p.question,
                "forecaster": p.forecaster,
                "ordinal": p.ordinal,
                "commit": None if p.commit is None else p.commit.short,
                "date": None if p.commit is None else p.commit.date.isoformat(),
            }
            for p in report.forecasts
        ],
    }
    return json_text(data)


def table(report: Report) -> str:
    """Findings as PATH:LINE: level: message, then the provenance table."""
    lines = [str(f) for f in report.findings]
    of = report.path
    if report.files > 1:
        of += f" and {plural(report.files - 1, 'included file')}"
    summary = (
        f"{plural(report.errors, 'error')}, {plural(report.warnings, 'warning')} "
        f"in {plural(report.commits, 'commit')} of {of}."
    )
    lines += ["", summary] if lines else [
        f"No findings: {plural(len(report.forecasts), 'forecast')} checked against "
        f"{plural(report.commits, 'commit')} of {of}."
    ]
    lines.append("")
    header = ["question", "forecaster", "#", "first commit", "date"]
    body = [
        [
            p.question, p.forecaster, str(p.ordinal),
            "not committed yet" if p.commit is None else p.commit.short,
            DASH if p.commit is None else p.commit.date.isoformat(),
        ]
        for p in report.forecasts
    ]
    if not body:
        lines.append("(no forecasts in the file)")
        return "\n".join(lines) + "\n"
    lines += columns(header, body, right={2})
    return "\n".join(lines) + "\n"
