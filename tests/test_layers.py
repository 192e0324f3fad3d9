"""The architecture, enforced: imports go one way, effects live in named places,
and `ledger check` stays light.

LAYERS lists ledger's packages (and its few top-level modules) from the bottom
up. A layer may import only the layers below it and itself, never one above
(beancount's dependency constraints, made cheap); the README's design section
shows the same order. `ledger/__init__` (the Python API) is the top layer, so a
module that imports `ledger` itself (for `__version__`, say) is caught as the
cycle it is. No module imports another module's private names (`_name`):
what is shared is made public where it belongs.

EFFECTS lists, for each kind of side effect, the only modules allowed to have
it: printing, exiting and the calendar clock only in the CLI; file writes,
locks, the environment, git and worker processes only in named I/O modules.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

import ledger

if TYPE_CHECKING:
    from collections.abc import Iterator

LAYERS = [
    "core",  # records, dates, words, rules: no I/O, no pandas
    "files",  # every write, lock and guarded read of a file
    "loader",  # text → records; the parse cache
    "validate",  # checks across records; check = load + validate
    "record",  # byte-preserving edits of a ledger file
    "extract",  # candidate forecasts from a text: cues, horizons, coverage, stubs
    "importers",  # other tools' files → a new ledger
    "sync",  # markets, series and releases → outcomes and crowd prices (network)
    "query",  # list, due, verify: no pandas
    "frame",  # records + as_of → the tidy frame
    "columnar",  # the frame and the ledger as Arrow/Parquet; the frame cache
    "score",  # scoring rules, aggregates, calibration, statistics
    "compare",  # forecasters on shared questions
    "show",  # terminal tables, CSV and JSON as strings
    "report",  # scorecards and pages: contexts, charts, rendering, writing
    "cli",  # the only layer that prints, exits or reads the clock
    "__main__",  # `python -m ledger`
    "__init__",  # the Python API, on top: nothing imports it
]
# (importer layer, imported layer): why this upward import is allowed. Empty:
# every exception must be argued here, next to the rule.
EXCEPTIONS: dict[tuple[str, str], str] = {}

PACKAGE = Path(ledger.__file__).parent
ROOT = PACKAGE.parent
HEAVY = ("pandas", "jinja2")


def layer_of(path: Path) -> str:
    """The layer a source file belongs to: its top-level package or module."""
    relative = path.relative_to(PACKAGE)
    return relative.parts[0] if len(relative.parts) > 1 else relative.stem


def source_files() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def ledger_imports(tree: ast.AST, path: Path) -> Iterator[tuple[str, list[str]]]:
    """(dotted module, names imported from it) for every `ledger` import in a file,
    at any depth (lazy imports inside functions count too)."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name == "ledger" or alias.name.startswith("ledger."):
                    yield alias.name, []
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                raise AssertionError(f"{path}: use absolute imports (from ledger...)")
            module = node.module or ""
            if module == "ledger" or module.startswith("ledger."):
                yield module, [alias.name for alias in node.names]


def imported_layers(path: Path) -> set[str]:
    """The layers a file imports. `from ledger import x` imports layer x when x
    is a package or module, and the API layer (`__init__`) otherwise."""
    found: set[str] = set()
    for module, names in ledger_imports(ast.parse(path.read_text("utf-8")), path):
        parts = module.split(".")
        if len(parts) > 1:
            found.add(parts[1])
            continue
        for name in names or ["__init__"]:
            is_layer = (PACKAGE / name).is_dir() or (PACKAGE / f"{name}.py").is_file()
            found.add(name if is_layer else "__init__")
    return found


def test_every_package_and_module_has_a_layer() -> None:
    present = {layer_of(path) for path in source_files()}
    assert sorted(present - set(LAYERS)) == [], "add it to LAYERS"
    assert sorted(set(LAYERS) - present) == [], "remove it from LAYERS"


@pytest.mark.parametrize("path", source_files(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_a_module_imports_only_its_own_and_lower_layers(path: Path) -> None:
    layer = layer_of(path)
    allowed = {*LAYERS[: LAYERS.index(layer) + 1]}
    upward = {
        name for name in imported_layers(path) - allowed
        if (layer, name) not in EXCEPTIONS
    }
    assert sorted(upward) == [], f"{path.relative_to(PACKAGE)} imports a layer above it"


def private_uses(path: Path) -> list[str]:
    """Private names (`_x`) a file takes from another ledger module: imported by
    name, or read as an attribute of an imported ledger module."""
    tree = ast.parse(path.read_text("utf-8"))
    modules: dict[str, str] = {}
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("ledger"):
            for alias in node.names:
                name = alias.name
                if name.startswith("_") and not name.startswith("__"):
                    found.append(f"line {node.lineno}: from {node.module} import {name}")
                modules[alias.asname or name] = f"{node.module}.{name}"
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("ledger"):
                    modules[alias.asname or alias.name.split(".")[0]] = alias.name
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id in modules
            and node.attr.startswith("_")
            and not node.attr.startswith("__")
        ):
            found.append(f"line {node.lineno}: {node.value.id}.{node.attr}")
    return found


@pytest.mark.parametrize("path", source_files(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_module_uses_another_modules_private_names(path: Path) -> None:
    assert private_uses(path) == []


def test_the_import_walk_sees_every_form_and_the_api_cycle(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text(
        "import ledger.core.model\n"
        "from ledger import loader, __version__\n"
        "from ledger.frame import frame\n"
        "from ledger.importers.common import x\n"
        "def f():\n"
        "    from ledger import score\n"
        "import yaml\n",
        encoding="utf-8",
    )
    assert imported_layers(sample) == {
        "core", "loader", "__init__", "frame", "importers", "score",
    }


def test_private_names_are_caught(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text(
        "from ledger.query.listing import _span\n"
        "from ledger.score import rules\n"
        "rules._decile(1)\n",
        encoding="utf-8",
    )
    assert private_uses(sample) == [
        "line 1: from ledger.query.listing import _span",
        "line 3: rules._decile",
    ]


# -- effects --------------------------------------------------------------------

CLI = ("cli/",)
EFFECTS: dict[str, tuple[tuple[str, ...], frozenset[str]]] = {
    # kind: (where it is allowed, as path prefixes below ledger/; the calls that are it)
    "printing": (CLI, frozenset({"print", "click.echo", "click.secho", "sys.stdout.write",
                                 "sys.stderr.write", "click.progressbar"})),
    "exiting": (CLI, frozenset({"sys.exit", "exit", "quit", "os.abort"})),
    "the calendar clock": (CLI, frozenset({
        "date.today", "dt.date.today", "datetime.date.today", "datetime.now",
        "dt.datetime.now", "datetime.datetime.now", "datetime.today", "datetime.utcnow",
        "time.time", "time.localtime", "time.gmtime"})),
    "file writes": (("files/", "loader/cache.py"), frozenset({
        "os.replace", "os.rename", "os.unlink", "os.remove", "os.rmdir", "os.mkdir",
        "os.makedirs", "os.chmod", "os.chown", "os.fsync", "os.utime", "os.link",
        "os.symlink", "os.truncate", "tempfile.mkstemp", "tempfile.mkdtemp",
        "tempfile.NamedTemporaryFile", "tempfile.TemporaryDirectory",
        "shutil.rmtree", "shutil.copy", "shutil.copyfile", "shutil.move",
        ".write_text", ".write_bytes", ".mkdir", ".unlink", ".rmdir", ".touch",
        "open:w"})),
    "locks": (("files/lock.py",), frozenset({"fcntl.flock", "fcntl.lockf"})),
    # waiting: a lock's timeout, and sync's pacing and Retry-After (sync/http.py)
    "waiting": (("files/lock.py", "sync/http.py"), frozenset({
        "time.monotonic", "time.sleep"})),
    # the environment: LEDGER_CACHE and XDG_CACHE_HOME (loader/cache.py);
    # METACULUS_TOKEN and GITHUB_TOKEN, sent only to their platforms (sync/http.py)
    "the environment": (("loader/cache.py", "sync/http.py"), frozenset({
        "os.environ", "os.getenv", "os.putenv", "os.environ.get"})),
    # the network: only sync's one HTTP client (ledger sync, ledger due --sync)
    "the network": (("sync/http.py",), frozenset({
        "urllib.request.urlopen", "urllib.request.Request", "socket.socket",
        "socket.create_connection", "http.client.HTTPConnection",
        "http.client.HTTPSConnection", "urlopen", "requests.get",
        "httpx.get"})),
    "git": (("query/history.py",), frozenset({
        "subprocess.run", "subprocess.Popen", "subprocess.check_output",
        "subprocess.call"})),
    "worker processes": (("report/write.py",), frozenset({
        "os.fork", "os._exit", "os.waitpid", "os.wait", "os.pipe", "os.kill"})),
}


def dotted(node: ast.AST) -> str | None:
    """`a.b.c` for a Name/Attribute chain; `.c` when the chain starts elsewhere."""
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
        return ".".join(reversed(parts))
    return "." + ".".join(reversed(parts)) if parts else None


def _write_mode(call: ast.Call) -> bool:
    mode = call.args[1] if len(call.args) > 1 else next(
        (k.value for k in call.keywords if k.arg == "mode"), None
    )
    if mode is None:
        return False
    if not isinstance(mode, ast.Constant):
        return True  # a computed mode: assume it writes
    return any(flag in str(mode.value) for flag in "wax+")


def effects(path: Path) -> list[tuple[str, int, str]]:
    """(kind, line, what) for every side effect in a file."""
    tree = ast.parse(path.read_text("utf-8"))
    found = []
    seen: set[tuple[str, int]] = set()
    for node in ast.walk(tree):
        names: list[str] = []
        if isinstance(node, ast.Call):
            name = dotted(node.func)
            if name == "open" or ((name or "").endswith(".open") and name != "os.open"):
                if _write_mode(node):
                    names.append("open:w")
            elif name is not None:
                names.append(name)
                if "." in name:
                    names.append("." + name.rsplit(".", 1)[1])
        elif isinstance(node, ast.Attribute):
            name = dotted(node)
            if name in ("os.environ", "os._exit", "os.fork"):
                names.append(name)
        for what in names:
            for kind, (_, calls) in EFFECTS.items():
                if what in calls and (kind, node.lineno) not in seen:
                    seen.add((kind, node.lineno))
                    found.append((kind, node.lineno, what))
    return sorted(found, key=lambda item: item[1])


def allowed(path: Path, places: tuple[str, ...]) -> bool:
    relative = path.relative_to(PACKAGE).as_posix()
    return any(relative == p or (p.endswith("/") and relative.startswith(p)) for p in places)


@pytest.mark.parametrize("path", source_files(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_effects_happen_only_where_they_are_allowed(path: Path) -> None:
    misplaced = [
        f"line {line}: {what} ({kind})"
        for kind, line, what in effects(path)
        if not allowed(path, EFFECTS[kind][0])
    ]
    assert misplaced == []


def test_the_effects_scan_finds_each_kind(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text(
        "import click, os, sys, datetime as dt, subprocess, fcntl, time\n"
        "print('x')\n"
        "click.echo('x')\n"
        "sys.exit(1)\n"
        "dt.date.today()\n"
        "open('f', 'w')\n"
        "open('f', 'rb')\n"
        "path.write_text('x')\n"
        "fcntl.flock(h, 1)\n"
        "os.environ.get('HOME')\n"
        "subprocess.run(['git'])\n"
        "os.fork()\n"
        "time.sleep(1)\n"
        "urllib.request.urlopen('http://x')\n",
        encoding="utf-8",
    )
    kinds = [(kind, line) for kind, line, _ in effects(sample)]
    assert kinds == [
        ("printing", 2), ("printing", 3), ("exiting", 4), ("the calendar clock", 5),
        ("file writes", 6), ("file writes", 8), ("locks", 9), ("the environment", 10),
        ("git", 11), ("worker processes", 12), ("waiting", 13), ("the network", 14),
    ]


# -- import weight ----------------------------------------------------------------


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
