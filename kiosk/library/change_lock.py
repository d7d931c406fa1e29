"""One changer of the installed library at a time, across threads and processes: the staff
screen, the inbox and a `kiosk library` command may all try to install at once.

An flock() on a file in the library, so that a process killed while holding it releases it
with its last file descriptor (nothing to clean up after a kill -9), plus a thread lock, since
flock() does not keep two threads of one process apart. Re-entrant: copying a pack into
staging holds it, and installing from there takes it again.
"""

from __future__ import annotations

import fcntl
import os
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

from kiosk.library.refusals import LibraryRefused, disk_reason

BUSY = "another install, removal or rollback is running; try again when it has finished"
_POLL_S = 0.05


class ChangeLock:
    """`prepare` runs before the lock file is opened (the store makes its folders again, in
    case they were deleted under a running kiosk)."""

    def __init__(
        self, path: Path, *, timeout: float, prepare: Callable[[], None] = lambda: None
    ) -> None:
        self.path = path
        self._timeout = timeout
        self._prepare = prepare
        self._thread_lock = threading.RLock()
        self._fd: int | None = None
        self._depth = 0

    @contextmanager
    def held(self) -> Iterator[None]:
        """Raises `LibraryRefused` when another changer keeps it past the timeout, or when the
        lock file cannot be made."""
        if not self._thread_lock.acquire(timeout=self._timeout):
            raise LibraryRefused(BUSY)
        try:
            if self._depth == 0:
                self._fd = self._take()
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1
                if self._depth == 0 and self._fd is not None:
                    os.close(self._fd)
                    self._fd = None
        finally:
            self._thread_lock.release()

    def held_if_free(self) -> ExitStack | None:
        """Held at once (leave the returned stack to release it), or None when another process
        holds it now. Raises OSError when the lock file cannot be opened."""
        fd = self._open()
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BaseException as error:
            os.close(fd)
            if isinstance(error, BlockingIOError):
                return None
            raise
        held = ExitStack()
        held.callback(os.close, fd)
        return held

    def _open(self) -> int:
        return os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)

    def _take(self) -> int:
        try:
            self._prepare()
            fd = self._open()
        except OSError as error:
            raise LibraryRefused(
                f"the library in {self.path.parent} cannot be used: {disk_reason(error)}"
            ) from None
        deadline = time.monotonic() + self._timeout
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return fd
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    os.close(fd)
                    raise LibraryRefused(BUSY) from None
                time.sleep(_POLL_S)
