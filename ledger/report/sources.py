"""The sources page, and the claims considered and not scored.

A source's note qualifies every forecast taken from it (a secondary report,
a summary rather than a transcript, an unknown day), so every citation on a
page links to the source's entry here (`caveats.source_anchor`), which gives
its title, kind, date, link, the keeper's note, its licence and who cites it.

The ledger's `skipped:` section lists claims the keeper considered and left
out, each with its quote, source and reason; the index shows them as
"considered and not scored", so a reader sees they were weighed, not missed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ledger.core.text import plural
from ledger.report.caveats import source_anchor
from ledger.report.common import methods, view

if TYPE_CHECKING:
    from ledger.report.book import Book


def _citing(book: Book) -> dict[str, dict[str, int]]:
    """Per source id: how many forecasts each forecaster took from it."""
    found: dict[str, dict[str, int]] = {}
    for question in book.existing(book.as_of):
        for forecast in question.forecasts:
            if forecast.source is not None and book.counts(forecast, book.as_of):
                by = found.setdefault(forecast.source, {})
                by[forecast.by] = by.get(forecast.by, 0) + 1
    return found


def sources_page(book: Book) -> dict[str, Any]:
    """The context of the sources page, as of the as-of date."""
    citing = _citing(book)
    items = skipped(book)
    found = []
    for source in book.ledger.sources:
        by = citing.get(source.id, {})
        names = [
            f"{book.name(f)} ({by[f]})" for f in book.forecaster_order(by)
        ]
        left_out = sum(1 for s in items if s["source_id"] == source.id)
        found.append({
            "id": source.id,
            "anchor": source_anchor(source.id),
            "title": source.title,
            "url": book.url(source),
            "kind": source.kind,
            "date": str(source.date) if source.date is not None else "",
            "note": source.note,
            "licence": source.licence,
            "attribution": source.attribution,
            "cited": plural(sum(by.values()), "forecast"),
            "by": ", ".join(names),
            "skipped": left_out,
        })
    return {
        "kind": "sources",
        "day": book.as_of.isoformat(),
        "sources": found,
        "view": view(book, book.as_of),
        "methods": methods(book, book.as_of),
    }


def skipped(book: Book) -> list[dict[str, Any]]:
    """The claims considered and not scored (`skipped:`), as pages show them."""
    found = []
    for item in book.ledger.skipped:
        source = book.sources.get(item.source)
        found.append({
            "quote": item.quote,
            "name": book.name(item.by) if item.by else None,
            "source_id": item.source,
            "source": None
            if source is None
            else {
                "title": source.title,
                "url": book.url(source),
                "anchor": source_anchor(source.id),
            },
            "reason": item.reason,
        })
    return found
