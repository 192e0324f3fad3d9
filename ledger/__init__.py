"""ledger: a plain-text prediction ledger, scored with proper scoring rules.

The Python API, for notebooks and scripts (see the README's "Python API")::

    import ledger
    book = ledger.load("predictions.yaml")
    df = ledger.to_frame(book, datetime.date(2030, 12, 31))
    ledger.scorecard.aggregate(df, ["forecaster"])
    ledger.score.brier([0, 1], [0.1, 0.8])

Import-light on purpose: `import ledger` pulls in neither pandas nor jinja2 (so
`ledger check` stays fast as a pre-commit hook); `ledger.to_frame`,
`ledger.score`, `ledger.scorecard` and `ledger.__version__` are imported the
first time they are used.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ledger.core.model import Error, Ledger

_LAZY = {
    "to_frame": ("ledger.frame", "frame"),
    "score": ("ledger.score", None),
    "scorecard": ("ledger.score.scorecard", None),
    "__version__": ("ledger.core.version", "version"),
}
"""name: (module, attribute); the module itself when the attribute is None."""


class LedgerError(ValueError):
    """A ledger file with problems; `errors` holds each as PATH:LINE: message."""

    def __init__(self, errors: list[Error]) -> None:
        self.errors = errors
        super().__init__("\n".join(map(str, errors)))


def load(path: str) -> Ledger:
    """Load and validate the ledger at `path`.

    Raises:
        LedgerError: the ledger has problems; it lists every one.
    """
    from ledger.validate import check

    book, errors = check(path)
    if errors:
        raise LedgerError(errors)
    return book


def __getattr__(name: str) -> Any:
    """The lazily imported parts of the API (see `_LAZY`)."""
    if name not in _LAZY:
        raise AttributeError(f"module 'ledger' has no attribute '{name}'")
    module_name, attribute = _LAZY[name]
    module = importlib.import_module(module_name)
    if name == "__version__":
        return module.version()
    return module if attribute is None else getattr(module, attribute)
