"""Non-text contrast (WCAG 1.4.11) and the focus ring (2.4.13), measured from rendered pixels in
both themes at every text size: tile borders and the current part in Contents stand out from
what is around them by 3:1 or more; a focused control, key or block of text has a ring at least
3 px wide with 3:1 or more against the control and against what is around it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QScrollArea, QWidget
from pytestqt.qtbot import QtBot

from kiosk.app import Services, build_services
from kiosk.config import load_settings
from kiosk.ui.pages import HomePage, TopicListPage, TopicPage
from kiosk.ui.search import SearchPage
from kiosk.ui.theme import STANDARD
from kiosk.ui.window import KioskWindow
from tests.ui.contrast import edge
from tests.ui.geometry import settle
from tests.ui.test_letter_jump import library  # noqa: F401 (a fixture: 300 generated topics)

THEMES = pytest.mark.parametrize("high_contrast", [False, True], ids=["standard", "high"])
MIN_RATIO = 3.0
MIN_RING = 3


def themed(window: KioskWindow, high_contrast: bool, percent: int) -> None:
    window.set_high_contrast(high_contrast)
    window.set_text_size(percent)
    settle()


def focus(qtbot: QtBot, window: KioskWindow, widget: QWidget) -> None:
    """The focus on `widget`, drawn as after a key press (kiosk/ui/focus_shown.py)."""
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    widget.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(widget.hasFocus)
    QTest.keyClick(widget, Qt.Key.Key_Shift)  # a key that does nothing else
    assert window.focus_shown.shown
    in_view(widget)


def in_view(widget: QWidget) -> QWidget:
    """Scrolled into view, as a patient would look at it."""
    parent = widget.parentWidget()
    while parent is not None and not isinstance(parent, QScrollArea):
        parent = parent.parentWidget()
    if parent is not None:
        parent.ensureWidgetVisible(widget, 40, 40)
        settle()
    return widget


def no_focus() -> None:
    focused = QApplication.focusWidget()
    if focused is not None:
        focused.clearFocus()
    settle()


def ring_problems(window: KioskWindow, widget: QWidget, what: str, side: str = "left") -> list[str]:
    found = edge(window.grab().toImage(), window, widget, side)
    bad = (
        found.width < MIN_RING
        or found.against_outside() < MIN_RATIO
        or found.against_inside() < MIN_RATIO
    )
    return [f"{window.text_size}%: focused {what}: {found}"] if bad else []


def as_text_stop(*labels: QWidget) -> None:
    """What the keys make of every block of text (a stop keys land on; a tap does not)."""
    for label in labels:
        label.setFocusPolicy(Qt.FocusPolicy.TabFocus)


@THEMES
def test_tile_borders_stand_out_from_the_page_and_the_tile(
    window: KioskWindow, high_contrast: bool
) -> None:
    problems = []
    no_focus()
    for percent in window.text_sizes:
        themed(window, high_contrast, percent)
        tile = in_view(window.home.grid.tiles()[0])
        found = edge(window.grab().toImage(), window, tile)
        if found.against_outside() < MIN_RATIO or found.against_inside() < MIN_RATIO:
            problems.append(f"{percent}%: tile border {found}")
    assert problems == []


@THEMES
def test_the_current_part_in_contents_is_marked(window: KioskWindow, high_contrast: bool) -> None:
    window.open_topic("spinal-manipulation", 2)
    problems = []
    no_focus()
    for percent in window.text_sizes:
        themed(window, high_contrast, percent)
        window.show_contents()
        settle()
        current = in_view(window.contents.grid.tiles()[2])
        found = edge(window.grab().toImage(), window, current)
        other = edge(window.grab().toImage(), window, in_view(window.contents.grid.tiles()[1]))
        if found.against_outside() < MIN_RATIO or found.against_inside() < MIN_RATIO:
            problems.append(f"{percent}%: the current part's border {found}")
        if found.width <= other.width and found.ring == other.ring:
            problems.append(f"{percent}%: the current part looks like the others ({found})")
        window.contents.close_overlay()
    assert problems == []


@THEMES
def test_focus_ring_on_buttons_and_blocks_of_text(
    qtbot: QtBot, window: KioskWindow, high_contrast: bool
) -> None:
    """Header and page buttons, a block of text on the page, and the disclaimer."""
    window.open_topic("spinal-manipulation")
    page = window.page()
    assert isinstance(page, TopicPage)
    as_text_stop(page.section_title, window.footer)
    problems = []
    for percent in reversed(window.text_sizes):  # the first change re-styles the new stops
        themed(window, high_contrast, percent)
        for widget, what, side in (
            (window.header.home_button, "Home", "left"),
            (page.next_button, "Next", "left"),
            (page.section_title, "section title", "right"),
            (window.footer, "disclaimer", "top"),
        ):
            focus(qtbot, window, widget)
            problems += ring_problems(window, widget, what, side)
    assert problems == []


@THEMES
def test_focus_ring_on_tiles(qtbot: QtBot, window: KioskWindow, high_contrast: bool) -> None:
    assert isinstance(window.page(), HomePage)
    problems = []
    for percent in window.text_sizes:
        themed(window, high_contrast, percent)
        tile = window.home.grid.tiles()[1]
        focus(qtbot, window, tile)
        problems += ring_problems(window, tile, f"tile {tile.title()!r}")
        # Its words change colour with it: still readable on the focus colour.
        label = tile.findChild(QWidget, "TileTitle")
        assert label is not None and label.property("focused") is True
    assert problems == []


@THEMES
def test_focus_ring_on_keyboard_keys(
    qtbot: QtBot, window: KioskWindow, high_contrast: bool
) -> None:
    qtbot.waitUntil(window.search_ready, timeout=30_000)
    page = window.open_search()
    assert isinstance(page, SearchPage)
    problems = []
    for percent in window.text_sizes:
        themed(window, high_contrast, percent)
        for key in (page.keyboard.keys["M"], page.keyboard.space):
            focus(qtbot, window, key)
            problems += ring_problems(window, key, f"key {key.text()!r}")
    assert problems == []


@pytest.fixture
def big_services(tmp_path: Path, library: list[Path]) -> Iterator[Services]:  # noqa: F811
    config = tmp_path / "config.toml"
    config.write_text("[library]\nshow_samples = false\n")
    settings = load_settings(
        {"KIOSK_CONFIG": str(config), "KIOSK_DATA_DIR": str(tmp_path / "data")},
        system_file=tmp_path / "none.toml",
    )
    built = build_services(settings, library, speech=False)
    yield built
    built.close()


@THEMES
def test_focus_ring_on_letter_keys(
    qtbot: QtBot,
    make_window: Callable[..., KioskWindow],
    big_services: Services,
    high_contrast: bool,
) -> None:
    window = make_window(big_services)
    window.open_category("")
    page = window.page()
    assert isinstance(page, TopicListPage) and page.letters is not None
    problems = []
    for percent in window.text_sizes:
        themed(window, high_contrast, percent)
        key = page.letters.keys["M"]
        focus(qtbot, window, key)
        problems += ring_problems(window, key, "letter M")
    assert problems == []


def test_the_focus_moves_nothing(qtbot: QtBot, window: KioskWindow) -> None:
    """The ring grows into the control's padding: no button, key or text jumps when the focus
    lands on it (a page that shifted under the finger would be worse than no ring)."""
    window.open_topic("spinal-manipulation")
    page = window.page()
    assert isinstance(page, TopicPage)
    as_text_stop(page.section_title)
    window.set_text_size(150)
    settle()
    watched = [*page.nav.buttons(), page.section_title, page.body, window.header.home_button]
    before = [(w.geometry(), w.sizeHint()) for w in watched]
    for widget, side in (
        (page.next_button, "left"),
        (page.section_title, "right"),
        (window.header.home_button, "left"),
    ):
        focus(qtbot, window, widget)
        settle()
        assert ring_problems(window, widget, "it", side) == []  # the ring is there
        assert [(w.geometry(), w.sizeHint()) for w in watched] == before  # and moved nothing


def test_the_focus_is_drawn_after_a_key_until_the_next_touch(
    qtbot: QtBot, window: KioskWindow
) -> None:
    """Like a browser's :focus-visible: a tap leaves no yellow button behind, a key shows
    where the focus is at once, and the next patient starts with nothing drawn."""
    window.open_topic("spinal-manipulation")
    page = window.page()
    assert isinstance(page, TopicPage)
    fill = STANDARD.button
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.mouseClick(page.contents_button, Qt.MouseButton.LeftButton)
    window.contents.close_overlay()
    settle()
    assert page.contents_button.hasFocus()  # a tap gives a button the focus, unseen:
    assert edge(window.grab().toImage(), window, page.contents_button).inside.name() == fill
    QTest.keyClick(page.contents_button, Qt.Key.Key_Shift)
    settle()
    drawn = edge(window.grab().toImage(), window, page.contents_button)
    assert (drawn.ring.name(), drawn.inside.name()) == (STANDARD.focus_ring, STANDARD.focus)
    qtbot.mouseClick(window.footer, Qt.MouseButton.LeftButton)  # a touch anywhere
    settle()
    assert edge(window.grab().toImage(), window, page.contents_button).inside.name() == fill
    QTest.keyClick(page.contents_button, Qt.Key.Key_Shift)
    window.reset_to_start()
    assert not window.focus_shown.shown


def test_talking_mode_holds_the_focus_drawn(qtbot: QtBot, window: KioskWindow) -> None:
    """There a touch moves the focus to what was just said: it stays drawn."""
    window.focus_shown.hold(True)
    qtbot.mouseClick(window.footer, Qt.MouseButton.LeftButton)
    assert window.focus_shown.shown
    window.focus_shown.hold(False)
    assert not window.focus_shown.shown
