"""Replacing a file or a link in the data dir: what is on disk after it worked, and after it
failed halfway (the kill -9 case is tests/e2e/test_kill_installer.py)."""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.library.durable import point_link, replacing, write_file


@pytest.fixture
def strict_umask() -> Iterator[None]:
    old = os.umask(0o077)
    yield
    os.umask(old)


def test_a_new_file_in_new_folders_gets_the_mode_asked_for(
    tmp_path: Path, strict_umask: None
) -> None:
    path = tmp_path / "index" / "search.sqlite"
    write_file(path, b"first", mode=0o644)
    assert path.read_bytes() == b"first"
    assert stat.S_IMODE(path.stat().st_mode) == 0o644  # not hidden by the umask
    write_file(path, b"second", mode=0o600)
    assert path.read_bytes() == b"second"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert [p.name for p in path.parent.iterdir()] == ["search.sqlite"]


def test_the_file_is_private_while_it_is_written(tmp_path: Path) -> None:
    with replacing(tmp_path / "staff-pin.json", mode=0o644) as temp:
        assert stat.S_IMODE(temp.stat().st_mode) == 0o600


@pytest.mark.parametrize("where", ["writing", "flushing"])
def test_a_failure_leaves_the_old_file_and_nothing_else(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, where: str
) -> None:
    path = tmp_path / "search.sqlite"
    path.write_bytes(b"old")

    def broken(*_args: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    if where == "flushing":
        monkeypatch.setattr(os, "fsync", broken)
    with pytest.raises(OSError), replacing(path) as temp:
        temp.write_bytes(b"half of the new")
        if where == "writing":
            broken()
    assert path.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["search.sqlite"]


def test_a_link_is_switched_in_one_step(tmp_path: Path) -> None:
    for name in ("v1", "v2"):
        (tmp_path / name).mkdir()
    point_link(tmp_path / "current", "v1")
    point_link(tmp_path / "current", "v2")
    assert os.readlink(tmp_path / "current") == "v2"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["current", "v1", "v2"]


def test_a_link_that_cannot_be_switched_is_left_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "v1").mkdir()
    point_link(tmp_path / "current", "v1")

    def refused(*_args: object) -> None:
        raise OSError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(os, "replace", refused)
    with pytest.raises(OSError):
        point_link(tmp_path / "current", "v2")
    assert os.readlink(tmp_path / "current") == "v1"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["current", "v1"]
