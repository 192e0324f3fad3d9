"""Shared fixtures: a test's docstring is the ledger it loads (beancount's load_doc)."""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING

import pytest

from ledger.loader.load import load_text
from ledger.validate import validate

if TYPE_CHECKING:
    from collections.abc import Callable

    from ledger.core.model import Error, Ledger


def check_text(text: str, path: str = "test.yaml") -> tuple[Ledger, list[Error]]:
    """Load and validate `text`, as `ledger check` does: errors sorted by line."""
    ledger, errors = load_text(text, path)
    return ledger, sorted(errors + validate(ledger), key=lambda e: e.location)


@pytest.fixture(autouse=True)
def private_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep the parse cache of every test (and the commands it runs) out of ~/.cache."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("cache")))


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
