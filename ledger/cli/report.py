"""`ledger report`: scorecards, forecaster pages, a comparison, sources, an index.

`ledger.report` makes and writes the files (pandas and jinja2 are imported
inside the command); this module checks the options and says what was written.
"""

from __future__ import annotations

import functools
import os
from dataclasses import dataclass
from typing import TYPE_CHECKING

import click

from ledger.cli.errors import output_folder
from ledger.cli.frames import frame_of, loaded
from ledger.cli.options import argument_file, as_of_option, with_options

if TYPE_CHECKING:
    import datetime as dt
    from collections.abc import Collection, Sequence

    from ledger.query.history import History


@dataclass(frozen=True, slots=True)
class ReportOptions:
    """`ledger report`'s options."""

    file: str
    years: tuple[int, ...]
    as_of: dt.date
    out: str
    formats: str
    force: bool
    as_recorded: bool
    history: bool
    jobs: int | None


def _history(files: Sequence[str]) -> History | None:
    """The git history of the ledger's files; None without one.

    Without history, entry dates come from `entered:` fields.
    """
    from ledger.query import history as git

    try:
        return git.history(files)
    except git.NoHistory:
        return None


def _formats(formats: str, known: tuple[str, ...]) -> list[str]:
    """The formats --format names, in order, once each; a usage error for others."""
    names = (name.strip() for name in formats.split(","))
    chosen = list(dict.fromkeys(name for name in names if name))
    unknown = [name for name in chosen if name not in known]
    if unknown or not chosen:
        raise click.BadParameter(
            f"unknown format '{(unknown or [formats])[0]}'; use md, html or md,html",
            param_hint="--format",
        )
    return chosen


def _summary(
    out: str, files: Collection[str], changed: int, years: list[int], chosen: list[str]
) -> str:
    """What was written (after 'Report as of DATE in OUT: '), and where to start."""
    people = sum(
        1 for name in files
        if name.startswith("forecaster-") and name.endswith(chosen[0])
    )
    pages = f"{people} forecaster page{'' if people == 1 else 's'}"
    scorecards = ", ".join(map(str, years)) or "none (nothing forecast yet)"
    start = [
        os.path.join(out, "index.html" if fmt == "html" else "README.md")
        for fmt in chosen
    ]
    return (
        f"{len(files)} files ({changed} changed); yearly scorecards: {scorecards}; "
        f"{pages}; a comparison and the sources.\nStart at {' or '.join(start)}."
    )


# The help is given here, not as the docstring: its first sentence does not fit
# a docstring's one-line summary, and rewrapping it would change `--help`.
@click.command(
    "report",
    help="""Write yearly scorecards, a page per forecaster, a comparison, the sources
    and an index of FILE to --out.

    Markdown (README.md is the index) and self-contained HTML (index.html). A year's
    scorecard is the ledger as it stood at the end of that year (or on --as-of). The
    same ledger and --as-of give byte-identical files; files that would not change
    are left alone. When forecasts were entered comes from FILE's git history,
    commits dated up to --as-of (else from entered: dates).
    """,
)
@argument_file
@click.option(
    "--year", "years", multiple=True, type=click.IntRange(1, 9999),
    help="Write this year's scorecard (repeatable; default: every year from the "
    "first with a forecast, an outcome or a question written, to --as-of's).",
)
@as_of_option
@click.option(
    "--out", default="reports", show_default=True, type=click.Path(file_okay=False),
    help="The folder to write into (created if missing).",
)
@click.option(
    "--format", "formats", default="md,html", show_default=True, metavar="md,html",
    help="md (Markdown, charts as SVG files in charts/), html (self-contained pages), "
    "or both.",
)
@click.option(
    "--force", is_flag=True,
    help="Replace files in --out that ledger report did not write (never a ledger, "
    "a device or a folder).",
)
@click.option(
    "--as-recorded", is_flag=True,
    help="Count only outcomes recorded by each page's day, and forecasts entered by "
    "then: the scorecards that could have been published on those days (default: "
    "outcomes count from the day they became known).",
)
@click.option(
    "--history/--no-history", default=True, show_default=True,
    help="Read when forecasts were entered from FILE's git history (commits dated "
    "up to --as-of); without it, or without git history, from entered: dates.",
)
@click.option(
    "--jobs", type=click.IntRange(1, 64), default=None, metavar="N",
    help="Processes that make the pages (default on Linux: 2 for a ledger of 50,000 "
    "forecasts or more, where the machine has 2 CPUs; else 1). The files are the "
    "same.",
)
@with_options(ReportOptions)
def report(options: ReportOptions) -> None:
    """Write the report files of FILE to --out (the help text is above)."""
    import ledger.report as reporting

    file, years, as_of, out = options.file, options.years, options.as_of, options.out
    chosen = _formats(options.formats, reporting.FORMATS)
    late = sorted(year for year in years if year > as_of.year)
    if late:
        raise click.BadParameter(
            f"year {late[0]} is after the as-of date {as_of.isoformat()}",
            param_hint="--year",
        )
    ledger, key = loaded(file)
    chosen_years = sorted(set(years)) or reporting.default_years(ledger, as_of)
    output_folder(out, "--out")  # a blank --out is refused: never the current folder
    view = reporting.View(
        as_recorded=options.as_recorded,
        history=_history(ledger.files or (file,)) if options.history else None,
        frames=None if options.as_recorded else functools.partial(
            frame_of, ledger, key, provisional=False
        ),
    )
    # One page at a time (a big ledger's report runs to gigabytes), in --jobs processes.
    try:
        files, changed = reporting.write(
            ledger, as_of, out, chosen_years, chosen,
            jobs=options.jobs or reporting.default_jobs(ledger), force=options.force,
            view=view,
        )
    except reporting.WriteError as exc:
        if exc.refused:
            raise click.BadParameter(exc.message, param_hint="--out") from None
        if exc.path == str(out):
            raise click.ClickException(exc.message) from None
        raise click.FileError(exc.path, hint=exc.message) from None
    summary = _summary(out, files, changed, chosen_years, chosen)
    click.echo(f"Report as of {as_of.isoformat()} in {out}: {summary}")
