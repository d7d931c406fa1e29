"""The one helper that runs blocking work off the GUI thread (kiosk/tasks.py)."""

from __future__ import annotations

import logging
import subprocess
import sys
import threading

import pytest
from pytestqt.qtbot import QtBot

from kiosk.tasks import Scope, TaskRunner


def finish(qtbot: QtBot, tasks: TaskRunner) -> None:
    qtbot.waitUntil(lambda: not tasks.busy, timeout=5000)


def test_work_runs_off_the_gui_thread_and_its_result_arrives_on_it(qtbot: QtBot) -> None:
    tasks = TaskRunner(threads=1)
    ran_on: list[str] = []
    delivered_on: list[str] = []

    def work() -> int:
        ran_on.append(threading.current_thread().name)
        return 42

    def success(result: int) -> None:
        delivered_on.append(threading.current_thread().name)
        assert result == 42

    tasks.op(work, "answering").success(success).run()
    finish(qtbot, tasks)
    assert ran_on and ran_on[0] != threading.main_thread().name
    assert delivered_on == [threading.main_thread().name]


def test_a_result_that_arrives_after_the_screen_moved_on_is_dropped(qtbot: QtBot) -> None:
    tasks = TaskRunner(threads=1)
    scope = Scope()
    release = threading.Event()
    shown: list[str] = []
    freed: list[str] = []

    def slow() -> str:
        release.wait(5)
        return "old library"

    tasks.op(slow, "reading").within(scope).success(shown.append).dropped(freed.append).run()
    scope.move_on()  # a newer library came meanwhile
    tasks.op(lambda: "new library", "reading").within(scope).success(shown.append).run()
    release.set()
    finish(qtbot, tasks)
    assert shown == ["new library"]
    assert freed == ["old library"]


def test_an_unhandled_error_is_logged_once_with_what_the_work_was(
    qtbot: QtBot, caplog: pytest.LogCaptureFixture
) -> None:
    tasks = TaskRunner(threads=1)

    def broken() -> None:
        raise OSError("No space left on device")

    with caplog.at_level(logging.WARNING, logger="kiosk.tasks"):
        tasks.op(broken, "saving the PIN").run()
        finish(qtbot, tasks)
    assert [r.getMessage() for r in caplog.records] == [
        "saving the PIN failed: No space left on device"
    ]


def test_a_handled_error_goes_to_its_handler_only(
    qtbot: QtBot, caplog: pytest.LogCaptureFixture
) -> None:
    tasks = TaskRunner(threads=1)
    seen: list[str] = []

    def broken() -> None:
        raise ValueError("bad pack")

    with caplog.at_level(logging.WARNING, logger="kiosk.tasks"):
        tasks.op(broken, "installing").failure(lambda e: seen.append(str(e))).run()
        finish(qtbot, tasks)
    assert seen == ["bad pack"] and caplog.records == []


def test_the_helper_never_loads_widgets() -> None:
    """Worker code cannot touch a widget it cannot even name (import-linter cannot say this
    of a part of PySide6, so a fresh interpreter does)."""
    code = "import sys, kiosk.tasks; print(sorted(m for m in sys.modules if 'Qt' in m))"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert "PySide6.QtWidgets" not in out and "PySide6.QtGui" not in out
    assert "PySide6.QtCore" in out
