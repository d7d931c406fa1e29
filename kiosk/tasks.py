"""Run blocking work off the GUI thread and get the result back on it (after Picard's
`run_task` and Anki's `QueryOp`). Worker code never touches widgets."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal


class _Relay(QObject):
    """Lives on the GUI thread; signals emitted from a worker are queued to it."""

    done = Signal(object)
    failed = Signal(object)


class _Job(QRunnable):
    def __init__(self, work: Callable[[], Any], relay: _Relay) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self._work = work
        self._relay = relay

    def run(self) -> None:
        try:
            result = self._work()
        except Exception as error:
            self._relay.failed.emit(error)
        else:
            self._relay.done.emit(result)


class TaskRunner(QObject):
    """One pool of worker threads; `run` keeps each relay alive until its result arrives."""

    def __init__(self, threads: int = 2, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(threads)
        self._relays: set[_Relay] = set()

    def run(
        self,
        work: Callable[[], Any],
        on_done: Callable[[Any], None],
        on_error: Callable[[BaseException], None],
    ) -> None:
        relay = _Relay(self)
        self._relays.add(relay)

        def finish(callback: Callable[[Any], None], value: Any) -> None:
            self._relays.discard(relay)
            relay.deleteLater()
            callback(value)

        relay.done.connect(lambda value: finish(on_done, value))
        relay.failed.connect(lambda error: finish(on_error, error))
        self.pool.start(_Job(work, relay))

    def wait(self, msecs: int = 5000) -> bool:
        return self.pool.waitForDone(msecs)
