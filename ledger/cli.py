"""The command line: thin commands that load, check, compute and print.

This is the only module that prints, reads the clock or exits. Commands that
need pandas or jinja2 import them inside the command, so `ledger check` and
`ledger list` start fast.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections.abc import Sequence

import click

from ledger import __version__
from ledger.dates import DateError, parse_day
from ledger.hint import did_you_mean
from ledger.model import Error, Ledger
from ledger.validate import check as check_file

DEFAULT_FILE = "predictions.yaml"
FILE = click.Path(dir_okay=False, exists=True)


class AsOf(click.ParamType):
    """A `YYYY-MM-DD` date for --as-of (or `today`)."""

    name = "date"

    def convert(
        self, value: object, param: click.Parameter | None, ctx: click.Context | None
    ) -> dt.date:
        if isinstance(value, dt.date):
            return value
        text = str(value)
        if text == "today":
            return dt.date.today()
        try:
            return parse_day(text)
        except DateError as exc:
            self.fail(str(exc), param, ctx)


def as_of_option(function):  # type: ignore[no-untyped-def]
    """--as-of DATE: the day treated as today (default: the real date)."""
    return click.option(
        "--as-of",
        type=AsOf(),
        default="today",
        show_default=True,
        help="Treat this day (YYYY-MM-DD) as today.",
    )(function)


def format_option(function):  # type: ignore[no-untyped-def]
    """--format table|csv|json."""
    return click.option(
        "--format",
        "format_",
        type=click.Choice(["table", "csv", "json"]),
        default="table",
        show_default=True,
        help="Output format.",
    )(function)


def report_errors(errors: Sequence[Error], as_json: bool = False) -> None:
    """Print errors as PATH:LINE: message on stderr and exit 1."""
    if as_json:
        items = [
            {"path": e.location.path, "line": e.location.line, "message": e.message}
            for e in errors
        ]
        click.echo(json.dumps(items, indent=2, ensure_ascii=False))
    else:
        for error in errors:
            click.echo(str(error), err=True)
    sys.exit(1)


def checked(path: str) -> Ledger:
    """The ledger at `path`; on any error, print them all and exit 1."""
    ledger, errors = check_file(path)
    if errors:
        report_errors(errors)
    return ledger


def resolve_forecaster(ledger: Ledger, name: str) -> str:
    """A forecaster id from an id, a name or an alias; exit 2 with a hint if unknown."""
    for forecaster in ledger.forecasters:
        names = {forecaster.id, forecaster.name.lower(), *map(str.lower, forecaster.aliases)}
        if name in names or name.lower() in names:
            return forecaster.id
    hint = did_you_mean(name, [f.id for f in ledger.forecasters])
    raise click.BadParameter(f"unknown forecaster '{name}'{hint}", param_hint="--forecaster")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="ledger")
def main() -> None:
    """A plain-text prediction ledger: forecasts in YAML, scored honestly."""


@main.command()
@click.argument("file", type=FILE, default=DEFAULT_FILE)
@click.option("--json", "as_json", is_flag=True, help="Print errors as a JSON array.")
def check(file: str, as_json: bool) -> None:
    """Check FILE; print nothing if it is clean.

    Otherwise print every problem as PATH:LINE: message, sorted, and exit 1.
    """
    _, errors = check_file(file)
    if errors:
        report_errors(errors, as_json)


@main.command("list")
@click.argument("file", type=FILE, default=DEFAULT_FILE)
@click.option("--forecaster", help="Only questions this forecaster (id, name or alias) forecast.")
@click.option("--tag", "tags", multiple=True, help="Only questions with this tag (repeatable).")
@click.option(
    "--status",
    "statuses",
    multiple=True,
    type=click.Choice(["open", "due", "resolved", "void"]),
    help="Only questions with this status (repeatable).",
)
@as_of_option
@format_option
def list_(
    file: str,
    forecaster: str | None,
    tags: tuple[str, ...],
    statuses: tuple[str, ...],
    as_of: dt.date,
    format_: str,
) -> None:
    """List the questions in FILE with their status, deadline and forecasts.

    Statuses: open; due (deadline passed, no outcome recorded); resolved; void.
    """
    from ledger import listing

    ledger = checked(file)
    who = None if forecaster is None else resolve_forecaster(ledger, forecaster)
    found = listing.rows(ledger, as_of, listing.Filters(who, tags, statuses))
    if format_ == "json":
        click.echo(listing.to_json(found), nl=False)
    elif format_ == "csv":
        click.echo(listing.to_csv(found), nl=False)
    else:
        click.echo(listing.table(found, as_of), nl=False)


@main.command()
def schema() -> None:
    """Print the JSON Schema of the ledger file format."""
    from pathlib import Path

    click.echo(Path(__file__).with_name("schema.json").read_text("utf-8"), nl=False)
