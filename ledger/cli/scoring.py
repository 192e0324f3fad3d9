"""Commands that score: score and compare (calibration is `cli.calibration`'s).

Each loads and checks the ledger, builds the tidy frame (pandas, imported
inside the command), computes with `ledger.score` or `ledger.compare`, and
prints what `ledger.show` writes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

import click

from ledger.cli.errors import checked, known_question, resolve_forecaster
from ledger.cli.options import (
    argument_file,
    as_of_option,
    format_option,
    provisional_option,
    with_options,
)

if TYPE_CHECKING:
    import datetime as dt

    import pandas as pd

    from ledger.core.model import Ledger


@dataclass(frozen=True, slots=True)
class ScoreOptions:
    """`ledger score`'s options."""

    file: str
    by: tuple[str, ...]
    as_of: dt.date
    provisional: bool
    time_averaged: bool
    year_of: Literal["made", "resolved"]  # click.Choice gives only these
    scale: str
    explain_id: str | None
    sensitivity: bool
    as_recorded: bool
    format_: str


as_recorded_option = click.option(
    "--as-recorded", is_flag=True,
    help="Count only outcomes recorded by --as-of (and forecasts first committed by "
    "then, where the file has git history): the scores that could have been "
    "published that day.",
)
"""--as-recorded: the view of what had been written down by the as-of date."""


def recorded_frame(
    ledger: Ledger, as_of: dt.date, *, provisional: bool, as_recorded: bool
) -> pd.DataFrame:
    """The tidy frame as of `as_of`: as known, or as recorded (see --as-recorded).

    As recorded, the day each forecast was entered comes from the file's git
    history where it has one (`ledger.query.hindsight`), else `entered:`.
    """
    import datetime as dt

    from ledger.frame import frame as make_frame

    if not as_recorded:
        return make_frame(ledger, as_of, provisional=provisional)
    from ledger.query import history
    from ledger.query.hindsight import hindsight

    try:
        found = history.history(ledger.files or (ledger.path,))
    except history.NoHistory:
        found = None
    entered = hindsight(ledger, found, dt.date.today()).entered_days()
    return make_frame(
        ledger, as_of, provisional=provisional, as_recorded=True, entered=entered
    )


def _score_frame(options: ScoreOptions) -> pd.DataFrame:
    """`score`'s frame: from the frame cache (`cli.frames`) unless --as-recorded.

    A one-file ledger whose frame is cached is not loaded (--explain loads it
    to look the question up).
    """
    from ledger.cli.frames import frame_only

    if not options.as_recorded:
        return frame_only(options.file, options.as_of, options.provisional)
    return recorded_frame(
        checked(options.file), options.as_of, provisional=options.provisional,
        as_recorded=True,
    )


@click.command()
@argument_file
@click.option(
    "--by",
    "by",
    multiple=True,
    type=click.Choice(["forecaster", "tag", "year", "question", "horizon", "basis"]),
    help="Group by this key (repeatable; default: forecaster).",
)
@as_of_option
@provisional_option
@click.option(
    "--time-averaged", is_flag=True,
    help="Average each forecaster's score day by day over the time each forecast "
    "stood.",
)
@click.option(
    "--year-of", type=click.Choice(["made", "resolved"]), default="made",
    show_default=True, help="Which date's year --by year uses.",
)
@click.option(
    "--scale", type=click.Choice(["0-1", "0-2"]), default="0-1", show_default=True,
    help="Brier scale: 0-1, or 0-2 as GJ Open and Fatebook show it.",
)
@click.option(
    "--explain", "explain_id", metavar="QUESTION_ID",
    help="Show every forecast on one question: whether it counts, why, and its scores.",
)
@click.option(
    "--sensitivity", is_flag=True,
    help="Whose judgement: each forecaster's scores by basis (stated, mapped, judged), "
    "and the mean Brier if judged probabilities were 70%, 85% or 95% and if mapped "
    "words used each shipped table.",
)
@as_recorded_option
@format_option
@with_options(ScoreOptions)
def score(options: ScoreOptions) -> None:
    """Score the standing forecasts in FILE with proper scoring rules.

    Brier (0-1, lower is better), log score (ln p, higher is better), Metaculus
    Baseline (0 = chance, 100 = perfect), with a 95% question-bootstrap CI;
    timing error and interval score of windows (at least 0, lower is better).
    """
    from ledger.score import scorecard
    from ledger.show import score as score_text
    from ledger.show.layout import json_text

    if options.sensitivity and (options.time_averaged or options.explain_id):
        raise click.UsageError(
            "--sensitivity reads the standing forecasts; leave out --time-averaged "
            "and --explain"
        )
    data = _score_frame(options)
    if options.sensitivity:
        click.echo(_sensitivity(data, options), nl=False)
        return
    if options.explain_id is not None:
        known_question(checked(options.file), options.explain_id, "--explain")
        rows = scorecard.explain(data, options.explain_id, scale=options.scale)
        click.echo(_explained(rows, options), nl=False)
        return
    keys = list(options.by) or ["forecaster"]
    table = scorecard.aggregate(
        data, keys, time_averaged=options.time_averaged,
        year_of=options.year_of, scale=options.scale,
    )
    records = score_text.records(table, keys)
    if options.format_ == "json":
        click.echo(json_text(records), nl=False)
    elif options.format_ == "csv":
        click.echo(score_text.frame_csv(table), nl=False)
    else:
        click.echo(score_text.table(
            records, keys, as_of=options.as_of, scale=options.scale,
            time_averaged=options.time_averaged, due=score_text.due_questions(data),
            as_recorded=options.as_recorded,
        ), nl=False)


def _sensitivity(data: pd.DataFrame, options: ScoreOptions) -> str:
    """`score --sensitivity` in the chosen format."""
    from ledger.score.sensitivity import basis_split, sensitivity
    from ledger.show import sensitivity as showing

    split, scenarios = basis_split(data), sensitivity(data)
    if options.format_ == "json":
        return showing.to_json(split, scenarios, options.as_of)
    if options.format_ == "csv":
        return showing.to_csv(split, scenarios)
    return showing.table(split, scenarios, options.as_of)


def _explained(rows: list[dict[str, Any]], options: ScoreOptions) -> str:
    """`score --explain` in the chosen format: every forecast on one question."""
    from ledger.show import score as score_text
    from ledger.show.layout import json_text

    if options.format_ == "json":
        return json_text(rows)
    if options.format_ == "csv":
        return score_text.explain_csv(rows)
    question = str(options.explain_id)
    return score_text.explain_table(rows, question, options.as_of, options.scale)


@dataclass(frozen=True, slots=True)
class CompareOptions:
    """`ledger compare`'s options."""

    file: str
    as_of: dt.date
    provisional: bool
    min_questions: int
    pairs: str | None
    same_window: int | None
    aggregates: tuple[str, ...]
    crowd: tuple[str, ...]
    balance_by: str | None
    adjust: str | None
    ci: Literal["bootstrap", "t"]  # click.Choice gives only these
    format_: str


@click.command()
@argument_file
@as_of_option
@provisional_option
@click.option(
    "--min-questions", default=5, show_default=True, type=click.IntRange(min=0),
    help="Flag forecasters with fewer scored questions.",
)
@click.option(
    "--pairs",
    help="Head-to-head pairs among these forecasters (A,B,...) or 'all'; needed above "
    "50 forecasters.",
)
@click.option(
    "--same-window", type=click.IntRange(min=0), metavar="DAYS",
    help="Head to head only on forecasts made within DAYS of each other.",
)
@click.option(
    "--aggregate", "aggregates", multiple=True,
    type=click.Choice(["median", "mean", "geo-mean-odds"]),
    help="Add a synthetic crowd forecaster, crowd-METHOD (repeatable).",
)
@click.option(
    "--aggregate-of", "crowd", multiple=True, metavar="WHO",
    help="Who the aggregate is made of: forecaster ids, names or aliases, or "
    "affiliation:TEXT (repeatable or comma-separated). Default: everyone but "
    "crowds (ids ending in -crowd).",
)
@click.option(
    "--balance-by", metavar="TAG_PREFIX",
    help="Stratify by the tag with this prefix; Brier = unweighted mean of "
    "per-stratum means.",
)
@click.option(
    "--adjust", type=click.Choice(["difficulty"]),
    help="Add ForecastBench's difficulty-adjusted Brier (two-way fixed effects).",
)
@click.option(
    "--ci", type=click.Choice(["bootstrap", "t"]), default="bootstrap",
    show_default=True,
    help="How the 95% CI of the mean Brier is computed.",
)
@format_option
@with_options(CompareOptions)
def compare(options: CompareOptions) -> None:
    """Compare forecasters on the questions they share.

    A leaderboard (Brier 0-1, lower is better, with a 95% CI; log and Baseline
    scores; Metaculus peer score; relative Brier; coverage) and head-to-head
    results on shared questions, with the gap in days between the forecasts.
    """
    from ledger.core.memory import gc_paused

    if options.crowd and not options.aggregates:
        raise click.UsageError("--aggregate-of needs --aggregate")
    # The records and the frame hold no cycles and live until the command ends;
    # a contest has millions of them, and the collector would walk them all
    # again and again (see loader.gc_paused).
    with gc_paused():
        _compare(options)


def _compare(options: CompareOptions) -> None:
    from ledger import compare as comparing
    from ledger.cli.frames import ledger_and_frame
    from ledger.score import scorecard
    from ledger.show import compare as showing
    from ledger.show.layout import json_text

    ledger, data = ledger_and_frame(options.file, options.as_of, options.provisional)
    real = sorted(set(data["forecaster"].astype(str)))
    members = _crowd_members(options.crowd, ledger, real) if options.aggregates else []
    methods = list(dict.fromkeys(options.aggregates))
    data, added = _with_crowds(data, methods, members)
    rows = scorecard.scored(data)
    try:
        board = comparing.leaderboard(
            rows, min_questions=options.min_questions, balance_by=options.balance_by,
            ci=options.ci, adjust=options.adjust, synthetic=added,
        )
    except ValueError as exc:  # a difficulty fit on forecasters with no shared question
        raise click.BadParameter(str(exc), param_hint="--adjust") from None
    shown = [a for a in added if a in set(board["forecaster"])]
    chosen, note = _compare_pairs(options.pairs, real, shown, ledger)
    try:
        h2h = comparing.head_to_head(rows, chosen, same_window=options.same_window)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--pairs") from None
    unscorable = {q.id: q.unscorable for q in ledger.questions if q.unscorable}
    # The text table shows a summary, made without listing every pair
    # (see unscored_summary).
    unscored = (
        [] if note or options.format_ != "json"
        else comparing.unscored_shared(data, chosen, unscorable)
    )
    every = _compare_pairs(options.pairs, real, added, ledger)[0] if added else chosen
    quantile = comparing.quantile_comparison(
        rows, every, same_window=options.same_window, synthetic=added
    )
    out = showing.to_json(
        board, h2h, unscored, quantile=quantile, as_of=options.as_of.isoformat(),
        ci=options.ci,
        balance_by=options.balance_by, crowd=members, methods=methods, pairs_note=note,
        questions=comparing.scored_questions(rows),
    )
    if options.format_ == "json":
        click.echo(json_text(out), nl=False)
    elif options.format_ == "csv":
        click.echo(showing.to_csv(board), nl=False)
    else:
        summary = (
            (0, []) if note else comparing.unscored_summary(data, chosen, unscorable)
        )
        click.echo(showing.table(
            out, min_questions=options.min_questions, same_window=options.same_window,
            adjust=options.adjust, unscored=summary,
        ), nl=False)


def _with_crowds(
    data: pd.DataFrame, methods: list[str], members: list[str]
) -> tuple[pd.DataFrame, list[str]]:
    """The frame with a synthetic crowd forecaster per method, and their names."""
    from ledger import compare as comparing

    added = []
    for method in methods:
        try:
            data = comparing.aggregate_forecaster(data, method, members)
        except ValueError as exc:
            raise click.BadParameter(str(exc), param_hint="--aggregate") from None
        added.append(comparing.crowd_name(method))
    return data, added


def _affiliated(ledger: Ledger, text: str) -> set[str]:
    """The forecasters with the affiliation `text` (any case); a usage error if none."""
    from ledger.core.words import did_you_mean

    wanted = text.strip().lower()
    found = {
        f.id for f in ledger.forecasters
        if (f.affiliation or "").strip().lower() == wanted
    }
    if not found:
        known = sorted({f.affiliation for f in ledger.forecasters if f.affiliation})
        hint = did_you_mean(text.strip(), known)
        raise click.BadParameter(
            f"no forecaster has the affiliation '{text.strip()}'{hint}",
            param_hint="--aggregate-of",
        )
    return found


def _crowd_members(
    selectors: tuple[str, ...], ledger: Ledger, names: list[str]
) -> list[str]:
    """The forecasters an aggregate is made of (see --aggregate-of)."""
    from ledger.compare.crowd import default_crowd

    if not selectors:
        return default_crowd(names)
    chosen: set[str] = set()
    items = (part.strip() for selector in selectors for part in selector.split(","))
    for item in items:
        if not item:
            continue
        if item.lower().startswith("affiliation:"):
            chosen |= _affiliated(ledger, item.split(":", 1)[1])
        elif item in names:
            chosen.add(item)
        else:
            chosen.add(resolve_forecaster(ledger, item, "--aggregate-of"))
    return sorted(chosen)


def _compare_pairs(
    option: str | None, names: list[str], added: list[str], ledger: Ledger
) -> tuple[list[tuple[str, str]], str | None]:
    """The head-to-head pairs, and why there are none when they were not computed."""
    from ledger.compare.pairs import LARGE_PANEL

    if option is None and len(names) > LARGE_PANEL:
        return [], (
            f"{len(names):,} forecasters: head-to-head pairs are computed only on "
            "request (--pairs A,B,... or --pairs all)."
        )
    if option is None or option.strip() == "all":
        chosen = names + added
    else:
        chosen = []
        for name in filter(None, (part.strip() for part in option.split(","))):
            known = name in names or name in added
            found = name if known else resolve_forecaster(ledger, name, "--pairs")
            chosen += [found] if found not in chosen else []
    return [(a, b) for i, a in enumerate(chosen) for b in chosen[i + 1:]], None
