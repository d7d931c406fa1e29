"""A real mounted volume (tmpfs, mounted and unmounted like a stick) under a watched root."""

from __future__ import annotations

import subprocess
from pathlib import Path

from pytestqt.qtbot import QtBot

from kiosk.packs.discovery import find_packs
from kiosk.ui.media_watch import MediaWatcher


def test_a_stick_with_packs_is_noticed_and_its_removal_too(qtbot: QtBot, stick: Path) -> None:
    (stick / "heart-3.topicpack").write_bytes(b"not read by the watcher")
    watcher = MediaWatcher([str(stick.parent)], find_packs)
    seen: list[list[Path]] = []
    watcher.changed.connect(seen.append)
    watcher.poll()
    assert seen == [[stick / "heart-3.topicpack"]]
    subprocess.run(["umount", str(stick)], check=True)  # the stick is pulled
    watcher.poll()
    assert seen[-1] == []


def test_volumes_outside_the_watched_roots_are_ignored(
    qtbot: QtBot, stick: Path, tmp_path: Path
) -> None:
    (stick / "a.topicpack").write_bytes(b"x")
    watcher = MediaWatcher([str(tmp_path / "elsewhere")], find_packs)
    seen: list[list[Path]] = []
    watcher.changed.connect(seen.append)
    watcher.poll()
    assert seen == [] and watcher.current == []
