"""The kiosk window: header, page area (with overlays), and the disclaimer footer.

The footer is a plain widget below the page area, outside every scroll area; overlays cover
the page area only. So no page, overlay, text size or window shape can hide the disclaimer.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, cast

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QGuiApplication, QKeyEvent, QResizeEvent
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from kiosk.config import Settings
from kiosk.library.catalog import Catalog
from kiosk.library.desk import Inbox, StaffDesk
from kiosk.library.store import InstalledPack, LibraryRefused
from kiosk.tasks import TaskRunner
from kiosk.ui.idle import IdleWatcher
from kiosk.ui.keyboard import keyboard_languages
from kiosk.ui.media_watch import MediaWatcher
from kiosk.ui.overlays import (
    ContentsOverlay,
    NoticeOverlay,
    Overlay,
    SoundOverlay,
    StillReadingOverlay,
)
from kiosk.ui.pages import HomePage, Page, TopicListPage, TopicPage
from kiosk.ui.search import Result, SearchFn, SearchPage
from kiosk.ui.staff import LongPress, PackRow, PinOverlay, StaffPanel, UsbOverlay
from kiosk.ui.theme import Theme, controls_cap
from kiosk.ui.widgets import Tile, wrapped_label

if TYPE_CHECKING:
    from kiosk.library.index import SearchIndex
    from kiosk.speech.narrator import Narrator

log = logging.getLogger(__name__)
INBOX_POLL_MS = 10_000


class Header(QFrame):
    """Navigation on the left, text size and contrast on the right; the right group drops
    to a second row when both do not fit (large text on a narrow screen)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("Header")
        self.home_button = QPushButton("⌂ Home")
        self.home_button.setAccessibleName("Home")
        self.back_button = QPushButton("◀ Back")
        self.back_button.setAccessibleName("Back")
        self.smaller_button = QPushButton("A−")
        self.smaller_button.setAccessibleName("Smaller text")
        self.size_label = QLabel("100%")
        self.size_label.setObjectName("TextSizeLabel")
        self.size_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.larger_button = QPushButton("A+")
        self.larger_button.setAccessibleName("Larger text")
        self.contrast_button = QPushButton("◐ Contrast")
        self.contrast_button.setAccessibleName("High contrast")
        self.contrast_button.setCheckable(True)

        self.left = QWidget()
        self._left_layout = left = QHBoxLayout(self.left)
        left.setContentsMargins(0, 0, 0, 0)
        left.addWidget(self.home_button)
        left.addWidget(self.back_button)
        self.right = QWidget()
        self._right_layout = right = QHBoxLayout(self.right)
        right.setContentsMargins(0, 0, 0, 0)
        for widget in (
            self.smaller_button,
            self.size_label,
            self.larger_button,
            self.contrast_button,
        ):
            right.addWidget(widget)
        self.grid = QGridLayout(self)
        self._two_rows: bool | None = None
        self._place(False)

    def apply_theme(self, theme: Theme) -> None:
        gap = theme.cpx(12)
        self.grid.setContentsMargins(gap, gap // 2, gap, gap // 2)
        self.grid.setSpacing(gap // 2)
        for group in (self._left_layout, self._right_layout):
            group.setSpacing(gap)
        self._two_rows = None
        self._place(self._needs_two_rows(self.width()))

    def _needs_two_rows(self, width: int) -> bool:
        margins = self.grid.contentsMargins()
        room = width - margins.left() - margins.right() - self.grid.spacing()
        return self.left.sizeHint().width() + self.right.sizeHint().width() > room

    def _place(self, two_rows: bool) -> None:
        if two_rows == self._two_rows:
            return
        self._two_rows = two_rows
        self.grid.removeWidget(self.left)
        self.grid.removeWidget(self.right)
        self.grid.addWidget(self.left, 0, 0, Qt.AlignmentFlag.AlignLeft)
        if two_rows:
            self.grid.addWidget(self.right, 1, 0, Qt.AlignmentFlag.AlignLeft)
        else:
            self.grid.addWidget(self.right, 0, 1, Qt.AlignmentFlag.AlignRight)

    def resizeEvent(self, event: QResizeEvent) -> None:
        self._place(self._needs_two_rows(self.width()))
        super().resizeEvent(event)


def _start_theme(settings: Settings, height: int) -> Theme:
    return Theme(
        settings.text_sizes[0], bool(settings["screen.high_contrast"]), controls_cap(height)
    )


def _install_and_read(desk: StaffDesk, archive: Path) -> tuple[InstalledPack, Catalog]:
    """On a worker: install, then read the library as it now is (see KioskWindow._install)."""
    return desk.install(archive), desk.catalog()


MAX_HISTORY = 30


class KioskWindow(QWidget):
    page_changed = Signal()

    def __init__(
        self,
        settings: Settings,
        catalog: Catalog,
        *,
        kiosk_mode: bool = False,
        narrator: Narrator | None = None,
        desk: StaffDesk | None = None,
        search: SearchFn | None = None,
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
        self.settings = settings
        self.catalog = catalog
        self.kiosk_mode = kiosk_mode
        self.allow_close = not kiosk_mode
        self.text_sizes = settings.text_sizes
        self.narrator = narrator
        # `open_index` opens (or builds) the search index for a catalog; it runs on a worker.
        self.open_index = open_index
        self._index: SearchIndex | None = None
        self._index_tasks = TaskRunner(threads=1, parent=self)
        self._index_generation = 0
        self.search = search or (self._search_index if open_index is not None else None)
        self.theme = _start_theme(settings, self.height())
        self._history: list[Page] = []

        self.header = Header()
        self.header.home_button.clicked.connect(self.go_home)
        self.header.back_button.clicked.connect(self.go_back)
        self.header.smaller_button.clicked.connect(lambda: self.step_text_size(-1))
        self.header.larger_button.clicked.connect(lambda: self.step_text_size(1))
        self.header.contrast_button.toggled.connect(self.set_high_contrast)

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
        self.sound = SoundOverlay(self.content_area, narrator) if narrator is not None else None

        self.footer = wrapped_label(settings.disclaimer, "Footer")
        self.footer.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.footer.setAccessibleName("Disclaimer")
        self.usb_banner = Tile("")  # wraps: at 200% on a narrow screen it takes two lines
        self.usb_banner.setObjectName("UsbBanner")
        self.usb_banner.hide()
        self._setup_staff(desk)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.header)
        layout.addWidget(self.usb_banner)
        layout.addWidget(self.content_area, 1)
        layout.addWidget(self.footer)

        self.idle = IdleWatcher(settings.idle_timeout_ms, self)
        app = QApplication.instance()
        assert app is not None, "build the QApplication before the window"
        app.installEventFilter(self.idle)  # removed by Qt when the watcher is destroyed
        self.idle.idle.connect(self._on_idle)
        self.idle.activity.connect(self._on_activity)
        self.idle_countdown_s = settings.idle_countdown_s
        if narrator is not None:
            narrator.progressed.connect(self.idle.poke)  # listening is not being idle

        self.home = self._make_home()
        self._set_page(self.home, remember=False)
        self._apply_theme()

    # -- pages -------------------------------------------------------------------------------

    def page(self) -> Page:
        page = self.stack.currentWidget()
        assert isinstance(page, Page)
        return page

    def _make_home(self) -> HomePage:
        home = HomePage(self.catalog, searchable=self.search is not None)
        home.category_chosen.connect(self.open_category)
        home.search_requested.connect(self.open_search)
        self.stack.addWidget(home)
        return home

    def _set_page(self, page: Page, *, remember: bool = True) -> None:
        current = self.stack.currentWidget()
        if isinstance(current, Page) and current is not page:
            current.leave()
        if remember and isinstance(current, Page):
            self._history.append(current)
            # Back goes this many pages back; older pages are let go (each topic page holds
            # about half a megabyte, and a patient following links could open hundreds).
            del self._history[:-MAX_HISTORY]
        page.apply_theme(self.theme)  # sized for this screen before the stack measures it
        if page.parent() is not self.stack:
            self.stack.addWidget(page)
        self.stack.setCurrentWidget(page)
        page.enter()
        self._discard_unreachable()
        self.contents.hide()
        self.header.home_button.setEnabled(page is not self.home)
        self.header.back_button.setEnabled(bool(self._history))
        self.page_changed.emit()

    def _discard_unreachable(self) -> None:
        keep = {id(self.home), id(self.stack.currentWidget()), *map(id, self._history)}
        for index in reversed(range(self.stack.count())):
            widget = self.stack.widget(index)
            if widget is not None and id(widget) not in keep:
                self.stack.removeWidget(widget)
                widget.deleteLater()

    def open_category(self, category: str) -> None:
        heading = category or "All topics A to Z"
        page = TopicListPage(heading, self.catalog.topics(category or None))
        page.topic_chosen.connect(self.open_topic)
        self._set_page(page)

    def prepare_search(self) -> None:
        """Open (or build) the index for the current catalog, off the GUI thread."""
        if self.open_index is None:
            return
        self._index_generation += 1
        generation, catalog, open_index = self._index_generation, self.catalog, self.open_index

        def ready(index: object) -> None:
            index = cast("SearchIndex", index)
            if generation != self._index_generation:
                index.close()  # the library changed meanwhile; a newer one is coming
                return
            old, self._index = self._index, index
            if old is not None:
                old.close()

        def failed(error: BaseException) -> None:
            log.warning("the search index could not be opened: %s", error)

        self._index_tasks.run(lambda: open_index(catalog), ready, failed)

    def search_ready(self) -> bool:
        return self._index is not None

    def _search_index(self, query: str, limit: int) -> list[Result] | None:
        if self._index is None:
            return None
        return [Result(h.topic_id, h.title, h.matched) for h in self._index.search(query, limit)]

    def open_search(self) -> SearchPage | None:
        if self.search is None:
            return None
        # The library's keyboards, its most common language first: a patient can switch to
        # the letters of their own language on the page; a new page starts at the default.
        languages = keyboard_languages(topic.language for topic in self.catalog.topics())
        page = SearchPage(self.catalog, self.search, languages)
        page.topic_chosen.connect(self.open_topic)
        page.category_chosen.connect(self.open_category)
        self._set_page(page)
        return page

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
        self._set_page(page)  # renders the part, once
        return True

    def go_home(self) -> None:
        self._history.clear()
        self.home.area.to_top()
        self._set_page(self.home, remember=False)

    def go_back(self) -> None:
        if self._history:
            self._set_page(self._history.pop(), remember=False)

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

    def set_high_contrast(self, on: bool) -> None:
        if on != self.theme.high_contrast:
            self.theme = replace(self.theme, high_contrast=on)
            self._apply_theme()

    def _apply_theme(self) -> None:
        self.stop_speech()  # the text moves under the highlight; start again from a tap
        theme = self.theme
        self.setStyleSheet(theme.style_sheet())
        self.header.apply_theme(theme)
        self.header.size_label.setText(f"{theme.percent}%")
        self.header.size_label.setAccessibleName(f"Text size {theme.percent} percent")
        self.header.smaller_button.setEnabled(theme.percent > self.text_sizes[0])
        self.header.larger_button.setEnabled(theme.percent < self.text_sizes[-1])
        self.header.contrast_button.blockSignals(True)
        self.header.contrast_button.setChecked(theme.high_contrast)
        self.header.contrast_button.blockSignals(False)
        for overlay in self._overlays():
            overlay.apply_theme(theme)
        for index in range(self.stack.count()):
            page = self.stack.widget(index)
            if isinstance(page, Page):
                page.apply_theme(theme)

    def resizeEvent(self, event: QResizeEvent) -> None:
        cap = controls_cap(self.height())
        if cap != self.theme.controls_max:
            self.theme = replace(self.theme, controls_max=cap)
            self._apply_theme()
        super().resizeEvent(event)

    # -- idle reset --------------------------------------------------------------------------

    def is_pristine(self) -> bool:
        """Nothing a patient did is on screen: no need to ask 'Still reading?'."""
        return (
            self.page() is self.home
            and self.home.area.verticalScrollBar().value() == 0
            and self.theme == _start_theme(self.settings, self.height())
            and not self.contents.isVisible()
        )

    def _on_idle(self) -> None:
        if self.is_pristine():
            self.idle.poke()
            return
        self.still_reading.start(self.idle_countdown_s)

    def _overlays(self) -> list[Overlay]:
        found: list[Overlay] = [self.still_reading, self.contents, self.notice]
        found += [self.sound] if self.sound is not None else []
        return found + self._staff_overlays()

    def _staff_overlays(self) -> list[Overlay]:
        return [o for o in (self.pin, self.staff_panel, self.usb) if o is not None]

    # -- staff ---------------------------------------------------------------------------------

    def _setup_staff(self, desk: StaffDesk | None) -> None:
        self.desk = desk
        self.pin: PinOverlay | None = None
        self.staff_panel: StaffPanel | None = None
        self.usb: UsbOverlay | None = None
        self.media: MediaWatcher | None = None
        self.inbox: Inbox | None = None
        self._open_usb_after_pin = False
        if desk is None:
            return
        self.staff_tasks = TaskRunner(threads=1, parent=self)
        self.pin = PinOverlay(self.content_area, desk.check_pin)
        self.pin.accepted.connect(self._staff_unlocked)
        self.staff_panel = StaffPanel(self.content_area)
        self.staff_panel.rollback_requested.connect(self._rollback)
        self.staff_panel.remove_requested.connect(self._remove)
        self.staff_panel.usb_requested.connect(self._open_usb)
        self.staff_panel.exit_requested.connect(self._exit_kiosk)
        self.usb = UsbOverlay(self.content_area)
        self.usb.install_requested.connect(self._install)
        self.long_press = LongPress(self.footer)
        self.long_press.held.connect(lambda: self.open_staff(usb=False))
        self.usb_banner.clicked.connect(lambda: self.open_staff(usb=True))
        self.media = MediaWatcher(self.settings["packs.watch_roots"], desk.find, self)
        self.media.changed.connect(self._stick_changed)
        self.media.start()
        inbox = str(self.settings["packs.inbox"])
        if inbox:
            self.inbox = Inbox(Path(inbox))
            self._inbox_timer = QTimer(self)
            self._inbox_timer.setInterval(INBOX_POLL_MS)
            self._inbox_timer.timeout.connect(self.check_inbox)
            self._inbox_timer.start()
        self._staff_status = ""

    def open_staff(self, *, usb: bool) -> None:
        if self.pin is not None:
            self.stop_speech()
            self._open_usb_after_pin = usb
            self.pin.ask()

    def _staff_unlocked(self) -> None:
        if self._open_usb_after_pin:
            self._open_usb()
        else:
            self.show_staff_panel()

    def show_staff_panel(self, status: str = "") -> None:
        if self.desk is None or self.staff_panel is None:
            return
        rows = [
            PackRow(p.id, p.title, p.version, p.previous_version) for p in self.desk.installed()
        ]
        usb = bool(self.media is not None and self.media.current)
        self.staff_panel.show_panel(rows, status or self._staff_status, usb=usb)

    def _run_staff(self, work: Callable[[], object], done: Callable[[object], None]) -> None:
        def failed(error: BaseException) -> None:
            self.show_staff_panel(
                str(error) if isinstance(error, LibraryRefused) else f"That did not work: {error}"
            )

        self.staff_tasks.run(work, done, failed)

    def _rollback(self, pack_id: str) -> None:
        assert self.desk is not None
        desk = self.desk

        def done(result: object) -> None:
            assert isinstance(result, InstalledPack)
            self.reload_library()
            self.show_staff_panel(f"{result.title} is back to version {result.version}.")

        self._run_staff(lambda: desk.rollback(pack_id), done)

    def _remove(self, pack_id: str) -> None:
        assert self.desk is not None
        desk = self.desk

        def done(_result: object) -> None:
            self.reload_library()
            self.show_staff_panel(f"Removed {pack_id}.")

        self._run_staff(lambda: desk.remove(pack_id), done)

    def _stick_changed(self, archives: list[Path]) -> None:
        count = len(archives)
        text = f"Staff: {count} topic pack{'s' if count != 1 else ''} on the USB stick. Tap here."
        self.usb_banner.title_label.setText(text)
        self.usb_banner.setAccessibleName(text)
        self.usb_banner.setVisible(bool(archives))

    def _open_usb(self) -> None:
        if self.desk is None or self.usb is None or self.media is None:
            return
        desk, usb, archives = self.desk, self.usb, list(self.media.current)
        if self.staff_panel is not None:
            self.staff_panel.hide()
        usb.show_checking(len(archives))
        self.staff_tasks.run(
            lambda: [desk.examine(a) for a in archives],
            usb.show_offers,
            lambda error: usb.show_summary([f"The packs could not be checked: {error}"]),
        )

    def _install(self, archives: list[Path]) -> None:
        assert self.desk is not None and self.usb is not None
        desk, usb = self.desk, self.usb

        def work() -> tuple[list[str], Catalog]:
            lines = []
            for index, archive in enumerate(archives):
                try:
                    pack = desk.install(
                        archive, partial(_share, usb.progress.emit, index, len(archives))
                    )
                except LibraryRefused as error:
                    lines.append(f"{archive.name}: not installed. {error}")
                else:
                    lines.append(f"Installed {pack.title}, version {pack.version}.")
            # Read here, on the worker: a new pack of thousands of topics is parsed once
            # (then kept in the topic cache), which must not freeze the screen.
            return lines, desk.catalog()

        def done(result: object) -> None:
            lines, catalog = cast("tuple[list[str], Catalog]", result)
            self.reload_library(catalog)
            usb.show_summary(lines)

        self.staff_tasks.run(work, done, lambda error: usb.show_summary([str(error)]))

    def check_inbox(self) -> None:
        """Packs a sync tool dropped in the inbox install by themselves, with every check."""
        if self.desk is None or self.inbox is None:
            return
        desk = self.desk
        for archive in self.inbox.ready():

            def done(result: object, name: str = archive.name) -> None:
                pack, catalog = cast("tuple[InstalledPack, Catalog]", result)
                self._staff_status = f"Inbox: installed {pack.title}, version {pack.version}."
                log.info("%s (%s)", self._staff_status, name)
                self.reload_library(catalog)

            def failed(error: BaseException, name: str = archive.name) -> None:
                self._staff_status = f"Inbox: {name} was not installed. {error}"
                log.warning("%s", self._staff_status)

            self.staff_tasks.run(partial(_install_and_read, desk, archive), done, failed)

    def reload_library(self, catalog: Catalog | None = None) -> None:
        """Show the library as it now is on disk (`catalog`, if it was read already, off the
        GUI thread). The page a patient is reading stays."""
        if self.desk is None:
            return
        self.catalog = catalog if catalog is not None else self.desk.catalog()
        self.prepare_search()
        old_home = self.home
        self.home = self._make_home()
        self.home.apply_theme(self.theme)
        if self.stack.currentWidget() is old_home:
            self._set_page(self.home, remember=False)
        self._history = [self.home if p is old_home else p for p in self._history]
        self.stack.removeWidget(old_home)
        old_home.hide()
        old_home.deleteLater()

    def _exit_kiosk(self) -> None:
        self.allow_close = True
        app = QApplication.instance()
        if app is not None:
            app.quit()

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
        self.contents.hide()
        self.notice.hide()
        if self.sound is not None:
            self.sound.hide()
        for overlay in self._staff_overlays():
            overlay.hide()
        if self.narrator is not None:
            self.narrator.reset()
        for page in self._history:
            page.leave()
        self._history.clear()
        self.theme = _start_theme(self.settings, self.height())
        old_home = self.home
        self.home = self._make_home()
        self._set_page(self.home, remember=False)
        self.stack.removeWidget(old_home)
        old_home.deleteLater()
        self._apply_theme()
        self.idle.poke()

    # -- kiosk mode --------------------------------------------------------------------------

    def enter_kiosk_mode(self) -> None:
        self.setWindowFlags(self.windowFlags() | Qt.WindowType.FramelessWindowHint)
        QGuiApplication.setOverrideCursor(Qt.CursorShape.BlankCursor)
        app = QApplication.instance()
        assert app is not None
        app.installEventFilter(_ShortcutSwallower(self))
        # Without a window manager (a bare X server) "fullscreen" is only a request; the
        # geometry makes it so anyway. Under cage or a WM the two agree.
        screen = self.screen() or QGuiApplication.primaryScreen()
        if screen is not None:
            self.setGeometry(screen.geometry())
        self.showFullScreen()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.allow_close:
            event.accept()
        else:
            event.ignore()


def _share(emit: Callable[[float], None], index: int, count: int, fraction: float) -> None:
    """Progress of one pack out of `count`, as a share of the whole bar."""
    emit((index + fraction) / count)


def _inside(target: QObject, ancestor: QWidget) -> bool:
    node: QObject | None = target
    while node is not None:
        if node is ancestor:
            return True
        node = node.parent()
    return False


class _ShortcutSwallower(QObject):
    """In kiosk mode no key combination closes, hides or leaves the window."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Shortcut:
            return True
        if event.type() in (QEvent.Type.KeyPress, QEvent.Type.ShortcutOverride):
            assert isinstance(event, QKeyEvent)
            mods = event.modifiers()
            if mods & (
                Qt.KeyboardModifier.ControlModifier
                | Qt.KeyboardModifier.AltModifier
                | Qt.KeyboardModifier.MetaModifier
            ) or event.key() in (
                Qt.Key.Key_Escape,
                Qt.Key.Key_F11,
                Qt.Key.Key_Close,
            ):
                event.accept()  # an accepted ShortcutOverride keeps shortcuts from firing
                return True
        return False
