"""The pages of a report and their files, made one page at a time.

A report is a scorecard per year, a page per forecaster, a comparison, the
sources and an index, each as Markdown (charts as SVG files beside it, under
`charts/`) and as self-contained HTML. `build(ledger, as_of)` returns every
file as text, keyed by its path relative to the output folder; `generate`
gives them one page at a time, and `ledger.report.write` writes them.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any

from ledger.report.book import Book, View, default_years
from ledger.report.common import nav
from ledger.report.forecaster import forecaster_page
from ledger.report.index import compare_page, index_page
from ledger.report.render import Charts, environments, render, render_utf8
from ledger.report.sources import sources_page
from ledger.report.year import year_page

if TYPE_CHECKING:
    import datetime as dt
    from collections.abc import Callable, Iterator, Sequence

    from ledger.core.model import Ledger

FORMATS = ("md", "html")

Page = tuple[str, str, "Callable[[Charts], dict[str, Any]]"]
"""(file stem, template, context maker): one page of the report."""

WEIGHTS = {"year": 21, "forecaster": 1, "compare": 7, "sources": 1, "index": 5}
"""How long each kind of page takes to make once the frames are made, relative
to a forecaster page (measured at 100,000 questions)."""


def build(
    ledger: Ledger,
    as_of: dt.date,
    years: Sequence[int] | None = None,
    formats: Sequence[str] = FORMATS,
    view: View | None = None,
) -> dict[str, str]:
    """Every report file, as text keyed by its path relative to the output folder.

    Args:
        ledger: a validated ledger.
        as_of: the day treated as today; nothing known after it counts.
        years: the yearly scorecards to write (default: `default_years`).
        formats: "md" (Markdown pages, README.md as the index, charts as SVG
            files under charts/) and/or "html" (self-contained pages, index.html).
        view: as known or as recorded, and the git history to read entry
            dates from (`ledger.report.book.View`; default: as known, none).
    """
    return dict(sorted(generate(ledger, as_of, years, formats, view=view)))


def generate(
    ledger: Ledger,
    as_of: dt.date,
    years: Sequence[int] | None = None,
    formats: Sequence[str] = FORMATS,
    *,
    utf8: bool = False,
    view: View | None = None,
) -> Iterator[tuple[str, Any]]:
    """The files of `build`, one page at a time, each followed by its charts.

    Each file comes as (path relative to the output folder, text); a page is
    followed by the charts its Markdown refers to. A page is rendered as soon
    as its context is built and then dropped, so a big ledger's report never
    holds more than one page in memory (`build` holds them all). With
    `utf8`, each file comes as its UTF-8 bytes, which a page then is never
    held as text (see `render_utf8`). Raises ValueError, before yielding
    anything, for an unknown format or a year after `as_of`.
    """
    chosen = years_to_write(ledger, as_of, years, formats)
    return page_files(Book(ledger, as_of, view or View()), chosen, formats, utf8)


def years_to_write(
    ledger: Ledger, as_of: dt.date, years: Sequence[int] | None, formats: Sequence[str]
) -> list[int]:
    """The years to write, sorted.

    Raises:
        ValueError: for an unknown format or a year after `as_of`.
    """
    unknown = sorted(set(formats) - set(FORMATS))
    if unknown:
        raise ValueError(f"unknown format '{unknown[0]}'; use md or html")
    chosen = sorted(set(default_years(ledger, as_of) if years is None else years))
    late = [y for y in chosen if y > as_of.year]
    if late:
        raise ValueError(f"year {late[0]} is after the as-of date {as_of.isoformat()}")
    return chosen


def pages(book: Book, chosen: list[int], links: dict[str, Any]) -> list[Page]:
    """Every page in order: years, forecasters, comparison, sources, index."""
    found: list[Page] = [
        (str(year), "year", functools.partial(year_page, book, year))
        for year in chosen
    ]
    found += [
        (
            person["stem"],
            "forecaster",
            functools.partial(forecaster_page, book, person["forecaster"]),
        )
        for person in links["forecasters"]
    ]
    found.append(("compare", "compare", functools.partial(compare_page, book)))
    found.append(("sources", "sources", lambda drawn: sources_page(book)))
    index = functools.partial(index_page, book, chosen, links["forecasters"])
    found.append(("", "index", lambda drawn: index()))
    return found


def page_files(
    book: Book,
    chosen: list[int],
    formats: Sequence[str],
    utf8: bool = False,
    only: Callable[[int], bool] | None = None,
) -> Iterator[tuple[str, Any]]:
    """The files of the pages (those whose number `only` accepts, if given)."""
    drawn = Charts(environments()["html"])
    links = nav(book, chosen)
    for page, (stem, template, make) in enumerate(pages(book, chosen, links)):
        if only is not None and not only(page):
            continue
        context = make(drawn)
        for fmt in formats:
            index = "README" if fmt == "md" else "index"
            yield f"{stem or index}.{fmt}", (render_utf8 if utf8 else render)(
                f"{template}.{fmt}.j2",
                page=context,
                nav=links,
                ext=fmt,
                index=f"{index}.{fmt}",
            )
        del context
        if "md" in formats:
            for name, svg in drawn.files.items():
                yield name, svg.encode("utf-8") if utf8 else svg
        drawn.files.clear()
