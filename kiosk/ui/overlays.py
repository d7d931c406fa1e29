"""In-window overlays instead of dialogs: they cover the page area only, so the disclaimer
footer below stays visible, and there is no separate window a patient could lose."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QHideEvent, QMouseEvent
from PySide6.QtWidgets import QApplication, QFrame, QLabel, QPushButton, QVBoxLayout, QWidget
from shiboken6 import isValid

from kiosk.speech.choices import RATES, VOLUMES
from kiosk.ui import roles
from kiosk.ui.announce import announce
from kiosk.ui.focus import focus_on, holds_focus, reading_order
from kiosk.ui.theme import Theme
from kiosk.ui.widgets import ButtonBar, ScrollPage, Tile, TileGrid, wrapped_label

if TYPE_CHECKING:
    from kiosk.speech.narrator import Narrator


SAY_AGAIN_AT_S = 10  # "Still reading?" says its countdown again this near the end


def card_title(text: str) -> QLabel:
    """An overlay's title: a heading of level 2 (the page under it has the level 1)."""
    return roles.heading(wrapped_label(text, "CardTitle"), 2)


class Overlay(QWidget):
    """Covers its parent (the page area) and keeps covering it when the parent resizes.

    Modal for keys: opening takes the focus (`first_stop`), keys stay inside it while it is
    open (kiosk/ui/keys.py), and closing gives the focus back to where it was."""

    dismissed = Signal()

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("Overlay")
        roles.mark(self, "dialog")  # modal, named by its card's title
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self._host = parent
        self._outer = outer = QVBoxLayout(self)
        self.area = ScrollPage()
        self.area.setObjectName("OverlayArea")  # transparent: see Theme.style_sheet
        outer.addWidget(self.area)
        self.card = QFrame()
        self.card.setObjectName("Card")
        self.card_layout = QVBoxLayout(self.card)
        self.area.column.addStretch(1)
        self.area.column.addWidget(self.card)
        self.area.column.addStretch(1)
        parent.installEventFilter(self)
        self._return_to: QWidget | None = None
        self.hide()

    def apply_theme(self, theme: Theme) -> None:
        margin = theme.cpx(24)
        self._outer.setContentsMargins(margin, margin // 2, margin, margin // 2)
        self.card_layout.setContentsMargins(margin, margin, margin, margin)
        self.card_layout.setSpacing(theme.gap)

    def open(self) -> None:
        if self.isHidden():
            focused = QApplication.focusWidget()
            self._return_to = None if holds_focus(self) else focused
        self.setGeometry(self._host.rect())
        self.area.to_top()
        self.show()
        self.raise_()
        stop = self.first_stop()
        if stop is not None:
            focus_on(stop)

    def first_stop(self) -> QWidget | None:
        """Where keys start: the overlay's title, unless it asks one question."""
        return next(iter(reading_order(self)), None)

    def hideEvent(self, event: QHideEvent) -> None:
        # Here, before Qt hands the focus on (to whatever follows in its own order, maybe
        # under another overlay): back to where it was when this opened.
        super().hideEvent(event)
        going_to, self._return_to = self._return_to, None
        if event.spontaneous() or not (QApplication.focusWidget() is None or holds_focus(self)):
            return
        if going_to is not None and isValid(going_to) and going_to.isVisible():
            focus_on(going_to)

    def close_overlay(self) -> None:
        if self.isVisible():
            self.hide()
            self.dismissed.emit()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._host and event.type() == QEvent.Type.Resize:
            self.setGeometry(self._host.rect())
        return False

    def mousePressEvent(self, event: QMouseEvent) -> None:
        # A tap beside the card closes the overlay, like tapping outside a dialog.
        self.close_overlay()


class StillReadingOverlay(Overlay):
    """'Still reading?' with a countdown; at zero the window goes back to the start."""

    keep_reading = Signal()
    expired = Signal()

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.card_layout.addWidget(card_title("Still reading?"))
        self.message = wrapped_label("")
        self.card_layout.addWidget(self.message)
        self.stay_button = QPushButton("Yes, keep reading")
        self.restart_button = QPushButton("Start over")
        self.card_layout.addWidget(self.stay_button)
        self.card_layout.addWidget(self.restart_button)
        self.stay_button.clicked.connect(self.close_overlay)
        self.restart_button.clicked.connect(self._expire)
        self.remaining = 0
        self._tick = QTimer(self)
        self._tick.setInterval(1000)
        self._tick.timeout.connect(self._count_down)
        self.dismissed.connect(self._tick.stop)
        self.dismissed.connect(self.keep_reading)

    def first_stop(self) -> QWidget | None:
        return self.stay_button  # one question: Enter answers it

    def start(self, seconds: int) -> None:
        self.remaining = seconds
        self._show_remaining()
        self.open()
        self._tick.start()
        announce(self.message, f"Still reading? {self.message.text()}", assertive=True)

    def _show_remaining(self) -> None:
        self.message.setText(
            "To keep your reading private, this screen goes back to the start in "
            f"{self.remaining} second{'s' if self.remaining != 1 else ''}."
        )

    def _count_down(self) -> None:
        self.remaining -= 1
        if self.remaining <= 0:
            self._expire()
        else:
            self._show_remaining()
            if self.remaining == SAY_AGAIN_AT_S:
                announce(self.message, self.message.text(), assertive=True)

    def _expire(self) -> None:
        self._tick.stop()
        self.hide()
        self.expired.emit()

    def stop(self) -> None:
        self._tick.stop()
        self.hide()


class ContentsOverlay(Overlay):
    """The table of contents of a topic: one tile a part, the current one marked."""

    part_chosen = Signal(int)

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.heading = card_title("")
        self.card_layout.addWidget(self.heading)
        self.grid = TileGrid(min_tile_width=10_000)  # one column: a list reads top to bottom
        self.card_layout.addWidget(self.grid)
        self.close_button = QPushButton("Close")
        self.close_button.clicked.connect(self.close_overlay)
        self.card_layout.addWidget(self.close_button)

    def show_contents(self, title: str, parts: Sequence[str], current: int) -> None:
        self.heading.setText(f"Contents: {title}")
        tiles = []
        for index, part in enumerate(parts):
            tile = Tile(f"{index + 1}. {part}")
            tile.set_current(index == current)
            tile.setAccessibleDescription("On screen now" if index == current else "")
            tile.clicked.connect(lambda _=False, i=index: self._choose(i))
            tiles.append(tile)
        self.grid.set_tiles(tiles)
        self.open()

    def first_stop(self) -> QWidget | None:
        current = [t for t in self.grid.tiles() if t.property("current")]
        return current[0] if current else super().first_stop()

    def _choose(self, index: int) -> None:
        self.hide()
        self.part_chosen.emit(index)


class NoticeOverlay(Overlay):
    """One plain sentence and an OK button: for something a patient should know but cannot
    change (a topic that cannot be shown just now)."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.card_layout.addWidget(card_title("Sorry"))
        self.message = wrapped_label("")
        self.card_layout.addWidget(self.message)
        self.ok_button = QPushButton("OK")
        self.ok_button.clicked.connect(self.close_overlay)
        self.card_layout.addWidget(self.ok_button)

    def show_notice(self, text: str) -> None:
        self.message.setText(text)
        self.open()
        announce(self.message, text, assertive=True)


SPEED_NAMES = {"slow": "Slow", "normal": "Normal", "fast": "Fast"}


class SoundOverlay(Overlay):
    """Speed, volume and keep-reading for the voice. Speech goes on while it is open."""

    def __init__(self, parent: QWidget, narrator: Narrator) -> None:
        super().__init__(parent)
        self.narrator = narrator
        self.card_layout.addWidget(card_title("Sound"))
        self.speed_label = wrapped_label("", "Hint")
        self.slower_button = QPushButton("− Slower")
        self.faster_button = QPushButton("+ Faster")
        self.volume_label = wrapped_label("", "Hint")
        self.quieter_button = QPushButton("− Quieter")
        self.louder_button = QPushButton("+ Louder")
        self.keep_button = Tile("⤓ Keep reading the next parts", "Off")
        self.keep_button.setCheckable(True)
        self.done_button = QPushButton("✓ Done")
        # Names are the words without the signs (not "minus Slower", "check mark Done").
        for button, name in (
            (self.slower_button, "Slower"),
            (self.faster_button, "Faster"),
            (self.quieter_button, "Quieter"),
            (self.louder_button, "Louder"),
            (self.keep_button, "Keep reading the next parts"),
            (self.done_button, "Done"),
        ):
            button.setAccessibleName(name)
        for label, buttons in (
            (self.speed_label, [self.slower_button, self.faster_button]),
            (self.volume_label, [self.quieter_button, self.louder_button]),
        ):
            self.card_layout.addWidget(label)
            bar = ButtonBar("SoundRow")
            bar.set_buttons(buttons)
            self.card_layout.addWidget(bar)
        self.card_layout.addWidget(self.keep_button)
        self.card_layout.addWidget(self.done_button)
        self.slower_button.clicked.connect(lambda: self._step_rate(-1))
        self.faster_button.clicked.connect(lambda: self._step_rate(1))
        self.quieter_button.clicked.connect(lambda: self.step_volume(-1))
        self.louder_button.clicked.connect(lambda: self.step_volume(1))
        self.keep_button.toggled.connect(self._set_keep_reading)
        self.done_button.clicked.connect(self.close_overlay)

    def show_sound(self) -> None:
        self._refresh()
        self.open()

    def _refresh(self) -> None:
        rates = list(RATES)
        rate = rates.index(self.narrator.rate)
        self.speed_label.setText(f"Speed: {SPEED_NAMES[self.narrator.rate]}")
        self.slower_button.setEnabled(rate > 0)
        self.faster_button.setEnabled(rate < len(rates) - 1)
        level = self._volume_level()
        self.volume_label.setText(f"Volume: {level + 1} of {len(VOLUMES)}")
        self.quieter_button.setEnabled(level > 0)
        self.louder_button.setEnabled(level < len(VOLUMES) - 1)
        keep = self.narrator.keep_reading
        self.keep_button.blockSignals(True)
        self.keep_button.setChecked(keep)
        self.keep_button.blockSignals(False)
        assert self.keep_button.text_label is not None
        self.keep_button.text_label.setText("On" if keep else "Off")
        self.keep_button.set_current(keep)

    def _volume_level(self) -> int:
        volume = self.narrator.volume
        return min(range(len(VOLUMES)), key=lambda i: abs(VOLUMES[i] - volume))

    def _step_rate(self, delta: int) -> None:
        rates = list(RATES)
        index = max(0, min(len(rates) - 1, rates.index(self.narrator.rate) + delta))
        self.narrator.set_rate(rates[index])
        self._refresh()

    def step_volume(self, delta: int) -> None:
        """One step louder (1) or quieter (-1): the buttons here, and the +/- keys."""
        level = max(0, min(len(VOLUMES) - 1, self._volume_level() + delta))
        self.narrator.set_volume(VOLUMES[level])
        self._refresh()

    def _set_keep_reading(self, on: bool) -> None:
        self.narrator.keep_reading = on
        self._refresh()
