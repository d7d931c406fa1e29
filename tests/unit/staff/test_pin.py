"""The staff PIN as staff and a guessing patient meet it."""

from __future__ import annotations

import errno
import json
import os
import stat
from pathlib import Path

import pytest

from kiosk.staff import FIRST_LOCK_S, PinError, PinStore


@pytest.fixture
def store(tmp_path: Path) -> PinStore:
    pins = PinStore(tmp_path / "staff" / "pin.json")
    pins.set_pin("246810")
    return pins


def test_the_pin_is_stored_as_a_scrypt_hash_readable_only_by_the_kiosk(store: PinStore) -> None:
    text = store.path.read_text()
    assert "246810" not in text
    data = json.loads(text)
    assert len(bytes.fromhex(data["hash"])) == 32 and len(bytes.fromhex(data["salt"])) == 16
    assert stat.S_IMODE(store.path.stat().st_mode) == 0o600


def test_the_right_pin_opens(store: PinStore) -> None:
    assert store.check("246810", now=1000.0).ok


@pytest.mark.parametrize("pin", ["123", "12ab", "", "1234567890123"])
def test_a_bad_new_pin_is_refused_with_one_line(tmp_path: Path, pin: str) -> None:
    with pytest.raises(PinError, match="the PIN must be 4 to 12 digits"):
        PinStore(tmp_path / "pin.json").set_pin(pin)
    assert not (tmp_path / "pin.json").exists()


def test_wrong_pins_lock_out_for_longer_each_time(store: PinStore) -> None:
    assert store.check("0000", 1000.0).message == "Wrong PIN. 2 tries left."
    assert store.check("0000", 1001.0).message == "Wrong PIN. 1 try left."
    third = store.check("0000", 1002.0)
    assert third.message == f"Wrong PIN. Try again in {FIRST_LOCK_S} seconds."
    # Even the right PIN is refused while locked.
    locked = store.check("246810", 1010.0)
    assert not locked.ok and locked.message == "Too many wrong PINs. Try again in 23 seconds."
    fourth = store.check("0000", 1002.0 + FIRST_LOCK_S + 1)
    assert fourth.locked_for_s == 2 * FIRST_LOCK_S
    assert store.check("246810", 1002.0 + FIRST_LOCK_S + 1 + 2 * FIRST_LOCK_S + 1).ok
    assert store.check("0000", 5000.0).message == "Wrong PIN. 2 tries left."  # count reset


def test_the_lockout_survives_a_restart(store: PinStore) -> None:
    for now in (1.0, 2.0, 3.0):
        store.check("9999", now)
    again = PinStore(store.path)  # the kiosk restarted (or the plug was pulled)
    assert not again.check("246810", 10.0).ok


def test_the_lockout_grows_to_an_hour_at_most(store: PinStore) -> None:
    now = 0.0
    for _ in range(20):
        result = store.check("1111", now)
        now += result.locked_for_s + 1
    assert result.locked_for_s == 3600


def test_no_pin_set_says_how_to_set_one(tmp_path: Path) -> None:
    result = PinStore(tmp_path / "none.json").check("1234", 0.0)
    assert not result.ok and "kiosk staff set-pin" in result.message


def _record_flushes(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """'file', 'folder' and 'replace', in the order the disk is asked for them."""
    events: list[str] = []
    real_fsync, real_replace = os.fsync, os.replace

    def fsync(fd: int) -> None:
        events.append("folder" if stat.S_ISDIR(os.fstat(fd).st_mode) else "file")
        real_fsync(fd)

    def replace(src: str | os.PathLike[str], dst: str | os.PathLike[str]) -> None:
        events.append("replace")
        real_replace(src, dst)

    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(os, "replace", replace)
    return events


def test_a_wrong_guess_is_on_the_disk_before_the_keypad_answers(
    store: PinStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Pulling the plug right after a wrong PIN must not give the guess back: the new count
    is flushed, switched in, and the switch itself flushed (the folder) before check returns."""
    events = _record_flushes(monkeypatch)
    store.check("0000", 1000.0)
    assert events == ["file", "replace", "folder"]


def test_a_failed_write_leaves_the_old_pin_and_no_stray_copy(
    store: PinStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A disk error while the lockout is saved: the PIN file is as it was, and no half-written
    copy of the hash is left lying beside it."""
    before = store.path.read_bytes()

    def broken_disk(_fd: int) -> None:
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(os, "fsync", broken_disk)
    with pytest.raises(OSError):
        store.check("0000", 1000.0)
    monkeypatch.undo()
    assert [p.name for p in store.path.parent.iterdir()] == [store.path.name]
    assert store.path.read_bytes() == before
    assert stat.S_IMODE(store.path.stat().st_mode) == 0o600
    assert store.check("246810", 1001.0).ok
