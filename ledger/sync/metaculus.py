"""Metaculus: a question's resolution, or its community prediction.

`GET /api/posts/{id}/` (with `Authorization: Token ...`) returns a post whose
`question` has `status`, `resolution`, `actual_resolve_time`, close times and
`aggregations` (Metaculus's OpenAPI file, docs/openapi.yml). A binary
question resolves yes, no, ambiguous or annulled (→ void); a numeric one to a
number, a date one to a date. `known` is the UTC day of `actual_resolve_time`.

The API withholds the resolution of a question the token's account has not
forecast on: a question whose status is resolved but whose `resolution` is
missing is reported as hidden, never as pending or no. The crowd price is the
community prediction (the default aggregation's median, `centers[0]`) that
stood at the question's close time once it has closed, not `latest`, which
can postdate the resolution; while it is open, the latest.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import TYPE_CHECKING, Any

from ledger.sync.http import base_url
from ledger.sync.reading import (
    Reading,
    SourceError,
    from_iso,
    iso_day,
    mapping,
    parse_json,
    probability,
)

if TYPE_CHECKING:
    from ledger.core.model import Question, Resolver
    from ledger.sync.http import Client

_CLOSED = {"ambiguous": "ambiguous", "annulled": "void"}
_BINARY = {"yes": "yes", "no": "no"}


def api_url(post: str) -> str:
    """The API URL of a post."""
    return f"{base_url('metaculus')}/api/posts/{int(post)}/"


def read(
    client: Client, resolver: Resolver, question: Question, today: dt.date
) -> Reading:
    """What Metaculus says about the post `resolver.market`."""
    post_id = str(resolver.market)
    if not post_id.isdigit():
        raise SourceError(
            f"a Metaculus market is a post id (a number), not {post_id!r}"
        )
    url = api_url(post_id)
    post = mapping(
        parse_json(client.get("metaculus", url).body, "Metaculus"), "the answer"
    )
    evidence = (f"https://www.metaculus.com/questions/{int(post_id)}/", url)
    if post.get("question") is None:
        raise SourceError(
            "the post is a group, a conditional or a notebook, not one question"
        )
    found = mapping(post["question"], "'question'")
    status = found.get("status") or post.get("status")
    resolution = found.get("resolution")
    raw = {
        "type": found.get("type"),
        "status": status,
        "resolution": resolution,
        "actual_resolve_time": found.get("actual_resolve_time"),
    }
    if resolution in (None, ""):
        if status == "resolved" or post.get("resolved") is True:
            return Reading(
                "hidden",
                evidence=evidence,
                raw=raw,
                reason=(
                    "Metaculus withholds this resolution from accounts that have not "
                    "forecast on the question"
                ),
            )
        price = community(found)
        return Reading(
            "pending",
            price=price,
            evidence=evidence,
            raw=raw,
            reason=f"the question is {status}",
        )
    result = _result(str(resolution), found.get("type"), question.kind)
    known = iso_day(found.get("actual_resolve_time"), "actual_resolve_time")
    return Reading("resolved", result=result, known=known, evidence=evidence, raw=raw)


def _result(resolution: str, kind: Any, ours: str) -> str:
    """A Metaculus resolution as a ledger result for a question of kind `ours`."""
    word = resolution.strip().lower()
    if word in _CLOSED:
        return _CLOSED[word]
    if kind != ours:
        raise SourceError(f"a {kind} question cannot settle a {ours} question")
    if kind == "binary":
        if word not in _BINARY:
            raise SourceError(f"unknown binary resolution {resolution!r}")
        return _BINARY[word]
    if kind == "date":
        return from_iso(resolution, "resolution").isoformat()
    try:
        number = float(resolution)
    except ValueError:
        raise SourceError(
            f"resolution {resolution!r} is not a number (out of bounds?); record "
            "it by hand"
        ) from None
    if not math.isfinite(number):
        raise SourceError(f"resolution {resolution!r} is not a finite number")
    return repr(number) if number != int(number) else str(int(number))


def community(found: dict[str, Any]) -> float | None:
    """The binary community prediction: at the close time once closed, else latest."""
    if found.get("type") != "binary":
        return None
    method = found.get("default_aggregation_method") or "recency_weighted"
    series = (found.get("aggregations") or {}).get(method) or {}
    if not isinstance(series, dict):
        return None
    closed = found.get("actual_close_time") or (
        found.get("scheduled_close_time") if found.get("status") != "open" else None
    )
    if closed is None:
        return _center(series.get("latest"))
    try:
        moment = dt.datetime.fromisoformat(str(closed).replace("Z", "+00:00"))
    except ValueError:
        raise SourceError(f"the close time is not a time: {closed!r}") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    at = moment.timestamp()
    for entry in series.get("history") or []:
        start, end = entry.get("start_time"), entry.get("end_time")
        if (
            isinstance(start, int | float)
            and start <= at
            and (end is None or (isinstance(end, int | float) and at < end))
        ):
            return _center(entry)
    return None


def _center(entry: Any) -> float | None:
    if not isinstance(entry, dict):
        return None
    centers = entry.get("centers")
    if not isinstance(centers, list) or not centers:
        return None
    return probability(centers[0], "centers")
