"""Keys on a long A-Z list: the letters and every row take the focus in turn, Enter on a
letter goes to its first topic, a typed letter does the same, Enter on a row opens it."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from kiosk.app import Services, build_services
from kiosk.config import load_settings
from kiosk.ui.pages import TopicListPage, TopicPage
from kiosk.ui.window import KioskWindow
from tests.ui.keyboard_user import K, focused, press, press_until, ready, type_on_keyboard, where

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    sys.path.insert(0, str(REPO / "benchmarks"))
    from make_library import make_library  # the benchmarks' own generator, seeded

    return make_library(80, tmp_path_factory.mktemp("a-to-z") / "library", seed=5)


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


def rows(page: TopicListPage) -> list[str]:
    assert page.list_view is not None
    model = page.list_view.model_
    return [str(model.index(row, 0).data()) for row in range(model.rowCount())]


def test_letters_and_rows_take_the_focus_and_enter_opens_a_topic(
    qtbot: QtBot, window: KioskWindow
) -> None:
    ready(qtbot, window)
    press_until(window, K.Key_Down, "All topics A to Z")
    press(window, K.Key_Return)
    page = window.page()
    assert isinstance(page, TopicListPage) and page.letters is not None
    view = page.list_view
    assert view is not None
    titles = rows(page)
    letter = next(k for k, key in page.letters.keys.items() if key.isEnabled() and k > "C")
    press_until(window, K.Key_Down, f"Topics starting with {letter}")
    press(window, K.Key_Return)  # the letter: keys go on from its first topic
    first = page.first_row[letter]
    qtbot.waitUntil(lambda: view.visualRect(view.model_.index(first, 0)).top() == 0)
    assert focused() is view and where() == f"row: {titles[first]}"
    press(window, K.Key_Down, times=2)
    assert where() == f"row: {titles[first + 2]}"
    rect = page.list_view.inner_stops.rect()
    assert view.rect().contains(rect)  # the row the keys are on is on screen
    press(window, K.Key_Up)
    assert where() == f"row: {titles[first + 1]}"
    press(window, K.Key_Return)
    opened = window.page()
    assert isinstance(opened, TopicPage) and opened.topic.title == titles[first + 1]
    press(window, K.Key_Backspace)
    assert window.page() is page and where() == f"row: {titles[first + 1]}"


def test_a_typed_letter_goes_to_its_first_topic(qtbot: QtBot, window: KioskWindow) -> None:
    ready(qtbot, window)
    window.open_category("")
    page = window.page()
    assert isinstance(page, TopicListPage) and page.list_view is not None
    titles = rows(page)
    letter = sorted(page.first_row)[-1]  # the last letter: far down a long list
    type_on_keyboard(window, letter.lower())
    assert where() == f"row: {titles[page.first_row[letter]]}"
    press(window, K.Key_Down, times=len(titles) - 1 - page.first_row[letter])
    assert where() == f"row: {titles[-1]}"
    press(window, K.Key_Down)  # past the last row: on to the disclaimer
    assert focused() is window.footer
