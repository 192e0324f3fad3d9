"""The message scan: every place in a source tree that builds a user-facing message.

A *builder* is anything whose construction or call makes a message:

- an exception: Python's own (ValueError, KeyError, ...), click's usage errors
  (BadParameter, UsageError, ClickException, FileError, `fail`) and every class
  of the scanned tree that derives from one (DateError, FieldError, EditError,
  LockTimeout, WriteError, NoHistory, ...);
- a record that carries a message: a class of the tree with a `message` field
  or parameter (Error, verify's Finding and Raw, ...), or a dict display with a
  "message" key (what a report process sends back);
- a function of the tree that hands one of its parameters on to a builder's
  message, such as `FieldReader.error(at, message)` or
  `parse_probability(text, percent_hint=...)`: found by following the calls
  until nothing new turns up.

A *place* is a call of a builder whose message arguments hold literal text. The
text of an argument is the literal pieces of its strings (an f-string counts as
its pieces) and, followed through, of the local variables and constants it
names and of what the functions of the tree that return text (`-> str`) return
(`_unreadable(text, "write ...")`, `did_you_mean`). A piece counts as message
text when it has a space and at least 8 characters: regexes, keys and option
names drop out. Docstrings are never arguments, so they never count.

Nothing here names a module: a module that starts building messages is scanned
the day it is written. `tests/test_errors.py` looks for every piece in the
catalogue.
"""

from __future__ import annotations

import ast
import builtins
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator
    from pathlib import Path

Wanted = set[int | str] | None
"""The arguments of a builder that are its message: their positions and
keywords, or None for all of them."""

EXCEPTIONS = frozenset(
    name
    for name, value in vars(builtins).items()
    if isinstance(value, type) and issubclass(value, BaseException)
)
"""Python's exception classes: every argument is the message."""
CLICK: dict[str, Wanted] = {
    "BadParameter": {0, "message"}, "UsageError": {0, "message"},
    "ClickException": {0, "message"}, "FileError": {1, "hint"},
    "BadOptionUsage": {1, "message"}, "BadArgumentUsage": {0, "message"},
    "NoSuchOption": {1, "message"}, "MissingParameter": {0, "message"},
    "fail": {0, "message"},
}
"""click's usage errors (exit 2), ClickException and FileError (exit 1), and
`ParamType.fail` / `Context.fail` that raise them: the argument that is the message."""
TEXT_CALLS = frozenset({
    "str", "repr", "format", "join", "replace", "strip", "lower", "upper",
    "removeprefix", "removesuffix", "sorted",
})
"""Calls outside the tree whose result is made of the text of their arguments."""


def is_message_text(piece: str) -> bool:
    """A literal piece long enough, and with a space, to be message text."""
    piece = piece.strip()
    return " " in piece and len(piece) >= 8


@dataclass(frozen=True, slots=True)
class Place:
    """One call that builds a message, and the message text it holds."""

    path: str
    line: int
    builder: str
    fragments: tuple[str, ...]

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.builder}"


def called_name(call: ast.Call) -> str | None:
    """The name a call is made by: `f(...)` and `x.y.f(...)` both give `f`."""
    if isinstance(call.func, ast.Name):
        return call.func.id
    if isinstance(call.func, ast.Attribute):
        return call.func.attr
    return None


@dataclass(eq=False)
class Function:
    """A function of the tree: its module, its locals and its parameters."""

    module: Module
    node: ast.FunctionDef | ast.AsyncFunctionDef
    method: bool
    outer: Function | None
    assigned: dict[str, list[ast.expr]] = field(default_factory=dict)
    statements: dict[str, list[ast.AST]] = field(default_factory=dict)
    """Each local name's assignments, in order."""

    @property
    def positional(self) -> list[str]:
        """Its positional parameters (a method's without self or cls)."""
        args = self.node.args
        names = [a.arg for a in [*args.posonlyargs, *args.args]]
        return names[1:] if self.method and names[:1] in (["self"], ["cls"]) else names

    @property
    def parameters(self) -> set[str]:
        return {*self.positional, *(a.arg for a in self.node.args.kwonlyargs)}

    def body_nodes(self) -> Iterator[ast.AST]:
        """Every node of the function's own body (not of functions inside it)."""
        todo: list[ast.AST] = list(self.node.body)
        while todo:
            node = todo.pop()
            yield node
            for child in ast.iter_child_nodes(node):
                if not isinstance(
                    child, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef
                ):
                    todo.append(child)

    def lookup(self, name: ast.Name) -> list[ast.expr] | None:
        """What a local name (or a closure's) may hold where it is used; None if
        it is not local.

        The last assignment before the use in the innermost block around it
        that has one (`message = ...` in the same `except` block); failing
        that, every assignment (one in each branch of an `if`).
        """
        if name.id not in self.assigned:
            return self.outer.lookup(name) if self.outer is not None else None
        node: ast.AST = name
        slots = self.module.slots
        while id(node) in self.module.parents:
            slot = slots.get(id(node))
            if slot is not None:
                before = [
                    statement
                    for statement in self.statements[name.id]
                    if slots.get(id(statement)) == slot
                    and statement.lineno < name.lineno
                ]
                if before:
                    return _assigned_values(before[-1], name.id)
            node = self.module.parents[id(node)]
        return self.assigned[name.id]

    def returns_text(self) -> bool:
        """Whether it is annotated to return text (`str`, `str | None`, ...)."""
        returns = self.node.returns
        if isinstance(returns, ast.Constant) and isinstance(returns.value, str):
            returns = ast.parse(returns.value, mode="eval").body
        todo = [returns] if returns is not None else []
        while todo:
            item = todo.pop()
            if isinstance(item, ast.Name) and item.id == "str":
                return True
            if isinstance(item, ast.BinOp):
                todo += [item.left, item.right]
        return False


@dataclass
class Module:
    """One source file: its constants, functions, classes and imported names."""

    path: str
    tree: ast.Module
    constants: dict[str, ast.expr] = field(default_factory=dict)
    functions: dict[str, list[Function]] = field(default_factory=dict)
    imported: dict[str, str] = field(default_factory=dict)
    """local name → the dotted name it stands for (a module, or module.name)."""
    enclosing: dict[int, Function] = field(default_factory=dict)
    parents: dict[int, ast.AST] = field(default_factory=dict)
    slots: dict[int, tuple[int, str]] = field(default_factory=dict)
    """id(statement) → (id(the node holding it), the field holding it: body, orelse...)."""


def _assigned_values(node: ast.AST, name: str) -> list[ast.expr]:
    """The values an assignment statement gives to `name`."""
    if isinstance(node, ast.Assign):
        targets = node.targets
    elif isinstance(node, ast.AnnAssign | ast.AugAssign | ast.NamedExpr):
        targets = [node.target]
    else:
        return []
    named = any(isinstance(t, ast.Name) and t.id == name for t in targets)
    return [node.value] if named and node.value is not None else []


def _assignments(nodes: Iterable[ast.AST]) -> dict[str, list[ast.AST]]:
    """Each name's assignment statements, in order."""
    found: dict[str, list[ast.AST]] = {}
    places = [n for n in nodes if isinstance(n, ast.stmt | ast.expr)]
    for node in sorted(places, key=lambda n: (n.lineno, n.col_offset)):
        if isinstance(node, ast.Assign):
            targets = node.targets
        elif isinstance(node, ast.AnnAssign | ast.AugAssign | ast.NamedExpr):
            targets = [node.target]
        else:
            continue
        for target in targets:
            if isinstance(target, ast.Name) and _assigned_values(node, target.id):
                found.setdefault(target.id, []).append(node)
    return found


def read_module(source: str, path: str) -> Module:
    """Parse one file's source: its constants, functions and imports."""
    tree = ast.parse(source)
    module = Module(path, tree)
    module.constants = {
        key: _assigned_values(statements[-1], key)[0]
        for key, statements in _assignments(tree.body).items()
    }
    for parent in ast.walk(tree):
        for name, value in ast.iter_fields(parent):
            children = value if isinstance(value, list) else [value]
            for child in children:
                if isinstance(child, ast.AST):
                    module.parents[id(child)] = parent
                    if isinstance(value, list) and isinstance(child, ast.stmt):
                        module.slots[id(child)] = (id(parent), name)
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            for alias in node.names:
                module.imported[alias.asname or alias.name] = f"{node.module}.{alias.name}"
        elif isinstance(node, ast.Import):
            for alias in node.names:
                local = alias.asname or alias.name.split(".")[0]
                module.imported[local] = alias.name if alias.asname else local

    def visit(node: ast.AST, outer: Function | None, in_class: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
                function = Function(module, child, in_class, outer)
                function.statements = _assignments(function.body_nodes())
                function.assigned = {
                    name: [v for each in statements for v in _assigned_values(each, name)]
                    for name, statements in function.statements.items()
                }
                module.functions.setdefault(child.name, []).append(function)
                for inner in function.body_nodes():
                    module.enclosing[id(inner)] = function
                visit(child, function, False)
            else:
                visit(child, outer, isinstance(child, ast.ClassDef))

    visit(tree, None, False)
    return module


class Scan:
    """The builders and places of a package's Python files.

    `sources` maps each file's dotted module name (`ledger.loader.fields`) to
    (its path as shown, its source text).
    """

    def __init__(self, sources: dict[str, tuple[str, str]]) -> None:
        self.modules = {
            dotted: read_module(text, path) for dotted, (path, text) in sources.items()
        }
        self.named: dict[str, Wanted] = {**dict.fromkeys(EXCEPTIONS), **CLICK}
        """Builders called by name wherever they are: exceptions and message records."""
        self.named.update(self._classes())
        self.methods: dict[str, list[Function]] = {}
        for module in self.modules.values():
            for name, functions in module.functions.items():
                self.methods.setdefault(name, []).extend(f for f in functions if f.method)
        self.wrappers: dict[int, set[int | str]] = {}
        """id(Function node) → the arguments of a wrapper that reach a message."""
        self._find_wrappers()

    @classmethod
    def of_package(
        cls, root: Path, more: dict[str, tuple[str, str]] | None = None
    ) -> Scan:
        """The scan of every .py file under the package folder `root` (and of
        the `more` sources, as if they were there too)."""
        sources = dict(more or {})
        for path in sorted(root.rglob("*.py")):
            parts = [root.name, *path.relative_to(root).with_suffix("").parts]
            dotted = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            sources[dotted] = (path.relative_to(root).as_posix(), path.read_text("utf-8"))
        return cls(sources)

    # -- builders ------------------------------------------------------------

    def _classes(self) -> dict[str, Wanted]:
        """Exception classes of the tree, and classes with a `message` field."""
        classes = [
            node
            for module in self.modules.values()
            for node in ast.walk(module.tree)
            if isinstance(node, ast.ClassDef)
        ]
        found: dict[str, Wanted] = {}
        changed = True
        while changed:
            changed = False
            for node in classes:
                bases = {
                    base.id if isinstance(base, ast.Name) else getattr(base, "attr", None)
                    for base in node.bases
                }
                message = _message_argument(node)
                exception = bases & (EXCEPTIONS | set(CLICK) | set(found))
                if node.name not in found and (exception or message is not None):
                    found[node.name] = message
                    changed = True
        return found

    def _find_wrappers(self) -> None:
        """Every function that hands a parameter on to a message, until none is new."""
        functions = [
            function
            for module in self.modules.values()
            for each in module.functions.values()
            for function in each
        ]
        changed = True
        while changed:
            changed = False
            for function in functions:
                handed = self._handed_on(function)
                wanted = {i for i, p in enumerate(function.positional) if p in handed}
                known = self.wrappers.get(id(function.node), set())
                if (wanted | handed) - known:
                    self.wrappers[id(function.node)] = known | wanted | handed
                    changed = True

    def _handed_on(self, function: Function) -> set[str]:
        """The parameters of `function` that reach a builder's message arguments."""
        reach = {p: {p} for p in function.parameters}
        for _ in range(3):  # locals made of locals made of parameters
            for name, values in function.assigned.items():
                for value in values:
                    for used in self._flowing(value, function.module):
                        if used in reach and used != name:
                            reach.setdefault(name, set()).update(reach[used])
        handed: set[str] = set()
        for node in function.body_nodes():
            if isinstance(node, ast.Call):
                for argument in self.message_arguments(node, function.module):
                    for used in self._flowing(argument, function.module):
                        handed |= reach.get(used, set())
        return handed

    def _flowing(self, node: ast.AST, module: Module) -> set[str]:
        """The names whose text can end up in the value of an expression.

        Not those handed to a call outside the tree (`len(x)`, `click.prompt(label)`),
        unless the call makes text of them (`str(x)`, `", ".join(xs)`).
        """
        if isinstance(node, ast.Name):
            return {node.id}
        if isinstance(node, ast.Call):
            found = self._flowing(node.func, module) if isinstance(
                node.func, ast.Attribute
            ) else set()
            if called_name(node) in TEXT_CALLS or self.callees(node, module):
                for argument in [*node.args, *(k.value for k in node.keywords)]:
                    found |= self._flowing(argument, module)
            return found
        found = set()
        for child in _value_parts(node):
            found |= self._flowing(child, module)
        return found

    def callees(self, call: ast.Call, module: Module) -> list[Function]:
        """The functions of the tree a call may run.

        `f(...)` and `mod.f(...)` by their imports; `x.f(...)` any method `f`.
        """
        target = call.func
        if isinstance(target, ast.Name):
            if target.id in module.functions:
                return [f for f in module.functions[target.id] if not f.method]
            return self._imported(module.imported.get(target.id, ""))
        if isinstance(target, ast.Attribute):
            if isinstance(target.value, ast.Name) and target.value.id in module.imported:
                return self._imported(f"{module.imported[target.value.id]}.{target.attr}")
            return self.methods.get(target.attr, [])
        return []

    def _imported(self, dotted: str) -> list[Function]:
        source, _, name = dotted.rpartition(".")
        module = self.modules.get(source)
        if module is None:
            return []
        return [f for f in module.functions.get(name, []) if not f.method]

    def message_arguments(self, call: ast.Call, module: Module) -> list[ast.expr]:
        """The arguments of a call that are a message (none if it builds none)."""
        name = called_name(call) or ""
        arguments = [*call.args, *(k.value for k in call.keywords)]
        if name in self.named:
            wanted = self.named[name]
            if wanted is None:
                return arguments
        else:
            wanted = set()
            for function in self.callees(call, module):
                wanted |= self.wrappers.get(id(function.node), set())
        chosen = [argument for i, argument in enumerate(call.args) if i in wanted]
        return chosen + [k.value for k in call.keywords if k.arg in wanted]

    # -- places --------------------------------------------------------------

    def places(self) -> list[Place]:
        """Every call of a builder with message text, in file and line order."""
        found = []
        for module in self.modules.values():
            for node in ast.walk(module.tree):
                if isinstance(node, ast.Call):
                    builder = f"{called_name(node)}(...)"
                    arguments = self.message_arguments(node, module)
                elif isinstance(node, ast.Dict):  # {"path": ..., "message": ...}
                    builder = '{"message": ...}'
                    arguments = [
                        value
                        for key, value in zip(node.keys, node.values, strict=True)
                        if isinstance(key, ast.Constant) and key.value == "message"
                    ]
                else:
                    continue
                scope = module.enclosing.get(id(node))
                pieces: list[str] = []
                for argument in arguments:
                    pieces += self.texts(argument, module, scope, set())
                fragments = tuple(dict.fromkeys(
                    p.strip() for p in pieces if is_message_text(p)
                ))
                if fragments:
                    found.append(Place(module.path, node.lineno, builder, fragments))
        return sorted(found, key=lambda p: (p.path, p.line))

    def texts(
        self, node: ast.AST, module: Module, scope: Function | None, seen: set[int]
    ) -> list[str]:
        """The literal pieces of text an expression can be made of."""
        if id(node) in seen:
            return []
        seen.add(id(node))
        if isinstance(node, ast.Constant):
            return [node.value] if isinstance(node.value, str) else []
        if isinstance(node, ast.Name):
            return self._name_texts(node, module, scope, seen)
        if isinstance(node, ast.Call):
            return self._call_texts(node, module, scope, seen)
        pieces: list[str] = []
        for child in _value_parts(node):
            pieces += self.texts(child, module, scope, seen)
        return pieces

    def _call_texts(
        self, call: ast.Call, module: Module, scope: Function | None, seen: set[int]
    ) -> list[str]:
        """A call's text: what a function of the tree that returns text returns,
        with the text of the arguments that reach it; of another call, the text
        it makes of its arguments (`str(x)`, `"; ".join(xs)`)."""
        arguments = [*call.args, *(k.value for k in call.keywords)]
        pieces: list[str] = []
        if isinstance(call.func, ast.Attribute):
            pieces += self.texts(call.func.value, module, scope, seen)
        functions = [f for f in self.callees(call, module) if f.returns_text()]
        if not functions:
            if called_name(call) in TEXT_CALLS:
                for argument in arguments:
                    pieces += self.texts(argument, module, scope, seen)
            return pieces
        for function in functions:
            returned = [
                node.value
                for node in function.body_nodes()
                if isinstance(node, ast.Return) and node.value is not None
            ]
            flowing: set[str] = set()
            for value in returned:
                pieces += self.texts(value, function.module, function, seen)
                flowing |= self._flowing(value, function.module)
            for name, values in list(function.assigned.items()):  # through locals
                if name in flowing:
                    for value in values:
                        flowing |= self._flowing(value, function.module)
            for i, argument in enumerate(call.args):
                if i < len(function.positional) and function.positional[i] in flowing:
                    pieces += self.texts(argument, module, scope, seen)
            for keyword in call.keywords:
                if keyword.arg in flowing:
                    pieces += self.texts(keyword.value, module, scope, seen)
        return pieces

    def _name_texts(
        self, node: ast.Name, module: Module, scope: Function | None, seen: set[int]
    ) -> list[str]:
        values = scope.lookup(node) if scope is not None else None
        if values is not None:
            return [t for value in values for t in self.texts(value, module, scope, seen)]
        name = node.id
        if name in module.constants:
            return self.texts(module.constants[name], module, None, seen)
        source, _, original = module.imported.get(name, "").rpartition(".")
        other = self.modules.get(source)
        if other is not None and original in other.constants:
            return self.texts(other.constants[original], other, None, seen)
        return []


def _value_parts(node: ast.AST) -> list[ast.AST]:
    """The parts of an expression its value is made of: not the key of `x[key]`,
    the test of `a if test else b`, or the operands of a comparison."""
    if isinstance(node, ast.Subscript):
        return [node.value]
    if isinstance(node, ast.IfExp):
        return [node.body, node.orelse]
    if isinstance(node, ast.Compare):
        return []
    if isinstance(node, ast.comprehension):
        return [node.iter]
    return list(ast.iter_child_nodes(node))


def _message_argument(node: ast.ClassDef) -> Wanted:
    """Where a class takes its message: the position and name of its `message`
    parameter (in `__init__`) or field (of a dataclass or NamedTuple); None if
    it has neither."""
    for item in node.body:
        if isinstance(item, ast.FunctionDef) and item.name == "__init__":
            names = [a.arg for a in item.args.args][1:]
            if "message" in names:
                return {names.index("message"), "message"}
            kwonly = [a.arg for a in item.args.kwonlyargs]
            return {"message"} if "message" in kwonly else None
    fields = [
        item.target.id
        for item in node.body
        if isinstance(item, ast.AnnAssign) and isinstance(item.target, ast.Name)
    ]
    return {fields.index("message"), "message"} if "message" in fields else None
