"""Every page of the sample library, at every text size, in four window shapes: the footer is
always there and whole, nothing is clipped, nothing scrolls sideways, touch targets are big."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from kiosk.app import Services, build_services
from kiosk.config import Settings
from kiosk.library.offers import Offer
from kiosk.speech.synth import Synthesizer
from kiosk.ui.pages import TopicListPage, TopicPage
from kiosk.ui.staff import PackRow
from kiosk.ui.window import KioskWindow
from tests.ui.geometry import page_problems, settle

WINDOW_SIZES = [(1920, 1080), (1080, 1920), (1280, 800), (800, 480)]
TEXT_SIZES = [100, 125, 150, 175, 200]
# The steps above 200% are walked where they press hardest, not at every size: two more steps
# everywhere would add two fifths to the slowest file of the suite. 800x480 is the smallest
# screen; the portraits are where the bars stop growing by width (Theme.controls_cap); 1920x1080
# is where they stop by height; 250% is the step where 1080x1920 first outgrew its width.
LARGE_TEXT = [
    ((800, 480), 300),
    ((800, 1280), 300),
    ((1080, 1920), 300),
    ((1920, 1080), 300),
    ((1080, 1920), 250),
]
UP_TO_200 = [(size, percent) for size in WINDOW_SIZES for percent in TEXT_SIZES]
EVERY_SIZE = UP_TO_200 + LARGE_TEXT
# The read-aloud and staff screens are built from the same parts: the two narrowest suffice.
CONTROLS_SIZES = [*UP_TO_200, ((800, 480), 300), ((1080, 1920), 300)]


def size_id(value: tuple[int, int] | int) -> str:
    """'1920x1080' for a window size, '300' for a text size: ids like 1920x1080-300."""
    return f"{value[0]}x{value[1]}" if isinstance(value, tuple) else str(value)


def test_text_size_steps_reach_200_percent(window: KioskWindow) -> None:
    assert len(window.text_sizes) >= 5
    assert window.text_sizes[0] == 100 and window.text_sizes[-1] >= 200


def test_text_size_steps_reach_300_percent(window: KioskWindow) -> None:
    assert {250, 300} <= set(window.text_sizes)


@pytest.mark.slow
@pytest.mark.parametrize(("size", "percent"), EVERY_SIZE, ids=size_id)
def test_every_page_fits(
    make_window: Callable[..., KioskWindow],
    services: Services,
    size: tuple[int, int],
    percent: int,
) -> None:
    window = make_window(services, size)
    window.set_text_size(percent)
    disclaimer = services.settings.disclaimer
    catalog = services.catalog
    problems = page_problems(window, disclaimer, "home", size)

    for category in [*catalog.categories(), ""]:
        window.open_category(category)
        assert isinstance(window.page(), TopicListPage)
        problems += page_problems(window, disclaimer, f"list {category or 'A-Z'}", size)

    for topic in catalog.topics():
        window.open_topic(topic.id)
        page = window.page()
        assert isinstance(page, TopicPage)
        for index in range(len(page.parts)):
            page.show_part(index)
            settle()
            problems += page_problems(window, disclaimer, f"{topic.id} part {index + 1}", size)
        window.show_contents()
        problems += page_problems(window, disclaimer, f"{topic.id} contents", size)
        window.contents.close_overlay()
    window.still_reading.start(30)
    problems += page_problems(window, disclaimer, "still reading", size)
    window.still_reading.stop()
    assert problems == []
    assert window.size().width() == size[0] and window.size().height() == size[1]


@pytest.mark.parametrize(("size", "percent"), CONTROLS_SIZES, ids=size_id)
def test_read_aloud_controls_fit(
    make_window: Callable[..., KioskWindow],
    settings: Settings,
    synth: Synthesizer,
    size: tuple[int, int],
    percent: int,
) -> None:
    """The speaking controls, a notice, and the Sound overlay, at every size (no audio)."""
    window = make_window(build_services(settings, speech=synth), size)
    window.set_text_size(percent)
    disclaimer = settings.disclaimer
    window.open_topic("spinal-manipulation", 1)
    page = window.page()
    assert isinstance(page, TopicPage)
    page.nav.set_buttons(page.reading.speech_buttons)
    page.notice.setText("Reading aloud is not available: no speaker or headphones are connected.")
    page.notice.show()
    problems = page_problems(window, disclaimer, "speaking", size)
    window.show_sound()
    problems += page_problems(window, disclaimer, "sound", size)
    assert window.sound is not None and window.sound.isVisible()
    assert problems == []


@pytest.mark.parametrize(("size", "percent"), CONTROLS_SIZES, ids=size_id)
def test_staff_screens_fit(
    make_window: Callable[..., KioskWindow],
    services: Services,
    size: tuple[int, int],
    percent: int,
) -> None:
    """The USB banner, PIN keypad, staff panel and USB list, at every size."""
    window = make_window(services, size)
    window.set_text_size(percent)
    disclaimer = services.settings.disclaimer
    assert window.staff is not None
    window.staff.show_stick([Path("/media/STICK/org.clinic.heart-4.topicpack")])
    problems = page_problems(window, disclaimer, "usb banner", size)
    window.staff.pin.ask()
    problems += page_problems(window, disclaimer, "pin", size)
    window.staff.pin.hide()
    rows = [PackRow("org.clinic.heart", "Heart and circulation pack", 3, 2)]
    window.staff.panel.show_panel(rows, "Inbox: installed Heart pack, version 3.", usb=True)
    problems += page_problems(window, disclaimer, "staff panel", size)
    window.staff.panel.hide()
    window.staff.usb.show_offers(
        [
            Offer(
                Path("a.topicpack"),
                True,
                "Heart and circulation pack",
                "update from version 3",
                "org.clinic.heart",
                4,
                "Test Clinic",
                "Signed by key 4A2F19C0DD1E7B35",
                42,
                ("en",),
            ),
            Offer(
                Path("bad.topicpack"),
                False,
                "bad.topicpack",
                "refused",
                problem="signed by an unknown key (ID 77AB01CD33EF2290)",
            ),
        ]
    )
    problems += page_problems(window, disclaimer, "usb list", size)
    assert problems == []


LONG_WORD_TOPIC = """+++
id = "long-word"
title = "Pneumonoultramicroscopicsilicovolcanoconiosis"
category = "Lungs"
language = "en"
+++
A lung disease with a very long name.

## What is pneumonoultramicroscopicsilicovolcanoconiosis?

A lung disease from breathing in very fine dust.
"""


def test_a_word_longer_than_the_screen_breaks_instead_of_widening_the_page(
    make_window: Callable[..., KioskWindow], settings: Settings, tmp_path: Path
) -> None:
    """A clinic's own topic with a very long word in its title, at 300% on the smallest
    screen: the heading breaks inside the word, the page does not scroll sideways."""
    pack = tmp_path / "long"
    (pack / "topics").mkdir(parents=True)
    (pack / "pack.toml").write_text(
        'format = 1\nid = "org.example.long"\nversion = 1\ntitle = "Long"\n'
        'languages = ["en"]\npublisher = "Tests"\n'
    )
    (pack / "topics" / "long-word.md").write_text(LONG_WORD_TOPIC)
    size = (800, 480)
    window = make_window(build_services(settings, [pack], speech=False), size)
    window.set_text_size(300)
    assert window.open_topic("long-word")
    problems = page_problems(window, settings.disclaimer, "part 1", size)
    window.show_contents()
    problems += page_problems(window, settings.disclaimer, "contents", size)
    assert problems == []
