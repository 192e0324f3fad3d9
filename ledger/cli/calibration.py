"""`ledger calibration`: reliability of probabilities, or of quantiles.

Loads and checks the ledger, builds the tidy frame (pandas, imported inside
the command), and prints what `ledger.show` writes: the probability tables of
`ledger.score.reliability`, or with `--quantiles` the coverage tables of
`ledger.score.coverage`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from ledger.cli.errors import resolve_forecaster
from ledger.cli.options import argument_file, as_of_option, format_option

if TYPE_CHECKING:
    import datetime as dt

    import pandas as pd


@click.command()
@argument_file
@click.option("--forecaster", help="Only this forecaster (id, name or alias).")
@click.option(
    "--basis", "bases", multiple=True,
    type=click.Choice(["stated", "mapped", "judged"]),
    help="Only forecasts with this basis (repeatable): show stated and mapped apart.",
)
@as_of_option
@click.option("--provisional", is_flag=True, help="Include provisional outcomes.")
@click.option(
    "--quantiles", is_flag=True,
    help="Calibration of quantile forecasts instead: for each level, the share of "
    "outcomes below the forecast value (Wilson 95% intervals), and the coverage "
    "of the central 50% and 80% intervals.",
)
@format_option
def calibration(
    *, file: str, forecaster: str | None, bases: tuple[str, ...], as_of: dt.date,
    provisional: bool, quantiles: bool, format_: str,
) -> None:
    """Calibration of the standing forecasts in FILE.

    Ten bins [0,10%) ... [90,100%] (empty bins kept, Wilson 95% intervals), the
    ACX-style folded table, the Murphy decomposition and ECE; with --quantiles,
    the quantile coverage table.
    """
    from ledger.cli.frames import frame_only, ledger_and_frame
    from ledger.score import scorecard
    from ledger.show import score as score_text

    if forecaster is not None:
        ledger, data = ledger_and_frame(file, as_of, provisional)
        data = data[data["forecaster"] == resolve_forecaster(ledger, forecaster)]
    else:
        data = frame_only(file, as_of, provisional)
    if bases:
        data = data[data["basis"].isin(bases)]
    if quantiles:
        click.echo(_quantiles(data, as_of, format_), nl=False)
        return
    result = scorecard.calibration(data)
    if format_ == "json":
        click.echo(score_text.calibration_json(result), nl=False)
    elif format_ == "csv":
        click.echo(score_text.frame_csv(result["bins"]), nl=False)
    else:
        click.echo(score_text.calibration_table(result, as_of), nl=False)


def _quantiles(data: pd.DataFrame, as_of: dt.date, format_: str) -> str:
    """`calibration --quantiles` in the chosen format."""
    from ledger.score.coverage import quantile_calibration
    from ledger.show import coverage

    result = quantile_calibration(data)
    if format_ == "json":
        return coverage.to_json(result, as_of)
    if format_ == "csv":
        return coverage.to_csv(result)
    return coverage.table(result, as_of)
