"""A library in more than one language: the search keyboard starts in the library's most common
language, and one key, named in the other language's own words, switches the letters while
keeping what was typed. The index is the real SQLite FTS5 one; the packs are real folders."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from pytestqt.qtbot import QtBot

from kiosk.app import build_services
from kiosk.config import load_settings
from kiosk.ui.keyboard import keyboard_languages
from kiosk.ui.pages import TopicPage
from kiosk.ui.search import SearchPage
from kiosk.ui.window import KioskWindow
from tests.ui.geometry import page_problems, settle
from tests.ui.test_search import open_search, press, titles

SPANISH = [
    ("fiebre", "Fiebre en niños", "Niños", "La fiebre es una temperatura alta."),
    ("tos", "Tos y resfriado", "Niños", "La tos suele pasar sola en una semana."),
    ("dolor-de-espalda", "Dolor de espalda", "Espalda", "Moverse un poco ayuda a la espalda."),
]
GERMAN = [("ruecken", "Rückenschmerzen", "Rücken", "Bewegung hilft dem Rücken.")]
FRENCH = [("fievre", "Fièvre de l’enfant", "Enfants", "La fièvre est une température élevée.")]
ENGLISH = [("sleep-well", "Sleeping Well", "Everyday health", "Sleep helps the body heal.")]


def write_pack(folder: Path, language: str, topics: Iterable[tuple[str, str, str, str]]) -> Path:
    (folder / "topics").mkdir(parents=True)
    (folder / "pack.toml").write_text(
        f'format = 1\nid = "org.example.{language}"\nversion = 1\ntitle = "Test {language}"\n'
        f'languages = ["{language}"]\npublisher = "Tests"\n'
    )
    for topic_id, title, category, text in topics:
        (folder / "topics" / f"{topic_id}.md").write_text(
            f'+++\nid = "{topic_id}"\ntitle = "{title}"\ncategory = "{category}"\n'
            f'language = "{language}"\n+++\n{text}\n\n## {title}\n\n{text}\n'
        )
    return folder


def library_window(
    make_window: Callable[..., KioskWindow],
    tmp_path: Path,
    packs: dict[str, list[tuple[str, str, str, str]]],
    *,
    samples: bool,
    size: tuple[int, int] = (1280, 800),
) -> KioskWindow:
    """A kiosk whose library is the given packs, plus the English samples when `samples`."""
    config = tmp_path / "config.toml"
    config.write_text(f"[library]\nshow_samples = {str(samples).lower()}\n")
    settings = load_settings(
        {"KIOSK_CONFIG": str(config), "KIOSK_DATA_DIR": str(tmp_path / "data")},
        system_file=tmp_path / "none.toml",
    )
    folders = [write_pack(tmp_path / lang, lang, topics) for lang, topics in packs.items()]
    return make_window(build_services(settings, folders, speech=False), size)


def tap(qtbot: QtBot, page: SearchPage) -> None:
    qtbot.mouseClick(page.keyboard.language_key, Qt.MouseButton.LeftButton)
    settle()


def test_a_spanish_reader_switches_the_keyboard_and_keeps_the_word(
    qtbot: QtBot, make_window: Callable[..., KioskWindow], tmp_path: Path
) -> None:
    window = library_window(make_window, tmp_path, {"es": SPANISH}, samples=True)
    page = open_search(qtbot, window)
    switch = page.keyboard.language_key
    assert switch.isVisible() and switch.text() == "Español"  # English samples outnumber
    assert "Ñ" not in page.keyboard.keys
    press(qtbot, page, "ni")
    tap(qtbot, page)
    assert "Ñ" in page.keyboard.keys and page.keyboard.keys["Ñ"].isVisible()
    assert switch.text() == "English"
    assert page.query.text() == "ni▏", "switching keeps what was typed"
    press(qtbot, page, "ño")
    assert titles(page) == ["Fiebre en niños"]
    qtbot.mouseClick(page.shown_results()[0], Qt.MouseButton.LeftButton)
    topic = window.page()
    assert isinstance(topic, TopicPage) and topic.topic.id == "fiebre"

    window.go_back()
    assert window.page() is page and switch.text() == "English" and "Ñ" in page.keyboard.keys
    tap(qtbot, page)
    assert switch.text() == "Español" and "Ñ" not in page.keyboard.keys
    assert page.query.text() == "niño▏"
    press(qtbot, page, "s")
    assert titles(page) == ["Fiebre en niños"]


def test_one_language_shows_no_switch(qtbot: QtBot, window: KioskWindow) -> None:
    page = open_search(qtbot, window)
    assert not page.keyboard.language_key.isVisible()
    assert "Ñ" not in page.keyboard.keys and page.keyboard.keys["Z"].isVisible()


def test_the_keyboard_starts_in_the_most_common_language(
    qtbot: QtBot, make_window: Callable[..., KioskWindow], tmp_path: Path
) -> None:
    window = library_window(make_window, tmp_path, {"en": ENGLISH, "es": SPANISH}, samples=False)
    page = open_search(qtbot, window)
    assert "Ñ" in page.keyboard.keys and page.keyboard.language_key.text() == "English"
    tap(qtbot, page)
    press(qtbot, page, "sleep")
    assert titles(page) == ["Sleeping Well"]


def test_three_languages_take_turns_on_the_one_key(
    qtbot: QtBot, make_window: Callable[..., KioskWindow], tmp_path: Path
) -> None:
    window = library_window(
        make_window, tmp_path, {"es": SPANISH, "de": GERMAN}, samples=True, size=(800, 480)
    )
    page = open_search(qtbot, window)
    seen = []
    for _ in range(3):
        seen.append((page.keyboard.language_key.text(), "Ñ" in page.keyboard.keys))
        tap(qtbot, page)
    # English first (most topics), then Spanish (three), then German (one), then English.
    assert seen == [("Español", False), ("Deutsch", True), ("English", False)]
    tap(qtbot, page)
    tap(qtbot, page)
    assert "Ü" in page.keyboard.keys and page.keyboard.language_key.text() == "English"
    rows = {key.y() for key in page.keyboard.keys.values()}
    assert len(rows) == 2, "German's 29 letters in two rows, not a third row for one letter"
    press(qtbot, page, "rück")
    assert titles(page)[0] == "Rückenschmerzen"
    tap(qtbot, page)
    assert "Ü" not in page.keyboard.keys and page.query.text() == "rück▏"


def test_the_next_patient_gets_the_default_keyboard(
    qtbot: QtBot, make_window: Callable[..., KioskWindow], tmp_path: Path
) -> None:
    window = library_window(make_window, tmp_path, {"es": SPANISH}, samples=True)
    page = open_search(qtbot, window)
    tap(qtbot, page)
    press(qtbot, page, "ñ")
    window.reset_to_start()  # what the idle countdown does when it runs out
    page = open_search(qtbot, window)
    assert page.keyboard.language_key.text() == "Español" and "Ñ" not in page.keyboard.keys
    assert page.query.text().startswith("Type a word")


def test_the_language_key_follows_high_contrast(
    qtbot: QtBot, make_window: Callable[..., KioskWindow], tmp_path: Path
) -> None:
    window = library_window(make_window, tmp_path, {"es": SPANISH}, samples=True)
    page = open_search(qtbot, window)

    def colours() -> set[str]:
        settle()
        image = page.keyboard.language_key.grab().toImage()
        return {
            QColor(image.pixel(x, y)).name()
            for x in range(0, image.width(), 2)
            for y in range(0, image.height(), 2)
        }

    assert "#ffff00" not in colours()
    qtbot.mouseClick(window.header.contrast_button, Qt.MouseButton.LeftButton)
    assert {"#ffff00", "#000000"} <= colours()  # yellow on black, like every other key


@pytest.mark.parametrize("percent", [100, 150, 200])
@pytest.mark.parametrize("size", [(800, 480), (1080, 1920), (1280, 800)], ids=str)
def test_the_search_page_with_the_switch_fits(
    qtbot: QtBot,
    make_window: Callable[..., KioskWindow],
    tmp_path: Path,
    size: tuple[int, int],
    percent: int,
) -> None:
    """Every keyboard of a three-language library: nothing cut off, keys big enough to touch
    (at 100%), no sideways scrolling, the disclaimer whole."""
    window = library_window(
        make_window, tmp_path, {"es": SPANISH, "de": GERMAN, "fr": FRENCH}, samples=True, size=size
    )
    window.set_text_size(percent)
    page = open_search(qtbot, window)
    disclaimer = window.settings.disclaimer
    problems = []
    for _ in page.keyboard.languages:
        press(qtbot, page, "a")
        label = page.keyboard.language_key.text()
        problems += page_problems(window, disclaimer, f"search, key says {label}", size)
        tap(qtbot, page)
    assert problems == []


@pytest.mark.parametrize(
    ("languages", "keyboards"),
    [
        (["en", "es", "es", "en", "en"], ["en", "es"]),
        (["es-MX", "es", "en-GB"], ["es", "en"]),  # regions share their language's keyboard
        (["en", "pt", "pt"], ["pt"]),  # the same ABC: no switch to offer
        (["fr", "de", "de", "fr"], ["de", "fr"]),  # a tie goes to the first code A-Z
        ([], ["en"]),
    ],
)
def test_the_library_languages_give_the_keyboards(
    languages: list[str], keyboards: list[str]
) -> None:
    assert keyboard_languages(languages) == keyboards
