"""Tests of ledger.dates: every date form, its uncertainty, and horizons from it."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from dateutil.relativedelta import relativedelta

from ledger.core.dates import (
    DateError,
    When,
    parse_day,
    parse_offset,
    parse_when,
    years_between,
)


def d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


@pytest.mark.parametrize(
    ("text", "earliest", "latest"),
    [
        ("2026-02-10", "2026-02-10", "2026-02-10"),
        ("2026-02", "2026-02-01", "2026-02-28"),
        ("2024-02", "2024-02-01", "2024-02-29"),
        ("2026", "2026-01-01", "2026-12-31"),
        ("2026-01-06..2026-04-30", "2026-01-06", "2026-04-30"),
        ("2026-01..2026-03", "2026-01-01", "2026-03-31"),
        ("2025..2026-06", "2025-01-01", "2026-06-30"),
        ("2026-02-10..2026-02-10", "2026-02-10", "2026-02-10"),
        (" 2026-01-06 .. 2026-04-30 ", "2026-01-06", "2026-04-30"),
        ("2026-03..2026-03-15", "2026-03-01", "2026-03-15"),
        ("0001-01-01", "0001-01-01", "0001-01-01"),
        ("9999-12", "9999-12-01", "9999-12-31"),
    ],
)
def test_every_date_form_is_an_interval(text: str, earliest: str, latest: str) -> None:
    when = parse_when(text)
    assert (when.earliest, when.latest) == (d(earliest), d(latest))
    assert when.text == text.strip()
    assert str(when) == text.strip()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2025-13-01", "impossible date '2025-13-01': there is no month 13"),
        ("2025-00", "impossible date '2025-00': there is no month 0"),
        ("2025-02-30", "impossible date '2025-02-30': February 2025 has 28 days"),
        ("2024-02-30", "impossible date '2024-02-30': February 2024 has 29 days"),
        ("2025-04-31", "impossible date '2025-04-31': April 2025 has 30 days"),
        ("2025-01-00", "impossible date '2025-01-00': January 2025 has 31 days"),
        ("0000", "impossible date '0000': there is no year 0"),
        ("02/03/2025", "ambiguous date '02/03/2025': day and month order is unclear"),
        ("3.2.2025", "ambiguous date '3.2.2025': day and month order is unclear"),
        ("next July", "malformed date 'next July'; write YYYY-MM-DD, YYYY-MM, YYYY"),
        ("2025-07-01T10:00", "malformed date '2025-07-01T10:00'; write YYYY-MM-DD"),
        ("20250701", "malformed date '20250701'; write YYYY-MM-DD"),
        ("25", "malformed date '25'; write YYYY-MM-DD"),
        (
            "2025-7-1",
            "malformed date '2025-7-1'; write months and days with two digits, like 2025-07-01",
        ),
        (
            "2025-7",
            "malformed date '2025-7'; write months and days with two digits, like 2025-07",
        ),
        ("2026-03..2026-01", "date range '2026-03..2026-01' ends before it starts"),
        ("2025..", "malformed date range '2025..'; write both ends"),
        ("..2025", "malformed date range '..2025'; write both ends"),
        (
            "2025-06-31..2025-07-01",
            "impossible date '2025-06-31': June 2025 has 30 days",
        ),
    ],
)
def test_bad_dates_say_why(text: str, message: str) -> None:
    with pytest.raises(DateError, match=f"^{re.escape(message)}"):
        parse_when(text)


def test_parse_day_wants_an_exact_day() -> None:
    assert parse_day("2026-02-10") == d("2026-02-10")
    with pytest.raises(
        DateError, match=r"^malformed date '2026-02'; write an exact day as YYYY-MM-DD$"
    ):
        parse_day("2026-02")
    with pytest.raises(DateError, match="February 2026 has 28 days"):
        parse_day("2026-02-29")


@pytest.mark.parametrize(
    ("text", "offset"),
    [
        ("+2y", relativedelta(years=2)),
        ("+18m", relativedelta(months=18)),
        ("+6w", relativedelta(weeks=6)),
        ("+10d", relativedelta(days=10)),
        ("+0y", relativedelta()),
        (" +3y ", relativedelta(years=3)),
    ],
)
def test_horizons(text: str, offset: relativedelta) -> None:
    assert parse_offset(text) == offset


@pytest.mark.parametrize(
    "text", ["2y", "+2", "+2q", "+-2y", "-2y", "+2Y", "+1.5y", "+y"]
)
def test_malformed_horizons(text: str) -> None:
    with pytest.raises(
        DateError, match=f"^malformed horizon '{re.escape(text)}'; write \\+N"
    ):
        parse_offset(text)


def test_a_horizon_from_an_uncertain_date_keeps_both_ends() -> None:
    interview = parse_when("2026-01-06..2026-04-30")
    start = interview.shift(parse_offset("+2y"))
    end = interview.shift(parse_offset("+3y"))
    assert (start.earliest, start.latest) == (d("2028-01-06"), d("2028-04-30"))
    assert (end.earliest, end.latest) == (d("2029-01-06"), d("2029-04-30"))
    assert str(start) == "2028-01-06..2028-04-30"


def test_a_horizon_from_a_month_spans_the_month() -> None:
    post = parse_when("2023-12")  # Jim Fan's post, known only to its month
    three_years = post.shift(parse_offset("+3y"))
    assert (three_years.earliest, three_years.latest) == (
        d("2026-12-01"),
        d("2026-12-31"),
    )


@pytest.mark.parametrize(
    ("start", "horizon", "expected"),
    [
        ("2026-01-31", "+1m", "2026-02-28"),
        ("2024-01-31", "+1m", "2024-02-29"),
        ("2026-03-31", "+1m", "2026-04-30"),
        ("2024-02-29", "+1y", "2025-02-28"),
        ("2024-02-29", "+4y", "2028-02-29"),
        ("2026-01-31", "+13m", "2027-02-28"),
        ("2026-12-31", "+1d", "2027-01-01"),
        ("2026-01-01", "+2w", "2026-01-15"),
    ],
)
def test_calendar_arithmetic_clamps_month_ends(
    start: str, horizon: str, expected: str
) -> None:
    assert When.day(d(start)).shift(parse_offset(horizon)).earliest == d(expected)


def test_when_is_exact_only_for_one_day() -> None:
    assert When.day(d("2026-02-10")).exact
    assert str(When.day(d("2026-02-10"))) == "2026-02-10"
    assert not parse_when("2026-02").exact
    assert str(When(d("2026-01-01"), d("2026-01-31"), "")) == "2026-01-01..2026-01-31"


def test_years_between_is_signed() -> None:
    assert years_between(d("2026-01-01"), d("2027-01-01")) == pytest.approx(
        365 / 365.25
    )
    assert years_between(d("2027-01-01"), d("2026-01-01")) < 0
