"""The command line: the `ledger` group and its commands.

The only package that prints, reads the clock or exits. Commands only wire
options to functions: they load and check the ledger, call the layer that
computes, and print the text `ledger.show` returns. Commands that need pandas
or jinja2 import them inside the command, so `ledger check` and `ledger list`
start fast; `main` imports each command's module only when that command runs
(`WHERE`).

- `query`: check, list, schema, due, verify (no pandas)
- `scoring`: score, compare
- `calibration`: calibration (of probabilities, or with --quantiles of quantiles)
- `edit`: add, forecast, resolve, forecaster add, source add
- `grade`: grade (a judge's grading; --pending)
- `judges`: judges (agreement of the judges of judged questions)
- `imports`: import forecastbench | csv | fatebook
- `export`: export (csv, json, parquet), through `frames` (the frame cache)
- `report`: report
- `sync`: sync (markets, data series and releases → outcomes and crowd prices)
- `extract`: extract (candidate forecasts from a text)
- `options` (shared options) and `errors` (printing problems, usage errors)
"""

from __future__ import annotations

import importlib
import sys

import click

from ledger.core.version import DISTRIBUTION

WHERE: dict[str, tuple[str, str]] = {
    "check": ("query", "check"),
    "list": ("query", "list_"),
    "schema": ("query", "schema"),
    "due": ("query", "due"),
    "verify": ("query", "verify_"),
    "score": ("scoring", "score"),
    "calibration": ("calibration", "calibration"),
    "compare": ("scoring", "compare"),
    "add": ("edit", "add"),
    "forecast": ("edit", "forecast"),
    "resolve": ("edit", "resolve"),
    "grade": ("grade", "grade"),
    "judges": ("judges", "judges"),
    "forecaster": ("edit", "forecaster_group"),
    "source": ("edit", "source_group"),
    "import": ("imports", "import_group"),
    "export": ("export", "export"),
    "extract": ("extract", "extract"),
    "report": ("report", "report"),
    "sync": ("sync", "sync"),
}
"""Every command and group of `ledger`: (its module in `ledger.cli`, its name there)."""


class _Commands(click.Group):
    """A group that imports a command's module only when the command is asked for.

    `ledger check` then loads the modules of `check` alone, not those of every
    command (which costs a small file's check most of its time).
    """

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(WHERE)

    def get_command(
        self, ctx: click.Context | None, cmd_name: str
    ) -> click.Command | None:
        if cmd_name not in WHERE:
            return None
        module, name = WHERE[cmd_name]
        command = getattr(importlib.import_module(f"ledger.cli.{module}"), name)
        assert isinstance(command, click.Command)
        return command


@click.group(cls=_Commands, context_settings={"help_option_names": ["-h", "--help"]})
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
