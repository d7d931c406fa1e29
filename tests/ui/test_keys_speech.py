"""Keys and the voice, with the real parts (espeak-ng in the synth child, PulseAudio's null
sink): the read-aloud bar keeps the keys and its keys keep the voice, other actions stop it,
+/- change the volume, and the Help key shows and reads what the keys do."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator

import pytest
from pytestqt.qtbot import QtBot

from kiosk.app import build_services
from kiosk.config import Settings
from kiosk.content.sentences import split_sentences
from kiosk.speech.choices import DEFAULT_VOLUME, VOLUMES
from kiosk.speech.synth import Synthesizer
from kiosk.ui.key_help import help_text
from kiosk.ui.pages import TopicPage
from kiosk.ui.window import KioskWindow
from tests.audio import Recorder
from tests.ui.keyboard_user import K, focused, press, press_until, ready, where

START_S = 8  # the null sink takes a second or two to start a stream


@pytest.fixture
def speaking(
    qtbot: QtBot, make_window: Callable[..., KioskWindow], settings: Settings, synth: Synthesizer
) -> KioskWindow:
    return ready(qtbot, make_window(build_services(settings, speech=synth)))


@pytest.fixture
def heard() -> Iterator[Recorder]:
    recorder = Recorder()
    yield recorder
    recorder.close()


def open_topic(window: KioskWindow, topic_id: str) -> TopicPage:
    assert window.open_topic(topic_id)
    page = window.page()
    assert isinstance(page, TopicPage)
    return page


def voice(window: KioskWindow) -> str:
    assert window.narrator is not None
    return window.narrator.state


def test_the_read_aloud_bar_keeps_the_keys_and_its_keys_keep_the_voice(
    qtbot: QtBot, speaking: KioskWindow
) -> None:
    page = open_topic(speaking, "neck-pain")
    reading = page.reading
    press_until(speaking, K.Key_Down, "Read aloud")
    press(speaking, K.Key_Space)
    assert voice(speaking) != "idle" and focused() is reading.pause_button
    qtbot.waitUntil(lambda: voice(speaking) == "speaking", timeout=START_S * 1000)
    for button in (reading.stop_button, reading.again_button, reading.sound_button):
        press(speaking, K.Key_Down)  # moving along the bar is not an action
        assert focused() is button and voice(speaking) == "speaking", where()
    press(speaking, K.Key_Return)  # Sound: the voice goes on while it is open
    assert speaking.sound is not None and speaking.sound.isAncestorOf(focused())
    press(speaking, K.Key_Escape)
    assert focused() is reading.sound_button and voice(speaking) == "speaking"
    press(speaking, K.Key_Up, times=3)
    assert focused() is reading.pause_button
    press(speaking, K.Key_Return)
    assert voice(speaking) == "paused" and focused() is reading.pause_button
    press(speaking, K.Key_Return)
    assert voice(speaking) == "speaking"
    press(speaking, K.Key_Down, times=2)
    press(speaking, K.Key_Return)  # Again: the sentence once more
    assert focused() is reading.again_button and voice(speaking) != "idle"
    press(speaking, K.Key_Down, times=2)  # past the bar, to the disclaimer: still speaking
    assert focused() is speaking.footer and voice(speaking) != "idle"
    press(speaking, K.Key_Up)  # a key pressed on the disclaimer is not a tap on it
    assert focused() is reading.sound_button and voice(speaking) != "idle"
    press(speaking, K.Key_Up, times=2)
    assert focused() is reading.stop_button
    press(speaking, K.Key_Return)
    assert voice(speaking) == "idle" and focused() is reading.read_button


def test_enter_on_another_control_stops_the_voice(qtbot: QtBot, speaking: KioskWindow) -> None:
    page = open_topic(speaking, "neck-pain")
    press_until(speaking, K.Key_Down, "Read aloud")
    press(speaking, K.Key_Return)
    assert focused() is page.reading.pause_button
    press_until(speaking, K.Key_Down, "Home")
    assert voice(speaking) != "idle"
    press(speaking, K.Key_Return)
    assert voice(speaking) == "idle" and speaking.page() is speaking.home


def test_enter_on_a_block_of_text_reads_from_there(qtbot: QtBot, speaking: KioskWindow) -> None:
    page = open_topic(speaking, "neck-pain")
    narrator = speaking.narrator
    assert narrator is not None
    while focused() is not page.body:
        press(speaking, K.Key_Down)
    press(speaking, K.Key_Down)  # the text's second block
    block = page.body.inner_stops.current_text().strip()
    press(speaking, K.Key_Return)
    qtbot.waitUntil(lambda: narrator.current is not None, timeout=START_S * 1000)
    assert narrator.current is not None and block.startswith(narrator.current.text)
    press(speaking, K.Key_Escape)  # Back is an action too: the voice stops
    assert voice(speaking) == "idle"


def test_plus_and_minus_change_the_volume_and_a_new_patient_starts_at_the_default(
    qtbot: QtBot, speaking: KioskWindow
) -> None:
    narrator, sound = speaking.narrator, speaking.sound
    assert narrator is not None and sound is not None and len(VOLUMES) >= 5
    assert narrator.volume == DEFAULT_VOLUME
    level = VOLUMES.index(DEFAULT_VOLUME)
    press(speaking, K.Key_Plus)
    assert narrator.volume == VOLUMES[level + 1]
    press(speaking, K.Key_Minus)
    press(speaking, K.Key_Minus)
    assert narrator.volume == VOLUMES[level - 1]
    press(speaking, K.Key_Equal)  # the "+" key without Shift: nothing needs two keys
    assert narrator.volume == VOLUMES[level]
    speaking.show_sound()
    press(speaking, K.Key_Minus, times=len(VOLUMES))  # no quieter than the quietest step
    assert (
        narrator.volume == VOLUMES[0]
        and sound.volume_label.text() == f"Volume: 1 of {len(VOLUMES)}"
    )
    press(speaking, K.Key_Escape)
    narrator.set_rate("slow")
    speaking.reset_to_start()  # the next patient
    assert narrator.volume == DEFAULT_VOLUME and narrator.rate == "normal"


def test_the_help_key_shows_and_reads_what_the_keys_do(
    qtbot: QtBot, speaking: KioskWindow, heard: Recorder
) -> None:
    page = open_topic(speaking, "neck-pain")
    narrator = speaking.narrator
    assert narrator is not None
    asked = time.monotonic()
    press(speaking, K.Key_F1)
    assert speaking.help.isVisible() and where() == "Using the keys"  # its title
    assert narrator.sentences == split_sentences(help_text(), "en")
    qtbot.waitUntil(lambda: heard.heard_speech(after=asked), timeout=START_S * 1000)
    # Not the page's reading: its text is not marked, its buttons stay.
    assert page.nav.buttons() == page.page_buttons and not page.body.extraSelections()
    press(speaking, K.Key_Escape)
    assert not speaking.help.isVisible()
    press(speaking, K.Key_Question)
    assert speaking.help.isVisible()
