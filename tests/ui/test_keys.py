"""EZ Access keys with real key events: moving through every control and block of text,
pressing, going back, changing part, and typing on a physical keyboard."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from kiosk.ui.pages import TopicListPage, TopicPage
from kiosk.ui.search import SearchPage
from kiosk.ui.widgets import ScrollPage
from kiosk.ui.window import KioskWindow
from tests.ui.geometry import settle
from tests.ui.keyboard_user import (
    K,
    focused,
    on_screen,
    press,
    press_until,
    ready,
    type_on_keyboard,
    where,
)


def test_up_and_down_go_through_every_control_and_text_in_reading_order(
    qtbot: QtBot, window: KioskWindow
) -> None:
    ready(qtbot, window)
    home, header = window.home, window.header
    assert focused() is home.heading  # a new page starts at its title
    expected = [
        home.hint,
        home.search_tile,
        *home.grid.tiles(),
        window.footer,  # the disclaimer is read too
        header.larger_button,  # Home, Back and "smaller" cannot be pressed here: skipped
        header.contrast_button,
        home.heading,  # round again
        home.hint,
    ]
    seen = []
    for _ in expected:
        press(window, K.Key_Down)
        seen.append(focused())
    assert seen == expected
    seen = []
    for _ in expected[:-1]:
        press(window, K.Key_Up)
        seen.append(focused())
    assert seen == list(reversed(expected[:-1]))
    # Tab and Shift+Tab follow the same order; the page's scroll area never holds the keys.
    press(window, K.Key_Tab)
    assert focused() is home.search_tile
    press(window, K.Key_Tab, modifier=Qt.KeyboardModifier.ShiftModifier)
    assert focused() is home.hint
    assert not any(isinstance(widget, ScrollPage) for widget in seen)


def test_the_topic_text_is_read_block_by_block_and_each_is_brought_into_view(
    qtbot: QtBot, make_window, services
) -> None:  # type: ignore[no-untyped-def]
    window = ready(qtbot, make_window(services, (800, 480)))
    window.set_text_size(200)
    assert window.open_topic("low-back-pain")
    page = window.page()
    assert isinstance(page, TopicPage)
    settle()
    assert where() == "Low Back Pain"
    press_until(window, K.Key_Down, "What is low back pain?")  # the part's own title
    blocks = [block.text().strip() for block in page.body.inner_stops.blocks()]
    assert len(blocks) >= 3
    read = []
    for _ in blocks:
        press(window, K.Key_Down)
        assert focused() is page.body
        read.append(where().removeprefix("text: "))
        # Scrolled so the block is on screen, not under the buttons below the text.
        assert on_screen(page.body, page.body.inner_stops.rect()), where()
    assert read == blocks
    press(window, K.Key_Down)  # past the last block: on to the next stop
    assert focused() is not page.body
    press(window, K.Key_Up)
    assert where() == "text: " + blocks[-1]  # from below, the text starts at its end


@pytest.mark.parametrize(
    ("key", "modifier"),
    [
        (K.Key_Return, Qt.KeyboardModifier.NoModifier),
        (K.Key_Enter, Qt.KeyboardModifier.KeypadModifier),
        (K.Key_Space, Qt.KeyboardModifier.NoModifier),
    ],
    ids=["Enter", "keypad Enter", "Space"],
)
def test_enter_keypad_enter_and_space_press_the_focused_control(
    qtbot: QtBot, window: KioskWindow, key: Qt.Key, modifier: Qt.KeyboardModifier
) -> None:
    ready(qtbot, window)
    press_until(window, K.Key_Down, "All topics A to Z")
    press(window, key, modifier=modifier)
    page = window.page()
    assert isinstance(page, TopicListPage) and page.title_text == "All topics A to Z"
    assert focused() is page.heading


def test_backspace_and_escape_go_back_to_where_the_keys_were(
    qtbot: QtBot, window: KioskWindow
) -> None:
    ready(qtbot, window)
    press_until(window, K.Key_Down, "Back and neck")
    chosen = focused()
    press(window, K.Key_Return)
    assert window.page().title_text == "Back and neck"
    press_until(window, K.Key_Down, "Neck Pain")
    press(window, K.Key_Return)
    assert window.page().title_text == "Neck Pain"
    press(window, K.Key_Backspace)
    assert window.page().title_text == "Back and neck" and where() == "Neck Pain"
    press(window, K.Key_Escape)
    assert window.page() is window.home and focused() is chosen
    press(window, K.Key_Escape)  # nothing further back: still home, nothing breaks
    assert window.page() is window.home


def test_escape_goes_back_in_kiosk_mode_where_way_out_keys_do_nothing(
    qtbot: QtBot, window: KioskWindow
) -> None:
    try:
        window.enter_kiosk_mode()
        settle()  # (offscreen, the new fullscreen window is not made active: keys go to it)
        window.open_category("Medicines")
        press(window, K.Key_F11)
        press(window, K.Key_Escape, modifier=Qt.KeyboardModifier.AltModifier)
        assert window.page().title_text == "Medicines" and window.isFullScreen()
        press(window, K.Key_Escape)
        assert window.page() is window.home and window.isVisible()
    finally:
        assert window.kiosk_mode is not None
        window.kiosk_mode.leave()


def test_left_and_right_change_part_and_start_it_from_its_top(
    qtbot: QtBot, window: KioskWindow
) -> None:
    ready(qtbot, window)
    assert window.open_topic("neck-pain")
    page = window.page()
    assert isinstance(page, TopicPage)
    press(window, K.Key_Right)
    assert page.index == 1 and focused() is page.position
    assert where() == f"Neck Pain: part 2 of {len(page.parts)}"
    press(window, K.Key_Right, times=len(page.parts))  # no further than the last part
    assert page.index == len(page.parts) - 1
    press(window, K.Key_Left, times=len(page.parts) - 1)
    assert page.index == 0 and focused() is page.heading
    window.show_contents()  # keys stay inside an overlay: no part change under it
    press(window, K.Key_Right)
    assert page.index == 0 and window.contents.isVisible()


def test_letters_typed_on_a_keyboard_go_into_search(qtbot: QtBot, window: KioskWindow) -> None:
    ready(qtbot, window)
    qtbot.waitUntil(window.search_ready, timeout=30_000)
    press_until(window, K.Key_Down, "Search")
    press(window, K.Key_Return)
    page = window.page()
    assert isinstance(page, SearchPage) and focused() is page.query
    type_on_keyboard(window, "Back pain")  # Space types a space in the words
    assert page.keyboard.text == "back pain"  # as the on-screen keys would have typed it
    assert "Low Back Pain" in [tile.accessibleName() for tile in page.shown_results()]
    press(window, K.Key_Backspace, times=9)  # deletes letters, then goes back no further
    assert page.keyboard.text == "" and window.page() is page
    type_on_keyboard(window, "fevr")  # a misspelling finds it, as on screen
    press(window, K.Key_Return)  # from the typed words to the best result
    assert where() == "Fever in Children"
    press(window, K.Key_Return)
    assert window.page().title_text == "Fever in Children"
    press(window, K.Key_Escape)
    assert window.page() is page and page.keyboard.text == "fevr"
    press(window, K.Key_Backspace)
    assert page.keyboard.text == "fev"
    press(window, K.Key_Escape)
    assert window.page() is window.home


def test_digits_typed_go_into_the_pin_pad(qtbot: QtBot, window: KioskWindow) -> None:
    ready(qtbot, window)
    press_until(window, K.Key_Down, "Mind and mood")
    before = focused()
    assert window.staff is not None
    pin = window.staff.pin
    window.staff.open(usb=False)  # what a long press on the disclaimer does
    assert pin.isVisible() and pin.isAncestorOf(focused())
    type_on_keyboard(window, "12x34")
    assert pin.dots.text() == "●●●●"  # letters are not PIN digits
    press(window, K.Key_Backspace)
    assert pin.dots.text() == "●●●"
    press(window, K.Key_Backspace, times=3)
    assert pin.isVisible() and pin.dots.text() == ""
    press(window, K.Key_Backspace)  # nothing left to delete: Back closes the keypad
    assert not pin.isVisible() and focused() is before
    window.staff.open(usb=False)
    type_on_keyboard(window, "9999")
    with qtbot.waitSignal(pin.submitted) as sent:
        press(window, K.Key_Return)  # Enter sends the PIN, as OK does
    assert sent.args == ["9999"]
    qtbot.waitUntil(lambda: pin.message.text() != "Checking…", timeout=10_000)
    assert "PIN" in pin.message.text()  # the answer: here, that no PIN is set yet


def test_a_focused_result_is_brought_out_from_under_the_keyboard(
    qtbot: QtBot, make_window, services
) -> None:  # type: ignore[no-untyped-def]
    window = ready(qtbot, make_window(services, (800, 480)))
    window.set_text_size(200)
    qtbot.waitUntil(window.search_ready, timeout=30_000)
    page = window.open_search()
    assert page is not None
    type_on_keyboard(window, "pain")
    results = page.shown_results()
    assert len(results) >= 3
    press_until(window, K.Key_Down, results[0].accessibleName())
    for tile in results[1:]:
        press(window, K.Key_Down)
        # In view above the on-screen keyboard, which sits below the results' scroll area.
        assert focused() is tile and on_screen(tile), where()
    assert page.area.verticalScrollBar().value() > 0


def test_keys_count_as_somebody_being_there(qtbot: QtBot, window: KioskWindow) -> None:
    ready(qtbot, window)
    assert window.open_topic("neck-pain")
    window.idle.set_timeout(500)
    for _ in range(6):
        qtbot.wait(250)
        press(window, K.Key_Down)
    assert not window.still_reading.isVisible()
    qtbot.waitUntil(window.still_reading.isVisible, timeout=3000)  # and without keys, it asks
