"""Kiosk mode: fullscreen, frameless, no cursor, and no way out for a patient.

Only what a patient can do is refused: key combinations and close requests (keys, a window
manager). Staff leave through the staff panel; systemd's SIGTERM and Ctrl+C in a terminal
end the event loop without asking the window (see the CLI's run command).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QGuiApplication, QKeyEvent
from PySide6.QtWidgets import QApplication, QWidget

# Escape is not here: it is a patient's Back key (kiosk/ui/keys.py), and goes nowhere else.
_WAY_OUT_KEYS = (Qt.Key.Key_F11, Qt.Key.Key_Close)
_COMBINATIONS = (
    Qt.KeyboardModifier.ControlModifier
    | Qt.KeyboardModifier.AltModifier
    | Qt.KeyboardModifier.MetaModifier
)


class KioskMode(QObject):
    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self._window = window
        self.active = False
        window.installEventFilter(self)

    def enter(self) -> None:
        window = self._window
        self.active = True
        window.setWindowFlags(window.windowFlags() | Qt.WindowType.FramelessWindowHint)
        QGuiApplication.setOverrideCursor(Qt.CursorShape.BlankCursor)
        app = QApplication.instance()
        assert app is not None
        app.installEventFilter(self)  # every key, whichever widget has focus
        # Without a window manager (a bare X server) "fullscreen" is only a request; the
        # geometry makes it so anyway. Under cage or a WM the two agree.
        screen = window.screen() or QGuiApplication.primaryScreen()
        if screen is not None:
            window.setGeometry(screen.geometry())
        window.showFullScreen()

    def leave(self) -> None:
        """Staff asked to leave: the window may close, keys work again."""
        if not self.active:
            return
        self.active = False
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
        QGuiApplication.restoreOverrideCursor()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if not self.active:
            return False
        kind = event.type()
        if kind == QEvent.Type.Close and watched is self._window:
            event.ignore()
            return True
        if kind == QEvent.Type.Shortcut:
            return True
        if kind in (QEvent.Type.KeyPress, QEvent.Type.ShortcutOverride):
            assert isinstance(event, QKeyEvent)
            if event.modifiers() & _COMBINATIONS or event.key() in _WAY_OUT_KEYS:
                event.accept()  # an accepted ShortcutOverride keeps shortcuts from firing
                return True
        return False
