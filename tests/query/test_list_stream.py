"""`ledger list --format json` writes its rows as they are made (issue 19): the same
text as the whole listing encoded at once, in the order `rows` gives."""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ledger.query import listing
from ledger.show import lists
from ledger.show.layout import json_indented
from ledger.validate import check

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        import bench_all
    finally:
        sys.path.pop(0)
    file = tmp_path_factory.mktemp("list") / "ledger.yaml"
    bench_all.generate(file, 200)
    return file


FILTERS = [
    listing.Filters(),
    listing.Filters("forecaster-03"),
    listing.Filters(None, ("generated",), ("open", "resolved")),
    listing.Filters("nobody"),
]


@pytest.mark.parametrize("filters", FILTERS)
@pytest.mark.parametrize("size", [1, 500, 1 << 20])
def test_the_parts_are_the_whole_listing(
    generated: Path, filters: listing.Filters, size: int
) -> None:
    ledger, errors = check(str(generated))
    assert errors == []
    day = dt.date(2026, 11, 26)
    found = listing.rows(ledger, day, filters)
    rank = {name: n for n, name in enumerate(("due", "open", "resolved", "void"))}
    assert found == sorted(
        found, key=lambda r: (rank[r["status"]], r["deadline_latest"], r["id"])
    )
    parts = list(lists.json_parts(listing.iter_rows(ledger, day, filters), size))
    assert "".join(parts) == lists.to_json(found)
    if size == 1 and found:
        assert len(parts) == len(found) + 1  # a row at a time, then the end


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4)
    | st.tuples(inner, inner),
    max_leaves=30,
)


@given(JSON, st.integers(0, 3))
def test_json_indented_is_json_with_indent_two(value: object, level: int) -> None:
    # NaN and the infinities, which JSON has no word for, are written null
    # (issue 13, point 15): json's own encoder would write NaN and Infinity.
    nulled = json.loads(json.dumps(value), parse_constant=lambda _: None)
    if nulled != json.loads(json.dumps(value)):  # only where a constant was
        value_text = json.dumps(nulled, indent=2, ensure_ascii=False)
        def refuse(word: str) -> None:
            raise AssertionError(f"{word} written")

        written = json.loads(json_indented(value, level), parse_constant=refuse)
        assert written == json.loads(value_text)
        return
    expected = json.dumps(value, indent=2, ensure_ascii=False)
    assert json_indented(value, level) == expected.replace("\n", "\n" + "  " * level)
