"""Read-aloud with the real parts: espeak-ng through pyttsx3 in the synth child, played through
Qt Multimedia into a PulseAudio null sink whose monitor the test listens to."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor
from pytestqt.qtbot import QtBot

from kiosk.app import build_services
from kiosk.config import Settings
from kiosk.speech.choices import AUDIO_LOST
from kiosk.speech.narrator import NO_ENGINE, NO_SPEAKER, no_voice
from kiosk.speech.synth import HANG_HOOK, Synthesizer
from kiosk.ui.pages import TopicPage
from kiosk.ui.window import KioskWindow
from tests.audio import Recorder
from tests.ui.geometry import settle

START_S = 8  # the null sink takes a second or two to start a stream; real speakers are faster

PACK_TOML = """format = 1
id = "org.example.test"
version = 1
title = "Test pack"
languages = ["en", "es"]
publisher = "Tests"
"""

TWO_SECTIONS = """+++
id = "two-parts"
title = "Two Parts"
category = "Tests"
language = "en"
+++
A short topic for the narrator.

## First part

The sun is warm today. Drink some water.

## Second part

Rest when you are tired. Ask a nurse if you need help.
"""

SPANISH = """+++
id = "fiebre"
title = "Fiebre"
category = "Pruebas"
language = "es"
+++
Un tema corto.

## Qué es la fiebre

La fiebre es una temperatura alta. Beba agua.
"""

KLINGON = SPANISH.replace('id = "fiebre"', 'id = "klingon"').replace('"es"', '"tlh"')


@pytest.fixture
def pack(tmp_path: Path) -> Path:
    root = tmp_path / "pack"
    (root / "topics").mkdir(parents=True)
    (root / "pack.toml").write_text(PACK_TOML)
    for name, text in (("two-parts", TWO_SECTIONS), ("fiebre", SPANISH), ("klingon", KLINGON)):
        (root / "topics" / f"{name}.md").write_text(text)
    return root


@pytest.fixture
def speaking(
    make_window: Callable[..., KioskWindow], settings: Settings, synth: Synthesizer, pack: Path
) -> KioskWindow:
    return make_window(build_services(settings, [pack], speech=synth))


@pytest.fixture
def heard() -> Iterator[Recorder]:
    recorder = Recorder()
    yield recorder
    recorder.close()


def open_topic(window: KioskWindow, topic_id: str) -> TopicPage:
    assert window.open_topic(topic_id)
    page = window.page()
    assert isinstance(page, TopicPage)
    settle()
    return page


def highlighted(page: TopicPage) -> str:
    """The text a patient sees marked as being read."""
    if page.section_title.property("speaking"):
        return page.section_title.text()
    selections = page.body.extraSelections()
    return selections[0].cursor.selectedText() if selections else ""  # type: ignore[attr-defined]


def tap(qtbot: QtBot, widget) -> None:  # type: ignore[no-untyped-def]
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)
    settle()


def wait_speaking(qtbot: QtBot, window: KioskWindow) -> None:
    assert window.narrator is not None
    qtbot.waitUntil(lambda: window.narrator.current is not None, timeout=START_S * 1000)  # type: ignore[union-attr]


def test_two_parts_are_read_in_order_with_the_spoken_sentence_marked(
    qtbot: QtBot, speaking: KioskWindow, heard: Recorder
) -> None:
    page = open_topic(speaking, "two-parts")
    narrator = speaking.narrator
    assert narrator is not None
    seen: list[str] = []
    narrator.sentence_started.connect(lambda *_: seen.append(highlighted(page)))
    tap(qtbot, page.reading.read_button)
    assert page.nav.buttons() == page.reading.speech_buttons  # speech controls replace paging
    tap(qtbot, page.reading.sound_button)  # speech goes on while the patient picks this:
    tap(qtbot, speaking.sound.keep_button)  # type: ignore[union-attr]  # go on by itself
    tap(qtbot, speaking.sound.done_button)  # type: ignore[union-attr]
    assert narrator.state != "idle" and narrator.keep_reading
    started = time.monotonic()
    expected = [
        "First part",
        "The sun is warm today.",
        "Drink some water.",
        "Second part",
        "Rest when you are tired.",
        "Ask a nurse if you need help.",
    ]
    qtbot.waitUntil(lambda: len(seen) >= len(expected), timeout=40_000)
    assert seen[: len(expected)] == expected
    assert page.index >= 1
    assert heard.heard_speech(after=started)
    tap(qtbot, page.reading.stop_button)


def test_stop_is_silent_at_once(qtbot: QtBot, speaking: KioskWindow, heard: Recorder) -> None:
    page = open_topic(speaking, "two-parts")
    tap(qtbot, page.reading.read_button)
    wait_speaking(qtbot, speaking)
    qtbot.waitUntil(lambda: heard.heard_speech(after=time.monotonic() - 0.3), timeout=5000)
    stopped = time.monotonic()
    qtbot.mouseClick(page.reading.stop_button, Qt.MouseButton.LeftButton)
    took = time.monotonic() - stopped
    assert speaking.narrator is not None and speaking.narrator.state == "idle"
    assert took < 0.1
    qtbot.wait(800)
    # The monitor itself lags a little; nothing may be heard after that.
    assert not heard.heard_speech(after=stopped + 0.3), heard.loudest(after=stopped + 0.3)
    assert page.nav.buttons() == page.page_buttons
    assert highlighted(page) == ""


@pytest.mark.parametrize("what", ["footer", "home", "larger text", "contrast"])
def test_a_tap_on_anything_else_stops_speech(
    qtbot: QtBot, speaking: KioskWindow, what: str
) -> None:
    page = open_topic(speaking, "two-parts")
    tap(qtbot, page.reading.read_button)
    wait_speaking(qtbot, speaking)
    target = {
        "footer": speaking.footer,
        "home": speaking.header.home_button,
        "larger text": speaking.header.larger_button,
        "contrast": speaking.header.contrast_button,
    }[what]
    tap(qtbot, target)
    assert speaking.narrator is not None and speaking.narrator.state == "idle"


def test_pause_holds_and_resume_goes_on(
    qtbot: QtBot, speaking: KioskWindow, heard: Recorder
) -> None:
    page = open_topic(speaking, "two-parts")
    narrator = speaking.narrator
    assert narrator is not None
    tap(qtbot, page.reading.read_button)
    wait_speaking(qtbot, speaking)
    tap(qtbot, page.reading.pause_button)
    assert narrator.state == "paused" and page.reading.pause_button.text() == "▶ Go on"
    paused = time.monotonic()
    before = narrator.current
    qtbot.wait(1500)
    assert narrator.current == before
    assert not heard.heard_speech(after=paused + 0.4, before=time.monotonic())
    tap(qtbot, page.reading.pause_button)
    assert narrator.state == "speaking"
    resumed = time.monotonic()
    qtbot.waitUntil(lambda: heard.heard_speech(after=resumed), timeout=START_S * 1000)
    tap(qtbot, page.reading.stop_button)


def test_a_tapped_sentence_is_where_reading_starts(qtbot: QtBot, speaking: KioskWindow) -> None:
    page = open_topic(speaking, "two-parts")
    cursor = page.body.document().find("Drink some water")
    assert not cursor.isNull()
    cursor.setPosition(cursor.selectionStart() + 3, QTextCursor.MoveMode.MoveAnchor)
    qtbot.mouseClick(
        page.body.viewport(), Qt.MouseButton.LeftButton, pos=page.body.cursorRect(cursor).center()
    )
    settle()
    assert page.reading.read_button.text() == "Read from here"
    assert highlighted(page) == "Drink some water."
    first: list[str] = []
    assert speaking.narrator is not None
    speaking.narrator.sentence_started.connect(lambda *_: first.append(highlighted(page)))
    tap(qtbot, page.reading.read_button)
    qtbot.waitUntil(lambda: bool(first), timeout=START_S * 1000)
    assert first[0] == "Drink some water."
    tap(qtbot, page.reading.stop_button)


def test_speed_and_volume_controls_and_their_reset(qtbot: QtBot, speaking: KioskWindow) -> None:
    page = open_topic(speaking, "two-parts")
    narrator, sound = speaking.narrator, speaking.sound
    assert narrator is not None and sound is not None
    tap(qtbot, page.reading.read_button)
    tap(qtbot, page.reading.sound_button)
    assert sound.isVisible() and sound.speed_label.text() == "Speed: Normal"
    tap(qtbot, sound.faster_button)
    assert sound.speed_label.text() == "Speed: Fast" and narrator.rate == "fast"
    assert not sound.faster_button.isEnabled()
    tap(qtbot, sound.slower_button)
    tap(qtbot, sound.slower_button)
    assert sound.speed_label.text() == "Speed: Slow" and narrator.rate == "slow"
    assert sound.volume_label.text() == "Volume: 4 of 5"
    tap(qtbot, sound.louder_button)
    assert sound.volume_label.text() == "Volume: 5 of 5" and narrator.volume == 1.0
    assert not sound.louder_button.isEnabled()
    assert narrator.state != "idle"  # none of this stopped the voice
    speaking.reset_to_start()
    assert narrator.state == "idle" and narrator.rate == "normal" and narrator.volume == 0.75
    assert not narrator.keep_reading and not sound.isVisible()


def test_idle_reset_stops_paused_speech(qtbot: QtBot, speaking: KioskWindow) -> None:
    page = open_topic(speaking, "two-parts")
    narrator = speaking.narrator
    assert narrator is not None
    tap(qtbot, page.reading.read_button)
    wait_speaking(qtbot, speaking)
    tap(qtbot, page.reading.pause_button)  # then the patient walks away
    speaking.idle.set_timeout(300)
    speaking.idle_countdown_s = 1
    with qtbot.waitSignal(speaking.still_reading.expired, timeout=5000):
        pass
    settle()
    assert narrator.state == "idle" and speaking.page() is speaking.home


def test_speech_counts_as_activity(qtbot: QtBot, speaking: KioskWindow) -> None:
    page = open_topic(speaking, "two-parts")
    tap(qtbot, page.reading.read_button)
    wait_speaking(qtbot, speaking)
    speaking.idle.set_timeout(400)
    qtbot.wait(1500)
    assert not speaking.still_reading.isVisible()
    tap(qtbot, page.reading.stop_button)


def test_the_voice_follows_the_topic_language(
    qtbot: QtBot, speaking: KioskWindow, synth: Synthesizer, heard: Recorder
) -> None:
    voice = synth.voice_for("es")
    assert voice is not None and any(lang.startswith("es") for lang in voice.languages)
    page = open_topic(speaking, "fiebre")
    seen: list[str] = []
    assert speaking.narrator is not None
    speaking.narrator.sentence_started.connect(lambda *_: seen.append(highlighted(page)))
    started = time.monotonic()
    tap(qtbot, page.reading.read_button)
    qtbot.waitUntil(lambda: "La fiebre es una temperatura alta." in seen, timeout=20_000)
    assert heard.heard_speech(after=started)
    tap(qtbot, page.reading.stop_button)


def test_no_voice_for_the_language_says_so(qtbot: QtBot, speaking: KioskWindow) -> None:
    page = open_topic(speaking, "klingon")
    tap(qtbot, page.reading.read_button)
    assert page.notice.isVisible() and page.notice.text() == no_voice("tlh")
    assert speaking.narrator is not None and speaking.narrator.state == "idle"


def test_no_speech_engine_says_so(
    qtbot: QtBot, make_window: Callable[..., KioskWindow], settings: Settings, pack: Path
) -> None:
    window = make_window(build_services(settings, [pack], speech=False))
    page = open_topic(window, "two-parts")
    tap(qtbot, page.reading.read_button)
    assert page.notice.isVisible() and page.notice.text() == NO_ENGINE
    tap(qtbot, window.header.home_button)  # and the rest of the kiosk works on
    assert window.page() is window.home


def test_a_sentence_that_takes_too_long_says_so_and_the_kiosk_goes_on(
    qtbot: QtBot,
    make_window: Callable[..., KioskWindow],
    settings: Settings,
    pack: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(HANG_HOOK, "warm today")  # the child hangs for real on that sentence
    slow = Synthesizer(tmp_path / "slow", timeout_s=1.5)
    slow.start()
    try:
        window = make_window(build_services(settings, [pack], speech=slow))
        page = open_topic(window, "two-parts")
        tap(qtbot, page.reading.read_button)
        qtbot.waitUntil(page.notice.isVisible, timeout=8000)
        assert "took too long" in page.notice.text()
        assert window.narrator is not None and window.narrator.state == "idle"
        tap(qtbot, page.next_button)
        assert page.index == 1
    finally:
        slow.close()


def test_no_audio_output_says_so(tmp_path: Path) -> None:
    """A kiosk process that can reach no sound server (unplugged speaker, no audio daemon)."""
    script = textwrap.dedent(
        """
        from pathlib import Path
        from PySide6.QtWidgets import QApplication
        app = QApplication([])
        from kiosk.app import build_services, build_window
        from kiosk.config import load_settings
        settings = load_settings()
        services = build_services(settings)
        window = build_window(services)
        window.show()
        window.open_topic("spinal-manipulation")
        page = window.page()
        page.reading.read_button.click()
        print("NOTICE:", page.notice.text())
        services.close()
        """
    )
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "PULSE_SERVER": f"unix:{tmp_path}/no-such-socket",
        "KIOSK_CONFIG": str(tmp_path / "none.toml"),
        "KIOSK_SYSTEM_CONFIG": str(tmp_path / "none-system.toml"),
        "KIOSK_DATA_DIR": str(tmp_path),
    }
    result = subprocess.run(
        [sys.executable, "-c", script],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        cwd=Path(__file__).resolve().parents[2],
    )
    assert f"NOTICE: {NO_SPEAKER}" in result.stdout, result.stdout + result.stderr


def test_the_end_of_a_part_offers_the_next(qtbot: QtBot, speaking: KioskWindow) -> None:
    page = open_topic(speaking, "two-parts")
    narrator = speaking.narrator
    assert narrator is not None
    tap(qtbot, page.reading.read_button)
    with qtbot.waitSignal(narrator.finished, timeout=20_000):
        pass
    settle()
    assert page.index == 0  # it did not move on by itself
    assert page.reading.read_button.text() == "Read the next part"
    seen: list[str] = []
    narrator.sentence_started.connect(lambda *_: seen.append(highlighted(page)))
    tap(qtbot, page.reading.read_button)
    assert page.index == 1
    qtbot.waitUntil(lambda: bool(seen), timeout=START_S * 1000)
    assert seen[0] == "Second part"
    tap(qtbot, page.reading.stop_button)


def test_again_repeats_the_sentence_being_read(qtbot: QtBot, speaking: KioskWindow) -> None:
    page = open_topic(speaking, "two-parts")
    narrator = speaking.narrator
    assert narrator is not None
    seen: list[str] = []
    narrator.sentence_started.connect(lambda *_: seen.append(highlighted(page)))
    tap(qtbot, page.reading.read_button)
    qtbot.waitUntil(lambda: "The sun is warm today." in seen, timeout=20_000)
    tap(qtbot, page.reading.again_button)
    qtbot.waitUntil(lambda: seen.count("The sun is warm today.") == 2, timeout=START_S * 1000)
    tap(qtbot, page.reading.stop_button)


def test_the_sentence_being_read_stays_on_screen(
    qtbot: QtBot, make_window: Callable[..., KioskWindow], settings: Settings, synth: Synthesizer
) -> None:
    window = make_window(build_services(settings, speech=synth), (800, 480))
    window.set_text_size(200)
    page = open_topic(window, "spinal-manipulation")
    narrator = window.narrator
    assert narrator is not None
    viewport = page.area.viewport()
    offscreen: list[str] = []

    def check(*_: int) -> None:
        selections = page.body.extraSelections()
        if not selections:
            return
        cursor = selections[0].cursor  # type: ignore[attr-defined]
        rect = page.body.cursorRect(cursor)
        top_left = page.body.viewport().mapTo(viewport, rect.topLeft())
        if not viewport.rect().contains(top_left):
            offscreen.append(cursor.selectedText())

    seen: list[int] = []
    narrator.sentence_started.connect(check)
    narrator.sentence_started.connect(lambda *_: seen.append(1))
    tap(qtbot, page.reading.read_button)
    qtbot.waitUntil(lambda: len(seen) >= 5, timeout=40_000)
    tap(qtbot, page.reading.stop_button)
    assert page.area.verticalScrollBar().value() > 0  # it had to scroll to follow the voice
    assert offscreen == []


def test_a_speaker_child_that_dies_mid_reading_is_replaced(
    qtbot: QtBot, speaking: KioskWindow, heard: Recorder
) -> None:
    """The process that plays the audio is killed (as a crash in the audio library would):
    the reading stops with one sentence, the kiosk goes on, and the next tap is heard."""
    page = open_topic(speaking, "two-parts")
    narrator = speaking.narrator
    assert narrator is not None
    tap(qtbot, page.reading.read_button)
    wait_speaking(qtbot, speaking)
    child = narrator._output._keeper.child
    assert child is not None
    os.kill(child.process.pid, signal.SIGKILL)
    qtbot.waitUntil(page.notice.isVisible, timeout=5000)
    assert page.notice.text() == AUDIO_LOST and narrator.state == "idle"
    assert page.nav.buttons() == page.page_buttons and highlighted(page) == ""
    qtbot.waitUntil(lambda: not page.notice.isVisible(), timeout=5000)  # a new child: sound
    tapped = time.monotonic()
    tap(qtbot, page.reading.read_button)
    wait_speaking(qtbot, speaking)
    qtbot.waitUntil(lambda: heard.heard_speech(after=tapped), timeout=START_S * 1000)
    tap(qtbot, page.reading.stop_button)
