"""A stop signal that comes while the kiosk is still starting (systemd can stop it at any
moment) is acted on once the event loop runs, not lost: the kiosk leaves with exit code 0."""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from kiosk.cli.run import leave_on_stop_signals

GIVE_UP_CODE = 99


@pytest.fixture
def own_handlers(qapp: QApplication) -> Iterator[None]:
    """Put back the handlers the test run had (pytest's own for SIGINT), and stop the timer
    that lets Python run them."""
    before = {s: signal.getsignal(s) for s in (signal.SIGTERM, signal.SIGINT)}
    timers = set(qapp.findChildren(QTimer))
    yield
    for number, handler in before.items():
        signal.signal(number, handler)
    for timer in set(qapp.findChildren(QTimer)) - timers:
        timer.stop()
        timer.deleteLater()


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_a_stop_signal_before_the_event_loop_runs_ends_it(
    qapp: QApplication, own_handlers: None, stop: signal.Signals
) -> None:
    leave_on_stop_signals(qapp)
    os.kill(os.getpid(), stop)  # Python runs the handler here, before exec()
    QTimer.singleShot(3000, lambda: qapp.exit(GIVE_UP_CODE))
    assert qapp.exec() == 0
