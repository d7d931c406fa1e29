"""The one focus model: which widgets are stops, in what order a person meets them, and how the
stop a key lands on is brought into view.

Keys (Up/Down, Tab), and later talking mode and screen readers, all move through the same
list: every control and every block of text, in reading order. Reading order comes from the
layouts (a grid row by row, a column top to bottom), not from the order widgets happened to be
made in, and not from their positions: a page is measured only once it is shown, and the
text further down a scrolled page is at the same place in the order wherever the page is
scrolled. Widgets outside any layout (overlays, keys placed by hand) follow by position.

A widget whose own content holds several stops (the blocks of a topic's text, the rows of a
long list) carries an `inner_stops` object (see `InnerStops`): keys step through its stops
first, and leave it at either end.
"""

from __future__ import annotations

from typing import Protocol

from PySide6.QtCore import QRect, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QGridLayout,
    QLabel,
    QLayout,
    QScrollArea,
    QSizePolicy,
    QWidget,
)


class InnerStops(Protocol):
    """Stops inside one widget (text blocks, list rows); the widget itself takes the focus."""

    def enter(self, forward: bool) -> bool:
        """Focus arrived from before (`forward`) or after: go to the first or last inner
        stop (or the first or last one on screen). False when there is none."""
        ...

    def step(self, forward: bool) -> bool:
        """Move one stop on; False at the end (the key then leaves the widget)."""
        ...

    def activate(self) -> bool:
        """Enter on the current stop; False when it does nothing."""
        ...

    def rect(self) -> QRect:
        """Where the current stop is, in the widget's coordinates (to bring it into view)."""
        ...


def inner_stops(widget: QWidget | None) -> InnerStops | None:
    return getattr(widget, "inner_stops", None) if widget is not None else None


def make_text_stop(label: QLabel) -> QLabel:
    """A block of text that keys stop on (to be read), but a tap does not focus.

    A focusable QLabel lays its text out like rich text, and its size hint becomes a
    narrower, taller "golden ratio" block; as a minimum height (the Minimum policy) that
    made the window grow on short screens. Its minimum is its minimum size hint instead (one
    line); layouts give it its height for its real width as before."""
    label.setFocusPolicy(Qt.FocusPolicy.TabFocus)
    policy = label.sizePolicy()
    if policy.verticalPolicy() == QSizePolicy.Policy.Minimum:
        policy.setVerticalPolicy(QSizePolicy.Policy.Preferred)
        label.setSizePolicy(policy)
    return label


def is_stop(widget: QWidget) -> bool:
    if not widget.focusPolicy() & Qt.FocusPolicy.TabFocus or not widget.isEnabled():
        return False
    if isinstance(widget, QLabel):
        return bool(widget.text().strip())
    return True


def _layout_order(layout: QLayout) -> list[QWidget]:
    items = [layout.itemAt(i) for i in range(layout.count())]
    if isinstance(layout, QGridLayout):
        grid = layout

        def place(i: int) -> tuple[int, int]:
            position: tuple[int, int, int, int] = grid.getItemPosition(i)  # type: ignore[assignment]
            return position[:2]

        items = [items[i] for i in sorted(range(len(items)), key=place)]
    found: list[QWidget] = []
    for item in items:
        if item is None:
            continue
        widget, inner = item.widget(), item.layout()
        if widget is not None:
            found.append(widget)
        elif inner is not None:
            found += _layout_order(inner)
    return found


def _children_in_order(widget: QWidget) -> list[QWidget]:
    children = [
        child
        for child in widget.children()
        if isinstance(child, QWidget) and not child.isWindow() and not child.isHidden()
    ]
    layout = widget.layout()
    laid = [w for w in _layout_order(layout) if w in children] if layout is not None else []
    placed = set(map(id, laid))
    rest = sorted(
        (c for c in children if id(c) not in placed), key=lambda c: (c.y(), c.x())
    )  # sorted() is stable: ties keep the stacking order
    return laid + rest


def reading_order(scope: QWidget) -> list[QWidget]:
    """Every stop under `scope` that is not hidden, in reading order. A stop's own children
    are not stops (a tile's labels are read as the tile)."""
    stops: list[QWidget] = []

    def walk(widget: QWidget) -> None:
        for child in _children_in_order(widget):
            if is_stop(child):
                stops.append(child)
            else:
                walk(child)

    walk(scope)
    return stops


def reveal(widget: QWidget, rect: QRect | None = None) -> None:
    """Scroll every scroll area that holds `widget` so `rect` (the whole widget by default)
    is on screen with a margin: a focused control is never out of sight, nor under the
    bars and the keyboard outside the scroll area (WCAG 2.4.11). A stop taller than the
    screen shows its top."""
    area = rect if rect is not None else widget.rect()
    node = widget.parentWidget()
    while node is not None:
        body = node.widget() if isinstance(node, QScrollArea) else None
        if isinstance(node, QScrollArea) and body is not None and body.isAncestorOf(widget):
            room = node.viewport().height()
            margin = min(room // 10, 40)
            top = widget.mapTo(body, area.topLeft())
            height = max(0, min(area.height(), room - 2 * margin))
            node.ensureVisible(top.x(), top.y() + height // 2, 0, height // 2 + margin)
        node = node.parentWidget()


def holds_focus(widget: QWidget) -> bool:
    """The focus is on `widget` or on something inside it."""
    focused = QApplication.focusWidget()
    return focused is not None and (focused is widget or widget.isAncestorOf(focused))


def focus_on(widget: QWidget, *, forward: bool = True, enter: bool = False) -> None:
    """Give `widget` the focus (with its first or last inner stop when `enter`) and bring it
    into view."""
    widget.setFocus(Qt.FocusReason.TabFocusReason if forward else Qt.FocusReason.BacktabFocusReason)
    inner = inner_stops(widget)
    if inner is not None and enter:
        inner.enter(forward)
    reveal(widget, inner.rect() if inner is not None else None)


def activates(widget: QWidget) -> bool:
    """A control that Enter presses (a button or tile), as opposed to text to be read."""
    return isinstance(widget, QAbstractButton)
