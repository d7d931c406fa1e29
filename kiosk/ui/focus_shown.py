"""Whether the focus is drawn: from a key press until the next touch.

A patient using keys (a keypad, a keyboard) must always see where the focus is (WCAG 2.4.7,
2.4.13), and the theme draws it strongly: the control turns yellow inside a dark ring. A
patient using touch has no use for it, and would see a yellow "Home" that Qt focused on its
own at start, or a yellow "A+" left behind by their last tap, as something switched on. So, as
a browser's `:focus-visible` does, the focus is drawn after a key is pressed and no longer
after the screen is touched. Talking mode (touch and hear: the first touch says a control and
gives it the focus, the second acts) holds it drawn with `hold(True)`: there a touch moves
the focus, and a patient who can see a little should see what was just said.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Signal

_TOUCH = {QEvent.Type.MouseButtonPress, QEvent.Type.TouchBegin}


class FocusShown(QObject):
    """Installed on the application; `changed` says when the focus starts or stops being
    drawn. Starts hidden: nobody has pressed a key yet."""

    changed = Signal(bool)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._keys = False
        self._held = False

    @property
    def shown(self) -> bool:
        return self._keys or self._held

    def hold(self, on: bool) -> None:
        """Draw the focus whatever the last input was (talking mode), or stop holding it."""
        self._update(keys=self._keys, held=on)

    def reset(self) -> None:
        """The next patient: nothing pressed yet."""
        self._update(keys=False, held=False)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind == QEvent.Type.KeyPress and not self._keys:
            self._update(keys=True, held=self._held)
        elif kind in _TOUCH and self._keys:
            self._update(keys=False, held=self._held)
        return False

    def _update(self, *, keys: bool, held: bool) -> None:
        before = self.shown
        self._keys, self._held = keys, held
        if self.shown != before:
            self.changed.emit(self.shown)
