"""`ledger extract`: candidate forecasts from a text, for the keeper to review.

It never writes a ledger. The candidates go to stdout as YAML stubs or JSON,
or to a new file with -o (never replacing one without --force). With
--against, each candidate says which questions or `skipped:` entries of the
ledger cover it, a coverage summary goes to stderr, and --strict exits 1 when
a high-confidence candidate is not covered (for CI).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import click

from ledger.cli.errors import checked, report_errors
from ledger.cli.options import FILE, with_options
from ledger.core.dates import DateError, parse_when
from ledger.core.model import Error, Location
from ledger.core.words import did_you_mean

if TYPE_CHECKING:
    from ledger.core.conventions import Conventions
    from ledger.core.dates import When
    from ledger.core.model import Ledger
    from ledger.extract import Extraction, Options


def _text(path: str) -> str:
    """The UTF-8 text of a file, or its error printed (exit 1)."""
    from ledger.loader.nodes import decode

    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise click.FileError(path, hint=exc.strerror or str(exc)) from None
    text, errors = decode(data, path)
    if text is None:
        report_errors(errors)
    return text


def _prose(path: str) -> str:
    """The text to read, or an error if it is longer than `extract` reads."""
    from ledger.extract import LARGEST

    text = _text(path)
    if len(text) > LARGEST:
        message = (
            f"the text has {len(text):,} characters; ledger extract reads at most "
            f"{LARGEST:,} (split it into parts)"
        )
        report_errors([Error(Location(path, 1), message)])
    return text


def _made(value: str | None) -> When | None:
    if value is None:
        return None
    try:
        return parse_when(value)
    except DateError as exc:
        raise click.BadParameter(str(exc), param_hint="--made") from None


def _table(value: str) -> str:
    from ledger.core.words import table_names

    names = table_names()
    if value not in names:
        hint = did_you_mean(value, names) or "; expected one of: " + ", ".join(names)
        raise click.BadParameter(f"unknown table '{value}'{hint}", param_hint="--table")
    return value


def _conventions(path: str | None) -> Conventions:
    from ledger.core.conventions import read_conventions, shipped

    if path is None:
        return shipped()
    found, errors = read_conventions(_text(path), path)
    if found is None:
        report_errors(errors)
    return found


def _names(ledger: Ledger | None) -> dict[str, str]:
    """Every forecaster's id, name and aliases (lowercased) → its id."""
    names: dict[str, str] = {}
    for forecaster in ledger.forecasters if ledger is not None else ():
        for label in (forecaster.id, forecaster.name, *forecaster.aliases):
            names.setdefault(label.lower(), forecaster.id)
    return names


def _speakers(speaker: str | None, names: dict[str, str]) -> frozenset[str]:
    """The labels --speaker means: all names of its forecaster, or itself."""
    if speaker is None:
        return frozenset()
    key = speaker.lower()
    if key in names:
        return frozenset(label for label, id in names.items() if id == names[key])
    return frozenset({key})


@dataclass(frozen=True, slots=True)
class ExtractOptions:
    """The options of `ledger extract`, as click hands them over."""

    text_file: str
    speaker: str | None
    made: str | None
    table: str
    format_: str
    output: str | None
    force: bool
    against: str | None
    strict: bool
    conventions: str | None


@click.command("extract")
@click.argument("text_file", metavar="TEXT_FILE", type=FILE)
@click.option("--speaker", metavar="NAME",
              help="Read only this speaker's turns (with --against: a forecaster's "
                   "id, name or alias).")
@click.option("--made", metavar="DATE",
              help="When the words were said (any ledger date form, e.g. a range "
                   "2026-01-06..2026-04-30); relative horizons count from it.")
@click.option("--table", metavar="NAME", default="icd-203", show_default=True,
              help="Verbal-probability table for hedge words: icd-203, "
                   "mauboussin-2018, kent-1964 or fagen-2019.")
@click.option("--format", "format_", type=click.Choice(["yaml", "json"]),
              default="yaml", show_default=True, help="Output format.")
@click.option("-o", "--output", metavar="OUT",
              help="Write to this new file instead of stdout.")
@click.option("--force", is_flag=True, help="Replace OUT if it exists.")
@click.option("--against", metavar="LEDGER", type=FILE,
              help="Say which candidates this ledger covers, and summarise.")
@click.option("--strict", is_flag=True,
              help="With --against: exit 1 if a high-confidence candidate is not "
                   "covered.")
@click.option("--conventions", metavar="FILE", type=FILE,
              help="Read vague horizons with these conventions (JSON, the shape "
                   "of ledger/core/conventions.json).")
@with_options(ExtractOptions)
def extract(given: ExtractOptions) -> None:
    """Find candidate forecasts in TEXT_FILE (text, Markdown or a transcript).

    Prints a YAML stub for each (or JSON with --format json): the verbatim
    quote, hedge words mapped to a probability, the horizon as a window, and
    what the keeper must fill in. It never writes a ledger.
    """
    from ledger.extract import Options
    from ledger.extract import extract as run

    if given.strict and given.against is None:
        raise click.UsageError("--strict needs --against LEDGER")
    if given.output is not None:
        _refuse(given.output, given.force)
    ledger = checked(given.against) if given.against is not None else None
    names = _names(ledger)
    options = Options(
        speakers=_speakers(given.speaker, names), made=_made(given.made),
        table=_table(given.table), conventions=_conventions(given.conventions),
        forecasters=names,
    )
    extraction = run(_prose(given.text_file), given.text_file, options)
    if given.speaker is not None and not any(
        label.lower() in options.speakers for label in extraction.speakers
    ):
        _no_such_speaker(given.text_file, given.speaker, extraction.speakers)
    _print(extraction, options, ledger, given)


def _print(
    extraction: Extraction, options: Options, ledger: Ledger | None,
    given: ExtractOptions,
) -> None:
    """Print or write the candidates; with a ledger, the coverage summary."""
    from ledger.extract.coverage import coverage
    from ledger.show import extract as show

    found = coverage(extraction, ledger) if ledger is not None else None
    if given.format_ == "json":
        text = show.to_json(extraction, found)
    else:
        taken = [q.id for q in ledger.questions] if ledger is not None else []
        text = show.to_yaml(extraction, options, found, taken)
    if given.output is None:
        click.echo(text, nl=False)
    else:
        _write(given.output, text, len(extraction.candidates))
    if found is not None:
        for line in show.summary(extraction, found):
            click.echo(line, err=True)
        if given.strict and found.uncovered_high:
            sys.exit(1)


def _refuse(output: str, force: bool) -> None:
    from ledger.files.outputs import refuse_overwrite

    error = refuse_overwrite(output, force)
    if error is not None:
        report_errors([error])


def _write(output: str, text: str, count: int) -> None:
    from ledger.core.text import plural
    from ledger.files.outputs import write_ledger

    try:
        write_ledger(output, text)
    except OSError as exc:
        raise click.FileError(output, hint=exc.strerror or str(exc)) from None
    click.echo(f"wrote {output}: {plural(count, 'candidate')}", err=True)


def _no_such_speaker(path: str, speaker: str, labels: tuple[str, ...]) -> None:
    """Exit 1: the text has no turn by `speaker`."""
    if labels:
        hint = did_you_mean(speaker.lower(), {label.lower(): label for label in labels},
                            shown={label.lower(): label for label in labels})
        found = hint or "; speakers in it: " + ", ".join(labels)
    else:
        found = "; it has no speaker labels (Name: at the start of a line)"
    report_errors([Error(Location(path, 1), f"no turn by speaker '{speaker}'{found}")])
