"""The installed version of ledger, read from the package metadata when asked.

Reading the metadata costs about 35 ms of imports, so it happens only when a
version is needed (`ledger --version`, the parse cache's fingerprint), never
on the way to `ledger check`.
"""

from __future__ import annotations

from functools import cache

DISTRIBUTION = "prediction-ledger"
"""The name on the package index; the import package and the command are `ledger`."""


@cache
def version() -> str:
    """The installed distribution's version, or '0+unknown' when run uninstalled."""
    from importlib import metadata

    try:
        return metadata.version(DISTRIBUTION)
    except metadata.PackageNotFoundError:
        return "0+unknown"
