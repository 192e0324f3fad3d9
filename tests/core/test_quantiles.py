"""Quantile forecasts (issue 18): the file format and the one scoring rule.

The format: `quantiles:` on a date or numeric forecast, levels strictly between 0
and 1 (0.1 or 10%), values that do not decrease, any ledger date form (an
uncertain date read at both ends), and `basis` as for probabilities. The rule
(`ledger.core.quantiles`): the quantile score, the WIS where the levels pair up,
the reading most favourable to the forecaster, and censored lower bounds.
Expected values are worked out by hand in days, never by the code under test.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import TYPE_CHECKING

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ledger import score
from ledger.core import quantiles
from ledger.core.dates import When, parse_when
from ledger.core.model import Quantiles

if TYPE_CHECKING:
    from collections.abc import Callable

    from ledger.core.model import Error, Ledger

YEAR = 365.25

HEAD = """\
forecasters:
  - {id: alice, name: Alice}
questions:
  - id: robots
    title: Robots
    criteria: The first day 10,000 units are delivered.
    kind: KIND
    deadline: 2035-12-31
    forecasts:
      - by: alice
        made: 2026-02-10
"""


def forecast(check: Callable[[str], tuple[Ledger, list[Error]]], kind: str, lines: str):
    ledger, errors = check(HEAD.replace("KIND", kind) + lines)
    assert errors == [], [str(e) for e in errors]
    return ledger.questions[0].forecasts[0]


def days(start: str, end: str) -> float:
    return (dt.date.fromisoformat(end) - dt.date.fromisoformat(start)).days / YEAR


# -- the format -------------------------------------------------------------------


def test_levels_as_decimals_or_percents_values_in_any_date_form(check) -> None:
    found = forecast(
        check, "date",
        "        quantiles: {10%: 2027, 0.5: 2030-06, 0.9: +10y}\n        basis: stated\n",
    )
    assert found.quantiles.levels == (0.1, 0.5, 0.9)
    first, median, last = found.quantiles.values
    assert (first.earliest, first.latest) == (dt.date(2027, 1, 1), dt.date(2027, 12, 31))
    assert (median.earliest, median.latest) == (dt.date(2030, 6, 1), dt.date(2030, 6, 30))
    assert (last.earliest, last.latest) == (dt.date(2036, 2, 10), dt.date(2036, 2, 10))
    assert found.p is None and found.window is None


def test_block_style_numbers_and_one_level_is_enough(check) -> None:
    found = forecast(
        check, "numeric",
        "        quantiles:\n          0.25: 1e3\n          75%: 2500.5\n        basis: stated\n",
    )
    assert found.quantiles == Quantiles((0.25, 0.75), (1000.0, 2500.5))
    median = forecast(check, "numeric", "        quantiles: {0.5: 7}\n        basis: stated\n")
    assert median.quantiles == Quantiles((0.5,), (7.0,))


def test_levels_are_sorted_whatever_order_they_are_written_in(check) -> None:
    found = forecast(
        check, "numeric", "        quantiles: {0.9: 30, 0.1: 10, 0.5: 20}\n        basis: stated\n"
    )
    assert found.quantiles == Quantiles((0.1, 0.5, 0.9), (10.0, 20.0, 30.0))


def test_overlapping_uncertain_dates_are_ordered_under_some_reading(check) -> None:
    """{0.1: 2030, 0.5: 2030-06}: the 10% value may be any day of 2030, so it can
    come before June; only values out of order under every reading are refused."""
    found = forecast(
        check, "date", "        quantiles: {0.1: 2030, 0.5: 2030-06}\n        basis: stated\n"
    )
    assert found.quantiles.levels == (0.1, 0.5)


def test_quantiles_beside_a_window_keep_both(check) -> None:
    found = forecast(
        check, "date",
        "        window: [2028, 2031]\n        p: 80%\n        quantiles: {0.5: 2029}\n"
        "        basis: stated\n",
    )
    assert found.window is not None and found.p == 0.8 and found.quantiles.levels == (0.5,)


def test_mapped_quantiles_name_their_convention_in_the_note(check) -> None:
    found = forecast(
        check, "date",
        "        quantiles: {0.5: 2030}\n        basis: mapped\n        words: roughly 2030\n"
        "        note: Read as a median by the horizons-in-words convention.\n",
    )
    assert found.basis == "mapped" and found.p is None and found.table is None


def test_the_schema_knows_the_field() -> None:
    import json
    from pathlib import Path

    import jsonschema

    schema = json.loads((Path(quantiles.__file__).parents[1] / "schema.json").read_text())
    good = {"by": "a", "made": "2026", "basis": "stated",
            "quantiles": {"0.1": 12, "50%": "2030-06", "0.9": "+10y"}}
    bad_level = {**good, "quantiles": {"1.5": 12}}
    bad_value = {**good, "quantiles": {"0.5": None}}
    empty = {**good, "quantiles": {}}
    forecast_schema = {**schema["definitions"]["forecast"], "definitions": schema["definitions"]}
    check = jsonschema.Draft7Validator(forecast_schema)
    assert check.is_valid(good)
    assert not check.is_valid(bad_level)
    assert not check.is_valid(bad_value)
    assert not check.is_valid(empty)


# -- the rule ----------------------------------------------------------------------


def on(year: int, month: int, day: int) -> When:
    return When.day(dt.date(year, month, day))


def test_a_median_alone_scores_the_absolute_error_in_years() -> None:
    found = quantiles.score(
        Quantiles((0.5,), (on(2030, 6, 1),)), quantiles.truth(on(2031, 3, 1), None)
    )
    error = days("2030-06-01", "2031-03-01")
    assert found.quantile_score == pytest.approx(error, abs=1e-12)
    assert found.wis == pytest.approx(error, abs=1e-12)
    assert found.quantile_below == (0.0,)
    assert not found.quantile_censored


def test_three_levels_by_hand() -> None:
    """10%/50%/90% at 2027-01-01, 2030-06-01, 2034-01-01; the event on 2031-03-01."""
    levels = (0.1, 0.5, 0.9)
    values = (on(2027, 1, 1), on(2030, 6, 1), on(2034, 1, 1))
    found = quantiles.score(Quantiles(levels, values), quantiles.truth(on(2031, 3, 1), None))
    terms = [
        2 * 0.1 * days("2027-01-01", "2031-03-01"),
        2 * 0.5 * days("2030-06-01", "2031-03-01"),
        2 * (1 - 0.9) * days("2031-03-01", "2034-01-01"),
    ]
    assert found.quantile_score == pytest.approx(sum(terms) / 3, abs=1e-12)
    assert found.wis == pytest.approx(sum(terms) / 3, abs=1e-12)
    assert found.quantile_below == (0.0, 0.0, 1.0)


def test_an_uncertain_value_is_read_at_its_reading_nearest_the_outcome() -> None:
    """A median of 2030 (any day of it): 2031-03-01 is 60 days past 2030-12-31, and an
    outcome inside 2030 scores 0; whether it fell below the median is undetermined."""
    median = Quantiles((0.5,), (parse_when("2030"),))
    late = quantiles.score(median, quantiles.truth(on(2031, 3, 1), None))
    assert late.quantile_score == pytest.approx(60 / YEAR, abs=1e-12)
    assert late.quantile_below == (0.0,)
    inside = quantiles.score(median, quantiles.truth(on(2030, 7, 1), None))
    assert inside.quantile_score == 0.0
    assert math.isnan(inside.quantile_below[0])


def test_an_uncertain_outcome_is_read_at_its_most_favourable_day() -> None:
    """Levels 0.1/0.9 at 2030-01-10 and 2030-01-20, the event in January 2030: the
    best reading of the outcome lies inside [10, 20], where the score is the
    interval's 0.2 x width / 2 terms only, the smallest over every day of January."""
    given = Quantiles((0.1, 0.9), (on(2030, 1, 10), on(2030, 1, 20)))
    found = quantiles.score(given, quantiles.truth(parse_when("2030-01"), None))
    brute = min(
        (2 * 0.1 * max(d - 10, 0) + 2 * 0.9 * max(10 - d, 0)
         + 2 * 0.9 * max(d - 20, 0) + 2 * 0.1 * max(20 - d, 0)) / 2 / YEAR
        for d in range(1, 32)
    )
    assert found.quantile_score == pytest.approx(brute, abs=1e-12)
    assert all(math.isnan(b) for b in found.quantile_below)


def test_censored_by_a_no_gives_a_lower_bound_when_every_value_has_passed() -> None:
    """No event by 2030-12-31: y is at least 2031-01-01."""
    given = Quantiles((0.25, 0.75), (parse_when("2027"), parse_when("2029")))
    found = quantiles.score(given, quantiles.truth(None, dt.date(2030, 12, 31)))
    bound = (
        2 * 0.25 * days("2027-12-31", "2031-01-01")
        + 2 * 0.75 * days("2029-12-31", "2031-01-01")
    ) / 2
    assert found.quantile_censored
    assert found.quantile_score == pytest.approx(bound, abs=1e-12)
    assert math.isnan(found.wis)  # 0.25/0.75 have no median
    assert found.quantile_below == (0.0, 0.0)


def test_a_value_past_the_censoring_day_is_scored_only_once_the_event_happens() -> None:
    given = Quantiles((0.25, 0.75), (parse_when("2027"), parse_when("2032")))
    found = quantiles.score(given, quantiles.truth(None, dt.date(2030, 12, 31)))
    assert math.isnan(found.quantile_score) and math.isnan(found.wis)
    assert not found.quantile_censored
    assert found.quantile_below[0] == 0.0 and math.isnan(found.quantile_below[1])


def test_unpaired_levels_say_why_there_is_no_wis() -> None:
    assert quantiles.unpaired([0.1, 0.5, 0.9]) is None
    assert quantiles.unpaired([0.5]) is None
    assert quantiles.unpaired([0.1, 0.9]) == "no median (level 0.5)"
    assert quantiles.unpaired([0.1, 0.5]) == "level 0.1 has no partner 0.9"
    with pytest.raises(ValueError, match="do not pair up around a median: no median"):
        score.wis(1.0, [0.0, 2.0], [0.25, 0.75])


def test_decimal_years_round_trip() -> None:
    for text in ("2000-01-01", "2030-07-02", "1999-12-31", "2100-02-28"):
        day = dt.date.fromisoformat(text)
        assert quantiles.day_of(quantiles.year(day)) == day
    assert quantiles.year(dt.date(2000, 1, 1)) == 2000.0


levels_strategy = st.lists(
    st.sampled_from([0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95]), min_size=1, max_size=7, unique=True
).map(sorted)


@settings(max_examples=200, deadline=None)
@given(
    levels=levels_strategy,
    values=st.lists(st.floats(-1e3, 1e3), min_size=7, max_size=7),
    y=st.floats(-1e3, 1e3),
)
def test_the_frames_rule_equals_the_array_rules(levels, values, y) -> None:
    """core.quantiles (the frame's) against score.quantile_score and score.wis."""
    values = sorted(values[: len(levels)])
    found = quantiles.score(Quantiles(tuple(levels), tuple(values)), quantiles.Truth(y, y))
    assert found.quantile_score == pytest.approx(
        float(score.quantile_score(y, values, levels)), rel=1e-9, abs=1e-9
    )
    if quantiles.unpaired(levels) is None:
        wis = float(score.wis(y, values, levels))
        assert found.wis == pytest.approx(wis, rel=1e-9, abs=1e-9)
        assert wis == pytest.approx(found.quantile_score, rel=1e-9, abs=1e-9)
    else:
        assert math.isnan(found.wis)
