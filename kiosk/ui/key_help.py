"""What the keys do, in a few plain lines: shown on screen and read aloud when a patient
presses the Help key (F1 or ?). The words name what is on the keys, not key codes."""

from __future__ import annotations

from PySide6.QtWidgets import QPushButton, QWidget

from kiosk.ui.overlays import Overlay
from kiosk.ui.widgets import wrapped_label

TITLE = "Using the keys"
LINES = (
    "Up and down arrows: move to the next thing on the screen.",
    "Enter: choose it.",
    "Back, or Escape: go back.",
    "Left and right arrows: the part before or after.",
    "Plus and minus: louder or quieter.",
    "Help, or the question mark: hear this again.",
)


def help_text() -> str:
    return " ".join((f"{TITLE}.", *LINES))


class HelpOverlay(Overlay):
    """The key help. Its lines are text stops, so Up and Down read them one by one."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.card_layout.addWidget(wrapped_label(TITLE, "CardTitle"))
        self.lines = [wrapped_label(line) for line in LINES]
        for label in self.lines:
            self.card_layout.addWidget(label)
        self.close_button = QPushButton("OK")
        self.close_button.clicked.connect(self.close_overlay)
        self.card_layout.addWidget(self.close_button)

    def show_help(self) -> None:
        self.open()
