"""Status messages that a screen reader says without the patient moving to them (WCAG 4.1.3):
"7 topics found", "Reading aloud is not available just now", the "Still reading?" countdown,
what a staff action did.

Qt 6.8 and later send them as an announcement (AT-SPI "object:announcement"), which Orca
speaks at once; nothing is sent while no screen reader listens.
"""

from __future__ import annotations

from PySide6.QtGui import QAccessible, QAccessibleAnnouncementEvent
from PySide6.QtWidgets import QWidget


def announce(widget: QWidget, text: str, *, assertive: bool = False) -> None:
    """Say `text` for `widget` (the label that shows it, or the page or overlay it is about).
    Polite waits for what is being said to finish; assertive interrupts it (for what must
    not wait: reading aloud failing, the countdown to the start)."""
    if not text.strip() or not QAccessible.isActive():
        return
    event = QAccessibleAnnouncementEvent(widget, text)
    event.setPoliteness(
        QAccessible.AnnouncementPoliteness.Assertive
        if assertive
        else QAccessible.AnnouncementPoliteness.Polite
    )
    QAccessible.updateAccessibility(event)
