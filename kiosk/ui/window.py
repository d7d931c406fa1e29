"""The kiosk window: header, page area (with overlays), and the disclaimer footer.

The footer is a plain widget below the page area, outside every scroll area; overlays cover
the page area only. So no page, overlay, text size or window shape can hide the disclaimer.

This room lays the window out, fans the theme out, and resets for the next patient. Moving
between pages is `Navigator`'s job, the search index `SearchFlow`'s, the staff screens
`StaffFlow`'s and the way kiosk mode holds a patient in `KioskMode`'s: they never call back
into the window; it connects their signals.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QApplication, QStackedWidget, QVBoxLayout, QWidget

from kiosk.config import Settings
from kiosk.library.catalog import Catalog
from kiosk.library.desk import StaffDesk
from kiosk.ui import roles
from kiosk.ui.announce import announce
from kiosk.ui.focus import focus_on
from kiosk.ui.focus_shown import FocusShown
from kiosk.ui.header import Header
from kiosk.ui.idle import IdleWatcher
from kiosk.ui.key_help import HelpOverlay, help_text
from kiosk.ui.keys import KeyRouter
from kiosk.ui.kiosk_mode import KioskMode
from kiosk.ui.navigation import Navigator
from kiosk.ui.overlays import (
    ContentsOverlay,
    NoticeOverlay,
    Overlay,
    SoundOverlay,
    StillReadingOverlay,
)
from kiosk.ui.pages import HomePage, Page, TopicListPage, TopicPage
from kiosk.ui.search import SearchPage
from kiosk.ui.search_flow import SearchFlow
from kiosk.ui.staff_flow import StaffFlow
from kiosk.ui.start_size import start_text_size
from kiosk.ui.theme import Theme, controls_cap
from kiosk.ui.widgets import wrapped_label

if TYPE_CHECKING:
    from kiosk.library.index import SearchIndex
    from kiosk.speech.narrator import Narrator


class KioskWindow(QWidget):
    page_changed = Signal()

    def __init__(
        self,
        settings: Settings,
        catalog: Catalog,
        *,
        narrator: Narrator | None = None,
        desk: StaffDesk | None = None,
        open_index: Callable[[Catalog], SearchIndex] | None = None,
        size: tuple[int, int] | None = None,
    ) -> None:
        super().__init__()
        if size is not None:
            # Before anything is styled: the theme depends on the height (controls_cap), and
            # styling the whole window twice at start costs tens of milliseconds.
            self.resize(*size)
        self.setObjectName("KioskWindow")
        self.setWindowTitle("Health information")
        roles.install()  # headings, lists, links and the rest for screen readers
        self.settings = settings
        self.catalog = catalog
        self.text_sizes = settings.text_sizes
        self.narrator = narrator
        # Measured once: the kiosk's screen does not change under it.
        self.start_size = start_text_size(settings, self.screen())
        self.theme = self._start_theme()
        self._init_focus_shown()
        self.kiosk_mode: KioskMode | None = None
        self.search = SearchFlow(open_index, self) if open_index is not None else None
        self._init_header()
        self._init_page_area()
        self.footer = wrapped_label(settings.disclaimer, "Footer")
        self.footer.setAlignment(Qt.AlignmentFlag.AlignCenter)
        roles.mark(self.footer, "footer")  # read as its whole sentence
        self.staff = self._init_staff(desk)
        self._init_layout()
        self._init_keys()
        self._init_idle()  # after the keys: the last filter installed sees each key first
        self.nav = Navigator(self.stack, self._make_home(), self._prepare)
        self.nav.page_changed.connect(self._page_shown)
        self._page_shown()
        self._apply_theme()

    def _init_focus_shown(self) -> None:
        self.focus_shown = FocusShown(self)
        app = QApplication.instance()
        assert app is not None, "build the QApplication before the window"
        app.installEventFilter(self.focus_shown)  # removed by Qt when it is destroyed
        self.focus_shown.changed.connect(self._draw_focus)

    def _draw_focus(self, shown: bool) -> None:
        """Keys pressed, or the screen touched: the same style, with or without the focus
        drawn (no size changes, so nothing is measured again and speech goes on)."""
        self.setStyleSheet(self.theme.style_sheet(focus=shown))

    def _init_header(self) -> None:
        self.header = Header()
        self.header.home_button.clicked.connect(self.go_home)
        self.header.back_button.clicked.connect(self.go_back)
        self.header.smaller_button.clicked.connect(lambda: self.step_text_size(-1))
        self.header.larger_button.clicked.connect(lambda: self.step_text_size(1))
        self.header.contrast_button.toggled.connect(self.set_high_contrast)

    def _init_page_area(self) -> None:
        self.content_area = QWidget()
        self.content_area.setObjectName("ContentArea")
        self.stack = QStackedWidget()
        area_layout = QVBoxLayout(self.content_area)
        area_layout.setContentsMargins(0, 0, 0, 0)
        area_layout.addWidget(self.stack)
        self.still_reading = StillReadingOverlay(self.content_area)
        self.still_reading.expired.connect(self.reset_to_start)
        self.contents = ContentsOverlay(self.content_area)
        self.contents.part_chosen.connect(self._show_part)
        self.notice = NoticeOverlay(self.content_area)
        self.help = HelpOverlay(self.content_area)
        narrator = self.narrator
        self.sound = SoundOverlay(self.content_area, narrator) if narrator is not None else None

    def _init_staff(self, desk: StaffDesk | None) -> StaffFlow | None:
        if desk is None:
            return None
        staff = StaffFlow(desk, self.settings, self.content_area, self.footer)
        staff.opening.connect(self.stop_speech)
        staff.library_changed.connect(self.show_library)
        staff.exit_requested.connect(self._exit_kiosk)
        return staff

    def _init_layout(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.header)
        if self.staff is not None:
            layout.addWidget(self.staff.banner)
        layout.addWidget(self.content_area, 1)
        layout.addWidget(self.footer)

    def _init_keys(self) -> None:
        self.keys = KeyRouter(self)
        self.keys.back_requested.connect(self.go_back)
        self.keys.part_requested.connect(self._step_part)
        self.keys.volume_requested.connect(self.step_volume)
        self.keys.help_requested.connect(self.show_help)
        self.keys.acting.connect(self._on_activity)  # pressed by a key as by a tap

    def _init_idle(self) -> None:
        self.idle = IdleWatcher(self.settings.idle_timeout_ms, self)
        app = QApplication.instance()
        assert app is not None, "build the QApplication before the window"
        app.installEventFilter(self.idle)  # removed by Qt when the watcher is destroyed
        self.idle.idle.connect(self._on_idle)
        self.idle.activity.connect(self._on_activity)
        self.idle_countdown_s = self.settings.idle_countdown_s
        if self.narrator is not None:
            self.narrator.progressed.connect(self.idle.poke)  # listening is not being idle

    # -- pages -------------------------------------------------------------------------------

    @property
    def home(self) -> HomePage:
        return self.nav.home

    def page(self) -> Page:
        return self.nav.current()

    def _make_home(self) -> HomePage:
        home = HomePage(self.catalog, searchable=self.search is not None)
        home.category_chosen.connect(self.open_category)
        home.search_requested.connect(self.open_search)
        return home

    def _prepare(self, page: Page) -> None:
        page.apply_theme(self.theme)  # sized for this screen before the stack measures it

    def _page_shown(self) -> None:
        self.contents.hide()
        self.header.home_button.setEnabled(self.page() is not self.home)
        self.header.back_button.setEnabled(bool(self.nav.history))
        self.keys.show_page(self.page())
        self.page_changed.emit()

    def open_category(self, category: str) -> None:
        heading = category or "All topics A to Z"
        page = TopicListPage(heading, self.catalog.topics(category or None))
        page.topic_chosen.connect(self.open_topic)
        self.nav.show(page)

    def open_search(self) -> SearchPage | None:
        if self.search is None:
            return None
        page = self.search.page(self.catalog)
        page.topic_chosen.connect(self.open_topic)
        page.category_chosen.connect(self.open_category)
        self.nav.show(page)
        return page

    def prepare_search(self) -> None:
        """Open (or build) the index for the current catalog, off the GUI thread."""
        if self.search is not None:
            self.search.prepare(self.catalog)

    def search_ready(self) -> bool:
        return self.search is not None and self.search.ready()

    def open_topic(self, topic_id: str, part: int = 0) -> bool:
        topic = self.catalog.topic(topic_id)
        if topic is None:
            if self.catalog.head(topic_id) is not None:
                # Its file changed or went bad since the kiosk started (the reason is logged).
                self.notice.show_notice(
                    "This topic cannot be shown just now. Please choose another one."
                )
            return False
        page = TopicPage(topic, self.catalog, self.narrator, part=part)
        page.topic_link.connect(self.open_topic)
        page.contents_requested.connect(self.show_contents)
        page.reading.sound_requested.connect(self.show_sound)
        self.nav.show(page)  # renders the part, once
        return True

    def go_home(self) -> None:
        self.nav.go_home()

    def go_back(self) -> None:
        self.nav.back()

    def show_contents(self) -> None:
        page = self.page()
        if isinstance(page, TopicPage):
            self.contents.show_contents(page.topic.title, [p.title for p in page.parts], page.index)

    def show_sound(self) -> None:
        if self.sound is not None:
            self.sound.show_sound()

    def _show_part(self, index: int) -> None:
        page = self.page()
        if isinstance(page, TopicPage):
            page.show_part(index)
            self._focus_part(page)

    def _step_part(self, delta: int) -> None:
        page = self.page()
        if isinstance(page, TopicPage):
            page.step(delta)
            self._focus_part(page)

    def _focus_part(self, page: TopicPage) -> None:
        """Keys start a part from its top: the part's text below is all new."""
        stop = page.first_stop()
        if stop is not None:
            focus_on(stop)

    def show_help(self) -> None:
        """What the keys do: shown, and read aloud when there is a voice."""
        self.help.show_help()
        if self.narrator is not None:
            self.narrator.read(help_text(), "en")

    def step_volume(self, delta: int) -> None:
        if self.sound is not None:
            self.sound.step_volume(delta)  # the Sound overlay's steps, shown there if open

    def show_library(self, catalog: Catalog) -> None:
        """The library changed on disk (install, rollback, remove, inbox), already read off
        the GUI thread: a new home and a new search index. The page being read stays."""
        self.catalog = catalog
        self.prepare_search()
        self.nav.replace_home(self._make_home())

    # -- text size and contrast --------------------------------------------------------------

    @property
    def text_size(self) -> int:
        return self.theme.percent

    def set_text_size(self, percent: int) -> None:
        if percent not in self.text_sizes:
            raise ValueError(f"text size {percent}% is not one of {self.text_sizes}")
        if percent != self.theme.percent:
            self.theme = replace(self.theme, percent=percent)
            self._apply_theme()

    def step_text_size(self, delta: int) -> None:
        index = self.text_sizes.index(self.theme.percent) + delta
        self.set_text_size(self.text_sizes[max(0, min(index, len(self.text_sizes) - 1))])
        announce(self.header.size_label, f"Text size {self.theme.percent} percent")

    def set_high_contrast(self, on: bool) -> None:
        if on != self.theme.high_contrast:
            self.theme = replace(self.theme, high_contrast=on)
            self._apply_theme()

    def _apply_theme(self) -> None:
        self.stop_speech()  # the text moves under the highlight; start again from a tap
        theme = self.theme
        self.setStyleSheet(theme.style_sheet(focus=self.focus_shown.shown))
        self.header.apply_theme(theme)
        self.header.show_choices(theme, self.text_sizes)
        for overlay in self._overlays():
            overlay.apply_theme(theme)
        for page in self.nav.pages():
            page.apply_theme(theme)

    def resizeEvent(self, event: QResizeEvent) -> None:
        cap = controls_cap(self.width(), self.height())
        if cap != self.theme.controls_max:
            self.theme = replace(self.theme, controls_max=cap)
            self._apply_theme()
        super().resizeEvent(event)

    # -- idle reset --------------------------------------------------------------------------

    def _start_theme(self) -> Theme:
        """What every patient starts with: the starting text size, the staff's contrast."""
        high_contrast = bool(self.settings["screen.high_contrast"])
        return Theme(self.start_size, high_contrast, controls_cap(self.width(), self.height()))

    def is_pristine(self) -> bool:
        """Nothing a patient did is on screen: no need to ask 'Still reading?'."""
        return (
            self.page() is self.home
            and self.home.area.verticalScrollBar().value() == 0
            and self.theme == self._start_theme()
            and not self.contents.isVisible()
        )

    def _on_idle(self) -> None:
        if self.is_pristine():
            self.idle.poke()
            return
        self.still_reading.start(self.idle_countdown_s)

    def _overlays(self) -> list[Overlay]:
        found: list[Overlay] = [self.still_reading, self.contents, self.notice, self.help]
        found += [self.sound] if self.sound is not None else []
        return found + (self.staff.overlays() if self.staff is not None else [])

    def stop_speech(self) -> None:
        if self.narrator is not None:
            self.narrator.stop()

    def _on_activity(self, target: QObject) -> None:
        page = self.stack.currentWidget()
        speaking = self.narrator is not None and self.narrator.state != "idle"
        exempt: list[QWidget] = [self.sound] if self.sound is not None else []
        if isinstance(page, TopicPage):
            exempt += [page.area, page.nav]
        if speaking and not any(_inside(target, widget) for widget in exempt):
            self.stop_speech()  # a tap on anything but the text or the speech buttons
        # A touch anywhere but on the overlay itself means somebody is here; the overlay's
        # own buttons (and a tap beside its card) handle themselves.
        if self.still_reading.isVisible() and not _inside(target, self.still_reading):
            self.still_reading.close_overlay()

    def reset_to_start(self) -> None:
        """Back to the start for the next patient: no page, size, scroll or choice survives."""
        self.still_reading.stop()
        for overlay in self._overlays():
            overlay.hide()
        if self.narrator is not None:
            self.narrator.reset()
        self.theme = self._start_theme()
        self.focus_shown.reset()
        self.nav.replace_home(self._make_home(), forget=True)
        self._apply_theme()
        self.idle.poke()

    # -- kiosk mode --------------------------------------------------------------------------

    def enter_kiosk_mode(self) -> None:
        self.kiosk_mode = KioskMode(self)
        self.kiosk_mode.enter()

    def _exit_kiosk(self) -> None:
        if self.kiosk_mode is not None:
            self.kiosk_mode.leave()
        app = QApplication.instance()
        if app is not None:
            app.quit()


def _inside(target: QObject, ancestor: QWidget) -> bool:
    node: QObject | None = target
    while node is not None:
        if node is ancestor:
            return True
        node = node.parent()
    return False
