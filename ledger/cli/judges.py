"""`ledger judges`: how far the judges of judged questions agree; what rests on them."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from ledger.cli.errors import checked
from ledger.cli.options import argument_file, as_of_option, format_option

if TYPE_CHECKING:
    import datetime as dt


@click.command(
    help="""The judges' agreement (pairwise kappa, Fleiss' kappa, Krippendorff's
    alpha), the disputed questions with each grading and note, and each
    forecaster's mean Brier under each judge alone and under the combined
    outcome.
    """,
)
@argument_file
@as_of_option
@format_option
def judges(file: str, as_of: dt.date, format_: str) -> None:
    """Print the judges' agreement in FILE (the help text is above)."""
    from ledger.score.judged import judges as judged
    from ledger.show import judges as text

    found = judged(checked(file), as_of)
    if format_ == "json":
        click.echo(text.to_json(found, as_of), nl=False)
    elif format_ == "csv":
        click.echo(text.to_csv(found), nl=False)
    else:
        click.echo(text.table(found, as_of), nl=False)
