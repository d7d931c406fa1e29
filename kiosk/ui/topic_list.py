"""A list of thousands of topics without a widget per topic: a QListView over a small model,
painted by a delegate, laid out in batches so a long A-Z list never freezes a tap."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QPersistentModelIndex,
    QPoint,
    QRect,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPen
from PySide6.QtWidgets import QFrame, QListView, QStyle, QStyledItemDelegate, QStyleOptionViewItem

from kiosk.content.model import TopicHead
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


class TileDelegate(QStyledItemDelegate):
    """Paints a row like a Tile: bold title and a muted summary, both wrapped, never cut."""

    def __init__(self, theme: Theme) -> None:
        super().__init__()
        self.set_theme(theme)

    def set_theme(self, theme: Theme) -> None:
        self.theme = theme
        self.title_font = QFont(FONT_FAMILY)
        self.title_font.setPixelSize(theme.px(24))
        self.title_font.setBold(True)
        self.text_font = QFont(FONT_FAMILY)
        self.text_font.setPixelSize(theme.px(19))
        self.pad = theme.px(12)
        self.gap = theme.gap

    def _blocks(self, width: int, title: str, summary: str) -> tuple[QRect, QRect]:
        inner = max(10, width - 2 * self.pad)
        flags = int(Qt.TextFlag.TextWordWrap)
        title_rect = QFontMetrics(self.title_font).boundingRect(
            QRect(0, 0, inner, 100_000), flags, title
        )
        text_rect = (
            QFontMetrics(self.text_font).boundingRect(QRect(0, 0, inner, 100_000), flags, summary)
            if summary
            else QRect()
        )
        return title_rect, text_rect

    def sizeHint(self, option: QStyleOptionViewItem, index: _Index) -> QSize:
        width = option.rect.width() or 400  # type: ignore[attr-defined]
        title_rect, text_rect = self._blocks(
            width, str(index.data()), str(index.data(SUMMARY_ROLE) or "")
        )
        height = (
            2 * self.pad
            + title_rect.height()
            + (text_rect.height() + 4 if text_rect.height() else 0)
        )
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
        self.setModel(self.model_)
        self.delegate = TileDelegate(theme)
        self.setItemDelegate(self.delegate)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollMode(QListView.ScrollMode.ScrollPerPixel)
        self.setLayoutMode(QListView.LayoutMode.Batched)
        self.setBatchSize(200)
        self.setResizeMode(QListView.ResizeMode.Adjust)
        self.setWordWrap(True)
        self.setSelectionMode(QListView.SelectionMode.NoSelection)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.clicked.connect(lambda index: self.topic_chosen.emit(str(index.data(ID_ROLE))))
        make_kinetic(self)

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
