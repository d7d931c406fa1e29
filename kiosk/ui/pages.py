"""The pages a patient moves between: home, a list of topics, one topic."""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QObject, QPoint, Qt, QUrl, Signal
from PySide6.QtGui import QImage, QTextDocument
from PySide6.QtWidgets import QPushButton, QVBoxLayout, QWidget

from kiosk.content.model import Topic, TopicHead
from kiosk.library.catalog import Catalog
from kiosk.ui import roles
from kiosk.ui.announce import announce
from kiosk.ui.focus import focus_on, holds_focus, reading_order
from kiosk.ui.letters import first_rows, letter_of
from kiosk.ui.reading import ReadAloud
from kiosk.ui.theme import Theme
from kiosk.ui.widgets import (
    ButtonBar,
    FitBrowser,
    GestureFilter,
    ScrollPage,
    Tile,
    TileGrid,
    title_label,
    wrapped_label,
)

if TYPE_CHECKING:
    from kiosk.speech.narrator import Narrator
    from kiosk.ui.topic_list import LetterBar, TopicListView

MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def long_date(day: dt.date) -> str:
    """'31 July 2024': no locale's day/month order can be misread."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def plural(count: int, one: str, many: str) -> str:
    return f"{count:,} {one if count == 1 else many}"  # 5,000: easier to read than 5000


class Page(QWidget):
    """A page in the window's stack. Its state dies with it: pages are rebuilt, not reused."""

    title_text = ""
    last_focus: QWidget | None = None  # where keys were when the patient left (for Back)

    def apply_theme(self, theme: Theme) -> None:
        """Re-measure after the window's style sheet changed."""

    def enter(self) -> None:
        """Now on screen."""

    def leave(self) -> None:
        """No longer on screen."""

    def title_widget(self) -> QWidget | None:
        """What a new page's focus goes to: its title."""
        return None

    def focus_title(self) -> None:
        """Keyboard and screen-reader focus on the title of a page just shown, so the first
        thing a screen reader says is where the patient now is (not an unnamed scroll area)."""
        title = self.title_widget()
        if title is not None:
            title.setFocus(Qt.FocusReason.OtherFocusReason)


class TilePage(Page):
    """A heading, a hint and a grid of tiles, scrolling vertically."""

    def __init__(self, heading: str, hint: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title_text = heading
        self.page_layout = layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.area = ScrollPage()
        layout.addWidget(self.area)
        self.heading = title_label(heading)
        self.hint = wrapped_label(hint, "Hint")
        self.grid = TileGrid()
        self.area.column.addWidget(self.heading)
        self.area.column.addWidget(self.hint)
        self.area.column.addWidget(self.grid)
        self.area.column.addStretch(1)

    def apply_theme(self, theme: Theme) -> None:
        self.area.set_margins(theme.margin, theme.gap)
        self.grid.set_spacing(theme.gap)
        self.grid.set_min_tile_width(theme.px(340))

    def title_widget(self) -> QWidget | None:
        return self.heading


class HomePage(TilePage):
    category_chosen = Signal(str)  # "" for all topics A to Z
    search_requested = Signal()

    def __init__(
        self, catalog: Catalog, *, searchable: bool = False, parent: QWidget | None = None
    ) -> None:
        super().__init__("Health topics", "Tap a group of topics to start.", parent)
        self.search_tile = Tile("Search", "Type a word, like fever or back pain")
        self.search_tile.setObjectName("SearchTile")
        self.search_tile.clicked.connect(self.search_requested)
        self.search_tile.setVisible(searchable)
        self.area.column.insertWidget(2, self.search_tile)
        tiles: list[Tile] = []
        for category in catalog.categories():
            tile = Tile(category, plural(catalog.count(category), "topic", "topics"))
            tile.clicked.connect(lambda _=False, c=category: self.category_chosen.emit(c))
            tiles.append(tile)
        everything = Tile("All topics A to Z", plural(len(catalog), "topic", "topics"))
        everything.clicked.connect(lambda: self.category_chosen.emit(""))
        tiles.append(everything)
        self.grid.set_tiles(tiles)


LAZY_LIST_FROM = 60  # longer lists are painted rows in a QListView, not a widget per topic


class TopicListPage(TilePage):
    topic_chosen = Signal(str)

    def __init__(
        self, heading: str, topics: Sequence[TopicHead], parent: QWidget | None = None
    ) -> None:
        super().__init__(heading, "Tap a topic to read it.", parent)
        self.list_view: TopicListView | None = None
        self.letters: LetterBar | None = None
        self.first_row: dict[str, int] = {}
        if len(topics) >= LAZY_LIST_FROM:
            # Heading and hint stay on top; the list scrolls by itself below them.
            self.grid.hide()
            # One line, more room for the list.
            self.heading.setText(f"{heading}: {plural(len(topics), 'topic', 'topics')}")
            # Above the list, the heading and the letters stay put like the header: they grow
            # with the text only as far as the screen allows (Theme.cpx), so the rows keep room.
            self.heading.setObjectName("ListTitle")
            # Imported here: most pages never need it, and its Qt classes take a few
            # milliseconds to load at start.
            from kiosk.ui.topic_list import LetterBar, TopicListView

            self.list_view = TopicListView(topics, Theme())
            self.list_view.topic_chosen.connect(self.topic_chosen)
            # Too many to scroll through with a finger: a row of letters jumps to the first
            # topic under each letter.
            self.first_row = first_rows(topic.title for topic in topics)
            self.letters = LetterBar(self.first_row.keys())
            self.letters.letter_chosen.connect(self.jump_to_letter)
            self.area.hide()
            self.area.column.removeWidget(self.heading)
            self.page_layout.addWidget(self.heading)
            self.page_layout.addWidget(self.letters)
            self.page_layout.addWidget(self.list_view, 1)
            return
        tiles: list[Tile] = []
        for topic in topics:
            tile = Tile(topic.title, topic.summary)
            tile.clicked.connect(lambda _=False, t=topic.id: self.topic_chosen.emit(t))
            tiles.append(tile)
        self.grid.set_tiles(tiles)

    def apply_theme(self, theme: Theme) -> None:
        super().apply_theme(theme)
        if self.list_view is not None:
            self.list_view.apply_theme(theme)
            margin = theme.cpx(20)
            self.page_layout.setContentsMargins(margin, margin, 0, 0)
            self.page_layout.setSpacing(theme.cpx(12))
            self.list_view.setViewportMargins(0, 0, margin, margin)
        if self.letters is not None:
            self.letters.apply_theme(theme, theme.cpx(20))

    def jump_to_letter(self, letter: str) -> None:
        if self.list_view is not None and letter in self.first_row:
            row = self.first_row[letter]
            self.list_view.jump_to_row(row)
            if self.letters is not None and self.letters.keys[letter].hasFocus():
                self.list_view.inner_stops.go_to(row)  # keys go on from that topic
                self.list_view.setFocus(Qt.FocusReason.OtherFocusReason)

    def typed(self, text: str) -> bool:
        """A letter typed on a keyboard goes to the first topic under it."""
        letter = letter_of(text)
        if self.list_view is not None and letter in self.first_row:
            self.jump_to_letter(letter)
            self.list_view.inner_stops.go_to(self.first_row[letter])
            self.list_view.setFocus(Qt.FocusReason.OtherFocusReason)
            return True
        tiles = (t for t in self.grid.tiles() if isinstance(t, Tile))
        tile = next((t for t in tiles if letter_of(t.title()) == letter), None)
        if tile is not None:
            focus_on(tile)
        return tile is not None


@dataclass(frozen=True, slots=True)
class Part:
    """What one screen of a topic shows: a section, or the credits at the end."""

    title: str
    html: str
    links: tuple[str, ...]


def credits_part(topic: Topic) -> Part:
    credits = topic.credits
    rows = []
    if credits.current_as_of:
        rows.append(("Current as of", long_date(credits.current_as_of)))
    rows.append(("Written by", ", ".join(credits.authors) or "Not stated"))
    rows.append(("Checked by", ", ".join(credits.reviewers) or "Not checked by a reviewer"))
    body = "".join(
        f"<p><b>{html.escape(label)}:</b> {html.escape(value)}</p>" for label, value in rows
    )
    if credits.notice:
        body += f"<p>{html.escape(credits.notice)}</p>"
    if topic.related:
        body += "<p><b>Related topics</b> are below.</p>"
    return Part("About this information", body, topic.related)


class SectionBrowser(FitBrowser):
    """Section text whose images come only from the topic's own pack, through the library."""

    def __init__(self, catalog: Catalog, topic_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._catalog = catalog
        self._topic_id = topic_id

    def loadResource(self, kind: int, name: QUrl | str) -> object:
        if kind == QTextDocument.ResourceType.ImageResource.value:
            url = name.toString() if isinstance(name, QUrl) else name
            data = self._catalog.media(self._topic_id, url)
            image = QImage()
            if data is not None and image.loadFromData(QByteArray(data)):
                width = max(1, self.viewport().width())
                if image.width() > width:
                    image = image.scaledToWidth(width, Qt.TransformationMode.SmoothTransformation)
                return image
        return None  # no network, no files outside the pack


class TopicPage(Page):
    """One topic, one part at a time: previous/next, swipe, contents, related topics, and
    read-aloud, whose controls take the place of the page buttons while it speaks."""

    topic_link = Signal(str)
    contents_requested = Signal()
    part_changed = Signal(int)

    def __init__(
        self,
        topic: Topic,
        catalog: Catalog,
        narrator: Narrator | None = None,
        parent: QWidget | None = None,
        *,
        part: int = 0,
    ) -> None:
        """Nothing is rendered here: the window calls apply_theme before showing the page,
        and that renders `part` once, with the text size it will be shown at."""
        super().__init__(parent)
        self.topic = topic
        self.title_text = topic.title
        self._catalog = catalog
        self.parts = [Part(s.title, s.html, s.topic_links) for s in topic.sections]
        self.parts.append(credits_part(topic))
        self.index = max(0, min(part, len(self.parts) - 1))

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        self.area = ScrollPage()
        layout.addWidget(self.area, 1)
        self.heading = title_label(topic.title)
        self.position = wrapped_label("", "Position")
        self.section_title = roles.heading(wrapped_label("", "SectionTitle"), 2)
        self.section_title.setFocusPolicy(Qt.FocusPolicy.TabFocus)  # a later part's title
        self.body = SectionBrowser(catalog, topic.id)
        self.body.link_activated.connect(self._follow)
        self.links_heading = roles.heading(wrapped_label("Read about", "Hint"), 3)
        self.links = TileGrid()
        for widget in (
            self.heading,
            self.position,
            self.section_title,
            self.body,
            self.links_heading,
            self.links,
        ):
            self.area.column.addWidget(widget)
        self.area.column.addStretch(1)

        self.notice = wrapped_label("", "Notice")
        self.notice.hide()
        layout.addWidget(self.notice)
        self.reading = ReadAloud(
            narrator, topic.language, self.section_title, self.body, self.area, self.notice, self
        )
        self.reading.active_changed.connect(self._show_buttons)
        self.body.inner_stops.activated.connect(self.reading.read_from)  # Enter on text
        self.reading.part_finished.connect(self._read_next_part)

        self.previous_button = QPushButton("◀ Previous")
        self.previous_button.setAccessibleName("Previous part")
        self.contents_button = QPushButton("Contents")
        self.next_button = QPushButton("Next ▶")
        self.next_button.setAccessibleName("Next part")
        self.previous_button.clicked.connect(lambda: self.step(-1))
        self.next_button.clicked.connect(lambda: self.step(1))
        self.contents_button.clicked.connect(self.contents_requested)
        self.page_buttons = [
            self.previous_button,
            self.reading.read_button,
            self.contents_button,
            self.next_button,
        ]
        self.nav = ButtonBar("NavBar")
        for button in self.reading.speech_buttons:
            button.setParent(self.nav)
            button.hide()
        self.nav.set_buttons(self.page_buttons)
        layout.addWidget(self.nav)

        self.gestures = GestureFilter(parent=self)
        self.gestures.swiped.connect(self._swiped)
        self.gestures.tapped.connect(self._tapped)
        for target in (self.area.viewport(), self.body.viewport()):
            target.installEventFilter(self.gestures)

    def apply_theme(self, theme: Theme) -> None:
        self.area.set_margins(theme.margin, theme.gap)
        self.links.set_spacing(theme.gap)
        self.links.set_min_tile_width(theme.px(340))
        self.nav.set_spacing(theme.cpx(12), theme.cpx(12))
        self.body.document().setDefaultStyleSheet(theme.document_css())
        self.reading.apply_theme(theme)
        self.show_part(self.index)

    @property
    def part(self) -> Part:
        return self.parts[self.index]

    def show_part(self, index: int) -> None:
        index = max(0, min(index, len(self.parts) - 1))
        changed = index != self.index
        self.reading.stop()
        self.index = index
        part = self.parts[index]
        # The big title only opens the topic; later parts name it in the small position line,
        # so on a short screen the section itself starts near the top.
        self.heading.setVisible(index == 0)
        where = f"part {index + 1} of {len(self.parts)}"
        self.position.setText(where.capitalize() if index == 0 else f"{self.topic.title}: {where}")
        self.section_title.setText(part.title)
        self.body.setHtml(part.html)
        linked = self._catalog.titles(part.links)
        tiles = []
        for topic_id, title in linked:
            tile = Tile(title)
            roles.mark(tile, "link")  # it opens another topic
            tile.clicked.connect(lambda _=False, t=topic_id: self.topic_link.emit(t))
            tiles.append(tile)
        self.links.set_tiles(tiles)
        self.links_heading.setVisible(bool(tiles))
        self.links.setVisible(bool(tiles))
        self.previous_button.setEnabled(index > 0)
        self.next_button.setEnabled(index < len(self.parts) - 1)
        self.reading.new_part()
        self.area.to_top()
        if changed:
            announce(self.section_title, f"{where.capitalize()}: {part.title}")
            self.part_changed.emit(index)

    def step(self, delta: int) -> None:
        self.show_part(self.index + delta)

    def enter(self) -> None:
        self.reading.attach()

    def title_widget(self) -> QWidget | None:
        return self.heading if self.index == 0 else self.section_title

    def leave(self) -> None:
        """Off screen (in the history, or gone): silence, and stop following the narrator."""
        self.reading.stop()
        self.reading.disconnect_narrator()
        self._show_buttons(False)

    def _show_buttons(self, speaking: bool) -> None:
        # Keys on the bar stay on the bar: the button they were on is about to be hidden,
        # and Qt would hand the focus on to Home (the next key then stopped the speech).
        buttons = self.reading.speech_buttons if speaking else self.page_buttons
        if holds_focus(self.nav) and not any(b.hasFocus() for b in buttons):
            going_to = self.reading.pause_button if speaking else self.reading.read_button
            going_to.show()
            going_to.setFocus(Qt.FocusReason.OtherFocusReason)
        self.nav.set_buttons(buttons)

    def first_stop(self) -> QWidget | None:
        """Where keys start on this part: its title (the topic's title on the first part)."""
        return next(iter(reading_order(self.area)), None)

    def _read_next_part(self) -> None:
        if self.index < len(self.parts) - 1:
            self.show_part(self.index + 1)
            self.reading.start()

    def _swiped(self, delta: int) -> None:
        if not self.reading.speaking:
            self.step(delta)

    def _tapped(self, target: QObject, point: QPoint) -> None:
        if target is self.body.viewport():
            self.reading.tap_text(self.body.cursorForPosition(point).position())
        elif self.reading.speaking:
            self.reading.stop()

    def _follow(self, href: str) -> None:
        if href.startswith("topic:"):
            self.topic_link.emit(href[6:])
