"""A real mounted volume (tmpfs, mounted and unmounted like a stick) under a watched root."""

from __future__ import annotations

import subprocess
from pathlib import Path

from pytestqt.qtbot import QtBot

from kiosk.packs.discovery import find_packs
from kiosk.tasks import TaskRunner
from kiosk.ui.media_watch import MediaWatcher


def look(qtbot: QtBot, watcher: MediaWatcher, tasks: TaskRunner) -> None:
    """One poll, on the worker as the kiosk does it, until its result is delivered."""
    watcher.poll()
    qtbot.waitUntil(lambda: not tasks.busy, timeout=5000)


def test_a_stick_with_packs_is_noticed_and_its_removal_too(qtbot: QtBot, stick: Path) -> None:
    (stick / "heart-3.topicpack").write_bytes(b"not read by the watcher")
    tasks = TaskRunner(threads=1)
    watcher = MediaWatcher([str(stick.parent)], find_packs, tasks)
    seen: list[list[Path]] = []
    watcher.changed.connect(seen.append)
    look(qtbot, watcher, tasks)
    assert seen == [[stick / "heart-3.topicpack"]]
    subprocess.run(["umount", str(stick)], check=True)  # the stick is pulled
    look(qtbot, watcher, tasks)
    assert seen[-1] == []


def test_volumes_outside_the_watched_roots_are_ignored(
    qtbot: QtBot, stick: Path, tmp_path: Path
) -> None:
    (stick / "a.topicpack").write_bytes(b"x")
    tasks = TaskRunner(threads=1)
    watcher = MediaWatcher([str(tmp_path / "elsewhere")], find_packs, tasks)
    seen: list[list[Path]] = []
    watcher.changed.connect(seen.append)
    look(qtbot, watcher, tasks)
    assert seen == [] and watcher.current == []
