"""The README's promises: the Quickstart is what CI runs, and its examples hold."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def quickstart_commands() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Quickstart", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```sh\n(.*?)\n```", section, flags=re.S)


def test_quickstart_has_exactly_two_commands() -> None:
    commands = quickstart_commands()
    assert len(commands) == 2
    assert all("\n" not in command for command in commands)


def test_ci_runs_the_quickstart_commands_exactly() -> None:
    script = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    runs = [line for line in script if line and not line.startswith(("#", "set ", "cd "))]
    assert runs[-2:] == quickstart_commands()


def test_the_python_api_example_runs() -> None:
    """The README's Python API block runs as written, twice in one process (the
    names `ledger.load` and `ledger.scorecard` must not be shadowed by packages)."""
    import subprocess
    import sys

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Python API", 1)[1].split("\n## ", 1)[0]
    code = re.findall(r"```python\n(.*?)\n```", section, flags=re.S)[0]
    done = subprocess.run(
        [sys.executable, "-c", code + "\n" + code], cwd=ROOT, capture_output=True,
        text=True, timeout=120, check=False,
    )
    assert done.returncode == 0, done.stderr
