"""Small touch widgets that wrap their text instead of clipping it."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QEvent, QObject, QPoint, QSize, Qt, Signal
from PySide6.QtGui import QFocusEvent, QResizeEvent, QTextOption
from PySide6.QtWidgets import (
    QAbstractScrollArea,
    QFrame,
    QGridLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QScroller,
    QScrollerProperties,
    QSizePolicy,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from kiosk.ui import roles
from kiosk.ui.breaking_label import BreakingLabel
from kiosk.ui.focus import make_text_stop
from kiosk.ui.inner_stops import TextBlocks

# Headings are the largest text: a long word in one must break rather than widen the page.
_HEADINGS = frozenset({"PageTitle", "ListTitle", "SectionTitle", "CardTitle"})


def wrapped_label(text: str, name: str = "", *, selectable: bool = False) -> QLabel:
    label = BreakingLabel(text) if name in _HEADINGS else QLabel(text)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    if name:
        label.setObjectName(name)
    if not selectable:
        label.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
    label.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
    return make_text_stop(label)  # keys stop on every block of text (kiosk/ui/focus.py)


def title_label(text: str, name: str = "PageTitle") -> QLabel:
    """A page's title: a heading of level 1 that can hold the focus (keys and screen readers
    start a page there)."""
    label = roles.heading(wrapped_label(text, name), 1)
    label.setFocusPolicy(Qt.FocusPolicy.TabFocus)
    return label


class Tile(QPushButton):
    """A large button whose title (and optional line of text) wraps onto as many lines as the
    text size needs. The text lives in child labels; the button itself has no text, so its
    accessible name carries the title."""

    def __init__(self, title: str, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setProperty("tile", True)
        self.setAccessibleName(title)
        self.setAccessibleDescription(text)  # read after the title
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)
        self._layout = layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 10, 14, 10)
        layout.setSpacing(4)
        self.title_label = wrapped_label(title, "TileTitle")
        layout.addWidget(self.title_label)
        self.text_label: QLabel | None = None
        if text:
            self.text_label = wrapped_label(text, "TileText")
            layout.addWidget(self.text_label)
        layout.addStretch(1)  # in a row of taller tiles, the text stays at the top
        for label in self.findChildren(QLabel):
            label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
            label.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the tile is the stop, read whole

    def title(self) -> str:
        return self.title_label.text()

    def set_current(self, current: bool) -> None:
        self.setProperty("current", current)
        self.style().unpolish(self)
        self.style().polish(self)

    # A focused tile turns the focus colour: its words change colour with it (a style sheet
    # cannot style a child by its parent's focus).
    def focusInEvent(self, event: QFocusEvent) -> None:
        self._show_focus(True)
        super().focusInEvent(event)

    def focusOutEvent(self, event: QFocusEvent) -> None:
        self._show_focus(False)
        super().focusOutEvent(event)

    def _show_focus(self, focused: bool) -> None:
        for label in (self.title_label, self.text_label):
            if label is not None:
                label.setProperty("focused", focused)
                label.style().unpolish(label)
                label.style().polish(label)

    # The child layout, not QPushButton's text, decides the size.
    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        # Summed from the labels: QBoxLayout's own height-for-width cache can hold a value
        # from before a style sheet change.
        margins = self._layout.contentsMargins()
        inner = width - margins.left() - margins.right()
        labels = [self.title_label, *([self.text_label] if self.text_label else [])]
        height = sum(label.heightForWidth(inner) for label in labels)
        height += self._layout.spacing() * (len(labels) - 1) + margins.top() + margins.bottom()
        return max(height, self.minimumHeight())

    def sizeHint(self) -> QSize:
        return self._layout.sizeHint()

    def minimumSizeHint(self) -> QSize:
        hint = self._layout.minimumSize()
        return QSize(min(hint.width(), 200), hint.height())


class TileGrid(QWidget):
    """Tiles in as many columns as fit at the current text size, re-flowed on every resize."""

    def __init__(self, min_tile_width: int = 320, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        roles.mark(self, "list")  # a screen reader says how many tiles there are
        self._grid = QGridLayout(self)
        self._grid.setContentsMargins(0, 0, 0, 0)
        self._tiles: list[QWidget] = []
        self._columns = 0
        self.min_tile_width = min_tile_width

    def set_tiles(self, tiles: Sequence[QWidget]) -> None:
        for tile in self._tiles:
            self._grid.removeWidget(tile)
            tile.hide()  # deleteLater only runs once control is back in the event loop
            tile.deleteLater()
        self._tiles = list(tiles)
        self._columns = 0
        self._reflow(self.width())

    def tiles(self) -> list[QWidget]:
        return list(self._tiles)

    def set_spacing(self, spacing: int) -> None:
        self._grid.setSpacing(spacing)

    def set_min_tile_width(self, width: int) -> None:
        self.min_tile_width = width
        self._columns = 0
        self._reflow(self.width())

    def _reflow(self, width: int) -> None:
        columns = max(1, min(4, width // max(1, self.min_tile_width)))
        if columns == self._columns:
            return
        self._columns = columns
        for tile in self._tiles:
            self._grid.removeWidget(tile)
        for col in range(4):
            self._grid.setColumnStretch(col, 1 if col < columns else 0)
        for index, tile in enumerate(self._tiles):
            self._grid.addWidget(tile, index // columns, index % columns)

    def resizeEvent(self, event: QResizeEvent) -> None:
        self._reflow(self.width())
        super().resizeEvent(event)


class _Flick:
    """The one finger-drag gesture type every scrolling page shares.

    QScroller.grabGesture registers a new gesture recognizer each time it is called, with a new
    gesture type number that Qt never reuses, and PySide6 keeps a Python enum class for every
    new number: pages are rebuilt on every visit, so memory grew all day. The recognizer only
    needs the widget it sees events for to have a QScroller, so it is registered once, on an
    object of its own, and each viewport grabs that type.

    That object has no parent on purpose: as a child of the application it would be deleted
    after Qt's gesture manager and crash the process on the way out."""

    holder: QObject | None = None
    gesture = Qt.GestureType.CustomGesture

    @classmethod
    def gesture_type(cls) -> Qt.GestureType:
        if cls.holder is None:
            cls.holder = QObject()
            cls.gesture = QScroller.grabGesture(
                cls.holder, QScroller.ScrollerGestureType.LeftMouseButtonGesture
            )
        return cls.gesture


def make_kinetic(area: QAbstractScrollArea) -> None:
    """Drag with a finger (or a mouse-emulating touch panel) to scroll, vertically only."""
    viewport = area.viewport()
    scroller = QScroller.scroller(viewport)  # before the grab: the gesture looks for it
    viewport.grabGesture(_Flick.gesture_type())
    props = scroller.scrollerProperties()
    props.setScrollMetric(
        QScrollerProperties.ScrollMetric.HorizontalOvershootPolicy,
        QScrollerProperties.OvershootPolicy.OvershootAlwaysOff,
    )
    props.setScrollMetric(
        QScrollerProperties.ScrollMetric.VerticalOvershootPolicy,
        QScrollerProperties.OvershootPolicy.OvershootAlwaysOff,
    )
    scroller.setScrollerProperties(props)


class ScrollPage(QScrollArea):
    """A vertically scrolling page body that never scrolls sideways: content is as wide as the
    viewport and wraps."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        # Not a stop itself: it held the arrow keys (they scrolled it instead of moving on).
        # Keys move through what it holds, and focus.reveal scrolls to the one focused.
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.body = QWidget()
        self.body.setObjectName("ScrollBody")
        self.column = QVBoxLayout(self.body)
        self.setWidget(self.body)
        make_kinetic(self)

    def set_margins(self, margin: int, spacing: int) -> None:
        self.column.setContentsMargins(margin, margin, margin, margin)
        self.column.setSpacing(spacing)

    def to_top(self) -> None:
        QScroller.scroller(self.viewport()).stop()
        self.verticalScrollBar().setValue(0)


class FitBrowser(QTextBrowser):
    """Rich text that is exactly as tall as its content, to live inside a ScrollPage (one
    scroll for the whole section). Links are reported, never opened."""

    link_activated = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.LinksAccessibleByMouse)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)
        # Keys stop on each block of the text in turn (a tap does not take the focus).
        self.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.inner_stops = TextBlocks(self)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.document().setDocumentMargin(0)
        # A word longer than the line (a drug name at 200%) breaks rather than scroll sideways.
        self.setWordWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        self.anchorClicked.connect(lambda url: self.link_activated.emit(url.toString()))
        self.document().documentLayout().documentSizeChanged.connect(self._fit)

    def _fit(self, *_args: object) -> None:
        doc = self.document()
        doc.setTextWidth(self.viewport().width())
        height = int(doc.size().height()) + 2 * self.frameWidth() + 2
        if height != self.height():
            self.setFixedHeight(height)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self._fit()


class GestureFilter(QObject):
    """Turns a mostly-horizontal drag into previous/next and a press-release that hardly
    moved into a tap. Vertical drags stay scrolls (QScroller sees the same events)."""

    swiped = Signal(int)  # -1: to the previous section (finger moved right), +1: to the next
    tapped = Signal(QObject, QPoint)  # the widget and the position in it

    def __init__(self, threshold: int = 120, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.threshold = threshold
        self.tap_slop = 12
        self._start: tuple[float, float] | None = None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind == QEvent.Type.MouseButtonPress:
            pos = event.globalPosition()  # type: ignore[attr-defined]
            self._start = (pos.x(), pos.y())
        elif kind == QEvent.Type.MouseButtonRelease and self._start is not None:
            pos = event.globalPosition()  # type: ignore[attr-defined]
            dx, dy = pos.x() - self._start[0], pos.y() - self._start[1]
            self._start = None
            if abs(dx) >= self.threshold and abs(dx) > 2 * abs(dy):
                self.swiped.emit(-1 if dx > 0 else 1)
            elif abs(dx) <= self.tap_slop and abs(dy) <= self.tap_slop:
                self.tapped.emit(watched, event.position().toPoint())  # type: ignore[attr-defined]
        return False


class ButtonBar(QFrame):
    """Buttons in equal columns, in as many rows as the text size needs: a bar of controls
    never clips a label or pushes the window wider."""

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self._grid = QGridLayout(self)
        self._buttons: list[QWidget] = []
        self._columns = 0

    def set_buttons(self, buttons: Sequence[QWidget]) -> None:
        for button in self._buttons:
            self._grid.removeWidget(button)
            if button not in buttons:
                button.hide()
        self._buttons = list(buttons)
        for button in self._buttons:
            if button.parentWidget() is not self:
                # Shown without a parent, a button is a window of its own for a moment:
                # it flashed on screen and took the keyboard from the kiosk.
                button.setParent(self)
            button.show()
        self._columns = 0
        self.reflow()

    def buttons(self) -> list[QWidget]:
        return list(self._buttons)

    def set_spacing(self, margin: int, spacing: int) -> None:
        self._grid.setContentsMargins(margin, margin, margin, margin)
        self._grid.setSpacing(spacing)
        self._columns = 0
        self.reflow()

    def _fits(self, columns: int) -> bool:
        margins = self._grid.contentsMargins()
        room = self.width() - margins.left() - margins.right()
        room -= (columns - 1) * self._grid.spacing()
        hints = [b.sizeHint().width() for b in self._buttons]
        if columns == len(hints):
            # One row may share the width by what each button needs: at large text on a
            # 1280 px screen, Previous, Read aloud, Contents and Next then keep one row (the
            # text above keeps its height) where four equal columns would not hold them.
            return sum(hints) <= room
        return columns * max(hints, default=0) <= room

    def reflow(self) -> None:
        count = len(self._buttons)
        columns = max(1, count)
        while columns > 1 and not self._fits(columns):
            columns -= 1
        rows = -(-count // columns) if count else 1
        columns = max(1, -(-count // rows))  # balanced rows: 2 + 2, not 3 + 1
        if columns == self._columns:
            return
        self._columns = columns
        for button in self._buttons:
            self._grid.removeWidget(button)
        one_row = columns == count
        for col in range(max(count, 1)):
            share = self._buttons[col].sizeHint().width() if one_row and count else 1
            self._grid.setColumnStretch(col, share if col < columns else 0)
        for index, button in enumerate(self._buttons):
            self._grid.addWidget(button, index // columns, index % columns)

    def minimumSizeHint(self) -> QSize:
        """As narrow as one column: the bar re-flows into more rows rather than ever making
        the window wider (the grid's own hint is for whatever columns it has right now)."""
        hint = super().minimumSizeHint()
        margins = self._grid.contentsMargins()
        widest = max((b.minimumSizeHint().width() for b in self._buttons), default=0)
        return QSize(widest + margins.left() + margins.right(), hint.height())

    def resizeEvent(self, event: QResizeEvent) -> None:
        self.reflow()
        super().resizeEvent(event)
