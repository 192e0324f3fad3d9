"""What every report page carries: the links to the others and the methods.

The methods section states the rules each page follows: the standing
forecast, what a year's scorecard holds, the scales and intervals, and the
verbal-probability tables the ledger's mapped forecasts use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ledger.core import words
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
    "the current year, on the as-of date): a forecast belongs to the year it was "
    "made (earliest reading of its date), and is scored in the year its outcome "
    "became known (latest reading)."
)
JUDGED_TEXT = (
    "Judged probabilities are the keeper's reading of words that gave no "
    "number; each such forecast's note says why."
)


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
