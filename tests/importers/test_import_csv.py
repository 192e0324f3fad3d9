"""`ledger import csv`: plain CSV files of forecasts and outcomes in, a ledger out."""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING

from click.testing import CliRunner

from ledger.cli import main
from ledger.validate import check

if TYPE_CHECKING:
    from pathlib import Path

    from ledger.core.model import Ledger


def run(*args: object) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, [str(a) for a in args])
    return result.exit_code, result.stdout, result.stderr


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, "utf-8")
    return path


def load(path: Path) -> Ledger:
    ledger, errors = check(str(path))
    assert errors == [], errors
    return ledger


def summary(ledger: Ledger) -> dict[str, object]:
    return {
        q.id: (
            q.title,
            str(q.deadline),
            [(f.by, str(f.made), f.p) for f in q.forecasts],
            [(o.result.text, str(o.known)) for o in q.outcomes],
        )
        for q in ledger.questions
    }


FORECASTS = """\
question,forecaster,probability,made,deadline
Will it rain in Oxford on 1 May 2026?,Ada Lovelace,0.7,2026-04-01,2026-05-01
Will it rain in Oxford on 1 May 2026?,Charles Babbage,0.25,2026-04-02,2026-05-01
Will it rain in Oxford on 1 May 2026?,Ada Lovelace,0.8,2026-04-20,
Mars landing by 2030?,Ada Lovelace,5%,2026-04-01,2030-12-31
"""

OUTCOMES = """\
question,outcome,known
Will it rain in Oxford on 1 May 2026?,yes,2026-05-01
Mars landing by 2030?,,
"""


def test_long_format_with_outcomes(tmp_path: Path) -> None:
    forecasts = write(tmp_path, "forecasts.csv", FORECASTS)
    outcomes = write(tmp_path, "outcomes.csv", OUTCOMES)
    out = tmp_path / "out.yaml"
    code, stdout, stderr = run(
        "import", "csv", forecasts, "--outcomes", outcomes, "-o", out
    )
    assert code == 0, stderr
    assert stdout == ""
    assert "2 questions, 4 forecasts by 2 forecasters, 1 outcome" in stderr
    ledger = load(out)
    assert summary(ledger) == {
        "will-it-rain-in-oxford-on-1-may-2026": (
            "Will it rain in Oxford on 1 May 2026?",
            "2026-05-01",
            [
                ("ada-lovelace", "2026-04-01", 0.7),
                ("charles-babbage", "2026-04-02", 0.25),
                ("ada-lovelace", "2026-04-20", 0.8),
            ],
            [("yes", "2026-05-01")],
        ),
        "mars-landing-by-2030": (
            "Mars landing by 2030?",
            "2030-12-31",
            [("ada-lovelace", "2026-04-01", 0.05)],
            [],
        ),
    }
    assert {f.id: f.name for f in ledger.forecasters} == {
        "ada-lovelace": "Ada Lovelace",
        "charles-babbage": "Charles Babbage",
    }
    (source,) = ledger.sources
    assert (source.id, source.kind, source.title) == (
        "forecasts-csv",
        "dataset",
        "forecasts.csv and outcomes.csv",
    )
    assert all(
        f.source == "forecasts-csv" and f.basis == "stated"
        for q in ledger.questions
        for f in q.forecasts
    )
    text = out.read_text("utf-8")
    assert text.splitlines()[0] == (
        "# Imported by ledger import csv from forecasts.csv, "
        "outcomes.csv; do not edit by hand"
    )
    assert (
        "      - {by: ada-lovelace, made: 2026-04-01, p: 0.7, basis: stated, source: forecasts-csv}\n"
        in text
    )
    assert run("check", out) == (0, "", "")


def test_percent(tmp_path: Path) -> None:
    forecasts = write(
        tmp_path, "f.csv", "question,forecaster,probability\nQ1,ann,70\nQ1,bob,12.5\n"
    )
    out = tmp_path / "out.yaml"
    code, _, stderr = run(
        "import",
        "csv",
        forecasts,
        "--percent",
        "--made",
        "2026-01-02",
        "--deadline",
        "2026-12-31",
        "-o",
        out,
    )
    assert code == 0, stderr
    assert summary(load(out))["q1"][2] == [
        ("ann", "2026-01-02", 0.7),
        ("bob", "2026-01-02", 0.125),
    ]
    code, _, stderr = run(
        "import",
        "csv",
        forecasts,
        "--made",
        "2026-01-02",
        "--deadline",
        "2026-12-31",
        "-o",
        tmp_path / "other.yaml",
    )
    assert code == 1
    assert stderr.splitlines() == [
        f"{forecasts}:2: probability must be between 0 and 1 (0% and 100%), "
        "got '70' "
        "(pass --percent if the file holds percents)",
        f"{forecasts}:3: probability must be between 0 and 1 (0% and 100%), "
        "got '12.5' "
        "(pass --percent if the file holds percents)",
    ]
    assert not (tmp_path / "other.yaml").exists()


def test_dates_from_options_fill_only_what_the_file_lacks(tmp_path: Path) -> None:
    forecasts = write(
        tmp_path,
        "f.csv",
        "question,forecaster,probability,made\nQ,ann,0.6,2026-03-01\nQ,bob,0.4,\n",
    )
    outcomes = write(tmp_path, "o.csv", "question,outcome,known\nQ,no,\n")
    out = tmp_path / "out.yaml"
    code, _, stderr = run(
        "import",
        "csv",
        forecasts,
        "--outcomes",
        outcomes,
        "--made",
        "2026-02",
        "--deadline",
        "2026-06-30",
        "--known",
        "2026-07-01",
        "-o",
        out,
    )
    assert code == 0, stderr
    assert summary(load(out))["q"] == (
        "Q",
        "2026-06-30",
        [("bob", "2026-02", 0.4), ("ann", "2026-03-01", 0.6)],
        [("no", "2026-07-01")],
    )


def test_missing_dates_name_the_option_to_pass(tmp_path: Path) -> None:
    forecasts = write(tmp_path, "f.csv", "question,forecaster,probability\nQ,ann,0.6\n")
    outcomes = write(tmp_path, "o.csv", "question,outcome\nQ,1\n")
    code, _, stderr = run(
        "import", "csv", forecasts, "--outcomes", outcomes, "-o", tmp_path / "o.yaml"
    )
    assert code == 1
    assert stderr.splitlines() == [
        f"{forecasts}:2: no deadline for question 'Q': add a 'deadline' column or pass --deadline DATE",
        f"{forecasts}:2: no made date: add a 'made' column or pass --made DATE",
        f"{outcomes}:2: no known date: add a 'known' column or pass --known DATE",
    ]


def test_bad_rows_are_reported_at_their_physical_lines(tmp_path: Path) -> None:
    # a quoted cell spanning two lines: the rows after it keep their real line
    forecasts = write(
        tmp_path,
        "f.csv",
        "question,forecaster,probability\n"
        '"A question\nover two lines",ann,0.5\n'
        "Q2,bob,1.5\n"
        "Q3,carl\n"
        "Q4,dee,abc\n",
    )
    code, _, stderr = run(
        "import",
        "csv",
        forecasts,
        "--made",
        "2026-01-01",
        "--deadline",
        "2026-12-31",
        "-o",
        tmp_path / "o.yaml",
    )
    assert code == 1
    assert stderr.splitlines() == [
        f"{forecasts}:4: probability must be between 0 and 1 (0% and 100%), "
        "got '1.5' "
        "(pass --percent if the file holds percents)",
        f"{forecasts}:5: the row has 2 of 3 columns; missing 'probability'",
        f"{forecasts}:6: malformed probability 'abc'; write a number in [0, 1] "
        "like 0.7, or a percent like 70%",
    ]
    assert not (tmp_path / "o.yaml").exists()


def test_a_missing_column_is_reported_at_the_header(tmp_path: Path) -> None:
    forecasts = write(tmp_path, "f.csv", "question,who,p\nQ,ann,0.5\n")
    code, _, stderr = run("import", "csv", forecasts, "-o", tmp_path / "o.yaml")
    assert code == 1
    assert stderr == (
        f"{forecasts}:1: missing columns 'forecaster', 'probability'; "
        "the header has 'question', 'who', 'p'\n"
    )


def test_wide_format(tmp_path: Path) -> None:
    forecasts = write(
        tmp_path,
        "wide.csv",
        "Forecaster,Rain tomorrow?,Q2,made\nann,0.9,0.1,2026-01-05\nbob,,0.3,\n",
    )
    out = tmp_path / "out.yaml"
    code, _, stderr = run(
        "import",
        "csv",
        forecasts,
        "--wide",
        "--made",
        "2026-01-06",
        "--deadline",
        "2026-02-01",
        "-o",
        out,
    )
    assert code == 0, stderr
    assert summary(load(out)) == {
        "rain-tomorrow": (
            "Rain tomorrow?",
            "2026-02-01",
            [("ann", "2026-01-05", 0.9)],
            [],
        ),
        "q2": (
            "Q2",
            "2026-02-01",
            [("ann", "2026-01-05", 0.1), ("bob", "2026-01-06", 0.3)],
            [],
        ),
    }
    assert (
        out.read_text("utf-8")
        .splitlines()[0]
        .endswith("from wide.csv; do not edit by hand")
    )


def test_wide_format_needs_forecaster_first(tmp_path: Path) -> None:
    forecasts = write(tmp_path, "wide.csv", "Q1,forecaster\n0.5,ann\n")
    code, _, stderr = run(
        "import", "csv", forecasts, "--wide", "-o", tmp_path / "o.yaml"
    )
    assert code == 1
    assert (
        stderr
        == f"{forecasts}:1: the first column of a --wide file must be 'forecaster', got 'Q1'\n"
    )


def test_clashing_question_ids_get_a_stable_hash(tmp_path: Path) -> None:
    forecasts = write(
        tmp_path, "f.csv", "question,forecaster,probability\nQ1,ann,0.5\nq1,ann,0.6\n"
    )
    out = tmp_path / "out.yaml"
    code, _, stderr = run(
        "import",
        "csv",
        forecasts,
        "--made",
        "2026-01-01",
        "--deadline",
        "2026-12-31",
        "-o",
        out,
    )
    assert code == 0, stderr
    titles = {q.id: q.title for q in load(out).questions}
    assert titles == {
        f"q1-{hashlib.sha1(t.encode()).hexdigest()[:8]}": t for t in ("Q1", "q1")
    }


def test_outcomes_check_questions_and_dates(tmp_path: Path) -> None:
    forecasts = write(
        tmp_path,
        "f.csv",
        "question,forecaster,probability,made\nRain,ann,0.5,2026-03-10\n",
    )
    outcomes = write(
        tmp_path,
        "o.csv",
        "question,outcome,known\n"
        "Rian,yes,2026-04-01\n"
        "Rain,maybe,2026-04-01\n"
        "Rain,0.25,2026-03-01\n",
    )
    code, _, stderr = run(
        "import",
        "csv",
        forecasts,
        "--outcomes",
        outcomes,
        "--deadline",
        "2026-03-05",
        "-o",
        tmp_path / "o.yaml",
    )
    assert code == 1
    assert stderr.splitlines() == [
        f"{forecasts}:2: forecast made 2026-03-10, after the question's deadline 2026-03-05",
        f"{outcomes}:2: question 'Rian' has no forecasts in the forecasts file; did you mean 'Rain'?",
        f"{outcomes}:3: outcome must be yes, no, 1, 0, a fraction in [0, 1], void or ambiguous, got 'maybe'",
        f"{outcomes}:4: outcome known 2026-03-01, before the forecast at {forecasts}:2 was made (2026-03-10)",
    ]


def test_fraction_void_and_numeric_outcomes(tmp_path: Path) -> None:
    forecasts = write(
        tmp_path,
        "f.csv",
        "question,forecaster,probability\nA,ann,0.5\nB,ann,0.5\nC,ann,0.5\nD,ann,0.5\n",
    )
    outcomes = write(
        tmp_path, "o.csv", "question,outcome\nA,0.25\nB,void\nC,1\nD,FALSE\n"
    )
    out = tmp_path / "out.yaml"
    code, _, stderr = run(
        "import",
        "csv",
        forecasts,
        "--outcomes",
        outcomes,
        "--made",
        "2026-01-01",
        "--deadline",
        "2026-12-31",
        "--known",
        "2027-01-02",
        "-o",
        out,
    )
    assert code == 0, stderr
    results = {q.id: [o.result.text for o in q.outcomes] for q in load(out).questions}
    assert results == {"a": ["0.25"], "b": ["void"], "c": ["yes"], "d": ["no"]}


def test_bad_option_date_is_a_usage_error(tmp_path: Path) -> None:
    forecasts = write(tmp_path, "f.csv", "question,forecaster,probability\nA,ann,0.5\n")
    code, _, stderr = run(
        "import", "csv", forecasts, "--made", "02/03/2026", "-o", tmp_path / "o.yaml"
    )
    assert code == 2
    assert "--made" in stderr and "ambiguous" in stderr


def test_force_and_refusal(tmp_path: Path) -> None:
    forecasts = write(tmp_path, "f.csv", "question,forecaster,probability\nA,ann,0.5\n")
    out = write(tmp_path, "out.yaml", "keep me\n")
    args = [
        "import",
        "csv",
        forecasts,
        "--made",
        "2026-01-01",
        "--deadline",
        "2026-12-31",
        "-o",
        out,
    ]
    code, _, stderr = run(*args)
    assert (code, out.read_text("utf-8")) == (2, "keep me\n")
    assert "already exists; pass --force" in stderr
    code, _, stderr = run(*args, "--force")
    assert code == 0, stderr
    assert load(out).questions[0].id == "a"


def test_a_file_that_is_not_utf8(tmp_path: Path) -> None:
    forecasts = tmp_path / "f.csv"
    forecasts.write_bytes(b"question,forecaster,probability\nA,Jos\xe9,0.5\n")
    code, _, stderr = run("import", "csv", forecasts, "-o", tmp_path / "o.yaml")
    assert code == 1
    assert (
        stderr
        == f"{forecasts}:2: the file is not UTF-8 text (byte 0xe9); save it as UTF-8\n"
    )
