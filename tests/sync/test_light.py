"""`ledger check` and `ledger list` never load the sync package or an HTTP client."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("args", [["check", "predictions.yaml"], ["list", "predictions.yaml"]])
def test_check_and_list_import_no_sync_and_no_http(args: list[str]) -> None:
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "ledger", *args],
        capture_output=True, text=True, cwd=ROOT, timeout=60, check=False,
    )
    assert done.returncode == 0, done.stderr
    imported = {line.rsplit("|", 1)[-1].strip() for line in done.stderr.splitlines()}
    for heavy in ("ledger.cli.sync", "ledger.sync", "urllib.request", "http.client", "gzip"):
        assert not any(n == heavy or n.startswith(f"{heavy}.") for n in imported), heavy
