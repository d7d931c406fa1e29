"""Icons drawn from inline SVG, in the theme's button colour. The bundled font (DejaVu Sans)
has no loudspeaker symbol, and an emoji would show as an empty box."""

from __future__ import annotations

from functools import lru_cache

from PySide6.QtCore import QByteArray, QRectF, Qt
from PySide6.QtGui import QIcon, QPainter, QPixmap
from PySide6.QtSvg import QSvgRenderer

_SPEAKER = (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24">'
    '<path fill="{c}" d="M3 9v6h4l5 5V4L7 9H3z"/>'
    '<path fill="none" stroke="{c}" stroke-width="2" stroke-linecap="round" '
    'd="M15.5 8.5a5 5 0 0 1 0 7M18.5 5.5a9 9 0 0 1 0 13"/></svg>'
)


@lru_cache(maxsize=32)
def speaker_icon(colour: str, size: int) -> QIcon:
    """One icon per colour and size, shared by every page: Qt caches an icon's scaled pixmaps
    per QIcon, so a new QIcon for each page added entries to its pixmap cache until that held
    its whole 10 MB."""
    renderer = QSvgRenderer(QByteArray(_SPEAKER.format(c=colour).encode()))
    pixmap = QPixmap(size * 2, size * 2)  # drawn at 2x for sharp edges when scaled
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    renderer.render(painter, QRectF(0, 0, size * 2, size * 2))
    painter.end()
    return QIcon(pixmap)
