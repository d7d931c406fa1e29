"""Run blocking work off the GUI thread and get the result back on it.

In the manner of Anki's `aqt/operations` (`QueryOp(...).success(...).failure(...).run()`) and
Picard's `run_task`: the work runs on a pool thread and never touches a widget; its result
or error is delivered on the GUI thread. Two things every caller used to write for itself
live here once:

- a result that arrives after the screen moved on is dropped (`within(scope)`, and
  `scope.move_on()` when the screen moves on), with an optional `dropped` callback to free
  what the late result holds;
- an error nobody handles is logged in one place, with what the work was for.

Lives beside the UI, not in it: the narrator (speech) runs its synthesis through it too.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

log = logging.getLogger(__name__)
T = TypeVar("T")


class Scope:
    """A guard against stale results: work started within a scope delivers its result only
    if the scope has not moved on since (a newer library, a stopped reading, a closed page)."""

    def __init__(self) -> None:
        self.epoch = 0

    def move_on(self) -> None:
        self.epoch += 1


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
            self._deliver(self._relay.failed, error)
        else:
            self._deliver(self._relay.done, result)

    @staticmethod
    def _deliver(signal: Any, value: object) -> None:
        # RuntimeError: its window was closed meanwhile (the kiosk is exiting): nobody to tell.
        with contextlib.suppress(RuntimeError):
            signal.emit(value)


class Operation(Generic[T]):
    """One piece of blocking work: build it, say what happens with its result, run it."""

    def __init__(self, runner: TaskRunner, work: Callable[[], T], what: str) -> None:
        self._runner = runner
        self._work = work
        self._what = what
        self._success: Callable[[T], None] = lambda _result: None
        self._failure: Callable[[Exception], None] | None = None
        self._dropped: Callable[[T], None] | None = None
        self._scope: Scope | None = None

    def success(self, callback: Callable[[T], None]) -> Operation[T]:
        self._success = callback
        return self

    def failure(self, callback: Callable[[Exception], None]) -> Operation[T]:
        self._failure = callback
        return self

    def within(self, scope: Scope) -> Operation[T]:
        self._scope = scope
        return self

    def dropped(self, callback: Callable[[T], None]) -> Operation[T]:
        """Called instead of `success` with a result that arrived too late (to close it)."""
        self._dropped = callback
        return self

    def run(self) -> None:
        scope, epoch = self._scope, self._scope.epoch if self._scope is not None else 0

        def stale() -> bool:
            return scope is not None and scope.epoch != epoch

        def succeeded(result: T) -> None:
            if not stale():
                self._success(result)
            elif self._dropped is not None:
                self._dropped(result)

        def failed(error: Exception) -> None:
            if stale():
                log.info("%s failed after it was no longer needed: %s", self._what, error)
            elif self._failure is not None:
                self._failure(error)
            else:
                log.warning("%s failed: %s", self._what, error)

        self._runner.start(self._work, succeeded, failed)


class TaskRunner(QObject):
    """One pool of worker threads; keeps each relay alive until its result arrives."""

    def __init__(self, threads: int = 2, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(threads)
        self._relays: set[_Relay] = set()

    @property
    def busy(self) -> bool:
        """Some work has not delivered its result yet."""
        return bool(self._relays)

    def op(self, work: Callable[[], T], what: str) -> Operation[T]:
        """`what` names the work for the log if it fails ("reading the library")."""
        return Operation(self, work, what)

    def start(
        self,
        work: Callable[[], Any],
        on_done: Callable[[Any], None],
        on_error: Callable[[Exception], None],
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
