"""The lazy A-Z list: a tap on a row opens it, even before all rows are laid out."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication, QListView
from pytestqt.qtbot import QtBot

from kiosk.content.model import TopicHead
from kiosk.ui.theme import Theme
from kiosk.ui.topic_list import TopicListView


def heads(count: int) -> list[TopicHead]:
    return [
        TopicHead(f"t{n:05}", f"Topic number {n:05}", "Tests", "en", f"About topic {n}.")
        for n in range(count)
    ]


def shown(qtbot: QtBot, count: int, row: int) -> TopicListView:
    """A list of `count` topics on screen, as soon as row `row` is laid out."""
    view = TopicListView(heads(count), Theme())
    qtbot.addWidget(view)
    view.resize(900, 700)
    view.show()
    qtbot.waitExposed(view)
    qtbot.waitUntil(lambda: not view.row_rect(row).isEmpty(), timeout=5000)
    return view


def test_a_tap_before_the_rows_are_all_laid_out_opens_the_topic(qtbot: QtBot) -> None:
    view = shown(qtbot, 5000, 3)
    # Qt's own hit test finds nothing until the last batch is laid out.
    unfinished = view.row_rect(4999).isEmpty()
    assert unfinished, "this machine laid out 5,000 rows at once: the test shows nothing"
    assert not QListView.indexAt(view, view.row_rect(3).center()).isValid()

    with qtbot.waitSignal(view.topic_chosen, timeout=3000) as chosen:
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=view.row_rect(3).center())
    assert chosen.args == ["t00003"]


def test_a_tap_below_the_last_row_opens_nothing(qtbot: QtBot) -> None:
    view = shown(qtbot, 2, 1)
    last = view.row_rect(1)
    below = QPoint(last.center().x(), last.bottom() + 40)
    assert not view.indexAt(below).isValid()
    with qtbot.assertNotEmitted(view.topic_chosen, wait=300):
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=below)
    QApplication.processEvents()
