"""`ledger sync`: outcomes and crowd prices from each question's resolver.

The command only wires options: `ledger.sync.run` asks the sources and plans,
`ledger.show.sync` writes the table or JSON, and `ledger.sync.apply` appends
through `ledger.record`. Nothing here imports the sync package until the
command runs, so `ledger check` never loads it.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from typing import TYPE_CHECKING

import click

from ledger.cli.errors import checked, known_question, output_folder, report_errors
from ledger.cli.options import argument_file, as_of_option, with_options
from ledger.core.model import SOURCES

if TYPE_CHECKING:
    import datetime as dt
    from collections.abc import Callable

    from ledger.core.model import Ledger
    from ledger.sync.http import Client
    from ledger.sync.plan import Action
    from ledger.sync.run import Choice

PROGRESS_ABOVE = 3
"""A progress bar is drawn, on a terminal, when more questions than this are fetched."""


@dataclass(frozen=True, slots=True, kw_only=True)
class SyncOptions:
    """`ledger sync`'s options."""

    file: str
    apply: bool
    only: tuple[str, ...]
    sources: tuple[str, ...]
    crowd: bool
    base_urls: tuple[str, ...]
    save_responses: str | None
    replay: str | None
    timeout: float
    format_: str
    as_of: dt.date


def base_urls(values: tuple[str, ...]) -> dict[str, str]:
    """--base-url SOURCE=URL, repeated, as a mapping; a usage error if malformed."""
    found: dict[str, str] = {}
    for value in values:
        source, _, url = value.partition("=")
        if source not in SOURCES or not url.startswith(("http://", "https://")):
            raise click.BadParameter(
                f"'{value}' is not SOURCE=URL with SOURCE one of {', '.join(SOURCES)} "
                "and an http(s) URL",
                param_hint="--base-url",
            )
        found[source] = url
    return found


def user_agent() -> str:
    """The User-Agent of ledger's requests: ledger, its version, and why."""
    from ledger.core.version import version

    return f"ledger/{version()} (prediction-ledger; ledger sync)"


def client_for(options: SyncOptions, notice: Callable[[str], None]) -> Client:
    """The HTTP client (or the replaying one) for these options."""
    from ledger.sync.http import Client, ClientOptions

    if options.replay and options.save_responses:
        raise click.UsageError("--replay and --save-responses cannot be used together")
    if options.save_responses is not None:
        output_folder(options.save_responses, "--save-responses")
    settings = ClientOptions(
        bases=base_urls(options.base_urls),
        timeout=options.timeout,
        user_agent=user_agent(),
        save=options.save_responses,
        replay=options.replay,
    )
    return Client(settings, notice)


def planned(
    ledger: Ledger, client: Client, today: dt.date, choice: Choice
) -> list[Action]:
    """Run the sync, with a progress bar on a terminal for more than a few questions."""
    from ledger.sync.run import chosen, run

    count = len(chosen(ledger, today, choice))
    if count <= PROGRESS_ABOVE or not sys.stderr.isatty():
        return run(ledger, client, today, choice)
    with click.progressbar(length=count, label="Syncing", file=sys.stderr) as bar:
        return run(ledger, client, today, choice, lambda _: bar.update(1))


def _notice(message: str) -> None:
    click.echo(message, err=True)


@click.command(
    help="""Fetch outcomes (and, with --crowd, market prices) for the questions in
    FILE that have a resolver, and show what would be appended: resolve,
    crowd, pending, unchanged, conflict, hidden or error. --apply appends the
    resolve and crowd lines through the same checked, atomic write as `ledger
    resolve`. A person's recorded outcome is never overruled.

    Exit status: 0, or 1 when a source failed (the others are still applied).
    """,
)
@argument_file
@click.option("--apply", is_flag=True, help="Append the proposed outcomes and prices.")
@click.option(
    "--only",
    multiple=True,
    metavar="QUESTION",
    help="Sync only this question (repeatable).",
)
@click.option(
    "--source",
    "sources",
    multiple=True,
    type=click.Choice(SOURCES),
    help="Sync only questions with this source (repeatable).",
)
@click.option(
    "--crowd",
    is_flag=True,
    help="Also record open markets' prices as the crowd's forecasts.",
)
@click.option(
    "--base-url",
    "base_urls",
    multiple=True,
    metavar="SOURCE=URL",
    help="Use this base URL for a source (a mirror or a test server).",
)
@click.option(
    "--save-responses",
    type=click.Path(file_okay=False),
    metavar="DIR",
    help="Keep every response received in DIR.",
)
@click.option(
    "--replay",
    type=click.Path(file_okay=False, exists=True),
    metavar="DIR",
    help="Answer from responses saved in DIR, without the network.",
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=0.1, max=600),
    default=10.0,
    show_default=True,
    help="Seconds to wait for each answer.",
)
@click.option(
    "--format",
    "format_",
    type=click.Choice(["table", "json"]),
    default="table",
    show_default=True,
    help="Output format.",
)
@as_of_option
@with_options(SyncOptions)
def sync(options: SyncOptions) -> None:
    """Fetch outcomes and crowd prices (the help text is above)."""
    from ledger.show import sync as text
    from ledger.sync.apply import apply
    from ledger.sync.run import Choice

    ledger = checked(options.file)
    for question_id in options.only:
        if known_question(ledger, question_id, "--only").resolver is None:
            raise click.BadParameter(
                f"question '{question_id}' has no resolver", param_hint="--only"
            )
    choice = Choice(options.only, options.sources, options.crowd)
    client = client_for(options, _notice)
    today = options.as_of
    actions = planned(ledger, client, today, choice)
    if options.format_ == "json":
        click.echo(text.to_json(actions), nl=False)
    else:
        click.echo(text.table(actions, options.apply), nl=False)
    failed = any(action.action == "error" for action in actions)
    if options.apply:
        done, errors = apply(options.file, ledger, actions, today, _notice)
        for line in text.applied_lines(done):
            click.echo(line, err=True)
        if errors:
            report_errors(errors)
    sys.exit(1 if failed else 0)
