"""The keeper's view of a ledger as of a date: questions, status, deadlines, forecasts.

Builds plain rows (no pandas) for `ledger list`, and formats them as a table,
CSV or JSON. Due questions come first, most overdue first; then open ones by
deadline; then resolved and void ones.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from ledger.core.dates import When
from ledger.core.model import Bound, Forecast, Ledger, Question
from ledger.core.rules import (
    STATUSES,
    index,
    made_key,
    outcome,
    standing_forecasts,
    status,
)
from ledger.core.text import exact


@dataclass(frozen=True, slots=True)
class Filters:
    """What `ledger list` shows: empty means everything."""

    forecaster: str | None = None
    tags: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()


def _bound(bound: Bound, end: str) -> str:
    if bound is None:
        return ""
    if isinstance(bound, When):
        day = bound.earliest if end == "start" else bound.latest
        return day.isoformat()
    return exact(bound)


def window_text(forecast: Forecast) -> tuple[str, str]:
    """The widest reading of a forecast's window: (start, end); '' for an open end."""
    if forecast.window is None:
        return "", ""
    return _bound(forecast.window.start, "start"), _bound(forecast.window.end, "end")


def _forecast_row(forecast: Forecast, standing: bool) -> dict[str, Any]:
    start, end = window_text(forecast)
    return {
        "by": forecast.by,
        "made": str(forecast.made),
        "p": forecast.p,
        "window": None if forecast.window is None else [start or None, end or None],
        "window_as_written": None if forecast.window is None else forecast.window.text,
        "basis": forecast.basis,
        "table": forecast.table,
        "words": forecast.words,
        "source": forecast.source,
        "quote": forecast.quote,
        "standing": standing,
        "line": forecast.location.line,
    }


def rows(ledger: Ledger, as_of: dt.date, filters: Filters = Filters()) -> list[dict[str, Any]]:
    """One row per question (with its forecasts nested), filtered and sorted."""
    questions = index(ledger)
    found = []
    for question in ledger.questions:
        standing = outcome(question, questions, as_of)
        state = status(question, standing, as_of)
        if filters.statuses and state not in filters.statuses:
            continue
        if filters.tags and not set(filters.tags) & set(question.tags):
            continue
        current = set(map(id, standing_forecasts(question, as_of)))
        forecasts = [
            _forecast_row(f, id(f) in current)
            for f in sorted(question.forecasts, key=made_key)
            if f.made.earliest <= as_of
            and (filters.forecaster is None or f.by == filters.forecaster)
        ]
        if filters.forecaster is not None and not forecasts:
            continue
        found.append(_question_row(question, state, standing, forecasts, as_of))
    rank = {name: number for number, name in enumerate(("due", "open", "resolved", "void"))}
    found.sort(key=lambda row: (rank[row["status"]], row["deadline_latest"], row["id"]))
    return found


def _question_row(
    question: Question,
    state: str,
    standing: Any,
    forecasts: list[dict[str, Any]],
    as_of: dt.date,
) -> dict[str, Any]:
    latest = question.deadline.latest
    return {
        "id": question.id,
        "title": question.title,
        "kind": question.kind,
        "status": state,
        "deadline": str(question.deadline),
        "deadline_latest": latest.isoformat(),
        "days_to_deadline": (latest - as_of).days,
        "tags": list(question.tags),
        "unscorable": question.unscorable,
        "outcome": None
        if standing is None
        else {
            "result": str(standing.result),
            "known": str(standing.known),
            "derived": standing.derived,
        },
        "forecasts": forecasts,
    }


def summary(found: Sequence[dict[str, Any]], as_of: dt.date) -> str:
    """One line: how many questions are in each status."""
    counts = {name: 0 for name in STATUSES}
    for row in found:
        counts[row["status"]] += 1
    parts = ", ".join(f"{counts[name]} {name}" for name in STATUSES)
    return f"{len(found)} questions as of {as_of.isoformat()}: {parts}"


def _span(days: int) -> str:
    """A short human duration such as '2y 5m', '3m' or '12d'."""
    days = abs(days)
    years, rest = divmod(days, 365)
    months = rest // 30
    if years:
        return f"{years}y {months}m" if months else f"{years}y"
    return f"{months}m" if months else f"{days}d"


def _when_due(row: dict[str, Any]) -> str:
    days = row["days_to_deadline"]
    if row["status"] == "due":
        return f"overdue by {_span(days)}"
    if row["status"] in ("resolved", "void"):
        out = row["outcome"]
        return f"{row['status']}: {out['result']} (known {out['known']})"
    return f"in {_span(days)}" if days > 0 else "due today"


def _claim(forecast: dict[str, Any]) -> str:
    p = "" if forecast["p"] is None else f"p {100 * forecast['p']:.4g}%"
    if forecast["window"] is None:
        return p
    start, end = forecast["window"]
    window = f"window {start or '…'}..{end or '…'}"
    return f"{window}  {p or 'no p'}"


def table(found: Sequence[dict[str, Any]], as_of: dt.date) -> str:
    """Plain-text listing for a terminal."""
    lines = [summary(found, as_of)]
    for row in found:
        lines.append("")
        lines.append(
            f"{row['id']}  [{row['kind']}]  {row['status'].upper()}  "
            f"deadline {row['deadline']} ({_when_due(row)})"
        )
        lines.append(f"  {row['title']}")
        if row["unscorable"]:
            lines.append("  not scored: see 'unscorable' in the ledger")
        width = max((len(f["by"]) for f in row["forecasts"]), default=0)
        made = max((len(f["made"]) for f in row["forecasts"]), default=0)
        for forecast in row["forecasts"]:
            replaced = "" if forecast["standing"] else "  (replaced by a later forecast)"
            lines.append(
                f"  {forecast['by']:<{width}}  made {forecast['made']:<{made}}  "
                f"{_claim(forecast)}  [{forecast['basis']}]{replaced}"
            )
        if not row["forecasts"]:
            lines.append("  (no forecasts)")
    return "\n".join(lines) + "\n"


CSV_COLUMNS = (
    "question", "title", "kind", "status", "deadline", "forecaster", "made",
    "p", "window_start", "window_end", "basis", "standing",
)


def to_csv(found: Iterable[dict[str, Any]]) -> str:
    """One line per forecast (a question without forecasts gets one line)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for row in found:
        head = [row["id"], row["title"], row["kind"], row["status"], row["deadline"]]
        for forecast in row["forecasts"] or [None]:
            if forecast is None:
                writer.writerow([*head, "", "", "", "", "", "", ""])
                continue
            start, end = forecast["window"] or ("", "")
            writer.writerow([
                *head, forecast["by"], forecast["made"],
                "" if forecast["p"] is None else exact(forecast["p"]),
                start or "", end or "", forecast["basis"], str(forecast["standing"]).lower(),
            ])
    return buffer.getvalue()


def to_json(found: Sequence[dict[str, Any]]) -> str:
    """The rows as a JSON array."""
    return json.dumps(list(found), indent=2, ensure_ascii=False) + "\n"


def json_parts(found: Sequence[dict[str, Any]], size: int = 1 << 20) -> Iterator[str]:
    """`to_json(found)` in parts of about `size` characters, to write as they come.

    json.dumps joins the millions of small pieces of a big ledger's listing
    at once; these are the same pieces (json's own encoder, with the same
    options), joined a part at a time.
    """
    encoder = json.JSONEncoder(indent=2, ensure_ascii=False)
    part: list[str] = []
    length = 0
    for piece in encoder.iterencode(list(found)):
        part.append(piece)
        length += len(piece)
        if length >= size:
            yield "".join(part)
            part, length = [], 0
    part.append("\n")
    yield "".join(part)
