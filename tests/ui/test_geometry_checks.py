"""The page walk is only as good as its checker: show that it sees what a patient would."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QPushButton

from kiosk.ui.window import KioskWindow
from tests.ui.geometry import footer_problems, layout_problems, settle


def test_a_hidden_footer_is_reported(window: KioskWindow) -> None:
    window.footer.hide()
    settle()
    assert "the disclaimer footer is hidden" in footer_problems(window, window.settings.disclaimer)


def test_other_text_in_the_footer_is_reported(window: KioskWindow) -> None:
    window.footer.setText("Ask us")
    assert any("not the disclaimer" in p for p in footer_problems(window, "Real text"))


def test_text_that_does_not_fit_is_reported(window: KioskWindow) -> None:
    label = QLabel("A sentence far too long to fit on one line of this small header " * 3)
    window.header.grid.addWidget(label, 2, 0)
    settle()
    problems = layout_problems(window, touch_targets=False, size=(1280, 800))
    assert any("the window grew to" in p for p in problems), problems


def test_a_small_button_is_reported(window: KioskWindow) -> None:
    button = QPushButton("x")
    button.setFixedSize(30, 30)
    window.header.grid.addWidget(button, 2, 0)
    settle()
    problems = layout_problems(window, touch_targets=True)
    assert any("is a 30x56 touch target" in p for p in problems), problems


def test_the_clean_window_has_no_problems(window: KioskWindow) -> None:
    settle()
    assert layout_problems(window, touch_targets=True) == []
    assert footer_problems(window, window.settings.disclaimer) == []


def test_a_symbol_the_font_lacks_is_reported(window: KioskWindow) -> None:
    window.header.home_button.setText("\U0001f50a Home")
    settle()
    problems = layout_problems(window, touch_targets=False)
    assert any("as empty boxes" in p for p in problems), problems
