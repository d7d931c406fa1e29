"""What staff do at the kiosk: the hidden way in (a long press on the disclaimer), the PIN,
the staff panel (roll back, remove, leave kiosk mode), packs from a USB stick, and the inbox
a sync tool fills.

Everything that touches the disk (the PIN check's scrypt, the installed list, installing,
reading the library again, looking at sticks and the inbox) runs on a worker; this room
only shows results. It never calls into the window: a new library is one signal,
`library_changed`, with the library already read.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QWidget

from kiosk.config import Settings
from kiosk.library.catalog import Catalog
from kiosk.library.desk import Inbox, StaffDesk
from kiosk.library.store import InstalledPack, LibraryRefused
from kiosk.staff import PinCheck
from kiosk.tasks import TaskRunner
from kiosk.ui.media_watch import MediaWatcher
from kiosk.ui.overlays import Overlay
from kiosk.ui.staff import LongPress, PackRow, PinOverlay, StaffPanel, UsbOverlay
from kiosk.ui.widgets import Tile

log = logging.getLogger(__name__)
INBOX_POLL_MS = 10_000


class StaffFlow(QObject):
    library_changed = Signal(object)  # the Catalog as it now is on disk
    opening = Signal()  # a staff screen is about to show (speech stops)
    exit_requested = Signal()

    def __init__(self, desk: StaffDesk, settings: Settings, host: QWidget, footer: QWidget) -> None:
        """`host` is the page area the overlays cover; a long press on `footer` opens the PIN."""
        super().__init__(host)
        self.desk = desk
        self.tasks = TaskRunner(threads=1, parent=self)
        self.status = ""  # the last inbox result, shown when the panel opens
        self._usb_after_pin = False
        self.pin = PinOverlay(host)
        self.pin.submitted.connect(self._check_pin)
        self.panel = StaffPanel(host)
        self.panel.rollback_requested.connect(self._rollback)
        self.panel.remove_requested.connect(self._remove)
        self.panel.usb_requested.connect(self._open_usb)
        self.panel.exit_requested.connect(self.exit_requested)
        self.usb = UsbOverlay(host)
        self.usb.install_requested.connect(self._install)
        self.banner = Tile("")  # wraps: at 200% on a narrow screen it takes two lines
        self.banner.setObjectName("UsbBanner")
        self.banner.hide()
        self.banner.clicked.connect(lambda: self.open(usb=True))
        self.long_press = LongPress(footer)
        self.long_press.held.connect(lambda: self.open(usb=False))
        self.media = MediaWatcher(settings["packs.watch_roots"], desk.find, self.tasks, self)
        self.media.changed.connect(self.show_stick)
        self.media.start()
        self.inbox: Inbox | None = None
        if folder := str(settings["packs.inbox"]):
            self.inbox = Inbox(Path(folder))
            self._inbox_timer = QTimer(self)
            self._inbox_timer.setInterval(INBOX_POLL_MS)
            self._inbox_timer.timeout.connect(self.check_inbox)
            self._inbox_timer.start()

    def overlays(self) -> list[Overlay]:
        return [self.pin, self.panel, self.usb]

    def close_all(self) -> None:
        for overlay in self.overlays():
            overlay.hide()

    # -- the way in --------------------------------------------------------------------------

    def open(self, *, usb: bool) -> None:
        self.opening.emit()
        self._usb_after_pin = usb
        self.pin.ask()

    def _check_pin(self, pin: str) -> None:
        desk = self.desk
        (
            self.tasks.op(lambda: desk.check_pin(pin, time.time()), "checking the staff PIN")
            .success(self._pin_checked)
            .failure(lambda error: self.pin.show_result(PinCheck(False, f"{error}")))
            .run()
        )

    def _pin_checked(self, result: PinCheck) -> None:
        self.pin.show_result(result)
        if result.ok and self._usb_after_pin:
            self._open_usb()
        elif result.ok:
            self.show_panel()

    # -- the panel ---------------------------------------------------------------------------

    def show_panel(self, status: str = "") -> None:
        desk, status = self.desk, status or self.status

        def shown(packs: list[InstalledPack]) -> None:
            rows = [PackRow(p.id, p.title, p.version, p.previous_version) for p in packs]
            self.panel.show_panel(rows, status, usb=bool(self.media.current))

        (
            self.tasks.op(desk.installed, "listing the installed packs")
            .success(shown)
            .failure(lambda error: self.panel.show_panel([], f"That did not work: {error}"))
            .run()
        )

    def _change(self, work: Callable[[], str]) -> None:
        """Roll back or remove, then read the library as it now is, both on the worker; the
        panel shows what happened."""
        desk = self.desk

        def changed(result: tuple[str, Catalog]) -> None:
            message, catalog = result
            self.library_changed.emit(catalog)
            self.show_panel(message)

        def failed(error: Exception) -> None:
            refused = isinstance(error, LibraryRefused)
            self.show_panel(str(error) if refused else f"That did not work: {error}")

        (
            self.tasks.op(lambda: (work(), desk.catalog()), "changing the library")
            .success(changed)
            .failure(failed)
            .run()
        )

    def _rollback(self, pack_id: str) -> None:
        def work() -> str:
            pack = self.desk.rollback(pack_id)
            return f"{pack.title} is back to version {pack.version}."

        self._change(work)

    def _remove(self, pack_id: str) -> None:
        def work() -> str:
            self.desk.remove(pack_id)
            return f"Removed {pack_id}."

        self._change(work)

    def reload(self) -> None:
        """Read the library again (something else changed it on disk)."""
        (
            self.tasks.op(self.desk.catalog, "reading the library")
            .success(self.library_changed.emit)
            .run()
        )

    # -- a USB stick -------------------------------------------------------------------------

    def show_stick(self, archives: list[Path]) -> None:
        count = len(archives)
        text = f"Staff: {count} topic pack{'s' if count != 1 else ''} on the USB stick. Tap here."
        self.banner.title_label.setText(text)
        self.banner.setAccessibleName(text)
        self.banner.setVisible(bool(archives))

    def _open_usb(self) -> None:
        desk, usb, archives = self.desk, self.usb, list(self.media.current)
        self.panel.hide()
        usb.show_checking(len(archives))
        (
            self.tasks.op(lambda: [desk.examine(a) for a in archives], "checking the stick")
            .success(usb.show_offers)
            .failure(lambda error: usb.show_summary([f"The packs could not be checked: {error}"]))
            .run()
        )

    def _install(self, archives: list[Path]) -> None:
        desk, usb = self.desk, self.usb

        def work() -> tuple[list[str], Catalog]:
            lines = []
            for index, archive in enumerate(archives):
                try:
                    pack = desk.install(
                        archive, partial(_share, usb.progress.emit, index, len(archives))
                    )
                except LibraryRefused as error:
                    lines.append(f"{archive.name}: not installed. {error}")
                else:
                    lines.append(f"Installed {pack.title}, version {pack.version}.")
            # Read here, on the worker: a new pack of thousands of topics is parsed once
            # (then kept in the topic cache), which must not freeze the screen.
            return lines, desk.catalog()

        def done(result: tuple[list[str], Catalog]) -> None:
            lines, catalog = result
            self.library_changed.emit(catalog)
            usb.show_summary(lines)

        (
            self.tasks.op(work, "installing from the stick")
            .success(done)
            .failure(lambda error: usb.show_summary([str(error)]))
            .run()
        )

    # -- the inbox ---------------------------------------------------------------------------

    def check_inbox(self) -> None:
        """Packs a sync tool dropped in the inbox install by themselves, with every check.
        The look at the folder, each install and the reading of the new library all run on
        the worker, one after the other."""
        if self.inbox is None:
            return
        inbox, desk = self.inbox, self.desk
        (
            self.tasks.op(inbox.ready, "looking in the inbox")
            .success(lambda ready: self._install_from_inbox(desk, ready))
            .run()
        )

    def _install_from_inbox(self, desk: StaffDesk, archives: list[Path]) -> None:
        for archive in archives:
            self._install_one(desk, archive)

    def _install_one(self, desk: StaffDesk, archive: Path) -> None:
        def done(result: tuple[InstalledPack, Catalog]) -> None:
            pack, catalog = result
            self.status = f"Inbox: installed {pack.title}, version {pack.version}."
            log.info("%s (%s)", self.status, archive.name)
            self.library_changed.emit(catalog)

        def failed(error: Exception) -> None:
            self.status = f"Inbox: {archive.name} was not installed. {error}"
            log.warning("%s", self.status)

        (
            self.tasks.op(lambda: (desk.install(archive), desk.catalog()), "installing from inbox")
            .success(done)
            .failure(failed)
            .run()
        )


def _share(emit: Callable[[float], None], index: int, count: int, fraction: float) -> None:
    """Progress of one pack out of `count`, as a share of the whole bar."""
    emit((index + fraction) / count)
