"""Finding a topic with one finger: the on-screen keyboard, results at each letter, typos,
and the groups offered when nothing matches. The index is the real SQLite FTS5 one."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from kiosk.app import Services, build_services
from kiosk.config import Settings, load_settings
from kiosk.ui.pages import HomePage, TopicListPage, TopicPage
from kiosk.ui.search import SearchPage
from kiosk.ui.window import KioskWindow
from tests.ui.geometry import settle

REPO = Path(__file__).resolve().parents[2]


def open_search(qtbot: QtBot, window: KioskWindow) -> SearchPage:
    qtbot.waitUntil(window.search_ready, timeout=30_000)
    home = window.page()
    assert isinstance(home, HomePage) and home.search_tile.isVisible()
    qtbot.mouseClick(home.search_tile, Qt.MouseButton.LeftButton)
    page = window.page()
    assert isinstance(page, SearchPage)
    return page


def press(qtbot: QtBot, page: SearchPage, letters: str) -> None:
    for letter in letters:
        key = page.keyboard.space if letter == " " else page.keyboard.keys[letter.upper()]
        qtbot.mouseClick(key, Qt.MouseButton.LeftButton)
    settle()


def titles(page: SearchPage) -> list[str]:
    return [tile.accessibleName() for tile in page.shown_results()]


def test_results_come_with_each_letter_and_mark_the_words(
    qtbot: QtBot, window: KioskWindow
) -> None:
    page = open_search(qtbot, window)
    assert page.query.text().startswith("Type a word")
    press(qtbot, page, "dia")
    assert page.query.text() == "dia▏"
    assert titles(page)[0] == "Type 2 Diabetes"
    first = page.shown_results()[0]
    assert "<b><u>Diab" in first.title_label.text()  # the matched word is marked
    press(qtbot, page, "b")
    assert titles(page)[0] == "Type 2 Diabetes"
    qtbot.mouseClick(page.shown_results()[0], Qt.MouseButton.LeftButton)
    topic = window.page()
    assert isinstance(topic, TopicPage) and topic.topic.id == "type-2-diabetes"


def test_a_misspelling_still_finds_the_topic(qtbot: QtBot, window: KioskWindow) -> None:
    page = open_search(qtbot, window)
    press(qtbot, page, "cholestrol")
    assert titles(page)[0] == "High Cholesterol"
    qtbot.mouseClick(page.keyboard.clear, Qt.MouseButton.LeftButton)
    press(qtbot, page, "blod presure")
    assert titles(page)[0] == "High Blood Pressure"


def test_no_results_offers_the_groups(qtbot: QtBot, window: KioskWindow) -> None:
    page = open_search(qtbot, window)
    press(qtbot, page, "xqzv")
    assert titles(page) == []
    assert page.hint.text() == "No topics match “xqzv”. Try one of these groups:"
    groups = page.groups.tiles()
    assert [g.accessibleName() for g in groups] == window.catalog.categories()
    qtbot.mouseClick(groups[0], Qt.MouseButton.LeftButton)
    listing = window.page()
    assert isinstance(listing, TopicListPage)
    assert listing.heading.text() == window.catalog.categories()[0]


def test_delete_and_clear(qtbot: QtBot, window: KioskWindow) -> None:
    page = open_search(qtbot, window)
    press(qtbot, page, "neck")
    qtbot.mouseClick(page.keyboard.delete, Qt.MouseButton.LeftButton)
    assert page.query.text() == "nec▏"
    qtbot.mouseClick(page.keyboard.clear, Qt.MouseButton.LeftButton)
    assert page.query.text().startswith("Type a word") and titles(page) == []


def test_the_keyboard_follows_the_library_language(
    qtbot: QtBot, make_window: Callable[..., KioskWindow], tmp_path: Path
) -> None:
    pack = tmp_path / "es"
    (pack / "topics").mkdir(parents=True)
    (pack / "pack.toml").write_text(
        'format = 1\nid = "org.example.es"\nversion = 1\ntitle = "Temas"\n'
        'languages = ["es"]\npublisher = "Pruebas"\n'
    )
    (pack / "topics" / "fiebre.md").write_text(
        '+++\nid = "fiebre"\ntitle = "Fiebre en niños"\ncategory = "Niños"\nlanguage = "es"\n'
        "+++\nUn tema.\n\n## Qué es\n\nLa fiebre es una temperatura alta.\n"
    )
    config = tmp_path / "config.toml"
    config.write_text("[library]\nshow_samples = false\n")
    settings = load_settings(
        {"KIOSK_CONFIG": str(config), "KIOSK_DATA_DIR": str(tmp_path / "data")},
        system_file=tmp_path / "none.toml",
    )
    window = make_window(build_services(settings, [pack], speech=False))
    page = open_search(qtbot, window)
    assert "Ñ" in page.keyboard.keys
    press(qtbot, page, "niñ")
    assert titles(page) == ["Fiebre en niños"]


def test_a_library_of_5000_topics_opens_lists_and_searches(
    qtbot: QtBot, make_window: Callable[..., KioskWindow], tmp_path: Path
) -> None:
    sys.path.insert(0, str(REPO / "benchmarks"))
    from make_library import make_library  # the benchmarks' own generator, seeded

    packs = make_library(5000, tmp_path / "library", seed=7)
    config = tmp_path / "config.toml"
    config.write_text("[library]\nshow_samples = false\n")
    settings: Settings = load_settings(
        {"KIOSK_CONFIG": str(config), "KIOSK_DATA_DIR": str(tmp_path / "data")},
        system_file=tmp_path / "none.toml",
    )
    services: Services = build_services(settings, packs, speech=False)
    assert len(services.catalog) == 5000
    window = make_window(services)
    window.open_category("")  # all 5,000 A to Z: a lazy list, not 5,000 widgets
    listing = window.page()
    assert isinstance(listing, TopicListPage) and listing.list_view is not None
    assert listing.list_view.model().rowCount() == 5000
    assert len(listing.findChildren(type(listing.heading))) < 20
    first = services.catalog.topics()[0]
    qtbot.waitUntil(lambda: listing.list_view.row_rect(0).height() > 0, timeout=5000)  # type: ignore[union-attr]
    qtbot.wait(300)  # a person taps after seeing the list, not within the first frame
    view = listing.list_view
    # The index of 5,000 topics is still being built (by a child process, so this process is
    # free): a tap now must still open the topic.
    assert not window.search_ready()
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=view.row_rect(0).center())
    # QScroller hands the tap on once it knows it was not the start of a drag.
    qtbot.waitUntil(lambda: isinstance(window.page(), TopicPage), timeout=3000)
    opened = window.page()
    assert isinstance(opened, TopicPage) and opened.topic.id == first.id
    window.go_home()
    qtbot.waitUntil(window.search_ready, timeout=60_000)
    page = open_search(qtbot, window)
    wanted = services.catalog.topics()[2500].title
    press(qtbot, page, wanted.split()[0][:6])
    assert titles(page), "a word from a title finds topics"
