"""Commands that read a ledger: check, list, schema, due and verify.

They print what the ledger holds and never change it. None of them imports
pandas or jinja2, so they start fast.
"""

from __future__ import annotations

import dataclasses
import sys
from typing import TYPE_CHECKING

import click

from ledger.cli.errors import checked, output_target, report_errors, resolve_forecaster
from ledger.cli.options import (
    DEFAULT_FILE,
    FILE,
    argument_file,
    as_of_option,
    format_option,
    with_options,
)
from ledger.validate import check as check_file

if TYPE_CHECKING:

    import datetime as dt

    from ledger.core.model import Ledger
    from ledger.sync.plan import Action


@click.command()
@click.argument(
    "files", metavar="[FILE]...", nargs=-1, type=FILE, default=(DEFAULT_FILE,)
)
@click.option("--json", "as_json", is_flag=True, help="Print errors as a JSON array.")
def check(files: tuple[str, ...], as_json: bool) -> None:
    """Check each FILE (default: predictions.yaml); print nothing if all are clean.

    Otherwise print every problem as PATH:LINE: message, sorted, and exit 1.
    """
    errors = [e for file in files for e in check_file(file)[1]]
    if errors:
        report_errors(errors, as_json)


@click.command("list")
@argument_file
@click.option(
    "--forecaster",
    help="Only questions this forecaster (id, name or alias) forecast.",
)
@click.option(
    "--tag", "tags", multiple=True,
    help="Only questions with this tag (repeatable).",
)
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
    *,
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
    from ledger.query import listing
    from ledger.show import lists

    ledger = checked(file)
    who = None if forecaster is None else resolve_forecaster(ledger, forecaster)
    filters = listing.Filters(who, tags, statuses)
    if format_ == "json":  # a big listing is hundreds of MB: written as it is made
        for part in lists.json_parts(listing.iter_rows(ledger, as_of, filters)):
            click.echo(part, nl=False)
        return
    found = listing.rows(ledger, as_of, filters)
    if format_ == "csv":
        click.echo(lists.to_csv(found), nl=False)
    else:
        click.echo(lists.table(found, as_of), nl=False)


@click.command()
def schema() -> None:
    """Print the JSON Schema of the ledger file format."""
    from pathlib import Path

    text = Path(__file__).parent.parent.joinpath("schema.json").read_text("utf-8")
    click.echo(text, nl=False)


def _calendar_target(ics: str, ledger: Ledger, force: bool) -> str:
    """Where the calendar goes, by the output rules; a usage error if refused.

    A calendar `ledger due` wrote before (its PRODID says so) is replaced
    without --force.
    """
    from ledger.files.outputs import Rules, head
    from ledger.show.calendar import made_by_ledger

    rules = Rules(
        force=force,
        ledger_files=ledger.files,
        own=lambda path: made_by_ledger(head(path)),
    )
    return output_target(ics, rules, "--ics")


def _write_calendar(ics: str, ledger: Ledger, as_of: dt.date, force: bool) -> None:
    """Write every open or due deadline, and window end, to the iCalendar file `ics`."""
    from ledger.core.text import plural
    from ledger.files.write import atomic_write
    from ledger.query.due import closings, deadlines
    from ledger.show.calendar import calendar

    questions = deadlines(ledger, as_of)
    windows = closings(ledger, as_of)
    real = _calendar_target(ics, ledger, force)  # again, just before writing
    try:
        atomic_write(real, calendar(questions, as_of, windows).encode("utf-8"))
    except OSError as exc:
        raise click.FileError(ics, hint=exc.strerror or str(exc)) from None
    count = plural(len(questions), "deadline")
    click.echo(f"wrote {count} and {plural(len(windows), 'window')} to {ics}", err=True)


def _synced(ledger: Ledger, as_of: dt.date, responses: str | None) -> list[Action]:
    """What each resolver's source says: asked now, or replayed from `responses`."""
    from ledger.cli.sync import user_agent
    from ledger.sync.http import Client, ClientOptions
    from ledger.sync.run import Choice, run

    def notice(message: str) -> None:
        click.echo(message, err=True)

    options = ClientOptions(user_agent=user_agent(), replay=responses)
    return run(ledger, Client(options, notice), as_of, Choice())


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class DueOptions:
    """`ledger due`'s options."""

    file: str
    as_of: dt.date
    within: str
    format_: str
    ics: str | None
    force: bool
    fail_if_overdue: bool
    sync_: bool
    responses: str | None


# The help is given here, not as the docstring: its first sentence does not fit
# a docstring's one-line summary, and rewrapping it would change `--help`.
@click.command(
    help="""What needs attention in FILE: overdue questions, deadlines coming up
    within --within, forecast windows closed or closing by then (did the event
    happen in them?), and standing forecasts older than a year (a nudge: exit 0,
    unless --fail-if-overdue and something is overdue).
    """,
)
@argument_file
@as_of_option
@click.option(
    "--within", default="90d", show_default=True, metavar="SPAN",
    help="Show deadlines this far ahead: 90d, 12w, 6m or 1y.",
)
@format_option
@click.option(
    "--ics", "ics", type=click.Path(dir_okay=False), metavar="OUT.ics",
    help="Also write every open or due deadline, and the end of every window still "
    "to check, to this iCalendar file.",
)
@click.option(
    "--force", is_flag=True,
    help="Replace the --ics file even if ledger did not write it, or write through "
    "it if it is a symbolic link.",
)
@click.option(
    "--fail-if-overdue", is_flag=True,
    help="Exit 1 when a question is overdue (for CI).",
)
@click.option(
    "--sync", "sync_", is_flag=True,
    help="Also ask each resolver's source, and list what resolved there but is "
    "not recorded.",
)
@click.option(
    "--responses", type=click.Path(file_okay=False, exists=True), metavar="DIR",
    help="The same, from the responses `ledger sync --save-responses DIR` kept.",
)
@with_options(DueOptions)
def due(options: DueOptions) -> None:
    """Print what needs attention in FILE (the help text is above)."""
    from ledger.query import due as due_
    from ledger.show import due as due_text

    as_of, ics = options.as_of, options.ics
    try:
        span = due_.parse_within(options.within)
        until = due_.window_end(as_of, span, options.within)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--within") from None
    ledger = checked(options.file)
    if ics is not None:
        _calendar_target(ics, ledger, options.force)  # refused before any output
    found = due_.report(ledger, as_of, until)
    if options.sync_ or options.responses is not None:
        synced = _synced(ledger, as_of, options.responses)
        found = dataclasses.replace(found, at_source=due_.at_source(ledger, synced))
    if options.format_ == "json":
        click.echo(due_text.to_json(found), nl=False)
    elif options.format_ == "csv":
        click.echo(due_text.to_csv(found), nl=False)
    else:
        click.echo(due_text.table(found), nl=False)
    if ics is not None:
        _write_calendar(ics, ledger, as_of, options.force)
    if options.fail_if_overdue and found.overdue:
        sys.exit(1)


@click.command("verify")
@argument_file
@click.option(
    "--threshold-days", type=click.IntRange(min=0), default=30, show_default=True,
    help="Warn when a forecast was made more than this many days before its first "
    "commit.",
)
@click.option(
    "--strict", is_flag=True, help="Exit 1 on warnings too (late entries, versions "
    "that do not load).",
)
@click.option(
    "--format", "format_", type=click.Choice(["table", "json"]), default="table",
    show_default=True, help="Output format.",
)
def verify_(file: str, threshold_days: int, strict: bool, format_: str) -> None:
    """Tamper evidence from the git history of FILE and every file it includes.

    Shows the commit that first recorded each forecast, and reports forecasts
    whose claim changed or that were removed after being committed (errors),
    committed after their outcome was known (errors), or entered more than
    --threshold-days late (warnings). Exit 1 on errors (and, with --strict, on
    warnings). Without git, or in a shallow clone, say so and exit 2; with no
    history of FILE, say so, check nothing and exit 0.
    """
    from ledger.loader.load import load_file
    from ledger.query import history
    from ledger.query import verify as verifying
    from ledger.show import verify as verify_text

    current, errors = load_file(file)
    if errors:
        report_errors(sorted(errors, key=lambda e: e.location))
    try:
        found = history.history(current.files or (file,))
    except (history.GitMissing, history.Shallow) as exc:
        message = f"cannot read the git history of {file}: nothing checked ({exc})"
        click.echo(message, err=True)
        sys.exit(2)
    except history.NoHistory as exc:
        click.echo(f"no git history for {file}: nothing checked ({exc})", err=True)
        return
    report = verifying.verify(current, found, threshold_days)
    if format_ == "json":
        click.echo(verify_text.to_json(report), nl=False)
    else:
        click.echo(verify_text.table(report), nl=False)
    if report.errors or (strict and report.warnings):
        sys.exit(1)
