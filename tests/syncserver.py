"""A local stand-in for the platforms `ledger sync` talks to, and their answers.

`Server` is the standard library's ThreadingHTTPServer on 127.0.0.1, port 0.
Each route (a path with its query) answers with a list of replies, one per
request, the last repeated: `[too_many(7), ok(body)]` is a 429 with
`Retry-After: 7`, then a 200. Every request is logged with its headers.

The answers below are written by hand in each platform's documented shape, not
copied from anywhere: Manifold's LiteMarket (manifoldmarkets/manifold,
docs/docs/api.md), Metaculus's Post and Question (Metaculus/metaculus,
docs/openapi.yml), Polymarket's gamma market, Kalshi's trade API v2 market,
GitHub's releases list and FRED's graph CSV. Ids and slugs are invented.
"""

from __future__ import annotations

import gzip
import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Reply:
    """One answer: status, body, headers; `delay` seconds before it (a slow server)."""

    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    gzipped: bool = False


def ok(data: Any, gzipped: bool = False) -> Reply:
    """200 with `data` as JSON (or as text when it is a str)."""
    body = data.encode() if isinstance(data, str) else json.dumps(data).encode()
    kind = "text/csv" if isinstance(data, str) else "application/json"
    return Reply(200, body, {"Content-Type": kind}, gzipped=gzipped)


def too_many(retry_after: int) -> Reply:
    """429 Too Many Requests with Retry-After (seconds)."""
    return Reply(429, b'{"error": "rate limited"}', {"Retry-After": str(retry_after)})


def slow(seconds: float) -> Reply:
    """A reply that comes after `seconds`: longer than the client waits."""
    return Reply(200, b"{}", delay=seconds)


def broken() -> Reply:
    """200 with a body that is not JSON."""
    return Reply(
        200, b'{"id": "abc", "isResolved": tru', {"Content-Type": "application/json"}
    )


class Server:
    """A local HTTP server answering from `routes`; use as a context manager."""

    def __init__(self) -> None:
        self.routes: dict[str, list[Reply]] = {}
        self.log: list[tuple[str, dict[str, str]]] = []
        self._stop = threading.Event()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                server.log.append((self.path, dict(self.headers.items())))
                replies = server.routes.get(self.path)
                if not replies:
                    reply = Reply(404, b'{"detail": "Not found."}')
                else:
                    reply = replies.pop(0) if len(replies) > 1 else replies[0]
                if reply.delay:
                    server._stop.wait(reply.delay)
                body = (
                    gzip.compress(reply.body, mtime=0) if reply.gzipped else reply.body
                )
                try:
                    self.send_response(reply.status)
                    for name, value in reply.headers.items():
                        self.send_header(name, value)
                    if reply.gzipped:
                        self.send_header("Content-Encoding", "gzip")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (a timeout test)

            def log_message(self, *args: Any) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self._thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> Server:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self.httpd.shutdown()
        self.httpd.server_close()
        self._thread.join(timeout=10)

    def paths(self) -> list[str]:
        return [path for path, _ in self.log]


# -- the platforms' answers ---------------------------------------------------

MS_2027_03_04 = 1_804_161_600_000  # 2027-03-04T12:00:00Z in milliseconds


def manifold_market(
    slug: str = "will-the-widget-ship-in-2027",
    resolution: str | None = None,
    probability: float = 0.62,
    resolution_probability: float | None = None,
    resolution_time: int | None = MS_2027_03_04,
) -> dict[str, Any]:
    """A LiteMarket: open, or resolved YES / NO / MKT / CANCEL."""
    market: dict[str, Any] = {
        "id": "Xq3LfpUa2DMn8sKQ0v1T",
        "creatorId": "a1b2c3d4e5f6g7h8i9j0",
        "creatorUsername": "Keeper",
        "creatorName": "Keeper",
        "createdTime": 1_767_225_600_000,
        "closeTime": 1_830_211_200_000,
        "question": "Will the widget ship in 2027?",
        "url": f"https://manifold.markets/Keeper/{slug}",
        "outcomeType": "BINARY",
        "mechanism": "cpmm-1",
        "probability": probability,
        "pool": {"YES": 523.1, "NO": 310.4},
        "p": 0.5,
        "totalLiquidity": 1000,
        "volume": 8412.5,
        "volume24Hours": 120,
        "isResolved": resolution is not None,
        "uniqueBettorCount": 57,
        "lastUpdatedTime": 1_804_000_000_000,
        "token": "MANA",
    }
    if resolution is not None:
        market["resolution"] = resolution
        market["resolutionTime"] = resolution_time
        if resolution_probability is not None:
            market["resolutionProbability"] = resolution_probability
    return market


def metaculus_post(
    post_id: int = 31337,
    kind: str = "binary",
    status: str = "open",
    resolution: str | None = None,
    resolve_time: str | None = "2027-03-04T16:00:00Z",
    history: list[tuple[float, float | None, float]] | None = None,
    latest: float = 0.41,
    close_time: str = "2027-03-01T00:00:00Z",
) -> dict[str, Any]:
    """A Post with one question; `history` holds (start, end, centre) of the CP."""
    entries = [
        {
            "start_time": start,
            "end_time": end,
            "forecast_values": None,
            "forecaster_count": 40,
            "interval_lower_bounds": [centre - 0.1],
            "centers": [centre],
            "interval_upper_bounds": [centre + 0.1],
            "means": None,
            "histogram": None,
        }
        for start, end, centre in (history or [])
    ]
    question = {
        "id": post_id + 1,
        "title": "Will the widget ship in 2027?",
        "description": "",
        "created_at": "2026-12-01T10:00:00Z",
        "open_time": "2027-01-01T00:00:00Z",
        "scheduled_resolve_time": "2027-03-04T16:00:00Z",
        "actual_resolve_time": resolve_time if resolution is not None else None,
        "resolution_set_time": resolve_time if resolution is not None else None,
        "scheduled_close_time": close_time,
        "actual_close_time": None if status == "open" else close_time,
        "type": kind,
        "options": None,
        "status": status,
        "possibilities": {"type": "binary"},
        "resolution": resolution,
        "resolution_criteria": "Resolution Criteria Copy",
        "fine_print": "",
        "label": None,
        "open_upper_bound": None,
        "open_lower_bound": None,
        "scaling": {"range_max": None, "range_min": None, "zero_point": None},
        "post_id": post_id,
        "aggregations": {
            "recency_weighted": {
                "history": entries,
                "latest": {
                    "start_time": 1_800_000_000.0,
                    "end_time": None,
                    "forecast_values": [1 - latest, latest],
                    "forecaster_count": 41,
                    "interval_lower_bounds": [latest - 0.1],
                    "centers": [latest],
                    "interval_upper_bounds": [latest + 0.1],
                    "means": [latest],
                    "histogram": None,
                },
                "score_data": {},
            },
            "unweighted": {"history": [], "latest": None, "score_data": {}},
        },
    }
    return {
        "id": post_id,
        "title": question["title"],
        "url_title": "",
        "slug": "will-the-widget-ship-in-2027",
        "author_id": 8,
        "author_username": "keeper",
        "projects": {},
        "created_at": "2026-12-01T10:00:00Z",
        "published_at": "2027-01-01T00:00:00Z",
        "edited_at": "2027-01-01T00:00:00Z",
        "curation_status": "approved",
        "comment_count": 3,
        "status": status,
        "resolved": status == "resolved",
        "nr_forecasters": 41,
        "question": question,
        "user_permission": "forecaster",
        "vote": {"score": 4, "user_vote": None},
        "forecasts_count": 97,
    }


def polymarket_market(
    slug: str = "will-the-widget-ship-in-2027",
    closed: bool = False,
    uma: str | None = None,
    prices: tuple[str, str] = ("0.62", "0.38"),
    closed_time: str | None = "2027-03-04 18:30:00+00",
) -> dict[str, Any]:
    """A gamma market: outcomes and prices are JSON-encoded lists of strings."""
    market: dict[str, Any] = {
        "id": "512345",
        "question": "Will the widget ship in 2027?",
        "conditionId": "0x" + "ab" * 32,
        "slug": slug,
        "resolutionSource": "",
        "endDate": "2027-12-31T12:00:00Z",
        "startDate": "2027-01-02T00:00:00Z",
        "image": "",
        "icon": "",
        "description": "This market resolves Yes if the widget ships in 2027.",
        "outcomes": '["Yes", "No"]',
        "outcomePrices": json.dumps(list(prices)),
        "volume": "152034.5",
        "active": True,
        "closed": closed,
        "marketMakerAddress": "",
        "new": False,
        "featured": False,
        "archived": False,
        "restricted": True,
        "volumeNum": 152034.5,
        "liquidityNum": 20311.2,
        "enableOrderBook": True,
        "clobTokenIds": '["1234", "5678"]',
        "negRisk": False,
    }
    if closed:
        market["closedTime"] = closed_time
    if uma is not None:
        market["umaResolutionStatus"] = uma
        market["umaResolutionStatuses"] = json.dumps(["proposed", uma])
    return market


def kalshi_market(
    ticker: str = "KXWIDGET-27DEC31",
    status: str = "active",
    result: str = "",
    last_price_dollars: str = "0.5600",
    close_time: str = "2027-03-04T15:00:00Z",
) -> dict[str, Any]:
    """GET /markets/{ticker}: `{"market": {...}}`."""
    return {
        "market": {
            "ticker": ticker,
            "event_ticker": "KXWIDGET-27",
            "market_type": "binary",
            "title": "Will the widget ship in 2027?",
            "subtitle": "",
            "yes_sub_title": "Ships",
            "no_sub_title": "Does not ship",
            "open_time": "2027-01-02T15:00:00Z",
            "close_time": close_time,
            "expiration_time": "2028-01-07T15:00:00Z",
            "status": status,
            "yes_bid": 55,
            "yes_ask": 57,
            "no_bid": 43,
            "no_ask": 45,
            "yes_bid_dollars": "0.5500",
            "yes_ask_dollars": "0.5700",
            "last_price": round(float(last_price_dollars) * 100),
            "last_price_dollars": last_price_dollars,
            "previous_price": 54,
            "volume": 30412,
            "volume_24h": 211,
            "liquidity": 1203300,
            "open_interest": 9120,
            "result": result,
            "can_close_early": True,
            "settlement_value": 100 if result == "yes" else 0,
            "rules_primary": "If the widget ships in 2027, the market resolves to Yes.",
        }
    }


def github_releases(*releases: tuple[str, str, bool]) -> list[dict[str, Any]]:
    """A releases list, newest first: (tag, published_at, prerelease) each."""
    return [
        {
            "url": f"https://api.github.com/repos/foo/foo/releases/{100 + i}",
            "html_url": f"https://github.com/foo/foo/releases/tag/{tag}",
            "id": 100 + i,
            "tag_name": tag,
            "target_commitish": "main",
            "name": tag,
            "draft": False,
            "prerelease": pre,
            "created_at": published,
            "published_at": published,
            "assets": [],
            "body": f"Release {tag}.",
        }
        for i, (tag, published, pre) in enumerate(releases)
    ]


def fred_csv(*rows: tuple[str, str], column: str = "UNRATE") -> str:
    """FRED's graph CSV: `observation_date,SERIES`, one row a period, `.` when missing."""
    return "".join([f"observation_date,{column}\n", *(f"{d},{v}\n" for d, v in rows)])
