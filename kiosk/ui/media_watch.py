"""Notices USB sticks with topic packs: polls the mounted volumes (QStorageInfo) under the
configured mount roots. A poll is cheap (a mount table read, one folder listing per stick)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import QObject, QStorageInfo, QTimer, Signal

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
        parent: QObject | None = None,
        *,
        volumes: Callable[[], list[str]] | None = None,
    ) -> None:
        super().__init__(parent)
        self.roots = [r for r in roots if r]
        self._find = find
        self._volumes = volumes or self._mounted
        self.current: list[Path] = []
        self._timer = QTimer(self)
        self._timer.setInterval(POLL_MS)
        self._timer.timeout.connect(self.poll)

    def start(self) -> None:
        self.poll()
        self._timer.start()

    def _mounted(self) -> list[str]:
        return [
            volume.rootPath()
            for volume in QStorageInfo.mountedVolumes()
            if volume.isValid() and volume.isReady() and _under(volume.rootPath(), self.roots)
        ]

    def poll(self) -> None:
        found: list[Path] = []
        for root in self._volumes():
            found += self._find(Path(root))
        if found != self.current:
            self.current = found
            self.changed.emit(list(found))
