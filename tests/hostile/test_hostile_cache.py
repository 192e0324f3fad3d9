"""The parse cache cannot run code (issue 13, problem 7).

A pickle planted under the key of a big file (>= 256 KiB, so the cache is
asked) must never run: not from a folder others may write (refused, with a
warning on the command line), not from the user's own folder (the entry is
not signed with the folder's key), and not even signed (the unpickler takes
only ledger's records). Each planted entry, if it ran, would create a file.
"""

from __future__ import annotations

import os
import pickle
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from ledger.cli import main

SHIPPED = Path(__file__).parents[2] / "predictions.yaml"


class Payload:
    """What a hostile entry does when it is unpickled: it creates `marker`."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, tuple[str]]:
        return os.system, (f"touch {self.marker}",)


def hostile(marker: Path) -> bytes:
    """A pickle that creates `marker` when it is loaded (os.system)."""
    return pickle.dumps(Payload(marker))


def big_ledger(folder: Path) -> Path:
    """A valid ledger of at least 256 KiB: the shipped one, padded with comments."""
    text = SHIPPED.read_text("utf-8")
    padding = "# " + "x" * 78 + "\n"
    path = folder / "big.yaml"
    path.write_text(text + padding * (300_000 // len(padding)), encoding="utf-8")
    assert path.stat().st_size >= 256 * 1024
    return path


def check(path: Path) -> Result:
    result = CliRunner().invoke(main, ["check", str(path)], prog_name="ledger")
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        result.exc_info
    )
    return result


@pytest.fixture
def xdg(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh $XDG_CACHE_HOME; the cache's open folders forgotten."""
    from ledger.loader import cache

    home = tmp_path / "xdg"
    home.mkdir(mode=0o700)
    monkeypatch.setenv("XDG_CACHE_HOME", str(home))
    monkeypatch.delenv("LEDGER_CACHE", raising=False)
    monkeypatch.setattr(cache, "_folders", {}, raising=False)
    return home


def test_the_planted_pickle_would_run() -> None:
    """The payload is real: loading it with plain pickle creates the marker."""
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        marker = Path(folder) / "ran"
        pickle.loads(hostile(marker))
        assert marker.exists()


def test_a_folder_others_may_write_is_not_read_and_the_user_is_warned(
    xdg: Path, tmp_path: Path
) -> None:
    from ledger.loader import cache

    path = big_ledger(tmp_path)
    folder = xdg / "ledger"
    folder.mkdir()
    folder.chmod(0o777)
    marker = tmp_path / "ran"
    data = path.read_bytes()
    name = cache.key(data, str(path)) + ".pickle"  # where main read a pickle from
    (folder / name).write_bytes(hostile(marker))
    result = check(path)
    assert result.exit_code == 0, result.output
    assert not marker.exists()
    assert name == cache.entry_name(data, str(path))
    assert result.stderr == (
        f"warning: the parse cache was not used: the cache folder {folder} is writable "
        f"by others (mode 0777); make it yours alone (chmod 700 {folder}) or remove it\n"
    )
    assert os.listdir(folder) == [name]  # nothing stored in it either, and no key made


def test_a_folder_of_another_user_is_not_read(
    xdg: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = big_ledger(tmp_path)
    (xdg / "ledger").mkdir(mode=0o700)
    monkeypatch.setattr(os, "geteuid", lambda: os.stat(xdg / "ledger").st_uid + 1)
    result = check(path)
    assert result.exit_code == 0
    assert "is owned by another user" in result.stderr


def test_an_unsigned_entry_in_the_users_own_folder_does_not_run(xdg: Path, tmp_path: Path) -> None:
    from ledger.files import private
    from ledger.loader import cache

    path = big_ledger(tmp_path)
    assert check(path).exit_code == 0  # a miss: stores a signed entry (and makes the key)
    folder = xdg / "ledger"
    name = cache.entry_name(path.read_bytes(), str(path))
    assert (folder / name).read_bytes().startswith(private.VERSION)
    assert check(path).stderr == ""  # a hit, silently
    marker = tmp_path / "ran"
    (folder / name).write_bytes(hostile(marker))  # planted in place of the real one
    result = check(path)
    assert (result.exit_code, result.stderr) == (0, "")
    assert not marker.exists()
    assert (folder / name).read_bytes().startswith(private.VERSION)  # stored again, signed
    # a planted entry with the version line but a wrong signature: the same
    (folder / name).write_bytes(private.VERSION + bytes(32) + hostile(marker))
    assert check(path).exit_code == 0 and not marker.exists()


def test_even_a_signed_entry_may_name_only_ledgers_records(xdg: Path, tmp_path: Path) -> None:
    """Were the key to leak, the unpickler still refuses any global but ledger's own."""
    from ledger.files import private
    from ledger.loader import cache

    path = big_ledger(tmp_path)
    assert check(path).exit_code == 0
    folder = private.open_folder(xdg / "ledger")
    assert isinstance(folder, private.Folder)
    marker = tmp_path / "ran"
    name = cache.entry_name(path.read_bytes(), str(path))
    private.write(folder, name, lambda out: out.write(hostile(marker)))
    assert private.read(folder, name) is not None  # the signature matches
    result = check(path)
    assert (result.exit_code, result.stderr) == (0, "")
    assert not marker.exists()
    private.close(folder)


def test_the_key_must_be_private_too(xdg: Path, tmp_path: Path) -> None:
    path = big_ledger(tmp_path)
    assert check(path).exit_code == 0
    key = xdg / "ledger" / "key"
    key.chmod(0o644)
    from ledger.loader import cache

    cache._folders.clear()
    result = check(path)
    assert result.exit_code == 0
    assert f"the cache key {key} is readable by others; remove it" in result.stderr
    key.unlink()
    cache._folders.clear()
    assert check(path).stderr == ""  # a new key, and the old entries are misses


def test_a_cache_that_cannot_be_made_is_only_slower_and_said(xdg: Path, tmp_path: Path) -> None:
    path = big_ledger(tmp_path)
    shutil.rmtree(xdg)
    xdg.write_text("a file where the cache's parent folder should be", encoding="utf-8")
    result = check(path)
    assert result.exit_code == 0
    assert result.stderr == (
        f"warning: the parse cache was not used: the cache folder {xdg / 'ledger'} "
        "cannot be opened: Not a directory\n"
    )
