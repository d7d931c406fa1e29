"""The starting text size from a screen's size in millimetres: the arithmetic, with the
numbers of real screens (the font's own cap heights are tests/ui/test_start_size.py's)."""

from __future__ import annotations

import math

import pytest

from kiosk.ui.start_size import MIN_CAP_MM, pixels_per_mm, smallest_readable_step

STEPS = (100, 125, 150, 175, 200, 250, 300)


def screen(diagonal_inches: float, width_px: int, height_px: int) -> float | None:
    """Pixels per millimetre of a screen sold as `diagonal_inches`, as its EDID reports it."""
    diagonal_mm = diagonal_inches * 25.4
    across = math.hypot(width_px, height_px)
    return pixels_per_mm(
        width_px, height_px, diagonal_mm * width_px / across, diagonal_mm * height_px / across
    )


def dejavu_caps(step: int) -> float:
    """DejaVu Sans capitals are 0.729 of the pixel size (1493 of 2048 units)."""
    return 0.729 * round(22 * step / 100)


def test_a_common_kiosk_screen() -> None:
    density = screen(21.5, 1920, 1080)
    assert density == pytest.approx(4.03, abs=0.01)
    # 100%: capitals 16 px = 3.98 mm, too small; 125% (28 px): 20.4 px = 5.06 mm.
    assert dejavu_caps(100) / density < MIN_CAP_MM <= dejavu_caps(125) / density
    assert smallest_readable_step(STEPS, dejavu_caps, density) == 125


@pytest.mark.parametrize(
    ("inches", "width", "height", "start"),
    [
        (32, 1920, 1080, 100),  # big pixels: 100% is already 5.9 mm
        (15.6, 1366, 768, 125),
        (10.1, 1280, 800, 200),  # a tablet: small pixels
        (7, 800, 480, 175),
        (5, 800, 480, 250),
    ],
)
def test_other_screens(inches: float, width: int, height: int, start: int) -> None:
    assert smallest_readable_step(STEPS, dejavu_caps, screen(inches, width, height)) == start


def test_a_tiny_screen_gets_the_largest_step() -> None:
    assert smallest_readable_step(STEPS, dejavu_caps, screen(3.5, 800, 480)) == 300


def test_never_below_100_percent() -> None:
    assert smallest_readable_step((50, 75, 100, 150), dejavu_caps, screen(55, 1920, 1080)) == 100


@pytest.mark.parametrize(
    ("width_mm", "height_mm"),
    [
        (0, 0),  # no EDID size
        (160, 90),  # an aspect ratio written where the size should be
        (10, 10),  # "1 cm"
        (600, 100),  # pixels that are not square: made up
        (-476, 268),
    ],
)
def test_a_size_that_cannot_be_believed_is_none(width_mm: float, height_mm: float) -> None:
    assert pixels_per_mm(1920, 1080, width_mm, height_mm) is None


def test_unknown_size_starts_at_100_percent() -> None:
    assert smallest_readable_step(STEPS, dejavu_caps, None) == 100
    assert smallest_readable_step((125, 150), dejavu_caps, None) == 125
