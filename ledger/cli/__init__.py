"""The command line: the `ledger` group and its commands.

The only package that prints, reads the clock or exits. Commands only wire
options to functions: they load and check the ledger, call the layer that
computes, and print the text `ledger.show` returns. Commands that need pandas
or jinja2 import them inside the command, so `ledger check` and `ledger list`
start fast.

- `query`: check, list, schema, due, verify (no pandas)
- `scoring`: score, compare
- `calibration`: calibration (of probabilities, or with --quantiles of quantiles)
- `edit`: add, forecast, resolve, forecaster add, source add
- `imports`: import forecastbench | csv | fatebook, export
- `report`: report
- `sync`: sync (markets, data series and releases → outcomes and crowd prices)
- `extract`: extract (candidate forecasts from a text)
- `options` (shared options) and `errors` (printing problems, usage errors)
"""

from __future__ import annotations

import sys

import click

from ledger.cli import calibration, edit, extract, imports, query, report, scoring, sync
from ledger.core.version import DISTRIBUTION


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name=DISTRIBUTION, prog_name="ledger")
@click.pass_context
def main(ctx: click.Context) -> None:
    """A plain-text prediction ledger: forecasts in YAML, scored honestly."""
    ctx.call_on_close(_cache_warning)


def _cache_warning() -> None:
    """Say why the parse cache was not used, if its folder was refused.

    And forget the entries the command kept in memory (`cache.load`): the
    next command reads the folder, as a new process would.
    """
    cache = sys.modules.get("ledger.loader.cache")  # not loaded: nothing to say
    if cache is not None:
        cache.forget()
    reason = None if cache is None else cache.refusal()
    if reason is not None:
        click.echo(f"warning: the parse cache was not used: {reason}", err=True)


COMMANDS: tuple[click.Command, ...] = (
    query.check, query.list_, query.schema, query.due, query.verify_,
    scoring.score, calibration.calibration, scoring.compare,
    edit.add, edit.forecast, edit.resolve, edit.forecaster_group, edit.source_group,
    imports.import_group, imports.export,
    extract.extract,
    report.report,
    sync.sync,
)
"""Every command and group of `ledger`, by module."""

for _command in COMMANDS:
    main.add_command(_command)
