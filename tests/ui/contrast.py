"""Contrast as a person sees it: WCAG ratios between colours read from rendered pixels.

A border or a focus ring is measured where it crosses the middle of one side of a widget (clear
of rounded corners and of the words): going inward from outside the widget, the background
around it, then the run of ring pixels (its width), then the control's own colour.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QPoint
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QWidget


def luminance(colour: QColor) -> float:
    """WCAG 2 relative luminance of an sRGB colour."""

    def linear(channel: int) -> float:
        c = channel / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    return (
        0.2126 * linear(colour.red())
        + 0.7152 * linear(colour.green())
        + 0.0722 * linear(colour.blue())
    )


def ratio(a: QColor, b: QColor) -> float:
    light, dark = sorted((luminance(a), luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def _close(a: QColor, b: QColor) -> bool:
    return max(abs(a.red() - b.red()), abs(a.green() - b.green()), abs(a.blue() - b.blue())) <= 8


@dataclass(frozen=True, slots=True)
class Edge:
    """One side of a widget as drawn: what is around it, its border, and what is inside."""

    outside: QColor
    ring: QColor
    width: int  # pixels of the ring's colour, counted inward from the widget's edge
    inside: QColor

    def against_outside(self) -> float:
        return ratio(self.ring, self.outside)

    def against_inside(self) -> float:
        return ratio(self.ring, self.inside)

    def __str__(self) -> str:
        return (
            f"{self.width} px {self.ring.name()} between {self.outside.name()} "
            f"({self.against_outside():.2f}:1) and {self.inside.name()} "
            f"({self.against_inside():.2f}:1)"
        )


def edge(image: QImage, window: QWidget, widget: QWidget, side: str = "left") -> Edge:
    """The `side` ("left", "right", "top" or "bottom") of `widget` in `image`, a grab of
    `window`: read along the line through the middle of that side."""
    top_left = widget.mapTo(window, QPoint(0, 0))
    w, h = widget.width(), widget.height()
    if side == "left":
        start, step = QPoint(top_left.x(), top_left.y() + h // 2), QPoint(1, 0)
    elif side == "right":
        start, step = QPoint(top_left.x() + w - 1, top_left.y() + h // 2), QPoint(-1, 0)
    elif side == "top":
        start, step = QPoint(top_left.x() + w // 2, top_left.y()), QPoint(0, 1)
    else:
        start, step = QPoint(top_left.x() + w // 2, top_left.y() + h - 1), QPoint(0, -1)

    def at(n: int) -> QColor:
        point = start + step * n
        return image.pixelColor(point.x(), point.y())

    ring = at(0)
    width = 1
    while width < min(w, h) // 2 and _close(at(width), ring):
        width += 1
    # Two pixels clear of the edge: a layout's spacing is wider than that everywhere.
    return Edge(outside=at(-2), ring=ring, width=width, inside=at(width + 1))
