"""Nothing is made or known after today: the check a write adds to `validate`.

The command line reads the clock and passes the real date in; `check` alone
does not apply it (test fixtures and generated ledgers are dated ahead).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ledger.core.model import Error

if TYPE_CHECKING:
    import datetime as dt
    from collections.abc import Iterable, Iterator

    from ledger.core.dates import When
    from ledger.core.model import Forecast, Outcome, Question


def check_today(questions: Iterable[Question], today: dt.date) -> Iterator[Error]:
    """Nothing is made or known after `today` (the real date, read by the CLI)."""
    for question in questions:
        dated: list[tuple[Forecast | Outcome, str, When, str]] = [
            (forecast, "made", forecast.made, "forecast")
            for forecast in question.forecasts
        ]
        dated += [(o, "known", o.known, "outcome") for o in question.outcomes]
        for record, field, day, what in dated:
            if day.earliest > today:
                article = "an" if what == "outcome" else "a"
                yield Error(
                    record.at(field),
                    f"{what} {field} {day}, after today; {article} {what} is "
                    f"recorded once it is {field}",
                )

