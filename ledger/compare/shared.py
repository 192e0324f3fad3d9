"""Shared questions: what two forecasters both stand on, and why some are not compared.

`shared_questions` counts, for each pair, the questions both stand on and how
many of them are scored. `unscored_shared` lists every question a pair stands
on that is not compared (open, due, void, unscorable, a window without a
probability, ...) with the reason in words and the gap in days between the two
forecasts. A big contest has close to a million such pair-questions, so
`unscored_summary` gives what the text table shows: the list itself up to
DETAIL_ROWS, else one row per question (`summarise`), counted without listing
every pair when the pairs are every pair of some forecasters.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from ledger.compare.pairs import every_pair

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    import pandas as pd

DETAIL_ROWS = 40
"""Above this many rows, per-question detail is summarised (JSON has it all)."""

Listed = list[dict[str, Any]]


def shared_questions(
    frame: pd.DataFrame, pairs: Sequence[tuple[str, str]] | None = None
) -> Listed:
    """For each pair with questions in common: how many, how many resolved, which."""
    standing = frame[frame["standing"].to_numpy()]
    by_forecaster = {
        str(name): set(group["question"])
        for name, group in standing.groupby("forecaster", observed=True)
    }
    scored = set(standing.loc[(standing["excluded"] == "").to_numpy(), "question"])
    if pairs is None:
        pairs = every_pair(sorted(by_forecaster))
    found = []
    for a, b in pairs:
        common = sorted(by_forecaster.get(a, set()) & by_forecaster.get(b, set()))
        if common:
            found.append(
                {
                    "a": a,
                    "b": b,
                    "shared": len(common),
                    "resolved": len(set(common) & scored),
                    "questions": common,
                }
            )
    return found


@dataclass(frozen=True)
class _Rows:
    """What a reason reads of the standing rows, as plain lists.

    Plain lists: they are read one item at a time, hundreds of thousands of
    times.
    """

    excluded: list[str]
    status: list[str]
    window_only: list[bool]
    deadline: list[str]
    unscorable: Mapping[str, str]
    quantile_only: list[bool]

    @classmethod
    def of(
        cls, standing: pd.DataFrame, excluded: list[str], unscorable: Mapping[str, str]
    ) -> _Rows:
        no_p = standing["p"].isna() & (standing["kind"] != "binary")
        window = standing["window_width"].notna()
        return cls(
            excluded,
            standing["status"].astype(str).to_numpy().tolist(),
            (no_p & window).tolist(),
            standing["deadline"].dt.strftime("%Y-%m-%d").to_numpy().tolist(),
            unscorable,
            (no_p & ~window).tolist(),
        )

    def status_of(self, question: str, row: int) -> str:
        """The status shown for a question: `unscorable`, or that of the row."""
        return "unscorable" if question in self.unscorable else self.status[row]

    def reason(self, question: str, a: tuple[str, int], b: tuple[str, int]) -> str:
        """Why forecasts a and b (forecaster, row) on `question` are not compared."""
        (_, i), (_, j) = a, b
        lacking = [who for who, row in (a, b) if self.window_only[row]]
        quantiles = [who for who, row in (a, b) if self.quantile_only[row]]
        return _reason(
            question,
            {self.excluded[i], self.excluded[j]} - {""},
            self.deadline[i],
            self.unscorable,
            (lacking, quantiles),
        )


def _reason(
    question: str,
    reasons: set[str],
    deadline: str,
    unscorable: Mapping[str, str],
    without_p: tuple[Sequence[str], Sequence[str]],
) -> str:
    """The reason in words, from why each forecast is excluded (`reasons`).

    `without_p` names who has a window without p, and who quantiles alone.
    """
    if question in unscorable:
        why = " ".join(unscorable[question].split())
        sentence = why.split(". ")[0].rstrip(".")
        return f"never scored: {sentence[:1].lower()}{sentence[1:]}"
    window_only, quantile_only = without_p
    lacking = (
        f"; window without p, timing error only: {', '.join(window_only)}"
        if window_only
        else ""
    )
    if quantile_only:
        lacking += (
            f"; quantiles without p, compared by quantile score: "
            f"{', '.join(quantile_only)}"
        )
    if "void" in reasons:
        return "void: not scored"
    if "open" in reasons:
        return f"not resolved yet (deadline {deadline}){lacking}"
    if "due" in reasons:
        return f"due since {deadline}, no outcome recorded yet{lacking}"
    if "undetermined" in reasons:
        return (
            "the event did not happen by the deadline, and a quantile lies past it: "
            "scored once the event happens"
            if quantile_only
            else "the outcome falls inside one forecast's window under some readings "
            "only"
        )
    return lacking[2:] or "not scored"


def _days(standing: pd.DataFrame, column: str) -> list[float]:
    """Days since 1970-01-01 of a datetime column, as Python floats."""
    epoch, day = np.datetime64("1970-01-01"), np.timedelta64(1, "D")
    days: list[float] = ((standing[column] - epoch) / day).to_numpy().tolist()
    return days


def unscored_shared(
    frame: pd.DataFrame,
    pairs: Sequence[tuple[str, str]] | None = None,
    unscorable: Mapping[str, str] | None = None,
) -> Listed:
    """Each question two forecasters both stand on but that is not scored for them.

    One record per pair and question: `status` (open, due, resolved, void or
    unscorable), `reason` (why it is not compared, in words) and `gap_days`
    [least, most] between the two forecasts.
    """
    standing = frame[frame["standing"].to_numpy()]
    forecaster = standing["forecaster"].astype(str).to_numpy().tolist()
    rows = _Rows.of(
        standing, standing["excluded"].astype(str).to_numpy().tolist(), unscorable or {}
    )
    index: dict[str, dict[str, int]] = {}
    for row, (who, question) in enumerate(
        zip(forecaster, standing["question"].tolist(), strict=True)
    ):
        index.setdefault(who, {})[question] = row
    if pairs is None:
        pairs = every_pair(sorted(index))
    # As Python floats: the gap of one pair of forecasts is `pairs.gap` on scalars.
    made, latest = _days(standing, "made"), _days(standing, "made_latest")
    excluded, found = rows.excluded, []
    for a, b in pairs:
        mine, theirs = index.get(a, {}), index.get(b, {})
        for question in sorted(mine.keys() & theirs.keys()):
            i, j = mine[question], theirs[question]
            if excluded[i] == "" and excluded[j] == "":
                continue
            least = max(made[i] - latest[j], made[j] - latest[i], 0.0)
            most = max(latest[i] - made[j], latest[j] - made[i])
            found.append(
                {
                    "a": a,
                    "b": b,
                    "question": question,
                    "status": rows.status_of(question, i),
                    "reason": rows.reason(question, (a, i), (b, j)),
                    "gap_days": [int(least), int(most)],
                }
            )
    return found


def summary_of(listed: Listed) -> tuple[int, Listed]:
    """`unscored_summary`'s result from the whole list `unscored_shared` gave."""
    return len(listed), listed if len(listed) <= DETAIL_ROWS else summarise(listed)


def summarise(unscored: Listed) -> Listed:
    """One row per question of `unscored_shared`: its first pair's status and reason."""
    by_question: dict[str, dict[str, Any]] = {}
    for u in unscored:
        entry = by_question.setdefault(
            u["question"],
            {
                "question": u["question"],
                "status": u["status"],
                "who": set(),
                "pairs": 0,
                "reason": u["reason"],
            },
        )
        entry["who"] |= {u["a"], u["b"]}
        entry["pairs"] += 1
    return [
        {
            "question": q,
            "status": e["status"],
            "forecasters": len(e["who"]),
            "pairs": e["pairs"],
            "reason": e["reason"],
        }
        for q, e in sorted(by_question.items())
    ]


Member = tuple[int, str, int]
"""(rank in the pair order, forecaster, row) of a forecaster on a question."""


def _first_pair(who: list[Member], excluded: list[str]) -> tuple[Member, Member]:
    """The first pair in pair order of `who` (sorted) that is not compared.

    The first of them with the next one when the first is not scored, else
    with the first one that is not scored.
    """
    first, rest = who[0], who[1:]
    if excluded[first[2]] != "":
        return first, rest[0]
    return first, next(m for m in rest if excluded[m[2]] != "")


def unscored_summary(
    frame: pd.DataFrame,
    pairs: Sequence[tuple[str, str]] | None = None,
    unscorable: Mapping[str, str] | None = None,
) -> tuple[int, Listed]:
    """What the text table shows of `unscored_shared`: (how many pair-questions, rows).

    Up to DETAIL_ROWS pair-questions, the rows are `unscored_shared` itself;
    beyond, one row per question, as `summarise` makes from it.

    When the pairs are every pair of some list of forecasters, in its order
    (no `--pairs`, `--pairs all`, or a list), the summary is counted per
    question instead of listing every pair: a big contest has close to a
    million pair-questions. On a question stood on by n of them, k of those
    scored, the pairs not compared are all but the k(k-1)/2 scored ones;
    every one of the n is in one; and the first in pair order, whose status
    and reason the row shows, is the first of the n in the list with the next
    one (when the first is not scored) or with the first one not scored.
    """
    unscorable = unscorable or {}
    standing = frame[frame["standing"].to_numpy()]
    forecaster = standing["forecaster"].astype(str).to_numpy().tolist()
    if pairs is None:
        order = sorted(set(forecaster))
    else:
        order = list(dict.fromkeys(name for pair in pairs for name in pair))
        if list(pairs) != every_pair(order):  # some other set of pairs
            return summary_of(unscored_shared(frame, pairs, unscorable))
    rank = {name: i for i, name in enumerate(order)}
    excluded = standing["excluded"].astype(str).to_numpy().tolist()
    members: dict[str, list[Member]] = {}
    for row, question in enumerate(standing["question"].tolist()):
        who = forecaster[row]
        if who in rank:
            members.setdefault(question, []).append((rank[who], who, row))
    total = 0
    first: dict[str, tuple[Member, Member, int]] = {}
    for question, who in members.items():
        scored = sum(1 for _, _, row in who if excluded[row] == "")
        count = len(who) * (len(who) - 1) // 2 - scored * (scored - 1) // 2
        if count:
            total += count
            who.sort()
            first[question] = (*_first_pair(who, excluded), count)
    if total <= DETAIL_ROWS:
        return total, unscored_shared(frame, pairs, unscorable)
    rows = _Rows.of(standing, excluded, unscorable)
    return total, [
        {
            "question": question,
            "status": rows.status_of(question, a[2]),
            "forecasters": len(members[question]),
            "pairs": count,
            "reason": rows.reason(question, a[1:], b[1:]),
        }
        for question, (a, b, count) in sorted(first.items())
    ]
