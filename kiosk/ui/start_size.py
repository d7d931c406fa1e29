"""The text size every patient starts at.

Staff may name it (`screen.start_text_size`). Otherwise it is the smallest step at which the
capital letters of body text are at least 4.8 mm tall on the actual screen, the minimum that
Section 508 (402.4, characters on closed-functionality displays) sets for a kiosk: 22 px body
text is about 4 mm tall on a 21.5-inch 1080p screen, so most patients would otherwise start
below it. The screen's size in millimetres comes from Qt (QScreen.physicalSize, from the
monitor's EDID); when it reports nothing usable, the kiosk starts at 100% and says so in its
log.

The arithmetic is pure (no Qt): the Qt parts (the screen, the font's real cap height) are read
in `start_text_size` and passed in, so the rule is tested with real screens' numbers.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PySide6.QtGui import QScreen

    from kiosk.config import Settings

log = logging.getLogger(__name__)

MIN_CAP_MM = 4.8  # Section 508 402.4: uppercase letters at least 3/16 inch
# A screen reporting fewer pixels per millimetre than a 60-inch 720p television, or more than
# a phone, is reporting something else (EDIDs may hold 0, or 1 cm).
_PLAUSIBLE_PX_PER_MM = (0.8, 20.0)
# Televisions and projectors often write their aspect ratio where the size in centimetres
# belongs, which Linux then reports as 160 x 90 mm.
_ASPECT_RATIOS_AS_MM = frozenset({(160, 90), (160, 100), (40, 30), (50, 40)})


def pixels_per_mm(
    width_px: float, height_px: float, width_mm: float, height_mm: float
) -> float | None:
    """Logical pixels per millimetre of a screen, or None when its size is not believable:
    missing, absurd, or with pixels that would not be square (a made-up size)."""
    if min(width_px, height_px, width_mm, height_mm) <= 0:
        return None
    if (round(width_mm), round(height_mm)) in _ASPECT_RATIOS_AS_MM:
        return None
    across, down = width_px / width_mm, height_px / height_mm
    if abs(across - down) > 0.1 * max(across, down):
        return None
    density = (across + down) / 2
    low, high = _PLAUSIBLE_PX_PER_MM
    return density if low <= density <= high else None


def smallest_readable_step(
    steps: Sequence[int], cap_px: Callable[[int], float], px_per_mm: float | None
) -> int:
    """The first step (never below 100%) whose body capitals (`cap_px(step)` pixels tall) are
    at least MIN_CAP_MM on the screen; the largest step if none is; 100% (or the first step
    from 100% up) when the screen's size is unknown."""
    usable = [step for step in steps if step >= 100] or [max(steps)]
    if px_per_mm is None:
        return 100 if 100 in usable else usable[0]
    for step in usable:
        if cap_px(step) / px_per_mm >= MIN_CAP_MM:
            return step
    return usable[-1]


def body_cap_px(percent: int) -> float:
    """The real height of a capital letter in body text at `percent`, as the font draws it."""
    from PySide6.QtGui import QFont, QFontMetricsF

    from kiosk.ui.theme import FONT_FAMILY, Theme

    font = QFont(FONT_FAMILY)
    font.setPixelSize(Theme(percent).body_px)
    return QFontMetricsF(font).capHeight()


def start_text_size(settings: Settings, screen: QScreen | None) -> int:
    """The staff's starting size, else the smallest readable step on `screen`."""
    chosen = settings.start_text_size
    if chosen is not None:
        return chosen
    density = None
    if screen is not None:
        size, physical = screen.size(), screen.physicalSize()
        density = pixels_per_mm(size.width(), size.height(), physical.width(), physical.height())
        if density is None:
            log.warning(
                "the screen reports no usable size (%.0f x %.0f mm for %d x %d pixels): "
                "starting at 100%% text; set screen.start_text_size to choose",
                physical.width(),
                physical.height(),
                size.width(),
                size.height(),
            )
    else:
        log.warning("no screen to measure: starting at 100%% text")
    step = smallest_readable_step(settings.text_sizes, body_cap_px, density)
    if density is not None:
        log.info(
            "starting at %d%% text: capitals %.1f mm tall on this screen (%.2f px/mm)",
            step,
            body_cap_px(step) / density,
            density,
        )
    return step
