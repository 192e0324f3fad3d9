"""Options the commands share, and `with_options` for commands that take many.

FILE, --as-of, --format and --provisional; the write commands' -f/--file and
--into; the importers' -o/--output and --force. Each is a typed decorator
(click's own, made once here), so a command keeps its type. `with_options`
hands a command its options as one dataclass.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

import click

from ledger.core.dates import DateError, parse_day

F = TypeVar("F", bound=Callable[..., Any])
"""A command function, before click makes it a command."""
T = TypeVar("T")

DEFAULT_FILE = "predictions.yaml"
FILE = click.Path(dir_okay=False, exists=True)
"""A file that must exist (click exits 2 with its own message if it does not)."""

if TYPE_CHECKING:
    # click 8.4 made ParamType generic (the value it gives, the input it takes);
    # the older clicks pyproject allows cannot subscript it at run time.
    _DateType = click.ParamType[dt.date, object]
else:
    _DateType = click.ParamType


class AsOf(_DateType):
    """A `YYYY-MM-DD` date for --as-of (or `today`)."""

    name = "date"

    def convert(
        self, value: object, param: click.Parameter | None, ctx: click.Context | None
    ) -> dt.date:
        """The date `value` names; a usage error if it is not one."""
        if isinstance(value, dt.date):
            return value
        text = str(value)
        if text == "today":
            return dt.date.today()
        try:
            return parse_day(text)
        except DateError as exc:
            self.fail(str(exc), param, ctx)


argument_file = click.argument("file", type=FILE, default=DEFAULT_FILE)
"""FILE: the ledger to read (default: predictions.yaml)."""

as_of_option = click.option(
    "--as-of", type=AsOf(), default="today", show_default=True,
    help="Treat this day (YYYY-MM-DD) as today.",
)
"""--as-of DATE: the day treated as today (default: the real date)."""

format_option = click.option(
    "--format", "format_", type=click.Choice(["table", "csv", "json"]), default="table",
    show_default=True, help="Output format.",
)
"""--format table|csv|json."""

provisional_option = click.option(
    "--provisional", is_flag=True,
    help="Score provisional outcomes (market prices on open questions).",
)
"""--provisional: score market prices on open questions as outcomes."""

write_file_option = click.option(
    "-f", "--file", "file", type=FILE, default=DEFAULT_FILE, show_default=True,
    help="The ledger file to change.",
)
"""-f/--file FILE: the ledger a write command changes."""

into_option = click.option(
    "--into", type=FILE,
    help="Write the new entry into this file of the ledger (one it includes).",
)
"""--into FILE: a file the ledger includes, to hold the new entry."""


OUTPUT = "'-o' / '--output'"
"""-o/--output, as click names it in usage errors (an output the rules refuse)."""


def output_options(function: F) -> F:
    """-o/--output OUT.yaml (required) and --force."""
    function = click.option(
        "--force", is_flag=True,
        help="Replace OUT.yaml if it exists (never a ledger another import did not "
        "write), or write through it if it is a symbolic link.",
    )(function)
    return click.option(
        "-o", "--output", required=True, metavar="OUT.yaml",
        type=click.Path(dir_okay=False),
        help="The ledger file to write (refused if it exists, unless --force).",
    )(function)


def with_options(kind: type[T]) -> Callable[[Callable[[T], None]], Callable[..., None]]:
    """Hand a command its options as one `kind`, instead of as many arguments.

    `kind` is a dataclass whose fields are the options' names. Put it nearest
    the function, under the click decorators; the function's name and
    docstring (its help) stay the command's.
    """

    def decorate(function: Callable[[T], None]) -> Callable[..., None]:
        @functools.wraps(function)
        def command(**options: Any) -> None:
            function(kind(**options))

        return command

    return decorate
