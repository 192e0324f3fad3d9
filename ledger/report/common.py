"""What every report page carries: the links to the others, the view and the methods.

The view says whether a page counts what was known or what was recorded by
its day, and where entry dates come from. The methods section states the
rules each page follows: the standing forecast, what a year's scorecard
holds, the scales and intervals, whose words are whose, hindsight, and the
verbal-probability tables the ledger's mapped forecasts use.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

from ledger.core import words
from ledger.report.caveats import LATE_DAYS
from ledger.report.escape import safe_name

if TYPE_CHECKING:
    import datetime as dt
    from collections.abc import Sequence

    from ledger.report.book import Book

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
    "the current year, on the as-of date): a question appears from its written: "
    "date, else its first forecast; a forecast belongs to the year it was made "
    "(earliest reading of its date), and is scored in the year its outcome became "
    "known (latest reading), or closed without the event by a not-yet entry, or, "
    "for a question written after that, the year it was written."
)
JUDGED_TEXT = (
    "Only the quotes are the forecasters' words. The criteria, the notes and the "
    "judged probabilities are the keeper's, and the pages say so; a judged "
    "probability is the keeper's reading of words that gave no number, and its "
    "note says why."
)
WINDOW_TEXT = (
    "A window's width is at the widest reading of its ends, in years (365.25 days) "
    "or the question's unit. Its interval score (Gneiting & Raftery 2007, in the "
    "same unit, lower is better) is its width plus 2/(1 − p) times the distance "
    "by which the outcome fell outside; a window without p is scored as if it "
    "were a 50% interval. A window that closed without the event (a not-yet "
    "entry, or no by the deadline) is a miss whose timing error is a lower bound."
)
LATE_TEXT = (
    "Hindsight: a forecast entered more than {days} days after it was made is "
    "marked entered late, with the gap; so is one made more than {days} days "
    "before the keeper wrote its question's criteria."
)


def view(book: Book, day: dt.date) -> dict[str, Any]:
    """Which view a page shows (as known or as recorded), and whence entry dates."""
    if book.view.as_recorded:
        text = (
            f"As recorded: only outcomes recorded by {day.isoformat()}, and "
            "forecasts entered by then, count: the scorecard that could have been "
            "published that day."
        )
    else:
        text = (
            "As known: an outcome counts from the day it became known, even if it "
            "was written down later (ledger report --as-recorded shows only what "
            "had been recorded)."
        )
    name = os.path.basename(book.ledger.path) or book.ledger.path
    if book.view.history is not None:
        entries = (
            f"Entry dates come from the git history of {name}, commits dated up to "
            f"{book.as_of.isoformat()}."
        )
    else:
        entries = (
            "Entry dates come from the forecasts' entered: dates (no git history "
            "was read)."
        )
    return {"as_recorded": book.view.as_recorded, "text": text, "entries": entries}


def methods(book: Book, day: dt.date) -> dict[str, Any]:
    """The methods section of a page as of `day`."""
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
        "judged": JUDGED_TEXT,
        "windows": WINDOW_TEXT,
        "late": LATE_TEXT.format(days=LATE_DAYS),
        "view": view(book, day),
    }


def forecaster_stem(forecaster: str) -> str:
    """The file stem of a forecaster's page: forecaster-SAFE-NAME."""
    return f"forecaster-{safe_name(forecaster)}"


def nav(book: Book, years: Sequence[int]) -> dict[str, Any]:
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
                "stem": forecaster_stem(f),
            }
            for f in book.forecaster_order(people)
        ],
    }
