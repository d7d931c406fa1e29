"""What a person would notice, one JSON line on stderr at each change: the page, the part,
what has the focus, the open overlay, the voice's state and the volume.

Only with `KIOSK_STATUS_LINE=1` (see `kiosk run`): an end-to-end test drives the real window
from outside with real keys and reads what happened here, without a hook in the window and
without reading pixels. Off by default, and never for a kiosk in use: it names the pages a
patient opens, which the kiosk otherwise never records.
"""

from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING, TextIO

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel, QWidget

from kiosk.speech.choices import VOLUMES
from kiosk.ui.inner_stops import ListRows, TextBlocks
from kiosk.ui.pages import TopicPage
from kiosk.ui.search import SearchPage

if TYPE_CHECKING:
    from kiosk.ui.window import KioskWindow

PREFIX = "kiosk-status "
POLL_MS = 50


def focus_name(widget: QWidget | None) -> str:
    """The focused stop as a person would name it: a control's words, a block's text."""
    if widget is None:
        return ""
    inner = getattr(widget, "inner_stops", None)
    if isinstance(inner, TextBlocks):
        return "text: " + inner.current_text().strip()
    if isinstance(inner, ListRows):
        return "row: " + str(inner.current().data() or "")
    words = widget.accessibleName()
    if not words and isinstance(widget, QLabel | QAbstractButton):
        words = widget.text()
    return words.strip()


class StatusLine(QObject):
    def __init__(self, window: KioskWindow, stream: TextIO = sys.stderr) -> None:
        super().__init__(window)
        self._window = window
        self._stream = stream
        self._last: dict[str, object] = {}
        self._timer = QTimer(self)
        self._timer.setInterval(POLL_MS)  # a poll sees every change, whoever made it
        self._timer.timeout.connect(self.report)
        self._timer.start()
        if window.narrator is not None:  # every state, even one shorter than the poll
            window.narrator.state_changed.connect(self.report)

    def status(self) -> dict[str, object]:
        window = self._window
        page = window.page()
        narrator = window.narrator
        overlay = window.keys.overlay()
        found: dict[str, object] = {
            "page": page.title_text,
            "focus": focus_name(QApplication.focusWidget()),
            "overlay": type(overlay).__name__ if overlay is not None else "",
        }
        if isinstance(page, TopicPage):
            found["part"] = f"{page.index + 1}/{len(page.parts)}"
        if isinstance(page, SearchPage):
            found["typed"] = page.keyboard.text
            found["results"] = [tile.accessibleName() for tile in page.shown_results()]
        if narrator is not None:
            level = min(range(len(VOLUMES)), key=lambda i: abs(VOLUMES[i] - narrator.volume))
            found["voice"] = narrator.state
            found["volume"] = f"{level + 1}/{len(VOLUMES)}"
        return found

    def report(self) -> None:
        now = self.status()
        if now != self._last:
            self._last = now
            self._stream.write(PREFIX + json.dumps(now, ensure_ascii=False) + "\n")
            self._stream.flush()
