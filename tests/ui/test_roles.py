"""The interfaces kiosk/ui/roles.py gives marked widgets, asked as Qt's AT-SPI bridge asks
them (tests/a11y checks the same through a real AT-SPI client, and the whole window)."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest
from PySide6.QtGui import QAccessible, QAccessibleInterface
from PySide6.QtWidgets import QLabel, QPushButton, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from kiosk.ui import roles


@pytest.fixture
def active(qtbot: QtBot) -> Iterator[None]:
    """Accessibility on, as when a screen reader listens."""
    roles.install()
    QAccessible.setActive(True)
    yield
    QAccessible.setActive(False)


def interface(widget: QWidget) -> QAccessibleInterface:
    found = QAccessible.queryAccessibleInterface(widget)
    assert found is not None
    return found


def test_a_heading_has_its_role_level_and_words(active: None, qtbot: QtBot) -> None:
    label = roles.heading(QLabel("Low Back Pain"), 1)
    qtbot.addWidget(label)
    found = interface(label)
    assert found.role() == QAccessible.Role.Heading
    assert found.text(QAccessible.Text.Name) == "Low Back Pain"
    attributes = found.attributesInterface()
    assert attributes.attributeKeys() == [QAccessible.Attribute.Level]
    assert attributes.attributeValue(QAccessible.Attribute.Level) == 1
    label.setText("Neck Pain")
    assert found.text(QAccessible.Text.Name) == "Neck Pain"


def test_a_mark_after_the_label_was_seen_still_counts(active: None, qtbot: QtBot) -> None:
    """A label given its text while a screen reader listens already has Qt's interface."""
    label = QLabel("Health topics")
    qtbot.addWidget(label)
    assert interface(label).role() == QAccessible.Role.StaticText
    roles.heading(label, 2)
    assert interface(label).role() == QAccessible.Role.Heading


def test_a_link_follows_on_press(active: None, qtbot: QtBot) -> None:
    button = QPushButton()
    button.setAccessibleName("Neck Pain")
    roles.mark(button, "link")
    qtbot.addWidget(button)
    found = interface(button)
    assert found.role() == QAccessible.Role.Link
    assert found.text(QAccessible.Text.Name) == "Neck Pain"
    actions = found.actionInterface()
    assert actions.actionNames()[0] == "Press"
    with qtbot.waitSignal(button.clicked, timeout=1000):
        actions.doAction("Press")


def test_an_overlay_is_a_modal_dialog_named_by_its_title(active: None, qtbot: QtBot) -> None:
    overlay = QWidget()
    roles.mark(overlay, "dialog")
    layout = QVBoxLayout(overlay)
    layout.addWidget(QLabel("Tap to go on"))
    layout.addWidget(roles.heading(QLabel("Still reading?"), 2))
    qtbot.addWidget(overlay)
    found = interface(overlay)
    assert found.role() == QAccessible.Role.Dialog
    assert found.state().modal
    assert found.text(QAccessible.Text.Name) == "Still reading?"


def test_a_search_field_holds_the_typed_words(active: None, qtbot: QtBot) -> None:
    field = QLabel("Type a word▏")
    roles.mark(field, "search")
    field.setAccessibleName("Search")
    qtbot.addWidget(field)
    found = interface(field)
    assert found.role() == QAccessible.Role.EditableText
    roles.set_text(field, "back pain")
    field.setText("back pain▏")
    text = found.textInterface()
    assert text.characterCount() == len("back pain")
    assert text.text(0, -1) == "back pain"
    assert text.text(5, 9) == "pain"
    assert found.text(QAccessible.Text.Value) == "back pain"


def test_an_interface_goes_with_its_widget(active: None, qtbot: QtBot) -> None:
    """Qt deletes a widget's interface with the widget; nothing of ours keeps it alive."""
    label = roles.heading(QLabel("Gone soon"), 1)
    ident = QAccessible.uniqueId(interface(label))
    label.deleteLater()
    qtbot.waitUntil(lambda: QAccessible.accessibleInterface(ident) is None, timeout=2000)
    gc.collect()
