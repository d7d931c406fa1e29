"""Idle reset (nothing of one patient is left for the next) and kiosk mode (no way out)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QKeySequence, QShortcut
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from kiosk.app import build_services
from kiosk.config import Settings, load_settings
from kiosk.ui.pages import HomePage, TopicPage
from kiosk.ui.window import KioskWindow
from tests.ui.geometry import footer_problems, settle

IDLE_MS = 300  # shortened for the test; settings allow 10 s and up


def dirty(window: KioskWindow) -> TopicPage:
    """What a patient leaves behind: a topic deep in, scrolled, big text, high contrast."""
    window.open_category("Back and neck")
    window.open_topic("spinal-manipulation", 2)
    window.set_text_size(175)
    window.set_high_contrast(True)
    page = window.page()
    assert isinstance(page, TopicPage)
    settle()
    page.area.verticalScrollBar().setValue(page.area.verticalScrollBar().maximum())
    assert page.area.verticalScrollBar().value() > 0
    window.show_contents()
    return page


def shorten(window: KioskWindow, countdown_s: int = 1) -> None:
    window.idle.set_timeout(IDLE_MS)
    window.idle_countdown_s = countdown_s


def test_idle_asks_then_resets_everything(qtbot: QtBot, window: KioskWindow) -> None:
    old_page = dirty(window)
    shorten(window, countdown_s=2)
    qtbot.waitUntil(window.still_reading.isVisible, timeout=3000)
    assert "back to the start in 2 seconds" in window.still_reading.message.text()
    assert footer_problems(window, window.settings.disclaimer) == []
    with qtbot.waitSignal(window.still_reading.expired, timeout=4000):
        pass
    settle()

    assert isinstance(window.page(), HomePage)
    assert window.page() is window.home
    assert window.home.area.verticalScrollBar().value() == 0
    assert window.text_size == 100 and window.header.size_label.text() == "100%"
    assert not window.theme.high_contrast and not window.header.contrast_button.isChecked()
    assert not window.contents.isVisible() and not window.still_reading.isVisible()
    assert not window.header.back_button.isEnabled()  # no history to go back into
    window.stack.currentWidget()
    pages = [window.stack.widget(i) for i in range(window.stack.count())]
    assert old_page not in pages and not any(isinstance(p, TopicPage) for p in pages)
    assert window.is_pristine()


def test_a_touch_during_the_countdown_keeps_the_page(qtbot: QtBot, window: KioskWindow) -> None:
    page = dirty(window)
    window.contents.close_overlay()
    shorten(window, countdown_s=20)
    qtbot.waitUntil(window.still_reading.isVisible, timeout=3000)
    qtbot.mouseClick(window.still_reading.stay_button, Qt.MouseButton.LeftButton)
    assert not window.still_reading.isVisible()
    assert window.page() is page and page.index == 2 and window.text_size == 175


def test_a_tap_beside_the_overlay_also_means_still_reading(
    qtbot: QtBot, window: KioskWindow
) -> None:
    page = dirty(window)
    window.contents.close_overlay()
    shorten(window, countdown_s=20)
    qtbot.waitUntil(window.still_reading.isVisible, timeout=3000)
    qtbot.mouseClick(window.footer, Qt.MouseButton.LeftButton)
    assert not window.still_reading.isVisible()
    assert window.page() is page


def test_start_over_resets_at_once(qtbot: QtBot, window: KioskWindow) -> None:
    dirty(window)
    window.contents.close_overlay()
    shorten(window, countdown_s=20)
    qtbot.waitUntil(window.still_reading.isVisible, timeout=3000)
    qtbot.mouseClick(window.still_reading.restart_button, Qt.MouseButton.LeftButton)
    settle()
    assert window.is_pristine() and not window.still_reading.isVisible()


def test_an_untouched_home_page_does_not_ask(qtbot: QtBot, window: KioskWindow) -> None:
    shorten(window)
    qtbot.wait(IDLE_MS * 3)
    assert not window.still_reading.isVisible()


def test_touches_keep_the_idle_timer_from_firing(qtbot: QtBot, window: KioskWindow) -> None:
    window.open_topic("neck-pain")
    shorten(window)
    for _ in range(6):
        qtbot.wait(IDLE_MS // 2)
        QTest.mouseClick(window.footer, Qt.MouseButton.LeftButton)
    assert not window.still_reading.isVisible()


def test_the_footer_says_the_clinics_own_text(
    make_window: Callable[..., KioskWindow], tmp_path: Path
) -> None:
    config = tmp_path / "config.toml"
    config.write_text(
        '[screen]\ndisclaimer = "Ask the nurse at the desk about anything you read here."\n'
    )
    settings: Settings = load_settings({"KIOSK_CONFIG": str(config)}, system_file=tmp_path / "none")
    window = make_window(build_services(settings), (800, 480))
    window.set_text_size(200)
    assert window.footer.text() == "Ask the nurse at the desk about anything you read here."
    assert footer_problems(window, settings.disclaimer) == []


def test_kiosk_mode_is_fullscreen_frameless_cursorless_and_cannot_be_closed(
    qtbot: QtBot, window: KioskWindow
) -> None:
    quits: list[str] = []
    shortcut = QShortcut(QKeySequence("Ctrl+Q"), window)
    shortcut.activated.connect(lambda: quits.append("ctrl+q"))
    QTest.keyClick(window, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
    assert quits == ["ctrl+q"]  # windowed (development) mode: shortcuts work

    try:
        window.enter_kiosk_mode()
        settle()
        assert window.isFullScreen()
        assert window.windowFlags() & Qt.WindowType.FramelessWindowHint
        cursor = QGuiApplication.overrideCursor()
        assert cursor is not None and cursor.shape() == Qt.CursorShape.BlankCursor
        QTest.keyClick(window, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
        QTest.keyClick(window, Qt.Key.Key_F4, Qt.KeyboardModifier.AltModifier)
        QTest.keyClick(window, Qt.Key.Key_Escape)
        assert quits == ["ctrl+q"]
        assert window.close() is False
        assert window.isVisible()
    finally:
        assert window.kiosk_mode is not None
        window.kiosk_mode.leave()  # staff's way out: the window may close again
