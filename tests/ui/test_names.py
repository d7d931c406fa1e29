"""Every button's accessible name holds the words on it (WCAG 2.5.3), so a patient who hears
"Again" sees "↺ Again", and one who says what they see to a voice control finds it: every
button of every page, card and keyboard, shown or not, asked of Qt's accessibility as a
screen reader asks it (tests/a11y walks the same through real AT-SPI)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtGui import QAccessible, QTextDocumentFragment
from PySide6.QtWidgets import QAbstractButton
from pytestqt.qtbot import QtBot

from kiosk.app import Services, build_services
from kiosk.config import Settings
from kiosk.speech.synth import Synthesizer
from kiosk.ui.pages import TopicPage
from kiosk.ui.search import SearchPage
from kiosk.ui.staff import PackRow
from kiosk.ui.widgets import Tile
from kiosk.ui.window import KioskWindow
from tests.a11y.reader import contains_words, words


@pytest.fixture
def speaking(settings: Settings, synth: Synthesizer) -> Iterator[Services]:
    """With speech: the reading buttons and the Sound card exist."""
    built = build_services(settings, speech=synth)
    yield built
    built.close()


def shown_words(button: QAbstractButton) -> str:
    if isinstance(button, Tile):  # its words are in its title label, maybe as rich text
        return QTextDocumentFragment.fromHtml(button.title_label.text()).toPlainText()
    return button.text()


def misnamed(window: KioskWindow) -> list[str]:
    found = []
    for button in window.findChildren(QAbstractButton):
        interface = QAccessible.queryAccessibleInterface(button)
        assert interface is not None
        name = interface.text(QAccessible.Text.Name)
        shown = shown_words(button)
        if not words(shown):  # signs only (⌫ is "Delete"), or an empty tile kept for later
            if button.isVisibleTo(window) and not words(name):
                found.append(f"{shown!r} on screen has no name")
        elif not contains_words(name, shown):
            found.append(f"{shown!r} is named {name!r}")
    return found


def test_every_button_is_named_with_the_words_on_it(
    make_window, speaking: Services, tmp_path: Path, qtbot: QtBot
) -> None:
    window: KioskWindow = make_window(speaking)
    problems = misnamed(window)  # home, header, and every card (PIN, staff, Sound, ...)
    window.open_category("Back and neck")
    problems += misnamed(window)
    assert window.open_topic("low-back-pain")
    page = window.page()
    assert isinstance(page, TopicPage)
    page.reading._on_state("paused")  # the reading bar as it is while paused ("Go on")
    window.show_contents()
    problems += misnamed(window)
    page.show_part(len(page.parts) - 1)  # the credits, with the related topics
    problems += misnamed(window)
    search = window.open_search()
    assert isinstance(search, SearchPage)
    qtbot.waitUntil(window.search_ready, timeout=20_000)
    search.type_text("fever")
    problems += misnamed(window)
    assert window.staff is not None
    window.staff.panel.show_panel([PackRow("org.example.pack", "Clinic topics", 3, 2)], "", True)
    problems += misnamed(window)
    assert not problems, "\n".join(dict.fromkeys(problems))
