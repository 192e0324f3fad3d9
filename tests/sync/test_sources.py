"""`ledger sync` against a local server, for every source and every case.

Each platform answers from tests/syncserver.py's hand-written responses in its
documented shape. For every source: a final yes, a final no, a partial result,
void, pending, hidden (Metaculus), a person's conflicting outcome, an amended
result, 429 then 200 with Retry-After, a timeout, malformed JSON (or CSV), a
missing series value and an idempotent second --apply. A case a platform
cannot produce is listed in NOT_THERE with the reason.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pytest
from click.testing import CliRunner, Result
from syncserver import (
    Reply,
    Server,
    broken,
    fred_csv,
    github_releases,
    kalshi_market,
    manifold_market,
    metaculus_post,
    ok,
    polymarket_market,
    slow,
    too_many,
)

import ledger.sync.http
from ledger.cli import main
from ledger.validate import check

if TYPE_CHECKING:
    from pathlib import Path

TODAY = "2027-06-01"
SLUG = "will-the-widget-ship-in-2027"


@dataclass
class Platform:
    source: str
    resolver: str
    path: str
    api: str  # the API URL recorded as evidence (the real base)
    answers: dict[str, Any]
    results: dict[str, tuple[str, str]]  # case: (result, known)
    as_of: dict[str, str] = field(default_factory=dict)


PLATFORMS = {
    "manifold": Platform(
        "manifold",
        f"{{source: manifold, market: {SLUG}, crowd: crowd}}",
        f"/v0/slug/{SLUG}",
        f"https://api.manifold.markets/v0/slug/{SLUG}",
        {
            "yes": manifold_market(resolution="YES"),
            "no": manifold_market(resolution="NO"),
            "partial": manifold_market(resolution="MKT", resolution_probability=0.37),
            "void": manifold_market(resolution="CANCEL"),
            "pending": manifold_market(probability=0.62),
        },
        {
            "yes": ("yes", "2027-03-04"),
            "no": ("no", "2027-03-04"),
            "partial": ("0.37", "2027-03-04"),
            "void": ("void", "2027-03-04"),
        },
    ),
    "metaculus": Platform(
        "metaculus",
        "{source: metaculus, market: 31337, crowd: crowd}",
        "/api/posts/31337/",
        "https://www.metaculus.com/api/posts/31337/",
        {
            "yes": metaculus_post(status="resolved", resolution="yes"),
            "no": metaculus_post(status="resolved", resolution="no"),
            "void": metaculus_post(status="resolved", resolution="annulled"),
            "pending": metaculus_post(status="open", latest=0.62),
            "hidden": metaculus_post(status="resolved", resolution=None),
        },
        {
            "yes": ("yes", "2027-03-04"),
            "no": ("no", "2027-03-04"),
            "void": ("void", "2027-03-04"),
        },
    ),
    "polymarket": Platform(
        "polymarket",
        f"{{source: polymarket, market: {SLUG}, crowd: crowd}}",
        f"/markets/slug/{SLUG}",
        f"https://gamma-api.polymarket.com/markets/slug/{SLUG}",
        {
            "yes": polymarket_market(closed=True, uma="resolved", prices=("1", "0")),
            "no": polymarket_market(closed=True, uma="resolved", prices=("0", "1")),
            "partial": polymarket_market(
                closed=True, uma="resolved", prices=("0.5", "0.5")
            ),
            "pending": polymarket_market(prices=("0.62", "0.38")),
        },
        {
            "yes": ("yes", "2027-03-04"),
            "no": ("no", "2027-03-04"),
            "partial": ("0.5", "2027-03-04"),
        },
    ),
    "kalshi": Platform(
        "kalshi",
        "{source: kalshi, market: KXWIDGET-27DEC31, crowd: crowd}",
        "/trade-api/v2/markets/KXWIDGET-27DEC31",
        "https://api.elections.kalshi.com/trade-api/v2/markets/KXWIDGET-27DEC31",
        {
            "yes": kalshi_market(status="finalized", result="yes"),
            "no": kalshi_market(status="finalized", result="no"),
            "void": kalshi_market(status="finalized", result="void"),
            "pending": kalshi_market(status="active", last_price_dollars="0.6200"),
        },
        {
            "yes": ("yes", "2027-03-04"),
            "no": ("no", "2027-03-04"),
            "void": ("void", "2027-03-04"),
        },
    ),
    "csv": Platform(
        "csv",
        '{source: csv, url: "https://fred.stlouisfed.org/graph/fredgraph.csv?id=UNRATE", '
        'column: UNRATE, rule: {on: 2027-03, op: ">=", value: 5.0}}',
        "/graph/fredgraph.csv?id=UNRATE",
        "https://fred.stlouisfed.org/graph/fredgraph.csv?id=UNRATE",
        {
            "yes": fred_csv(("2027-02-01", "4.8"), ("2027-03-01", "5.1")),
            "no": fred_csv(("2027-02-01", "4.8"), ("2027-03-01", "4.9")),
            "pending": fred_csv(("2027-01-01", "4.7"), ("2027-02-01", "4.8")),
            "missing": fred_csv(("2027-02-01", "4.8"), ("2027-03-01", ".")),
            "malformed": "observation_date,UNRATE\n2027-03-01,five\n",
        },
        {
            "yes": ("yes", "2027-03-01..2027-06-01"),
            "no": ("no", "2027-03-01..2027-06-01"),
        },
    ),
    "json": Platform(
        "json",
        '{source: json, url: "https://example.org/horizons.json", '
        'path: "$.models[-1].horizon_minutes", date_path: "$.models[-1].release_date", '
        'rule: {on: 2027-03, op: ">=", value: 480}}',
        "/horizons.json",
        "https://example.org/horizons.json",
        {
            "yes": {
                "models": [
                    {"horizon_minutes": 300, "release_date": "2026-11-02"},
                    {"horizon_minutes": 512.5, "release_date": "2027-03-04"},
                ]
            },
            "no": {"models": [{"horizon_minutes": 410, "release_date": "2027-03-04"}]},
            "pending": {
                "models": [{"horizon_minutes": 300, "release_date": "2026-11-02"}]
            },
            "missing": {
                "models": [{"horizon_minutes": None, "release_date": "2027-03-04"}]
            },
        },
        {
            "yes": ("yes", "2027-03-04..2027-06-01"),
            "no": ("no", "2027-03-04..2027-06-01"),
        },
    ),
    "github-release": Platform(
        "github-release",
        '{source: github-release, repo: foo/foo, tag: "v2.*"}',
        "/repos/foo/foo/releases?per_page=100",
        "https://api.github.com/repos/foo/foo/releases?per_page=100",
        {
            "yes": github_releases(
                ("v2.0.1", "2027-04-01T09:00:00Z", False),
                ("v2.0.0", "2027-03-04T10:00:00Z", False),
                ("v2.0.0-rc1", "2027-02-01T10:00:00Z", True),
                ("v1.9.0", "2026-12-01T10:00:00Z", False),
            ),
            "no": github_releases(("v1.9.0", "2026-12-01T10:00:00Z", False)),
            "pending": github_releases(("v1.9.0", "2026-12-01T10:00:00Z", False)),
        },
        {"yes": ("yes", "2027-03-04"), "no": ("no", "2027-12-31")},
        as_of={"no": "2028-02-01"},
    ),
}

NOT_THERE = {
    ("metaculus", "partial"): "a Metaculus binary question resolves yes or no",
    (
        "polymarket",
        "void",
    ): "Polymarket settles a cancelled market 50/50: the partial case",
    ("kalshi", "partial"): "a Kalshi market settles yes, no or void",
    ("csv", "partial"): "a rule is true or false",
    ("csv", "void"): "a series is never voided",
    ("json", "partial"): "a rule is true or false",
    ("json", "void"): "a series is never voided",
    ("github-release", "partial"): "a release is published or not",
    ("github-release", "void"): "a release is published or not",
}
MARKETS = ("manifold", "metaculus", "polymarket", "kalshi")


def ledger_text(platform: Platform, outcome: str = "[]") -> str:
    return f"""forecasters:
  - {{id: alice, name: Alice}}
  - {{id: crowd, name: The market's crowd}}
questions:
  - id: widget
    title: The widget ships in 2027
    criteria: Whatever the resolver says.
    kind: binary
    deadline: 2027-12-31
    resolver: {platform.resolver}
    forecasts:
      - {{by: alice, made: 2027-01-01, p: 0.7, basis: stated}}
    outcomes: {outcome}
"""


def run_sync(
    path: Path, server: Server, source: str, *args: str, as_of: str = TODAY
) -> Result:
    return CliRunner().invoke(
        main,
        [
            "sync",
            str(path),
            "--as-of",
            as_of,
            "--base-url",
            f"{source}={server.url}",
            "--format",
            "json",
            *args,
        ],
    )


@pytest.fixture(autouse=True)
def token(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("METACULUS_TOKEN", "t0k3n-never-shown")
    monkeypatch.delenv("GITHUB_TOKEN", raising=False)


@pytest.fixture
def waits(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    slept: list[float] = []
    monkeypatch.setattr(ledger.sync.http, "_sleep", slept.append)
    return slept


def cases(*names: str) -> list[Any]:
    found = []
    for source in PLATFORMS:
        for name in names:
            reason = NOT_THERE.get((source, name))
            marks = [pytest.mark.skip(reason=reason)] if reason else []
            found.append(pytest.param(source, name, id=f"{source}-{name}", marks=marks))
    return found


def actions(result: Result) -> list[dict[str, Any]]:
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        result.output
    )
    found: list[dict[str, Any]] = json.loads(result.stdout)
    return found


@pytest.mark.parametrize(("source", "case"), cases("yes", "no", "partial", "void"))
def test_a_final_result_is_proposed_then_applied_with_its_evidence(
    tmp_path: Path, source: str, case: str
) -> None:
    platform = PLATFORMS[source]
    path = tmp_path / "ledger.yaml"
    path.write_text(ledger_text(platform), encoding="utf-8")
    as_of = platform.as_of.get(case, TODAY)
    expected_result, expected_known = platform.results[case]
    with Server() as server:
        server.routes[platform.path] = [ok(platform.answers[case])]
        before = path.read_bytes()
        dry = run_sync(path, server, source, as_of=as_of)
        assert dry.exit_code == 0, dry.output
        [found] = actions(dry)
        assert (found["action"], found["result"], found["known"]) == (
            "resolve",
            expected_result,
            expected_known,
        )
        assert platform.api in found["evidence"]
        assert path.read_bytes() == before  # a dry run writes nothing
        applied = run_sync(path, server, source, "--apply", as_of=as_of)
        assert applied.exit_code == 0, applied.output
    book, errors = check(str(path))
    assert errors == []
    [entry] = book.questions[0].outcomes
    assert (str(entry.result), str(entry.known), str(entry.recorded), entry.by) == (
        expected_result,
        expected_known,
        as_of,
        f"sync:{source}",
    )
    assert entry.evidence[-1] == platform.api
    assert entry.note is not None and entry.note.startswith(
        f"ledger sync from {source}: "
    )


@pytest.mark.parametrize(("source", "case"), cases("pending"))
def test_pending_proposes_nothing_and_crowd_records_the_price_once_a_day(
    tmp_path: Path, source: str, case: str
) -> None:
    platform = PLATFORMS[source]
    path = tmp_path / "ledger.yaml"
    path.write_text(ledger_text(platform), encoding="utf-8")
    with Server() as server:
        server.routes[platform.path] = [ok(platform.answers[case])]
        result = run_sync(path, server, source, "--apply")
        assert result.exit_code == 0, result.output
        assert [a["action"] for a in actions(result)] == ["pending"]
        assert len(check(str(path))[0].questions[0].forecasts) == 1
        crowd = run_sync(path, server, source, "--apply", "--crowd")
        found = actions(crowd)
        if source not in MARKETS:  # a series or a release has no price
            assert [a["action"] for a in found] == ["pending"]
            return
        assert [(a["action"], a["p"]) for a in found] == [
            ("pending", None),
            ("crowd", 0.62),
        ]
        again = actions(run_sync(path, server, source, "--apply", "--crowd"))
        assert [a["action"] for a in again] == ["pending", "unchanged"]
    book, errors = check(str(path))
    assert errors == []
    forecasts = book.questions[0].forecasts
    assert [(f.by, str(f.made), f.p, f.basis) for f in forecasts] == [
        ("alice", "2027-01-01", 0.7, "stated"),
        ("crowd", TODAY, 0.62, "stated"),
    ]


@pytest.mark.parametrize(("source", "case"), cases("missing"))
def test_a_missing_series_value_is_pending(
    tmp_path: Path, source: str, case: str
) -> None:
    platform = PLATFORMS[source]
    if case not in platform.answers:
        pytest.skip(f"{source} is a market or a release, not a series")
    path = tmp_path / "ledger.yaml"
    path.write_text(ledger_text(platform), encoding="utf-8")
    with Server() as server:
        server.routes[platform.path] = [ok(platform.answers[case])]
        [found] = actions(run_sync(path, server, source, "--apply"))
    assert found["action"] == "pending"
    assert "missing" in found["reason"]


def test_a_metaculus_resolution_withheld_is_hidden_never_pending_or_no(
    tmp_path: Path,
) -> None:
    platform = PLATFORMS["metaculus"]
    path = tmp_path / "ledger.yaml"
    path.write_text(ledger_text(platform), encoding="utf-8")
    with Server() as server:
        server.routes[platform.path] = [ok(platform.answers["hidden"])]
        result = run_sync(path, server, "metaculus", "--apply", "--crowd")
    [found] = actions(result)
    assert (found["action"], found["result"]) == ("hidden", None)
    assert "withholds" in found["reason"]
    assert check(str(path))[0].questions[0].outcomes == ()


@pytest.mark.parametrize(("source", "case"), cases("yes"))
def test_a_persons_different_outcome_is_a_conflict_and_never_overruled(
    tmp_path: Path, source: str, case: str
) -> None:
    platform = PLATFORMS[source]
    person = (
        "\n      - {result: no, known: 2027-03-01, recorded: 2027-03-02, by: keeper}"
    )
    path = tmp_path / "ledger.yaml"
    path.write_text(ledger_text(platform, person), encoding="utf-8")
    before = path.read_bytes()
    as_of = platform.as_of.get(case, TODAY)
    with Server() as server:
        server.routes[platform.path] = [ok(platform.answers[case])]
        skipped = actions(run_sync(path, server, source, "--apply", as_of=as_of))
        assert skipped == []  # resolved by a person: not even asked
        result = run_sync(
            path, server, source, "--apply", "--only", "widget", as_of=as_of
        )
    [found] = actions(result)
    assert found["action"] == "conflict"
    assert "a person recorded no (line 14)" in found["reason"]
    assert path.read_bytes() == before


@pytest.mark.parametrize(("source", "case"), cases("yes"))
def test_an_amended_result_is_a_new_entry_after_the_old_one(
    tmp_path: Path, source: str, case: str
) -> None:
    platform = PLATFORMS[source]
    old = f'\n      - {{result: no, known: 2027-03-04, recorded: 2027-03-05, by: "sync:{source}"}}'
    path = tmp_path / "ledger.yaml"
    path.write_text(ledger_text(platform, old), encoding="utf-8")
    as_of = platform.as_of.get(case, TODAY)
    with Server() as server:
        server.routes[platform.path] = [ok(platform.answers[case])]
        result = run_sync(path, server, source, "--apply", as_of=as_of)
    [found] = actions(result)
    assert (found["action"], found["result"]) == ("resolve", "yes")
    assert found["reason"] == "the source changed its result"
    book, errors = check(str(path))
    assert errors == []
    assert [(str(o.result), o.by) for o in book.questions[0].outcomes] == [
        ("no", f"sync:{source}"),
        ("yes", f"sync:{source}"),
    ]


@pytest.mark.parametrize(("source", "case"), cases("yes"))
def test_429_then_200_honours_retry_after(
    tmp_path: Path, source: str, case: str, waits: list[float]
) -> None:
    platform = PLATFORMS[source]
    path = tmp_path / "ledger.yaml"
    path.write_text(ledger_text(platform), encoding="utf-8")
    as_of = platform.as_of.get(case, TODAY)
    with Server() as server:
        server.routes[platform.path] = [too_many(7), ok(platform.answers[case])]
        result = run_sync(path, server, source, "--apply", as_of=as_of)
        assert server.paths() == [platform.path, platform.path]
    assert waits == [7.0]
    assert "HTTP 429, retrying in 7 s" in result.stderr
    assert actions(result)[0]["action"] == "resolve"
    assert check(str(path))[0].questions[0].outcomes[0].by == f"sync:{source}"


@pytest.mark.parametrize(("source", "case"), cases("timeout", "malformed"))
def test_a_timeout_or_a_malformed_answer_is_an_error_and_writes_nothing(
    tmp_path: Path, source: str, case: str
) -> None:
    platform = PLATFORMS[source]
    path = tmp_path / "ledger.yaml"
    path.write_text(ledger_text(platform), encoding="utf-8")
    before = path.read_bytes()
    reply: Reply = (
        slow(3)
        if case == "timeout"
        else (
            ok(platform.answers["malformed"])
            if "malformed" in platform.answers
            else broken()
        )
    )
    with Server() as server:
        server.routes[platform.path] = [reply]
        result = run_sync(path, server, source, "--apply", "--timeout", "0.5")
    assert result.exit_code == 1
    [found] = actions(result)
    assert found["action"] == "error"
    expected = (
        "did not answer within 0.5 s"
        if case == "timeout"
        else ("not a number" if source == "csv" else "did not answer with JSON")
    )
    assert expected in found["reason"]
    assert "Traceback" not in result.output
    assert path.read_bytes() == before


@pytest.mark.parametrize(("source", "case"), cases("yes"))
def test_a_second_apply_appends_nothing(tmp_path: Path, source: str, case: str) -> None:
    platform = PLATFORMS[source]
    path = tmp_path / "ledger.yaml"
    path.write_text(ledger_text(platform), encoding="utf-8")
    as_of = platform.as_of.get(case, TODAY)
    with Server() as server:
        server.routes[platform.path] = [ok(platform.answers[case])]
        first = run_sync(path, server, source, "--apply", as_of=as_of)
        assert actions(first)[0]["action"] == "resolve"
        after_first = path.read_bytes()
        second = run_sync(path, server, source, "--apply", "--crowd", as_of=as_of)
    assert [a["action"] for a in actions(second)] == ["unchanged"]
    assert path.read_bytes() == after_first
