"""Classify: one sentence or clause → a candidate, a sentence passed over, or nothing.

A piece is forecast-like when it has a strong cue (a stated number, hedge
words, a horizon, future tense, a possibility modal, an order of events) or a
weak one (a trend, a limit, a risk, words like "timeline"). It is passed over,
with the reason, when it plainly is not a forecast: the past tense with nothing
about the future, a question with no claim, an intention, a date in the past,
"future" used only to describe a noun. Otherwise it is a candidate, with
confidence `low` for each reason to doubt the reading (negation, a condition,
a question, reported speech, the past tense, an indirect question, a vague or
half-read horizon, a weak cue alone, a bare possibility, a negated hedge) and
`high` when there is none. A negation never inverts anything: the keeper
reads it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ledger.extract import claims, windows
from ledger.extract.cues import TIMELINE_LABEL, Cues
from ledger.extract.horizons import Horizon, horizons
from ledger.extract.model import Candidate, PassedOver, Probability, Where
from ledger.extract.probability import probability

if TYPE_CHECKING:
    from ledger.core.dates import When
    from ledger.core.model import Kind
    from ledger.extract.model import Options


def classify(
    text: str, where: Where, options: Options, fragment: bool = False
) -> Candidate | PassedOver | None:
    """What `text` (a verbatim sentence or clause) holds.

    Args:
        text: the sentence or clause, as written.
        where: where it stands in the input.
        options: the made date, the table, the conventions.
        fragment: a heading or lead-in, read only when a strong cue is in it.
    """
    cues = Cues.of(text)
    found = probability(text, options.table)
    times = horizons(text, options.conventions)
    full = next((h for h in times if not h.partial), None)
    partial = next((h for h in times if h.partial), None)
    ordered = claims.order(text)
    label = text.partition(":")[0] if ":" in text[:40] else ""
    words = found is not None and not found.modal
    strong = (
        words or full is not None or cues.future or cues.modal or ordered is not None
    )
    weak = bool(cues.weak) or partial is not None or bool(TIMELINE_LABEL.search(label))
    if not strong and (fragment or not weak):
        return None
    past_date = full is not None and _in_past(full, options.made)
    reason = _passed_over(cues, strong, words, full, past_date)
    if reason is not None:
        return PassedOver(text, where, reason)
    reasons = _doubts(cues, found, full, partial, strong)
    if past_date:
        reasons.append("the date it names is before the made date")
    quantity = claims.quantity(text) if cues.future or full is not None else None
    kind: Kind = "binary"
    if ordered is not None:
        if ordered.before is None or ordered.after is None:
            reasons.append("an order of two events, one of which is not named")
    elif quantity is not None:
        kind = "numeric"
    elif full is not None and not full.by and not full.never:
        kind = "date"
    reading = Reading(found, None if ordered else full, ordered, quantity, strong)
    return _candidate(text, where, options.made, kind, reading, reasons)


def _passed_over(
    cues: Cues, strong: bool, words: bool, horizon: Horizon | None, past_date: bool
) -> str | None:
    """Why a forecast-like piece is not a forecast at all, if it plainly is not."""
    future = cues.future or (horizon is not None and not past_date)
    if cues.past and not cues.present and not future and not words:
        return "past tense: it tells what happened"
    if past_date and not cues.future:
        return "the date it names is in the past"
    if cues.question and not words:
        return "a question, not a claim"
    if cues.intention and not (future or words):
        return "an intention or wish, not a forecast"
    if not strong and cues.weak == ("forecast words",) and cues.attributive_future:
        return "no horizon, hedge or future tense: 'future' only describes a noun"
    return None


def _doubts(
    cues: Cues,
    found: Probability | None,
    full: Horizon | None,
    partial: Horizon | None,
    strong: bool,
) -> list[str]:
    """Each reason to read the claim with care (confidence `low`)."""
    reasons = []
    checks = (
        (cues.negation, "negated: check which way the claim goes"),
        (cues.conditional, "conditional: it holds only if something else does"),
        (cues.question, "a question"),
        (cues.past and not cues.future, "past tense"),
        (cues.reported, "reported speech: someone's belief or words, as told"),
        (cues.indirect, "an indirect question ('what ... will')"),
        (cues.intention, "an intention or plan: the speaker's own doing"),
        (found is not None and found.negated,
         "a negated hedge: p is not inverted; read it"),
    )
    reasons += [reason for present, reason in checks if present]
    if full is not None and full.vague:
        reasons.append(f"a vague horizon, read by convention: '{full.text}'")
    if full is None and partial is not None:
        reasons.append(f"a time expression only half read: '{partial.text}'")
    if not strong:
        reasons.append(
            "no hedge, horizon or future tense: a claim about how things are or are "
            "heading"
        )
    elif (
        found is not None and found.modal and full is None and not cues.future
    ):
        reasons.append(f"only a possibility ('{found.words}'), with no horizon")
    return reasons


def _in_past(horizon: Horizon, made: When | None) -> bool:
    """Whether the whole window ends before the made date."""
    if made is None:
        return False
    found = windows.dates(horizon, made)
    return found is not None and found[1] is not None and found[1] < made.earliest


@dataclass(frozen=True, slots=True)
class Reading:
    """What the grammar read from a piece: the parts a candidate is made of."""

    probability: Probability | None
    horizon: Horizon | None
    order: claims.Order | None
    quantity: claims.Quantity | None
    strong: bool


def _candidate(
    text: str, where: Where, made: When | None, kind: Kind, reading: Reading,
    reasons: list[str],
) -> Candidate:
    """The candidate, its window in dates and in the ledger's form."""
    horizon, ordered, quantity = reading.horizon, reading.order, reading.quantity
    window = windows.dates(horizon, made) if horizon is not None else None
    return Candidate(
        quote=text,
        where=where,
        kind=kind,
        probability=reading.probability or Probability(),
        horizon=ordered.text if ordered else horizon.text if horizon else None,
        window=window,
        ledger_window=(
            windows.ledger_window(horizon, made)
            if horizon is not None and kind == "date" else None
        ),
        deadline=(
            windows.deadline(horizon, made)
            if horizon is not None and kind != "date" else None
        ),
        confidence="low" if reasons else "high",
        reasons=tuple(reasons),
        rule=horizon.rule if horizon is not None else None,
        order=(ordered.before, ordered.after) if ordered else None,
        values=(quantity.low, quantity.high) if quantity else None,
        unit=quantity.unit if quantity else None,
        strong=reading.strong,
    )
