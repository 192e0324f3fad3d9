"""The HTTP client's manners, saving and replaying, and the command's options."""

from __future__ import annotations

import email.utils
import json
import socket
import time
from typing import TYPE_CHECKING, Any

import pytest
from click.testing import CliRunner, Result
from syncserver import Reply, Server, kalshi_market, manifold_market, metaculus_post, ok

import ledger.sync.http
from ledger.cli import main
from ledger.sync.http import Client, ClientOptions, FetchError
from ledger.validate import check

if TYPE_CHECKING:
    from pathlib import Path

SLUG = "will-the-widget-ship-in-2027"
LEDGER = """forecasters:
  - {id: crowd, name: Crowd}
questions:
  - id: manifold-q
    title: M
    criteria: C
    kind: binary
    deadline: 2027-12-31
    resolver: {source: manifold, market: will-the-widget-ship-in-2027}
  - id: metaculus-q
    title: M
    criteria: C
    kind: binary
    deadline: 2027-12-31
    resolver: {source: metaculus, market: 31337, crowd: crowd}
  - id: kalshi-q
    title: K
    criteria: C
    kind: binary
    deadline: 2027-12-31
    resolver: {source: kalshi, market: KXWIDGET-27DEC31}
"""
ROUTES = {
    f"/v0/slug/{SLUG}": manifold_market(resolution="YES"),
    "/api/posts/31337/": metaculus_post(status="resolved", resolution="no"),
    "/trade-api/v2/markets/KXWIDGET-27DEC31": kalshi_market(
        status="finalized", result="yes"
    ),
}


@pytest.fixture
def waits(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    slept: list[float] = []
    monkeypatch.setattr(ledger.sync.http, "_sleep", slept.append)
    return slept


def sync(path: Path, *args: str) -> Result:
    return CliRunner().invoke(main, ["sync", str(path), "--as-of", "2027-06-01", *args])


def bases(server: Server) -> list[str]:
    found = []
    for source in ("manifold", "metaculus", "kalshi"):
        found += ["--base-url", f"{source}={server.url}"]
    return found


def write(tmp_path: Path) -> Path:
    path = tmp_path / "ledger.yaml"
    path.write_text(LEDGER, encoding="utf-8")
    return path


def test_headers_gzip_and_the_token_only_for_metaculus(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("METACULUS_TOKEN", "s3cret-token")
    path = write(tmp_path)
    with Server() as server:
        for route, data in ROUTES.items():
            server.routes[route] = [ok(data, gzipped=True)]
        result = sync(
            path,
            "--format",
            "json",
            "--save-responses",
            str(tmp_path / "saved"),
            *bases(server),
        )
        log = dict(server.log)
    assert result.exit_code == 0, result.output
    assert [a["result"] for a in json.loads(result.stdout)] == ["yes", "no", "yes"]
    for headers in log.values():
        assert headers["User-Agent"].startswith("ledger/")
        assert headers["Accept-Encoding"] == "gzip"
    assert log["/api/posts/31337/"]["Authorization"] == "Token s3cret-token"
    assert "Authorization" not in log[f"/v0/slug/{SLUG}"]
    assert "Authorization" not in log["/trade-api/v2/markets/KXWIDGET-27DEC31"]
    saved = "".join(p.read_text("utf-8") for p in (tmp_path / "saved").iterdir())
    assert "s3cret" not in result.output + result.stderr + saved
    assert len(list((tmp_path / "saved").iterdir())) == 3


def test_a_missing_token_is_an_error_for_metaculus_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("METACULUS_TOKEN", raising=False)
    path = write(tmp_path)
    with Server() as server:
        for route, data in ROUTES.items():
            server.routes[route] = [ok(data)]
        result = sync(path, "--format", "json", "--apply", *bases(server))
        assert "/api/posts/31337/" not in server.paths()
    assert result.exit_code == 1
    found = {a["question"]: a for a in json.loads(result.stdout)}
    assert found["metaculus-q"]["action"] == "error"
    assert found["metaculus-q"]["reason"].startswith("METACULUS_TOKEN is not set")
    # the others go on, and are applied
    assert [o.by for q in check(str(path))[0].questions for o in q.outcomes] == [
        "sync:manifold",
        "sync:kalshi",
    ]


def test_a_source_that_is_down_or_fails_gives_errors_and_the_others_go_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("METACULUS_TOKEN", "x")
    path = write(tmp_path)
    with socket.socket() as closed:  # a port nobody listens on
        closed.bind(("127.0.0.1", 0))
        down = f"http://127.0.0.1:{closed.getsockname()[1]}"
    with Server() as server:
        server.routes[f"/v0/slug/{SLUG}"] = [Reply(500, b"oops")]
        server.routes["/trade-api/v2/markets/KXWIDGET-27DEC31"] = [
            ok(ROUTES["/trade-api/v2/markets/KXWIDGET-27DEC31"])
        ]
        result = sync(
            path,
            "--format",
            "json",
            "--apply",
            "--base-url",
            f"manifold={server.url}",
            "--base-url",
            f"metaculus={down}",
            "--base-url",
            f"kalshi={server.url}",
        )
    assert result.exit_code == 1
    found = {
        a["question"]: (a["action"], a["reason"]) for a in json.loads(result.stdout)
    }
    assert found["manifold-q"] == ("error", "api.manifold.markets answered HTTP 500")
    assert found["metaculus-q"][0] == "error"
    assert found["metaculus-q"][1].startswith("cannot reach 127.0.0.1:")
    assert found["kalshi-q"][0] == "resolve"
    assert [o.by for q in check(str(path))[0].questions for o in q.outcomes] == [
        "sync:kalshi"
    ]


def test_retry_after_backoff_and_the_retry_limit(waits: list[float]) -> None:
    with Server() as server:
        client = Client(ClientOptions(bases={"manifold": server.url}))
        url = f"https://api.manifold.markets/v0/slug/{SLUG}"
        # an HTTP date is read against the server's own Date header
        later = email.utils.formatdate(time.time() + 30, usegmt=True)
        server.routes[f"/v0/slug/{SLUG}"] = [
            Reply(503, headers={"Retry-After": later}),
            Reply(429),
            Reply(429),
            ok({"id": 1}),
        ]
        assert json.loads(client.get("manifold", url).body) == {"id": 1}
        assert 28 <= waits[0] <= 31
        assert waits[1:] == [2.0, 4.0]  # then backoff
        waits.clear()
        server.routes[f"/v0/slug/{SLUG}-x"] = [Reply(429, headers={"Retry-After": "1"})]
        with pytest.raises(FetchError, match="answered HTTP 429"):
            client.get("manifold", url + "-x")
        assert waits == [1.0, 1.0, 1.0]  # three retries, then the error
        server.routes[f"/v0/slug/{SLUG}-y"] = [
            Reply(429, headers={"Retry-After": "3600"})
        ]
        with pytest.raises(FetchError, match="asked to wait 3600 s"):
            client.get("manifold", url + "-y")


def test_requests_are_paced_under_the_published_limit(
    waits: list[float], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(ledger.sync.http.LIMITS, "kalshi", (2, 60.0))
    with Server() as server:
        client = Client(ClientOptions(bases={"kalshi": server.url}))
        for ticker in ("A", "B", "C"):
            server.routes[f"/trade-api/v2/markets/{ticker}"] = [ok({"market": {}})]
            client.get(
                "kalshi",
                f"https://api.elections.kalshi.com/trade-api/v2/markets/{ticker}",
            )
    assert len(waits) == 1 and 59 < waits[0] <= 60  # the third waited for the window


def test_save_then_replay_without_any_network(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, no_network: list[str]
) -> None:
    monkeypatch.setenv("METACULUS_TOKEN", "x")
    path = write(tmp_path)
    saved = tmp_path / "responses"
    with Server() as server:
        for route, data in ROUTES.items():
            server.routes[route] = [ok(data)]
        live = sync(path, "--save-responses", str(saved), *bases(server))
    monkeypatch.delenv("METACULUS_TOKEN")
    monkeypatch.setattr(
        ledger.sync.http.urllib.request, "urlopen", None
    )  # no network at all
    replayed = sync(path, "--replay", str(saved))
    assert replayed.exit_code == 0, replayed.output
    assert replayed.stdout == live.stdout
    assert no_network == []
    empty = tmp_path / "empty"
    empty.mkdir()
    missing = sync(path, "--replay", str(empty), "--format", "json")
    assert missing.exit_code == 1
    assert json.loads(missing.stdout)[0]["reason"].startswith(
        f"no saved response for https://api.manifold.markets/v0/slug/{SLUG} in "
    )


def test_save_responses_never_replaces_a_file_it_did_not_write(tmp_path: Path) -> None:
    saved = tmp_path / "responses"
    saved.mkdir()
    url = f"https://api.manifold.markets/v0/slug/{SLUG}"
    mine = saved / ledger.sync.http.saved_name(url)
    mine.write_text("precious", encoding="utf-8")
    with Server() as server:
        server.routes[f"/v0/slug/{SLUG}"] = [ok({"id": 1})]
        client = Client(ClientOptions(bases={"manifold": server.url}, save=str(saved)))
        with pytest.raises(FetchError, match="is not a saved response; not replaced"):
            client.get("manifold", url)
    assert mine.read_text("utf-8") == "precious"


def test_an_oversized_or_damaged_answer_is_an_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(ledger.sync.http, "MAX_BODY", 2**20)
    url = f"https://api.manifold.markets/v0/slug/{SLUG}"
    with Server() as server:
        client = Client(ClientOptions(bases={"manifold": server.url}))
        server.routes[f"/v0/slug/{SLUG}"] = [Reply(200, b"x" * (2**20 + 1))]
        with pytest.raises(FetchError, match=r"^the answer is larger than 1 MB$"):
            client.get("manifold", url)
        server.routes[f"/v0/slug/{SLUG}-z"] = [
            Reply(200, b"not gzip data", {"Content-Encoding": "gzip"})
        ]
        with pytest.raises(FetchError, match=r"^the answer's gzip data is damaged$"):
            client.get("manifold", url + "-z")


def test_a_csv_that_is_not_utf8_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "ledger.yaml"
    path.write_text(
        """questions:
  - id: u
    title: U
    criteria: C
    kind: binary
    deadline: 2027-12-31
    resolver: {source: csv, url: 'https://example.org/rates.csv', column: rate, rule: {op: '>=', value: 5}}
""",
        encoding="utf-8",
    )
    with Server() as server:
        server.routes["/rates.csv"] = [Reply(200, b"date,rate\n2027-05-01,5\xe9\n")]
        result = sync(path, "--format", "json", "--base-url", f"csv={server.url}")
    assert result.exit_code == 1
    [found] = json.loads(result.stdout)
    assert (found["action"], found["reason"]) == ("error", "csv: the CSV is not UTF-8 text")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--base-url", "nowhere=http://x"], "is not SOURCE=URL"),
        (["--base-url", "manifold=ftp://x"], "is not SOURCE=URL"),
        (
            ["--only", "manifold-qq"],
            "unknown question 'manifold-qq'; did you mean 'manifold-q'?",
        ),
        (["--source", "manifod"], "'manifod' is not one of"),
        (["--replay", "x", "--save-responses", "y"], "does not exist"),
        (["--timeout", "0"], "0.1<=x<=600"),
    ],
)
def test_bad_options_are_usage_errors(
    tmp_path: Path, args: list[str], message: str
) -> None:
    result = sync(write(tmp_path), *args)
    assert result.exit_code == 2
    assert message in result.stderr.replace("\n", " ").replace("  ", " ")


def test_replay_and_save_together_and_only_without_a_resolver(tmp_path: Path) -> None:
    path = write(tmp_path)
    (tmp_path / "r").mkdir()
    result = sync(
        path, "--replay", str(tmp_path / "r"), "--save-responses", str(tmp_path / "s")
    )
    assert result.exit_code == 2
    assert "--replay and --save-responses cannot be used together" in result.stderr
    text = (
        LEDGER
        + "  - {id: plain, title: P, criteria: C, kind: binary, deadline: 2027-12-31}\n"
    )
    path.write_text(text, encoding="utf-8")
    result = sync(path, "--only", "plain")
    assert result.exit_code == 2
    assert "question 'plain' has no resolver" in result.stderr


def test_the_table_shows_each_action_its_evidence_and_a_summary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("METACULUS_TOKEN", "x")
    path = write(tmp_path)
    with Server() as server:
        server.routes[f"/v0/slug/{SLUG}"] = [ok(manifold_market(probability=0.4))]
        server.routes["/api/posts/31337/"] = [
            ok(
                metaculus_post(
                    status="closed",
                    history=[
                        (1_700_000_000.0, 1_803_859_200.0, 0.3),
                        (1_803_859_200.0, None, 0.35),
                    ],
                )
            )
        ]
        server.routes["/trade-api/v2/markets/KXWIDGET-27DEC31"] = [
            ok(ROUTES["/trade-api/v2/markets/KXWIDGET-27DEC31"])
        ]
        result = sync(path, "--crowd", *bases(server))
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "question     source     action   result  known       why",
        "manifold-q   manifold   pending                      the market has not resolved",
        "metaculus-q  metaculus  pending                      the question is closed",
        "metaculus-q  metaculus  crowd    p=0.35",
        "    evidence: https://www.metaculus.com/questions/31337/ https://www.metaculus.com/api/posts/31337/",
        "    ledger sync from metaculus: type=binary, status=closed, resolution=null, actual_resolve_time=null",
        "kalshi-q     kalshi     resolve  yes     2027-03-04",
        "    evidence: https://kalshi.com/markets/kxwidget-27dec31 https://api.elections.kalshi.com/trade-api/v2/markets/KXWIDGET-27DEC31",
        "    ledger sync from kalshi: status=finalized, result=yes, close_time=2027-03-04T15:00:00Z",
        "",
        "4 actions: 1 resolve, 1 crowd, 2 pending; dry run: nothing written; --apply appends the resolve and crowd lines.",
    ]


def test_metaculus_crowd_is_the_prediction_at_close_not_latest() -> None:
    from ledger.sync.metaculus import community

    closed = metaculus_post(
        status="closed",
        close_time="2027-03-01T00:00:00Z",
        latest=0.9,
        history=[
            (1_700_000_000.0, 1_803_859_200.0, 0.3),
            (1_803_859_200.0, 1_803_860_000.0, 0.35),
            (1_803_860_000.0, None, 0.8),
        ],
    )
    # 2027-03-01T00:00:00Z is 1_803_859_200: the second entry stood then
    assert community(closed["question"]) == 0.35
    assert community(metaculus_post(status="open", latest=0.41)["question"]) == 0.41


def _post(resolution: Any, kind: str) -> dict[str, Any]:
    return metaculus_post(status="resolved", resolution=resolution, kind=kind)


def test_metaculus_numbers_and_dates(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("METACULUS_TOKEN", "x")
    path = tmp_path / "ledger.yaml"
    path.write_text(
        """questions:
  - {id: n, title: N, criteria: C, kind: numeric, deadline: 2027-12-31, resolver: {source: metaculus, market: 1}}
  - {id: d, title: D, criteria: C, kind: date, deadline: 2027-12-31, resolver: {source: metaculus, market: 2}}
  - {id: a, title: A, criteria: C, kind: date, deadline: 2027-12-31, resolver: {source: metaculus, market: 3}}
""",
        encoding="utf-8",
    )
    with Server() as server:
        server.routes["/api/posts/1/"] = [ok(_post("77289125.5", "numeric"))]
        server.routes["/api/posts/2/"] = [ok(_post("2027-02-11T08:00:00Z", "date"))]
        server.routes["/api/posts/3/"] = [ok(_post("ambiguous", "date"))]
        result = sync(
            path, "--format", "json", "--apply", "--base-url", f"metaculus={server.url}"
        )
    assert [(a["result"], a["known"]) for a in json.loads(result.stdout)] == [
        ("77289125.5", "2027-03-04"),
        ("2027-02-11", "2027-03-04"),
        ("ambiguous", "2027-03-04"),
    ]
    book, errors = check(str(path))
    assert errors == []
    assert [str(q.outcomes[0].result) for q in book.questions] == [
        "77289125.5",
        "2027-02-11",
        "ambiguous",
    ]


def test_due_lists_what_resolved_at_the_source_from_saved_responses(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("METACULUS_TOKEN", "x")
    path = write(tmp_path)
    saved = tmp_path / "responses"
    with Server() as server:
        server.routes[f"/v0/slug/{SLUG}"] = [ok(manifold_market(probability=0.4))]
        for route in ("/api/posts/31337/", "/trade-api/v2/markets/KXWIDGET-27DEC31"):
            server.routes[route] = [ok(ROUTES[route])]
        sync(path, "--save-responses", str(saved), *bases(server))
    monkeypatch.delenv("METACULUS_TOKEN")
    due = CliRunner().invoke(main, ["due", str(path), "--as-of", "2027-06-01",
                                    "--responses", str(saved)])
    assert due.exit_code == 0, due.output
    assert due.stdout.splitlines()[0] == (
        "As of 2027-06-01: 0 overdue, 0 due within 90 days, 0 windows to check, "
        "0 stale forecasts, "
        "2 resolved at the source.")
    assert due.stdout.splitlines()[-5:] == [
        "Resolved at the source, not recorded (ledger sync --apply records them)",
        "  metaculus-q  metaculus says no, known 2027-03-04",
        "    M",
        "  kalshi-q     kalshi says yes, known 2027-03-04",
        "    K",
    ]
    as_json = CliRunner().invoke(main, ["due", str(path), "--as-of", "2027-06-01",
                                        "--responses", str(saved), "--format", "json"])
    rows = json.loads(as_json.stdout)["resolved_at_source"]
    assert [(r["question"], r["result"]) for r in rows] == [("metaculus-q", "no"), ("kalshi-q", "yes")]
    plain = CliRunner().invoke(main, ["due", str(path), "--as-of", "2027-06-01", "--format", "json"])
    assert "resolved_at_source" not in json.loads(plain.stdout)


def test_due_sync_asks_the_sources_live(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("METACULUS_TOKEN", "x")
    path = write(tmp_path)
    with Server() as server:
        for route, data in ROUTES.items():
            server.routes[route] = [ok(data)]
        for source in ("manifold", "metaculus", "kalshi"):
            monkeypatch.setitem(ledger.sync.http.DEFAULT_BASES, source, server.url)
        due = CliRunner().invoke(main, ["due", str(path), "--as-of", "2027-06-01", "--sync",
                                        "--format", "csv"])
    assert due.exit_code == 0, due.output
    lines = due.stdout.splitlines()
    assert lines[0].endswith(",source,result,known")
    assert [line.split(",")[:2] for line in lines[1:]] == [
        ["at_source", "manifold-q"], ["at_source", "metaculus-q"], ["at_source", "kalshi-q"]]


def test_a_progress_bar_on_a_terminal_for_more_than_a_few_questions(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import io

    from ledger.cli.sync import planned
    from ledger.sync.run import Choice

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    questions = "".join(
        f"  - {{id: q{i}, title: Q, criteria: C, kind: binary, deadline: 2027-12-31, "
        f"resolver: {{source: manifold, market: m-{i}}}}}\n" for i in range(5)
    )
    path = tmp_path / "ledger.yaml"
    path.write_text("questions:\n" + questions, encoding="utf-8")
    book, _ = check(str(path))
    with Server() as server:
        for i in range(5):
            server.routes[f"/v0/slug/m-{i}"] = [ok(manifold_market())]
        client = Client(ClientOptions(bases={"manifold": server.url}))
        terminal = Terminal()
        monkeypatch.setattr("sys.stderr", terminal)
        import datetime as dt

        found = planned(book, client, dt.date(2027, 6, 1), Choice())
    assert [a.action for a in found] == ["pending"] * 5
    assert "Syncing" in terminal.getvalue()
    assert "100%" in terminal.getvalue()


def test_apply_writes_into_the_included_file_that_holds_the_question(tmp_path: Path) -> None:
    (tmp_path / "ledger.d").mkdir()
    main_file = tmp_path / "ledger.yaml"
    main_file.write_text("include: [ledger.d/*.yaml]\nforecasters:\n  - {id: crowd, name: C}\n",
                         encoding="utf-8")
    part = tmp_path / "ledger.d" / "markets.yaml"
    part.write_text(
        "questions:\n  - id: w\n    title: W\n    criteria: C\n    kind: binary\n"
        "    deadline: 2027-12-31\n    resolver: {source: manifold, market: " + SLUG + "}\n",
        encoding="utf-8",
    )
    before = main_file.read_bytes()
    with Server() as server:
        server.routes[f"/v0/slug/{SLUG}"] = [ok(manifold_market(resolution="NO"))]
        result = sync(main_file, "--apply", "--base-url", f"manifold={server.url}")
    assert result.exit_code == 0, result.output
    assert main_file.read_bytes() == before
    assert "    outcomes:\n      - result: no\n        known: 2027-03-04\n" in part.read_text("utf-8")
    assert f"{part}: appended 1 outcome and 0 crowd prices" in result.stderr
