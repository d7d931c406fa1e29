"""The kiosk window: header, page area (with overlays), and the disclaimer footer.

The footer is a plain widget below the page area, outside every scroll area; overlays cover
the page area only. So no page, overlay, text size or window shape can hide the disclaimer.
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QEvent, QObject, Qt, Signal
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
from kiosk.speech.narrator import Narrator
from kiosk.ui.idle import IdleWatcher
from kiosk.ui.overlays import ContentsOverlay, Overlay, SoundOverlay, StillReadingOverlay
from kiosk.ui.pages import HomePage, Page, TopicListPage, TopicPage
from kiosk.ui.theme import Theme, controls_cap
from kiosk.ui.widgets import wrapped_label


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


class KioskWindow(QWidget):
    page_changed = Signal()

    def __init__(
        self,
        settings: Settings,
        catalog: Catalog,
        *,
        kiosk_mode: bool = False,
        narrator: Narrator | None = None,
    ) -> None:
        super().__init__()
        self.setObjectName("KioskWindow")
        self.setWindowTitle("Health information")
        self.settings = settings
        self.catalog = catalog
        self.kiosk_mode = kiosk_mode
        self.allow_close = not kiosk_mode
        self.text_sizes = settings.text_sizes
        self.narrator = narrator
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
        self.sound = SoundOverlay(self.content_area, narrator) if narrator is not None else None

        self.footer = wrapped_label(settings.disclaimer, "Footer")
        self.footer.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.footer.setAccessibleName("Disclaimer")

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.header)
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
        home = HomePage(self.catalog)
        home.category_chosen.connect(self.open_category)
        self.stack.addWidget(home)
        return home

    def _set_page(self, page: Page, *, remember: bool = True) -> None:
        current = self.stack.currentWidget()
        if isinstance(current, Page) and current is not page:
            current.leave()
        if remember and isinstance(current, Page):
            self._history.append(current)
        if page.parent() is not self.stack:
            self.stack.addWidget(page)
        page.apply_theme(self.theme)
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

    def open_topic(self, topic_id: str, part: int = 0) -> bool:
        topic = self.catalog.topic(topic_id)
        if topic is None:
            return False
        page = TopicPage(topic, self.catalog, self.narrator)
        page.topic_link.connect(self.open_topic)
        page.contents_requested.connect(self.show_contents)
        page.reading.sound_requested.connect(self.show_sound)
        page.show_part(part)
        self._set_page(page)
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
        found: list[Overlay] = [self.still_reading, self.contents]
        return found + ([self.sound] if self.sound is not None else [])

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
        if self.sound is not None:
            self.sound.hide()
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
