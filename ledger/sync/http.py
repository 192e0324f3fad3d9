"""HTTP: the one place where ledger talks to the network.

The client is the standard library's (`urllib.request`, with `gzip`): a sync
makes a handful of GET requests, one at a time, so a third-party client would
add a dependency and nothing a user could see (see pyproject.toml). Manners:

- a timeout (10 s by default) and a User-Agent naming ledger and its version;
- `Accept-Encoding: gzip`, decompressed here;
- on 429 and 503, `Retry-After` honoured (seconds, or an HTTP date read
  against the response's own `Date`, so no clock is needed), else a backoff
  of 1, 2, 4 s; at most 3 retries, and never a wait over 120 s;
- requests paced per source under each platform's published limit (a sliding
  window: Manifold 500 a minute, Metaculus 1,000 an hour, Polymarket's gamma
  /markets 300 in 10 s, Kalshi's basic tier 20 reads a second, GitHub 60 an
  hour without a token and 5,000 with one; 10 in 10 s for any other host);
- `METACULUS_TOKEN` (and, if set, `GITHUB_TOKEN`) read from the environment
  here and only here, sent only to their own platform, never written anywhere.

`--base-url SOURCE=URL` swaps a platform's base URL for a mirror or a test
server (the paths stay the real ones). `--save-responses DIR` keeps every
response received as one JSON file per URL; `--replay DIR` answers from such
a folder without any network.
"""

from __future__ import annotations

import email.utils
import gzip
import hashlib
import json
import os
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
import zlib
from collections import deque
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ledger.files.write import atomic_write, make_folder

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

DEFAULT_BASES = {
    "manifold": "https://api.manifold.markets",
    "metaculus": "https://www.metaculus.com",
    "polymarket": "https://gamma-api.polymarket.com",
    "kalshi": "https://api.elections.kalshi.com",
    "github-release": "https://api.github.com",
}
"""Each platform's API base URL; the paths after it are the platforms' own."""

LIMITS: dict[str, tuple[int, float]] = {
    # source: (requests, per seconds), from each platform's published limit
    "manifold": (500, 60.0),
    "metaculus": (1000, 3600.0),
    "polymarket": (300, 10.0),
    "kalshi": (20, 1.0),
    "github-release": (60, 3600.0),
    "csv": (10, 10.0),
    "json": (10, 10.0),
}
GITHUB_WITH_TOKEN = (5000, 3600.0)
RETRIES = 3
MAX_WAIT = 120.0
MAX_BODY = 64 * 1024 * 1024
SAVED_MARK = "ledger-response"


class FetchError(Exception):
    """A request that gave no usable answer; the message says why, for the user."""


@dataclass(frozen=True, slots=True)
class ClientOptions:
    """How requests are made: bases, timeout, user agent, save or replay folder."""

    bases: Mapping[str, str] = field(default_factory=dict)
    timeout: float = 10.0
    user_agent: str = "ledger"
    save: str | None = None
    replay: str | None = None


@dataclass(frozen=True, slots=True)
class Response:
    """One answer: the URL as the ledger names it, the status and the body."""

    url: str
    status: int
    body: bytes


def base_url(source: str) -> str:
    """A platform's real base URL."""
    return DEFAULT_BASES[source]


def saved_name(url: str) -> str:
    """The file name a response to `url` is saved under."""
    return "response-" + hashlib.sha256(url.encode("utf-8")).hexdigest()[:20] + ".json"


class Client:
    """Makes (or replays) the requests of one sync, with the manners above."""

    def __init__(
        self,
        options: ClientOptions,
        on_wait: Callable[[str], None] = lambda _: None,
        sleep: Callable[[float], None] | None = None,
    ) -> None:
        self.options = options
        self.on_wait = on_wait
        self.sleep = sleep or _sleep
        self._sent: dict[str, deque[float]] = {}
        self._answers: dict[str, Response] = {}  # one request per URL and sync

    def get(self, source: str, url: str) -> Response:
        """GET `url` (as the ledger names it, on the real base) for `source`.

        Raises:
            FetchError: the source is unreachable, timed out, answered with an
                HTTP error, or (replaying) no response was saved for `url`.
        """
        response = self._answers.get(url)
        if response is None:
            if self.options.replay is not None:
                response = self._replayed(url)
            else:
                response = self._fetched(source, url)
                if self.options.save is not None:
                    self._save(response)
            self._answers[url] = response
        if not 200 <= response.status < 300:
            raise FetchError(f"{_host(url)} answered HTTP {response.status}")
        return response

    # -- the network ---------------------------------------------------------

    def _fetched(self, source: str, url: str) -> Response:
        actual = self._rebased(source, url)
        headers = self._headers(source)
        attempt = 0
        while True:
            self._pace(source)
            status, answer, body = self._open(actual, headers)
            if status not in (429, 503) or attempt == RETRIES:
                return Response(url, status, body)
            wait = _retry_after(answer) or float(2**attempt)
            if wait > MAX_WAIT:
                raise FetchError(
                    f"{_host(url)} asked to wait {wait:.0f} s (HTTP {status}); "
                    "try again later"
                )
            self.on_wait(f"{_host(url)}: HTTP {status}, retrying in {wait:g} s")
            self.sleep(wait)
            attempt += 1

    def _open(self, url: str, headers: dict[str, str]) -> tuple[int, Any, bytes]:
        """(status, headers, body) of one GET; FetchError if there is no answer."""
        request = urllib.request.Request(url, headers=headers, method="GET")
        timeout = self.options.timeout
        try:
            with urllib.request.urlopen(request, timeout=timeout) as answer:
                return answer.status, answer.headers, _body(answer)
        except urllib.error.HTTPError as exc:
            with exc:
                return exc.code, exc.headers, _body(exc)
        except TimeoutError:
            raise FetchError(
                f"{_host(url)} did not answer within {timeout:g} s"
            ) from None
        except urllib.error.URLError as exc:
            if isinstance(exc.reason, TimeoutError | socket.timeout):
                message = f"{_host(url)} did not answer within {timeout:g} s"
                raise FetchError(message) from None
            reason = exc.reason
            if isinstance(reason, OSError) and reason.strerror:
                reason = reason.strerror  # "Connection refused", without the errno
            raise FetchError(f"cannot reach {_host(url)}: {reason}") from None
        except (OSError, ValueError, EOFError, zlib.error) as exc:
            raise FetchError(f"{_host(url)}: {exc}") from None

    def _headers(self, source: str) -> dict[str, str]:
        """The request's headers; FetchError if it cannot be made (a missing token)."""
        headers = {
            "User-Agent": self.options.user_agent,
            "Accept-Encoding": "gzip",
            "Accept": "application/json, text/csv;q=0.9, */*;q=0.1",
        }
        if source == "metaculus":
            token = os.environ.get("METACULUS_TOKEN", "").strip()
            if not token:
                raise FetchError(
                    "METACULUS_TOKEN is not set: Metaculus's API needs an API token "
                    "(see your account settings on metaculus.com)"
                )
            headers["Authorization"] = f"Token {token}"
        if source == "github-release":
            headers["Accept"] = "application/vnd.github+json"
            token = os.environ.get("GITHUB_TOKEN", "").strip()
            if token:
                headers["Authorization"] = f"Bearer {token}"
        return headers

    def _pace(self, source: str) -> None:
        """Wait, if need be, so `source` stays under its published limit."""
        count, window = LIMITS.get(source, LIMITS["csv"])
        if source == "github-release" and os.environ.get("GITHUB_TOKEN", "").strip():
            count, window = GITHUB_WITH_TOKEN
        sent = self._sent.setdefault(source, deque())
        now = time.monotonic()
        while sent and now - sent[0] >= window:
            sent.popleft()
        if len(sent) >= count:
            wait = window - (now - sent[0])
            if wait > 0:
                self.sleep(wait)
            sent.popleft()
        sent.append(time.monotonic())

    def _rebased(self, source: str, url: str) -> str:
        """`url` on the base URL given by --base-url for its source, if any."""
        base = self.options.bases.get(source)
        if base is None:
            return url
        base = base.rstrip("/")
        real = DEFAULT_BASES.get(source)
        if real is not None and url.startswith(real):
            return base + url[len(real) :]
        parts = urllib.parse.urlsplit(url)  # csv, json: keep the path and query
        rest = urllib.parse.urlunsplit(("", "", parts.path, parts.query, ""))
        return base + rest

    # -- saving and replaying ------------------------------------------------

    def _save(self, response: Response) -> None:
        folder = self.options.save
        assert folder is not None
        make_folder(folder)
        path = os.path.join(folder, saved_name(response.url))
        if os.path.exists(path) and not saved_by_ledger(path):
            raise FetchError(f"{path} exists and is not a saved response; not replaced")
        text = response.body.decode("utf-8", errors="replace")
        envelope = {
            SAVED_MARK: 1,
            "url": response.url,
            "status": response.status,
            "body": text,
        }
        data = json.dumps(envelope, ensure_ascii=False, indent=1) + "\n"
        atomic_write(path, data.encode("utf-8"))

    def _replayed(self, url: str) -> Response:
        folder = self.options.replay
        assert folder is not None
        path = os.path.join(folder, saved_name(url))
        try:
            with open(path, "rb") as handle:
                envelope = json.loads(handle.read().decode("utf-8"))
        except FileNotFoundError:
            raise FetchError(f"no saved response for {url} in {folder}") from None
        except (OSError, ValueError) as exc:
            raise FetchError(f"cannot read the saved response {path}: {exc}") from None
        if not (isinstance(envelope, dict) and envelope.get(SAVED_MARK) == 1):
            raise FetchError(f"{path} is not a response saved by ledger sync")
        status, body = envelope.get("status"), envelope.get("body")
        if not isinstance(status, int) or not isinstance(body, str):
            raise FetchError(f"{path} is not a response saved by ledger sync")
        return Response(url, status, body.encode("utf-8"))


def saved_by_ledger(path: str) -> bool:
    """Whether the file at `path` is a response `--save-responses` wrote."""
    try:
        with open(path, "rb") as handle:
            envelope = json.loads(handle.read(MAX_BODY).decode("utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(envelope, dict) and envelope.get(SAVED_MARK) == 1


def _sleep(seconds: float) -> None:
    """Wait `seconds` (looked up when called, so a test can stand in for it)."""
    time.sleep(seconds)


def _body(answer: Any) -> bytes:
    """The whole body, gunzipped when the server gzipped it; at most MAX_BODY."""
    data: bytes = answer.read(MAX_BODY + 1)
    if len(data) > MAX_BODY:
        raise FetchError(f"the answer is larger than {MAX_BODY // 2**20} MB")
    if (answer.headers.get("Content-Encoding") or "").lower() == "gzip":
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError, zlib.error):
            raise FetchError("the answer's gzip data is damaged") from None
    return data


def _retry_after(headers: Any) -> float | None:
    """The wait `Retry-After` asks for, in seconds (None when absent or unreadable).

    An HTTP date is read against the response's own `Date` header.
    """
    value = (headers.get("Retry-After") or "").strip() if headers else ""
    if not value:
        return None
    if value.isdigit():
        return float(value)
    try:
        then = email.utils.parsedate_to_datetime(value)
        now = email.utils.parsedate_to_datetime(headers.get("Date") or "")
    except (TypeError, ValueError):
        return None
    return max(0.0, (then - now).total_seconds())


def _host(url: str) -> str:
    return urllib.parse.urlsplit(url).netloc or url
