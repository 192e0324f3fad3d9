"""Issue 18, "Done when": random ledgers of quantile forecasts, scored by the commands.

Each seed writes a ledger of date and numeric questions (one unit) with quantile
forecasts by four forecasters: levels drawn from common sets (a median alone, central
intervals, levels that do not pair up), values as exact days, as months (read at
their most favourable day) or as numbers, some forecasts replaced by later ones, and
outcomes that are a day, `no` (the event came after the deadline, if at all), a
number, or none yet. `ledger score --by forecaster --format json` must give each
forecaster's mean quantile score and WIS, and `ledger calibration --quantiles
--format json` the coverage table, equal to what this module computes on its own:
days counted directly, a month read by trying every day of it, the WIS from interval
scores, Wilson's interval from its formula.
"""

from __future__ import annotations

import calendar
import datetime as dt
import json
import math
import random
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pytest
from click.testing import CliRunner

from ledger.cli import main

if TYPE_CHECKING:
    from pathlib import Path

YEAR = 365.25
Z = 1.959963984540054
FORECASTERS = ("ana", "ben", "cy", "dee")
LEVEL_SETS = (
    (0.5,),
    (0.1, 0.5, 0.9),
    (0.25, 0.5, 0.75),
    (0.05, 0.25, 0.5, 0.75, 0.95),
    (0.25, 0.75),
    (0.1, 0.5),
    (0.2, 0.5, 0.8),
)
AS_OF = dt.date(2045, 1, 1)


@dataclass
class Value:
    """A quantile value: its text, and its readings (days as ordinals, or a number)."""

    text: str
    low: float
    high: float


@dataclass
class Forecast:
    by: str
    made: dt.date
    levels: tuple[float, ...]
    values: list[Value]


@dataclass
class Question:
    id: str
    kind: str
    deadline: dt.date
    forecasts: list[Forecast]
    outcome: str | None  # None: open
    y: float | None = None  # the outcome's day (ordinal) or number
    after: int | None = None  # censored: the first day the event can come


def day_value(rng: random.Random, day: dt.date) -> Value:
    if rng.random() < 0.3:  # a month, read at both ends
        last = calendar.monthrange(day.year, day.month)[1]
        first, end = day.replace(day=1), day.replace(day=last)
        return Value(f"{day.year}-{day.month:02d}", first.toordinal(), end.toordinal())
    return Value(day.isoformat(), day.toordinal(), day.toordinal())


def make_question(rng: random.Random, i: int) -> Question:
    kind = "date" if i % 3 else "numeric"
    deadline = dt.date(2030 + rng.randrange(8), 12, 31)
    forecasts = []
    for by in FORECASTERS:
        if rng.random() < 0.25:
            continue
        for update in range(1 + (rng.random() < 0.2)):
            levels = rng.choice(LEVEL_SETS)
            made = dt.date(2026, 1 + update * 5, 1 + rng.randrange(28))
            if kind == "date":
                start = dt.date(2026, 6, 1).toordinal()
                days = sorted(rng.randrange(start, start + 12 * 365) for _ in levels)
                values = [day_value(rng, dt.date.fromordinal(d)) for d in days]
            else:
                numbers = sorted(round(rng.uniform(0, 100), 2) for _ in levels)
                values = [Value(repr(x), x, x) for x in numbers]
            forecasts.append(Forecast(by, made, levels, values))
    question = Question(f"q{i}", kind, deadline, forecasts, None)
    roll = rng.random()
    if roll < 0.15:
        return question  # open (or due): nothing to score
    if kind == "numeric":
        question.y = round(rng.uniform(-10, 110), 2)
        question.outcome = repr(question.y)
    elif roll < 0.35:
        question.outcome = "no"
        question.after = deadline.toordinal() + 1
    else:
        happened = dt.date.fromordinal(
            rng.randrange(dt.date(2026, 7, 1).toordinal(), deadline.toordinal())
        )
        question.y, question.outcome = happened.toordinal(), happened.isoformat()
    return question


def ledger_text(questions: list[Question]) -> str:
    lines = ["forecasters:"]
    lines += [f"  - {{id: {by}, name: {by.title()}}}" for by in FORECASTERS]
    lines.append("questions:")
    for q in questions:
        lines += [
            f"  - id: {q.id}", f"    title: Question {q.id}", "    criteria: As stated.",
            f"    kind: {q.kind}", f"    deadline: {q.deadline.isoformat()}",
        ]
        if q.kind == "numeric":
            lines.append("    unit: GW")
        lines.append("    forecasts:")
        for f in q.forecasts:
            given = ", ".join(
                f"{level}: {value.text}" for level, value in zip(f.levels, f.values, strict=True)
            )
            lines.append(
                f"      - {{by: {f.by}, made: {f.made.isoformat()}, quantiles: {{{given}}}, "
                "basis: stated}"
            )
        if q.outcome is not None:
            known = q.deadline.isoformat() if q.outcome == "no" else "2044-01-01"
            lines += [
                "    outcomes:",
                f"      - {{result: {q.outcome}, known: {known}, recorded: 2044-06-01}}",
            ]
    return "\n".join(lines) + "\n"


def standing(question: Question) -> list[Forecast]:
    last: dict[str, Forecast] = {}
    for f in sorted(question.forecasts, key=lambda f: f.made):
        last[f.by] = f
    return list(last.values())


def readings(value: Value) -> list[float]:
    if value.low == value.high:
        return [value.low]
    return [float(d) for d in range(int(value.low), int(value.high) + 1)]


def pinball(level: float, error: float) -> float:
    return error * (level - (1.0 if error < 0 else 0.0))


def wis_by_intervals(y: float, forecast: Forecast, unit: float) -> float | None:
    """(½|y − m| + Σ αₖ/2 IS_αₖ)/(K + ½), each term at its best readings, or None."""
    at = dict(zip(forecast.levels, forecast.values, strict=True))
    lows = [t for t in forecast.levels if t < 0.5]
    if 0.5 not in at or any(round(1 - t, 9) not in at for t in forecast.levels):
        return None
    total = min(0.5 * abs(y - m) for m in readings(at[0.5]))
    for t in lows:
        alpha = 2 * t
        total += min(
            alpha / 2 * ((u - lo) + 2 / alpha * (max(lo - y, 0) + max(y - u, 0)))
            for lo in readings(at[t])
            for u in readings(at[round(1 - t, 9)])
        )
    return total / (len(lows) + 0.5) / unit


def expected_scores(question: Question, forecast: Forecast) -> tuple[float, float | None] | None:
    """(quantile score, WIS) of one standing forecast, or None when it has none."""
    unit = YEAR if question.kind == "date" else 1.0
    if question.after is not None:  # a lower bound, when every value has passed
        if any(v.high >= question.after for v in forecast.values):
            return None
        y = float(question.after)
        terms = [2 * t * (y - v.high) for t, v in zip(forecast.levels, forecast.values, strict=True)]
        return sum(terms) / len(terms) / unit, wis_by_intervals(y, forecast, unit)
    if question.y is None:
        return None
    y = question.y
    terms = [
        min(2 * pinball(t, y - q) for q in readings(v))
        for t, v in zip(forecast.levels, forecast.values, strict=True)
    ]
    return sum(terms) / len(terms) / unit, wis_by_intervals(y, forecast, unit)


def below(question: Question, value: Value) -> float | None:
    """1 if the outcome fell below the value under every reading, 0 if not, None."""
    if question.after is not None:
        return 0.0 if value.high < question.after else None
    if question.y is None:
        return None
    if question.y < value.low:
        return 1.0
    return 0.0 if question.y >= value.high else None


def mean(values: list[float]) -> float | None:
    return sum(values) / len(values) if values else None


def wilson(share: float, n: int) -> list[float]:
    centre = (share + Z * Z / (2 * n)) / (1 + Z * Z / n)
    half = Z / (1 + Z * Z / n) * math.sqrt(share * (1 - share) / n + Z * Z / (4 * n * n))
    return [centre - half, centre + half]


def run(*args: str) -> str:
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == 0, result.output
    return result.stdout


def close(actual: float | None, expected: float | None) -> bool:
    if expected is None:
        return actual is None
    return actual is not None and abs(actual - expected) <= 1e-9 * max(1.0, abs(expected))


@pytest.mark.parametrize("seed", range(6))
def test_scores_and_coverage_of_a_random_ledger(seed: int, tmp_path: Path) -> None:
    rng = random.Random(seed)
    questions = [make_question(rng, i) for i in range(36)]
    path = tmp_path / "random.yaml"
    path.write_text(ledger_text(questions), encoding="utf-8")
    assert run("check", str(path)) == ""
    by: dict[str, dict[str, list[float]]] = {
        who: {"date": [], "date_wis": [], "numeric": [], "numeric_wis": []}
        for who in FORECASTERS
    }
    cells: dict[float, list[float]] = {}
    for q in questions:
        for f in standing(q):
            found = expected_scores(q, f)
            if found is not None:
                qs, wis = found
                by[f.by][q.kind].append(qs)
                if wis is not None:
                    by[f.by][f"{q.kind}_wis"].append(wis)
            for level, value in zip(f.levels, f.values, strict=True):
                seen = below(q, value)
                if seen is not None:
                    cells.setdefault(level, []).append(seen)

    scores = json.loads(run(
        "score", str(path), "--by", "forecaster", "--as-of", AS_OF.isoformat(),
        "--format", "json",
    ))
    checked = 0
    for row in scores:
        mine = by[row["forecaster"]]
        assert row["n_quantiles"] == len(mine["date"]) + len(mine["numeric"])
        for column, values in (
            ("quantile_score", mine["date"]), ("wis", mine["date_wis"]),
            ("numeric_quantile_score", mine["numeric"]), ("numeric_wis", mine["numeric_wis"]),
        ):
            assert close(row[column], mean(values)), (seed, row["forecaster"], column)
            checked += bool(values)
    assert checked >= 8  # every forecaster has date and numeric scores

    coverage = json.loads(run(
        "calibration", str(path), "--quantiles", "--as-of", AS_OF.isoformat(),
        "--format", "json",
    ))
    levels = coverage["levels"]
    assert [set(r) for r in levels] == [{"level", "n", "below", "ci"}] * len(levels)
    assert [r["level"] for r in levels] == sorted(cells)
    for row in levels:
        seen = cells[row["level"]]
        assert row["n"] == len(seen)
        share = sum(seen) / len(seen)
        assert close(row["below"], share)
        low, high = wilson(share, len(seen))
        assert close(row["ci"][0], low) and close(row["ci"][1], high)
