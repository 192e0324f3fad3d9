"""Other tools' data in: `ledger import ...` (the tidy frame out is `cli.export`).

`ledger import` has three commands: forecastbench, csv and fatebook. An
importer (`ledger.importers`) returns the new ledger's text and its problems;
this module prints the problems (exit 1, nothing written) or writes the file
and says what it holds. The progress bar an importer shows while it reads is
drawn here (`progress_bar`), since only the command line prints.
"""

from __future__ import annotations

import contextlib
import sys
from typing import TYPE_CHECKING, TypeVar, Unpack

import click

from ledger.cli.errors import date_text, output_target, report_errors
from ledger.cli.options import (
    FILE,
    OUTPUT,
    output_options,
)
from ledger.core.text import plural

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

    from ledger.importers.common import Imported
    from ledger.importers.csvfile import Options

T = TypeVar("T")


@contextlib.contextmanager
def progress_bar(
    items: Iterable[T], label: str, length: int | None = None
) -> Iterator[Iterable[T]]:
    """A progress bar over `items` on stderr if it is a terminal; else the items."""
    if not sys.stderr.isatty():
        yield items
        return
    with click.progressbar(items, length=length, label=label, file=sys.stderr) as bar:
        yield bar


def _output(output: str, force: bool) -> str:
    """Where OUT.yaml goes; a usage error if the output rules refuse it.

    A file that holds a ledger is refused, even with --force, unless an earlier
    import wrote it (its first line says so): --force replaces that one.
    """
    from ledger.files.outputs import Rules

    return output_target(output, Rules(force=force, ledger_output=True), OUTPUT)


def _write_import(imported: Imported, output: str, force: bool) -> None:
    """Report the importer's errors (exit 1, nothing written) or write the ledger."""
    from ledger.files.write import atomic_write

    if imported.errors:
        report_errors(imported.errors)
    real = _output(output, force)  # again: the file may have appeared meanwhile
    try:
        atomic_write(real, imported.text.encode("utf-8"))
    except OSError as exc:
        raise click.FileError(output, hint=exc.strerror or str(exc)) from None
    for line in imported.summary:
        click.echo(line, err=True)
    click.echo(f"wrote {output}: {plural(imported.questions, 'question')}, "
               f"{plural(imported.forecasts, 'forecast')}, "
               f"{plural(imported.outcomes, 'outcome')}", err=True)


@click.group("import")
def import_group() -> None:
    """Turn other tools' data into a new ledger file (OUT.yaml), checked like any other.

    Bad input is reported as PATH:LINE: message (CSV: LINE is the row's line,
    the header is 1), all at once, with exit 1 and nothing written.
    """


@import_group.command("forecastbench")
@click.option("--questions", "questions", required=True, type=FILE, metavar="Q.json",
              help="A ForecastBench question set.")
@click.option(
    "--forecasts", "forecasts", multiple=True, type=FILE, metavar="F.json",
    help="A forecast set answering it; more may follow (F1.json F2.json ...).",
)
@click.argument("more_forecasts", nargs=-1, type=FILE, metavar="[F.json ...]")
@click.option("--resolutions", type=FILE, metavar="R.json", help="Its resolution set.")
@output_options
def import_forecastbench(*, questions: str, forecasts: tuple[str, ...],
                         more_forecasts: tuple[str, ...], resolutions: str | None,
                         output: str, force: bool) -> None:
    """Import ForecastBench question, forecast and resolution sets.

    Each horizon of a dataset question becomes a question; each market is one
    question, with its crowd's probability at the freeze date as a forecast by
    SOURCE-crowd. Combination questions are dropped (and counted).
    """
    from ledger.importers.forecastbench import import_forecastbench as run

    _output(output, force)
    imported = run(
        questions, [*forecasts, *more_forecasts], resolutions, output,
        progress=progress_bar,
    )
    _write_import(imported, output, force)


# The help is given here, not as the docstring: its first sentence does not fit
# a docstring's one-line summary, and rewrapping it would change `--help`.
@import_group.command(
    "csv",
    help="""Import forecasts from a CSV file: columns question, forecaster,
    probability and optionally made and deadline (or --wide: forecaster, then
    one column per question). Every question is binary.
    """,
)
@click.argument("forecasts_file", metavar="FORECASTS.csv", type=FILE)
@click.option("--outcomes", type=FILE, metavar="OUTCOMES.csv",
              help="Outcomes: columns question, outcome and optionally known.")
@click.option(
    "--percent", is_flag=True,
    help="Probabilities are percents (70 means 0.7).",
)
@click.option(
    "--made", metavar="DATE",
    help="When the forecasts were made, for rows without a made date.",
)
@click.option(
    "--deadline", metavar="DATE",
    help="The questions' deadline, for questions without one.",
)
@click.option(
    "--known", metavar="DATE",
    help="When the outcomes became known, for rows without a known date.",
)
@click.option(
    "--wide", is_flag=True,
    help="One row per forecaster, one column per question.",
)
@output_options
def import_csv(
    forecasts_file: str, outcomes: str | None, force: bool, **options: Unpack[Options]
) -> None:
    """Import FORECASTS.csv into OUT.yaml (the help text is above).

    `options` are the importer's own (`ledger.importers.csvfile.Options`), as
    click hands them over; the dates are checked here, as usage errors.
    """
    from ledger.importers.csvfile import import_csv as run

    options["made"] = date_text(options.get("made"), "--made")
    options["deadline"] = date_text(options.get("deadline"), "--deadline")
    options["known"] = date_text(options.get("known"), "--known")
    options["progress"] = progress_bar
    output = options.get("output", "imported.yaml")
    _output(output, force)
    imported = run(forecasts_file, outcomes, **options)
    _write_import(imported, output, force)


@import_group.command("fatebook")
@click.argument("export_file", metavar="EXPORT.csv", type=FILE)
@output_options
def import_fatebook(export_file: str, output: str, force: bool) -> None:
    """Import Fatebook's CSV export (one row per forecast)."""
    from ledger.importers.fatebook import import_fatebook as run

    _output(output, force)
    _write_import(run(export_file, output, progress=progress_bar), output, force)
