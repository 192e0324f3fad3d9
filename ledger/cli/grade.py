"""`ledger grade`: a judge's grading of a judged question, or what they have left.

A grading is an outcome entry with `by: JUDGE`, appended through the same
write path as `resolve` (`cli.edit`): under its question, or with `--into`
to the `gradings:` list of the judge's own file (`grades/JUDGE.yaml`, which
the ledger includes), so that judges never touch, or read, each other's
lines. `--pending` lists what the judge has still to grade, without the
other judges' gradings (`query.grading`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

import click

from ledger.cli.edit import append_entry, ask, into_file, write_edit
from ledger.cli.errors import checked, date_text, known_question
from ledger.cli.options import FILE, with_options, write_file_option
from ledger.core.words import did_you_mean

if TYPE_CHECKING:
    from ledger.core.model import Ledger
    from ledger.record.emit import Entry


@dataclass(frozen=True, slots=True, kw_only=True)
class GradeOptions:
    """`ledger grade`'s options."""

    file: str
    question_id: str | None
    result: str | None
    by: str
    pending: bool
    known: str | None
    evidence: tuple[str, ...]
    note: str | None
    into: str | None


@click.command(
    help="""Record JUDGE's grading of the judged question QUESTION_ID: RESULT is
    yes, no, a fraction (partial credit, 0.5), ambiguous or void; --note says
    why. With --pending, list the questions JUDGE has still to grade, without
    the other judges' gradings.
    """,
)
@write_file_option
@click.argument("question_id", required=False)
@click.argument("result", required=False)
@click.option("--by", "by", required=True, help="The judge.")
@click.option("--pending", is_flag=True, help="List what JUDGE has still to grade.")
@click.option("--known", help="When the grading could be made (default: today).")
@click.option("--evidence", multiple=True, help="A link to evidence (repeatable).")
@click.option("--note", help="Why: the judge's reading of the criteria.")
@click.option(
    "--into", type=FILE,
    help="Add it to the 'gradings:' list of this file of the ledger (the judge's "
    "own, grades/JUDGE.yaml), not under the question.",
)
@with_options(GradeOptions)
def grade(options: GradeOptions) -> None:
    """Record a grading, or list what a judge has still to grade (help above)."""
    file, by = options.file, options.by
    if options.pending:
        from ledger.query import grading

        if options.question_id is not None:
            raise click.UsageError("--pending takes no QUESTION_ID")
        ledger = checked(file)
        if not any(by in q.judges for q in ledger.questions):
            judges = sorted({j for q in ledger.questions for j in q.judges})
            hint = did_you_mean(by, judges) or (
                f"; its judges: {', '.join(judges)}" if judges else "")
            raise click.BadParameter(f"'{by}' judges no question{hint}",
                                     param_hint="--by")
        found = grading.pending(ledger, by, dt.date.today())
        click.echo(grading.text(found, by), nl=False)
        return
    question_id = ask(options.question_id, "QUESTION_ID", "Question id")
    result = ask(options.result, "RESULT", "Grading (yes, no, 0.5, ambiguous, void)")
    today = dt.date.today().isoformat()
    entry: Entry = [
        ("result", result), ("known", date_text(options.known, "--known") or today),
        ("recorded", today), ("by", by), ("evidence", list(options.evidence)),
        ("note", options.note),
    ]
    what = f"a grading of '{question_id}' by '{by}' ({result})"
    if options.into is None:
        append_entry(file, question_id, "outcomes", entry, what)
        return
    from ledger.record import insert

    ledger = checked(file)
    known_question(ledger, question_id)
    target = into_file(ledger, file, options.into)
    graded: Entry = [("question", question_id), *entry]

    def edit(text: str, _: Ledger) -> tuple[str, int]:
        return insert.add_top(text, target, "gradings", graded)

    write_edit(file, edit, what, target)
