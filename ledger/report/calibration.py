"""The calibration section of a page: chart, folded table and bins.

Standing forecasts on resolved questions, in ten 10% bins by basis (stated,
mapped, judged), with Wilson 95% intervals, the ACX-style folded table and
the Murphy decomposition (`ledger.scorecard.calibration`). With nothing
resolved yet, the section lists the probabilities still waiting instead.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from ledger.core.text import DASH, plural, share
from ledger.report import charts
from ledger.report.book import records
from ledger.report.cards import interval, num
from ledger.score import calibration as score
from ledger.score import scorecard

if TYPE_CHECKING:
    import pandas as pd

    from ledger.report.render import Charts

BASES = ("stated", "mapped", "judged")

SCHEME = (
    "Two ways of grouping forecasts are used here. The chart and the bin table "
    "put each probability, as stated, in one of ten 10%-wide bins ([80, 90) holds "
    "an 85% forecast). The folded table first reads a forecast below 50% as its "
    "complement (30% that it happens is 70% that it does not), then puts it in the "
    "nearest of the ACX buckets 50, 60, 70, 80, 90, 95 and 99%, a tie going up: "
    "85% is in the 90% bucket, whose range is 85% up to 92.5%. Each bucket's range "
    "is given beside it."
)
"""The sentence that explains the page's two bucket schemes."""


def bucket_label(bucket: int) -> str:
    """A folded bucket with the range it holds: '90% (85–92.5%)', '99% (97–100%)'.

    Each range runs from the midpoint with the bucket below (included) to the
    midpoint with the bucket above (excluded; `score.calibration.folded_table`).
    """
    buckets = score.FOLDED_BUCKETS
    i = buckets.index(bucket)
    low = 50 if i == 0 else (buckets[i - 1] + bucket) / 2
    high = 100 if i == len(buckets) - 1 else (bucket + buckets[i + 1]) / 2
    return f"{bucket}% ({low:g}–{high:g}%)"


def _bins(table: pd.DataFrame) -> list[dict[str, Any]]:
    keys = ("lo", "hi", "n", "mean_p", "observed", "wilson_lo", "wilson_hi")
    return [{key: row[key] for key in keys} for row in records(table)]


def _folded(overall: dict[str, Any], by_basis: dict[str, Any]) -> list[dict[str, Any]]:
    """The folded table (50%-100% buckets), with each bucket's count by basis."""
    counts = {
        (str(r["basis"]), int(r["bucket"])): int(r["n"])
        for r in records(by_basis["folded"])
    }
    table = []
    for r in records(overall["folded"]):
        bucket = int(r["bucket"])
        by = ", ".join(
            f"{counts[(b, bucket)]} {b}" for b in BASES if counts.get((b, bucket))
        )
        table.append(
            {
                "bucket": bucket_label(bucket),
                "n": int(r["n"]),
                "by_basis": by or DASH,
                "mean_p": share(r["mean_p"]),
                "observed": share(r["observed"]),
                "wilson": interval(r["wilson_lo"], r["wilson_hi"], percent=True),
            }
        )
    return table


def _bin_rows(overall: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        {
            "bin": str(r["bin"]),
            "n": int(r["n"]),
            "mean_p": share(r["mean_p"]),
            "observed": share(r["observed"]),
            "wilson": interval(r["wilson_lo"], r["wilson_hi"], percent=True),
        }
        for r in records(overall["bins"])
    ]


def _chart(
    by_basis: dict[str, Any], bins: list[dict[str, Any]], n: int, what: str, title: str
) -> dict[str, Any]:
    """The reliability diagram's geometry, with its text alternatives."""
    present = [b for b in BASES if b in set(by_basis["bins"]["basis"].astype(str))]
    series = [
        {"basis": b, "bins": _bins(by_basis["bins"][by_basis["bins"]["basis"] == b])}
        for b in present
    ]
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
    return charts.calibration(
        series,
        title=f"Calibration{title} (n = {n})",
        label=label,
        desc=f"{label}. {described}. Markers by basis: {', '.join(present)}. "
        "The diagonal is perfect calibration; error bars are Wilson 95% intervals.",
    )


def calibration(
    frame: pd.DataFrame,
    mask: pd.Series[bool],
    scope: pd.Series[bool],
    drawn: Charts,
    stem: str,
    what: str,
    title: str = "",
) -> dict[str, Any]:
    """The calibration chart and folded table of the forecasts in `mask`.

    With nothing to calibrate, the probabilities in `scope` still waiting
    instead.
    """
    rows = frame[mask]
    overall = scorecard.calibration(rows)
    if overall["n"] == 0:
        return {"n": 0, "waiting": waiting(frame[scope])}
    by_basis = scorecard.calibration(rows, by=["basis"])
    n = overall["n"]
    bins = _bin_rows(overall)
    geometry = _chart(by_basis, bins, n, what, title)
    murphy = overall["murphy"] or {}
    return {
        "n": n,
        "scheme": SCHEME,
        "chart": drawn.add("calibration.svg.j2", stem, geometry),
        "folded": _folded(overall, by_basis),
        "bins": bins,
        "murphy": {k: num(v, 4) for k, v in murphy.items()},
        "ece": num(overall["ece"], 4),
    }


def waiting(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Standing probabilities waiting for an outcome, by folded bucket and basis."""
    waits = frame["excluded"].isin(["open", "due"])  # not unscorable: never scored
    rows = frame[frame["standing"] & waits & frame["p"].notna()]
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
            found.append(
                {"bucket": bucket_label(bucket), "n": sum(counts.values()), **counts}
            )
    return found
