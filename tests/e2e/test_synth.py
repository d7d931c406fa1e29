"""The synthesizer with real espeak-ng through pyttsx3, in its real child process.

What a patient would notice: speech that is there (not silent, longer for longer text), in the
topic's language, a highlight that follows the words, and read-aloud that comes back by itself
after the engine crashes or hangs instead of freezing the kiosk.
"""

from __future__ import annotations

import math
import os
import signal
import threading
import time
import wave
from array import array
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.content.plain import html_to_text
from kiosk.content.sentences import split_sentences
from kiosk.packs.folder import read_pack_folder
from kiosk.speech.choices import NO_ENGINE
from kiosk.speech.synth import HANG_HOOK, Speech, SpeechUnavailable, Synthesizer

SAMPLE = Path(__file__).resolve().parents[2] / "topics" / "sample-en"

SHORT = "Rest your back."
LONG = (
    "Talk with your doctor or nurse before you try it, because they can help you decide "
    "if it is a good choice for you."
)
SILENCE_FLOOR = 300  # RMS of 16-bit samples; espeak-ng speech measures in the thousands


def samples(speech: Speech) -> array[int]:
    with wave.open(str(speech.wav), "rb") as audio:
        assert (audio.getframerate(), audio.getnchannels(), audio.getsampwidth()) == (22050, 1, 2)
        frames = audio.readframes(audio.getnframes())
        duration_ms = audio.getnframes() * 1000 / audio.getframerate()
    assert abs(duration_ms - speech.duration_ms) <= 1
    data = array("h")
    data.frombytes(frames)
    return data


def rms(data: array[int]) -> float:
    return math.sqrt(sum(x * x for x in data) / len(data)) if data else 0.0


def assert_words(text: str, speech: Speech, expected: list[str]) -> None:
    """The highlight: words in order, at exact offsets, heard within the audio."""
    assert [text[w.start : w.start + w.length] for w in speech.words] == expected
    starts = [w.start for w in speech.words]
    times = [w.at_ms for w in speech.words]
    assert starts == sorted(set(starts)), "word offsets must only go forward"
    assert times == sorted(times), "word times must never go back"
    assert times[0] >= 0 and times[-1] < speech.duration_ms


@pytest.fixture(scope="module")
def synth(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Synthesizer]:
    with Synthesizer(tmp_path_factory.mktemp("speech")) as synth:
        synth.start()
        yield synth


def test_speech_is_heard_and_longer_text_takes_longer(synth: Synthesizer) -> None:
    assert len(LONG.split()) >= 20 and len(SHORT.split()) == 3
    short = synth.synthesize(SHORT, language="en")
    long = synth.synthesize(LONG, language="en")
    assert short.wav != long.wav and short.wav.parent == long.wav.parent
    assert 500 < short.duration_ms < long.duration_ms
    assert long.duration_ms > 2.5 * short.duration_ms
    for speech in (short, long):
        assert rms(samples(speech)) > SILENCE_FLOOR, f"{speech.wav} is silent"


def test_word_timings_follow_the_sentence(synth: Synthesizer) -> None:
    speech = synth.synthesize(LONG, language="en")
    expected = [w.strip(",.") for w in LONG.split()]
    assert_words(LONG, speech, expected)
    assert speech.words[-1].at_ms > speech.duration_ms / 2, "the words are spread over the audio"


def test_offsets_are_characters_in_non_ascii_text(synth: Synthesizer) -> None:
    text = "A café au lait, naïve señor, is fine."
    assert_words(
        text,
        synth.synthesize(text, language="en"),
        ["A", "café", "au", "lait", "naïve", "señor", "is", "fine"],
    )


def test_words_as_written(synth: Synthesizer) -> None:
    """espeak's own word lengths are rough (0 for some words, half of "hands-on"); the
    highlight covers each word as written, without the punctuation around it."""
    text = "A hands-on check, he left—fast: don't worry."
    assert_words(
        text,
        synth.synthesize(text, language="en"),
        ["A", "hands-on", "check", "he", "left", "fast", "don't", "worry"],
    )
    text = "Niños: «más agua», ¡ya!"
    assert_words(text, synth.synthesize(text, language="es"), ["Niños", "más", "agua", "ya"])


def test_a_real_section_is_highlighted_word_by_word(synth: Synthesizer) -> None:
    [topic] = [t for t in read_pack_folder(SAMPLE).topics if t.id == "fever-in-children"]
    section = topic.sections[0]
    for sentence in split_sentences(f"{section.title}\n{html_to_text(section.html)}"):
        speech = synth.synthesize(sentence.text, language=topic.language)
        written = [w.strip(".,;:!?()\"'") for w in sentence.text.split()]
        heard = [sentence.text[w.start : w.start + w.length] for w in speech.words]
        assert heard == [w for w in written if w], sentence.text
        speech.wav.unlink()


def test_spanish(synth: Synthesizer) -> None:
    text = "¿Qué es la fiebre? Es una temperatura más alta de lo normal."
    speech = synth.synthesize(text, language="es")
    assert rms(samples(speech)) > SILENCE_FLOOR
    expected = ["Qué", "es", "la", "fiebre", "Es", "una", "temperatura", "más", "alta", "de"]
    assert_words(text, speech, [*expected, "lo", "normal"])


def test_voices_for_languages(synth: Synthesizer) -> None:
    english, spanish = synth.voice_for("en"), synth.voice_for("es")
    assert english is not None and "en" in english.languages
    assert spanish is not None and "es" in spanish.languages
    assert synth.voice_for("en-US") is not None
    assert synth.voice_for("xx") is None
    assert {english, spanish} <= set(synth.voices())
    with pytest.raises(SpeechUnavailable, match=r"^No voice for language 'xx' is installed\.$"):
        synth.synthesize("Hello.", language="xx")


def test_many_sentences_in_a_row_all_have_audio(synth: Synthesizer) -> None:
    """pyttsx3 cancels its own next utterance if espeak is still busy: an empty WAV in the
    middle of a section would be a silent gap. Back to back, changing voice and speed."""
    for n in range(30):
        language, rate = ("es", 130) if n % 3 == 0 else ("en", 160 + n)
        text = f"Frase número {n}." if language == "es" else f"This is sentence number {n}."
        speech = synth.synthesize(text, language=language, rate=rate)
        assert speech.duration_ms > 500 and speech.words, f"sentence {n} came out empty"
        speech.wav.unlink()


def test_faster_rate_is_shorter(synth: Synthesizer) -> None:
    slow = synth.synthesize(LONG, language="en", rate=120)
    fast = synth.synthesize(LONG, language="en", rate=240)
    assert fast.duration_ms < 0.7 * slow.duration_ms


def test_requests_from_several_threads(synth: Synthesizer) -> None:
    results: list[Speech] = []
    errors: list[BaseException] = []

    def speak(n: int) -> None:
        try:
            results.append(synth.synthesize(f"Thread number {n} speaks.", language="en"))
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=speak, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert not errors
    assert len({s.wav for s in results}) == 4


def test_empty_text_is_a_mistake(synth: Synthesizer) -> None:
    with pytest.raises(ValueError):
        synth.synthesize("  ", language="en")


# -- crashes and hangs: a synthesizer of their own ---------------------------------------------


def gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


def test_a_killed_child_is_replaced(tmp_path: Path) -> None:
    with Synthesizer(tmp_path) as synth:
        synth.start()
        old = synth.pid
        assert old is not None and synth.alive
        os.kill(old, signal.SIGKILL)
        speech = synth.synthesize(SHORT, language="en")
        assert speech.duration_ms > 500
        assert synth.pid not in (None, old)


def test_a_hung_child_is_killed_and_replaced(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(HANG_HOOK, "HANG-HERE")
    timeout = 1.5
    with Synthesizer(tmp_path, timeout_s=timeout) as synth:
        synth.start()
        old = synth.pid
        assert old is not None
        began = time.monotonic()
        with pytest.raises(SpeechUnavailable, match=r"^Speech took too long"):
            synth.synthesize("This will HANG-HERE forever.", language="en")
        assert time.monotonic() - began < timeout + 2
        assert gone(old), "the hung child must really be killed"
        assert synth.synthesize(SHORT, language="en").duration_ms > 500
        assert synth.pid not in (None, old)


def test_close_ends_a_hung_request_at_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Leaving the kiosk must not wait for a hung engine."""
    monkeypatch.setenv(HANG_HOOK, "HANG-HERE")
    synth = Synthesizer(tmp_path, timeout_s=20)
    synth.start()
    outcome: list[BaseException] = []

    def speak() -> None:
        try:
            synth.synthesize("HANG-HERE", language="en")
        except BaseException as error:
            outcome.append(error)

    thread = threading.Thread(target=speak)
    thread.start()
    time.sleep(0.3)
    began = time.monotonic()
    synth.close()
    thread.join(5)
    assert time.monotonic() - began < 3
    assert [type(e) for e in outcome] == [SpeechUnavailable]
    assert not synth.alive and synth.pid is None


def test_close_removes_its_files(tmp_path: Path) -> None:
    (tmp_path / "someone-else.wav").write_bytes(b"")
    synth = Synthesizer(tmp_path)
    spoken = [synth.synthesize(f"Sentence {n}.", language="en").wav for n in range(3)]
    assert all(p.is_file() for p in spoken)
    pid = synth.pid
    assert pid is not None
    synth.close()
    assert [p.name for p in tmp_path.iterdir()] == ["someone-else.wav"]
    assert gone(pid) and synth.pid is None and not synth.alive


def test_no_speech_engine(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """espeak-ng with its data missing (a broken install) exits inside pyttsx3's init."""
    empty = tmp_path / "espeak"
    (empty / "espeak-ng-data").mkdir(parents=True)
    monkeypatch.setenv("ESPEAK_DATA_PATH", str(empty))
    with Synthesizer(tmp_path / "work", timeout_s=5) as synth:
        with pytest.raises(SpeechUnavailable) as raised:
            synth.start()
        assert str(raised.value) == "The speech engine could not start (espeak-ng)."
        with pytest.raises(SpeechUnavailable):
            synth.synthesize(SHORT, language="en")
        assert not synth.alive


def test_no_espeak_library_says_what_the_page_says_with_no_engine(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A kiosk without libespeak-ng: pyttsx3's espeak driver raises what it raises when no
    library loads (a stand-in for pyttsx3 stands in front of the real one on the child's
    path). The patient reads the same sentence as on a kiosk with no speech at all."""
    shadow = tmp_path / "shadow" / "pyttsx3"
    (shadow / "drivers").mkdir(parents=True)
    (shadow / "__init__.py").write_text("")
    (shadow / "drivers" / "__init__.py").write_text("")
    (shadow / "drivers" / "_espeak.py").write_text(
        "raise RuntimeError('This means you probably do not have eSpeak or eSpeak-ng installed!')\n"
    )
    monkeypatch.setenv("PYTHONPATH", str(shadow.parent))
    with Synthesizer(tmp_path / "work", timeout_s=5) as synth:
        with pytest.raises(SpeechUnavailable) as raised:
            synth.start()
        assert str(raised.value) == NO_ENGINE
        assert not synth.alive


def test_no_pyttsx3(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A kiosk installed without pyttsx3: a module of that name that cannot be imported
    stands in front of the real one on the child's path."""
    shadow = tmp_path / "shadow" / "pyttsx3"
    shadow.mkdir(parents=True)
    (shadow / "__init__.py").write_text("raise ImportError('No module named pyttsx3')\n")
    monkeypatch.setenv("PYTHONPATH", str(shadow.parent))
    missing = r"^No speech engine is installed \(pyttsx3\)"
    with (
        Synthesizer(tmp_path / "work", timeout_s=5) as synth,
        pytest.raises(SpeechUnavailable, match=missing),
    ):
        synth.voice_for("en")
