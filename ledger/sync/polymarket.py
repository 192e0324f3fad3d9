"""Polymarket: a settled market's price of Yes, or its current price.

`GET /markets/slug/{slug}` on the gamma API returns a market with `closed`,
`umaResolutionStatus`, `outcomes` and `outcomePrices` (JSON-encoded lists of
strings: `'["Yes", "No"]'`, `'["1", "0"]'`), `closedTime` and `endDate`
(Polymarket's gamma docs). A closed market whose UMA resolution is settled
(`resolved`) gives the price of Yes: 1 → yes, 0 → no, anything else (a 50/50)
→ the fraction. `known` is the UTC day of the closing time (`closedTime`,
else `endDate`).
"""

from __future__ import annotations

import json
import urllib.parse
from typing import TYPE_CHECKING, Any

from ledger.sync.http import base_url
from ledger.sync.reading import (
    Reading,
    SourceError,
    fraction_result,
    iso_day,
    mapping,
    parse_json,
    probability,
)

if TYPE_CHECKING:
    import datetime as dt

    from ledger.core.model import Question, Resolver
    from ledger.sync.http import Client


def api_url(slug: str) -> str:
    """The gamma API URL of a market slug."""
    return f"{base_url('polymarket')}/markets/slug/{urllib.parse.quote(slug, safe='')}"


def _listed(market: dict[str, Any], name: str) -> list[Any]:
    """`outcomes` or `outcomePrices`: a list, or a JSON-encoded one."""
    value = market.get(name)
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            raise SourceError(f"'{name}' is not a JSON list: {value!r}") from None
    if not isinstance(value, list):
        raise SourceError(f"'{name}' is not a list: {value!r}")
    return value


def yes_price(market: dict[str, Any]) -> float:
    """The price of the outcome Yes."""
    outcomes = [str(o).lower() for o in _listed(market, "outcomes")]
    prices = _listed(market, "outcomePrices")
    if "yes" not in outcomes or len(prices) != len(outcomes):
        raise SourceError(f"not a Yes/No market: outcomes {market.get('outcomes')!r}")
    return probability(prices[outcomes.index("yes")], "outcomePrices")


def read(
    client: Client, resolver: Resolver, question: Question, today: dt.date
) -> Reading:
    """What Polymarket says about the market `resolver.market`."""
    slug = str(resolver.market)
    url = api_url(slug)
    market = mapping(
        parse_json(client.get("polymarket", url).body, "Polymarket"), "the answer"
    )
    evidence = (f"https://polymarket.com/market/{urllib.parse.quote(slug)}", url)
    settled = (
        market.get("closed") is True and market.get("umaResolutionStatus") == "resolved"
    )
    raw: dict[str, Any] = {
        "closed": market.get("closed"),
        "umaResolutionStatus": market.get("umaResolutionStatus"),
        "outcomes": market.get("outcomes"),
        "outcomePrices": market.get("outcomePrices"),
    }
    if not settled:
        price = None if market.get("closed") is True else yes_price(market)
        return Reading(
            "pending",
            price=price,
            evidence=evidence,
            raw=raw,
            reason="the market is not closed and settled",
        )
    closing = market.get("closedTime") or market.get("endDate")
    raw["closedTime" if market.get("closedTime") else "endDate"] = closing
    known = iso_day(closing, "closedTime")
    return Reading(
        "resolved",
        result=fraction_result(yes_price(market)),
        known=known,
        evidence=evidence,
        raw=raw,
    )
