"""Staff-only screens: the hidden way in (a long press on the disclaimer), the PIN keypad and
the staff panel. A patient who finds the long press meets a PIN with a growing lockout."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QGridLayout, QLabel, QProgressBar, QPushButton, QWidget

from kiosk.library.offers import Offer
from kiosk.staff import PinCheck
from kiosk.ui import roles
from kiosk.ui.announce import announce
from kiosk.ui.overlays import Overlay, card_title
from kiosk.ui.theme import Theme
from kiosk.ui.widgets import ButtonBar, Tile, wrapped_label

LONG_PRESS_MS = 3000
CONFIRM_MS = 5000


class LongPress(QObject):
    """Emits `held` when the watched widget is pressed for LONG_PRESS_MS without letting go."""

    held = Signal()

    def __init__(self, target: QWidget, ms: int = LONG_PRESS_MS) -> None:
        super().__init__(target)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(ms)
        self._timer.timeout.connect(self.held)
        target.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind in (QEvent.Type.MouseButtonPress, QEvent.Type.TouchBegin):
            self._timer.start()
        elif kind in (
            QEvent.Type.MouseButtonRelease,
            QEvent.Type.TouchEnd,
            QEvent.Type.TouchCancel,
            QEvent.Type.Leave,
        ):
            self._timer.stop()
        return False


class PinOverlay(Overlay):
    """A big numeric keypad. The digits typed show as dots; nothing is echoed. OK hands the
    digits to whoever checks them (scrypt takes tens of milliseconds: not on this thread) and
    the keypad waits for `show_result`."""

    submitted = Signal(str)

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self._digits = ""
        self.checking = False
        self.card_layout.addWidget(card_title("Staff PIN"))
        self.dots = QLabel("")
        self.dots.setObjectName("CardTitle")
        self.dots.setAccessibleName("PIN digits entered")
        self.card_layout.addWidget(self.dots)
        self.message = wrapped_label("", "Hint")
        self.card_layout.addWidget(self.message)
        pad = QWidget()
        grid = QGridLayout(pad)
        self.keys: dict[str, QPushButton] = {}
        for index, key in enumerate(["1", "2", "3", "4", "5", "6", "7", "8", "9", "⌫", "0", "OK"]):
            button = QPushButton(key)
            button.setAccessibleName({"⌫": "Delete"}.get(key, key))
            button.clicked.connect(lambda _=False, k=key: self.press(k))
            grid.addWidget(button, index // 3, index % 3)
            self.keys[key] = button
        self.card_layout.addWidget(pad)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.clicked.connect(self.close_overlay)
        self.card_layout.addWidget(self.cancel_button)

    def ask(self) -> None:
        self._digits = ""
        self.checking = False
        self.dots.setText("")
        self.message.setText("Enter the staff PIN.")
        self.open()

    def press(self, key: str) -> None:
        if self.checking:
            return  # keys wait for the answer to the PIN already sent
        if key == "⌫":
            self._digits = self._digits[:-1]
        elif key == "OK":
            digits, self._digits = self._digits, ""
            self.checking = True
            self.message.setText("Checking…")
            announce(self.message, "Checking")
            self.submitted.emit(digits)
        elif len(self._digits) < 12:
            self._digits += key
        self.dots.setText("●" * len(self._digits))
        self.dots.setAccessibleName(f"PIN digits entered: {len(self._digits)}")

    # -- a physical keyboard or keypad (kiosk/ui/keys.py) -------------------------------------

    def typed(self, text: str) -> bool:
        digits = [char for char in text if char in self.keys and char.isdigit()]
        for digit in digits:
            self.press(digit)
        return bool(digits)

    def erase(self) -> bool:
        """Backspace deletes a digit; with none, it closes the keypad (Back)."""
        if not self._digits:
            return False
        self.press("⌫")
        return True

    def enter_pressed(self) -> bool:
        self.press("OK")
        return True

    def show_result(self, result: PinCheck) -> None:
        self.checking = False
        if result.ok:
            self.hide()
        else:
            self.message.setText(result.message)
            announce(self.message, result.message, assertive=True)


@dataclass(frozen=True, slots=True)
class PackRow:
    """One installed pack as the staff panel lists it."""

    id: str
    title: str
    version: int
    previous_version: int | None


class StaffPanel(Overlay):
    """Installed packs (roll back, remove), packs waiting on a USB stick, and the way out."""

    rollback_requested = Signal(str)
    remove_requested = Signal(str)
    usb_requested = Signal()
    exit_requested = Signal()

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.card_layout.addWidget(card_title("Staff panel"))
        self.status = wrapped_label("", "Hint")
        self.card_layout.addWidget(self.status)
        self.packs_heading = roles.heading(wrapped_label("Installed packs", "SectionTitle"), 3)
        self.card_layout.addWidget(self.packs_heading)
        self.rows = QWidget()
        self.rows_layout = QGridLayout(self.rows)
        self.rows_layout.setContentsMargins(0, 0, 0, 0)
        self.card_layout.addWidget(self.rows)
        self.usb_button = QPushButton("Install from USB")
        self.usb_button.clicked.connect(self.usb_requested)
        self.exit_button = QPushButton("Exit kiosk mode")
        self.exit_button.clicked.connect(self.exit_requested)
        self.close_button = QPushButton("Close")
        self.close_button.clicked.connect(self.close_overlay)
        self.action_bar = ButtonBar("StaffActions")
        self.action_bar.set_buttons([self.usb_button, self.exit_button, self.close_button])
        self.card_layout.addWidget(self.action_bar)
        self._row_widgets: list[QWidget] = []

    def apply_theme(self, theme: Theme) -> None:
        super().apply_theme(theme)
        self.rows_layout.setSpacing(theme.gap)
        self.action_bar.set_spacing(0, theme.gap)

    def _confirm_remove(self, button: QPushButton, pack_id: str) -> None:
        """Removing is the one step that loses something: the first tap asks, the second
        (within CONFIRM_MS) removes."""
        if button.property("armed"):
            self.remove_requested.emit(pack_id)
            return
        button.setProperty("armed", True)
        button.setText("Tap again to remove")

        def disarm() -> None:
            if button.property("armed"):
                button.setProperty("armed", False)
                button.setText("Remove")

        QTimer.singleShot(CONFIRM_MS, button, disarm)

    def show_panel(self, packs: Sequence[PackRow], status: str = "", usb: bool = False) -> None:
        for widget in self._row_widgets:
            self.rows_layout.removeWidget(widget)
            widget.hide()
            widget.deleteLater()
        self._row_widgets = []
        if not packs:
            empty = wrapped_label("No packs are installed. The sample topics are shown.")
            self.rows_layout.addWidget(empty, 0, 0)
            self._row_widgets.append(empty)
        for row, pack in enumerate(packs):
            previous = (
                f" (can go back to version {pack.previous_version})"
                if pack.previous_version
                else ""
            )
            label = wrapped_label(f"{pack.title}: version {pack.version}{previous}")
            label.setAccessibleDescription(pack.id)
            back = QPushButton("Roll back")
            back.setEnabled(pack.previous_version is not None)
            back.clicked.connect(lambda _=False, i=pack.id: self.rollback_requested.emit(i))
            remove = QPushButton("Remove")
            remove.clicked.connect(lambda _=False, b=remove, i=pack.id: self._confirm_remove(b, i))
            bar = ButtonBar("PackActions")
            bar.set_buttons([back, remove])
            self.rows_layout.addWidget(label, row * 2, 0)
            self.rows_layout.addWidget(bar, row * 2 + 1, 0)
            self._row_widgets += [label, bar]
        self.status.setText(status)
        self.status.setVisible(bool(status))
        self.usb_button.setVisible(usb)
        self.action_bar.set_buttons(
            [
                b
                for b in (self.usb_button, self.exit_button, self.close_button)
                if b is not self.usb_button or usb
            ]
        )
        self.open()
        announce(self.status, status)


class UsbOverlay(Overlay):
    """Packs found on a stick: what each is and what it would change, then install."""

    install_requested = Signal(list)  # archive paths
    progress = Signal(float)  # may be emitted from a worker thread: queued to this one

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.card_layout.addWidget(card_title("Packs on the USB stick"))
        self.status = wrapped_label("", "Hint")
        self.card_layout.addWidget(self.status)
        self.list = QWidget()
        self.list_layout = QGridLayout(self.list)
        self.list_layout.setContentsMargins(0, 0, 0, 0)
        self.card_layout.addWidget(self.list)
        self.bar = QProgressBar()
        self.bar.setRange(0, 1000)
        self.bar.setTextVisible(False)
        self.bar.hide()
        self.card_layout.addWidget(self.bar)
        self.install_button = QPushButton("Install the chosen packs")
        self.install_button.clicked.connect(self._install)
        self.close_button = QPushButton("Close")
        self.close_button.clicked.connect(self.close_overlay)
        self.action_bar = ButtonBar("UsbActions")
        self.action_bar.set_buttons([self.install_button, self.close_button])
        self.card_layout.addWidget(self.action_bar)
        self.tiles: list[Tile] = []
        self._paths: dict[int, Path] = {}
        self.progress.connect(lambda fraction: self.bar.setValue(round(fraction * 1000)))

    def apply_theme(self, theme: Theme) -> None:
        super().apply_theme(theme)
        self.list_layout.setSpacing(theme.gap)
        self.bar.setMinimumHeight(theme.cpx(24))

    def show_checking(self, count: int) -> None:
        self._set_tiles([])
        self.status.setText(f"Checking {count} pack{'s' if count != 1 else ''}…")
        self.install_button.setEnabled(False)
        self.bar.hide()
        self.open()
        announce(self.status, self.status.text())

    def show_offers(self, offers: Sequence[Offer]) -> None:
        tiles = []
        self._paths = {}
        for offer in offers:
            tile = Tile(offer.title, offer.details())
            tile.setCheckable(True)
            tile.setChecked(offer.installable)
            tile.setEnabled(offer.installable)
            tile.set_current(offer.installable)
            tile.toggled.connect(lambda on, t=tile: self._toggled(t, on))
            self._paths[id(tile)] = offer.archive
            tiles.append(tile)
        self._set_tiles(tiles)
        ready = sum(o.installable for o in offers)
        self.status.setText(
            f"{ready} of {len(offers)} can be installed." if offers else "No packs were found."
        )
        announce(self.status, self.status.text())
        self._count()

    def _toggled(self, tile: Tile, on: bool) -> None:
        tile.set_current(on)
        self._count()

    def _count(self) -> None:
        self.install_button.setEnabled(any(t.isChecked() for t in self.tiles))

    def _set_tiles(self, tiles: list[Tile]) -> None:
        for tile in self.tiles:
            self.list_layout.removeWidget(tile)
            tile.hide()
            tile.deleteLater()
        self.tiles = tiles
        for row, tile in enumerate(tiles):
            self.list_layout.addWidget(tile, row, 0)

    def _install(self) -> None:
        chosen = [self._paths[id(t)] for t in self.tiles if t.isChecked() and t.isEnabled()]
        if not chosen:
            return
        self.install_button.setEnabled(False)
        for tile in self.tiles:
            tile.setEnabled(False)
        self.bar.setValue(0)
        self.bar.show()
        self.status.setText("Installing… Do not pull out the stick.")
        announce(self.status, self.status.text(), assertive=True)
        self.install_requested.emit(chosen)

    def show_summary(self, lines: Sequence[str]) -> None:
        self.bar.hide()
        self.status.setText("\n".join(lines))
        announce(self.status, " ".join(lines))
        self.install_button.setEnabled(False)
