"""Our own on-screen keyboard: big letter keys in alphabetical order (many patients have little
typing practice, and ABC needs no learning), space, delete and clear. No physical keyboard
and no system input method are needed.

When the library holds topics in languages that need other letters (Spanish Ñ, German Ä Ö Ü),
one key shows the next language in its own name ("Español"); a tap changes the letters and
keeps what has been typed."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence

from PySide6.QtCore import QLocale, Signal
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QPushButton, QSizePolicy, QWidget

from kiosk.content.model import primary_language
from kiosk.ui.theme import Theme

LETTERS = {
    "en": "ABCDEFGHIJKLMNOPQRSTUVWXYZ",
    "es": "ABCDEFGHIJKLMNÑOPQRSTUVWXYZ",
    "fr": "ABCDEFGHIJKLMNOPQRSTUVWXYZÉ",
    "de": "ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÜ",
}
# Each language in its own name, as its readers look for it. Qt's nativeLanguageName says
# "American English" and "español de España", so only other languages come from QLocale.
NAMES = {"en": "English", "es": "Español", "fr": "Français", "de": "Deutsch"}
MAX_LENGTH = 40
MIN_KEY_PX = 44


def letters_for(language: str) -> str:
    return LETTERS.get(primary_language(language), LETTERS["en"])


def language_name(language: str) -> str:
    code = primary_language(language)
    if code in NAMES:
        return NAMES[code]
    native = QLocale(code).nativeLanguageName() if code else ""
    if not native or QLocale(code).language() == QLocale.Language.C:
        return code.upper() or NAMES["en"]
    return native[:1].upper() + native[1:]


def keyboard_languages(languages: Iterable[str]) -> list[str]:
    """The keyboards a library needs, given the language of each topic: the most common
    language first (the default), then the others by how many topics they have. A language
    whose letters are those of one already listed (Portuguese has the same ABC as English)
    adds no keyboard, so a switch is only offered when it changes the keys."""
    counts = Counter(code for code in map(primary_language, languages) if code)
    chosen: list[str] = []
    seen: set[str] = set()
    for code in sorted(counts, key=lambda c: (-counts[c], c)):
        if letters_for(code) not in seen:
            seen.add(letters_for(code))
            chosen.append(code)
    return chosen or ["en"]


class OnScreenKeyboard(QWidget):
    """Emits `text_changed` with the whole text after every key, and `language_changed` when
    the letters change. `languages`: one language, or the library's keyboards, default first
    (see `keyboard_languages`); with more than one, the language key is shown."""

    text_changed = Signal(str)
    language_changed = Signal(str)

    def __init__(
        self, languages: str | Sequence[str] = "en", parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("Keyboard")
        self._grid = QGridLayout(self)
        self._text = ""
        self._columns = 0
        self.languages = [languages] if isinstance(languages, str) else list(languages) or ["en"]
        self.language = self.languages[0]
        self.keys: dict[str, QPushButton] = {}
        self.space = self._key("Space", " ")
        self.delete = self._key("⌫ Delete", "\b")
        self.clear = self._key("Clear", "\x18")
        self.language_key = QPushButton()
        self.language_key.setObjectName("LanguageKey")
        self.language_key.setAccessibleDescription("Changes the letters of the keyboard")
        self.language_key.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.language_key.clicked.connect(self.next_language)
        self.language_key.setVisible(len(self.languages) > 1)
        # The bottom row is its own box so the language key can take a share of it.
        self._bottom = QWidget()
        bottom = self._bottom_layout = QHBoxLayout(self._bottom)
        bottom.setContentsMargins(0, 0, 0, 0)
        for widget, stretch in (
            (self.language_key, 4),
            (self.space, 6),
            (self.delete, 4),
            (self.clear, 4),
        ):
            bottom.addWidget(widget, stretch)
        self.set_language(self.language)

    def _key(self, label: str, value: str) -> QPushButton:
        button = QPushButton(label)
        button.setObjectName("Key")
        button.setAccessibleName({" ": "Space", "\b": "Delete", "\x18": "Clear"}.get(value, label))
        button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        button.clicked.connect(lambda _=False, v=value: self.press(v))
        return button

    def set_language(self, language: str) -> None:
        """Show the letters of `language`; the typed text stays."""
        changed = language != self.language
        self.language = language
        for key in self.keys.values():
            self._grid.removeWidget(key)
            key.hide()  # gone at once, not when the event loop gets to deleting it
            key.deleteLater()
        self.keys = {letter: self._key(letter, letter) for letter in letters_for(language)}
        for key in self.keys.values():
            # Letters may be narrower than their label allows, down to a touch target; the
            # bottom row keeps its words whole. The height comes from the theme (key_px).
            key.setMinimumWidth(MIN_KEY_PX)
        following = self.following_language()
        self.language_key.setText(language_name(following))
        self.language_key.setAccessibleName(language_name(following))
        self._columns = 0
        self._reflow()
        if changed:
            self.language_changed.emit(language)

    def following_language(self) -> str:
        """The language the language key changes to (the one its label names)."""
        if self.language not in self.languages:
            return self.languages[0]
        return self.languages[(self.languages.index(self.language) + 1) % len(self.languages)]

    def next_language(self) -> None:
        self.set_language(self.following_language())

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
        self._bottom_layout.setSpacing(theme.cpx(6))
        self._columns = 0
        self._reflow()

    def _reflow(self) -> None:
        # Two long rows of letters when there is room, so the results keep most of the
        # screen (German's 29 letters take 15 columns, not a third row for Ü); until it has
        # been laid out it assumes there is room (never growing the window).
        width = self.width() if self.isVisible() else 10_000
        wide = max(14, -(-len(self.keys) // 2))
        columns = wide if width >= wide * (MIN_KEY_PX + 6) else max(7, -(-len(self.keys) // 4))
        if columns == self._columns:
            return
        self._columns = columns
        for widget in [*self.keys.values(), self._bottom]:
            self._grid.removeWidget(widget)
        letters = list(self.keys.values())
        for index, key in enumerate(letters):
            self._grid.addWidget(key, index // columns, index % columns)
        self._grid.addWidget(self._bottom, -(-len(letters) // columns), 0, 1, columns)

    def resizeEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        self._reflow()
        super().resizeEvent(event)
