"""`python -m ledger` runs the same command line as `ledger`."""

from __future__ import annotations

from ledger.cli import main

if __name__ == "__main__":
    main()
