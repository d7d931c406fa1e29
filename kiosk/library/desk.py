"""Everything the staff screens ask of the library, in one object the window is given.

No Qt: each call is a plain, possibly slow, function; the UI runs the slow ones (examine,
install) on a worker thread. Every refusal arrives as `LibraryRefused` with one line.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from kiosk.library.catalog import Catalog
from kiosk.library.installer import install_archive
from kiosk.library.offers import Offer, examine
from kiosk.library.store import InstalledPack, LibraryStore
from kiosk.packs.delivery import Trust
from kiosk.packs.discovery import find_packs
from kiosk.staff import PinCheck, PinStore


class StaffDesk:
    def __init__(
        self,
        store: LibraryStore,
        trust: Trust,
        pins: PinStore,
        load_catalog: Callable[[], Catalog],
    ) -> None:
        self.store = store
        self.trust = trust
        self.pins = pins
        self._load_catalog = load_catalog

    def check_pin(self, pin: str, now: float | None = None) -> PinCheck:
        return self.pins.check(pin, time.time() if now is None else now)

    def installed(self) -> list[InstalledPack]:
        return self.store.installed()

    def rollback(self, pack_id: str) -> InstalledPack:
        return self.store.rollback(pack_id)

    def remove(self, pack_id: str) -> None:
        self.store.remove(pack_id)

    def find(self, root: Path) -> list[Path]:
        return find_packs(root)

    def examine(self, archive: Path) -> Offer:
        return examine(self.store, archive, self.trust)

    def install(
        self, archive: Path, progress: Callable[[float], None] | None = None
    ) -> InstalledPack:
        return install_archive(self.store, archive, self.trust, progress=progress)

    def catalog(self) -> Catalog:
        """The library as it is on disk now (after an install, removal or rollback)."""
        return self._load_catalog()


class Inbox:
    """A folder a sync tool fills. A pack is ready once its size and time have not changed
    between two looks (sync tools write under a hidden temp name, but not all of them), and
    each ready file is offered once."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._last: dict[Path, tuple[int, float]] = {}
        self._done: set[tuple[Path, int, float]] = set()

    def ready(self) -> list[Path]:
        seen: dict[Path, tuple[int, float]] = {}
        for archive in find_packs(self.folder, depth=0):
            try:
                info = archive.stat()
            except OSError:
                continue
            seen[archive] = (info.st_size, info.st_mtime)
        ready = [
            path
            for path, stamp in seen.items()
            if self._last.get(path) == stamp and (path, *stamp) not in self._done
        ]
        for path in ready:
            self._done.add((path, *seen[path]))
        self._last = seen
        return ready
