"""The architecture, enforced: imports go one way, and `ledger check` stays light.

A module may import only modules to its left in LAYERS (beancount's dependency
constraints, made cheap). A subpackage such as `ledger/importers/` is one layer:
its files may import each other. `__init__` (version and lazy API) and
`__main__` (calls cli.main) are exempt. A new module must be placed in LAYERS
before this test passes, so the order is a decision, not an accident.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

import ledger

LAYERS = [
    "hint",
    "dates",
    "model",
    "rules",
    "verbal",
    "cache",
    "loader",
    "validate",
    "record",
    "importers",
    "verify",
    "listing",
    "due",
    "frame",
    "score",
    "scorecard",
    "compare",
    "charts",
    "report",
    "cli",
]
EXEMPT = {"__init__", "__main__"}
PACKAGE = Path(ledger.__file__).parent
ROOT = PACKAGE.parent
HEAVY = ("pandas", "jinja2")


def layer_files(name: str) -> list[Path]:
    """The source files of layer `name`: one module, or every file of a subpackage."""
    if (PACKAGE / name).is_dir():
        return sorted((PACKAGE / name).rglob("*.py"))
    return [PACKAGE / f"{name}.py"]


def imported_ledger_modules(path: Path) -> set[str]:
    """The top-level `ledger.*` modules a file imports, anywhere (lazy imports too)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            # `from ledger import listing` names a module; `from ledger.x import y` too
            if node.module == "ledger":
                names = [f"ledger.{alias.name}" for alias in node.names]
            else:
                names = [node.module]
        elif isinstance(node, ast.ImportFrom) and node.level > 0:
            raise AssertionError(f"{path.name}: use absolute imports (from ledger...)")
        else:
            continue
        for name in names:
            parts = name.split(".")
            if parts[0] == "ledger" and len(parts) > 1:
                found.add(parts[1])
    return found - {"__version__"}


def test_every_module_has_a_layer() -> None:
    modules = {path.stem for path in PACKAGE.glob("*.py")} - EXEMPT
    packages = {
        path.name
        for path in PACKAGE.iterdir()
        if path.is_dir() and any(path.rglob("*.py")) and not path.name.startswith("_")
    }
    assert sorted((modules | packages) - set(LAYERS)) == [], "add it to LAYERS"
    assert sorted(set(LAYERS) - modules - packages) == [], "remove it from LAYERS"


@pytest.mark.parametrize("name", LAYERS)
def test_modules_import_only_lower_layers(name: str) -> None:
    allowed = {*LAYERS[: LAYERS.index(name)], name}
    for path in layer_files(name):
        imported = imported_ledger_modules(path)
        assert sorted(imported - allowed) == [], f"{path.name} imports a layer above it"


def test_the_layer_walk_sees_every_import_form(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text(
        "import ledger.model\n"
        "from ledger import loader, __version__\n"
        "from ledger.rules import index\n"
        "from ledger.importers.common import x\n"
        "def f():\n"
        "    from ledger import score\n"
        "import yaml\n",
        encoding="utf-8",
    )
    assert imported_ledger_modules(sample) == {
        "model",
        "loader",
        "rules",
        "importers",
        "score",
    }


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
        check=False,
    )


def test_importing_the_cli_pulls_in_neither_pandas_nor_jinja2() -> None:
    done = run(
        "-c",
        "import ledger.cli, sys; print('pandas' in sys.modules, 'jinja2' in sys.modules)",
    )
    assert (done.returncode, done.stdout) == (0, "False False\n"), done.stderr


@pytest.mark.parametrize(
    "args",
    [["check", "predictions.yaml"], ["list", "predictions.yaml", "--as-of", "2026-11-26"]],
    ids=["check", "list"],
)
def test_check_and_list_import_neither_pandas_nor_jinja2(args: list[str]) -> None:
    done = run("-X", "importtime", "-m", "ledger", *args)
    assert done.returncode == 0, done.stderr
    # -X importtime writes one line per module: "import time: self | cumulative | name"
    imported = {line.rsplit("|", 1)[-1].strip() for line in done.stderr.splitlines()}
    assert "ledger.cli" in imported  # the timing really was captured
    for heavy in HEAVY:
        assert not any(name == heavy or name.startswith(f"{heavy}.") for name in imported)
