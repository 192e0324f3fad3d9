"""Shared fixtures: a test's docstring is the ledger it loads (beancount's load_doc)."""

from __future__ import annotations

import socket
import textwrap
from typing import TYPE_CHECKING, Any

import pytest

from ledger.loader.load import load_text
from ledger.validate import validate

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from ledger.core.model import Error, Ledger


def check_text(text: str, path: str = "test.yaml") -> tuple[Ledger, list[Error]]:
    """Load and validate `text`, as `ledger check` does: errors sorted by line."""
    ledger, errors = load_text(text, path)
    return ledger, sorted(errors + validate(ledger), key=lambda e: e.location)


@pytest.fixture(autouse=True)
def private_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep the parse cache of every test (and the commands it runs) out of ~/.cache."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("cache")))


LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})


class NetworkBlocked(OSError):
    """A test tried to reach a host other than this machine's loopback address."""


def _host_of(address: Any) -> str | None:
    """The host of a socket address; None for a local (Unix) socket."""
    if isinstance(address, tuple) and address:
        return str(address[0])
    return None


@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Fail any test that opens a connection to, or looks up, a non-local host.

    Connections to 127.0.0.1, localhost and ::1 (the tests' own servers) and
    Unix sockets pass. Any other is refused before it is made, and recorded:
    the test fails at teardown even if the code under test caught the error.
    """
    attempts: list[str] = []
    real_connect = socket.socket.connect
    real_connect_ex = socket.socket.connect_ex
    real_getaddrinfo = socket.getaddrinfo

    def check(host: str | None) -> None:
        if host is not None and host not in LOCAL_HOSTS:
            attempts.append(host)
            raise NetworkBlocked(f"tests may not reach {host}: only 127.0.0.1")

    def connect(self: socket.socket, address: Any) -> None:
        check(_host_of(address))
        real_connect(self, address)

    def connect_ex(self: socket.socket, address: Any) -> int:
        check(_host_of(address))
        return real_connect_ex(self, address)

    def getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
        check(None if host is None else (host.decode() if isinstance(host, bytes) else str(host)))
        return real_getaddrinfo(host, *args, **kwargs)

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket.socket, "connect_ex", connect_ex)
    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    yield attempts
    if attempts:
        pytest.fail(f"the test tried to reach the network: {', '.join(attempts)}")


@pytest.fixture
def loaded(request: pytest.FixtureRequest) -> tuple[Ledger, list[Error]]:
    """Load the calling test's docstring as a ledger named test.yaml.

    Line 1 of the ledger is the docstring's first non-empty line.
    """
    doc = request.function.__doc__
    assert doc, f"{request.function.__name__} needs a docstring holding a ledger"
    return check_text(textwrap.dedent(doc).lstrip("\n"))


@pytest.fixture
def check() -> Callable[[str], tuple[Ledger, list[Error]]]:
    """`check(text)`: load and validate a ledger built in the test itself."""
    return check_text


def pytest_addoption(parser: pytest.Parser) -> None:
    """`--update-golden`: rewrite tests/golden/ from the renderer (fava's --snapshot-update)."""
    parser.addoption(
        "--update-golden",
        action="store_true",
        default=False,
        help="Rewrite the golden reports in tests/golden/ instead of comparing with them.",
    )
