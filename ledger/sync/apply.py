"""Apply: the proposed outcomes and crowd prices, appended to the ledger.

Every write goes through `ledger.record` (the path `ledger resolve` and
`ledger forecast` take): the whole ledger is validated first, the new entries
are inserted with every other byte kept, and the file is replaced atomically
under its lock. Each file of a ledger (with `include:`) gets one write holding
all its new entries. Under the lock the plan is made again against the
ledger as it is then (`plan.decide`), so an entry another writer added
meanwhile, or a second `--apply`, is not appended twice.

An outcome is `{result, known, recorded: today, by: sync:SOURCE, evidence:
[the page, the API URL], note: the raw fields}`; a crowd price is a forecast
`{by: the crowd forecaster, made: today, p, basis: stated, note}`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ledger.core.rules import SYNC_BY, index
from ledger.record import insert
from ledger.record.write import write
from ledger.sync.plan import WRITES, Action, decide, note
from ledger.sync.reading import Reading

if TYPE_CHECKING:
    import datetime as dt
    from collections.abc import Callable

    from ledger.core.model import Error, Ledger, Question
    from ledger.record.emit import Entry


@dataclass(frozen=True, slots=True)
class Applied:
    """What one file's write did: the entries appended, by question id."""

    path: str
    added: tuple[Action, ...]


def entry(action: Action, today: dt.date) -> tuple[str, Entry]:
    """(the list it goes to, the new entry) for a resolve or crowd action."""
    if action.action == "resolve":
        return "outcomes", [
            ("result", action.result),
            ("known", str(action.known)),
            ("recorded", today.isoformat()),
            ("by", SYNC_BY + action.source),
            ("evidence", list(action.evidence)),
            ("note", note(action)),
        ]
    return "forecasts", [
        ("by", action.crowd),
        ("made", today.isoformat()),
        ("p", str(action.p)),
        ("basis", "stated"),
        ("note", note(action)),
    ]


def _again(question: Question, action: Action, today: dt.date) -> Action | None:
    """`action` if the plan still calls for it on `question` as it is now."""
    reading = Reading(
        "resolved" if action.action == "resolve" else "pending",
        result=action.result,
        known=action.known,
        price=action.p,
        evidence=action.evidence,
        raw=action.raw,
    )
    for again in decide(question, reading, today, crowd=action.action == "crowd"):
        if again.action == action.action:
            return again
    return None


def apply(
    root: str,
    ledger: Ledger,
    actions: list[Action],
    today: dt.date,
    on_wait: Callable[[str], None] = lambda _: None,
) -> tuple[list[Applied], list[Error]]:
    """Append every resolve and crowd action to the file holding its question.

    Args:
        root: the ledger's main file (the whole ledger is checked before and
            after each write).
        ledger: the ledger the actions were planned on.
        actions: the plan; only resolve and crowd actions are written.
        today: the day recorded (`recorded`, `made`).
        on_wait: called with a notice while another writer holds the lock.

    Returns:
        What each file's write appended, and the errors of any write refused.
    """
    questions = index(ledger)
    by_file: dict[str, list[Action]] = {}
    for action in actions:
        if action.action in WRITES and action.question in questions:
            path = questions[action.question].location.path
            by_file.setdefault(path, []).append(action)
    done: list[Applied] = []
    errors: list[Error] = []
    for path, planned in by_file.items():
        added: list[Action] = []

        def edit(
            text: str,
            current: Ledger,
            path: str = path,
            planned: list[Action] = planned,
            added: list[Action] = added,
        ) -> tuple[str, int]:
            added.clear()
            fresh = index(current)
            # bottom up, so a question's line stays right for those above it
            ordered = sorted(
                (a for a in planned if a.question in fresh),
                key=lambda a: -fresh[a.question].location.line,
            )
            line = 0
            for action in ordered:
                question = fresh[action.question]
                again = _again(question, action, today)
                if again is None:
                    continue
                name, new = entry(again, today)
                text, line = insert.add_to_question(
                    text, path, question.id, name, new, question.location.line
                )
                added.append(again)
            return text, line

        written, problems = write(path, edit, on_wait, root=root)
        errors += problems
        if written is not None and added:
            done.append(Applied(path, tuple(reversed(added))))
    return done, errors
