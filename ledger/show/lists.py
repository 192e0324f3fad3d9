"""`ledger list` as text: a terminal listing, CSV (a line per forecast) or JSON.

The rows come from `ledger.query.listing`, JSON-ready; this module only
writes them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ledger.core.rules import STATUSES
from ledger.core.text import exact, percent
from ledger.query.due import span
from ledger.show.csvtext import rows_text
from ledger.show.layout import json_indented, json_text

if TYPE_CHECKING:
    import datetime as dt
    from collections.abc import Iterable, Iterator, Sequence


def summary(found: Sequence[dict[str, Any]], as_of: dt.date) -> str:
    """One line: how many questions are in each status."""
    counts = {name: 0 for name in STATUSES}
    for row in found:
        counts[row["status"]] += 1
    parts = ", ".join(f"{counts[name]} {name}" for name in STATUSES)
    return f"{len(found)} questions as of {as_of.isoformat()}: {parts}"


def _when_due(row: dict[str, Any]) -> str:
    days = row["days_to_deadline"]
    if row["status"] == "due":
        return f"overdue by {span(days)}"
    if row["status"] in ("resolved", "void"):
        out = row["outcome"]
        return f"{row['status']}: {out['result']} (known {out['known']})"
    return f"in {span(days)}" if days > 0 else "due today"


def quantiles_text(rows: Sequence[dict[str, Any]]) -> str:
    """Quantiles as people read them: 'median 2030', or '10%: 12, 50%: 20'.

    >>> quantiles_text([{"level": 0.5, "value": "2030"}])
    'median 2030'
    >>> quantiles_text([{"level": 0.1, "value": 12.0}, {"level": 0.9, "value": 35.5}])
    'quantiles 10%: 12, 90%: 35.5'
    """
    def shown(value: object) -> str:
        return exact(value) if isinstance(value, float) else str(value)

    if len(rows) == 1 and rows[0]["level"] == 0.5:
        return f"median {shown(rows[0]['value'])}"
    return "quantiles " + ", ".join(
        f"{percent(row['level'])}: {shown(row['value'])}" for row in rows
    )


def _claim(forecast: dict[str, Any]) -> str:
    p = "" if forecast["p"] is None else f"p {100 * forecast['p']:.4g}%"
    given = forecast.get("quantiles")
    quantiles = quantiles_text(given) if given else ""
    if forecast["window"] is None:
        return quantiles or p
    start, end = forecast["window"]
    window = f"window {start or '…'}..{end or '…'}"
    return f"{window}  {p or 'no p'}" + (f"  {quantiles}" if quantiles else "")


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
        if row.get("not_yet"):
            lines.append(f"  had not happened as of {row['not_yet']}")
        if row.get("assess") == "at-deadline":
            lines.append("  assessed at its deadline: no final result before it")
        if row["unscorable"]:
            lines.append("  not scored: see 'unscorable' in the ledger")
        width = max((len(f["by"]) for f in row["forecasts"]), default=0)
        made = max((len(f["made"]) for f in row["forecasts"]), default=0)
        for forecast in row["forecasts"]:
            replaced = (
                "" if forecast["standing"] else "  (replaced by a later forecast)"
            )
            lines.append(
                f"  {forecast['by']:<{width}}  made {forecast['made']:<{made}}  "
                f"{_claim(forecast)}  [{forecast['basis']}]{replaced}"
            )
        if not row["forecasts"]:
            lines.append("  (no forecasts)")
    return "\n".join(lines) + "\n"


CSV_COLUMNS = (
    "question", "title", "kind", "status", "deadline", "forecaster", "made",
    "p", "window_start", "window_end", "basis", "standing", "quantiles",
)
"""The CSV's columns; `quantiles` is `level:value` pairs joined by `;`."""


def to_csv(found: Iterable[dict[str, Any]]) -> str:
    """One line per forecast (a question without forecasts gets one line)."""
    return rows_text(CSV_COLUMNS, _csv_rows(found))


def _csv_rows(found: Iterable[dict[str, Any]]) -> Iterator[list[Any]]:
    for row in found:
        head = [row["id"], row["title"], row["kind"], row["status"], row["deadline"]]
        for forecast in row["forecasts"] or [None]:
            if forecast is None:
                yield [*head, "", "", "", "", "", "", "", ""]
                continue
            start, end = forecast["window"] or ("", "")
            yield [
                *head, forecast["by"], forecast["made"],
                "" if forecast["p"] is None else exact(forecast["p"]),
                start or "", end or "", forecast["basis"],
                str(forecast["standing"]).lower(),
                _pairs(forecast.get("quantiles") or []),
            ]


def _pairs(rows: Sequence[dict[str, Any]]) -> str:
    """Quantiles for a CSV cell: '0.1:12;0.5:20'."""
    return ";".join(
        f"{exact(row['level'])}:"
        f"{exact(row['value']) if isinstance(row['value'], float) else row['value']}"
        for row in rows
    )


def to_json(found: Sequence[dict[str, Any]]) -> str:
    """The rows as a JSON array."""
    return json_text(list(found))


def json_parts(found: Iterable[dict[str, Any]], size: int = 1 << 20) -> Iterator[str]:
    """`to_json(found)` in parts of about `size` characters, to write as they come.

    Each row is encoded on its own (`layout.json_indented`, one level
    deep), as `found` gives it: a big
    ledger's listing is written as it is made, never held whole.
    """
    part: list[str] = []
    length = 0
    for row in found:
        piece = ("[\n  " if not part and not length else ",\n  ") + json_indented(
            row, 1
        )
        part.append(piece)
        length += len(piece)
        if length >= size:
            yield "".join(part)
            part, length = [], 1  # 1: something was written
    if not part and not length:
        yield "[]\n"
        return
    part.append("\n]\n")
    yield "".join(part)
