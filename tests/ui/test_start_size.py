"""Every patient starts at a text size they can read on this screen: the smallest step whose
body capitals are at least 4.8 mm tall (Section 508 402.4), or the step staff chose; the idle
reset goes back to it."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QSize, QSizeF
from PySide6.QtGui import QFontMetricsF

from kiosk.app import build_services
from kiosk.config import Settings, load_settings
from kiosk.ui.pages import TopicPage
from kiosk.ui.start_size import (
    MIN_CAP_MM,
    body_cap_px,
    pixels_per_mm,
    smallest_readable_step,
    start_text_size,
)
from kiosk.ui.window import KioskWindow
from tests.ui.geometry import settle


def settings_with(tmp_path: Path, **env: str) -> Settings:
    """No start size pinned (unlike the shared fixture): the kiosk works it out."""
    return load_settings(
        {"KIOSK_CONFIG": str(tmp_path / "none.toml"), "KIOSK_DATA_DIR": str(tmp_path), **env},
        system_file=tmp_path / "no-system.toml",
    )


def body_caps_mm(window: KioskWindow, density: float) -> float:
    page = window.page()
    assert isinstance(page, TopicPage)
    settle()
    return QFontMetricsF(page.body.font()).capHeight() / density


def test_a_common_kiosk_screen_with_the_fonts_real_capitals(qapp: object) -> None:
    """21.5 inches, 1920 x 1080: 476 x 268 mm. DejaVu Sans capitals at 22 px are 16 px tall
    (4.0 mm), at 28 px 21 px (5.2 mm)."""
    density = pixels_per_mm(1920, 1080, 476.1, 267.8)
    assert density is not None
    assert body_cap_px(100) / density < MIN_CAP_MM <= body_cap_px(125) / density
    steps = (100, 125, 150, 175, 200, 250, 300)
    assert smallest_readable_step(steps, body_cap_px, density) == 125


def test_the_window_starts_where_body_capitals_are_4_8_mm_tall(
    make_window: Callable[..., KioskWindow], tmp_path: Path
) -> None:
    services = build_services(settings_with(tmp_path), speech=False)
    window = make_window(services)
    screen = window.screen()
    size, physical = screen.size(), screen.physicalSize()
    density = pixels_per_mm(size.width(), size.height(), physical.width(), physical.height())
    assert density is not None, "this display reports no size in millimetres"
    start = window.text_size
    assert start >= 100 and window.header.size_label.text() == f"{start}%"
    window.open_topic("spinal-manipulation")
    assert body_caps_mm(window, density) >= MIN_CAP_MM
    steps = window.text_sizes
    if start > 100:  # and one step smaller would be too small: the smallest that is enough
        window.set_text_size(steps[steps.index(start) - 1])
        assert body_caps_mm(window, density) < MIN_CAP_MM


def test_staff_choose_the_start_and_every_patient_gets_it_back(
    make_window: Callable[..., KioskWindow], tmp_path: Path
) -> None:
    settings = settings_with(tmp_path, KIOSK__SCREEN__START_TEXT_SIZE="150")
    window = make_window(build_services(settings, speech=False))
    assert window.text_size == 150 and window.header.size_label.text() == "150%"
    assert window.header.smaller_button.isEnabled()  # a patient may still go smaller
    assert window.is_pristine()
    window.set_text_size(300)
    assert not window.is_pristine()
    window.reset_to_start()
    settle()
    assert window.text_size == 150 and window.header.size_label.text() == "150%"
    assert window.is_pristine()
    window.set_text_size(100)
    assert not window.is_pristine()


class NoSizeScreen:
    """A monitor whose EDID has no size: the offscreen display always reports one (100 dpi),
    so this stands in for the two QScreen calls the kiosk makes."""

    def size(self) -> QSize:
        return QSize(1920, 1080)

    def physicalSize(self) -> QSizeF:
        return QSizeF(0, 0)


def test_a_screen_without_a_size_starts_at_100_percent_and_says_so(
    qapp: object, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="kiosk.ui.start_size"):
        start = start_text_size(settings_with(tmp_path), NoSizeScreen())  # type: ignore[arg-type]
    assert start == 100
    assert "the screen reports no usable size (0 x 0 mm for 1920 x 1080 pixels)" in caplog.text
