"""Whose judgement: how much each forecaster's score rests on the keeper's conventions.

A probability is stated by the forecaster, mapped from their words with a
verbal table, or judged by the keeper. For the scored forecasts of a page,
each forecaster's mean Brier is split by basis, with each basis's share
(`ledger.score.sensitivity.basis_split`), and a sensitivity line gives the
mean Brier if the keeper's judged probabilities were 70%, 85% or 95% instead
and if mapped words were read with each shipped table
(`ledger.score.sensitivity.sensitivity`). Where every scored forecast of a
forecaster is judged, the page says the figure measures the keeper's reading
of the speaker. The probabilities still waiting for an outcome are split by
basis the same way, so the share is visible before anything is scored.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ledger.core.text import plural, share
from ledger.report.book import records
from ledger.report.cards import num
from ledger.score.sensitivity import BASES, basis_split, scenarios, sensitivity

if TYPE_CHECKING:
    import pandas as pd

    from ledger.report.book import Book

KEEPER = (
    "every scored forecast of {name} is judged by the keeper: the figure measures "
    "the keeper's reading of the speaker, not a probability the speaker gave"
)
KEEPER_WAITING = (
    "every probability still waiting for an outcome of {names} is judged by the "
    "keeper: once scored, {whose} will measure the keeper's reading of the "
    "speaker, not a probability the speaker gave"
)


def _label(kind: str, setting: str) -> str:
    """A scenario's column heading: 'judged 70%', 'mapped with icd-203'."""
    if kind == "judged":
        return f"judged {round(100 * float(setting))}%"
    return f"mapped with {setting}"


def _bases(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A forecaster's rows of `basis_split`, formatted, in BASES order."""
    return [
        {
            "basis": r["basis"],
            "n": int(r["n"]),
            "share": share(r["share"]),
            "brier": num(r["brier"]),
        }
        for r in rows
    ]


def _scenario_cells(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A forecaster's scenarios (not 'as recorded'), with what each changes."""
    return [
        {
            "label": _label(r["kind"], r["setting"]),
            "kind": r["kind"],
            "brier": num(r["brier"]),
            "changed": int(r["n_changed"]),
            "kept": int(r["n_kept"]),
        }
        for r in rows
        if r["kind"] != "recorded"
    ]


def _line(bases: list[dict[str, Any]], cells: list[dict[str, Any]]) -> str:
    """The sensitivity line of one forecaster, in words."""
    has = {b["basis"]: b["n"] for b in bases}
    parts = []
    if has.get("judged"):
        judged = [c for c in cells if c["kind"] == "judged"]
        parts.append(
            "with the keeper's judged probabilities read as "
            + ", ".join(
                f"{c['label'].removeprefix('judged ')}: {c['brier']}" for c in judged
            )
        )
    if has.get("mapped"):
        mapped = [c for c in cells if c["kind"] == "mapped"]
        parts.append(
            "with the mapped words read "
            + ", ".join(
                f"{c['label'].removeprefix('mapped ')}: {c['brier']}"
                + (f" ({c['kept']} kept as recorded)" if c["kept"] else "")
                for c in mapped
            )
        )
    if not parts:
        return (
            "every scored probability is stated by the forecaster, so the score "
            "does not rest on the keeper's conventions"
        )
    return "; ".join(parts)


def _waiting(frame: pd.DataFrame) -> dict[str, dict[str, int]]:
    """Standing probabilities still waiting for an outcome: counts by basis."""
    waits = frame["standing"] & frame["excluded"].isin(["open", "due"])
    rows = frame.loc[(waits & frame["p"].notna()).to_numpy(), ["forecaster", "basis"]]
    found: dict[str, dict[str, int]] = {}
    for forecaster, basis in zip(
        rows["forecaster"].astype(str).tolist(),
        rows["basis"].astype(str).tolist(),
        strict=True,
    ):
        counts = found.setdefault(forecaster, dict.fromkeys(BASES, 0))
        counts[basis] += 1
    return found


def _waiting_cells(counts: dict[str, int]) -> dict[str, Any]:
    total = sum(counts.values())
    return {
        "n": total,
        "bases": [
            {"basis": b, "n": counts[b], "share": share(counts[b] / total)}
            for b in BASES
        ],
        "keeper": counts["judged"] == total,
    }


def _keepers_waiting(rows: list[dict[str, Any]]) -> str | None:
    """The sentence naming those whose every waiting probability is judged."""
    names = [r["name"] for r in rows if r["waiting"] and r["waiting"]["keeper"]]
    if not names:
        return None
    listed = names[-1]
    if len(names) > 1:
        listed = f"{', '.join(names[:-1])} and {listed}"
    whose = "the figure" if len(names) == 1 else "each one's figure"
    return KEEPER_WAITING.format(names=listed, whose=whose)


Computed = tuple[dict[str, dict[str, list[dict[str, Any]]]], dict[str, dict[str, int]]]
"""Per forecaster: their `basis_split` and `sensitivity` rows; their waiting counts."""


def computed(
    frame: pd.DataFrame, scored: pd.Series[bool], scope: pd.Series[bool]
) -> Computed:
    """The basis split and scenarios of the rows in `scored`, the waiting in `scope`.

    Each forecaster's numbers are their own rows' alone, so one computation
    serves every forecaster's page.
    """
    chosen = frame[scored]
    by_forecaster: dict[str, dict[str, list[dict[str, Any]]]] = {}
    for r in records(basis_split(chosen)):
        by_forecaster.setdefault(str(r["forecaster"]), {"split": [], "scenarios": []})
        by_forecaster[str(r["forecaster"])]["split"].append(r)
    for r in records(sensitivity(chosen)):
        by_forecaster[str(r["forecaster"])]["scenarios"].append(r)
    return by_forecaster, _waiting(frame[scope])


def judgement(
    book: Book,
    frame: pd.DataFrame,
    scored: pd.Series[bool],
    scope: pd.Series[bool],
    only: str | None = None,
    *,
    shared: bool = False,
) -> dict[str, Any]:
    """Each forecaster's basis split and sensitivity on the rows in `scored`.

    And the basis split of the probabilities in `scope` still waiting for an
    outcome. Forecasters by name (or `only` that one); Brier 0-1, lower is
    better. With `only` or `shared` (the rows are every settled one and the
    scope every standing one, as of the as-of date), the numbers are
    computed once (`Book.memo`) for the comparison and every forecaster's page.
    """
    if only is None and not shared:
        by_forecaster, waiting = computed(frame, scored, scope)
    else:
        by_forecaster, waiting = book.memo(
            "judgement", book.as_of, lambda: computed(frame, scored, scope)
        )
    rows = []
    ids = [*by_forecaster, *waiting] if only is None else [only]
    for forecaster in book.forecaster_order(ids):
        name = book.name(forecaster)
        row: dict[str, Any] = {"forecaster": forecaster, "name": name, "scored": None}
        if forecaster in by_forecaster:
            mine = by_forecaster[forecaster]
            bases = _bases(mine["split"])
            cells = _scenario_cells(mine["scenarios"])
            recorded = mine["scenarios"][0]
            judged = next(b for b in bases if b["basis"] == "judged")
            row["scored"] = {
                "n": int(recorded["n"]),
                "brier": num(recorded["brier"]),
                "bases": bases,
                "scenarios": cells,
                "line": _line(bases, cells),
                "keeper": KEEPER.format(name=name)
                if judged["n"] == int(recorded["n"])
                else None,
            }
        row["waiting"] = (
            _waiting_cells(waiting[forecaster]) if forecaster in waiting else None
        )
        rows.append(row)
    return {
        "rows": rows,
        "any_scored": any(r["scored"] for r in rows),
        "keepers_waiting": _keepers_waiting(rows),
        "labels": [_label(kind, setting) for _, kind, setting in scenarios()[1:]],
        "bases": list(BASES),
        "scored_text": plural(sum(r["scored"]["n"] for r in rows if r["scored"]),
                              "scored forecast"),
    }
