"""Readings: what a source says about one question, in the ledger's own terms.

Each source module turns a platform's response into a `Reading`: resolved
(with the result as a ledger result, the `known` date, the evidence URLs and
the raw fields it used), pending (with the current price, when the source is
a market), hidden (the source withholds its result) or an error (with the
reason). The helpers here read the platforms' timestamps into ledger dates,
always as UTC days.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from dataclasses import dataclass, field
from typing import Any, Literal

from ledger.core.dates import When

State = Literal["resolved", "pending", "hidden", "error"]


class SourceError(ValueError):
    """A response that cannot be read: malformed, or not in the expected shape."""


@dataclass(frozen=True, slots=True)
class Reading:
    """What a source says about one question.

    Attributes:
        state: resolved, pending, hidden or error.
        result: The ledger result text (yes, no, 0.37, void, a date, a number).
        known: When the result became knowable, as a ledger date.
        price: The market's current probability of yes, for the crowd.
        evidence: The page a person reads, then the API URL that was asked.
        raw: The response's fields the reading used, as shown and recorded.
        reason: Why it is pending, hidden or an error.
    """

    state: State
    result: str | None = None
    known: When | None = None
    price: float | None = None
    evidence: tuple[str, ...] = ()
    raw: dict[str, Any] = field(default_factory=dict)
    reason: str = ""


def failed(reason: str, evidence: tuple[str, ...] = ()) -> Reading:
    """An error reading."""
    return Reading("error", evidence=evidence, reason=reason)


def parse_json(body: bytes, what: str) -> Any:
    """The JSON document in `body`; SourceError if it is not JSON."""
    try:
        return json.loads(body.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise SourceError(f"{what} did not answer with JSON") from None


def mapping(data: Any, what: str) -> dict[str, Any]:
    """`data` if it is a JSON object; SourceError otherwise."""
    if not isinstance(data, dict):
        raise SourceError(f"{what} is not a JSON object")
    return data


def from_millis(value: Any, what: str) -> dt.date:
    """The UTC day of a timestamp in milliseconds since the epoch (Manifold)."""
    return from_seconds(value, what, per_second=1000)


def from_seconds(value: Any, what: str, per_second: int = 1) -> dt.date:
    """The UTC day of a timestamp in seconds (or `per_second`ths) since the epoch.

    A message shows the value as the source gave it.
    """
    if not _number(value):
        raise SourceError(f"'{what}' is not a timestamp: {value!r}")
    try:
        return dt.datetime.fromtimestamp(value / per_second, dt.UTC).date()
    except (OverflowError, OSError, ValueError):
        raise SourceError(f"'{what}' is out of range: {value!r}") from None


def from_iso(value: Any, what: str) -> dt.date:
    """The UTC day of an ISO 8601 time (`2024-10-16T12:56:51.75Z`) or date."""
    if not isinstance(value, str):
        raise SourceError(f"'{what}' is not a date or time: {value!r}")
    text = value.strip()
    try:
        if len(text) == 10:
            return dt.date.fromisoformat(text)
        moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise SourceError(f"'{what}' is not a date or time: {value!r}") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC).date()


def iso_day(value: Any, what: str) -> When:
    """The UTC day of an ISO 8601 time, as an exact ledger date."""
    return When.day(from_iso(value, what))


def probability(value: Any, what: str) -> float:
    """A probability in [0, 1], given as a number or a numeric string."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise SourceError(f"'{what}' is not a probability: {value!r}") from None
    if not 0.0 <= number <= 1.0 or math.isnan(number):
        raise SourceError(f"'{what}' is not a probability in [0, 1]: {value!r}")
    return number


def fraction_result(p: float) -> str:
    """A resolved probability as a result: yes at 1, no at 0, else the fraction."""
    if p >= 1.0:
        return "yes"
    if p <= 0.0:
        return "no"
    return price_text(p)


def price_text(p: float) -> str:
    """A price as ledger text: at most four decimals, no trailing zeros.

    >>> price_text(0.8958175225896258), price_text(0.5), price_text(0.12)
    ('0.8958', '0.5', '0.12')
    """
    text = f"{round(p, 4):.4f}".rstrip("0").rstrip(".")
    return text or "0"


def day(value: dt.date) -> When:
    """An exact day as a ledger date."""
    return When.day(value)


def between(first: dt.date, last: dt.date) -> When:
    """The range first..last (one day when they are equal)."""
    if last <= first:
        return When.day(first)
    return When(first, last, f"{first.isoformat()}..{last.isoformat()}")


def _number(value: Any) -> bool:
    return (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and (math.isfinite(value))
    )
