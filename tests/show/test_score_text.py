"""ledger.show.score: the scorecard, --explain and calibration as text, called
directly (no command line), on rows built by hand and on the sample ledger."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import math
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from ledger.frame import frame
from ledger.score import scorecard
from ledger.show import score as text
from ledger.validate import check

SAMPLE = Path(__file__).resolve().parent.parent / "data" / "sample.yaml"
AS_OF = dt.date(2030, 12, 31)


def row(**values: Any) -> dict[str, Any]:
    """A scorecard record (as `records` makes them) with every count zero."""
    base: dict[str, Any] = {
        "n": 0, "brier": None, "brier_ci": [None, None], "log_score": None,
        "baseline_score": None, "timing_error": None, "interval_score": None,
        "n_void": 0, "n_open": 0,
        "n_due": 0, "n_unscorable": 0, "n_window_only": 0,
    }
    return {**base, **values}


@pytest.fixture(scope="module")
def sample() -> pd.DataFrame:
    book, errors = check(str(SAMPLE))
    assert errors == []
    return frame(book, AS_OF)


# ---------------------------------------------------------------- the scorecard


def test_records_are_plain_json_values() -> None:
    table = pd.DataFrame([{
        "forecaster": "alice", "n": 2, "brier": 0.125, "brier_ci_low": 0.0,
        "brier_ci_high": float("nan"), "scale": "brier 0-1, lower is better",
        **{name: float("nan") if name == "log_score" else 1 for name in text.PLAIN},
    }])
    [record] = text.records(table, ["forecaster"])
    assert record["forecaster"] == "alice"
    assert record["n"] == 2 and type(record["n"]) is int
    assert record["brier_ci"] == [0.0, None]  # NaN becomes null
    assert record["log_score"] is None
    assert list(record)[-1] == "scale"
    json.dumps(record)  # nothing numpy is left


def test_table_aligns_keys_left_and_numbers_right() -> None:
    rows = [
        row(forecaster="alice", n=12, brier=0.1234, brier_ci=[0.05, 0.2],
            log_score=-0.3, baseline_score=55.55, timing_error=0.5),
        row(forecaster="bo", n=3, brier=0.5, n_open=1),
    ]
    out = text.table(rows, ["forecaster"], as_of=AS_OF, scale="0-1",
                     time_averaged=False, due=[])
    lines = out.splitlines()
    assert lines[0] == "Scores as of 2030-12-31 (standing forecasts)."
    assert lines[1].startswith("Brier 0-1, lower is better; 95% CI: question bootstrap")
    assert lines[3] == (
        "Windows: timing error and interval score (Gneiting & Raftery), means over "
        "date windows in years; at least 0, lower is better."
    )
    assert lines[5].split() == [
        "forecaster", "n", "brier", "95%", "CI", "log", "baseline", "timing", "(y)",
        "interval", "(y)", "void", "open", "due", "unscorable",
    ]
    assert lines[6].startswith("alice       12  0.123  0.050–0.200  -0.300      55.5")
    assert lines[7].startswith("bo           3  0.500            —       —")
    assert all(line == line.rstrip() for line in lines)
    assert lines[9] == (
        "15 forecasts scored with a probability, 0 windows scored by timing only; "
        "1 open, 0 due, 0 void, 0 unscorable (standing forecasts)."
    )
    assert out.endswith("(standing forecasts).\n")


def test_table_says_when_nothing_has_resolved_and_lists_due_questions() -> None:
    out = text.table([row(forecaster="alice", n_due=1)], ["forecaster"], as_of=AS_OF,
                     scale="0-2", time_averaged=True, due=["q-1", "q-2"])
    assert "(time-averaged over the days each forecast stood)" in out
    assert "Brier 0-2 (GJ Open/Fatebook scale), lower is better;" in out
    assert out.endswith(
        "Nothing has resolved as of 2030-12-31: there is nothing to score yet.\n"
        "Due (deadline passed, no outcome recorded): q-1, q-2.\n"
    )


def test_table_by_tag_has_no_totals_line() -> None:
    out = text.table([row(tag="x", n=1, brier=0.2)], ["tag"], as_of=AS_OF, scale="0-1",
                     time_averaged=False, due=[])
    assert "forecasts scored with a probability" not in out
    assert out.endswith("\n\n")  # the table, then an empty line


def test_sample_scorecard(sample: pd.DataFrame) -> None:
    table = scorecard.aggregate(sample, ["forecaster"])
    records = text.records(table, ["forecaster"])
    due = text.due_questions(sample)
    assert due == ["bridge-opens", "market-election"]
    out = text.table(records, ["forecaster"], as_of=AS_OF, scale="0-1",
                     time_averaged=False, due=due)
    assert "alice       7  0.039  0.023–0.057  -0.288      58.4" in out
    assert out.splitlines()[-2].startswith("20 forecasts scored with a probability")
    csv_text = text.frame_csv(table)
    assert csv_text.splitlines()[0] == ",".join(table.columns)
    assert csv_text.endswith("\n") and "\r" not in csv_text


# ---------------------------------------------------------------- one question


def test_explain_table_and_csv(sample: pd.DataFrame) -> None:
    rows = scorecard.explain(sample, "rain-in-june")
    out = text.explain_table(rows, "rain-in-june", AS_OF, "0-1")
    assert out.splitlines()[:5] == [
        "rain-in-june as of 2030-12-31 (brier 0-1, lower is better)",
        "  line 32: alice, made 2026-05-01, p 0.8",
        "    counts: the standing forecast of its forecaster",
        "    brier 0.040, log_score -0.223, baseline_score 67.807",
        "    calibration bin 80-90%",
    ]
    parsed = list(csv.DictReader(io.StringIO(text.explain_csv(rows))))
    assert [r["forecaster"] for r in parsed] == ["alice", "bob", "carol"]
    assert list(parsed[0]) == list(rows[0])


def test_explain_without_forecasts() -> None:
    assert text.explain_table([], "q", AS_OF, "0-2") == (
        "q as of 2030-12-31 (brier 0-2 (GJ Open/Fatebook scale), lower is better)\n"
        "  (no forecasts)\n"
    )
    assert text.explain_csv([]) == "forecaster\n"


def test_explain_shows_no_p_and_only_the_scores_there_are() -> None:
    rows = [{
        "line": 9, "forecaster": "bob", "made": "2026-01-01", "p": None,
        "why": "counts: a window", "brier": None, "log_score": None,
        "baseline_score": None, "timing_error": 0.25, "interval_score": None,
        "bin": None,
    }]
    assert text.explain_table(rows, "q", AS_OF, "0-1").splitlines()[1:] == [
        "  line 9: bob, made 2026-01-01, no p",
        "    counts: a window",
        "    timing_error 0.250",
    ]


# ---------------------------------------------------------------- calibration


def test_calibration_table(sample: pd.DataFrame) -> None:
    out = text.calibration_table(scorecard.calibration(sample), AS_OF)
    lines = out.splitlines()
    assert lines[0] == "Calibration as of 2030-12-31: 20 scored forecasts."
    assert lines[2].split() == [
        "bin", "lo", "hi", "n", "mean_p", "observed", "wilson_lo", "wilson_hi",
    ]
    assert " 10-20%  10  20  0       —         —          —          —" in lines
    assert "Folded (ACX style: below 50% restated as its complement):" in lines
    assert lines[-2].startswith("Murphy decomposition (brier 0-1): REL 0.0933, RES")
    assert lines[-1] == (
        "ECE (positive class, 10 bins; a diagnostic, not a score): 0.2188"
    )


def test_calibration_without_forecasts_has_no_murphy(sample: pd.DataFrame) -> None:
    result = scorecard.calibration(sample[sample["forecaster"] == "nobody"])
    out = text.calibration_table(result, AS_OF)
    assert out.startswith("Calibration as of 2030-12-31: 0 scored forecasts.\n")
    assert "Murphy" not in out and "ECE" not in out
    data = json.loads(text.calibration_json(result))
    assert data["n"] == 0 and data["murphy"] is None and data["ece"] is None


def test_calibration_json(sample: pd.DataFrame) -> None:
    result = scorecard.calibration(sample)
    out = text.calibration_json(result)
    assert out.endswith("}\n") and "NaN" not in out
    data = json.loads(out)
    assert list(data) == ["n", "bins", "folded", "murphy", "ece"]
    assert len(data["bins"]) == 10 and data["bins"][1]["mean_p"] is None
    assert math.isclose(data["murphy"]["BS"], 0.22353125)
