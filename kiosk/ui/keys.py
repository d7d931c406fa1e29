"""Every key, in one place: the EZ Access keys on any USB keyboard or keypad (such keypads
present themselves as keyboards), and letters typed on a physical keyboard.

| key | does |
| --- | --- |
| Down, Tab / Up, Shift+Tab | the next / previous control or block of text, in reading order |
| Enter, keypad Enter, Space | press the control that has the focus (on text: read from there) |
| Backspace | delete the last letter typed, else go back (closing an open overlay first) |
| Escape | go back (closing an open overlay first), in kiosk mode too |
| Left / Right | the previous / next part of a topic |
| + (or =) / - | louder / quieter reading aloud, one step |
| F1, ? | what the keys do |
| letters, digits | type into search, the staff PIN; on the A-Z list, go to that letter |

Nothing needs two keys at once: "=" is louder because "+" needs Shift on most keyboards.
Ctrl, Alt and Meta combinations are left alone (kiosk mode swallows them).

An application event filter sees every key first, whichever widget has the focus, so no
widget's own handling (a scroll area scrolling on Up, a list moving its cursor) gets in the
way. Keys stay inside an open overlay. What a key does to the window (go back, change part,
volume, help) is a signal the window connects; this room never calls into the window.
A page or overlay that takes typed text has `typed(text) -> bool`, `erase() -> bool` and
`enter_pressed() -> bool` (the search page, the A-Z list, the PIN pad).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QWidget
from shiboken6 import isValid

from kiosk.ui.focus import activates, focus_on, holds_focus, inner_stops, reading_order, reveal
from kiosk.ui.overlays import Overlay
from kiosk.ui.pages import Page

K = Qt.Key
_COMBINATIONS = (
    Qt.KeyboardModifier.ControlModifier
    | Qt.KeyboardModifier.AltModifier
    | Qt.KeyboardModifier.MetaModifier
)
_NEXT = {K.Key_Down: True, K.Key_Tab: True, K.Key_Up: False, K.Key_Backtab: False}
_PRESS = {K.Key_Return, K.Key_Enter, K.Key_Space, K.Key_Select}
_PART = {K.Key_Left: -1, K.Key_Right: 1}
_VOLUME = {
    K.Key_Plus: 1,
    K.Key_Equal: 1,
    K.Key_VolumeUp: 1,
    K.Key_Minus: -1,
    K.Key_VolumeDown: -1,
}
_HELP = {K.Key_F1, K.Key_Help, K.Key_Question}


class KeyRouter(QObject):
    back_requested = Signal()  # no overlay was open
    part_requested = Signal(int)  # -1 previous, 1 next
    volume_requested = Signal(int)  # one step: 1 louder, -1 quieter
    help_requested = Signal()
    acting = Signal(QObject)  # a control is about to be pressed (speech stops, as for a tap)

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self._window = window
        app = QApplication.instance()
        assert isinstance(app, QApplication), "build the QApplication before the window"
        app.installEventFilter(self)  # removed by Qt when this router is destroyed
        app.focusChanged.connect(self._remember)

    # -- where keys are ----------------------------------------------------------------------

    def overlay(self) -> Overlay | None:
        """The open overlay on top (the last raised), which keys stay inside."""
        shown = [o for o in self._window.findChildren(Overlay) if o.isVisible()]
        return shown[-1] if shown else None

    def page(self) -> Page | None:
        return next((p for p in self._window.findChildren(Page) if p.isVisible()), None)

    def scope(self) -> QWidget:
        return self.overlay() or self._window

    def stops(self) -> list[QWidget]:
        return reading_order(self.scope())

    def current_stop(self, stops: list[QWidget]) -> QWidget | None:
        """The stop that holds the focus (a tile's label counts as the tile)."""
        return next((s for s in stops if holds_focus(s)), None)

    def show_page(self, page: Page) -> None:
        """A page came on screen: keys start at its title, or where they were when the
        patient left it (Back)."""
        stops = reading_order(page)
        last = page.last_focus
        if last is not None and any(s is last for s in stops):
            focus_on(last)
        elif stops:
            # A screen reader first says where the patient now is: the page's title.
            title = page.title_widget()
            first = getattr(page, "first_stop", None)
            if title is not None and any(s is title for s in stops):
                focus_on(title)
            else:
                focus_on((first() if first else None) or stops[0])

    def _remember(self, _old: QWidget | None, new: QWidget | None) -> None:
        if not isValid(self._window):
            return  # the focus moves while the window is being taken down
        page = self.page()
        if new is not None and page is not None and page.isAncestorOf(new):
            page.last_focus = new

    # -- keys --------------------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.KeyPress or not isinstance(watched, QWidget):
            return False
        if watched.window() is not self._window:
            return False
        assert isinstance(event, QKeyEvent)
        if event.modifiers() & _COMBINATIONS:
            return False
        return self.press(event)

    def press(self, event: QKeyEvent) -> bool:
        key, text, again = Qt.Key(event.key()), event.text(), event.isAutoRepeat()
        target: QObject | None = self.overlay() or self.page()
        if key in _NEXT:
            shift = bool(event.modifiers() & Qt.KeyboardModifier.ShiftModifier)
            self.move(_NEXT[key] and not (key == K.Key_Tab and shift))
        elif key == K.Key_Space and not self._on_control() and _ask(target, "typed", " "):
            pass
        elif key in _PRESS:
            if not again:  # a held key presses once
                self.activate(target)
        elif key == K.Key_Backspace:
            if not _ask(target, "erase") and not again:
                self.back()
        elif key == K.Key_Escape:
            if not again:
                self.back()
        elif key in _PART:
            if self.overlay() is None and not again:
                self.part_requested.emit(_PART[key])
        elif key in _VOLUME:
            self.volume_requested.emit(_VOLUME[key])
        elif key in _HELP:
            if not again:
                self.help_requested.emit()
        elif text.isalnum():
            return _ask(target, "typed", text)
        else:
            return False
        return True

    def move(self, forward: bool) -> None:
        stops = self.stops()
        if not stops:
            return
        here = self.current_stop(stops)
        if here is not None:
            inner = inner_stops(here)
            if inner is not None and inner.step(forward):
                reveal(here, inner.rect())
                return
            index = stops.index(here) + (1 if forward else -1)
        else:
            index = 0 if forward else -1
        focus_on(stops[index % len(stops)], forward=forward, enter=True)

    def _on_control(self) -> bool:
        here = self.current_stop(self.stops())
        return here is not None and (activates(here) or inner_stops(here) is not None)

    def activate(self, target: QObject | None) -> None:
        here = self.current_stop(self.stops())
        inner = inner_stops(here)
        if here is not None and activates(here):
            self.acting.emit(here)
            here.click()  # type: ignore[attr-defined]
        elif here is not None and inner is not None:
            self.acting.emit(here)
            inner.activate()
        else:
            _ask(target, "enter_pressed")

    def back(self) -> None:
        overlay = self.overlay()
        if overlay is not None:
            overlay.close_overlay()
        else:
            self.back_requested.emit()


def _ask(target: QObject | None, name: str, *args: str) -> bool:
    """Let the page or overlay take a typed key, if it takes them."""
    handler = getattr(target, name, None)
    return bool(handler(*args)) if callable(handler) else False
