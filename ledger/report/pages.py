"""Reports: yearly scorecards, a page per forecaster, a comparison and an index.

`build(ledger, as_of)` returns every file as text, keyed by its path relative
to the output folder; the CLI writes them. Python computes each page's small
context (plain dicts and lists, numbers already formatted) and the jinja2
templates in `ledger/templates/` only lay it out, twice: Markdown (charts as
SVG files beside it, under `charts/`) and self-contained HTML (inline CSS and
inline SVG, no JavaScript, nothing from the network).

Rules of the reports, each applied here and stated in every page's footer:

- **A year's scorecard is the ledger as it stood at the end of that year**, or
  on the as-of date for the current year: outcomes known by then count, and
  forecasts made by then. "Resolved this year" holds the standing forecasts on
  questions whose outcome became known that year (latest reading of `known`);
  "Forecasts made this year" those made that year (earliest reading of `made`).
- Scores are the scorecard's (`ledger.scorecard`): Brier 0-1 with a 95%
  question-bootstrap CI (1,000 resamples, seed 0), log and Baseline scores,
  skill against always-50% and against the base rate; calibration bins with
  Wilson intervals and the ACX-style folded table; comparisons from
  `ledger.compare`.
- **Everything is escaped.** HTML and SVG templates autoescape; Markdown
  templates run every value through `md_escape` (jinja2's `finalize`), so a
  template cannot forget. Only `http(s)` links become links. File names come
  from `safe_name`, and `inside` refuses any path outside the output folder.
- **Deterministic**: sorted rows, fixed formats, seeded bootstraps, no clock.
  The same ledger and as-of date give byte-identical files.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import io
import json
import os
import re
import shlex
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import quote, urlsplit

import jinja2
import markupsafe
import numpy as np
import pandas as pd

from ledger import compare as comparing
from ledger import score
from ledger.core import rules, words
from ledger.core.dates import When
from ledger.core.memory import gc_paused
from ledger.core.model import Forecast, Ledger, Question, Source
from ledger.core.text import DASH, MINUS, missing, number, percent, plural, share
from ledger.core.text import interval as text_interval
from ledger.frame import frame as make_frame
from ledger.query.due import span
from ledger.query.listing import window_text
from ledger.report import charts
from ledger.score import scorecard

FORMATS = ("md", "html")
MIN_QUESTIONS = 5  # a leaderboard flags forecasters with fewer scored questions
HEAD_TO_HEAD = 10  # head to head among at most this many best-ranked forecasters
LIST_LIMIT = 200
"""The most items one list on a page shows (question cards, table rows, timing
charts). Beyond it the page shows the first LIST_LIMIT, in the list's order,
and says how many there are in all and which command lists every one: a
100,000-question ledger would otherwise write year pages of 300 MB that no
browser opens. Scored forecasts (the resolved tables) are never cut."""
SHARED_TITLES = 20  # question titles named per pair in a forecaster's shared-questions table
BASES = ("stated", "mapped", "judged")
MARKS = {
    "true": "✓ came true",
    "false": "✗ didn't",
    "partial": "◐ partly",
    "void": "⊘ voided",
    "undetermined": "? undetermined",
    "unscorable": "– not scored",
}
SCALES = (
    "Brier: (p − outcome)², 0–1, lower is better; always saying 50% scores 0.25.",
    "Log score: ln p(outcome), at most 0, higher is better "
    "(p clipped to [0.001, 0.999]).",
    "Baseline (Metaculus): 100·(1 + log₂ p(outcome)); 0 = chance, 100 = perfect, "
    "higher is better.",
    "Skill: 1 − Brier / reference Brier, against always 50% (0.25) and against the "
    "base rate of the outcomes scored; at most 1, higher is better, 0 = no better "
    "than the reference.",
    "Timing error: 0 inside the window, else the distance to its nearer end, in "
    "years (date questions) or the question's unit; lower is better.",
)
CI_TEXT = (
    "95% CI of a mean Brier: percentile bootstrap over questions, 1,000 resamples, "
    "seed 0. Calibration: Wilson 95% intervals per bin. Head to head: the mean "
    "paired difference with a question bootstrap CI, and an exact sign-flip test "
    "(n ≤ 20) or a paired t-test."
)
STANDING_TEXT = (
    "Each forecaster's standing forecast on a question is their last one made on or "
    "before its deadline (and by the date of the view); earlier ones are updates it "
    "replaced and are not scored. Of the outcomes known by then, the latest recorded "
    "stands; void and ambiguous questions are left out and counted."
)
YEAR_TEXT = (
    "A year's scorecard shows the ledger as it stood at the end of that year (for "
    "the current year, on the as-of date): a forecast belongs to the year it was "
    "made (earliest reading of its date), and is scored in the year its outcome "
    "became known (latest reading)."
)


# ---------------------------------------------------------------- escaping and names


_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_MD_ACTIVE = re.compile(r"([\\`*_\[\]|~$#<>])")
_MD_ENTITY = re.compile(r"&(?=#?\w+;)")
# What would start a list, a heading underline or a thematic break at a line's start.
_MD_LEADING = re.compile(r"^(\d{1,9})([.)])(?=\s|$)|^([-+=])(?=[\s=+-]|$)")
# Text md_escape leaves as it is: none of the characters above (nor any other
# whitespace than single spaces); a big report writes millions of such values.
_MD_PLAIN = re.compile(
    "[A-Za-z0-9 ,.;:'\"()%/?!+=\\-\u2014\u2013\u2212\u2026\u201c\u201d\u2018\u2019"
    "\u2265\u2264\u00b7]*"
)
_SPACE = re.compile(r"\s")  # what str.isspace() calls whitespace


class Md(str):
    """Markdown that is already safe (built from escaped parts): not escaped again."""

    __slots__ = ()


def clean(text: str) -> str:
    """`text` without control characters, lone surrogates or non-characters.

    >>> clean("a\\x00b\\tc")
    'a b\\tc'
    """
    return _CONTROL.sub(" ", text)


def md_escape(value: object) -> str:
    """Any value as Markdown text that renders as itself, on one line (see `_md_escape`).

    Memoised for strings: a big report escapes the same names, dates and
    titles hundreds of thousands of times.
    """
    if type(value) is str:
        return _md_escape_text(value)
    return _md_escape(value)


@functools.lru_cache(maxsize=1 << 16)
def _md_escape_text(value: str) -> str:
    return _md_escape(value)


def _md_escape(value: object) -> str:
    """Any value as Markdown text that renders as itself, on one line.

    Markdown-active characters are backslash-escaped (`|` included, so the text
    can sit in a table cell), `<`, `>` and entity-like `&` become entities,
    whitespace runs (newlines too) become one space, and a leading `-`, `+`,
    `=` or `1.` cannot start a list or a heading.

    >>> md_escape("<script>alert(1)</script> | *x* & [y](z)")
    '\\\\<script\\\\>alert(1)\\\\</script\\\\> \\\\| \\\\*x\\\\* & \\\\[y\\\\](z)'
    >>> md_escape("- 1.5 &amp;"), md_escape(None)
    ('\\\\- 1.5 &amp;amp;', '—')
    """
    if isinstance(value, Md):
        return value
    if value is None:
        return DASH
    text = str(value)
    if (
        _MD_PLAIN.fullmatch(text)
        and "  " not in text
        and text[:1] != " "
        and text[-1:] != " "
        and not _MD_LEADING.match(text)
    ):
        return text  # what the lines below return for it
    text = " ".join(clean(text).split())
    text = _MD_ENTITY.sub("&amp;", text)
    text = _MD_ACTIVE.sub(r"\\\1", text)
    return _MD_LEADING.sub(lambda m: f"{m[1]}\\{m[2]}" if m[1] else f"\\{m[3]}", text)


def _html_finalize(value: object) -> object:
    if value is None:
        return DASH
    if type(value) is str:
        return _clean_text(value)
    if isinstance(value, str) and not isinstance(value, markupsafe.Markup):
        return clean(value)
    return value


@functools.lru_cache(maxsize=1 << 16)
def _clean_text(value: str) -> str:
    """`clean`, memoised: a big report shows the same names and dates again and again."""
    return clean(value)


def safe_url(url: str | None) -> str | None:
    """`url` if it is an http(s) link that can be written as is, else None.

    >>> safe_url("https://example.org/a?b=1"), safe_url("javascript:alert(1)")
    ('https://example.org/a?b=1', None)
    """
    if not url:
        return None
    url = url.strip()
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    if _CONTROL.search(url) or _SPACE.search(url):
        return None
    return url


def md_code(text: str) -> Md:
    """`text` as a Markdown code span: shown exactly as written (a command to copy).

    >>> md_code("ledger list a|b.yaml")
    '`ledger list a|b.yaml`'
    >>> md_code("x`y")
    '``x`y``'
    """
    text = " ".join(clean(str(text)).split())
    fence = "``" if "`" in text else "`"
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return Md(f"{fence}{pad}{text}{pad}{fence}")


@functools.lru_cache(maxsize=1 << 12)
def md_link(text: object, url: str | None) -> Md:
    """A Markdown link (or just the escaped text, when the URL is not http(s)).

    >>> md_link("a|b", "https://x.org/a(1)|b"), md_link("x", "javascript:alert(1)")
    ('[a\\\\|b](https://x.org/a%281%29%7Cb)', 'x')
    """
    target = safe_url(url)
    label = md_escape(text)
    if target is None:
        return Md(label)
    return Md(f"[{label}]({quote(target, safe=':/?#@!$&*+,;=%~.-_')})")


def safe_name(text: str) -> str:
    """A file-name stem from an id: the id itself when it is a short slug; else a
    slug of it plus a hash of the original, so distinct ids never share a name
    and no name can climb out of its folder.

    >>> safe_name("jerry-tworek"), safe_name("../../etc")
    ('jerry-tworek', 'etc-74ccf3c5')
    """
    if re.fullmatch(r"[a-z0-9][a-z0-9-]{0,79}", text):
        return text
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60] or "x"
    digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:8]
    return f"{slug}-{digest}"


def inside(out: str | Path, relative: str) -> Path:
    """The path of `relative` under `out`; ValueError if it would land elsewhere."""
    part = PurePosixPath(relative)
    if part.is_absolute() or ".." in part.parts or "\\" in relative or not part.parts:
        raise ValueError(f"refusing to write '{relative}': not a plain relative path")
    root = Path(out).resolve()
    path = (root / Path(*part.parts)).resolve()
    if not path.is_relative_to(root) or path == root:
        raise ValueError(f"refusing to write '{relative}': it is outside {out}")
    return path


# ---------------------------------------------------------------- formatting


def num(value: object, digits: int = 3) -> str:
    """A number with fixed decimals and a true minus sign; '—' when missing.

    >>> num(0.12345), num(-1.5, 1), num(-0.0001, 2), num(float("nan"))
    ('0.123', '−1.5', '0.00', '—')
    """
    return number(value, digits, minus=MINUS)


def interval(low: object, high: object, digits: int = 3, percent: bool = False) -> str:
    """An interval as 'LOW to HIGH' with true minus signs; '—' when missing.

    >>> interval(-0.27, 0.11), interval(0.2, 0.9, percent=True)
    ('−0.270 to 0.110', '20.0% to 90.0%')
    """
    return text_interval(low, high, digits, percent=percent, minus=MINUS)


def _shorten(text: str, size: int = 26) -> str:
    return text if len(text) <= size else text[: size - 1].rstrip() + "…"


# ---------------------------------------------------------- the ledger as of a day


@dataclass
class _Book:
    """The ledger and what every page needs from it, with frames cached by day."""

    ledger: Ledger
    as_of: dt.date
    questions: dict[str, Question] = field(init=False)
    names: dict[str, str] = field(init=False)
    sources: dict[str, Source] = field(init=False)
    _frames: dict[dt.date, pd.DataFrame] = field(default_factory=dict, init=False)
    _shared: dict[dt.date, list[dict[str, Any]]] = field(
        default_factory=dict, init=False
    )
    _together: dict[dt.date, dict[str, list[str]]] = field(default_factory=dict, init=False)
    _rows: dict[dt.date, dict[tuple[str, int], dict[str, Any]]] = field(
        default_factory=dict, init=False
    )
    _scores: dict[dt.date, dict[tuple[str, str], dict[str, Any]]] = field(
        default_factory=dict, init=False
    )
    # Per day, by id(question): what `rules` says, computed once (every page
    # asks again, and a big ledger has a hundred thousand questions).
    _states: dict[dt.date, dict[int, tuple[str, Any]]] = field(
        default_factory=dict, init=False
    )
    _timely: dict[dt.date, dict[int, tuple[Forecast, ...]]] = field(
        default_factory=dict, init=False
    )
    _standing: dict[dt.date, dict[int, tuple[Forecast, ...]]] = field(
        default_factory=dict, init=False
    )
    _tables: list[str] | None = field(default=None, init=False)
    _urls: dict[int, str | None] = field(default_factory=dict, init=False)

    def __post_init__(self) -> None:
        self.questions = rules.index(self.ledger)
        self.names = {f.id: f.name for f in self.ledger.forecasters}
        self.sources = {s.id: s for s in self.ledger.sources}

    def forecast(self, key: tuple[str, int]) -> Forecast:
        """The forecast of question `key[0]` written on line `key[1]` (a frame row's
        `question` and `line`). Looked up among the question's few forecasts: an
        index of every forecast cost 100 MB at 550,000 forecasts, for the few
        thousand a report shows."""
        question, line = key
        return next(f for f in self.questions[question].forecasts if f.location.line == line)

    def name(self, forecaster: str) -> str:
        return self.names.get(forecaster, forecaster)

    def frame(self, day: dt.date) -> pd.DataFrame:
        if day not in self._frames:
            self._frames[day] = make_frame(self.ledger, day)
        return self._frames[day]

    def rows(self, day: dt.date) -> dict[tuple[str, int], dict[str, Any]]:
        """The outcome, timing error and censoring of the frame's rows on date
        and numeric questions (windows) as of `day`, by (question, line of the
        forecast)."""
        if day not in self._rows:
            frame = self.frame(day)
            frame = frame[(frame["kind"] != "binary").to_numpy()]
            names = ("outcome", "timing_error", "censored")
            values = zip(*(frame[name].tolist() for name in names), strict=True)
            self._rows[day] = {
                key: dict(zip(names, row, strict=True))
                for key, row in zip(
                    zip(
                        frame["question"].tolist(), frame["line"].tolist(), strict=True
                    ),
                    values,
                    strict=True,
                )
            }
        return self._rows[day]

    def scores(self, day: dt.date) -> dict[tuple[str, str], dict[str, Any]]:
        """The scored standing forecasts as of `day`, by (question, forecaster)."""
        if day not in self._scores:
            scored = scorecard.scored(self.frame(day))
            records = scored[["question", "forecaster", "brier", "baseline_score"]].to_dict("records")
            self._scores[day] = {
                (r["question"], str(r["forecaster"])): r for r in records
            }
        return self._scores[day]

    def standing_forecasters(self, day: dt.date) -> dict[str, list[str]]:
        """Each question's forecasters with a standing forecast as of `day`, computed once."""
        if day not in self._together:
            frame = self.frame(day)
            standing = frame[frame["standing"]]
            found: dict[str, list[str]] = {}
            for question_id, forecaster in zip(
                standing["question"].tolist(), standing["forecaster"].astype(str).tolist(),
                strict=True,
            ):
                found.setdefault(question_id, []).append(forecaster)
            self._together[day] = found
        return self._together[day]

    def shared(self, day: dt.date) -> list[dict[str, Any]]:
        """`compare.shared_questions` of the frame as of `day`, computed once."""
        if day not in self._shared:
            self._shared[day] = comparing.shared_questions(self.frame(day))
        return self._shared[day]

    def state(self, question: Question, day: dt.date) -> tuple[str, Any]:
        known = self._states.setdefault(day, {})
        if id(question) not in known:
            found = rules.outcome(question, self.questions, day)
            known[id(question)] = rules.status(question, found, day), found
        return known[id(question)]

    def timely(self, question: Question, day: dt.date) -> tuple[Forecast, ...]:
        """`rules.timely(question, day)`, computed once."""
        known = self._timely.setdefault(day, {})
        if id(question) not in known:
            known[id(question)] = rules.timely(question, day)
        return known[id(question)]

    def standing(self, question: Question, day: dt.date) -> tuple[Forecast, ...]:
        """`rules.standing_forecasts(question, day)`, computed once."""
        known = self._standing.setdefault(day, {})
        if id(question) not in known:  # from the timely forecasts already found
            known[id(question)] = rules.standing_among(self.timely(question, day))
        return known[id(question)]

    def url(self, source: Source) -> str | None:
        """`safe_url(source.url)`, computed once per source."""
        if id(source) not in self._urls:
            self._urls[id(source)] = safe_url(source.url)
        return self._urls[id(source)]

    def tables(self) -> list[str]:
        """The verbal-probability tables the ledger's mapped forecasts use, sorted."""
        if self._tables is None:
            self._tables = sorted(
                {
                    f.table
                    for q in self.ledger.questions
                    for f in q.forecasts
                    if f.basis == "mapped" and f.table
                }
            )
        return self._tables

    def cutoff(self, year: int) -> dt.date:
        return min(self.as_of, dt.date(year, 12, 31))

    def forecaster_order(self, ids: Iterable[str]) -> list[str]:
        return sorted(set(ids), key=lambda f: (self.name(f).casefold(), f))


def _cut(
    items: list[Any], book: _Book, what: str, options: str, exact: bool = True
) -> tuple[list[Any], dict[str, Any] | None]:
    """(The first LIST_LIMIT of `items`, a note on the rest or None): the note
    says how many `what` there are and the command that lists them, `ledger
    list FILE OPTIONS` or, when `options` starts with a command name, `ledger
    OPTIONS`; `exact`: it lists these and no more (else, these among others)."""
    total = len(items)
    if total <= LIST_LIMIT:
        return items, None
    name = shlex.quote(os.path.basename(book.ledger.path) or book.ledger.path)
    command, _, rest = options.partition(" ")
    words = (["ledger", command, name, rest] if command in ("due", "compare")
             else ["ledger", "list", name, options])
    return items[:LIST_LIMIT], {
        "shown": f"{min(len(items), LIST_LIMIT):,}",
        "total": f"{total:,}",
        "what": what,
        "exact": exact,
        "command": clean(" ".join(w for w in words if w)),
    }


def default_years(ledger: Ledger, as_of: dt.date) -> list[int]:
    """Every year the ledger has a forecast made or an outcome known in, by `as_of`."""
    questions = rules.index(ledger)
    years = set()
    for question in ledger.questions:
        years |= {f.made.earliest.year for f in rules.timely(question, as_of)}
        found = rules.outcome(question, questions, as_of)
        if rules.status(question, found, as_of) in ("resolved", "void"):
            years.add(found.known.latest.year)  # type: ignore[union-attr]
    return sorted(years)


# ---------------------------------------------------------------- claims and questions


def _bound_text(forecast: Forecast, question: Question) -> str:
    start, end = window_text(forecast)
    unit = f" {question.unit}" if question.unit and question.kind == "numeric" else ""
    if start and end:
        return f"{start} to {end}{unit}"
    if start:
        return f"{start}{unit} or later"
    return f"by {end}{unit}" if question.kind == "date" else f"up to {end}{unit}"


def _claim_text(forecast: Forecast, question: Question) -> str:
    if forecast.window is None:
        return percent(forecast.p)
    window = f"window {_bound_text(forecast, question)}"
    return (
        f"{window}, {percent(forecast.p)}"
        if forecast.p is not None
        else f"{window}, no probability"
    )


def _basis_text(forecast: Forecast) -> str:
    if forecast.basis == "mapped" and forecast.words:
        table = (
            words.tables().get(forecast.table or "", {}).get("name", forecast.table)
        )
        return f"mapped from “{forecast.words}” ({table})"
    if forecast.basis == "judged":
        return "judged (the keeper's reading)"
    return forecast.basis


def _claim(
    book: _Book, question: Question, forecast: Forecast, standing: bool
) -> dict[str, Any]:
    source = book.sources.get(forecast.source or "")
    written = forecast.window.text if forecast.window is not None else ""
    start, end = window_text(forecast)
    return {
        "forecaster": forecast.by,
        "name": book.name(forecast.by),
        "made": str(forecast.made),
        "claim": _claim_text(forecast, question),
        "p": percent(forecast.p) if forecast.p is not None else "no probability",
        "window": _bound_text(forecast, question)
        if forecast.window is not None
        else "",
        "written": written if written and written != f"{start}..{end}" else "",
        "basis": forecast.basis,
        "basis_text": _basis_text(forecast),
        "quote": forecast.quote,
        "note": forecast.note if forecast.basis != "stated" else None,
        "source": None
        if source is None
        else {"title": source.title, "url": book.url(source)},
        "standing": standing,
    }


def _when(question: Question, state: str, day: dt.date) -> str:
    days = (question.deadline.latest - day).days
    if state == "due":
        return f"overdue by {plural(-days, 'day')} ({span(-days)})"
    if days == 0:
        return "due today"
    return f"in {span(days)}" if days > 0 else f"{span(-days)} ago"


def _outcome_text(question: Question, found: Any) -> str:
    """The standing outcome as words: 'yes', '0.5', '2027-09-15', 'void', ..."""
    if found is None or found.result.kind == "provisional":
        return "not yet"
    if found.result.kind == "no" and question.kind == "date":
        return "did not happen by the deadline"
    return str(found.result)


def _card(
    book: _Book, question: Question, day: dt.date, only: str | None = None
) -> dict[str, Any]:
    """A question with its standing forecasts as of `day` (or only `only`'s)."""
    state, found = book.state(question, day)
    claims = [
        _claim(book, question, f, True)
        for f in book.standing(question, day)
        if only is None or f.by == only
    ]
    claims.sort(key=lambda c: (c["name"].casefold(), c["forecaster"]))
    return {
        "id": question.id,
        "title": question.title,
        "kind": question.kind,
        "deadline": str(question.deadline),
        "when": _when(question, state, day),
        "status": state,
        "criteria": question.criteria,
        "unscorable": question.unscorable,
        "outcome": _outcome_text(question, found),
        "claims": claims,
    }


# ---------------------------------------------------------------- resolved and scored


def _resolved_mask(frame: pd.DataFrame, year: int | None) -> pd.Series:
    """Standing rows on questions resolved or void (in `year`, if given)."""
    mask = frame["standing"] & frame["status"].isin(["resolved", "void"])
    if year is not None:
        mask &= frame["known"].dt.year == year
    return mask


def _mark(row: dict[str, Any]) -> str:
    if row["status"] == "void":
        return "void"
    if row["excluded"] in ("unscorable", "undetermined"):
        return row["excluded"]
    outcome = row["outcome"]
    return "true" if outcome == 1 else "false" if outcome == 0 else "partial"


def _miss(row: dict[str, Any], question: Question) -> str:
    error = row["timing_error"]
    if missing(error):
        return DASH
    unit = "y" if question.kind == "date" else (question.unit or "")
    text = f"{num(error, 2)} {unit}".rstrip()
    return f"≥ {text}" if row["censored"] else text


def _resolved_rows(
    book: _Book, frame: pd.DataFrame, mask: pd.Series, day: dt.date
) -> list[dict[str, Any]]:
    """Each standing forecast in `mask` (of the frame as of `day`): its claim,
    outcome, mark and scores."""
    scores = book.scores(day)
    chosen = frame[mask].sort_values(["known", "question", "forecaster", "line"])
    needed = ["question", "forecaster", "line", "status", "excluded", "outcome", "timing_error",
              "censored"]  # what is read below: no Timestamp boxed for nothing
    rows = []
    for row in chosen[needed].to_dict("records"):
        question = book.questions[row["question"]]
        forecast = book.forecast((row["question"], row["line"]))
        scored = scores.get((row["question"], row["forecaster"]), {})
        found = book.state(question, day)[1]
        mark = _mark(row)
        outcome = _outcome_text(question, found)
        if mark == "partial":
            outcome = f"{outcome} (partial credit)"
        rows.append(
            {
                "forecaster": row["forecaster"],
                "name": book.name(row["forecaster"]),
                "question": question.id,
                "title": question.title,
                "known": str(found.known) if found is not None else DASH,
                "claim": _claim_text(forecast, question),
                "basis": forecast.basis,
                "outcome": outcome,
                "derived": found.derived if found is not None else None,
                "mark": mark,
                "mark_text": MARKS[mark],
                "brier": num(scored.get("brier")),
                "baseline": num(scored.get("baseline_score"), 1),
                "miss": _miss(row, question) if question.kind != "binary" else DASH,
            }
        )
    return rows


def _summary(row: dict[str, Any]) -> dict[str, Any]:
    """One aggregate row, formatted."""
    return {
        "n": int(row["n"]),
        "brier": num(row["brier"]),
        "ci": interval(row["brier_ci_low"], row["brier_ci_high"]),
        "baseline": num(row["baseline_score"], 1),
        "skill_half": num(row["bss_half"], 2),
        "skill_base": num(row["bss_base_rate"], 2),
        "timing": DASH
        if missing(row["timing_error"])
        else f"{num(row['timing_error'], 2)} y",
        "window_only": int(row["n_window_only"]),
    }


def _per_forecaster(
    book: _Book, frame: pd.DataFrame, mask: pd.Series, day: dt.date
) -> list[dict[str, Any]]:
    """The resolved forecasts in `mask` grouped by forecaster, each with a summary."""
    rows = _resolved_rows(book, frame, mask, day)
    if not rows:
        return []
    table = scorecard.aggregate(frame[mask], ["forecaster"])
    summaries = {str(r["forecaster"]): _summary(r) for r in table.to_dict("records")}
    by_forecaster: dict[str, list[dict[str, Any]]] = {}
    for r in rows:
        by_forecaster.setdefault(r["forecaster"], []).append(r)
    groups = []
    for forecaster in book.forecaster_order(by_forecaster):
        mine = by_forecaster[forecaster]
        counts = {mark: sum(r["mark"] == mark for r in mine) for mark in MARKS}
        groups.append(
            {
                "forecaster": forecaster,
                "name": book.name(forecaster),
                "rows": mine,
                "summary": summaries[forecaster],
                "tally": ", ".join(
                    f"{count} {MARKS[mark][2:]}"
                    for mark, count in counts.items()
                    if count
                ),
            }
        )
    return groups


# ---------------------------------------------------------------- charts


class _Charts:
    """Renders chart geometry to SVG and remembers each file (for Markdown)."""

    def __init__(self, env: jinja2.Environment) -> None:
        self.env = env
        self.files: dict[str, str] = {}

    def add(self, template: str, stem: str, geometry: dict[str, Any]) -> dict[str, Any]:
        svg = self.env.get_template(template).render(chart=geometry)
        path = f"charts/{stem}.svg"
        self.files[path] = svg
        return {
            "file": path,
            "svg": markupsafe.Markup(svg.rstrip("\n")),
            "alt": geometry["label"],
        }


def _bins(table: pd.DataFrame) -> list[dict[str, Any]]:
    return [
        {
            key: row[key]
            for key in ("lo", "hi", "n", "mean_p", "observed", "wilson_lo", "wilson_hi")
        }
        for row in table.to_dict("records")
    ]


def _calibration(
    frame: pd.DataFrame,
    mask: pd.Series,
    scope: pd.Series,
    drawn: _Charts,
    stem: str,
    what: str,
    title: str = "",
) -> dict[str, Any]:
    """The calibration chart and folded table of the forecasts in `mask`; with
    nothing to calibrate, the probabilities in `scope` still waiting instead."""
    rows = frame[mask]
    overall = scorecard.calibration(rows)
    if overall["n"] == 0:
        return {"n": 0, "waiting": _waiting(frame[scope])}
    by_basis = scorecard.calibration(rows, by=["basis"])
    present = [b for b in BASES if b in set(by_basis["bins"]["basis"].astype(str))]
    series = [
        {"basis": b, "bins": _bins(by_basis["bins"][by_basis["bins"]["basis"] == b])}
        for b in present
    ]
    folded = by_basis["folded"]
    counts = {
        (str(r["basis"]), int(r["bucket"])): int(r["n"])
        for r in folded.to_dict("records")
    }
    table = []
    for r in overall["folded"].to_dict("records"):
        bucket = int(r["bucket"])
        table.append(
            {
                "bucket": f"{bucket}%",
                "n": int(r["n"]),
                "by_basis": ", ".join(
                    f"{counts[(b, bucket)]} {b}"
                    for b in BASES
                    if counts.get((b, bucket))
                )
                or DASH,
                "mean_p": share(r["mean_p"]),
                "observed": share(r["observed"]),
                "wilson": interval(r["wilson_lo"], r["wilson_hi"], percent=True),
            }
        )
    bins = []
    for r in overall["bins"].to_dict("records"):
        bins.append(
            {
                "bin": str(r["bin"]),
                "n": int(r["n"]),
                "mean_p": share(r["mean_p"]),
                "observed": share(r["observed"]),
                "wilson": interval(r["wilson_lo"], r["wilson_hi"], percent=True),
            }
        )
    n = overall["n"]
    described = "; ".join(
        f"{b['bin']}: {plural(b['n'], 'forecast')}, mean {b['mean_p']}, "
        f"{b['observed']} came true (95% {b['wilson']})"
        for b in bins
        if b["n"]
    )
    label = (
        f"Calibration of {plural(n, 'forecast')} {what}: share that came true against "
        f"the forecast probability, by 10% bin"
    )
    geometry = charts.calibration(
        series,
        title=f"Calibration{title} (n = {n})",
        label=label,
        desc=f"{label}. {described}. Markers by basis: {', '.join(present)}. "
        "The diagonal is perfect calibration; error bars are Wilson 95% intervals.",
    )
    murphy = overall["murphy"] or {}
    return {
        "n": n,
        "chart": drawn.add("calibration.svg.j2", stem, geometry),
        "folded": table,
        "bins": bins,
        "murphy": {k: num(v, 4) for k, v in murphy.items()},
        "ece": num(overall["ece"], 4),
    }


def _waiting(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Standing probabilities waiting for an outcome, by folded bucket and basis."""
    waiting = frame["excluded"].isin(["open", "due"])  # not unscorable: never scored
    rows = frame[frame["standing"] & waiting & frame["p"].notna()]
    if rows.empty:
        return []
    found = []
    tables = {
        b: score.folded_table(
            np.zeros(int((rows["basis"] == b).sum())),
            rows.loc[rows["basis"] == b, "p"].to_numpy(dtype=float),
        )
        for b in BASES
    }
    for i, bucket in enumerate(score.FOLDED_BUCKETS):
        counts = {b: int(tables[b]["n"].iloc[i]) for b in BASES}
        if sum(counts.values()):
            found.append({"bucket": f"{bucket}%", "n": sum(counts.values()), **counts})
    return found


def _axis_value(bound: Any) -> tuple[float, float] | None:
    """A window end on the chart's axis: (earliest, latest), or None when open."""
    if bound is None:
        return None
    if isinstance(bound, When):
        return charts.date_value(bound.earliest), charts.date_value(bound.latest)
    return float(bound), float(bound)


def _timing(
    book: _Book, question: Question, day: dt.date, drawn: _Charts, stem: str
) -> dict[str, Any] | None:
    """The windows of `question`'s standing forecasts against its outcome, as of
    `day`."""
    standing = [f for f in book.standing(question, day) if f.window is not None]
    if not standing:
        return None
    standing.sort(key=lambda f: (f.made.earliest, book.name(f.by).casefold(), f.by))
    state, found = book.state(question, day)
    dates = question.kind == "date"
    rows, table = [], []
    for forecast in standing:
        row = book.rows(day).get((question.id, forecast.location.line), {})
        if state == "resolved" and row:
            inside = row.get("outcome")
            if missing(inside) and missing(row.get("timing_error")):
                verdict = "undetermined"
            elif inside == 1 or row.get("timing_error") == 0:
                verdict = "inside the window"
            else:
                verdict = f"missed by {_miss(row, question)}"
        elif state == "void":
            verdict = "void"
        else:
            verdict = "not yet known"
        made = charts.date_value(forecast.made.earliest) if dates else None
        rows.append(
            {
                "label": _shorten(book.name(forecast.by)),
                "note": percent(forecast.p) if forecast.p is not None else "no p",
                "start": _axis_value(forecast.window.start),  # type: ignore[union-attr]
                "end": _axis_value(forecast.window.end),  # type: ignore[union-attr]
                "made": made,
            }
        )
        claim = _claim(book, question, forecast, True)
        table.append({**claim, "verdict": verdict})
    events = []
    if dates:
        events.append(
            {
                "value": charts.date_value(question.deadline.latest),
                "text": f"deadline {question.deadline}",
                "style": "deadline",
            }
        )
    if state == "resolved" and found is not None:
        value = found.result.value
        if isinstance(value, When):
            events.append(
                {
                    "value": charts.date_value(value.earliest),
                    "text": f"happened {value}",
                    "style": "outcome",
                }
            )
            outcome = f"happened {value}"
        elif isinstance(value, float) and found.result.kind == "number":
            events.append(
                {
                    "value": value,
                    "text": f"outcome {found.result} {question.unit or ''}".rstrip(),
                    "style": "outcome",
                }
            )
            outcome = f"outcome {found.result} {question.unit or ''}".rstrip()
        else:
            outcome = "did not happen by the deadline"
    elif state == "void":
        outcome = "void"
    else:
        outcome = f"not yet (as of {day.isoformat()})"
        if dates:
            events.append(
                {
                    "value": charts.date_value(day),
                    "text": f"not yet: as of {day.isoformat()}",
                    "style": "as-of",
                }
            )
    title = _shorten(question.title, 80)
    label = f"Timing of {plural(len(rows), 'window')} on “{title}”: {outcome}"
    desc = "; ".join(
        f"{c['name']}: {c['window']}, {c['p']} ({c['verdict']})" for c in table
    )
    axis = "Date" if dates else f"Value{f' ({question.unit})' if question.unit else ''}"
    geometry = charts.timeline(
        rows,
        events,
        dates=dates,
        axis_title=axis,
        title=_shorten(question.title, 90),
        label=label,
        desc=f"{label}. {desc}.",
    )
    return {
        "id": question.id,
        "title": question.title,
        "kind": question.kind,
        "deadline": str(question.deadline),
        "outcome": outcome,
        "rows": table,
        "chart": drawn.add("timeline.svg.j2", stem, geometry),
    }


def _trend(book: _Book, last: int, drawn: _Charts, stem: str) -> dict[str, Any]:
    """Each forecaster's running mean Brier at the end of each year up to `last`."""
    final = book.frame(book.cutoff(last))
    scored = final[final["standing"] & (final["excluded"] == "") & final["p"].notna()]
    if scored.empty:
        return {"years": [], "rows": []}
    years = list(range(int(scored["known"].dt.year.min()), last + 1))
    values: dict[str, list[tuple[int, float] | None]] = {}
    for i, year in enumerate(years):
        table = scorecard.aggregate(
            book.frame(book.cutoff(year)), ["forecaster"], n_boot=0
        )
        for r in table.to_dict("records"):
            name = str(r["forecaster"])
            values.setdefault(name, [None] * len(years))
            if r["n"]:
                values[name][i] = (int(r["n"]), float(r["brier"]))
    order = [f for f in book.forecaster_order(values) if any(values[f])]
    rows = [
        {
            "name": book.name(f),
            "forecaster": f,
            "cells": [
                DASH if v is None else f"{num(v[1])} ({v[0]})" for v in values[f]
            ],
        }
        for f in order
    ]
    series = [
        {
            "label": _shorten(book.name(f), 24),
            "values": [None if v is None else v[1] for v in values[f]],
        }
        for f in order
    ]
    end = book.cutoff(last).isoformat()
    who = plural(len(order), "forecaster")
    label = f"Running mean Brier by year, {years[0]} to {last}, of {who}"
    desc = "; ".join(
        f"{r['name']}: "
        + ", ".join(f"{y} {c}" for y, c in zip(years, r["cells"], strict=True))
        for r in rows
    )
    geometry = charts.trend(
        years,
        series,
        title=f"Running mean Brier (lower is better), to {end}",
        label=label,
        desc=f"{label}. {desc}.",
    )
    return {
        "years": [str(y) for y in years],
        "rows": rows,
        "chart": drawn.add("trend.svg.j2", stem, geometry),
    }


# ---------------------------------------------------------------- comparison


def _comparison(
    book: _Book, frame: pd.DataFrame, mask: pd.Series, day: dt.date
) -> dict[str, Any]:
    """Leaderboard and head-to-head results on the forecasts in `mask`, and the
    questions with standing forecasts by more than one forecaster as of `day`.

    Head to head pairs the best-ranked HEAD_TO_HEAD forecasters of the
    leaderboard (all of them, when there are no more), so a large panel gives
    a table that can be read rather than every one of its pairs.
    """
    rows = scorecard.scored(frame[mask])
    board = comparing.leaderboard(rows, min_questions=MIN_QUESTIONS)
    leaders = [
        {
            "name": book.name(str(r["forecaster"])),
            "forecaster": str(r["forecaster"]),
            "n": int(r["n"]),
            "brier": num(r["brier"]),
            "ci": interval(r["brier_ci_low"], r["brier_ci_high"]),
            "log": num(r["log_score"], 2),
            "baseline": num(r["baseline_score"], 1),
            "peer": num(r["peer_score_mean"], 1),
            "relative": num(r["relative_brier"]),
            "coverage": share(r["coverage"]),
            "flagged": bool(r["flagged"]),
        }
        for r in board.to_dict("records")
    ]
    top = sorted(str(f) for f in board["forecaster"].head(HEAD_TO_HEAD))
    chosen = [(a, b) for i, a in enumerate(top) for b in top[i + 1 :]]
    pairs = []
    for r in comparing.head_to_head(rows, chosen).to_dict("records"):
        low, high = r["ci"]
        pairs.append(
            {
                "a": book.name(str(r["a"])),
                "b": book.name(str(r["b"])),
                "n": int(r["n"]),
                "diff": num(r["mean_diff"]),
                "ci": interval(low, high),
                "p": num(r["p"], 3),
                "test": str(r["test"]),
                "gap": num(r["gap_days_mean"], 0),
            }
        )
    forecasters = book.standing_forecasters(day)
    shared = [q for q in book.ledger.questions if len(forecasters.get(q.id, ())) > 1]
    shared, more = _cut(shared, book, "questions with more than one forecaster",
                        f"--as-of {day.isoformat()} --format csv", False)
    together = []
    for question in shared:
        names = book.forecaster_order(forecasters[question.id])
        together.append(
            {
                "title": question.title,
                "forecasters": ", ".join(map(book.name, names)),
                "n": len(names),
                "status": book.state(question, day)[0],
            }
        )
    return {
        "leaders": leaders,
        "pairs": pairs,
        "pairs_limited": len(board) > HEAD_TO_HEAD,
        "head_to_head": HEAD_TO_HEAD,
        "together": together,
        "together_more": more,
        "min_questions": MIN_QUESTIONS,
    }


# ---------------------------------------------------------------- pages


def _methods(book: _Book, day: dt.date) -> dict[str, Any]:
    used = book.tables()
    tables = words.tables()
    return {
        "as_of": book.as_of.isoformat(),
        "day": day.isoformat(),
        "standing": STANDING_TEXT,
        "years": YEAR_TEXT,
        "scales": list(SCALES),
        "ci": CI_TEXT,
        "mapped": [
            {
                "name": tables[t]["name"],
                "citation": tables[t]["citation"],
                "rule": tables[t].get("rule", ""),
            }
            for t in used
            if t in tables
        ],
        "judged": "Judged probabilities are the keeper's reading of words that gave no "
        "number; each such forecast's note says why.",
    }


def _nav(book: _Book, years: Sequence[int]) -> dict[str, Any]:
    """Links every page carries: the years, the forecasters (declared or not)."""
    people = {f.by for q in book.ledger.questions for f in q.forecasts} | set(
        book.names
    )
    return {
        "years": [str(y) for y in years],
        "forecasters": [
            {
                "name": book.name(f),
                "forecaster": f,
                "stem": f"forecaster-{safe_name(f)}",
            }
            for f in book.forecaster_order(people)
        ],
    }


def _year_page(book: _Book, year: int, drawn: _Charts) -> dict[str, Any]:
    day = book.cutoff(year)
    frame = book.frame(day)
    resolved = _resolved_mask(frame, year)
    groups = _per_forecaster(book, frame, resolved, day)
    everyone = scorecard.aggregate(frame[resolved], []).to_dict("records")
    states = {q.id: book.state(q, day) for q in book.ledger.questions}
    # The forecasts made in the year: the frame's rows (every timely forecast,
    # question by question in ledger order, each question's in order of
    # `made`), sorted by day, question and name; claims only for those shown.
    chosen = frame.loc[(frame["made"].dt.year == year).to_numpy(),
                       ["made", "question", "forecaster", "line", "standing"]]
    found_made = sorted(
        ((made.date(), question, book.name(who).casefold(), i), (question, line), standing)
        for i, (made, question, who, line, standing) in enumerate(zip(
            chosen["made"].tolist(), chosen["question"].tolist(),
            chosen["forecaster"].astype(str).tolist(), chosen["line"].tolist(),
            chosen["standing"].tolist(), strict=True))
    )
    as_of = f"--as-of {day.isoformat()}"
    totals = {"made": len(found_made)}
    found_made, more_made = _cut(found_made, book, f"forecasts made in {year}", f"{as_of} --format csv",
                                 False)
    made = []
    for _, key, standing in found_made:
        question, forecast = book.questions[key[0]], book.forecast(key)
        made.append({
            **_claim(book, question, forecast, standing),
            "title": question.title,
            "question": question.id,
            "status": states[question.id][0],
            "order": forecast.made.earliest,
        })
    still_open = [
        q for q in sorted(book.ledger.questions, key=lambda q: (q.deadline.latest, q.id))
        if states[q.id][0] == "open"
    ]
    next_questions = [q for q in still_open if q.deadline.latest.year == year + 1]
    totals["open"] = len(still_open)
    still_open, more_open = _cut(still_open, book, "open questions", f"--status open {as_of}")
    open_cards = [_card(book, q, day) for q in still_open]
    next_questions, more_next = _cut(next_questions, book, f"questions coming due in {year + 1}",
                                     f"--status open {as_of}", False)
    next_year = [_card(book, q, day) for q in next_questions]
    # Most overdue first (earliest deadline), then by id: as `ledger due` lists them.
    late = sorted((q for q in book.ledger.questions if states[q.id][0] == "due"),
                  key=lambda q: (q.deadline.latest, q.id))
    totals["overdue"] = len(late)
    late, more_overdue = _cut(late, book, "questions due but unrecorded", f"due {as_of}")
    overdue = [_card(book, q, day) for q in late]
    windows = []  # (sort key, question, forecast): claims only for those shown
    horizon = dt.date(year + 1, 12, 31)
    for q in book.ledger.questions:
        if q.kind == "binary" or states[q.id][0] not in ("open", "due"):
            continue  # a binary question's forecasts have no window
        for f in book.standing(q, day):
            end = f.window.end if f.window is not None else None
            if isinstance(end, When) and day < end.latest <= horizon:
                key = (end.latest.isoformat(), q.title, book.name(f.by).casefold(), len(windows))
                windows.append((key, q, f))
    windows.sort(key=lambda item: item[0])
    windows, more_closing = _cut(windows, book, f"forecast windows closing by the end of {year + 1}",
                                 f"{as_of} --format csv", False)
    closing = [{**_claim(book, q, f, True), "title": q.title, "closes": key[0]} for key, q, f in windows]
    windowed = []  # questions with a timing chart: a standing forecast with a window
    for q in book.ledger.questions:
        if q.kind == "binary":
            continue
        state, found = states[q.id]
        if state in ("resolved", "void") and found.known.latest.year != year:
            continue
        if any(f.window is not None for f in book.standing(q, day)):
            windowed.append(q)
    if len(windowed) > LIST_LIMIT:  # the ones scored in the year first
        scored = [q for q in windowed if states[q.id][0] in ("resolved", "void")]
        windowed = scored + [q for q in windowed if states[q.id][0] not in ("resolved", "void")]
    shown, more_timing = _cut(windowed, book, "date and numeric questions with a window",
                              f"{as_of} --format csv", False)
    timing = [t for q in shown
              if (t := _timing(book, q, day, drawn, f"{year}-timing-{safe_name(q.id)}")) is not None]
    counts = {s: sum(1 for v in states.values() if v[0] == s) for s in rules.STATUSES}
    return {
        "kind": "year",
        "year": str(year),
        "next_year": str(year + 1),
        "day": day.isoformat(),
        "partial": day < dt.date(year, 12, 31),
        "counts": counts,
        "resolved_n": int(resolved.sum()),
        "groups": groups,
        "scores": [{"label": g["name"], **g["summary"]} for g in groups]
        + [{"label": "All forecasters", **_summary(r)} for r in everyone if groups],
        "calibration": _calibration(
            frame,
            resolved,
            frame["standing"],
            drawn,
            f"{year}-calibration",
            f"resolved in {year}",
            f", {year}",
        ),
        "made": made,
        "open": open_cards,
        "overdue": overdue,
        "next": next_year,
        "closing": closing,
        "timing": timing,
        "totals": totals,
        "more": {"made": more_made, "open": more_open, "overdue": more_overdue, "next": more_next,
                 "closing": more_closing, "timing": more_timing},
        "trend": _trend(book, year, drawn, f"{year}-scores"),
        "comparison": _comparison(book, frame, resolved, day),
        "methods": _methods(book, day),
    }


def _forecaster_page(book: _Book, forecaster: str, drawn: _Charts) -> dict[str, Any]:
    day = book.as_of
    frame = book.frame(day)
    mine = frame["forecaster"] == forecaster
    resolved = _resolved_mask(frame, None) & mine
    record = next((f for f in book.ledger.forecasters if f.id == forecaster), None)
    stem = f"forecaster-{safe_name(forecaster)}"
    summary = scorecard.aggregate(frame[mine], []).to_dict("records")
    by_year = scorecard.aggregate(frame[mine], ["year"], year_of="resolved").to_dict(
        "records"
    )
    # The forecaster's timely forecasts (the frame's rows) by question, soonest
    # deadline first, then id; within a question in order of `made`.
    rows = frame.loc[mine.to_numpy(), ["deadline", "question", "line", "standing", "status"]]
    rows = rows.sort_values(["deadline", "question"], kind="stable")
    questions, statuses = rows["question"].tolist(), rows["status"].astype(str).tolist()
    waiting: dict[str, list[Question]] = {
        state: [book.questions[q] for q in dict.fromkeys(
            q for q, s in zip(questions, statuses, strict=True) if s == state)]
        for state in ("open", "due")
    }
    replaced: list[tuple[Question, Forecast]] = [
        (book.questions[q], book.forecast((q, line)))
        for q, line, standing in zip(questions, rows["line"].tolist(), rows["standing"].tolist(),
                                     strict=True)
        if not standing
    ]
    as_of = f"--as-of {day.isoformat()}"
    who = f"--forecaster {shlex.quote(forecaster)}"
    totals = {state: len(found) for state, found in waiting.items()}
    more: dict[str, dict[str, Any] | None] = {}
    cards: dict[str, list[dict[str, Any]]] = {}
    for state, what in (("open", "open questions"), ("due", "questions due but unrecorded")):
        shown, more[state] = _cut(waiting[state], book, what, f"{who} --status {state} {as_of}")
        cards[state] = [_card(book, q, day, only=forecaster) for q in shown]
    replaced, more["updates"] = _cut(replaced, book, "replaced forecasts", f"{who} {as_of} --format csv",
                                     False)
    updates = [{**_claim(book, q, f, False), "title": q.title} for q, f in replaced]
    shared = [s for s in book.shared(day) if forecaster in (s["a"], s["b"])]
    return {
        "kind": "forecaster",
        "forecaster": forecaster,
        "stem": stem,
        "name": book.name(forecaster),
        "aliases": ", ".join(record.aliases) if record else "",
        "affiliation": record.affiliation if record else None,
        "links": [
            {"text": link, "url": safe_url(link)}
            for link in (record.links if record else ())
        ],
        "note": record.note if record else None,
        "day": day.isoformat(),
        "total": int(mine.sum()),
        "standing": int((mine & frame["standing"]).sum()),
        "summary": _summary(summary[0]) if summary else None,
        "score_rows": [
            {"label": str(r["year"]), **_summary(r)}
            for r in by_year
            if str(r["year"]) != "unresolved"
        ]
        + [{"label": "All years", **_summary(r)} for r in summary],
        "resolved": _resolved_rows(book, frame, resolved, day),
        "calibration": _calibration(
            frame,
            resolved,
            mine,
            drawn,
            f"{stem}-calibration",
            f"by {book.name(forecaster)}, resolved by {day}",
            f", {_shorten(book.name(forecaster), 24)}",
        ),
        "open": cards["open"],
        "due": cards["due"],
        "updates": updates,
        "totals": totals,
        "more": more,
        "shared": [
            {
                "other": book.name(s["b"] if s["a"] == forecaster else s["a"]),
                "shared": int(s["shared"]),
                "resolved": int(s["resolved"]),
                "questions": _titles(book, s["questions"]),
            }
            for s in shared
        ],
        "methods": _methods(book, day),
    }


def _titles(book: _Book, questions: Sequence[str]) -> str:
    """The titles of `questions`, "; "-separated: the first SHARED_TITLES and how many more."""
    named = "; ".join(book.questions[q].title for q in questions[:SHARED_TITLES])
    rest = len(questions) - SHARED_TITLES
    return named + (f"; and {rest:,} more" if rest > 0 else "")


def _compare_page(book: _Book, drawn: _Charts) -> dict[str, Any]:
    day = book.as_of
    frame = book.frame(day)
    resolved = _resolved_mask(frame, None)
    forecasters = book.standing_forecasters(day)
    shared = [
        q for q in sorted(book.ledger.questions, key=lambda q: (q.deadline.latest, q.id))
        if len(forecasters.get(q.id, ())) > 1
    ]
    shared, more = _cut(shared, book, "questions with more than one forecaster",
                        f"--as-of {day.isoformat()} --format csv", False)
    return {
        "kind": "compare",
        "day": day.isoformat(),
        "comparison": _comparison(book, frame, resolved, day),
        "questions": [_card(book, q, day) for q in shared],
        "more": more,
        "trend": _trend(book, day.year, drawn, "compare-scores"),
        "methods": _methods(book, day),
    }


def _index_page(
    book: _Book, years: Sequence[int], forecasters: Sequence[dict[str, Any]]
) -> dict[str, Any]:
    day = book.as_of
    frame = book.frame(day)
    states = [book.state(q, day)[0] for q in book.ledger.questions]
    rows = []
    for year in years:
        cut = book.frame(book.cutoff(year))
        rows.append(
            {
                "year": str(year),
                "resolved": int(_resolved_mask(cut, year).sum()),
                "made": int((cut["made"].dt.year == year).sum()),  # the timely forecasts
                "open": sum(
                    1
                    for q in book.ledger.questions
                    if book.state(q, book.cutoff(year))[0] in ("open", "due")
                ),
                "day": book.cutoff(year).isoformat(),
            }
        )
    table = scorecard.aggregate(frame, ["forecaster"]).to_dict("records")
    summaries = {str(r["forecaster"]): r for r in table}
    people = []
    for f in forecasters:
        r = summaries.get(f["forecaster"])
        record = next(
            (x for x in book.ledger.forecasters if x.id == f["forecaster"]), None
        )
        people.append(
            {
                **f,
                "affiliation": record.affiliation if record else None,
                "standing": int(
                    (frame["standing"] & (frame["forecaster"] == f["forecaster"])).sum()
                ),
                "scored": 0 if r is None else int(r["n"]),
                "brier": DASH if r is None else num(r["brier"]),
                "ci": DASH
                if r is None
                else interval(r["brier_ci_low"], r["brier_ci_high"]),
            }
        )
    upcoming = sorted(
        (q for q, s in zip(book.ledger.questions, states, strict=True) if s == "open"),
        key=lambda q: (q.deadline.latest, q.id),
    )
    next_deadline = None
    if upcoming:
        first = upcoming[0].deadline.latest
        same = [q for q in upcoming if q.deadline.latest == first]
        next_deadline = {
            "day": first.isoformat(),
            "when": _when(same[0], "open", day),
            "titles": "; ".join(q.title for q in same),
        }
    return {
        "kind": "index",
        "day": day.isoformat(),
        "counts": {s: states.count(s) for s in rules.STATUSES},
        "questions": len(states),
        "forecasts": len(frame),
        "years": rows,
        "people": people,
        "next_deadline": next_deadline,
        "methods": _methods(book, day),
    }


# ---------------------------------------------------------------- rendering


_DICT_ATTRIBUTES = frozenset(dir(dict))


class _Environment(jinja2.Environment):
    """jinja2's environment, reading `page.name` from a plain dict directly.

    jinja2 first tries getattr(), which for a dict key raises (and catches)
    an AttributeError on every access; the page contexts are plain dicts read
    millions of times in a big report. A name that is also a dict attribute
    (`items`, `values`, ...) still goes the usual way, so nothing changes.
    """

    def getattr(self, obj: Any, attribute: str) -> Any:
        if type(obj) is dict and attribute not in _DICT_ATTRIBUTES:
            try:
                return obj[attribute]
            except KeyError:
                pass
        return super().getattr(obj, attribute)


@cache
def environments() -> dict[str, jinja2.Environment]:
    """The two template environments: HTML/SVG (autoescaped) and Markdown (escaped
    by `md_escape` on every value). Both strict: an undefined name fails loudly."""
    common: dict[str, Any] = {
        "loader": jinja2.PackageLoader("ledger.report", "templates"),
        "undefined": jinja2.StrictUndefined,
        "trim_blocks": True,
        "lstrip_blocks": True,
        "keep_trailing_newline": True,
    }
    html = _Environment(autoescape=True, finalize=_html_finalize, **common)
    md = _Environment(autoescape=False, finalize=md_escape, **common)
    for env in (html, md):
        env.filters["plural"] = plural
    md.filters["link"] = md_link
    md.filters["code"] = md_code
    md.filters["raw"] = Md  # only for the output of a macro, which is Markdown already
    return {"html": html, "md": md}


def render(template: str, **context: Any) -> str:
    """Render one template (`*.html.j2`/`*.svg.j2` escape HTML, `*.md.j2` Markdown).

    Markdown loses runs of blank lines (one separates blocks as well as three),
    so the templates can keep their sections apart without counting newlines.
    """
    if template.endswith(".md.j2"):
        text = environments()["md"].get_template(template).render(**context)
        return re.sub(r"\n{3,}", "\n\n", text)
    return environments()["html"].get_template(template).render(**context)


_BATCH = 1 << 20  # characters rendered before they are encoded and written out


def render_utf8(template: str, **context: Any) -> bytes:
    """`render(template, **context).encode("utf-8")`, encoded as it is rendered.

    A page of a big ledger's report runs to hundreds of megabytes; rendering
    it whole holds the text, the pieces jinja2 joins it from and its bytes at
    once. Markdown's runs of blank lines are cut as in `render`: a batch ends
    at its last character that is not a newline, and the newlines after it go
    on with the next batch, so no run is ever split.
    """
    markdown = template.endswith(".md.j2")
    compiled = environments()["md" if markdown else "html"].get_template(template)
    out = io.BytesIO()
    batch: list[str] = []
    size = 0
    carry = ""

    def flush(last: bool) -> None:
        nonlocal carry
        text = carry + "".join(batch)
        batch.clear()
        if markdown:
            cut = len(text) if last else len(text.rstrip("\n"))
            text, carry = re.sub(r"\n{3,}", "\n\n", text[:cut]), text[cut:]
        out.write(text.encode("utf-8"))

    for piece in compiled.generate(**context):
        batch.append(piece)
        size += len(piece)
        if size >= _BATCH:
            flush(last=False)
            size = 0
    flush(last=True)
    return out.getvalue()


def build(
    ledger: Ledger,
    as_of: dt.date,
    years: Sequence[int] | None = None,
    formats: Sequence[str] = FORMATS,
) -> dict[str, str]:
    """Every report file, as text keyed by its path relative to the output folder.

    Args:
        ledger: a validated ledger.
        as_of: the day treated as today; nothing known after it counts.
        years: the yearly scorecards to write (default: `default_years`).
        formats: "md" (Markdown pages, README.md as the index, charts as SVG
            files under charts/) and/or "html" (self-contained pages, index.html).
    """
    return dict(sorted(generate(ledger, as_of, years, formats)))


def generate(
    ledger: Ledger,
    as_of: dt.date,
    years: Sequence[int] | None = None,
    formats: Sequence[str] = FORMATS,
    *,
    utf8: bool = False,
) -> Iterator[tuple[str, Any]]:
    """The files of `build`, one page at a time: (path relative to the output
    folder, text), each page followed by the charts its Markdown refers to.

    A page is rendered as soon as its context is built and then dropped, so
    a big ledger's report never holds more than one page in memory (`build`
    holds them all). With `utf8`, each file comes as its UTF-8 bytes, which
    a page then is never held as text (see `render_utf8`). Raises ValueError,
    before yielding anything, for an unknown format or a year after `as_of`.
    """
    return _generate(_Book(ledger, as_of), _years(ledger, as_of, years, formats), formats, utf8)


def _years(
    ledger: Ledger, as_of: dt.date, years: Sequence[int] | None, formats: Sequence[str]
) -> list[int]:
    """The years to write, sorted; ValueError for an unknown format or a year after `as_of`."""
    unknown = sorted(set(formats) - set(FORMATS))
    if unknown:
        raise ValueError(f"unknown format '{unknown[0]}'; use md or html")
    chosen = sorted(set(default_years(ledger, as_of) if years is None else years))
    late = [y for y in chosen if y > as_of.year]
    if late:
        raise ValueError(f"year {late[0]} is after the as-of date {as_of.isoformat()}")
    return chosen


_Page = tuple[str, str, Callable[["_Charts"], dict[str, Any]]]
"""(file stem, template, context maker): one page of the report."""

WEIGHTS = {"year": 21, "forecaster": 1, "compare": 7, "index": 5}
"""How long each kind of page takes to make once the frames are made, relative
to a forecaster page (measured at 100,000 questions)."""


def _pages(book: _Book, chosen: list[int], nav: dict[str, Any]) -> list[_Page]:
    pages: list[_Page] = [
        (str(year), "year", functools.partial(_year_page, book, year)) for year in chosen
    ]
    pages += [
        (person["stem"], "forecaster", functools.partial(_forecaster_page, book, person["forecaster"]))
        for person in nav["forecasters"]
    ]
    pages.append(("compare", "compare", functools.partial(_compare_page, book)))
    index_page = functools.partial(_index_page, book, chosen, nav["forecasters"])
    pages.append(("", "index", lambda drawn: index_page()))
    return pages


def _generate(
    book: _Book, chosen: list[int], formats: Sequence[str], utf8: bool = False,
    only: Callable[[int], bool] | None = None,
) -> Iterator[tuple[str, Any]]:
    """The files of the pages (those whose number `only` accepts, if given)."""
    drawn = _Charts(environments()["html"])
    nav = _nav(book, chosen)
    for page, (stem, template, make) in enumerate(_pages(book, chosen, nav)):
        if only is not None and not only(page):
            continue
        context = make(drawn)
        for fmt in formats:
            index = "README" if fmt == "md" else "index"
            yield f"{stem or index}.{fmt}", (render_utf8 if utf8 else render)(
                f"{template}.{fmt}.j2",
                page=context,
                nav=nav,
                ext=fmt,
                index=f"{index}.{fmt}",
            )
        del context
        if "md" in formats:
            for name, svg in drawn.files.items():
                yield name, svg.encode("utf-8") if utf8 else svg
        drawn.files.clear()


class WriteError(Exception):
    """A report file that could not be written: its path and why."""

    def __init__(self, path: str, message: str) -> None:
        super().__init__(f"{path}: {message}")
        self.path, self.message = path, message


PARALLEL_FORECASTS = 50_000
"""Ledgers with at least this many forecasts are written by several processes
(`write`'s default `jobs`); smaller ones in well under the cost of a fork."""


def default_jobs(ledger: Ledger) -> int:
    """Processes `write` uses by default: up to 2 (CPUs allowing) for a big ledger,
    on Linux only (elsewhere a fork without exec can crash system libraries;
    `--jobs` still asks for it)."""
    if not sys.platform.startswith("linux") or sum(len(q.forecasts) for q in ledger.questions) < PARALLEL_FORECASTS:
        return 1
    return max(1, min(2, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity")
                      else os.cpu_count() or 1))


def write(
    ledger: Ledger,
    as_of: dt.date,
    out: str,
    years: Sequence[int] | None = None,
    formats: Sequence[str] = FORMATS,
    jobs: int = 1,
) -> tuple[set[str], int]:
    """Write the files of `build` under `out`: (every file's relative path, how
    many changed). A file whose bytes would not change is left alone; the
    others are replaced atomically (without fsync: the report can be made
    again). Raises WriteError for a file that cannot be written, ValueError
    as `generate` does.

    With `jobs` > 1 (and `os.fork`), the pages are shared between that many
    processes: the frames every page reads are made first, then each process,
    forked with them, makes and writes its share (the heaviest pages first,
    each to the least loaded). Every file is made from the same data by the
    same code whichever process makes it, so the files are byte-identical to
    a single process's.
    """
    chosen = _years(ledger, as_of, years, formats)
    book = _Book(ledger, as_of)
    if jobs <= 1 or not hasattr(os, "fork"):
        return _write_files(_generate(book, chosen, formats, True), out)
    for year in chosen:  # every page's trend reads them: made once, shared by the fork
        book.frame(book.cutoff(year))
    book.frame(as_of)
    shares = _share([template for _, template, _ in _pages(book, chosen, _nav(book, chosen))], jobs)
    children = []
    for part in shares[1:]:
        read_end, write_end = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: its share, then what it wrote, as JSON, and exit
            os.close(read_end)
            code = 0
            try:
                files, changed = _write_files(_generate(book, chosen, formats, True, part.__contains__), out)
                answer: dict[str, Any] = {"files": sorted(files), "changed": changed}
            except WriteError as exc:
                answer = {"path": exc.path, "message": exc.message}
            except BaseException as exc:
                answer = {"path": out, "message": f"report process failed: {exc!r}"}
                code = 1
            with os.fdopen(write_end, "w", encoding="utf-8") as pipe:
                pipe.write(json.dumps(answer))
            os._exit(code)
        os.close(write_end)
        children.append((pid, read_end))
    try:
        files, changed = _write_files(_generate(book, chosen, formats, True, shares[0].__contains__), out)
    finally:
        answers = []
        for pid, read_end in children:
            with os.fdopen(read_end, encoding="utf-8") as pipe:
                text = pipe.read()
            os.waitpid(pid, 0)
            answers.append(json.loads(text) if text else {"path": out, "message": "report process died"})
    for answer in answers:
        if "message" in answer:
            raise WriteError(answer["path"], answer["message"])
        files |= set(answer["files"])
        changed += answer["changed"]
    return files, changed


def _share(kinds: Sequence[str], jobs: int) -> list[set[int]]:
    """Page numbers (of pages of these kinds) in `jobs` shares.

    The year pages all go to the first share: each reads every question, and
    a forked process copies every page of memory it touches (reference counts
    are writes), so two processes making year pages would each hold a copy of
    the whole ledger; the other pages read a forecaster's rows of the frame
    and the few questions they show. Those are shared among the other
    processes by weight (WEIGHTS), heaviest first, each to the lightest share
    so far (ties: the lower number).
    """
    shares: list[set[int]] = [set() for _ in range(jobs)]
    shares[0] = {n for n, kind in enumerate(kinds) if kind == "year"}
    others = range(1, jobs) if jobs > 1 else range(1)
    loads = dict.fromkeys(others, 0)
    rest = [n for n, kind in enumerate(kinds) if kind != "year"]
    for page in sorted(rest, key=lambda n: (-WEIGHTS[kinds[n]], n)):
        lightest = min(others, key=lambda j: (loads[j], j))
        shares[lightest].add(page)
        loads[lightest] += WEIGHTS[kinds[page]]
    return shares


def _write_files(items: Iterator[tuple[str, bytes]], out: str) -> tuple[set[str], int]:
    from ledger.files.write import atomic_write

    files: set[str] = set()
    changed = 0
    with gc_paused():  # many small objects, none kept: see loader.gc_paused
        for relative, data in items:
            files.add(relative)
            try:
                path = inside(out, relative)
            except ValueError as exc:
                raise WriteError(str(out), str(exc)) from None
            try:
                if path.is_file() and path.read_bytes() == data:
                    continue
                path.parent.mkdir(parents=True, exist_ok=True)
                atomic_write(str(path), data, durable=False)  # made again by rerunning the command
            except OSError as exc:
                raise WriteError(str(path), exc.strerror or str(exc)) from None
            changed += 1
    return files, changed


__all__ = [
    "FORMATS",
    "WriteError",
    "default_jobs",
    "write",
    "Md",
    "build",
    "clean",
    "default_years",
    "environments",
    "generate",
    "inside",
    "md_escape",
    "md_link",
    "render",
    "safe_name",
    "safe_url",
]
