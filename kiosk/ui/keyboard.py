"""Our own on-screen keyboard: big letter keys in alphabetical order (many patients have little
typing practice, and ABC needs no learning), space, delete and clear. No physical keyboard
and no system input method are needed."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QGridLayout, QPushButton, QSizePolicy, QWidget

from kiosk.ui.theme import Theme

LETTERS = {
    "en": "ABCDEFGHIJKLMNOPQRSTUVWXYZ",
    "es": "ABCDEFGHIJKLMNÑOPQRSTUVWXYZ",
    "fr": "ABCDEFGHIJKLMNOPQRSTUVWXYZÉ",
    "de": "ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÜ",
}
MAX_LENGTH = 40
MIN_KEY_PX = 44


def letters_for(language: str) -> str:
    return LETTERS.get(language.split("-")[0].lower(), LETTERS["en"])


class OnScreenKeyboard(QWidget):
    """Emits `text_changed` with the whole text after every key."""

    text_changed = Signal(str)

    def __init__(self, language: str = "en", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("Keyboard")
        self._grid = QGridLayout(self)
        self._text = ""
        self._columns = 0
        self.keys: dict[str, QPushButton] = {}
        self.space = self._key("Space", " ")
        self.delete = self._key("⌫ Delete", "\b")
        self.clear = self._key("Clear", "\x18")
        self.set_language(language)

    def _key(self, label: str, value: str) -> QPushButton:
        button = QPushButton(label)
        button.setObjectName("Key")
        button.setAccessibleName({" ": "Space", "\b": "Delete", "\x18": "Clear"}.get(value, label))
        button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        button.clicked.connect(lambda _=False, v=value: self.press(v))
        return button

    def set_language(self, language: str) -> None:
        for key in self.keys.values():
            self._grid.removeWidget(key)
            key.deleteLater()
        self.keys = {letter: self._key(letter, letter) for letter in letters_for(language)}
        self._columns = 0
        self._reflow()

    @property
    def text(self) -> str:
        return self._text

    def reset(self) -> None:
        self._text = ""
        self.text_changed.emit("")

    def press(self, value: str) -> None:
        if value == "\b":
            self._text = self._text[:-1]
        elif value == "\x18":
            self._text = ""
        elif len(self._text) < MAX_LENGTH and not (value == " " and self._text.endswith(" ")):
            self._text += value.lower()
        self.text_changed.emit(self._text)

    def apply_theme(self, theme: Theme) -> None:
        self._grid.setSpacing(theme.cpx(6))
        self._grid.setContentsMargins(theme.cpx(8), theme.cpx(6), theme.cpx(8), theme.cpx(6))
        for key in [*self.keys.values(), self.space, self.delete, self.clear]:
            key.setMinimumWidth(MIN_KEY_PX)  # the height comes from the theme (Theme.key_px)
        self._columns = 0
        self._reflow()

    def _reflow(self) -> None:
        # Two long rows of letters when there is room, so the results keep most of the
        # screen; until it has been laid out it assumes there is (never growing the window).
        width = self.width() if self.isVisible() else 10_000
        columns = 14 if width >= 14 * (MIN_KEY_PX + 6) else 7
        if columns == self._columns:
            return
        self._columns = columns
        for key in [*self.keys.values(), self.space, self.delete, self.clear]:
            self._grid.removeWidget(key)
        letters = list(self.keys.values())
        for index, key in enumerate(letters):
            self._grid.addWidget(key, index // columns, index % columns)
        last = -(-len(letters) // columns)
        third = max(1, columns // 3)
        self._grid.addWidget(self.space, last, 0, 1, columns - 2 * third)
        self._grid.addWidget(self.delete, last, columns - 2 * third, 1, third)
        self._grid.addWidget(self.clear, last, columns - third, 1, third)

    def resizeEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        self._reflow()
        super().resizeEvent(event)
