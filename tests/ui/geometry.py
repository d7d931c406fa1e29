"""What a patient would notice about a screen's geometry, as a list of problems (empty: fine).

Each check is phrased as what went wrong on screen, so a failing test reads like a bug report.
"""

from __future__ import annotations

from PySide6.QtCore import QRect
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractScrollArea,
    QApplication,
    QLabel,
    QPushButton,
    QScrollArea,
    QWidget,
)

from kiosk.ui.widgets import FitBrowser, Tile
from kiosk.ui.window import KioskWindow

MIN_TOUCH = 44


def settle() -> None:
    for _ in range(3):
        QApplication.processEvents()


def name(widget: QWidget) -> str:
    text = ""
    if isinstance(widget, Tile):
        text = widget.title()
    elif isinstance(widget, QLabel | QAbstractButton):
        text = widget.text()
    return f"{type(widget).__name__}({widget.objectName() or text[:40]!r})"


def _shown(window: KioskWindow) -> list[QWidget]:
    return [
        w for w in window.findChildren(QWidget) if w.isVisibleTo(window) and w.isWindow() is False
    ]


def _in_window(window: KioskWindow, widget: QWidget) -> QRect:
    return QRect(widget.mapTo(window, widget.rect().topLeft()), widget.size())


def footer_problems(window: KioskWindow, disclaimer: str) -> list[str]:
    footer = window.footer
    problems = []
    if not footer.isVisible():
        problems.append("the disclaimer footer is hidden")
    if footer.text() != disclaimer:
        problems.append(f"the footer says {footer.text()!r}, not the disclaimer")
    rect = _in_window(window, footer)
    if not window.rect().contains(rect):
        problems.append(f"the footer {rect} sticks out of the window {window.rect()}")
    if footer.height() < footer.heightForWidth(footer.width()):
        problems.append("the footer is too short to show the whole disclaimer")
    for sibling in (window.header, window.content_area):
        if _in_window(window, sibling).intersects(rect):
            problems.append(f"{name(sibling)} overlaps the footer")
    for overlay in (window.still_reading, window.contents):
        if overlay.isVisible() and _in_window(window, overlay).intersects(rect):
            problems.append(f"{name(overlay)} covers the footer")
    return problems


def _scrolled_content(widget: QWidget) -> bool:
    """Inside a scroll area's content: it may extend below the viewport, that is scrolling."""
    parent = widget.parentWidget()
    return parent is not None and isinstance(parent.parentWidget(), QScrollArea)


def layout_problems(
    window: KioskWindow, *, touch_targets: bool, size: tuple[int, int] | None = None
) -> list[str]:
    problems = []
    if size is not None and (window.width(), window.height()) != size:
        problems.append(f"the window grew to {window.width()}x{window.height()} from {size}")
    if window.size() != window.size().expandedTo(window.minimumSizeHint()):
        problems.append(f"the window needs {window.minimumSizeHint()} but is {window.size()}")
    for widget in _shown(window):
        label = name(widget)
        parent = widget.parentWidget()
        clipped = parent is not None and not parent.rect().contains(widget.geometry())
        if clipped and not _scrolled_content(widget):
            problems.append(
                f"{label} at {widget.geometry()} is cut off by its parent {parent.rect()}"
            )
        text = widget.text() if isinstance(widget, QLabel | QAbstractButton) else ""
        metrics = QFontMetrics(widget.font())
        missing = sorted({c for c in text if not c.isspace() and not metrics.inFontUcs4(ord(c))})
        if missing:
            problems.append(f"{label} shows {missing} as empty boxes: the font has no such glyph")
        if isinstance(widget, QLabel) and widget.text():
            if widget.wordWrap():
                if widget.height() < widget.heightForWidth(widget.width()):
                    problems.append(f"{label} is too short for its wrapped text")
            elif widget.width() < widget.sizeHint().width():
                problems.append(f"{label} is too narrow for its text")
        if isinstance(widget, QPushButton) and not isinstance(widget, Tile):
            hint = widget.sizeHint()
            if widget.width() < hint.width() or widget.height() < widget.minimumSizeHint().height():
                problems.append(f"{label} {widget.size()} is too small for its text {hint}")
        if isinstance(widget, Tile) and widget.height() < widget.heightForWidth(widget.width()):
            problems.append(f"{label} is too short for its text")
        if isinstance(widget, QAbstractScrollArea) and widget.horizontalScrollBar().maximum() > 0:
            inner = widget.widget() if isinstance(widget, QScrollArea) else None
            problems.append(
                f"{label} in {name(widget.parentWidget())} scrolls sideways by "
                f"{widget.horizontalScrollBar().maximum()} px (content"
                f" {inner and inner.width()}, needs {inner and inner.minimumSizeHint().width()},"
                f" view {widget.viewport().width()})"
            )
        if isinstance(widget, FitBrowser):
            ideal = widget.document().idealWidth()
            if ideal > widget.viewport().width() + 1:
                problems.append(
                    f"{label} text is {ideal:.0f} px wide in {widget.viewport().width()} px"
                )
        small = widget.width() < MIN_TOUCH or widget.height() < MIN_TOUCH
        if touch_targets and isinstance(widget, QAbstractButton) and small:
            problems.append(f"{label} is a {widget.width()}x{widget.height()} touch target")
    return problems


def page_problems(
    window: KioskWindow, disclaimer: str, where: str, size: tuple[int, int]
) -> list[str]:
    settle()
    found = footer_problems(window, disclaimer)
    found += layout_problems(window, touch_targets=window.text_size == 100, size=size)
    return [f"{where}: {p}" for p in found]
