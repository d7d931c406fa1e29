"""A list of thousands of topics without a widget per topic: a QListView over a small model,
painted by a delegate, laid out in batches so a long A-Z list never freezes a tap; and the row
of letters above it that jumps to the first topic under a letter."""

from __future__ import annotations

from collections.abc import Collection, Sequence

from PySide6.QtCore import (
    QAbstractListModel,
    QEvent,
    QModelIndex,
    QPersistentModelIndex,
    QPoint,
    QRect,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPen, QResizeEvent
from PySide6.QtWidgets import (
    QFrame,
    QListView,
    QPushButton,
    QScroller,
    QSizePolicy,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from kiosk.content.model import TopicHead
from kiosk.ui.inner_stops import RING_PX, ListRows
from kiosk.ui.letters import ALPHABET, OTHER
from kiosk.ui.theme import FONT_FAMILY, Theme
from kiosk.ui.widgets import make_kinetic

ID_ROLE = Qt.ItemDataRole.UserRole + 1
SUMMARY_ROLE = Qt.ItemDataRole.UserRole + 2
_Index = QModelIndex | QPersistentModelIndex


class TopicListModel(QAbstractListModel):
    def __init__(self, topics: Sequence[TopicHead]) -> None:
        super().__init__()
        self._rows = [(t.id, t.title, t.summary) for t in topics]

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 (Qt signature)
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        topic_id, title, summary = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return title
        if role == ID_ROLE:
            return topic_id
        if role == SUMMARY_ROLE:
            return summary
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return title
        return None


# Row heights already measured, by a hash of (text size, width, title, summary): measuring
# wrapped text is most of the time a long list takes to lay out (5,000 rows: 0.24 s the first
# time, 0.06 s after), and the A-Z list is opened again and again over a day. Bounded (about
# 100 bytes an entry): cleared when full.
_ROW_HEIGHTS: dict[int, int] = {}
_MAX_ROW_HEIGHTS = 20_000


class TileDelegate(QStyledItemDelegate):
    """Paints a row like a Tile: bold title and a muted summary, both wrapped, never cut."""

    def __init__(self, theme: Theme) -> None:
        super().__init__()
        self.set_theme(theme)

    def set_theme(self, theme: Theme) -> None:
        self.theme = theme
        self.title_font = QFont(FONT_FAMILY)
        self.title_font.setPixelSize(theme.hpx(24))
        self.title_font.setBold(True)
        self.text_font = QFont(FONT_FAMILY)
        self.text_font.setPixelSize(theme.px(19))
        self.title_metrics = QFontMetrics(self.title_font)
        self.text_metrics = QFontMetrics(self.text_font)
        self.pad = theme.px(12)
        self.gap = theme.gap

    def _blocks(self, width: int, title: str, summary: str) -> tuple[QRect, QRect]:
        inner = max(10, width - 2 * self.pad)
        flags = int(Qt.TextFlag.TextWordWrap)
        title_rect = self.title_metrics.boundingRect(QRect(0, 0, inner, 100_000), flags, title)
        text_rect = (
            self.text_metrics.boundingRect(QRect(0, 0, inner, 100_000), flags, summary)
            if summary
            else QRect()
        )
        return title_rect, text_rect

    def sizeHint(self, option: QStyleOptionViewItem, index: _Index) -> QSize:
        width = option.rect.width() or 400  # type: ignore[attr-defined]
        title, summary = str(index.data()), str(index.data(SUMMARY_ROLE) or "")
        key = hash((self.theme.percent, width, title, summary))
        height = _ROW_HEIGHTS.get(key)
        if height is None:
            title_rect, text_rect = self._blocks(width, title, summary)
            height = (
                2 * self.pad
                + title_rect.height()
                + (text_rect.height() + 4 if text_rect.height() else 0)
            )
            if len(_ROW_HEIGHTS) >= _MAX_ROW_HEIGHTS:
                _ROW_HEIGHTS.clear()
            _ROW_HEIGHTS[key] = height
        return QSize(width, max(height, self.theme.touch_px) + self.gap)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: _Index) -> None:
        palette = self.theme.palette
        rect = option.rect.adjusted(0, 0, 0, -self.gap)  # type: ignore[attr-defined]
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        pressed = bool(option.state & QStyle.StateFlag.State_Sunken)  # type: ignore[attr-defined]
        painter.setBrush(QColor(palette.header if pressed else palette.tile))
        painter.setPen(QPen(QColor(palette.tile_border), 3 if self.theme.high_contrast else 2))
        painter.drawRoundedRect(rect.adjusted(1, 1, -1, -1), self.theme.px(10), self.theme.px(10))
        if option.state & QStyle.StateFlag.State_HasFocus:  # type: ignore[attr-defined]
            # The row keys are on: a ring inside the row's border, in the text's colour (in
            # high contrast the border is already white: the ring takes the controls' yellow).
            ring = palette.link if self.theme.high_contrast else palette.text
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.setPen(QPen(QColor(ring), RING_PX))
            inset = 2 + RING_PX
            painter.drawRoundedRect(
                rect.adjusted(inset, inset, -inset, -inset), self.theme.px(8), self.theme.px(8)
            )
        title, summary = str(index.data()), str(index.data(SUMMARY_ROLE) or "")
        title_rect, text_rect = self._blocks(rect.width(), title, summary)
        flags = int(Qt.TextFlag.TextWordWrap)
        x, y = rect.left() + self.pad, rect.top() + self.pad
        painter.setFont(self.title_font)
        painter.setPen(QColor(palette.link))
        painter.drawText(
            QRect(x, y, rect.width() - 2 * self.pad, title_rect.height()), flags, title
        )
        if summary:
            painter.setFont(self.text_font)
            painter.setPen(QColor(palette.muted))
            top = y + title_rect.height() + 4
            painter.drawText(
                QRect(x, top, rect.width() - 2 * self.pad, text_rect.height()), flags, summary
            )
        painter.restore()


class TopicListView(QListView):
    """Tap a row to open the topic. Rows are laid out 200 at a time (Batched)."""

    topic_chosen = Signal(str)

    def __init__(self, topics: Sequence[TopicHead], theme: Theme) -> None:
        super().__init__()
        self.setObjectName("TopicList")
        self.model_ = TopicListModel(topics)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollMode(QListView.ScrollMode.ScrollPerPixel)
        self.setLayoutMode(QListView.LayoutMode.Batched)
        self.setBatchSize(200)
        self.setResizeMode(QListView.ResizeMode.Adjust)
        self.setWordWrap(True)
        # The model comes after the settings: setVerticalScrollMode with a model lays out
        # every row at once, at a new widget's default width (5,000 rows: half a second),
        # and the rows are laid out again at the real width.
        self.setModel(self.model_)
        self.delegate = TileDelegate(theme)
        self.setItemDelegate(self.delegate)
        self.setSelectionMode(QListView.SelectionMode.NoSelection)
        # Keys stop on each row in turn (kiosk/ui/inner_stops.py); a tap takes no focus.
        self.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.inner_stops = ListRows(self)
        self.clicked.connect(lambda index: self.topic_chosen.emit(str(index.data(ID_ROLE))))
        self.activated.connect(lambda index: self.topic_chosen.emit(str(index.data(ID_ROLE))))
        make_kinetic(self)
        # A jump to a row the batched layout has not reached yet waits for it: the row gets a
        # place before the scroll range has grown to reach it, and the first rows are laid out
        # again once the page has its real width. So the jump is tried again until the row is
        # at the top (or the list's end is on screen), unless a finger starts a drag.
        self._pending_row: int | None = None
        self._tries = 0
        self._pending = QTimer(self)
        self._pending.setInterval(15)
        self._pending.timeout.connect(self._try_jump)
        QScroller.scroller(self.viewport()).stateChanged.connect(self._scroller_state)

    def jump_to_row(self, row: int) -> None:
        """Scroll so that `row` is the first one on screen (or as near the top as the end of
        the list allows)."""
        QScroller.scroller(self.viewport()).stop()
        self._pending_row = row
        self._tries = 0
        if not self._try_jump():
            self._pending.start()

    def _try_jump(self) -> bool:
        row = self._pending_row
        self._tries += 1
        if row is not None and self._tries <= 400:  # 6 s: batches of 200 rows take a few ms
            index = self.model_.index(row, 0)
            if not self.visualRect(index).isValid():
                return False
            self.scrollTo(index, QListView.ScrollHint.PositionAtTop)
            if self.visualRect(index).top() != 0 and not self._end_on_screen():
                return False
        self._pending_row = None
        self._pending.stop()
        return True

    def _end_on_screen(self) -> bool:
        bar = self.verticalScrollBar()
        last = self.visualRect(self.model_.index(self.model_.rowCount() - 1, 0))
        return (
            bar.value() == bar.maximum()
            and last.isValid()
            and last.bottom() < self.viewport().height()
        )

    def _scroller_state(self, state: QScroller.State) -> None:
        if state == QScroller.State.Dragging:
            self._pending_row = None
            self._pending.stop()

    def apply_theme(self, theme: Theme) -> None:
        self.delegate.set_theme(theme)
        self.scheduleDelayedItemsLayout()

    def row_rect(self, row: int) -> QRect:
        return self.visualRect(self.model_.index(row, 0))

    def indexAt(self, point: QPoint) -> QModelIndex:
        found = super().indexAt(point)
        if found.isValid():
            return found
        # While the rows are still being laid out in batches, QListView.indexAt finds nothing
        # (its table of segments is only complete at the end), so a tap on the first screen
        # would be lost for the second or so that 5,000 rows take. Rows laid out so far have
        # their rectangles, one below the other: look for the point among those.
        laid, rows = 0, self.model_.rowCount()
        while laid < rows:  # the rows with a rectangle are a prefix: find its length
            middle = (laid + rows) // 2
            if self.row_rect(middle).isEmpty():
                rows = middle
            else:
                laid = middle + 1
        low, high = 0, laid
        while low < high:  # the first laid-out row whose bottom is at or below the point
            middle = (low + high) // 2
            if self.row_rect(middle).bottom() < point.y():
                low = middle + 1
            else:
                high = middle
        if low < laid and self.row_rect(low).contains(point):
            return self.model_.index(low, 0)
        return found


class LetterBar(QWidget):
    """A to Z above a long list, in as many balanced rows as the width needs. A letter with no
    topics stays in its place but cannot be tapped, so the alphabet keeps the shape a patient
    knows; "#" (topics starting with a digit or another sign) is there only when such topics are.

    The keys are placed by hand, and the bar's height follows its width (height-for-width)
    instead of being a minimum: while a new page is measured before it has its real width,
    a minimum of many narrow rows would make the whole window grow, and it would stay grown.
    (A QGridLayout here would hide our heightForWidth from the page's layout.)"""

    letter_chosen = Signal(str)

    def __init__(self, present: Collection[str]) -> None:
        super().__init__()
        self.setObjectName("LetterBar")
        policy = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)
        self.right_margin = 0
        self.spacing = 6
        self.keys: dict[str, QPushButton] = {}
        for key in (*ALPHABET, *([OTHER] if OTHER in present else [])):
            button = QPushButton(key, self)
            button.setObjectName("Letter")
            button.setAccessibleName(
                "Topics starting with a number or other sign"
                if key == OTHER
                else f"Topics starting with {key}"
            )
            button.setEnabled(key in present)
            button.clicked.connect(lambda _=False, k=key: self.letter_chosen.emit(k))
            self.keys[key] = button

    def apply_theme(self, theme: Theme, right_margin: int) -> None:
        """Letter keys are controls: they grow with the text size only as far as the screen
        allows (Theme.key_px), so on a short screen the list keeps its height."""
        self.right_margin = right_margin
        self.spacing = theme.cpx(6)
        self._place()

    def _key(self) -> QSize:
        size = QSize(0, 0)
        for button in self.keys.values():
            size = size.expandedTo(button.sizeHint())
        return size

    def columns_for(self, width: int) -> int:
        count = len(self.keys)
        room = width - self.right_margin
        fit = (room + self.spacing) // max(1, self._key().width() + self.spacing)
        columns = max(1, min(count, fit))
        rows = -(-count // columns)
        return -(-count // rows)  # balanced rows: 14 + 13, not 26 + 1

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        rows = -(-len(self.keys) // self.columns_for(width))
        return rows * self._key().height() + (rows - 1) * self.spacing

    def sizeHint(self) -> QSize:
        width = self.width() if self.width() > 0 else 600
        return QSize(width, self.heightForWidth(width))

    def minimumSizeHint(self) -> QSize:
        """One key wide, one row high: the real height comes from heightForWidth."""
        key = self._key()
        return QSize(key.width() + self.right_margin, key.height())

    def _place(self) -> None:
        """Equal keys filling the width, row by row."""
        columns = self.columns_for(self.width())
        key = self._key()
        room = self.width() - self.right_margin - (columns - 1) * self.spacing
        width = max(key.width(), room // columns)
        for index, button in enumerate(self.keys.values()):
            row, col = divmod(index, columns)
            x = col * (width + self.spacing)
            button.setGeometry(x, row * (key.height() + self.spacing), width, key.height())
        self.updateGeometry()

    def resizeEvent(self, event: QResizeEvent) -> None:
        self._place()
        super().resizeEvent(event)

    def event(self, event: QEvent) -> bool:
        # A key asks for a new layout when its size changes: the window's style sheet reaches
        # a new page's keys only once the page is in the window, and the text size changes
        # it again. Place them again, and have the page ask for the new height.
        if event.type() == QEvent.Type.LayoutRequest:
            self._place()
        return super().event(event)
