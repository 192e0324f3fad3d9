"""The command line: thin commands that load, check, compute and print.

This is the only module that prints, reads the clock or exits. Commands that
need pandas or jinja2 import them inside the command, so `ledger check` and
`ledger list` start fast.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections.abc import Sequence

import click

from ledger.core.dates import DateError, parse_day
from ledger.core.model import Error, Ledger
from ledger.core.text import json_value, number, plural
from ledger.core.version import DISTRIBUTION
from ledger.core.words import did_you_mean
from ledger.validate import check as check_file

DEFAULT_FILE = "predictions.yaml"
FILE = click.Path(dir_okay=False, exists=True)


class AsOf(click.ParamType):
    """A `YYYY-MM-DD` date for --as-of (or `today`)."""

    name = "date"

    def convert(
        self, value: object, param: click.Parameter | None, ctx: click.Context | None
    ) -> dt.date:
        if isinstance(value, dt.date):
            return value
        text = str(value)
        if text == "today":
            return dt.date.today()
        try:
            return parse_day(text)
        except DateError as exc:
            self.fail(str(exc), param, ctx)


def as_of_option(function):  # type: ignore[no-untyped-def]
    """--as-of DATE: the day treated as today (default: the real date)."""
    return click.option(
        "--as-of",
        type=AsOf(),
        default="today",
        show_default=True,
        help="Treat this day (YYYY-MM-DD) as today.",
    )(function)


def format_option(function):  # type: ignore[no-untyped-def]
    """--format table|csv|json."""
    return click.option(
        "--format",
        "format_",
        type=click.Choice(["table", "csv", "json"]),
        default="table",
        show_default=True,
        help="Output format.",
    )(function)


def report_errors(errors: Sequence[Error], as_json: bool = False) -> None:
    """Print errors as PATH:LINE: message on stderr and exit 1."""
    if as_json:
        items = [
            {"path": e.location.path, "line": e.location.line, "message": e.shown}
            for e in errors
        ]
        click.echo(json.dumps(items, indent=2, ensure_ascii=False))
    else:
        for error in errors:
            click.echo(str(error), err=True)
    sys.exit(1)


def checked(path: str) -> Ledger:
    """The ledger at `path`; on any error, print them all and exit 1."""
    ledger, errors = check_file(path)
    if errors:
        report_errors(errors)
    return ledger


def resolve_forecaster(ledger: Ledger, name: str) -> str:
    """A forecaster id from an id, a name or an alias; exit 2 with a hint if unknown."""
    known: dict[str, str] = {}
    for forecaster in ledger.forecasters:
        for label in (forecaster.id, forecaster.name, *forecaster.aliases):
            known.setdefault(label.lower(), forecaster.id)
    if name.lower() in known:
        return known[name.lower()]
    import difflib

    close = difflib.get_close_matches(name.lower(), list(known), n=1, cutoff=0.6)
    hint = f"; did you mean '{known[close[0]]}'?" if close else ""
    raise click.BadParameter(f"unknown forecaster '{name}'{hint}", param_hint="--forecaster")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name=DISTRIBUTION, prog_name="ledger")
def main() -> None:
    """A plain-text prediction ledger: forecasts in YAML, scored honestly."""


@main.command()
@click.argument("files", metavar="[FILE]...", nargs=-1, type=FILE)
@click.option("--json", "as_json", is_flag=True, help="Print errors as a JSON array.")
def check(files: tuple[str, ...], as_json: bool) -> None:
    """Check each FILE (default: predictions.yaml); print nothing if all are clean.

    Otherwise print every problem as PATH:LINE: message, sorted, and exit 1.
    """
    errors = [e for file in files or (DEFAULT_FILE,) for e in check_file(file)[1]]
    if errors:
        report_errors(errors, as_json)


@main.command("list")
@click.argument("file", type=FILE, default=DEFAULT_FILE)
@click.option("--forecaster", help="Only questions this forecaster (id, name or alias) forecast.")
@click.option("--tag", "tags", multiple=True, help="Only questions with this tag (repeatable).")
@click.option(
    "--status",
    "statuses",
    multiple=True,
    type=click.Choice(["open", "due", "resolved", "void"]),
    help="Only questions with this status (repeatable).",
)
@as_of_option
@format_option
def list_(
    file: str,
    forecaster: str | None,
    tags: tuple[str, ...],
    statuses: tuple[str, ...],
    as_of: dt.date,
    format_: str,
) -> None:
    """List the questions in FILE with their status, deadline and forecasts.

    Statuses: open; due (deadline passed, no outcome recorded); resolved; void.
    """
    from ledger.query import listing

    ledger = checked(file)
    who = None if forecaster is None else resolve_forecaster(ledger, forecaster)
    found = listing.rows(ledger, as_of, listing.Filters(who, tags, statuses))
    if format_ == "json":
        for part in listing.json_parts(found):  # a big listing is hundreds of MB
            click.echo(part, nl=False)
    elif format_ == "csv":
        click.echo(listing.to_csv(found), nl=False)
    else:
        click.echo(listing.table(found, as_of), nl=False)


@main.command()
def schema() -> None:
    """Print the JSON Schema of the ledger file format."""
    from pathlib import Path

    click.echo(Path(__file__).parent.parent.joinpath("schema.json").read_text("utf-8"), nl=False)


@main.command()
@click.argument("file", type=FILE, default=DEFAULT_FILE)
@click.option(
    "--by",
    "by",
    multiple=True,
    type=click.Choice(["forecaster", "tag", "year", "question", "horizon", "basis"]),
    help="Group by this key (repeatable; default: forecaster).",
)
@as_of_option
@click.option("--provisional", is_flag=True, help="Score provisional outcomes (market prices on open questions).")
@click.option("--time-averaged", is_flag=True, help="Average each forecaster's score day by day over the time each forecast stood.")
@click.option("--year-of", type=click.Choice(["made", "resolved"]), default="made", show_default=True, help="Which date's year --by year uses.")
@click.option("--scale", type=click.Choice(["0-1", "0-2"]), default="0-1", show_default=True, help="Brier scale: 0-1, or 0-2 as GJ Open and Fatebook show it.")
@click.option("--explain", "explain_id", metavar="QUESTION_ID", help="Show every forecast on one question: whether it counts, why, and its scores.")
@format_option
def score(
    file: str,
    by: tuple[str, ...],
    as_of: dt.date,
    provisional: bool,
    time_averaged: bool,
    year_of: str,
    scale: str,
    explain_id: str | None,
    format_: str,
) -> None:
    """Score the standing forecasts in FILE with proper scoring rules.

    Brier (0-1, lower is better), log score (ln p, higher is better), Metaculus
    Baseline (0 = chance, 100 = perfect), with a 95% question-bootstrap CI.
    """
    from ledger.frame import frame as make_frame
    from ledger.score import scorecard

    ledger = checked(file)
    data = make_frame(ledger, as_of, provisional=provisional)
    if explain_id is not None:
        if explain_id not in {q.id for q in ledger.questions}:
            hint = did_you_mean(explain_id, [q.id for q in ledger.questions])
            raise click.BadParameter(f"unknown question '{explain_id}'{hint}", param_hint="--explain")
        _print_explain(scorecard.explain(data, explain_id, scale=scale), explain_id, as_of, scale, format_)
        return
    keys = list(by) or ["forecaster"]
    table = scorecard.aggregate(
        data, keys, time_averaged=time_averaged, year_of=year_of, scale=scale  # type: ignore[arg-type]
    )
    records = [
        {
            **{key: json_value(row[key]) for key in keys},
            "n": int(row["n"]),
            "brier": json_value(row["brier"]),
            "brier_ci": [json_value(row["brier_ci_low"]), json_value(row["brier_ci_high"])],
            **{name: json_value(row[name]) for name in (
                "log_score", "baseline_score", "spherical", "bss_half", "bss_base_rate",
                "n_clipped", "n_window_only", "timing_error", "interval_score",
                "n_void", "n_open", "n_due", "n_unscorable")},
            "scale": row["scale"],
        }
        for row in table.to_dict("records")
    ]
    if format_ == "json":
        click.echo(json.dumps(records, indent=2, ensure_ascii=False))
    elif format_ == "csv":
        click.echo(table.to_csv(index=False, lineterminator="\n"), nl=False)
    else:
        due = sorted(set(data.loc[data["standing"] & data["excluded"].eq("due"), "question"]))
        click.echo(_score_table(records, keys, as_of, scale, time_averaged, due), nl=False)


def _score_table(
    records: list[dict[str, object]], keys: list[str], as_of: dt.date, scale: str, time_averaged: bool,
    due: list[str],
) -> str:
    from ledger.score.rules import BRIER_SCALE_WORDS as SCALE_WORDS

    mode = "time-averaged over the days each forecast stood" if time_averaged else "standing forecasts"
    lines = [
        f"Scores as of {as_of.isoformat()} ({mode}).",
        f"Brier {SCALE_WORDS[scale]}; 95% CI: question bootstrap, 1,000 resamples, seed 0.",
        "Log: ln p, at most 0, higher is better (p clipped to [0.001, 0.999]). "
        "Baseline (Metaculus): 0 = chance, 100 = perfect, higher is better.",
        "",
    ]
    header = [*keys, "n", "brier", "95% CI", "log", "baseline", "timing (y)", "void", "open", "due", "unscorable"]
    body = []
    for r in records:
        ci = r["brier_ci"]
        body.append([
            *(str(r[k]) for k in keys), str(r["n"]), number(r["brier"]),
            "—" if ci[0] is None else f"{ci[0]:.3f}–{ci[1]:.3f}",  # type: ignore[index]
            number(r["log_score"]), number(r["baseline_score"], 1), number(r["timing_error"], 2),
            str(r["n_void"]), str(r["n_open"]), str(r["n_due"]), str(r["n_unscorable"]),
        ])
    widths = [max(len(row[i]) for row in [header, *body]) for i in range(len(header))]
    for row in [header, *body]:
        lines.append("  ".join(cell.ljust(w) if i < len(keys) else cell.rjust(w)
                               for i, (cell, w) in enumerate(zip(row, widths, strict=True))).rstrip())
    totals = {name: sum(int(r[name]) for r in records) for name in ("n", "n_open", "n_due", "n_void", "n_unscorable", "n_window_only")}  # type: ignore[call-overload]
    lines.append("")
    if len(keys) == 1 and keys[0] in ("forecaster", "question", "basis"):
        scored_text = f"{totals['n']} forecasts scored with a probability"
        lines.append(
            f"{scored_text}, {totals['n_window_only']} windows scored by timing only; "
            f"{totals['n_open']} open, {totals['n_due']} due, {totals['n_void']} void, "
            f"{totals['n_unscorable']} unscorable (standing forecasts)."
        )
        if totals["n"] == 0 and totals["n_window_only"] == 0:
            lines.append(f"Nothing has resolved as of {as_of.isoformat()}: there is nothing to score yet.")
    if due:
        lines.append(f"Due (deadline passed, no outcome recorded): {', '.join(due)}.")
    return "\n".join(lines) + "\n"


def _print_explain(rows: list[dict[str, object]], question: str, as_of: dt.date, scale: str, format_: str) -> None:
    from ledger.score.rules import scale_text

    if format_ == "json":
        click.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    if format_ == "csv":
        import csv
        import io

        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=list(rows[0]) if rows else ["forecaster"], lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        click.echo(buffer.getvalue(), nl=False)
        return
    click.echo(f"{question} as of {as_of.isoformat()} ({scale_text(scale)})")
    for r in rows:
        p = "no p" if r["p"] is None else f"p {r['p']:g}"
        click.echo(f"  line {r['line']}: {r['forecaster']}, made {r['made']}, {p}")
        click.echo(f"    {r['why']}")
        scores = [f"{name} {number(r[name])}" for name in ("brier", "log_score", "baseline_score", "timing_error", "interval_score") if r[name] is not None]
        if scores:
            click.echo("    " + ", ".join(scores))
        if r["bin"] is not None:
            click.echo(f"    calibration bin {r['bin']}")
    if not rows:
        click.echo("  (no forecasts)")


@main.command()
@click.argument("file", type=FILE, default=DEFAULT_FILE)
@click.option("--forecaster", help="Only this forecaster (id, name or alias).")
@click.option("--basis", "bases", multiple=True, type=click.Choice(["stated", "mapped", "judged"]), help="Only forecasts with this basis (repeatable): show stated and mapped apart.")
@as_of_option
@click.option("--provisional", is_flag=True, help="Include provisional outcomes.")
@format_option
def calibration(file: str, forecaster: str | None, bases: tuple[str, ...], as_of: dt.date, provisional: bool, format_: str) -> None:
    """Calibration of the standing forecasts in FILE.

    Ten bins [0,10%) ... [90,100%] (empty bins kept, Wilson 95% intervals), the
    ACX-style folded table, the Murphy decomposition and ECE.
    """
    from ledger.frame import frame as make_frame
    from ledger.score import scorecard

    ledger = checked(file)
    data = make_frame(ledger, as_of, provisional=provisional)
    if forecaster is not None:
        data = data[data["forecaster"] == resolve_forecaster(ledger, forecaster)]
    if bases:
        data = data[data["basis"].isin(bases)]
    result = scorecard.calibration(data)
    if format_ == "json":
        out = {
            "n": result["n"],
            "bins": [{k: json_value(v) for k, v in row.items()} for row in result["bins"].to_dict("records")],
            "folded": [{k: json_value(v) for k, v in row.items()} for row in result["folded"].to_dict("records")],
            "murphy": None if result["murphy"] is None else {k: json_value(v) for k, v in result["murphy"].items()},
            "ece": json_value(result["ece"]),
        }
        click.echo(json.dumps(out, indent=2, ensure_ascii=False))
        return
    if format_ == "csv":
        click.echo(result["bins"].to_csv(index=False, lineterminator="\n"), nl=False)
        return
    click.echo(f"Calibration as of {as_of.isoformat()}: {result['n']} scored forecasts.")
    click.echo("Bins are [lo, hi) in percent, the last [90, 100]; observed = share that came true; Wilson 95% interval.")
    click.echo(result["bins"].to_string(index=False, na_rep="—", float_format=lambda x: f"{x:.3f}"))
    click.echo("")
    click.echo("Folded (ACX style: below 50% restated as its complement):")
    click.echo(result["folded"].to_string(index=False, na_rep="—", float_format=lambda x: f"{x:.3f}"))
    if result["murphy"] is not None:
        m = result["murphy"]
        click.echo("")
        click.echo("Murphy decomposition (brier 0-1): " + ", ".join(f"{k} {number(v, 4)}" for k, v in m.items()))
        click.echo(f"ECE (positive class, 10 bins; a diagnostic, not a score): {number(result['ece'], 4)}")


# -- commands that write ------------------------------------------------------

WRITE_FILE = click.option(
    "-f", "--file", "file", type=FILE, default=DEFAULT_FILE, show_default=True,
    help="The ledger file to change.",
)


def _ask(value: str | None, option: str, label: str) -> str:
    """`value`, or a prompt for it in a terminal; a usage error in a script."""
    if value not in (None, ""):
        return value  # type: ignore[return-value]
    if sys.stdin.isatty():
        return str(click.prompt(label))
    raise click.UsageError(f"missing option '{option}'")


def _write(file: str, edit, what: str, target: str | None = None) -> None:  # type: ignore[no-untyped-def]
    """Run an edit of `target` (default: FILE itself) through `record.write`,
    checking the whole ledger FILE; report errors (exit 1) or what was added."""
    from ledger.record import write as record

    def notice(message: str) -> None:
        click.echo(message, err=True)

    try:
        written, errors = record.write(target or file, edit, notice, root=file)
    except record.EditError as exc:
        raise click.UsageError(str(exc)) from None
    if errors:
        report_errors(errors)
    assert written is not None
    click.echo(f"{written.path}:{written.line}: added {what}")


INTO = click.option(
    "--into", type=FILE, help="Write the new entry into this file of the ledger (one it includes).",
)


def _into(ledger: Ledger, file: str, into: str | None) -> str:
    """The file a new entry goes to: FILE, or --into if the ledger reads it."""
    import os

    if into is None:
        return file
    if os.path.realpath(into) not in {os.path.realpath(f) for f in ledger.files}:
        raise click.BadParameter(
            f"'{into}' is not part of the ledger {file}; add it to 'include:' first",
            param_hint="--into",
        )
    return into


def _question_ids(ledger: Ledger) -> dict[str, object]:
    return {q.id: q for q in ledger.questions}


def _known_question(ledger: Ledger, question_id: str) -> object:
    questions = _question_ids(ledger)
    if question_id not in questions:
        hint = did_you_mean(question_id, list(questions))
        raise click.BadParameter(f"unknown question '{question_id}'{hint}", param_hint="QUESTION_ID")
    return questions[question_id]


def _probability(value: str | None, option: str = "--p") -> str | None:
    if value is None:
        return None
    from ledger.core.numbers import parse_probability

    try:
        parse_probability(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint=option) from None
    return value


def _date_text(value: str | None, option: str) -> str | None:
    if value is None:
        return None
    from ledger.core.dates import parse_when

    try:
        parse_when(value)
    except DateError as exc:
        raise click.BadParameter(str(exc), param_hint=option) from None
    return value


@main.command()
@WRITE_FILE
@click.option("--id", "id_", help="The question's id (a slug).")
@click.option("--title", help="A short title.")
@click.option("--criteria", help="What a neutral judge applies to decide it.")
@click.option("--kind", type=click.Choice(["binary", "date", "numeric"]), help="binary, date or numeric.")
@click.option("--deadline", help="By when it resolves (a date in any ledger form).")
@click.option("--tag", "tags", multiple=True, help="A tag (repeatable).")
@click.option("--unit", help="Unit of a numeric question.")
@click.option("--by", help="Also record a first forecast by this forecaster.")
@click.option("--p", "p", help="The first forecast's probability (0.7 or 70%).")
@click.option("--window", help="The first forecast's window A..B (date and numeric questions).")
@click.option("--made", help="When the first forecast was made (default: today).")
@click.option("--quote", help="The forecaster's words, verbatim.")
@click.option("--source", help="A source id.")
@click.option("--basis", type=click.Choice(["stated", "mapped", "judged"]), default="stated", show_default=True)
@click.option("--note", help="A note on the first forecast (required for judged).")
@INTO
def add(into: str | None, file: str, id_: str | None, title: str | None, criteria: str | None, kind: str | None,
        deadline: str | None, tags: tuple[str, ...], unit: str | None, by: str | None, p: str | None,
        window: str | None, made: str | None, quote: str | None, source: str | None, basis: str,
        note: str | None) -> None:
    """Add a new question to the ledger, optionally with its first forecast."""
    from ledger.record import insert as record
    from ledger.record.write import EditError

    id_ = _ask(id_, "--id", "Question id (a slug)")
    title = _ask(title, "--title", "Title")
    criteria = _ask(criteria, "--criteria", "Criteria (what a neutral judge applies)")
    kind = kind or _ask(None, "--kind", "Kind (binary, date or numeric)")
    deadline = _date_text(_ask(deadline, "--deadline", "Deadline"), "--deadline")
    entry: list[tuple[str, object]] = [
        ("id", id_), ("title", title), ("criteria", criteria), ("kind", kind),
        ("deadline", deadline), ("tags", list(tags)), ("unit", unit),
    ]
    if by is not None:
        forecast = _forecast_entry(by, p, window, made, quote, source, basis, None, None, note)
        entry.append(("forecasts", None))
    else:
        forecast = None

    target = _into(checked(file), file, into)

    def edit(text: str, ledger: Ledger) -> tuple[str, int]:
        if id_ in _question_ids(ledger):
            raise EditError(f"question '{id_}' already exists")
        new, line = record.add_top(text, target, "questions", entry)
        if forecast is not None:
            new, _ = record.add_to_question(new, target, id_, "forecasts", forecast)
        return new, line

    _write(file, edit, f"question '{id_}'", target)


def _forecast_entry(by: str, p: str | None, window: str | None, made: str | None, quote: str | None,
                    source: str | None, basis: str, table: str | None, words: str | None,
                    note: str | None) -> list[tuple[str, object]]:
    made = _date_text(made, "--made") or dt.date.today().isoformat()
    return [
        ("by", by), ("made", made), ("source", source), ("quote", quote),
        ("window", window), ("p", _probability(p)), ("basis", basis),
        ("table", table), ("words", words), ("note", note),
    ]


@main.command()
@WRITE_FILE
@click.argument("question_id")
@click.option("--by", help="The forecaster's id.")
@click.option("--p", "p", help="Probability: 0.7 or 70% (for a window: of landing in it).")
@click.option("--window", help="For date and numeric questions: A..B (ends may be +2y, relative to --made).")
@click.option("--made", help="When it was made (any ledger date form; default: today).")
@click.option("--quote", help="The forecaster's words, verbatim.")
@click.option("--source", help="A source id.")
@click.option("--basis", type=click.Choice(["stated", "mapped", "judged"]), default="stated", show_default=True)
@click.option("--table", help="For --basis mapped: icd-203 or mauboussin-2018.")
@click.option("--words", help="For --basis mapped: the speaker's words.")
@click.option("--note", help="A note (required for --basis judged).")
def forecast(file: str, question_id: str, by: str | None, p: str | None, window: str | None,
             made: str | None, quote: str | None, source: str | None, basis: str, table: str | None,
             words: str | None, note: str | None) -> None:
    """Add a forecast, or an update, to QUESTION_ID."""
    from ledger.record import insert as record

    by = _ask(by, "--by", "Forecaster id")
    if p is None and window is None and basis != "mapped":
        p = _ask(None, "--p", "Probability (0.7 or 70%)")
    entry = _forecast_entry(by, p, window, made, quote, source, basis, table, words, note)
    target = _known_question(checked(file), question_id).location.path  # type: ignore[attr-defined]

    def edit(text: str, ledger: Ledger) -> tuple[str, int]:
        line = _known_question(ledger, question_id).location.line  # type: ignore[attr-defined]
        return record.add_to_question(text, target, question_id, "forecasts", entry, line)

    _write(file, edit, f"a forecast by '{by}' on '{question_id}'", target)


@main.command()
@WRITE_FILE
@click.argument("question_id")
@click.argument("result")
@click.option("--known", help="When the outcome became knowable (default: today).")
@click.option("--by", "by", help="Who records it.")
@click.option("--evidence", multiple=True, help="A link to evidence (repeatable).")
@click.option("--note", help="A note.")
def resolve(file: str, question_id: str, result: str, known: str | None, by: str | None,
            evidence: tuple[str, ...], note: str | None) -> None:
    """Record an outcome of QUESTION_ID: RESULT is yes, no, a fraction (0.5),
    provisional:0.37, a date, a number, void or ambiguous.

    Resolving again appends a new outcome entry; the earlier one stays.
    """
    from ledger.record import insert as record

    today = dt.date.today().isoformat()
    entry = [
        ("result", result), ("known", _date_text(known, "--known") or today),
        ("recorded", today), ("by", by), ("evidence", list(evidence)), ("note", note),
    ]
    target = _known_question(checked(file), question_id).location.path  # type: ignore[attr-defined]

    def edit(text: str, ledger: Ledger) -> tuple[str, int]:
        line = _known_question(ledger, question_id).location.line  # type: ignore[attr-defined]
        return record.add_to_question(text, target, question_id, "outcomes", entry, line)

    _write(file, edit, f"an outcome of '{question_id}' ({result})", target)


@main.group("forecaster")
def forecaster_group() -> None:
    """Manage forecasters."""


@forecaster_group.command("add")
@WRITE_FILE
@click.option("--id", "id_", help="A slug, such as jerry-tworek.")
@click.option("--name", help="The forecaster's name.")
@click.option("--alias", "aliases", multiple=True, help="Another name or spelling (repeatable).")
@click.option("--affiliation")
@click.option("--link", "links", multiple=True, help="A link (repeatable).")
@click.option("--note")
@INTO
def forecaster_add(into: str | None, file: str, id_: str | None, name: str | None, aliases: tuple[str, ...],
                   affiliation: str | None, links: tuple[str, ...], note: str | None) -> None:
    """Add a forecaster."""
    from ledger.record import insert as record
    from ledger.record.write import EditError

    id_ = _ask(id_, "--id", "Forecaster id (a slug)")
    name = _ask(name, "--name", "Name")
    entry = [("id", id_), ("name", name), ("aliases", list(aliases)),
             ("affiliation", affiliation), ("links", list(links)), ("note", note)]

    target = _into(checked(file), file, into)

    def edit(text: str, ledger: Ledger) -> tuple[str, int]:
        if any(f.id == id_ for f in ledger.forecasters):
            raise EditError(f"forecaster '{id_}' already exists")
        return record.add_top(text, target, "forecasters", entry)

    _write(file, edit, f"forecaster '{id_}'", target)


@main.group("source")
def source_group() -> None:
    """Manage sources."""


@source_group.command("add")
@WRITE_FILE
@click.option("--id", "id_", help="A slug.")
@click.option("--title")
@click.option("--kind", type=click.Choice(["interview", "podcast", "article", "post", "platform", "dataset", "paper", "talk", "book", "summary", "other"]))
@click.option("--url")
@click.option("--date", "date_", help="Its date, in any ledger date form.")
@click.option("--note")
@INTO
def source_add(into: str | None, file: str, id_: str | None, title: str | None, kind: str | None, url: str | None,
               date_: str | None, note: str | None) -> None:
    """Add a source: the interview, post or data set a forecast comes from."""
    from ledger.record import insert as record
    from ledger.record.write import EditError

    id_ = _ask(id_, "--id", "Source id (a slug)")
    title = _ask(title, "--title", "Title")
    kind = kind or _ask(None, "--kind", "Kind")
    entry = [("id", id_), ("title", title), ("kind", kind), ("url", url),
             ("date", _date_text(date_, "--date")), ("note", note)]

    target = _into(checked(file), file, into)

    def edit(text: str, ledger: Ledger) -> tuple[str, int]:
        if any(s.id == id_ for s in ledger.sources):
            raise EditError(f"source '{id_}' already exists")
        return record.add_top(text, target, "sources", entry)

    _write(file, edit, f"source '{id_}'", target)


@main.command()
@click.argument("file", type=FILE, default=DEFAULT_FILE)
@as_of_option
@click.option("--provisional", is_flag=True, help="Score provisional outcomes (market prices on open questions).")
@click.option("--min-questions", default=5, show_default=True, type=click.IntRange(min=0), help="Flag forecasters with fewer scored questions.")
@click.option("--pairs", help="Head-to-head pairs among these forecasters (A,B,...) or 'all'; needed above 50 forecasters.")
@click.option("--same-window", type=click.IntRange(min=0), metavar="DAYS", help="Head to head only on forecasts made within DAYS of each other.")
@click.option("--aggregate", "aggregates", multiple=True, type=click.Choice(["median", "mean", "geo-mean-odds"]), help="Add a synthetic crowd forecaster, crowd-METHOD (repeatable).")
@click.option("--aggregate-of", "crowd", multiple=True, metavar="WHO", help="Who the aggregate is made of: forecaster ids, names or aliases, or affiliation:TEXT (repeatable or comma-separated). Default: everyone but crowds (ids ending in -crowd).")
@click.option("--balance-by", metavar="TAG_PREFIX", help="Stratify by the tag with this prefix; Brier = unweighted mean of per-stratum means.")
@click.option("--adjust", type=click.Choice(["difficulty"]), help="Add ForecastBench's difficulty-adjusted Brier (two-way fixed effects).")
@click.option("--ci", type=click.Choice(["bootstrap", "t"]), default="bootstrap", show_default=True, help="How the 95% CI of the mean Brier is computed.")
@format_option
def compare(file: str, as_of: dt.date, provisional: bool, min_questions: int, pairs: str | None,
            same_window: int | None, aggregates: tuple[str, ...], crowd: tuple[str, ...],
            balance_by: str | None, adjust: str | None, ci: str, format_: str) -> None:
    """Compare forecasters on the questions they share.

    A leaderboard (Brier 0-1, lower is better, with a 95% CI; log and Baseline
    scores; Metaculus peer score; relative Brier; coverage) and head-to-head
    results on shared questions, with the gap in days between the forecasts.
    """
    from ledger.core.memory import gc_paused

    if crowd and not aggregates:
        raise click.UsageError("--aggregate-of needs --aggregate")
    # The records and the frame hold no cycles and live until the command ends;
    # a contest has millions of them, and the collector would walk them all
    # again and again (see loader.gc_paused).
    with gc_paused():
        _compare(file, as_of, provisional, min_questions, pairs, same_window, aggregates, crowd,
                 balance_by, adjust, ci, format_)


def _compare(file: str, as_of: dt.date, provisional: bool, min_questions: int, pairs: str | None,
             same_window: int | None, aggregates: tuple[str, ...], crowd: tuple[str, ...],
             balance_by: str | None, adjust: str | None, ci: str, format_: str) -> None:
    from ledger import compare as comparing
    from ledger.frame import frame as make_frame
    from ledger.score import scorecard
    from ledger.show import compare as showing

    ledger = checked(file)
    data = make_frame(ledger, as_of, provisional=provisional)
    real = sorted(set(data["forecaster"].astype(str)))
    members = _crowd_members(crowd, ledger, real) if aggregates else []
    added = []
    for method in dict.fromkeys(aggregates):
        try:
            data = comparing.aggregate_forecaster(data, method, members)
        except ValueError as exc:
            raise click.BadParameter(str(exc), param_hint="--aggregate") from None
        added.append(comparing.crowd_name(method))
    rows = scorecard.scored(data)
    try:
        board = comparing.leaderboard(rows, min_questions=min_questions, balance_by=balance_by,
                                      ci=ci, adjust=adjust, synthetic=added)  # type: ignore[arg-type]
    except ValueError as exc:  # a difficulty fit on forecasters with no question in common
        raise click.BadParameter(str(exc), param_hint="--adjust") from None
    chosen, note = _compare_pairs(pairs, real, [a for a in added if a in set(board["forecaster"])], ledger)
    try:
        h2h = comparing.head_to_head(rows, chosen, same_window=same_window)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--pairs") from None
    unscorable = {q.id: q.unscorable for q in ledger.questions if q.unscorable}
    # The text table shows a summary, made without listing every pair (see unscored_summary).
    unscored = ([] if note or format_ != "json"
                else comparing.unscored_shared(data, chosen, unscorable))
    out = showing.to_json(board, h2h, unscored, as_of=as_of.isoformat(), ci=ci,
                            balance_by=balance_by, crowd=members, methods=list(dict.fromkeys(aggregates)),
                            pairs_note=note, questions=comparing.scored_questions(rows))
    if format_ == "json":
        click.echo(json.dumps(out, indent=2, ensure_ascii=False))
    elif format_ == "csv":
        click.echo(showing.to_csv(board), nl=False)
    else:
        summary = (0, []) if note else comparing.unscored_summary(data, chosen, unscorable)
        click.echo(showing.table(out, min_questions=min_questions, same_window=same_window,
                                   adjust=adjust, unscored=summary), nl=False)


def _crowd_members(selectors: tuple[str, ...], ledger: Ledger, names: list[str]) -> list[str]:
    """The forecasters an aggregate is made of (see --aggregate-of)."""
    from ledger.compare.crowd import default_crowd

    if not selectors:
        return default_crowd(names)
    chosen: set[str] = set()
    for item in (part.strip() for selector in selectors for part in selector.split(",")):
        if not item:
            continue
        if item.lower().startswith("affiliation:"):
            wanted = item.split(":", 1)[1].strip().lower()
            found = {f.id for f in ledger.forecasters if (f.affiliation or "").strip().lower() == wanted}
            if not found:
                known = sorted({f.affiliation for f in ledger.forecasters if f.affiliation})
                hint = did_you_mean(item.split(":", 1)[1].strip(), known)
                raise click.BadParameter(f"no forecaster has the affiliation '{wanted}'{hint}",
                                         param_hint="--aggregate-of")
            chosen |= found
        else:
            chosen.add(item if item in names else _forecaster_id(ledger, item, "--aggregate-of"))
    return sorted(chosen)


def _forecaster_id(ledger: Ledger, name: str, option: str) -> str:
    try:
        return resolve_forecaster(ledger, name)
    except click.BadParameter as exc:
        raise click.BadParameter(exc.message, param_hint=option) from None


def _compare_pairs(option: str | None, names: list[str], added: list[str],
                   ledger: Ledger) -> tuple[list[tuple[str, str]], str | None]:
    """The head-to-head pairs, and why there are none when they were not computed."""
    from ledger.compare.pairs import LARGE_PANEL

    if option is None:
        if len(names) > LARGE_PANEL:
            return [], (f"{len(names):,} forecasters: head-to-head pairs are computed only on "
                        "request (--pairs A,B,... or --pairs all).")
        chosen = names + added
    elif option.strip() == "all":
        chosen = names + added
    else:
        chosen = []
        for name in option.split(","):
            name = name.strip()
            if name:
                found = name if name in names or name in added else _forecaster_id(ledger, name, "--pairs")
                chosen += [found] if found not in chosen else []
    return [(a, b) for i, a in enumerate(chosen) for b in chosen[i + 1:]], None


@main.command()
@click.argument("file", type=FILE, default=DEFAULT_FILE)
@as_of_option
@click.option("--within", default="90d", show_default=True, metavar="SPAN",
              help="Show deadlines this far ahead: 90d, 12w, 6m or 1y.")
@format_option
@click.option("--ics", "ics", type=click.Path(dir_okay=False), metavar="OUT.ics",
              help="Also write every open or due deadline to this iCalendar file.")
@click.option("--fail-if-overdue", is_flag=True,
              help="Exit 1 when a question is overdue (for CI).")
def due(file: str, as_of: dt.date, within: str, format_: str, ics: str | None,
        fail_if_overdue: bool) -> None:
    """What needs attention in FILE: overdue questions, deadlines coming up
    within --within, and standing forecasts older than a year (a nudge: exit 0,
    unless --fail-if-overdue and something is overdue).
    """
    from ledger.query import due as due_

    try:
        until = due_.window_end(as_of, due_.parse_within(within), within)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--within") from None
    ledger = checked(file)
    found = due_.report(ledger, as_of, until)
    if format_ == "json":
        click.echo(due_.to_json(found), nl=False)
    elif format_ == "csv":
        click.echo(due_.to_csv(found), nl=False)
    else:
        click.echo(due_.table(found), nl=False)
    if ics is not None:
        from ledger.files.write import atomic_write

        text, count = due_.calendar(ledger, as_of)
        try:
            atomic_write(ics, text.encode("utf-8"))
        except OSError as exc:
            raise click.FileError(ics, hint=exc.strerror or str(exc)) from None
        click.echo(f"wrote {count} deadline{'' if count == 1 else 's'} to {ics}", err=True)
    if fail_if_overdue and found.overdue:
        sys.exit(1)


@main.command("verify")
@click.argument("file", type=FILE, default=DEFAULT_FILE)
@click.option("--threshold-days", type=click.IntRange(min=0), default=30, show_default=True,
              help="Warn when a forecast was made more than this many days before its first commit.")
@click.option("--format", "format_", type=click.Choice(["table", "json"]), default="table",
              show_default=True, help="Output format.")
def verify_(file: str, threshold_days: int, format_: str) -> None:
    """Tamper evidence from FILE's git history.

    Shows the commit that first recorded each forecast, and reports forecasts
    whose claim changed or that were removed after being committed, committed
    after their outcome was known, or entered more than --threshold-days late.
    Exit 1 if anything is found; without git history, say so and check nothing.
    """
    from ledger.load.loader import load_file
    from ledger.query import verify as verifying

    current, errors = load_file(file)
    if errors:
        report_errors(sorted(errors, key=lambda e: e.location))
    try:
        snapshots = verifying.history(file)
    except verifying.NoHistory as exc:
        click.echo(f"no git history for {file}: nothing checked ({exc})", err=True)
        return
    report = verifying.verify(file, current, snapshots, threshold_days)
    if format_ == "json":
        click.echo(verifying.to_json(report), nl=False)
    else:
        click.echo(verifying.table(report), nl=False)
    if report.findings:
        sys.exit(1)


# -- import and export: other tools' data in (ledger/importers), the tidy frame out --


def _output_options(function):  # type: ignore[no-untyped-def]
    """-o/--output OUT.yaml (required) and --force."""
    function = click.option("--force", is_flag=True, help="Overwrite OUT.yaml if it exists.")(function)
    return click.option("-o", "--output", required=True, metavar="OUT.yaml",
                        type=click.Path(dir_okay=False),
                        help="The ledger file to write (refused if it exists, unless --force).")(function)


def _refuse_overwrite(output: str, force: bool) -> None:
    from ledger.files.outputs import refuse_overwrite

    error = refuse_overwrite(output, force)
    if error is not None:
        report_errors([error])


def _write_import(imported, output: str, force: bool) -> None:  # type: ignore[no-untyped-def]
    """Report the importer's errors (exit 1, nothing written) or write the ledger."""
    from ledger.files.outputs import write_ledger

    if imported.errors:
        report_errors(imported.errors)
    _refuse_overwrite(output, force)  # again: the file may have appeared meanwhile
    try:
        write_ledger(output, imported.text)
    except OSError as exc:
        raise click.FileError(output, hint=exc.strerror or str(exc)) from None
    for line in imported.summary:
        click.echo(line, err=True)
    click.echo(f"wrote {output}: {plural(imported.questions, 'question')}, "
               f"{plural(imported.forecasts, 'forecast')}, "
               f"{plural(imported.outcomes, 'outcome')}", err=True)


@main.group("import")
def import_group() -> None:
    """Turn other tools' data into a new ledger file (OUT.yaml), checked like any other.

    Bad input is reported as PATH:LINE: message (CSV: LINE is the row's line,
    the header is 1), all at once, with exit 1 and nothing written.
    """


@import_group.command("forecastbench")
@click.option("--questions", "questions", required=True, type=FILE, metavar="Q.json",
              help="A ForecastBench question set.")
@click.option("--forecasts", "forecasts", multiple=True, type=FILE, metavar="F.json",
              help="A forecast set answering it; more may follow (F1.json F2.json ...).")
@click.argument("more_forecasts", nargs=-1, type=FILE, metavar="[F.json ...]")
@click.option("--resolutions", type=FILE, metavar="R.json", help="Its resolution set.")
@_output_options
def import_forecastbench(questions: str, forecasts: tuple[str, ...], more_forecasts: tuple[str, ...],
                         resolutions: str | None, output: str, force: bool) -> None:
    """Import ForecastBench question, forecast and resolution sets.

    Each horizon of a dataset question becomes a question; each market is one
    question, with its crowd's probability at the freeze date as a forecast by
    SOURCE-crowd. Combination questions are dropped (and counted).
    """
    from ledger.importers.forecastbench import import_forecastbench as run

    _refuse_overwrite(output, force)
    _write_import(run(questions, [*forecasts, *more_forecasts], resolutions, output), output, force)


@import_group.command("csv")
@click.argument("forecasts_file", metavar="FORECASTS.csv", type=FILE)
@click.option("--outcomes", type=FILE, metavar="OUTCOMES.csv",
              help="Outcomes: columns question, outcome and optionally known.")
@click.option("--percent", is_flag=True, help="Probabilities are percents (70 means 0.7).")
@click.option("--made", metavar="DATE", help="When the forecasts were made, for rows without a made date.")
@click.option("--deadline", metavar="DATE", help="The questions' deadline, for questions without one.")
@click.option("--known", metavar="DATE", help="When the outcomes became known, for rows without a known date.")
@click.option("--wide", is_flag=True, help="One row per forecaster, one column per question.")
@_output_options
def import_csv(forecasts_file: str, outcomes: str | None, percent: bool, made: str | None,
               deadline: str | None, known: str | None, wide: bool, output: str,
               force: bool) -> None:
    """Import forecasts from a CSV file: columns question, forecaster,
    probability and optionally made and deadline (or --wide: forecaster, then
    one column per question). Every question is binary.
    """
    from ledger.importers.csvfile import import_csv as run

    dates = {name: _date_text(value, f"--{name}")
             for name, value in (("made", made), ("deadline", deadline), ("known", known))}
    _refuse_overwrite(output, force)
    imported = run(forecasts_file, outcomes, percent=percent, wide=wide, output=output, **dates)
    _write_import(imported, output, force)


@import_group.command("fatebook")
@click.argument("export_file", metavar="EXPORT.csv", type=FILE)
@_output_options
def import_fatebook(export_file: str, output: str, force: bool) -> None:
    """Import Fatebook's CSV export (one row per forecast)."""
    from ledger.importers.fatebook import import_fatebook as run

    _refuse_overwrite(output, force)
    _write_import(run(export_file, output), output, force)


@main.command("export")
@click.argument("file", type=FILE, default=DEFAULT_FILE)
@click.option("--format", "format_", type=click.Choice(["csv", "json"]), default="csv",
              show_default=True, help="Output format.")
@as_of_option
@click.option("--provisional", is_flag=True, help="Score provisional outcomes (market prices on open questions).")
def export(file: str, format_: str, as_of: dt.date, provisional: bool) -> None:
    """Write the tidy frame of FILE (one row per forecast) to stdout for other tools.

    Dates are ISO, missing values empty (CSV) or null (JSON), tags joined with ';' in CSV.
    """
    from ledger.frame import frame as make_frame
    from ledger.show import export as exporting

    data = make_frame(checked(file), as_of, provisional=provisional)
    out = exporting.to_json(data) if format_ == "json" else exporting.to_csv(data)
    click.echo(out, nl=False)


@main.command("report")
@click.argument("file", type=FILE, default=DEFAULT_FILE)
@click.option("--year", "years", multiple=True, type=click.IntRange(1, 9999),
              help="Write this year's scorecard (repeatable; default: every year with a forecast or an outcome).")
@as_of_option
@click.option("--out", default="reports", show_default=True, type=click.Path(file_okay=False),
              help="The folder to write into (created if missing).")
@click.option("--format", "formats", default="md,html", show_default=True, metavar="md,html",
              help="md (Markdown, charts as SVG files in charts/), html (self-contained pages), or both.")
@click.option("--jobs", type=click.IntRange(1, 64), default=None, metavar="N",
              help="Processes that make the pages (default on Linux: 2 for a ledger of 50,000 "
                   "forecasts or more, where the machine has 2 CPUs; else 1). The files are the same.")
def report(file: str, years: tuple[int, ...], as_of: dt.date, out: str, formats: str,
           jobs: int | None) -> None:
    """Write yearly scorecards, a page per forecaster, a comparison and an index of FILE to --out.

    Markdown (README.md is the index) and self-contained HTML (index.html). A year's
    scorecard is the ledger as it stood at the end of that year (or on --as-of). The
    same ledger and --as-of give byte-identical files; files that would not change
    are left alone.
    """
    import os

    import ledger.report as reporting

    chosen = list(dict.fromkeys(name.strip() for name in formats.split(",") if name.strip()))
    unknown = [name for name in chosen if name not in reporting.FORMATS] or ([] if chosen else [formats])
    if unknown:
        raise click.BadParameter(f"unknown format '{unknown[0]}'; use md, html or md,html", param_hint="--format")
    late = sorted(year for year in years if year > as_of.year)
    if late:
        raise click.BadParameter(f"year {late[0]} is after the as-of date {as_of.isoformat()}", param_hint="--year")
    ledger = checked(file)
    chosen_years = sorted(set(years)) or reporting.default_years(ledger, as_of)
    # One page at a time (a big ledger's report runs to gigabytes), in --jobs processes.
    try:
        files, changed = reporting.write(ledger, as_of, out, chosen_years, chosen,
                                         jobs=jobs or reporting.default_jobs(ledger))
    except reporting.WriteError as exc:
        if exc.path == str(out):
            raise click.ClickException(exc.message) from None
        raise click.FileError(exc.path, hint=exc.message) from None
    people = sum(1 for name in files if name.startswith("forecaster-") and name.endswith(chosen[0]))
    scorecards = ", ".join(map(str, chosen_years)) or "none (nothing forecast yet)"
    click.echo(f"Report as of {as_of.isoformat()} in {out}: {len(files)} files ({changed} changed); "
               f"yearly scorecards: {scorecards}; {people} forecaster page{'' if people == 1 else 's'}; a comparison.")
    start = [os.path.join(out, "index.html" if fmt == "html" else "README.md") for fmt in chosen]
    click.echo(f"Start at {' or '.join(start)}.")
