"""Notices when nobody has touched the screen for a while.

Installed on the application, so every press, touch, key and wheel anywhere counts; speech
(issue 3) counts through `poke()`.

A key is activity but not a tap on what has the focus: moving through the page (or pressing
Pause) must not stop the speech as a tap elsewhere does. Keys that act say so themselves
(kiosk/ui/keys.py, `acting`).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QTimer, Signal

_TOUCHES = {
    QEvent.Type.MouseButtonPress,
    QEvent.Type.TouchBegin,
    QEvent.Type.TouchUpdate,
    QEvent.Type.Wheel,
}


class IdleWatcher(QObject):
    idle = Signal()
    activity = Signal(QObject)  # the widget that was touched

    def __init__(self, timeout_ms: int, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.idle)
        self.set_timeout(timeout_ms)

    def set_timeout(self, timeout_ms: int) -> None:
        self._timer.setInterval(timeout_ms)
        self._timer.start()

    def poke(self) -> None:
        """Something is happening that a person is following (a touch, or speech)."""
        self._timer.start()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind == QEvent.Type.KeyPress:
            self._timer.start()
        elif kind in _TOUCHES and watched.isWidgetType():
            self._timer.start()
            self.activity.emit(watched)
        return False
