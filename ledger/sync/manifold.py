"""Manifold: a binary market's resolution, or its current probability.

`GET /v0/slug/{slug}` (a `market` with a hyphen) or `GET /v0/market/{id}`
(one without) on api.manifold.markets returns a LiteMarket (Manifold's API
docs, docs/docs/api.md): `isResolved`, `resolution` (YES, NO, MKT or CANCEL),
`resolutionProbability` (for MKT), `resolutionTime` and `probability`, times in
milliseconds since the epoch. YES → yes, NO → no, MKT → the fraction, CANCEL →
void; `known` is the UTC day of `resolutionTime`.
"""

from __future__ import annotations

import urllib.parse
from typing import TYPE_CHECKING

from ledger.sync.http import base_url
from ledger.sync.reading import (
    Reading,
    SourceError,
    day,
    fraction_result,
    from_millis,
    mapping,
    parse_json,
    probability,
)

if TYPE_CHECKING:
    import datetime as dt

    from ledger.core.model import Question, Resolver
    from ledger.sync.http import Client

_RESULTS = {"YES": "yes", "NO": "no", "CANCEL": "void"}


def api_url(market: str) -> str:
    """The API URL of a market: by slug if it has a hyphen, else by id."""
    quoted = urllib.parse.quote(market, safe="")
    kind = "slug" if "-" in market else "market"
    return f"{base_url('manifold')}/v0/{kind}/{quoted}"


def read(
    client: Client, resolver: Resolver, question: Question, today: dt.date
) -> Reading:
    """What Manifold says about `resolver.market`."""
    url = api_url(str(resolver.market))
    market = mapping(
        parse_json(client.get("manifold", url).body, "Manifold"), "the answer"
    )
    page = market.get("url")
    evidence = (page, url) if isinstance(page, str) and page else (url,)
    kind = market.get("outcomeType")
    if kind != "BINARY":
        raise SourceError(
            f"the market is {kind!r}, not BINARY; ledger reads binary markets"
        )
    if market.get("isResolved") is not True:
        raw = {
            "isResolved": market.get("isResolved"),
            "probability": market.get("probability"),
        }
        price = market.get("probability")
        p = probability(price, "probability") if price is not None else None
        return Reading(
            "pending",
            price=p,
            evidence=evidence,
            raw=raw,
            reason="the market has not resolved",
        )
    resolution = market.get("resolution")
    raw = {
        "isResolved": True,
        "resolution": resolution,
        "resolutionTime": market.get("resolutionTime"),
    }
    if resolution == "MKT":
        raw["resolutionProbability"] = market.get("resolutionProbability")
        result = fraction_result(
            probability(market.get("resolutionProbability"), "resolutionProbability")
        )
    elif resolution in _RESULTS:
        result = _RESULTS[str(resolution)]
    else:
        raise SourceError(f"unknown resolution {resolution!r}")
    known = day(from_millis(market.get("resolutionTime"), "resolutionTime"))
    return Reading("resolved", result=result, known=known, evidence=evidence, raw=raw)
