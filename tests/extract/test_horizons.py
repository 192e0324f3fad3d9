"""The horizon grammar: every form the issue lists, read against an uncertain made date.

Windows are worked out by hand from the README's rules: a horizon counted from
`made` 2026-01-06..2026-04-30 runs from the earliest reading of its start to the
latest reading of its end (as the loader reads `+2y..+3y`).
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from ledger.core.conventions import read_conventions, shipped
from ledger.core.dates import parse_when
from ledger.extract.horizons import horizons
from ledger.extract.windows import dates, deadline, ledger_window

MADE = parse_when("2026-01-06..2026-04-30")
D = dt.date

CASES = [
    # (text, horizon as written, window, ledger window or deadline, by a deadline)
    ("in about 2–3 years", "in about 2–3 years", (D(2028, 1, 6), D(2029, 4, 30)), "+2y..+3y"),
    ("in roughly 2-3 years", "in roughly 2-3 years", (D(2028, 1, 6), D(2029, 4, 30)), "+2y..+3y"),
    ("~2—3 years from now", "~2—3 years from now", (D(2028, 1, 6), D(2029, 4, 30)), "+2y..+3y"),
    ("in two to three years", "in two to three years", (D(2028, 1, 6), D(2029, 4, 30)), "+2y..+3y"),
    ("in 2 − 3 months", "in 2 − 3 months", (D(2026, 3, 6), D(2026, 7, 30)), "+2m..+3m"),
    ("in about 3 years", "in about 3 years", (D(2028, 7, 6), D(2029, 10, 30)), "+30m..+42m"),
    ("in ~6 weeks", "in ~6 weeks", (D(2026, 2, 10), D(2026, 6, 18)), "+5w..+7w"),
    ("in 5 years", "in 5 years", (D(2031, 1, 6), D(2031, 4, 30)), "+5y..+5y"),
    ("within 5 years", "within 5 years", (D(2026, 1, 6), D(2031, 4, 30)), "2031-04-30"),
    ("within the next 5 years", "within the next 5 years", (D(2026, 1, 6), D(2031, 4, 30)), "2031-04-30"),
    ("in the next two to three years", "in the next two to three years", (D(2028, 1, 6), D(2029, 4, 30)), "+2y..+3y"),
    ("by 2030", "by 2030", (D(2026, 1, 6), D(2030, 12, 31)), "2030"),
    ("by the end of 2030", "by the end of 2030", (D(2026, 1, 6), D(2030, 12, 31)), "2030"),
    ("before 2035", "before 2035", (D(2026, 1, 6), D(2034, 12, 31)), "2034-12-31"),
    ("in 2030", "in 2030", (D(2030, 1, 1), D(2030, 12, 31)), "[2030, 2030]"),
    ("in March 2030", "in March 2030", (D(2030, 3, 1), D(2030, 3, 31)), "[2030-03, 2030-03]"),
    ("in the 2030s", "in the 2030s", (D(2030, 1, 1), D(2039, 12, 31)), "[2030, 2039]"),
    ("by the end of the decade", "by the end of the decade", (D(2026, 1, 6), D(2029, 12, 31)), "2029-12-31"),
    ("this year", "this year", (D(2026, 1, 6), D(2026, 12, 31)), "2026-12-31"),
    ("next year", "next year", (D(2027, 1, 1), D(2027, 12, 31)), "[2027-01-01, 2027-12-31]"),
    ("within a decade", "within a decade", (D(2026, 1, 6), D(2036, 4, 30)), "2036-04-30"),
    ("within decades", "within decades", (D(2026, 1, 6), D(2056, 4, 30)), "2056-04-30"),
    ("in our lifetime", "in our lifetime", (D(2026, 1, 6), D(2066, 4, 30)), "2066-04-30"),
    ("after 2040", "after 2040", (D(2041, 1, 1), None), "[2041-01-01, null]"),
    ("won't happen until 2031", "until 2031", (D(2031, 1, 1), None), "[2031, null]"),
    ("in a couple of years", "in a couple of years", (D(2027, 7, 6), D(2028, 10, 30)), "+18m..+30m"),
    ("in one and a half years", "in one and a half years", (D(2027, 7, 6), D(2027, 10, 30)), "+18m..+18m"),
    ("by mid-2030", "by mid-2030", (D(2026, 1, 6), D(2030, 6, 30)), "2030-06-30"),
    ("in the early 2030s", "in the early 2030s", (D(2030, 1, 1), D(2033, 12, 31)), "[2030, 2033]"),
]


@pytest.mark.parametrize(("text", "written", "window", "ledger"), CASES, ids=[c[0] for c in CASES])
def test_each_form_gives_its_window(text: str, written: str, window: tuple, ledger: str) -> None:
    (horizon,) = horizons(text, shipped())
    assert horizon.text == written
    assert text[horizon.start:horizon.end] == written
    assert dates(horizon, MADE) == window
    if horizon.by:
        assert deadline(horizon, MADE) == ledger
    else:
        assert ledger_window(horizon, MADE) == ledger


def test_the_ledger_window_reads_back_to_the_same_dates() -> None:
    from ledger.loader.load import load_text

    for text, _, window, ledger in CASES:
        (horizon,) = horizons(text, shipped())
        if horizon.by:
            continue
        doc = (
            "forecasters: [{id: a, name: A}]\nquestions:\n"
            "  - {id: q, title: t, criteria: c, kind: date, deadline: 2099,\n"
            f"     forecasts: [{{by: a, made: {MADE}, basis: stated, window: '{ledger}'}}]}}\n"
        )
        if ledger.startswith("["):
            doc = doc.replace(f"'{ledger}'", ledger)
        loaded, errors = load_text(doc, "t.yaml")
        assert errors == [], (text, errors)
        read = loaded.questions[0].forecasts[0].window
        start = read.start.earliest if read.start is not None else None
        end = read.end.latest if read.end is not None else None
        assert (start, end) == window, text


def test_never_and_orders_and_half_read_expressions() -> None:
    (never,) = horizons("Fully autonomous cars will never work in snow.", shipped())
    assert (never.never, never.text, dates(never, MADE)) == (True, "will never", None)
    (partial,) = horizons("It will happen within the next.", shipped())
    assert (partial.partial, partial.text) == (True, "within the next")
    assert horizons("They met after the talk, as soon as possible.", shipped()) == []


def test_no_horizon_in_past_durations_or_plain_numbers() -> None:
    for text in ("She spent seven years at the lab.", "The first prototype took two years to build.",
                 "It costs 2030 dollars.", "Call me at 10:30."):
        assert horizons(text, shipped()) == [], text


def test_without_a_made_date_relative_windows_stay_relative() -> None:
    (horizon,) = horizons("in about 2–3 years", shipped())
    assert dates(horizon, None) is None
    assert ledger_window(horizon, None) == "+2y..+3y"
    (by,) = horizons("by 2030", shipped())
    assert dates(by, None) == (None, D(2030, 12, 31))


def test_the_keeper_can_change_the_conventions(tmp_path: Path) -> None:
    data = json.loads(Path(shipped().path).read_text(encoding="utf-8"))
    data["spans"][0]["window"] = ["+0d", "+20y"]  # "within decades": two decades
    data["approximate"]["slack"]["year"] = "+3m"
    mine, errors = read_conventions(json.dumps(data), "mine.json")
    assert errors == [] and mine is not None
    (decades,) = horizons("within decades", mine)
    assert dates(decades, MADE) == (D(2026, 1, 6), D(2046, 4, 30))
    (about,) = horizons("in about 3 years", mine)
    assert dates(about, MADE) == (D(2028, 10, 6), D(2029, 7, 30))
