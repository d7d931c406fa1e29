"""The header: navigation on the left (Home, Back), text size and contrast on the right."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QFrame, QGridLayout, QHBoxLayout, QLabel, QPushButton, QWidget

from kiosk.ui.theme import Theme


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
        # Names start with the words shown (WCAG 2.5.3): "A minus, smaller text".
        self.smaller_button = QPushButton("A−")
        self.smaller_button.setAccessibleName("A− smaller text")
        self.size_label = QLabel("100%")
        self.size_label.setObjectName("TextSizeLabel")
        self.size_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.larger_button = QPushButton("A+")
        self.larger_button.setAccessibleName("A+ larger text")
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

    def show_choices(self, theme: Theme, text_sizes: Sequence[int]) -> None:
        """The text size shown, the steps still open, and the contrast switch's state."""
        self.size_label.setText(f"{theme.percent}%")
        self.size_label.setAccessibleName(f"Text size {theme.percent} percent")
        self.smaller_button.setEnabled(theme.percent > text_sizes[0])
        self.larger_button.setEnabled(theme.percent < text_sizes[-1])
        self.contrast_button.blockSignals(True)
        self.contrast_button.setChecked(theme.high_contrast)
        self.contrast_button.blockSignals(False)
