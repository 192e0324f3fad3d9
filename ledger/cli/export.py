"""`ledger export`: the tidy frame out, as CSV or JSON on stdout or as Parquet files.

CSV and JSON (`ledger.show.export`) are written to stdout a row at a time.
Parquet (`ledger.columnar.arrow`, pyarrow being an optional dependency) goes
into a folder, `-o DIR`: forecasts.parquet (the frame), questions.parquet
and outcomes.parquet (every outcome entry). Each file is checked by the
output rules (`files.outputs`) before any is written; one this command wrote
before is replaced, any other only with --force. All three come from the
frame cache when it has them (`columnar.cache`), a one-file ledger then
without being loaded at all.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

import click

from ledger.cli.errors import output_folder, output_target
from ledger.cli.options import OUTPUT, argument_file, as_of_option, provisional_option

if TYPE_CHECKING:
    import datetime as dt

    from ledger.columnar.cache import Key
    from ledger.core.model import Ledger

TABLES = ("forecasts", "questions", "outcomes")
"""The Parquet files of an export (each NAME.parquet), in the order written."""


@click.command("export")
@argument_file
@click.option(
    "--format", "format_", type=click.Choice(["csv", "json", "parquet"]),
    default="csv", show_default=True,
    help="Output format: csv and json to stdout, parquet into the folder -o DIR.",
)
@click.option(
    "-o", "--output", metavar="DIR", type=click.Path(file_okay=False),
    help="With --format parquet: the folder to write forecasts.parquet, "
    "questions.parquet and outcomes.parquet into (made if missing).",
)
@click.option(
    "--force", is_flag=True,
    help="Replace Parquet files in DIR that ledger did not write.",
)
@as_of_option
@provisional_option
def export(
    file: str, format_: str, output: str | None, force: bool, as_of: dt.date,
    provisional: bool,
) -> None:
    """Write the tidy frame of FILE (one row per forecast) for other tools.

    CSV and JSON go to stdout: dates are ISO, missing values empty (CSV) or null
    (JSON), tags joined with ';' in CSV. Parquet goes into -o DIR, with the
    questions and every outcome entry beside the forecasts (see the README).
    """
    if format_ == "parquet":
        if output is None:
            raise click.UsageError(
                "--format parquet writes three files: name their folder with -o DIR"
            )
        _parquet(file, output, as_of, provisional, force)
        return
    if output is not None:
        raise click.UsageError(
            "an output folder (-o DIR) is only for --format parquet; "
            f"--format {format_} is written to stdout"
        )
    from ledger.cli.frames import frame_only
    from ledger.show import export as exporting

    data = frame_only(file, as_of, provisional)
    write = exporting.json_chunks if format_ == "json" else exporting.csv_chunks
    for chunk in write(data):
        click.echo(chunk, nl=False)


def _parquet(
    file: str, output: str, as_of: dt.date, provisional: bool, force: bool
) -> None:
    """Write the three Parquet files into `output` (see the module docstring)."""
    from ledger.columnar import arrow
    from ledger.files.outputs import Rules
    from ledger.files.write import atomic_write

    try:
        arrow.require()
    except arrow.Missing as exc:
        raise click.UsageError(str(exc)) from None
    made, files = _files(file, as_of, provisional)
    output_folder(output, OUTPUT)
    rules = Rules(force=force, ledger_files=files, own=arrow.written_by_ledger)
    paths = {name: os.path.join(output, f"{name}.parquet") for name in TABLES}
    targets = {name: output_target(path, rules, OUTPUT) for name, path in paths.items()}
    for name in TABLES:
        try:
            atomic_write(targets[name], made[name])
        except OSError as exc:
            raise click.FileError(paths[name], hint=exc.strerror or str(exc)) from None


def _parts(name: str, as_of: dt.date, provisional: bool) -> tuple[str, ...]:
    """What the file `name` depends on besides the ledger (its cache entry's parts)."""
    if name != "forecasts":
        return ("export", name)
    return ("export", name, as_of.isoformat(), "provisional" if provisional else "")


def _files(
    file: str, as_of: dt.date, provisional: bool
) -> tuple[dict[str, bytes], tuple[str, ...]]:
    """The three files' bytes, and the ledger's files (never written).

    From the frame cache when it holds all three for the file's bytes (a
    one-file ledger, not loaded); else the ledger is loaded and what the
    cache lacks is made (the frame too, if it is not cached) and stored.
    """
    from ledger.cli.frames import loaded, quick_key
    from ledger.columnar import cache

    key, files = quick_key(file), (file,)
    parts = {name: _parts(name, as_of, provisional) for name in TABLES}
    found = {name: cache.blob(key, *parts[name]) for name in TABLES}
    if None not in found.values():
        return found, files  # type: ignore[return-value]
    ledger, key = loaded(file)
    made: dict[str, bytes] = {}
    for name in TABLES:
        data = cache.blob(key, *parts[name])
        if data is None:
            data = _made(name, ledger, key, as_of, provisional)
            cache.store_blob(key, data, *parts[name])
        made[name] = data
    return made, ledger.files or (file,)


def _made(
    name: str, ledger: Ledger, key: Key, as_of: dt.date, provisional: bool
) -> bytes:
    """The Parquet file `name` of `ledger`, made (from the cached frame if any)."""
    from ledger.cli.frames import frame_of
    from ledger.columnar import arrow, cache

    if name == "questions":
        return arrow.parquet(arrow.questions(ledger))
    if name == "outcomes":
        return arrow.parquet(arrow.outcomes(ledger))
    table = cache.forecasts(key, as_of, provisional)
    if table is None:
        table = arrow.forecasts(frame_of(ledger, key, as_of, provisional))
    return arrow.parquet(arrow.sorted_forecasts(table))
