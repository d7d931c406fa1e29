"""Notices USB sticks with topic packs: looks at the mounted volumes (QStorageInfo) under the
configured mount roots every few seconds. The look runs on a worker: a stick that is slow to
answer (or pulled mid-listing) must not hold up a patient's tap."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import QObject, QStorageInfo, QTimer, Signal

from kiosk.tasks import TaskRunner

log = logging.getLogger(__name__)

POLL_MS = 2000


def _under(path: str, roots: Sequence[str]) -> bool:
    return any(path == root or path.startswith(root.rstrip("/") + "/") for root in roots)


class MediaWatcher(QObject):
    """Emits `changed(list of archives)` whenever the packs on mounted sticks change;
    an empty list means the stick (or its packs) went away."""

    changed = Signal(list)

    def __init__(
        self,
        roots: Sequence[str],
        find: Callable[[Path], list[Path]],
        tasks: TaskRunner,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.roots = [r for r in roots if r]
        self._find = find
        self._tasks = tasks
        self._looking = self._again = False
        self.current: list[Path] = []
        self._timer = QTimer(self)
        self._timer.setInterval(POLL_MS)
        self._timer.timeout.connect(self.poll)

    def start(self) -> None:
        self.poll()
        self._timer.start()

    def look(self) -> list[Path]:
        """The packs on the mounted sticks now (blocking: reads the mount table and lists
        each stick's top folder)."""
        found: list[Path] = []
        for volume in QStorageInfo.mountedVolumes():
            root = volume.rootPath()
            if volume.isValid() and volume.isReady() and _under(root, self.roots):
                found += self._find(Path(root))
        return found

    def poll(self) -> None:
        """Look again on the worker; if a look is under way, once more after it (what it
        saw may be older than this call)."""
        if self._looking:
            self._again = True
            return
        self._looking, self._again = True, False
        (
            self._tasks.op(self.look, "looking for USB sticks")
            .success(self._seen)
            .failure(self._failed)
            .run()
        )

    def _failed(self, error: Exception) -> None:
        log.warning("could not look for USB sticks: %s", error)
        self._done()

    def _seen(self, found: list[Path]) -> None:
        if found != self.current:
            self.current = found
            self.changed.emit(list(found))
        self._done()

    def _done(self) -> None:
        self._looking = False
        if self._again:
            self.poll()
