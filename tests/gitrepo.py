"""Real git repositories for the tests of `ledger verify` (tests/query, tests/hostile).

`Repo` commits with the dates it is told, its own user name and e-mail, and
no signing; `isolate` switches off the global and system git configuration
and any repository above the test's folder, so nothing depends on the
machine's git setup.
"""

from __future__ import annotations

import os
import subprocess
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path

    import pytest


class Repo:
    """A git repository in a directory, committing with the dates it is told."""

    def __init__(self, root: Path) -> None:
        self.root = root
        root.mkdir(parents=True, exist_ok=True)
        self.git("init", "-q")

    def git(self, *args: str, day: str = "2026-01-01") -> str:
        stamp = f"{day}T12:00:00+00:00"
        env = {**os.environ, "GIT_AUTHOR_DATE": stamp, "GIT_COMMITTER_DATE": stamp}
        done = subprocess.run(
            ["git", "-c", "user.name=Keeper", "-c", "user.email=keeper@example.org",
             "-c", "init.defaultBranch=main", "-c", "commit.gpgSign=false", *args],
            cwd=self.root, env=env, capture_output=True, text=True, check=True,
        )
        return done.stdout.strip()

    def commit(self, text: str, day: str, name: str = "predictions.yaml") -> str:
        """Write `text` to `name`, commit it on `day`; the short hash."""
        return self.commit_files({name: text}, day)

    def commit_files(self, files: dict[str, str], day: str) -> str:
        """Write each file's text, commit them all on `day`; the short hash."""
        for name, text in files.items():
            path = self.root / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            self.git("add", name, day=day)
        self.git("commit", "-q", "-m", f"ledger on {day}", day=day)
        return self.git("rev-parse", "--short", "HEAD")


def isolate(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No global or system git config, no inherited repository; cwd is tmp_path."""
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", os.devnull)
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("HOME", str(tmp_path))
    for name in ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_OBJECT_DIRECTORY",
                 "GIT_CEILING_DIRECTORIES", "GIT_AUTHOR_DATE", "GIT_COMMITTER_DATE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.parent))
    monkeypatch.chdir(tmp_path)
