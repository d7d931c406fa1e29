"""The row of letters above a long topic list: a tap brings the first topic under that letter
to the top of the list, letters with no topics cannot be tapped, and the row re-flows and
follows the text size and contrast like every other control."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QPushButton
from pytestqt.qtbot import QtBot

from kiosk.app import Services, build_services
from kiosk.config import load_settings
from kiosk.ui.pages import TopicListPage
from kiosk.ui.theme import HIGH_CONTRAST, STANDARD
from kiosk.ui.window import KioskWindow
from tests.ui.geometry import MIN_TOUCH, page_problems, settle
from tests.ui.test_every_page import EVERY_SIZE, size_id

REPO = Path(__file__).resolve().parents[2]
EXTRA = {  # titles the generator never makes: a digit first, and an accent first
    "24-hour-blood-pressure": "24-hour Blood Pressure Monitoring",
    "eczema-in-babies": "Éczema in Babies",
}


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    sys.path.insert(0, str(REPO / "benchmarks"))
    from make_library import make_library  # the benchmarks' own generator, seeded

    root = tmp_path_factory.mktemp("letters")
    packs = make_library(300, root / "library", seed=11)
    extra = root / "extra"
    (extra / "topics").mkdir(parents=True)
    (extra / "pack.toml").write_text(
        'format = 1\nid = "org.example.extra"\nversion = 1\ntitle = "Extra"\n'
        'languages = ["en"]\npublisher = "Tests"\n'
    )
    for topic_id, title in EXTRA.items():
        (extra / "topics" / f"{topic_id}.md").write_text(
            f'+++\nid = "{topic_id}"\ntitle = "{title}"\ncategory = "Tests"\n'
            f'language = "en"\n+++\nA summary.\n\n## What it is\n\nSome text.\n',
            encoding="utf-8",
        )
    return [*packs, extra]


@pytest.fixture
def services(tmp_path: Path, library: list[Path]) -> Iterator[Services]:
    config = tmp_path / "config.toml"
    config.write_text("[library]\nshow_samples = false\n")
    settings = load_settings(
        {"KIOSK_CONFIG": str(config), "KIOSK_DATA_DIR": str(tmp_path / "data")},
        system_file=tmp_path / "none.toml",
    )
    built = build_services(settings, library, speech=False)
    yield built
    built.close()


def open_a_to_z(qtbot: QtBot, window: KioskWindow) -> TopicListPage:
    window.open_category("")
    page = window.page()
    assert isinstance(page, TopicListPage) and page.list_view is not None
    assert page.letters is not None and page.letters.isVisible()
    first = window.catalog.topics()[0].title
    qtbot.waitUntil(lambda: top_row_title(page) == first, timeout=5000)  # on screen
    return page


def top_row_title(page: TopicListPage) -> str:
    """The title of the topic at the top of what the list shows."""
    view = page.list_view
    assert view is not None
    return str(view.indexAt(QPoint(view.viewport().width() // 2, 1)).data())


def first_title(services: Services, initial: str) -> str:
    return next(t.title for t in services.catalog.topics() if t.title.upper().startswith(initial))


def tap(qtbot: QtBot, page: TopicListPage, letter: str) -> None:
    assert page.letters is not None
    qtbot.mouseClick(page.letters.keys[letter], Qt.MouseButton.LeftButton)


def test_tapping_s_brings_the_first_s_topic_to_the_top(
    qtbot: QtBot, make_window: Callable[..., KioskWindow], services: Services
) -> None:
    window = make_window(services)
    page = open_a_to_z(qtbot, window)
    wanted = first_title(services, "S")
    assert top_row_title(page) == services.catalog.topics()[0].title != wanted
    tap(qtbot, page, "S")
    qtbot.waitUntil(lambda: top_row_title(page) == wanted, timeout=3000)
    view = page.list_view
    assert view is not None
    row = view.indexAt(QPoint(view.viewport().width() // 2, 1)).row()
    assert view.row_rect(row).top() == 0  # its tile starts at the top edge, not half hidden
    assert view.row_rect(row - 1).bottom() < 0  # the topic before it is scrolled away
    tap(qtbot, page, "B")  # and back up the list
    qtbot.waitUntil(lambda: top_row_title(page) == first_title(services, "B"), timeout=3000)


def test_a_letter_far_down_a_long_list_is_reached_before_the_list_is_laid_out(
    qtbot: QtBot, make_window: Callable[..., KioskWindow], services: Services
) -> None:
    """The list lays out its rows in batches; a tap at once still lands on the letter."""
    window = make_window(services)
    window.open_category("")
    page = window.page()
    assert isinstance(page, TopicListPage)
    assert page.list_view is not None
    wanted = first_title(services, "W")
    row = [t.title for t in services.catalog.topics()].index(wanted)
    assert not page.list_view.row_rect(row).isValid()  # not laid out yet
    tap(qtbot, page, "W")
    qtbot.waitUntil(lambda: top_row_title(page) == wanted, timeout=5000)


def test_only_letters_with_topics_can_be_tapped(
    qtbot: QtBot, make_window: Callable[..., KioskWindow], services: Services
) -> None:
    window = make_window(services)
    page = open_a_to_z(qtbot, window)
    assert page.letters is not None
    keys = page.letters.keys
    titles = [t.title for t in services.catalog.topics()]
    initials = {t[0] for t in titles if "A" <= t[0] <= "Z"}
    enabled = {letter for letter, key in keys.items() if key.isEnabled()}
    assert enabled == {*initials, "E", "#"}  # "Éczema" is under E, "24-hour" under "#"
    absent = [letter for letter in keys if letter not in enabled]
    assert absent, "the generated titles leave some letters out"
    assert all(keys[letter].isVisible() for letter in absent)  # shown, greyed out
    view = page.list_view
    assert view is not None
    tap(qtbot, page, absent[0])
    settle()
    assert top_row_title(page) == titles[0]  # nothing moved
    tap(qtbot, page, "#")
    qtbot.waitUntil(lambda: top_row_title(page) == EXTRA["24-hour-blood-pressure"])


def test_short_lists_have_no_letters(window: KioskWindow) -> None:
    """A category of two topics is two tiles: nothing to jump over."""
    window.open_category("Tests")
    page = window.page()
    assert isinstance(page, TopicListPage) and page.list_view is None
    assert len(page.grid.tiles()) == len(EXTRA)
    assert page.letters is None
    assert not page.findChildren(QPushButton, "Letter")


def key_colour(key: QPushButton) -> QColor:
    """The fill just inside the key's left edge, clear of the letter."""
    return key.grab().toImage().pixelColor(key.width() // 8, key.height() // 2)


def test_letters_follow_text_size_and_contrast(
    qtbot: QtBot, make_window: Callable[..., KioskWindow], services: Services
) -> None:
    window = make_window(services, (1080, 1920))
    page = open_a_to_z(qtbot, window)
    assert page.letters is not None
    key = page.letters.keys["M"]
    small = key.height()
    assert key_colour(key) == QColor(STANDARD.button)
    window.set_text_size(200)
    settle()
    assert key.height() >= 2 * small - 4  # grown with the text
    rows = {b.y() for b in page.letters.keys.values()}
    assert len(rows) > 2  # and re-flowed into more rows on a portrait screen
    window.set_high_contrast(True)
    settle()
    assert key_colour(key) == QColor(HIGH_CONTRAST.button)
    tap(qtbot, page, "M")
    qtbot.waitUntil(lambda: top_row_title(page) == first_title(services, "M"), timeout=3000)


@pytest.mark.slow
@pytest.mark.parametrize(("size", "percent"), EVERY_SIZE, ids=size_id)
def test_the_long_list_with_its_letters_fits(
    qtbot: QtBot,
    make_window: Callable[..., KioskWindow],
    services: Services,
    size: tuple[int, int],
    percent: int,
) -> None:
    """Big touch targets, nothing clipped, the window never grows, and the list below the
    letters still shows a whole row (on a short screen at large text, where one row is taller
    than the room left, at least three finger-widths of it)."""
    window = make_window(services, size)
    window.set_text_size(percent)
    page = open_a_to_z(qtbot, window)
    problems = page_problems(window, services.settings.disclaimer, "A-Z", size)
    assert problems == []
    view = page.list_view
    assert view is not None
    assert view.viewport().height() >= min(view.row_rect(0).height(), 3 * MIN_TOUCH)
