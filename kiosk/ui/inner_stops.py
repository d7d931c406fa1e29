"""Stops inside one widget: the blocks of a topic's text and the rows of a long list.

A section can be several screens of text, and a list thousands of rows; as one stop each, a
keypad user could not get past the first screen of either. So keys step through the blocks
(paragraph, list item, heading, table cell, picture) and rows one at a time, each brought
into view, and leave the widget at either end (kiosk/ui/focus.py, `InnerStops`).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QModelIndex, QObject, QPoint, QRect, Qt, Signal
from PySide6.QtGui import QPainter, QPaintEvent, QPalette, QPen, QTextBlock
from PySide6.QtWidgets import QAbstractItemView, QTextEdit, QWidget

RING_PX = 3


class TextBlocks(QObject):
    """The non-empty blocks of a QTextEdit's document as stops, the current one ringed while
    the text has the focus. Enter on a block emits `activated` with its first position (the
    topic page reads aloud from there)."""

    activated = Signal(int)

    def __init__(self, edit: QTextEdit) -> None:
        super().__init__(edit)
        self._edit = edit
        self.index = -1
        self._ring = _BlockRing(edit, self)
        edit.document().contentsChanged.connect(self._forget)

    def blocks(self) -> list[QTextBlock]:
        found = []
        block = self._edit.document().begin()
        while block.isValid():
            if block.text().strip():  # a picture is U+FFFC, not blank
                found.append(block)
            block = block.next()
        return found

    def current(self) -> QTextBlock | None:
        blocks = self.blocks()
        return blocks[self.index] if 0 <= self.index < len(blocks) else None

    def current_text(self) -> str:
        block = self.current()
        return block.text() if block is not None else ""

    def enter(self, forward: bool) -> bool:
        count = len(self.blocks())
        self.index = (0 if forward else count - 1) if count else -1
        self._ring.update()
        return count > 0

    def step(self, forward: bool) -> bool:
        index = self.index + (1 if forward else -1)
        if not 0 <= index < len(self.blocks()):
            return False
        self.index = index
        self._ring.update()
        return True

    def activate(self) -> bool:
        block = self.current()
        if block is None:
            return False
        self.activated.emit(block.position())
        return True

    def block_rect(self) -> QRect:
        """The current block in the viewport's coordinates (the text never scrolls itself:
        a FitBrowser is as tall as its text)."""
        block = self.current()
        if block is None:
            return QRect()
        layout = self._edit.document().documentLayout()
        return layout.blockBoundingRect(block).toAlignedRect()

    def rect(self) -> QRect:
        area = self.block_rect()
        if area.isNull():
            return self._edit.rect()
        return area.translated(self._edit.viewport().mapTo(self._edit, QPoint(0, 0)))

    def _forget(self) -> None:
        self.index = -1
        self._ring.update()


class _BlockRing(QWidget):
    """Draws the ring around the focused block in the text's own colour (so it has the
    text's contrast in every theme). It lies over the text and a little beyond it, in the
    page's margin, so the ring never touches a letter; taps go through it to the text."""

    OUTSET = RING_PX + 4

    def __init__(self, edit: QTextEdit, blocks: TextBlocks) -> None:
        super().__init__()
        self._blocks = blocks
        self._edit = edit
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        edit.installEventFilter(self)
        self.hide()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind in (
            QEvent.Type.FocusIn,
            QEvent.Type.FocusOut,
            QEvent.Type.Move,
            QEvent.Type.Resize,
            QEvent.Type.ParentChange,
            QEvent.Type.Hide,
        ):
            self.update()
        return False

    def update(self) -> None:  # type: ignore[override]
        """Placed again over the text (it may have moved, or moved to another parent)."""
        edit, host = self._edit, self._edit.parentWidget()
        shown = host is not None and edit.hasFocus() and self._blocks.current() is not None
        if not shown or host is None:
            self.hide()
            return
        if self.parentWidget() is not host:
            self.setParent(host)
        out = self.OUTSET
        self.setGeometry(edit.geometry().adjusted(-out, -out, out, out))
        self.raise_()
        self.show()
        super().update()

    def paintEvent(self, event: QPaintEvent) -> None:
        area = self._blocks.block_rect()
        if area.isNull():
            return
        # The ring lies OUTSET beyond the text's top left corner.
        origin = self._edit.viewport().mapTo(self._edit, QPoint(self.OUTSET, self.OUTSET))
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(self._edit.palette().color(QPalette.ColorRole.Text), RING_PX))
        gap = self.OUTSET - RING_PX // 2 - 1
        painter.drawRoundedRect(area.translated(origin).adjusted(-gap, -gap, gap, gap), 6, 6)
        painter.end()


class ListRows(QObject):
    """The rows of a list view as stops. Entering from above starts at the first row on
    screen (after a letter jump, the letter's first topic), from below at the last one.
    Enter emits the view's own `activated`, as a tap emits `clicked`."""

    def __init__(self, view: QAbstractItemView) -> None:
        super().__init__(view)
        self._view = view
        view.setAutoScroll(False)  # the jump to a letter places rows itself; see step()

    def _rows(self) -> int:
        model = self._view.model()
        return model.rowCount() if model is not None else 0

    def _on_screen(self, y: int, fallback: int) -> int:
        found = self._view.indexAt(QPoint(self._view.viewport().width() // 2, y))
        return found.row() if found.isValid() else fallback

    def enter(self, forward: bool) -> bool:
        rows = self._rows()
        if not rows:
            return False
        height = self._view.viewport().height()
        row = self._on_screen(1, 0) if forward else self._on_screen(height - 2, rows - 1)
        self.go_to(row)
        return True

    def go_to(self, row: int) -> None:
        model = self._view.model()
        if model is None:
            return
        index = model.index(row, 0)
        self._view.setCurrentIndex(index)
        self._view.scrollTo(index, QAbstractItemView.ScrollHint.EnsureVisible)

    def step(self, forward: bool) -> bool:
        row = self._view.currentIndex().row() + (1 if forward else -1)
        if not 0 <= row < self._rows():
            return False
        self.go_to(row)
        return True

    def current(self) -> QModelIndex:
        return self._view.currentIndex()

    def activate(self) -> bool:
        index = self._view.currentIndex()
        if not index.isValid():
            return False
        self._view.activated.emit(index)
        return True

    def rect(self) -> QRect:
        area = self._view.visualRect(self._view.currentIndex())
        return area.translated(self._view.viewport().mapTo(self._view, QPoint(0, 0)))
