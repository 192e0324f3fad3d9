"""`ledger sync` as text: a table of the proposed actions, or JSON.

The actions come from `ledger.sync.plan`; this module only writes them. The
table has one line per action, then each proposed entry's evidence and the
raw fields it used, and a summary; JSON is a list of objects with
`question`, `source`, `action`, `result`, `known`, `p`, `evidence`, `reason`
and `raw`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ledger.core.text import plural
from ledger.show.layout import columns, json_text
from ledger.sync.plan import ACTIONS, note

if TYPE_CHECKING:
    from collections.abc import Sequence

    from ledger.sync.apply import Applied
    from ledger.sync.plan import Action


def _what(action: Action) -> str:
    if action.action in ("crowd",) or (action.action == "unchanged" and action.crowd):
        return f"p={action.p}" if action.p is not None else ""
    return action.result or ""


def table(actions: Sequence[Action], applied: bool) -> str:
    """The actions as a terminal table with their evidence, and a summary line."""
    if not actions:
        return "No question with a resolver to sync.\n"
    rows = [
        [a.question, a.source, a.action, _what(a), str(a.known or ""), a.reason]
        for a in actions
    ]
    lines = columns(["question", "source", "action", "result", "known", "why"], rows)
    out = [lines[0]]
    for action, line in zip(actions, lines[1:], strict=True):
        out.append(line)
        if action.action in ("resolve", "crowd", "conflict"):
            if action.evidence:
                out.append("    evidence: " + " ".join(action.evidence))
            out.append("    " + note(action))
    out += ["", summary(actions, applied)]
    return "\n".join(out) + "\n"


def summary(actions: Sequence[Action], applied: bool) -> str:
    """How many of each action, and whether anything was written."""
    counts = {name: 0 for name in ACTIONS}
    for action in actions:
        counts[action.action] += 1
    parts = [f"{counts[name]} {name}" for name in ACTIONS if counts[name]]
    writes = counts["resolve"] + counts["crowd"]
    if applied and writes:
        tail = "the resolve and crowd lines were appended."
    elif writes:
        tail = "dry run: nothing written; --apply appends the resolve and crowd lines."
    else:
        tail = "nothing to append."
    return f"{plural(len(actions), 'action')}: {', '.join(parts)}; {tail}"


def applied_lines(done: Sequence[Applied]) -> list[str]:
    """One line per file written: how many outcomes and crowd prices went in."""
    lines = []
    for item in done:
        outcomes = sum(1 for a in item.added if a.action == "resolve")
        prices = len(item.added) - outcomes
        lines.append(
            f"{item.path}: appended {plural(outcomes, 'outcome')} and "
            f"{plural(prices, 'crowd price')}"
        )
    return lines


def as_dict(action: Action) -> dict[str, Any]:
    """One action as a JSON object."""
    return {
        "question": action.question,
        "source": action.source,
        "action": action.action,
        "result": action.result,
        "known": None if action.known is None else str(action.known),
        "p": action.p,
        "crowd": action.crowd,
        "evidence": list(action.evidence),
        "reason": action.reason,
        "raw": action.raw,
    }


def to_json(actions: Sequence[Action]) -> str:
    """Every action as a JSON list of objects."""
    return json_text([as_dict(action) for action in actions])
