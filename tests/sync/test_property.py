"""For any ledger and any responses, `sync --apply` only appends, and stays valid.

Generated ledgers mix every source, questions resolved by a person or by sync
or not at all, outcome lists written empty (`[]`), left out, or as blocks,
with comments; generated responses mix every platform's results, prices,
errors and garbage. After `run` and `apply` (the code behind `ledger sync
--apply --crowd`):

- every byte of the old file is still there, in order: the diff is only
  insertions, each a new entry appended at the end of its question's list;
  the one documented exception is an empty list, whose `[]` is dropped when
  it becomes a block list (`outcomes: []` → `outcomes:` + the new item);
- the result passes `ledger check`;
- no outcome by a person is followed by a sync entry;
- a second run appends nothing.
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
from typing import TYPE_CHECKING, Any

from fuzzing import fuzz
from hypothesis import given
from hypothesis import strategies as st
from syncserver import (
    fred_csv,
    github_releases,
    kalshi_market,
    manifold_market,
    metaculus_post,
    polymarket_market,
)

from ledger.core.rules import by_person
from ledger.sync.apply import apply
from ledger.sync.http import Client, ClientOptions, FetchError, Response
from ledger.sync.run import Choice, run
from ledger.validate import check

if TYPE_CHECKING:
    from pathlib import Path

TODAY = dt.date(2027, 6, 1)
RESOLVERS = {
    "manifold": "{source: manifold, market: m-QID, crowd: crowd}",
    "metaculus": "{source: metaculus, market: NUM, crowd: crowd}",
    "polymarket": "{source: polymarket, market: p-QID, crowd: crowd}",
    "kalshi": "{source: kalshi, market: K-QID, crowd: crowd}",
    "csv": '{source: csv, url: "https://example.org/QID.csv", column: V, '
    'rule: {on: 2027-03, op: ">=", value: 5}}',
    "github-release": "{source: github-release, repo: foo/QID}",
}
URLS = {
    "manifold": "https://api.manifold.markets/v0/slug/m-QID",
    "metaculus": "https://www.metaculus.com/api/posts/NUM/",
    "polymarket": "https://gamma-api.polymarket.com/markets/slug/p-QID",
    "kalshi": "https://api.elections.kalshi.com/trade-api/v2/markets/K-QID",
    "csv": "https://example.org/QID.csv",
    "github-release": "https://api.github.com/repos/foo/QID/releases?per_page=100",
}


def answers(source: str) -> list[Any]:
    """Every kind of answer a source can give, and garbage."""
    garbage: list[Any] = ["not json {", [], {"market": None}, None]
    found: dict[str, list[Any]] = {
        "manifold": [manifold_market(resolution=r) for r in ("YES", "NO", "CANCEL")]
        + [manifold_market(resolution="MKT", resolution_probability=0.4),
           manifold_market(probability=0.3)],
        "metaculus": [metaculus_post(status="resolved", resolution=r)
                      for r in ("yes", "no", "annulled", None)]
        + [metaculus_post(status="open", latest=0.2)],
        "polymarket": [polymarket_market(closed=True, uma="resolved", prices=p)
                       for p in (("1", "0"), ("0", "1"), ("0.5", "0.5"))]
        + [polymarket_market(prices=("0.7", "0.3"))],
        "kalshi": [kalshi_market(status="finalized", result=r) for r in ("yes", "no", "void")]
        + [kalshi_market(status="active")],
        "csv": [fred_csv(("2027-03-01", v), column="V") for v in ("5.5", "4", ".")],
        "github-release": [github_releases(("v2.0.0", "2027-03-04T10:00:00Z", False)),
                           github_releases()],
    }
    return found[source] + garbage


class Canned(Client):
    """A client that answers from a dict of URL → data (None: the source is down)."""

    def __init__(self, canned: dict[str, Any]) -> None:
        super().__init__(ClientOptions())
        self.canned = canned

    def get(self, source: str, url: str) -> Response:
        data = self.canned.get(url)
        if data is None:
            raise FetchError("cannot reach the source: refused")
        body = data if isinstance(data, str) else json.dumps(data)
        return Response(url, 200, body.encode())


OUTCOME = {
    "person": "{result: no, known: 2027-02-01, recorded: 2027-02-02, by: keeper}",
    "sync": '{result: yes, known: 2027-02-01, recorded: 2027-02-02, by: "sync:SOURCE"}',
}


@st.composite
def ledgers(draw: st.DrawFn) -> tuple[str, dict[str, Any]]:
    """A ledger's text and the answers its sources give."""
    lines = ["# a ledger", "forecasters:", "  - {id: alice, name: Alice}",
             "  - {id: crowd, name: Crowd}  # the markets", "questions:"]
    canned: dict[str, Any] = {}
    count = draw(st.integers(1, 4))
    for number in range(count):
        qid = f"q{number}"
        source = draw(st.sampled_from(sorted(RESOLVERS)))
        resolver = RESOLVERS[source].replace("QID", qid).replace("NUM", str(100 + number))
        url = URLS[source].replace("QID", qid).replace("NUM", str(100 + number))
        canned[url] = draw(st.sampled_from(answers(source)))
        lines += [f"  - id: {qid}", f"    title: Question {number}", "    criteria: C",
                  "    kind: binary", "    deadline: 2027-12-31", f"    resolver: {resolver}",
                  "    forecasts:", "      - {by: alice, made: 2027-01-01, p: 0.6, basis: stated}"]
        if draw(st.booleans()):
            lines.append("      # a comment after the forecasts")
        style = draw(st.sampled_from(["empty", "absent", "block"]))
        had = draw(st.sampled_from(["person", "sync"]))
        if style == "empty":
            lines.append("    outcomes: []")
        elif style == "block":
            lines += ["    outcomes:", "      - " + OUTCOME[had].replace("SOURCE", source)]
        if draw(st.booleans()):
            lines.append("")
    return "\n".join(lines) + "\n", canned


def only_appended(old: str, new: str) -> bool:
    """Whether `new` is `old` with lines inserted (and `[]` dropped from a list key)."""
    before, after = old.splitlines(), new.splitlines()
    for tag, i1, i2, j1, _j2 in difflib.SequenceMatcher(None, before, after,
                                                       autojunk=False).get_opcodes():
        if tag in ("equal", "insert"):
            continue
        if tag != "replace" or i2 - i1 != 1:
            return False
        line, changed = before[i1], after[j1]
        if not (line.endswith((": []", ":")) and changed == line.removesuffix(" []")):
            return False
    return True


@fuzz(40)
@given(ledgers(), st.booleans())
def test_sync_apply_only_appends_and_the_result_passes_check(
    tmp_path_factory: Any, drawn: tuple[str, dict[str, Any]], crowd: bool
) -> None:
    text, canned = drawn
    path: Path = tmp_path_factory.mktemp("ledger") / "ledger.yaml"
    path.write_text(text, encoding="utf-8")
    book, errors = check(str(path))
    assert errors == [], text
    client = Canned(canned)
    actions = run(book, client, TODAY, Choice(crowd=crowd))
    _, problems = apply(str(path), book, actions, TODAY)
    assert problems == []
    new = path.read_text(encoding="utf-8")
    assert only_appended(text, new), (text, new)
    after, errors = check(str(path))
    assert errors == []
    for question in after.questions:
        people = [o for o in question.outcomes if by_person(o)]
        if people:  # nothing was appended beside a person's outcome
            assert len(question.outcomes) == 1
    again = run(after, client, TODAY, Choice(crowd=crowd))
    assert [a for a in again if a.action in ("resolve", "crowd")] == []
