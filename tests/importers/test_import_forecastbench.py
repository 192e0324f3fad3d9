"""`ledger import forecastbench`: ForecastBench's JSON sets in, an ordinary ledger out.

Expected numbers come from the data, not from the importer: the shared
sample's README (244 market questions: polymarket 76, metaculus 74, manifold
73, infer 21; 10 dataset questions; 225 market resolution rows, 112 resolved;
35 dataset rows; 19 markets without a row), counts of the JSON files made by
hand, and the invented files in tests/data/forecastbench/synthetic/, whose
README lists each case.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from click.testing import CliRunner

from ledger.cli import main
from ledger.validate import check

if TYPE_CHECKING:
    from ledger.core.model import Ledger, Question

DATA = Path(__file__).parent.parent / "data" / "forecastbench"
LLM_QUESTIONS = DATA / "question_sets" / "2025-10-26-llm.dev_excerpt.json"
HUMAN_QUESTIONS = DATA / "question_sets" / "2024-07-21-human.unscored_excerpt.json"
HUMAN_FORECASTS = (
    DATA
    / "forecast_sets"
    / "2024-07-21.ForecastBench.human_super_individual.unscored_excerpt.json"
)
RESOLUTIONS = DATA / "resolution_sets" / "2025-10-26_resolution_set.dev_excerpt.json"
SYNTHETIC = DATA / "synthetic"


def run(*args: object) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, [str(a) for a in args])
    return result.exit_code, result.stdout, result.stderr


def load(path: Path) -> Ledger:
    ledger, errors = check(str(path))
    assert errors == [], errors
    return ledger


def by_id(ledger: Ledger) -> dict[str, Question]:
    return {q.id: q for q in ledger.questions}


def category(question: Question) -> str:
    return next(t for t in question.tags if t.startswith("category:"))


def sha8(text: str) -> str:
    return hashlib.sha1(text.encode()).hexdigest()[:8]


# -- the shared sample: question set 2025-10-26 with its resolution set -----------


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> tuple[Ledger, str]:
    out = tmp_path_factory.mktemp("fb") / "sample.yaml"
    code, stdout, stderr = run(
        "import",
        "forecastbench",
        "--questions",
        LLM_QUESTIONS,
        "--forecasts",
        HUMAN_FORECASTS,
        "--resolutions",
        RESOLUTIONS,
        "-o",
        out,
    )
    assert code == 0, stderr
    assert stdout == ""
    return load(out), stderr


def test_sample_counts_questions_per_category_and_source(
    sample: tuple[Ledger, str],
) -> None:
    ledger, _ = sample
    assert Counter(map(category, ledger.questions)) == {
        "category:market": 244,
        # 10 dataset questions, 8 horizons each, except fred REAINTRATREARAT1YE with 7
        "category:dataset": 79,
    }
    sources = Counter(
        t for q in ledger.questions for t in q.tags if t.startswith("source:")
    )
    assert sources == {
        "source:polymarket": 76,
        "source:metaculus": 74,
        "source:manifold": 73,
        "source:infer": 21,
        "source:acled": 16,
        "source:dbnomics": 16,
        "source:fred": 15,
        "source:wikipedia": 16,
        "source:yfinance": 16,
    }


def test_sample_forecasts_are_the_crowds_at_the_freeze_date(
    sample: tuple[Ledger, str],
) -> None:
    ledger, stderr = sample
    forecasts = [(q, f) for q in ledger.questions for f in q.forecasts]
    # one crowd forecast per market; none on dataset questions (their freeze
    # value is a data value); the superforecasters' 63 are on other questions
    assert len(forecasts) == 244
    assert all(category(q) == "category:market" for q, _ in forecasts)
    assert {f.by for _, f in forecasts} == {
        "polymarket-crowd",
        "metaculus-crowd",
        "manifold-crowd",
        "infer-crowd",
    }
    assert all(
        f.by == q.tags[1].removeprefix("source:") + "-crowd" for q, f in forecasts
    )
    assert {str(f.made) for _, f in forecasts} == {"2025-10-16"}
    assert {f.basis for _, f in forecasts} == {"stated"}
    assert "dropped 63 forecasts on questions not in the question set" in stderr


def test_sample_outcomes(sample: tuple[Ledger, str]) -> None:
    ledger, _ = sample
    kinds: Counter[tuple[str, str]] = Counter()
    for question in ledger.questions:
        assert len(question.outcomes) <= 1
        for outcome in question.outcomes:
            kinds[category(question), outcome.result.kind] += 1
    assert kinds == {
        ("category:market", "yes"): 18,
        ("category:market", "no"): 94,  # 112 resolved market rows
        ("category:market", "provisional"): 113,  # 225 - 112 unresolved rows
        ("category:dataset", "yes"): 19,
        ("category:dataset", "no"): 16,  # 35 dataset rows
    }
    markets_without = [
        q
        for q in ledger.questions
        if category(q) == "category:market" and not q.outcomes
    ]
    assert len(markets_without) == 19


def test_sample_exact_records(sample: tuple[Ledger, str]) -> None:
    questions = by_id(sample[0])
    # an unresolved market: resolved_to 0.06, resolved false, on 2026-08-19
    open_market = questions["metaculus-10686"].outcomes[0]
    assert (open_market.result.text, str(open_market.known)) == (
        "provisional:0.06",
        "2026-08-19",
    )
    # a resolved market: its crowd said 0.979920031255855 on 2025-10-16
    resolved = questions["manifold-k8qazyzj3txyullzkkyk"]
    assert resolved.title == "Will San Diego FC make the playoffs in 2025?"
    assert [(o.result.kind, str(o.known)) for o in resolved.outcomes] == [
        ("yes", "2026-01-01")
    ]
    assert [(f.by, f.p) for f in resolved.forecasts] == [
        ("manifold-crowd", 0.979920031256)
    ]
    assert str(resolved.deadline) == "2026-01-01"  # market_info_close_datetime
    assert questions["infer-1401"].outcomes == ()  # no resolution row
    # dataset horizons: placeholders filled in, the horizon is the deadline
    uri = questions["yfinance-uri-2026-01-24"]
    assert uri.title.startswith(
        "Will URI's market close price on 2026-01-24 be higher than "
        "its market close price on 2025-10-26?"
    )
    assert str(uri.deadline) == "2026-01-24"
    assert [(o.result.kind, str(o.known)) for o in uri.outcomes] == [
        ("yes", "2026-01-24")
    ]
    assert questions["yfinance-uri-2026-10-26"].outcomes == ()
    assert "fred-reaintratrearat1ye-2025-11-02" not in questions
    assert "dbnomics-meteofrance-temperature-celsius-61996-d-2025-11-02" in questions
    # a long id keeps its start and ends with a hash of the whole
    long_id = "0x3e6cb7ad03e2687d0befe8706bb9ac276b3d74c0a8c7e02bf3c6b796e25601c0"
    slug = f"polymarket-{long_id}"
    assert f"{slug[:39]}-{sha8(slug)}" in questions


def test_sample_source_carries_the_licence(sample: tuple[Ledger, str]) -> None:
    (source,) = sample[0].sources
    assert source.kind == "dataset"
    assert source.licence == "CC BY-SA 4.0"
    assert "Forecasting Research Institute" in (source.attribution or "")
    assert "2025-10-26-llm.dev_excerpt.json" in (source.note or "")
    assert RESOLUTIONS.name in (source.note or "")


def test_roundtrip_check_then_score_provisional(tmp_path: Path) -> None:
    out = tmp_path / "fb.yaml"
    code, _, stderr = run(
        "import",
        "forecastbench",
        "--questions",
        LLM_QUESTIONS,
        "--resolutions",
        RESOLUTIONS,
        "-o",
        out,
    )
    assert code == 0, stderr
    first = out.read_text("utf-8").splitlines()[0]
    assert first == (
        "# Imported by ledger import forecastbench from 2025-10-26-llm.dev_excerpt.json, "
        "2025-10-26_resolution_set.dev_excerpt.json; do not edit by hand"
    )
    assert run("check", out) == (0, "", "")
    code, stdout, stderr = run("score", out, "--provisional", "--as-of", "2026-08-19")
    assert code == 0, stderr
    assert "polymarket-crowd" in stdout


def test_output_is_deterministic(tmp_path: Path) -> None:
    outputs = []
    for name in ("a.yaml", "b.yaml"):
        code, _, stderr = run(
            "import",
            "forecastbench",
            "--questions",
            SYNTHETIC / "question_set.json",
            "--forecasts",
            SYNTHETIC / "forecast_set.json",
            "--resolutions",
            SYNTHETIC / "resolution_set.json",
            "-o",
            tmp_path / name,
        )
        assert code == 0, stderr
        outputs.append((tmp_path / name).read_bytes())
    assert outputs[0] == outputs[1]


# -- the human sample: superforecasters' forecasts, no resolution set -------------


def test_human_sample_keeps_forecasters_and_their_original_ids(tmp_path: Path) -> None:
    out = tmp_path / "human.yaml"
    code, _, stderr = run(
        "import",
        "forecastbench",
        "--questions",
        HUMAN_QUESTIONS,
        "--forecasts",
        HUMAN_FORECASTS,
        "-o",
        out,
    )
    assert code == 0, stderr
    ledger = load(out)
    assert Counter(map(category, ledger.questions)) == {
        "category:market": 2,
        "category:dataset": 8,
    }
    forecasts = [f for q in ledger.questions for f in q.forecasts]
    assert len(forecasts) == 63 + 2  # the file's rows, and two market crowds
    assert sum(1 for q in ledger.questions for _ in q.outcomes) == 0
    people = {f.id: f for f in ledger.forecasters}
    assert len(people) == 18 + 2
    assert people["sbzavabso6"].name == "SbZAVaBSo6"
    assert "SbZAVaBSo6" in (people["sbzavabso6"].note or "")
    assert (
        people["sbzavabso6"].affiliation == "Superforecaster forecasts (ForecastBench)"
    )
    assert {str(f.made) for f in forecasts if not f.by.endswith("-crowd")} == {
        "2024-07-21"
    }
    assert len(by_id(ledger)["manifold-yulpwdhftukekmro3v4j"].forecasts) == 13 + 1


# -- the synthetic files: every case computed by hand -------------------------------


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> tuple[Ledger, str]:
    out = tmp_path_factory.mktemp("syn") / "synthetic.yaml"
    code, _, stderr = run(
        "import",
        "forecastbench",
        "--questions",
        SYNTHETIC / "question_set.json",
        "--forecasts",
        SYNTHETIC / "forecast_set.json",
        "--resolutions",
        SYNTHETIC / "resolution_set.json",
        "-o",
        out,
    )
    assert code == 0, stderr
    return load(out), stderr


def test_synthetic_question_ids(synthetic: tuple[Ledger, str]) -> None:
    acled = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
    acled_slug = f"acled-{acled}"
    assert sorted(by_id(synthetic[0])) == sorted(
        [
            # AbC123 and abc123 both slug to manifold-abc123: both get a hash of their key
            f"manifold-abc123-{sha8(chr(31).join(['market', 'manifold', 'AbC123']))}",
            f"manifold-abc123-{sha8(chr(31).join(['market', 'manifold', 'abc123']))}",
            "metaculus-4242",
            "polymarket-0xdeadbeef",
            "polymarket-0xearly",
            "infer-77",
            "fred-series1-2030-01-12",
            "fred-series1-2030-02-04",
            "fred-series1-2030-04-05",
            f"{acled_slug[:39]}-{sha8(acled_slug)}-2030-01-12",
        ]
    )


def test_synthetic_outcomes(synthetic: tuple[Ledger, str]) -> None:
    questions = by_id(synthetic[0])
    outcomes = {
        q.id: [(o.result.text, str(o.known), str(o.recorded)) for o in q.outcomes]
        for q in questions.values()
    }
    upper = f"manifold-abc123-{sha8(chr(31).join(['market', 'manifold', 'AbC123']))}"
    lower = f"manifold-abc123-{sha8(chr(31).join(['market', 'manifold', 'abc123']))}"
    assert outcomes[upper] == [("yes", "2030-03-01", "2030-03-01")]
    assert outcomes[lower] == [("yes", "2030-02-01", "2030-02-01")]
    # never resolved: the latest of its two rows is the provisional price
    assert outcomes["metaculus-4242"] == [
        ("provisional:0.35", "2030-02-04", "2030-02-04")
    ]
    # resolved no on 2030-01-20; an earlier open row and a later repeat change nothing
    assert outcomes["polymarket-0xdeadbeef"] == [("no", "2030-01-20", "2030-01-20")]
    assert outcomes["polymarket-0xearly"] == [("yes", "2030-01-02", "2030-01-02")]
    assert outcomes["infer-77"] == []
    assert outcomes["fred-series1-2030-01-12"] == [("yes", "2030-01-12", "2030-01-12")]
    assert outcomes["fred-series1-2030-02-04"] == [("no", "2030-02-04", "2030-02-04")]
    assert outcomes["fred-series1-2030-04-05"] == []


def test_synthetic_forecasts_and_deadlines(synthetic: tuple[Ledger, str]) -> None:
    ledger, _ = synthetic
    questions = by_id(ledger)
    forecasts = {
        q.id: sorted((f.by, str(f.made), f.p) for f in q.forecasts)
        for q in questions.values()
    }
    upper = f"manifold-abc123-{sha8(chr(31).join(['market', 'manifold', 'AbC123']))}"
    assert forecasts[upper] == [
        ("alice", "2030-01-05", 0.7),
        ("bob", "2030-01-05", 0.55),
        ("manifold-crowd", "2029-12-28", 0.6),
    ]
    # Alice's forecast came after 0xEARLY resolved: dropped; the crowd's stays
    assert forecasts["polymarket-0xearly"] == [("polymarket-crowd", "2029-12-28", 0.95)]
    # a dataset question's freeze value (0.5) is data, never a forecast
    assert forecasts["fred-series1-2030-01-12"] == [
        ("alice", "2030-01-05", 0.6),
        ("bob", "2030-01-05", 0.3),
    ]
    assert forecasts["fred-series1-2030-04-05"] == [("alice", "2030-01-05", 0.5)]
    assert sum(map(len, forecasts.values())) == 6 + 9
    deadlines = {q.id: str(q.deadline) for q in questions.values()}
    assert deadlines[upper] == "2030-06-30"  # the close date
    assert deadlines["polymarket-0xearly"] == "2030-01-02"  # no close date: latest row
    assert (
        deadlines["infer-77"] == "2031-01-05"
    )  # no close date, no row: due date + 1 year
    assert deadlines["fred-series1-2030-02-04"] == "2030-02-04"
    assert {q.id: q.tags for q in questions.values()}["infer-77"] == (
        "category:market",
        "source:infer",
    )
    assert questions["metaculus-4242"].title == "Will synthetic event B happen?"
    assert questions["metaculus-4242"].criteria == (
        "Resolves Yes if B happens before 2032.\n\n"
        "Resolves to the outcome of the invented question B.\n\n"
        "Background: B is invented.\n\nIt has two paragraphs of background."
    )
    people = {f.id: f for f in ledger.forecasters}
    assert sorted(people) == [
        "alice",
        "bob",
        "infer-crowd",
        "manifold-crowd",
        "metaculus-crowd",
        "polymarket-crowd",
    ]
    assert people["alice"].name == "Alice" and "'Alice'" in (people["alice"].note or "")
    assert people["bob"].note is None


def test_synthetic_reports_what_was_dropped(synthetic: tuple[Ledger, str]) -> None:
    stderr = synthetic[1]
    assert "dropped 1 combination question (3 rows)" in stderr
    assert "1 forecast on questions not in the question set" in stderr
    assert "1 resolution row for questions not in the question set" in stderr
    assert "1 forecast made after the outcome was known" in stderr
    assert "wrote " in stderr and "10 questions, 15 forecasts, 8 outcomes" in stderr


# -- refusing to overwrite, and bad input -------------------------------------------


def synthetic_args(out: Path, forecasts: Path | None = None) -> list[object]:
    return [
        "import",
        "forecastbench",
        "--questions",
        SYNTHETIC / "question_set.json",
        "--forecasts",
        forecasts or SYNTHETIC / "forecast_set.json",
        "--resolutions",
        SYNTHETIC / "resolution_set.json",
        "-o",
        out,
    ]


def test_refuses_to_overwrite_without_force(tmp_path: Path) -> None:
    out = tmp_path / "out.yaml"
    out.write_text("precious\n", "utf-8")
    code, _, stderr = run(*synthetic_args(out))
    assert code == 2
    assert stderr.endswith(
        f"Error: Invalid value for '-o' / '--output': '{out}' already exists; pass "
        "--force to replace it\n"
    )
    assert out.read_text("utf-8") == "precious\n"
    code, _, stderr = run(*synthetic_args(out), "--force")
    assert code == 0, stderr
    assert out.read_text("utf-8").startswith(
        "# Imported by ledger import forecastbench"
    )


def test_truncated_json_is_reported_at_its_line(tmp_path: Path) -> None:
    lines = (
        (SYNTHETIC / "forecast_set.json").read_text("utf-8").splitlines(keepends=True)
    )
    bad = tmp_path / "truncated.json"
    bad.write_text("".join(lines[:8]) + lines[8][:40], "utf-8")  # cut inside line 9
    out = tmp_path / "out.yaml"
    code, _, stderr = run(*synthetic_args(out, bad))
    assert code == 1
    assert stderr.startswith(f"{bad}:9: invalid JSON: ")
    assert not out.exists()


def test_bad_records_are_reported_at_their_lines_all_at_once(tmp_path: Path) -> None:
    data = json.loads((SYNTHETIC / "forecast_set.json").read_text("utf-8"))
    data["forecasts"][1]["forecast"] = 1.5
    del data["forecasts"][3]["source"]
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(data, indent=2), "utf-8")
    # json.dumps(indent=2): line 1 '{', lines 2-5 the four header keys, line 6
    # '"forecasts": [', then each row of 9 fields takes 11 lines from line 7
    out = tmp_path / "out.yaml"
    code, _, stderr = run(*synthetic_args(out, bad))
    assert code == 1
    assert stderr.splitlines() == [
        f"{bad}:18: forecasts[1]: forecast: probability must be between 0 and 1 "
        "(0% and 100%), got '1.5'",
        f"{bad}:40: forecasts[3]: a forecast needs a 'source' and an 'id'",
    ]
    assert not out.exists()


def test_a_file_that_is_not_a_question_set(tmp_path: Path) -> None:
    bad = tmp_path / "q.json"
    bad.write_text('{"forecast_due_date": "2030-01-05"}\n', "utf-8")
    code, _, stderr = run(
        "import", "forecastbench", "--questions", bad, "-o", tmp_path / "o.yaml"
    )
    assert code == 1
    assert stderr == (
        f"{bad}:1: expected a ForecastBench question set: a JSON object with a "
        "'questions' list\n"
    )


def test_missing_input_file_is_a_usage_error(tmp_path: Path) -> None:
    code, _, stderr = run(
        "import",
        "forecastbench",
        "--questions",
        tmp_path / "nope.json",
        "-o",
        tmp_path / "o.yaml",
    )
    assert code == 2
    assert "does not exist" in stderr


def test_several_forecast_sets_after_one_option(tmp_path: Path) -> None:
    out = tmp_path / "o.yaml"
    code, _, stderr = run(
        "import",
        "forecastbench",
        "--questions",
        HUMAN_QUESTIONS,
        "--forecasts",
        HUMAN_FORECASTS,
        SYNTHETIC / "forecast_set.json",
        "-o",
        out,
    )
    assert code == 0, stderr
    # the synthetic set answers another question set: its 11 rows on known
    # questions and 1 on an unknown one are all dropped, its combination too
    assert "forecast_set.json answers question set 2030-01-05-synthetic.json" in stderr
    assert sum(len(q.forecasts) for q in load(out).questions) == 65
