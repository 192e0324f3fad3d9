"""The ledger's records: frozen all the way down, each knowing where it was written.

No I/O happens here. `load` builds these records from YAML, `validate` checks
them against each other, and `rules` holds the one definition of which forecast
and which outcome stand.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal, cast

from ledger.core.dates import When

Kind = Literal["binary", "date", "numeric"]
Basis = Literal["stated", "mapped", "judged"]
Assess = Literal["by-deadline", "at-deadline"]
Grading = Literal["majority", "unanimous", "mean"]
GRADINGS: tuple[Grading, ...] = ("majority", "unanimous", "mean")
"""How a judged question's gradings combine (`core.grading`); majority by default."""
ResultKind = Literal[
    "yes",
    "no",
    "fraction",
    "provisional",
    "date",
    "number",
    "void",
    "ambiguous",
    "not-yet",
]
Bound = When | float | None


@dataclass(frozen=True, slots=True, order=True)
class Location:
    """Where something was written: a file path and a 1-based line number.

    Attributes:
        path: The file as the user named it, which error messages show.
        line: The line, counted from 1.
    """

    path: str
    line: int

    def __str__(self) -> str:
        return f"{self.path}:{self.line}"


MESSAGE_LIMIT = 400  # characters of a message shown; a longer one is cut
_CONTROLS = [*range(32), 127, 0x85, 0x2028, 0x2029]
_VISIBLE = {code: repr(chr(code))[1:-1] for code in _CONTROLS}


@dataclass(frozen=True, slots=True)
class Error:
    """A problem with the user's data, reported rather than raised."""

    location: Location
    message: str

    @property
    def shown(self) -> str:
        """The message as shown: always one line, at most MESSAGE_LIMIT characters.

        A line break or other control character in a quoted value is escaped,
        and a longer message is cut.
        """
        message = self.message.translate(_VISIBLE)
        if len(message) > MESSAGE_LIMIT:
            message = message[: MESSAGE_LIMIT - 1] + "…"
        return message

    def __str__(self) -> str:
        return f"{self.location}: {self.shown}"


@dataclass(frozen=True, slots=True, kw_only=True)
class Record:
    """Common to every record: where it starts, and the line of each field.

    `lines` holds, flat, each field written below the record's first line and
    how many lines below it is: `("criteria", 2, "kind", 4)`. Small distances
    are shared int objects and one flat tuple is the smallest container, which
    matters at 100,000 questions. `at` gives the fields on the first line (a
    one-line forecast's, all of them) and absent ones the record's location.
    """

    location: Location
    lines: tuple[str | int, ...] = ()

    def at(self, name: str) -> Location:
        """The location of field `name`, or of the record if it has no such field."""
        lines = self.lines
        for i in range(0, len(lines), 2):
            if lines[i] == name:
                below = cast("int", lines[i + 1])  # each name is followed by its int
                return Location(self.location.path, self.location.line + below)
        return self.location


@dataclass(frozen=True, slots=True, kw_only=True)
class Forecaster(Record):
    """Someone who makes forecasts."""

    id: str
    name: str
    aliases: tuple[str, ...] = ()
    affiliation: str | None = None
    links: tuple[str, ...] = ()
    note: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Source(Record):
    """A document a forecast or outcome comes from: an interview, a post, a data set.

    Fields are keyword-only, so their order is only for reading: where to find
    it (`url`, `date`), what it is (`title`, `note`), and its terms (`licence`,
    `kind`, `attribution`).

    Attributes:
        kind: One of the schema's kinds (interview, podcast, article, ...).
        date: When it was published, possibly known only roughly.
        attribution: With `licence`, how imported data must be credited.
    """

    id: str
    url: str | None = None
    date: When | None = None
    title: str
    note: str | None = None
    licence: str | None = None
    kind: str
    attribution: str | None = None


@dataclass(frozen=True, slots=True)
class Window:
    """A claimed range `[start, end]` for a date or numeric question.

    For a date question each end is a `When` (already shifted when the window
    was written relative to the forecast's `made` date); for a numeric question
    each end is a float. `None` is an open end.
    """

    start: Bound
    end: Bound
    text: str

    def __str__(self) -> str:
        return self.text


@dataclass(frozen=True, slots=True)
class Quantiles:
    """A forecast's quantiles on a date or numeric question, ascending by level.

    Each level lies strictly between 0 and 1, and its value is a `When` (a
    date question; already shifted when written relative to `made`) or a
    float (a numeric question). The values do not decrease as the level
    rises under some reading of the dates (the loader checks it).
    """

    levels: tuple[float, ...]
    values: tuple[When | float, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class Forecast(Record):
    """One forecaster's claim on one question, as made on one date.

    Attributes:
        entered: When the forecast was entered in the ledger, for a ledger
            without git history (git's first commit wins where there is one).
    """

    by: str
    quantiles: Quantiles | None = None  # a date or numeric question's, or None
    made: When
    source: str | None = None
    quote: str | None = None
    p: float | None = None
    window: Window | None = None
    basis: Basis
    table: str | None = None
    words: str | None = None
    note: str | None = None
    entered: When | None = None


@dataclass(frozen=True, slots=True)
class Result:
    """What an outcome says happened."""

    kind: ResultKind
    value: float | When | None = None
    text: str = ""

    def __str__(self) -> str:
        return self.text or self.kind


@dataclass(frozen=True, slots=True, kw_only=True)
class Outcome(Record):
    """One entry in a question's append-only outcome history.

    Attributes:
        known: When the result became knowable.
        recorded: When it was written down; of the entries known, the latest
            recorded stands.
    """

    result: Result
    known: When
    recorded: When
    by: str | None = None
    evidence: tuple[str, ...] = ()
    note: str | None = None
    derived: str | None = None  # set when `rules` derives the outcome from others


@dataclass(frozen=True, slots=True)
class Order:
    """The claim that question `after` happens strictly later than `before`."""

    before: str
    after: str


SOURCES = (
    "manifold", "metaculus", "polymarket", "kalshi", "csv", "json", "github-release",
)
"""Where a resolver can find an outcome: four markets, two kinds of series, releases."""
MARKETS = ("manifold", "metaculus", "polymarket", "kalshi")
"""The sources that are markets: they have a `market` and give crowd prices."""


@dataclass(frozen=True, slots=True)
class Rule:
    """A threshold on a series: yes when `observed op value` holds.

    With `on`, the observation on that date decides; without it, the first
    observation by the question's deadline that satisfies the rule.
    """

    op: str
    value: float
    on: When | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Resolver(Record):
    """Where `ledger sync` finds a question's outcome, and a crowd price.

    Attributes:
        source: One of SOURCES.
        market: A market's id or slug (market sources).
        crowd: A declared forecaster who receives the market's prices.
        url, column, date, path, date_path, rule: A csv or json series.
        repo, tag: A GitHub repository and a release tag (or glob).
    """

    source: str
    # a market
    market: str | None = None
    crowd: str | None = None
    # a csv or json series
    url: str | None = None
    column: str | None = None
    date: str | None = None
    path: str | None = None
    date_path: str | None = None
    rule: Rule | None = None
    # a GitHub release
    repo: str | None = None
    tag: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Question(Record):
    """A question, every forecast made on it, and its outcome history.

    Attributes:
        assess: `by-deadline` (an event that may happen any time before the
            deadline) or `at-deadline` (a state assessed at the deadline: no
            final result is known before it).
        written: When the criteria (and the question) were written, if later
            than the forecasts.
        judges: Who grades it, declared forecasters; empty: the latest
            outcome entry stands (see `core.rules`).
        grading: How the judges' gradings combine, as written (None:
            majority; see `core.grading`).
    """

    id: str
    title: str
    criteria: str
    kind: Kind
    deadline: When
    tags: tuple[str, ...] = ()
    unit: str | None = None
    condition: str | None = None
    order: Order | None = None
    unscorable: str | None = None
    note: str | None = None
    assess: Assess = "by-deadline"
    written: When | None = None
    forecasts: tuple[Forecast, ...] = ()
    outcomes: tuple[Outcome, ...] = ()
    resolver: Resolver | None = None  # where `ledger sync` finds the outcome
    judges: tuple[str, ...] = ()
    grading: Grading | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Skipped(Record):
    """A claim the keeper considered and deliberately did not score.

    The ledger's `skipped:` section: the words, verbatim, their source, and
    why they are left out, so that a reader (and `ledger extract --against`)
    sees that the claim was weighed, not missed.
    """

    quote: str
    source: str
    reason: str
    by: str | None = None


@dataclass(frozen=True, slots=True)
class Ledger:
    """Everything one ledger file declares.

    `broken` holds the ids of records that were declared but could not be
    built, so that references to them do not cause a second, misleading error.
    `references` holds the (kind, id, location) that records refer to, read even
    from records that could not be built, so that all errors show at once; a
    built forecast's `by` and `source` are not repeated here (a million tuples
    at 500,000 forecasts): `validate` reads them from the forecast itself.
    `includes` holds the root file's `include:` patterns with their locations,
    and `files` every file the ledger was read from, the root first.
    `skipped` holds the claims considered and not scored, and `gradings`
    the judges' gradings kept in a `gradings:` list (question id, entry),
    which loading joins to their questions' outcomes (`loader.gradings`).
    """

    path: str
    forecasters: tuple[Forecaster, ...] = ()
    sources: tuple[Source, ...] = ()
    questions: tuple[Question, ...] = ()
    skipped: tuple[Skipped, ...] = ()
    broken: frozenset[tuple[str, str]] = field(default_factory=frozenset)
    references: tuple[tuple[str, str, Location], ...] = ()
    includes: tuple[tuple[str, Location], ...] = ()
    files: tuple[str, ...] = ()
    gradings: tuple[tuple[str, Outcome], ...] = ()

