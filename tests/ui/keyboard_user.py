"""A patient with a keyboard or keypad: real key events, sent where Qt sends them (to the
widget with the focus), and what the patient would notice about where the focus is."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QScrollArea, QWidget
from pytestqt.qtbot import QtBot

from kiosk.ui.status_line import focus_name
from kiosk.ui.window import KioskWindow
from tests.ui.geometry import settle

K = Qt.Key


def ready(qtbot: QtBot, window: KioskWindow) -> KioskWindow:
    """The window has the keyboard, as the only window of a kiosk does."""
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=3000)
    settle()
    return window


def focused() -> QWidget | None:
    return QApplication.focusWidget()


def where() -> str:
    """What has the focus, in the words a person would use for it."""
    return focus_name(focused())


def press(
    window: KioskWindow,
    key: Qt.Key,
    times: int = 1,
    modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier,
) -> None:
    for _ in range(times):
        QTest.keyClick(focused() or window, key, modifier)
        settle()


def type_on_keyboard(window: KioskWindow, text: str) -> None:
    for char in text:
        QTest.keyClicks(focused() or window, char)
        settle()


def press_until(window: KioskWindow, key: Qt.Key, name: str, limit: int = 40) -> None:
    for _ in range(limit):
        if where() == name:
            return
        press(window, key)
    raise AssertionError(f"{limit} presses of {key.name} never reached {name!r}; at {where()!r}")


def on_screen(widget: QWidget, rect=None) -> bool:  # type: ignore[no-untyped-def]
    """`rect` of `widget` (all of it by default) is inside every scroll area's view; one taller
    than the view has its top near the view's top."""
    area = rect if rect is not None else widget.rect()
    node = widget.parentWidget()
    while node is not None:
        if isinstance(node, QScrollArea):
            view = node.viewport()
            top = widget.mapTo(view, area.topLeft()).y()
            fits = top + area.height() <= view.height()
            if top < 0 or not (fits or top <= view.height() // 4):
                return False
        node = node.parentWidget()
    return True
