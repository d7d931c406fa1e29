"""Overlays are modal for keys: each takes the focus when it opens, keys stay inside it, Back
and Escape close it, and the focus goes back to where it was."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from pytestqt.qtbot import QtBot

from kiosk.ui.overlays import Overlay
from kiosk.ui.pages import TopicPage
from kiosk.ui.window import KioskWindow
from tests.ui.keyboard_user import K, focused, press, press_until, ready, where


def contents(window: KioskWindow) -> Overlay:
    window.show_contents()
    return window.contents


def notice(window: KioskWindow) -> Overlay:
    window.notice.show_notice("This topic cannot be shown just now.")
    return window.notice


def still_reading(window: KioskWindow) -> Overlay:
    window.still_reading.start(30)
    return window.still_reading


def key_help(window: KioskWindow) -> Overlay:
    press(window, K.Key_F1)
    return window.help


def pin(window: KioskWindow) -> Overlay:
    assert window.staff is not None
    window.staff.open(usb=False)
    return window.staff.pin


def staff_panel(window: KioskWindow) -> Overlay:
    assert window.staff is not None
    window.staff.panel.show_panel([], "", usb=False)
    return window.staff.panel


def usb_list(window: KioskWindow) -> Overlay:
    assert window.staff is not None
    window.staff.usb.show_checking(2)
    return window.staff.usb


OPENERS: list[Callable[[KioskWindow], Overlay]] = [
    contents,
    notice,
    still_reading,
    key_help,
    pin,
    staff_panel,
    usb_list,
]


@pytest.mark.parametrize("close_key", [K.Key_Escape, K.Key_Backspace], ids=["Escape", "Back"])
def test_every_overlay_takes_the_focus_keeps_it_and_gives_it_back(
    qtbot: QtBot, window: KioskWindow, close_key: K
) -> None:
    ready(qtbot, window)
    assert window.open_topic("neck-pain")
    press_until(window, K.Key_Down, "Contents")
    before = focused()
    for opener in OPENERS:
        name = opener.__name__
        overlay = opener(window)
        assert overlay.isVisible() and overlay.isAncestorOf(focused()), name
        assert where(), f"{name}: the focus starts on something without words"
        # Round and round, both ways: never a control hidden under the overlay.
        for key in (K.Key_Down, K.Key_Tab, K.Key_Up):
            for _ in range(12):
                press(window, key)
                assert overlay.isAncestorOf(focused()), f"{name}: {key.name} left for {where()}"
        assert overlay.isVisible(), name
        press(window, close_key)
        assert not overlay.isVisible(), f"{name}: {close_key.name} did not close it"
        assert focused() is before, f"{name}: the focus went to {where()}, not back"
        assert window.page().title_text == "Neck Pain"


def test_still_reading_takes_the_focus_on_its_answer_and_back_keeps_reading(
    qtbot: QtBot, window: KioskWindow
) -> None:
    ready(qtbot, window)
    assert window.open_topic("neck-pain")
    kept: list[bool] = []
    window.still_reading.keep_reading.connect(lambda: kept.append(True))
    window.still_reading.start(30)
    assert focused() is window.still_reading.stay_button  # Enter answers "yes"
    press(window, K.Key_Backspace)
    assert kept == [True] and window.page().title_text == "Neck Pain"
    window.still_reading.start(30)
    press(window, K.Key_Return)
    assert kept == [True, True] and not window.still_reading.isVisible()


def test_contents_opens_on_the_current_part_and_enter_goes_to_another(
    qtbot: QtBot, window: KioskWindow
) -> None:
    ready(qtbot, window)
    assert window.open_topic("neck-pain")
    page = window.page()
    assert isinstance(page, TopicPage)
    page.show_part(2)
    window.show_contents()
    tiles = window.contents.grid.tiles()
    assert focused() is tiles[2]
    press(window, K.Key_Down)
    assert focused() is tiles[3]
    press(window, K.Key_Return)
    assert page.index == 3 and not window.contents.isVisible()
    assert focused() is page.position  # the new part is read from its top
