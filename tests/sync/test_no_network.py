"""The tests' network guard (tests/conftest.py) refuses any host but 127.0.0.1."""

from __future__ import annotations

import socket
import urllib.error
import urllib.request

import pytest


def test_a_connection_to_another_host_is_refused_and_recorded(
    no_network: list[str],
) -> None:
    # 127.0.0.2 is loopback too (so nothing would leave the machine even if the
    # guard failed), but it is not 127.0.0.1: the guard must refuse it.
    with (
        socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock,
        pytest.raises(OSError, match=r"tests may not reach 127\.0\.0\.2"),
    ):
        sock.connect(("127.0.0.2", 9))
    with pytest.raises(OSError, match=r"tests may not reach 127\.0\.0\.2"):
        socket.getaddrinfo("127.0.0.2", 80)
    with pytest.raises(urllib.error.URLError):  # caught by urllib, still recorded
        urllib.request.urlopen("http://127.0.0.2:9/", timeout=1)
    assert no_network == ["127.0.0.2", "127.0.0.2", "127.0.0.2"]
    no_network.clear()  # the attempts were the test's own: do not fail it


def test_local_connections_pass() -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as server:
        server.bind(("127.0.0.1", 0))
        server.listen(1)
        with socket.create_connection(server.getsockname(), timeout=5):
            pass
