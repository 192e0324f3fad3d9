"""Kalshi: a market's final result, or its last price.

`GET /trade-api/v2/markets/{ticker}` returns `{"market": {...}}` (Kalshi's
trade API v2 reference) with `status` (initialized, active, closed,
determined, disputed, amended, finalized), `result` (yes, no, or void for a
voided market), `close_time` and the last traded price (`last_price_dollars`,
or `last_price` in cents). Only a finalized market gives a result; a later
amendment shows up as a new finalized result, which sync appends as a new
entry. `known` is the UTC day of `close_time`.
"""

from __future__ import annotations

import urllib.parse
from typing import TYPE_CHECKING, Any

from ledger.sync.http import base_url
from ledger.sync.reading import (
    Reading,
    SourceError,
    iso_day,
    mapping,
    parse_json,
    probability,
)

if TYPE_CHECKING:
    import datetime as dt

    from ledger.core.model import Question, Resolver
    from ledger.sync.http import Client

FINAL = ("finalized", "settled")
_RESULTS = {"yes": "yes", "no": "no", "void": "void"}


def api_url(ticker: str) -> str:
    """The API URL of a market ticker."""
    quoted = urllib.parse.quote(ticker, safe="")
    return f"{base_url('kalshi')}/trade-api/v2/markets/{quoted}"


def _price(market: dict[str, Any]) -> float | None:
    """The last traded price of yes, as a probability (None if never traded)."""
    dollars = market.get("last_price_dollars")
    if dollars not in (None, ""):
        return probability(dollars, "last_price_dollars")
    cents = market.get("last_price")
    if cents is None:
        return None
    if not isinstance(cents, int | float) or isinstance(cents, bool):
        raise SourceError(f"'last_price' is not a number: {cents!r}")
    return probability(cents / 100, "last_price")


def read(
    client: Client, resolver: Resolver, question: Question, today: dt.date
) -> Reading:
    """What Kalshi says about the market `resolver.market`."""
    ticker = str(resolver.market)
    url = api_url(ticker)
    answer = mapping(parse_json(client.get("kalshi", url).body, "Kalshi"), "the answer")
    market = mapping(answer.get("market"), "'market'")
    evidence = (f"https://kalshi.com/markets/{ticker.lower()}", url)
    status = market.get("status")
    if status not in FINAL:
        price = _price(market)
        raw = {"status": status, "last_price_dollars": market.get("last_price_dollars")}
        return Reading(
            "pending",
            price=price,
            evidence=evidence,
            raw=raw,
            reason=f"the market is {status}, not finalized",
        )
    result = market.get("result")
    raw = {"status": status, "result": result, "close_time": market.get("close_time")}
    if result not in _RESULTS:
        raise SourceError(
            f"the market is {status} with result {result!r}, not yes, no or void"
        )
    known = iso_day(market.get("close_time"), "close_time")
    return Reading(
        "resolved",
        result=_RESULTS[str(result)],
        known=known,
        evidence=evidence,
        raw=raw,
    )
