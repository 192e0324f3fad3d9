"""Problems on the command line: the ledger's and the user's.

A ledger with problems is printed as PATH:LINE: message lines on stderr (or a
JSON array with --json) and exits 1 (`report_errors`, `checked`). A bad
argument, such as an unknown forecaster or question, a malformed date or
probability, is a click usage error (exit 2) naming the option, with a
did-you-mean where one is close.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, NoReturn

import click

from ledger.core.dates import DateError, parse_when
from ledger.core.words import did_you_mean
from ledger.validate import check as check_file

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from ledger.core.model import Error, Ledger, Question
    from ledger.files.outputs import Rules


def report_errors(errors: Sequence[Error], as_json: bool = False) -> NoReturn:
    """Print errors as PATH:LINE: message on stderr (or JSON on stdout) and exit 1."""
    if as_json:
        from ledger.show.layout import json_text

        items = [
            {"path": e.location.path, "line": e.location.line, "message": e.shown}
            for e in errors
        ]
        click.echo(json_text(items), nl=False)
    else:
        for error in errors:
            click.echo(str(error), err=True)
    sys.exit(1)


def checked(path: str, keys: list[str] | None = None) -> Ledger:
    """The ledger at `path`; on any error, print them all and exit 1.

    `keys` receives the parse cache's key of every file read (`validate.check`).
    """
    ledger, errors = check_file(path, keys=keys)
    if errors:
        report_errors(errors)
    return ledger


def resolve_forecaster(ledger: Ledger, name: str, option: str = "--forecaster") -> str:
    """A forecaster's id from its id, name or an alias, in any case.

    Raises:
        click.BadParameter: no forecaster goes by `name` (naming `option`, with a
            did-you-mean when one is close).
    """
    known: dict[str, str] = {}
    for forecaster in ledger.forecasters:
        for label in (forecaster.id, forecaster.name, *forecaster.aliases):
            known.setdefault(label.lower(), forecaster.id)
    if name.lower() in known:
        return known[name.lower()]
    hint = did_you_mean(name.lower(), known, shown=known)
    raise click.BadParameter(f"unknown forecaster '{name}'{hint}", param_hint=option)


def known_question(
    ledger: Ledger, question_id: str, option: str = "QUESTION_ID"
) -> Question:
    """The question `question_id`, or a usage error naming `option`, with a hint."""
    questions = {q.id: q for q in ledger.questions}
    if question_id in questions:
        return questions[question_id]
    hint = did_you_mean(question_id, questions)
    raise click.BadParameter(
        f"unknown question '{question_id}'{hint}", param_hint=option
    )


def _readable(
    value: str | None,
    option: str,
    read: Callable[[str], object],
    error: type[Exception],
) -> str | None:
    """`value` as given, once `read` reads it; None stays None.

    Raises:
        click.BadParameter: `read` raised `error`; its message, naming `option`.
    """
    if value is None:
        return None
    try:
        read(value)
    except error as exc:
        raise click.BadParameter(str(exc), param_hint=option) from None
    return value


def probability(value: str | None, option: str = "--p") -> str | None:
    """`value` as given, once it reads as a probability (0.7 or 70%)."""
    from ledger.core.numbers import parse_probability

    return _readable(value, option, parse_probability, ValueError)


def date_text(value: str | None, option: str) -> str | None:
    """`value` as given, once it reads as a ledger date (any form, or a range)."""
    return _readable(value, option, parse_when, DateError)


def output_target(path: str, rules: Rules, option: str) -> str:
    """Where to write the output `path` (`files.outputs.target`).

    Raises:
        click.BadParameter: the output rules refuse it, naming `option`.
    """
    from ledger.files.outputs import Refused, target

    try:
        return target(path, rules)
    except Refused as exc:
        raise click.BadParameter(str(exc), param_hint=option) from None


def output_folder(path: str, option: str) -> None:
    """Create the output folder `path` if it is missing (`files.outputs.folder`).

    Raises:
        click.BadParameter: it is blank, not a folder, or cannot be created.
    """
    from ledger.files.outputs import Refused, folder

    try:
        folder(path)
    except Refused as exc:
        raise click.BadParameter(str(exc), param_hint=option) from None
