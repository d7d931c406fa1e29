"""Search by touch: the typed word at the top, results under it as each letter is typed, the
keyboard at the bottom. No results offers the topic groups instead of a dead end."""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QVBoxLayout, QWidget

from kiosk.library.catalog import Catalog
from kiosk.ui import roles
from kiosk.ui.announce import announce
from kiosk.ui.focus import focus_on
from kiosk.ui.keyboard import OnScreenKeyboard
from kiosk.ui.pages import Page, plural
from kiosk.ui.theme import Theme
from kiosk.ui.widgets import ScrollPage, Tile, TileGrid, wrapped_label

MAX_RESULTS = 20
SAY_FOUND_MS = 700


@dataclass(frozen=True, slots=True)
class Result:
    topic_id: str
    title: str
    matched: tuple[str, ...] = ()


# None while the index is still being prepared (the first start with a big library).
SearchFn = Callable[[str, int], Sequence[Result] | None]


def highlighted(text: str, words: Sequence[str]) -> str:
    """`text` as rich text with each matched word (case-insensitive) in bold and underlined."""
    wanted = [w for w in words if w.strip()]
    if not wanted:
        return html.escape(text)
    pattern = re.compile(
        "|".join(re.escape(w) for w in sorted(wanted, key=len, reverse=True)), re.IGNORECASE
    )
    out, last = [], 0
    for match in pattern.finditer(text):
        out.append(html.escape(text[last : match.start()]))
        out.append(f"<b><u>{html.escape(match.group(0))}</u></b>")
        last = match.end()
    out.append(html.escape(text[last:]))
    return "".join(out)


class SearchPage(Page):
    topic_chosen = Signal(str)
    category_chosen = Signal(str)

    def __init__(
        self,
        catalog: Catalog,
        search: SearchFn,
        languages: str | Sequence[str] = "en",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.title_text = "Search"
        self._catalog = catalog
        self._search = search
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        self.area = ScrollPage()
        layout.addWidget(self.area, 1)
        # The typed words and the count grow with the text only as far as the screen allows,
        # like the keyboard below them: on a short screen at 200% the results must still show.
        self.query = wrapped_label("", "ListTitle")
        # A search field to a screen reader: named Search, the typed words as its text.
        roles.mark(self.query, "search")
        self.query.setAccessibleName("Search")
        self.query.setFocusPolicy(Qt.FocusPolicy.TabFocus)  # where a new search page starts
        self.hint = wrapped_label("", "SearchHint")
        self.results = TileGrid()
        # The result tiles are made once and refilled at every key: building 20 styled widgets
        # per keystroke was most of the time a key took (about 30 ms at 5,000 topics).
        self._pool = [self._result_tile() for _ in range(MAX_RESULTS)]
        self.results.set_tiles(self._pool)
        self.groups = TileGrid()
        for widget in (self.query, self.hint, self.results, self.groups):
            self.area.column.addWidget(widget)
        self.area.column.addStretch(1)
        self.keyboard = OnScreenKeyboard(languages)
        self.keyboard.text_changed.connect(self.show_results)
        layout.addWidget(self.keyboard)
        # The number found is said once the typing pauses, not after every letter.
        self._say_found = QTimer(self, singleShot=True, interval=SAY_FOUND_MS)
        self._say_found.timeout.connect(lambda: announce(self.hint, self.hint.text()))
        self.show_results("")

    def title_widget(self) -> QWidget | None:
        return self.query

    def _result_tile(self) -> Tile:
        tile = Tile("", " ")
        tile.title_label.setTextFormat(Qt.TextFormat.RichText)
        tile.clicked.connect(
            lambda _=False, t=tile: self.topic_chosen.emit(str(t.property("topic_id")))
        )
        tile.hide()
        return tile

    def shown_results(self) -> list[Tile]:
        """The result tiles on screen now, best first."""
        return [t for t in self._pool if not t.isHidden()]

    def apply_theme(self, theme: Theme) -> None:
        self.area.set_margins(theme.cpx(20), theme.cpx(12))
        for grid in (self.results, self.groups):
            grid.set_spacing(theme.gap)
            grid.set_min_tile_width(theme.px(340))
        self.keyboard.apply_theme(theme)

    # -- a physical keyboard (kiosk/ui/keys.py): through the on-screen keys' own logic ------

    def typed(self, text: str) -> bool:
        self.type_text(text)
        focus_on(self.query)  # the results under the focus are about to change
        return True

    def erase(self) -> bool:
        """Backspace deletes a letter; with nothing typed, it is Back."""
        if not self.keyboard.text:
            return False
        self.keyboard.press("\b")
        focus_on(self.query)
        return True

    def enter_pressed(self) -> bool:
        """Enter on the typed words goes to the best result."""
        shown = self.shown_results()
        if shown:
            focus_on(shown[0])
        return bool(shown)

    def type_text(self, text: str) -> None:
        """Press the keys for `text`, as a patient would (for tests and demonstrations)."""
        for char in text:
            self.keyboard.press(" " if char == " " else char.upper())

    def show_results(self, text: str) -> None:
        query = text.strip()
        self.query.setText(text + "▏" if text else "Type a word with the keys below▏")
        roles.set_text(self.query, text)
        if query:
            self._say_found.start()
        else:
            self._say_found.stop()
        found = self._search(query, MAX_RESULTS) if query else []
        if found is None:
            for tile in self._pool:
                tile.hide()
            self.groups.set_tiles([])
            self.hint.setText("Search is getting ready. Please try again in a moment.")
            return
        hits = list(found)[:MAX_RESULTS]
        # Tiles shown or hidden one by one each set the grid laying itself out again (most of
        # a keystroke's time when 20 results appear at once): when the number of results
        # changes, the grid is hidden while they are refilled, then shown once.
        if len(hits) != len(self.shown_results()):
            self.results.setVisible(False)
        for tile, hit in zip(self._pool, hits, strict=False):
            topic = self._catalog.head(hit.topic_id)
            tile.setProperty("topic_id", hit.topic_id)
            tile.setAccessibleName(hit.title)
            tile.title_label.setText(highlighted(hit.title, hit.matched))
            assert tile.text_label is not None
            tile.text_label.setText(topic.summary if topic else "")
            tile.setAccessibleDescription(topic.summary if topic else "")
            tile.text_label.setVisible(bool(topic and topic.summary))
        for index, tile in enumerate(self._pool):
            tile.setVisible(index < len(hits))
        self.results.setVisible(bool(hits))
        if not query:
            self.hint.setText("For example: back pain, fever, sleep.")
        elif hits:
            self.hint.setText(plural(len(hits), "topic found", "topics found"))
        else:
            self.hint.setText(f"No topics match “{query}”. Try one of these groups:")
        groups = []
        if query and not hits:
            for category in self._catalog.categories():
                tile = Tile(category, plural(self._catalog.count(category), "topic", "topics"))
                tile.clicked.connect(lambda _=False, c=category: self.category_chosen.emit(c))
                groups.append(tile)
        self.groups.set_tiles(groups)
        self.groups.setVisible(bool(groups))
