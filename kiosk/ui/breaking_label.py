"""A wrapped label whose one word too long for the line breaks inside the word, instead of
making the page wider than the screen.

QLabel wraps only between words, so its narrowest width is its longest word. A heading at
300% is about 85 px high: "Manipulation" alone is then wider than an 800 px screen, and a
clinic's own title ("Gastroenteritis") can be wider at 200%. Body text already breaks such a
word (`FitBrowser`, WrapAtWordBoundaryOrAnywhere); this does the same for headings. Words
that fit are never broken.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QPointF, QSize, Qt
from PySide6.QtGui import QPainter, QPaintEvent, QTextLayout, QTextOption
from PySide6.QtWidgets import QLabel


class BreakingLabel(QLabel):
    """Plain text only (headings); anything else is left to QLabel."""

    def _plain(self) -> bool:
        return self.wordWrap() and self.textFormat() == Qt.TextFormat.PlainText

    def _lines(self, width: int) -> tuple[QTextLayout, float]:
        option = QTextOption(self.alignment() & Qt.AlignmentFlag.AlignHorizontal_Mask)
        option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        layout = QTextLayout(self.text(), self.font())
        layout.setTextOption(option)
        layout.beginLayout()
        height = 0.0
        while True:
            line = layout.createLine()
            if not line.isValid():
                break
            line.setLineWidth(max(1, width))
            line.setPosition(QPointF(0, height))
            height += line.height()
        layout.endLayout()
        return layout, height

    def _spare(self) -> tuple[int, int]:
        """Width and height taken by margins (a style sheet's padding and border included)."""
        margins = self.contentsMargins()
        extra = 2 * self.margin()
        return margins.left() + margins.right() + extra, margins.top() + margins.bottom() + extra

    def heightForWidth(self, width: int) -> int:
        if not self._plain():
            return super().heightForWidth(width)
        spare_w, spare_h = self._spare()
        return math.ceil(self._lines(width - spare_w)[1]) + spare_h

    def minimumSizeHint(self) -> QSize:
        if not self._plain():
            return super().minimumSizeHint()
        # Two wide letters wide: never the reason a page is wider than its screen. One line
        # high: the real height comes from heightForWidth at the width the label gets.
        spare_w, spare_h = self._spare()
        metrics = self.fontMetrics()
        return QSize(spare_w + 2 * metrics.horizontalAdvance("W"), spare_h + metrics.height())

    def paintEvent(self, event: QPaintEvent) -> None:
        if not self._plain():
            super().paintEvent(event)
            return
        painter = QPainter(self)
        self.drawFrame(painter)
        rect = self.contentsRect().adjusted(
            self.margin(), self.margin(), -self.margin(), -self.margin()
        )
        layout, height = self._lines(rect.width())
        top = float(rect.top())
        vertical = self.alignment() & Qt.AlignmentFlag.AlignVertical_Mask
        if vertical & Qt.AlignmentFlag.AlignVCenter:
            top += max(0.0, (rect.height() - height) / 2)
        elif vertical & Qt.AlignmentFlag.AlignBottom:
            top += max(0.0, rect.height() - height)
        painter.setPen(self.palette().color(self.foregroundRole()))
        layout.draw(painter, QPointF(rect.left(), top))
