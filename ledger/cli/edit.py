"""Commands that write: add, forecast, resolve, forecaster add and source add.

Each checks the ledger first, asks for what is missing in a terminal (a usage
error in a script), and appends one entry through `ledger.record.write.write`,
which keeps every other byte of the file and checks the result before it is
written. The new entry's PATH:LINE is printed.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import click

from ledger.cli.errors import (
    checked,
    date_text,
    known_question,
    probability,
    report_errors,
)
from ledger.cli.options import F, into_option, with_options, write_file_option

if TYPE_CHECKING:
    from ledger.core.model import Ledger
    from ledger.record.emit import Entry

Edit = Callable[[str, "Ledger"], tuple[str, int]]
"""An edit for `record.write`: (text, ledger) -> (new text, line of the new entry)."""
BASES = ["stated", "mapped", "judged"]
SOURCE_KINDS = [
    "interview", "podcast", "article", "post", "platform", "dataset", "paper", "talk",
    "book", "summary", "other",
]


def ask(value: str | None, option: str, label: str) -> str:
    """`value`, or a prompt for it in a terminal; a usage error in a script."""
    if value is not None and value != "":
        return value
    if sys.stdin.isatty():
        return str(click.prompt(label))
    raise click.UsageError(f"missing option '{option}'")


def write_edit(
    file: str,
    edit: Edit,
    what: str,
    target: str | None = None,
    touched: tuple[str, str] | None = None,
) -> None:
    """Run an edit of `target` (default: FILE itself) through `record.write`.

    The ledger FILE is checked before and after (the new text in part, where
    it can be: `touched` names the list and id of the record the edit adds or
    changes); print its errors (exit 1) or what was added, at which PATH:LINE.
    """
    from ledger.record import write
    from ledger.record.incremental import Touched
    from ledger.record.write import EditError

    def notice(message: str) -> None:
        click.echo(message, err=True)

    try:
        written, errors = write.write(
            target or file, edit, notice, root=file, today=dt.date.today(),
            touched=None if touched is None else Touched(*touched),
        )
    except EditError as exc:
        raise click.UsageError(str(exc)) from None
    if errors:
        report_errors(errors)
    assert written is not None
    click.echo(f"{written.path}:{written.line}: added {what}")


def into_file(ledger: Ledger, file: str, into: str | None) -> str:
    """The file a new entry goes to: FILE, or --into if the ledger reads it."""
    import os

    if into is None:
        return file
    if os.path.realpath(into) not in {os.path.realpath(f) for f in ledger.files}:
        raise click.BadParameter(
            f"'{into}' is not part of the ledger {file}; add it to 'include:' first",
            param_hint="--into",
        )
    return into


@dataclass(frozen=True, slots=True, kw_only=True)
class Claim:
    """A forecast's fields, as options give them (`add` has no --table or --words)."""

    by: str | None
    p: str | None
    window: str | None
    made: str | None
    quote: str | None
    source: str | None
    basis: str
    table: str | None = None
    words: str | None = None
    note: str | None


def _forecast_entry(claim: Claim, by: str) -> Entry:
    """The forecast entry by `by`, made on --made (default: today)."""
    made = date_text(claim.made, "--made") or dt.date.today().isoformat()
    return [
        ("by", by), ("made", made), ("source", claim.source), ("quote", claim.quote),
        ("window", claim.window), ("p", probability(claim.p)), ("basis", claim.basis),
        ("table", claim.table), ("words", claim.words), ("note", claim.note),
    ]


def _claim_options(helps: dict[str, str]) -> Callable[[F], F]:
    """A forecast's options: --by, --p, --window, --made, --quote, --source, --basis.

    The first four have the command's own `helps`, keyed by name.
    """

    def decorate(function: F) -> F:
        function = click.option(
            "--basis", type=click.Choice(BASES), default="stated", show_default=True
        )(function)
        function = click.option("--source", help="A source id.")(function)
        function = click.option("--quote", help="The forecaster's words, verbatim.")(
            function
        )
        for name in ("made", "window", "p", "by"):
            function = click.option(f"--{name}", help=helps[name])(function)
        return function

    return decorate


@dataclass(frozen=True, slots=True, kw_only=True)
class AddOptions(Claim):
    """`ledger add`'s options: the question's, then its first forecast's."""

    into: str | None
    file: str
    id_: str | None
    title: str | None
    criteria: str | None
    kind: str | None
    deadline: str | None
    tags: tuple[str, ...]
    unit: str | None


@click.command()
@write_file_option
@click.option("--id", "id_", help="The question's id (a slug).")
@click.option("--title", help="A short title.")
@click.option("--criteria", help="What a neutral judge applies to decide it.")
@click.option(
    "--kind", type=click.Choice(["binary", "date", "numeric"]),
    help="binary, date or numeric.",
)
@click.option("--deadline", help="By when it resolves (a date in any ledger form).")
@click.option("--tag", "tags", multiple=True, help="A tag (repeatable).")
@click.option("--unit", help="Unit of a numeric question.")
@_claim_options({
    "by": "Also record a first forecast by this forecaster.",
    "p": "The first forecast's probability (0.7 or 70%).",
    "window": "The first forecast's window A..B (date and numeric questions).",
    "made": "When the first forecast was made (default: today).",
})
@click.option("--note", help="A note on the first forecast (required for judged).")
@into_option
@with_options(AddOptions)
def add(options: AddOptions) -> None:
    """Add a new question to the ledger, optionally with its first forecast."""
    from ledger.record import insert, window
    from ledger.record.write import EditError

    id_ = ask(options.id_, "--id", "Question id (a slug)")
    title = ask(options.title, "--title", "Title")
    criteria = ask(
        options.criteria, "--criteria", "Criteria (what a neutral judge applies)"
    )
    kind = options.kind or ask(None, "--kind", "Kind (binary, date or numeric)")
    deadline = date_text(ask(options.deadline, "--deadline", "Deadline"), "--deadline")
    entry: Entry = [
        ("id", id_), ("title", title), ("criteria", criteria), ("kind", kind),
        ("deadline", deadline), ("tags", list(options.tags)), ("unit", options.unit),
    ]
    forecast = None
    if options.by is not None:
        forecast = _forecast_entry(options, options.by)
        entry.append(("forecasts", None))
    target = into_file(checked(options.file), options.file, options.into)

    def edit(text: str, ledger: Ledger) -> tuple[str, int]:
        if id_ in {q.id for q in ledger.questions}:
            raise EditError(f"question '{id_}' already exists")

        def change(text: str) -> tuple[str, int]:
            new, line = insert.add_top(text, target, "questions", entry)
            if forecast is not None:
                new, _ = insert.add_to_question(new, target, id_, "forecasts", forecast)
            return new, line

        needs = ("forecasts",) if forecast is not None else ()
        return window.edit_of(text, ledger, (target, -1), change, needs)

    write_edit(options.file, edit, f"question '{id_}'", target, ("questions", id_))


@dataclass(frozen=True, slots=True, kw_only=True)
class ForecastOptions(Claim):
    """`ledger forecast`'s options: the ledger, the question and the forecast."""

    file: str
    question_id: str


@click.command()
@write_file_option
@click.argument("question_id")
@_claim_options({
    "by": "The forecaster's id.",
    "p": "Probability: 0.7 or 70% (for a window: of landing in it).",
    "window": "For date and numeric questions: A..B (ends may be +2y, relative to "
    "--made).",
    "made": "When it was made (any ledger date form; default: today).",
})
@click.option("--table", help="For --basis mapped: icd-203, mauboussin-2018, kent-1964 "
              "or fagen-2019.")
@click.option("--words", help="For --basis mapped: the speaker's words.")
@click.option("--note", help="A note (required for --basis judged).")
@with_options(ForecastOptions)
def forecast(options: ForecastOptions) -> None:
    """Add a forecast, or an update, to QUESTION_ID."""
    by = ask(options.by, "--by", "Forecaster id")
    claim: Claim = options
    if options.p is None and options.window is None and options.basis != "mapped":
        p = ask(None, "--p", "Probability (0.7 or 70%)")
        claim = dataclasses.replace(options, p=p)
    entry = _forecast_entry(claim, by)
    what = f"a forecast by '{by}' on '{options.question_id}'"
    append_entry(options.file, options.question_id, "forecasts", entry, what)


def append_entry(
    file: str, question_id: str, name: str, entry: Entry, what: str
) -> None:
    """Append `entry` to the list `name` of the question QUESTION_ID."""
    from ledger.record import window

    target = known_question(checked(file), question_id).location.path

    def edit(text: str, ledger: Ledger) -> tuple[str, int]:
        known_question(ledger, question_id)
        return window.add_to_question_of(text, ledger, question_id, (name, entry))

    write_edit(file, edit, what, target, ("questions", question_id))


# The help is given here, not as the docstring: its first sentence does not fit
# a docstring's one-line summary, and rewrapping it would change `--help`.
@click.command(
    help="""Record an outcome of QUESTION_ID: RESULT is yes, no, a fraction (0.5),
    provisional:0.37, a date, a number, void or ambiguous; or, on a date
    question, not-yet: the event had not happened as of --known (windows that
    ended by then are scored as misses; the question stays open).

    Resolving again appends a new outcome entry; the earlier one stays. A
    question with assess: at-deadline takes no final result known before its
    deadline.
    """,
)
@write_file_option
@click.argument("question_id")
@click.argument("result")
@click.option("--known", help="When the outcome became knowable (default: today).")
@click.option("--by", "by", help="Who records it.")
@click.option("--evidence", multiple=True, help="A link to evidence (repeatable).")
@click.option("--note", help="A note.")
def resolve(
    *, file: str, question_id: str, result: str, known: str | None, by: str | None,
    evidence: tuple[str, ...], note: str | None,
) -> None:
    """Append an outcome of QUESTION_ID (the help text is above)."""
    today = dt.date.today().isoformat()
    entry: Entry = [
        ("result", result), ("known", date_text(known, "--known") or today),
        ("recorded", today), ("by", by), ("evidence", list(evidence)), ("note", note),
    ]
    what = f"an outcome of '{question_id}' ({result})"
    append_entry(file, question_id, "outcomes", entry, what)


def _add_top(file: str, into: str | None, kind: str, entry: Entry) -> None:
    """Add a `kind` (forecaster, source) whose id, first in `entry`, must be new."""
    from ledger.record import insert, window
    from ledger.record.write import EditError

    new_id = entry[0][1]
    what = f"{kind} '{new_id}'"
    target = into_file(checked(file), file, into)

    def edit(text: str, ledger: Ledger) -> tuple[str, int]:
        items = ledger.forecasters if kind == "forecaster" else ledger.sources
        if new_id in {item.id for item in items}:
            raise EditError(f"{what} already exists")
        def change(text: str) -> tuple[str, int]:
            return insert.add_top(text, target, f"{kind}s", entry)

        return window.edit_of(text, ledger, (target, 0), change)

    write_edit(file, edit, what, target, (f"{kind}s", new_id))


@click.group("forecaster")
def forecaster_group() -> None:
    """Manage forecasters."""


@forecaster_group.command("add")
@write_file_option
@click.option("--id", "id_", help="A slug, such as jerry-tworek.")
@click.option("--name", help="The forecaster's name.")
@click.option(
    "--alias", "aliases", multiple=True, help="Another name or spelling (repeatable).",
)
@click.option("--affiliation")
@click.option("--link", "links", multiple=True, help="A link (repeatable).")
@click.option("--note")
@into_option
def forecaster_add(
    *, into: str | None, file: str, id_: str | None, name: str | None,
    aliases: tuple[str, ...], affiliation: str | None, links: tuple[str, ...],
    note: str | None,
) -> None:
    """Add a forecaster."""
    id_ = ask(id_, "--id", "Forecaster id (a slug)")
    name = ask(name, "--name", "Name")
    entry: Entry = [
        ("id", id_), ("name", name), ("aliases", list(aliases)),
        ("affiliation", affiliation), ("links", list(links)), ("note", note),
    ]
    _add_top(file, into, "forecaster", entry)


@click.group("source")
def source_group() -> None:
    """Manage sources."""


@source_group.command("add")
@write_file_option
@click.option("--id", "id_", help="A slug.")
@click.option("--title")
@click.option("--kind", type=click.Choice(SOURCE_KINDS))
@click.option("--url")
@click.option("--date", "date_", help="Its date, in any ledger date form.")
@click.option("--note")
@into_option
def source_add(
    *, into: str | None, file: str, id_: str | None, title: str | None,
    kind: str | None, url: str | None, date_: str | None, note: str | None,
) -> None:
    """Add a source: the interview, post or data set a forecast comes from."""
    id_ = ask(id_, "--id", "Source id (a slug)")
    title = ask(title, "--title", "Title")
    kind = kind or ask(None, "--kind", "Kind")
    entry: Entry = [("id", id_), ("title", title), ("kind", kind), ("url", url),
                    ("date", date_text(date_, "--date")), ("note", note)]
    _add_top(file, into, "source", entry)
