"""Pictures that speak (WCAG 1.1.1): what a picture shows is under it on screen, in the image's
alt text for screen readers, and read aloud where the picture stands."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
from PySide6.QtGui import QColor, QImage, QTextFormat
from pytestqt.qtbot import QtBot

from kiosk.app import build_services
from kiosk.config import Settings
from kiosk.speech.synth import Synthesizer
from kiosk.ui.pages import TopicPage
from kiosk.ui.window import KioskWindow
from tests.ui.geometry import settle
from tests.ui.test_read_aloud import highlighted

PACK_TOML = """format = 1
id = "org.example.pictures"
version = 1
title = "Pictures"
languages = ["en"]
publisher = "Tests"
"""

TOPIC = """+++
id = "blood-pressure"
title = "Blood Pressure"
category = "Tests"
language = "en"
+++
Checking it.

## What happens

A nurse puts a cuff on your arm.

![A nurse puts a cuff on an arm](media/cuff.png)

It does not hurt.
"""
ALT = "A nurse puts a cuff on an arm"


@pytest.fixture
def pack(tmp_path: Path, qapp: object) -> Path:
    root = tmp_path / "pack"
    (root / "topics").mkdir(parents=True)
    (root / "media").mkdir()
    (root / "pack.toml").write_text(PACK_TOML)
    (root / "topics" / "blood-pressure.md").write_text(TOPIC)
    picture = QImage(60, 40, QImage.Format.Format_RGB32)
    picture.fill(QColor("#c0392b"))
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    assert picture.save(buffer, "PNG")
    (root / "media" / "cuff.png").write_bytes(bytes(data.data()))
    return root


def open_topic(window: KioskWindow) -> TopicPage:
    assert window.open_topic("blood-pressure")
    page = window.page()
    assert isinstance(page, TopicPage)
    settle()
    return page


def image_alts(page: TopicPage) -> list[str]:
    """The alt text of each image in the section's document: what Qt gives screen readers."""
    found = []
    block = page.body.document().begin()
    while block.isValid():
        fragments = block.begin()
        while not fragments.atEnd():
            char_format = fragments.fragment().charFormat()
            if char_format.isImageFormat():
                found.append(str(char_format.property(QTextFormat.Property.ImageAltText)))
            fragments += 1
        block = block.next()
    return found


def test_a_picture_says_what_it_shows(
    make_window: Callable[..., KioskWindow], settings: Settings, pack: Path
) -> None:
    window = make_window(build_services(settings, [pack], speech=False))
    page = open_topic(window)
    assert [line.strip() for line in page.body.toPlainText().splitlines()] == [
        "A nurse puts a cuff on your arm.",
        "\ufffc",  # the picture itself, shown from the pack
        f"Picture: {ALT}.",
        "It does not hurt.",
    ]
    assert image_alts(page) == [ALT]


def test_read_aloud_says_the_picture_where_it_stands(
    qtbot: QtBot,
    make_window: Callable[..., KioskWindow],
    settings: Settings,
    synth: Synthesizer,
    pack: Path,
) -> None:
    window = make_window(build_services(settings, [pack], speech=synth))
    page = open_topic(window)
    narrator = window.narrator
    assert narrator is not None
    seen: list[str] = []
    narrator.sentence_started.connect(lambda *_: seen.append(highlighted(page)))
    qtbot.mouseClick(page.reading.read_button, Qt.MouseButton.LeftButton)
    expected = ["What happens", "A nurse puts a cuff on your arm.", f"Picture: {ALT}."]
    qtbot.waitUntil(lambda: len(seen) >= len(expected), timeout=30_000)
    page.reading.stop()  # heard up to the picture, in its place: enough
    assert seen[: len(expected)] == expected
