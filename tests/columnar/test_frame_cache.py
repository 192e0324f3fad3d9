"""The frame cache: a hit gives exactly the frame that would be built, any change
to the ledger (or the day, or --provisional) misses, and a one-file ledger whose
frame is cached is not loaded at all."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

pytest.importorskip("pyarrow")

from ledger.cli import frames, main
from ledger.columnar import cache
from ledger.frame import frame as make_frame
from ledger.loader import cache as parse_cache
from ledger.validate import check

ROOT = Path(__file__).resolve().parents[2]
DAY = dt.date(2032, 1, 1)


@pytest.fixture(autouse=True)
def every_size(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parse_cache, "MIN_BYTES", 0)  # small test ledgers are cached


def entries() -> list[str]:
    folder = Path(os.environ["XDG_CACHE_HOME"]) / "ledger" / "frames"
    return sorted(p.name for p in folder.iterdir() if p.name != "key")


def built(file: Path, day: dt.date = DAY, provisional: bool = False) -> pd.DataFrame:
    ledger, errors = check(str(file))
    assert errors == []
    return make_frame(ledger, day, provisional=provisional)


def copy_of(name: str, tmp_path: Path) -> Path:
    file = tmp_path / "l.yaml"
    file.write_bytes((ROOT / "tests" / "data" / name).read_bytes())
    return file


def test_a_hit_gives_the_frame_that_would_be_built(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    file = copy_of("quantiles.yaml", tmp_path)
    first = frames.frame_only(str(file), DAY, False)  # a miss: built and stored
    assert len(entries()) == 1
    calls: list[object] = []
    monkeypatch.setattr("ledger.frame.frame", lambda *a, **k: calls.append(a))
    monkeypatch.setattr(frames, "checked", lambda *a: calls.append(a))
    second = frames.frame_only(str(file), DAY, False)
    assert calls == []  # neither loaded nor built
    pd.testing.assert_frame_equal(second, first, check_exact=True)
    pd.testing.assert_frame_equal(second, built(file), check_exact=True)
    for name in first.columns:
        assert [repr(v) for v in second[name]] == [repr(v) for v in first[name]]


def test_any_change_misses(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    file = copy_of("quantiles.yaml", tmp_path)
    frames.frame_only(str(file), DAY, False)
    built_calls: list[object] = []
    real = make_frame

    def counting(*args: object, **kwargs: object) -> pd.DataFrame:
        built_calls.append(args)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr("ledger.frame.frame", counting)
    # another day, --provisional: each its own entry
    for day, provisional in ((DAY + dt.timedelta(days=1), False), (DAY, True)):
        got = frames.frame_only(str(file), day, provisional)
        pd.testing.assert_frame_equal(got, built(file, day, provisional))
    assert len(built_calls) == 2
    # one byte of the ledger changed (a quantile value): a miss, and
    # the frame of the new ledger
    text = file.read_text("utf-8").replace("0.5: 12", "0.5: 13", 1)
    assert text != file.read_text("utf-8")
    file.write_text(text, "utf-8")
    got = frames.frame_only(str(file), DAY, False)
    assert len(built_calls) == 3
    pd.testing.assert_frame_equal(got, built(file))
    # the same bytes under another path: a miss (the path is in every location)
    other = tmp_path / "other.yaml"
    other.write_bytes(file.read_bytes())
    frames.frame_only(str(other), DAY, False)
    assert len(built_calls) == 4


def test_a_change_to_an_included_file_misses(tmp_path: Path) -> None:
    (tmp_path / "parts").mkdir()
    root = tmp_path / "root.yaml"
    root.write_text(
        "forecasters: [{id: ann, name: Ann}]\ninclude: [parts/*.yaml]\nquestions: []\n",
        "utf-8",
    )
    part = tmp_path / "parts" / "a.yaml"
    question = """\
questions:
  - id: rain
    title: Rain
    criteria: Any rain.
    kind: binary
    deadline: 2026-05-01
    forecasts:
      - {by: ann, made: 2026-04-01, p: 0.7, basis: stated}
    outcomes:
      - {result: yes, known: 2026-05-01, recorded: 2026-05-02}
"""
    part.write_text(question, "utf-8")
    first = frames.ledger_and_frame(str(root), DAY, False)[1]
    assert first["p"].tolist() == [0.7] and len(entries()) == 1
    part.write_text(question.replace("p: 0.7", "p: 0.2"), "utf-8")
    second = frames.ledger_and_frame(str(root), DAY, False)[1]
    assert second["p"].tolist() == [0.2] and len(entries()) == 2
    # a new file matching the include: a miss too
    (tmp_path / "parts" / "b.yaml").write_text(
        question.replace("id: rain", "id: snow"), "utf-8"
    )
    third = frames.ledger_and_frame(str(root), DAY, False)[1]
    assert third["question"].tolist() == ["rain", "snow"]
    # a ledger of more files is always loaded: its root's bytes alone never hit
    assert cache.frame(frames.quick_key(str(root)), DAY, False) is None


def test_a_ledger_with_errors_is_never_cached(tmp_path: Path) -> None:
    file = copy_of("quantiles.yaml", tmp_path)
    file.write_text(file.read_text("utf-8").replace("by: bob", "by: nobody", 1), "utf-8")
    result = CliRunner().invoke(main, ["score", str(file), "--as-of", str(DAY)])
    assert result.exit_code == 1 and "forecaster 'nobody' is not declared" in result.stderr
    folder = Path(os.environ["XDG_CACHE_HOME"]) / "ledger" / "frames"
    assert not folder.exists() or entries() == []
    result = CliRunner().invoke(main, ["score", str(file), "--as-of", str(DAY)])
    assert result.exit_code == 1  # and again: nothing cached says otherwise


@pytest.mark.parametrize(
    "args",
    [["score", "--by", "forecaster"], ["score", "--by", "tag", "--format", "json"],
     ["calibration", "--format", "json"], ["calibration", "--forecaster", "alice"],
     ["compare"], ["export", "--format", "json"]],
)
def test_commands_say_the_same_with_and_without_the_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str]
) -> None:
    file = copy_of("quantiles.yaml", tmp_path)
    command = [*args, str(file), "--as-of", str(DAY)]
    monkeypatch.setenv("LEDGER_CACHE", "off")
    expected = CliRunner().invoke(main, command)
    assert expected.exit_code == 0, expected.stderr
    monkeypatch.delenv("LEDGER_CACHE")
    for _ in range(2):  # a miss, then a hit
        got = CliRunner().invoke(main, command)
        assert (got.exit_code, got.stdout) == (0, expected.stdout)
    assert entries()


def test_a_report_from_the_cache_is_the_same_report(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    file = copy_of("quantiles.yaml", tmp_path)

    def report(out: str) -> dict[str, bytes]:
        result = CliRunner().invoke(
            main, ["report", str(file), "--out", str(tmp_path / out), "--as-of",
                   str(DAY), "--jobs", "1"],
        )
        assert result.exit_code == 0, result.output
        return {str(p.relative_to(tmp_path / out)): p.read_bytes()
                for p in sorted((tmp_path / out).rglob("*")) if p.is_file()}

    monkeypatch.setenv("LEDGER_CACHE", "off")
    expected = report("off")
    monkeypatch.delenv("LEDGER_CACHE")
    assert report("miss") == expected
    stored = entries()
    assert stored  # a frame for each day a page reads
    assert report("hit") == expected
    assert entries() == stored


def test_a_tampered_entry_is_a_miss_and_old_entries_are_evicted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    file = copy_of("quantiles.yaml", tmp_path)
    expected = frames.frame_only(str(file), DAY, False)
    folder = Path(os.environ["XDG_CACHE_HOME"]) / "ledger" / "frames"
    assert oct(folder.stat().st_mode & 0o777) == "0o700"
    (entry,) = entries()
    data = bytearray((folder / entry).read_bytes())
    data[-20] ^= 1  # one bit of the Parquet data: the signature no longer matches
    (folder / entry).write_bytes(bytes(data))
    assert cache.frame(frames.quick_key(str(file)), DAY, False) is None
    assert entries() == []  # removed
    got = frames.frame_only(str(file), DAY, False)
    pd.testing.assert_frame_equal(got, expected, check_exact=True)
    monkeypatch.setattr(cache, "KEEP", 2)
    for days in (1, 2, 3):
        frames.frame_only(str(file), DAY + dt.timedelta(days=days), False)
    assert len(entries()) == 2
