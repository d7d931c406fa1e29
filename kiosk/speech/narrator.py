"""Reads a text aloud, sentence by sentence, and says where it is from what is being heard.

Synthesis runs in the synthesizer's child process, called from a worker thread, one sentence
ahead of the voice. Playback runs in another child, the speaker (kiosk/speech/audio_output.py
says why: Qt Multimedia's PulseAudio backend aborts the kiosk once its server has died), fed
sentence after sentence into one stream per reading: no gap and no device start-up between
sentences, and stop() silences at once. Which sentence and word is being heard comes from
what the speaker reports as heard (written minus what the server still holds), so the
highlight follows the audio, not the synthesis.

When the sound goes (a server killed or restarted, a speaker unplugged), the reading stops
with one sentence for the patient (choices.AUDIO_LOST), and `available_changed` says when
there is sound again, on whichever output is the default then: no restart of the kiosk.
"""

from __future__ import annotations

import contextlib
import logging
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from kiosk.content.sentences import Sentence, split_sentences
from kiosk.speech.audio_output import AudioOutput
from kiosk.speech.choices import (
    AUDIO_LOST,
    DEFAULT_VOLUME,
    NO_ENGINE,
    NO_SPEAKER,
    NOT_WORKING,
    RATES,
)
from kiosk.speech.synth import Speech, SpeechUnavailable, Synthesizer
from kiosk.tasks import Scope, TaskRunner

log = logging.getLogger(__name__)


def no_voice(language: str) -> str:
    return f"Reading aloud is not available in this language ({language})."


@dataclass(frozen=True, slots=True)
class _Queued:
    """One sentence's audio, placed in the stream from byte `start` to byte `end`."""

    index: int
    start: int
    end: int
    speech: Speech


class Narrator(QObject):
    """States: idle, preparing (waiting for the first audio), speaking, paused."""

    sentence_started = Signal(int, int)  # start, end offsets into the text being read
    word_started = Signal(int, int)  # start, length
    finished = Signal()  # the end of the text was heard
    failed = Signal(str)  # a plain sentence to show the patient
    state_changed = Signal(str)
    progressed = Signal()  # audio is being heard: counts as activity for the idle timer
    available_changed = Signal(bool)  # the sound went away, or is back

    def __init__(
        self,
        synth: Synthesizer | None,
        tasks: TaskRunner,
        *,
        output: AudioOutput | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._synth = synth
        self._tasks = tasks
        self._output = output if output is not None else AudioOutput(self)
        self._output.queued.connect(self._on_queued)
        self._output.heard.connect(self._on_heard)
        self._output.drained.connect(self._on_drained)
        self._output.lost.connect(self._on_lost)
        self._output.bad_audio.connect(self._on_bad_audio)
        self._output.available_changed.connect(self.available_changed)
        self._output.set_volume(DEFAULT_VOLUME)
        self._output.start()  # so the first tap finds it ready
        self._engine_problem = "" if synth is not None else NO_ENGINE
        self._languages: dict[str, bool] = {}
        self.state = "idle"
        self.rate = "normal"
        self.volume = DEFAULT_VOLUME
        self.keep_reading = False  # go on to the next part by itself (the page asks the window)
        self._text = ""
        self._language = "en"
        self._sentences: list[Sentence] = []
        self._index = 0
        self._reading = Scope()  # moves on at every stop: late sentences are dropped
        self._number = 0  # this reading's number for the speaker child: late reports dropped
        self._ready: dict[int, Speech] = {}  # synthesized, not yet handed to the child
        self._requested: set[int] = set()
        self._sent: dict[int, Speech] = {}  # handed to the child, not yet in the stream
        self._timeline: list[_Queued] = []
        self._total = 0  # bytes in this reading's stream
        self._per_ms = 44  # bytes per millisecond of audio (22,050 Hz mono 16-bit)
        self._ended = False  # the child was told the last sentence is in
        self._next_to_queue = 0
        self._heard_index = -1
        self._next_word = 0
        self.heard_bytes = 0  # of this reading, as last reported: for benchmarks and tests

    # -- availability ------------------------------------------------------------------------

    def engine_failed(self, reason: str) -> None:
        """The synthesizer could not start (called by whoever started it)."""
        self._engine_problem = reason or NO_ENGINE

    def problem(self, language: str) -> str:
        """Why reading aloud cannot work for `language` now, or "" if it can."""
        if self._engine_problem or self._synth is None:
            return self._engine_problem or NO_ENGINE
        if not self._output.available() and not self._output.had_audio:
            return NO_SPEAKER
        # Sound that was there and went away is tried again at every tap: the child finds a
        # server that is back at once, and says "lost" at once if it is still gone.
        if language not in self._languages:
            try:
                self._languages[language] = self._synth.voice_for(language) is not None
            except SpeechUnavailable as error:
                self._engine_problem = str(error) or NO_ENGINE
                return self._engine_problem
        return "" if self._languages[language] else no_voice(language)

    # -- control -----------------------------------------------------------------------------

    @property
    def sentences(self) -> list[Sentence]:
        return list(self._sentences)

    @property
    def current(self) -> Sentence | None:
        if not self._sentences or self.state == "idle" or self._heard_index < 0:
            return None
        return self._sentences[self._heard_index]

    def read(self, text: str, language: str, from_offset: int = 0) -> bool:
        """Start reading `text` at the sentence that holds `from_offset`. False (and `failed`)
        when it cannot; nothing else changes then."""
        self.stop()
        problem = self.problem(language)
        if problem:
            self.failed.emit(problem)
            return False
        sentences = split_sentences(text, language)
        if not sentences:
            return False
        self._text, self._language, self._sentences = text, language, sentences
        self._index = next(
            (i for i, s in enumerate(sentences) if s.end > from_offset), len(sentences) - 1
        )
        self._next_to_queue = self._index
        self._number += 1
        self._set_state("preparing")
        self._request(self._index)
        self._request(self._index + 1)
        return True

    def stop(self) -> None:
        """Silence now: the speaker stops, queued and prefetched audio is dropped."""
        self._reading.move_on()
        if self.state != "idle":
            self._output.stop(self._number)
        self._clear_stream()
        for speech in self._ready.values():
            _remove(speech.wav)
        self._ready.clear()
        self._requested.clear()
        self._set_state("idle")

    def pause(self) -> None:
        if self.state == "speaking":
            self._output.pause()
            self._set_state("paused")

    def resume(self) -> None:
        if self.state == "paused":
            self._output.resume()
            self._set_state("speaking")

    def repeat_sentence(self) -> None:
        if self.state != "idle" and self._sentences:
            self._restart_at(max(self._heard_index, self._index))

    def set_rate(self, rate: str) -> None:
        if rate not in RATES or rate == self.rate:
            return
        self.rate = rate
        if self.state != "idle":
            self._restart_at(max(self._heard_index, self._index))

    def set_volume(self, volume: float) -> None:
        self.volume = min(1.0, max(0.0, volume))
        self._output.set_volume(self.volume)

    def reset(self) -> None:
        """For the next patient: silence, normal speed, default volume."""
        self.stop()
        self.rate = "normal"
        self.keep_reading = False
        self.set_volume(DEFAULT_VOLUME)

    # -- synthesis ---------------------------------------------------------------------------

    def _request(self, index: int) -> None:
        if index >= len(self._sentences) or index in self._requested or self._synth is None:
            return
        self._requested.add(index)
        synth = self._synth
        text, language, rate = self._sentences[index].text, self._language, RATES[self.rate]
        (
            self._tasks.op(lambda: synth.synthesize(text, language=language, rate=rate), "speech")
            .within(self._reading)
            .success(lambda speech: self._on_synthesized(index, speech))
            .dropped(lambda speech: _remove(speech.wav))
            .failure(self._on_synth_error)
            .run()
        )

    def _on_synthesized(self, index: int, speech: Speech) -> None:
        self._ready[index] = speech
        self._queue_ready()

    def _on_synth_error(self, error: Exception) -> None:
        log.warning("speech failed: %s", error)
        self.stop()
        message = str(error) if isinstance(error, SpeechUnavailable) and str(error) else NOT_WORKING
        self.failed.emit(message)

    # -- playback ----------------------------------------------------------------------------

    def _queue_ready(self) -> None:
        """Hand synthesized sentences, in order, to the speaker child (it deletes the files)."""
        while self._next_to_queue in self._ready:
            index = self._next_to_queue
            speech = self._ready.pop(index)
            self._sent[index] = speech
            self._output.play(self._number, index, speech.wav)
            self._next_to_queue += 1
            self._request(index + 1)
            self._request(index + 2)
        if self._next_to_queue >= len(self._sentences) and not self._ended:
            self._ended = True
            self._output.end(self._number)

    def _on_queued(self, number: int, index: int, size: int, rate: int, channels: int) -> None:
        speech = self._sent.pop(index, None) if number == self._number else None
        if speech is None:
            return
        start = self._total
        self._total += size
        self._timeline.append(_Queued(index, start, start + size, speech))
        self._per_ms = max(1, rate * channels * 2 // 1000)

    def _on_heard(self, number: int, heard: int) -> None:
        """Mark the sentence and word now being heard. Nothing is marked before the first
        sound, so the highlight never runs ahead of the voice."""
        if number != self._number or self.state in ("idle", "paused"):
            return
        self.progressed.emit()  # the voice is on: the patient is listening, not idle
        if heard <= 0:
            return
        self.heard_bytes = heard
        timeline = self._timeline
        now = next((q for q in timeline if q.start <= heard < q.end), None)
        if now is None and timeline and heard >= timeline[-1].end:
            now = timeline[-1]
        if now is None:
            return
        sentence = self._sentences[now.index]
        if now.index != self._heard_index:
            self._heard_index, self._next_word = now.index, 0
            self._index = now.index
            self._set_state("speaking")
            self.sentence_started.emit(sentence.start, sentence.end)
        at_ms = (heard - now.start) // self._per_ms
        words = now.speech.words
        while self._next_word < len(words) and words[self._next_word].at_ms <= at_ms:
            word = words[self._next_word]
            self._next_word += 1
            self.word_started.emit(sentence.start + word.start, word.length)

    def _on_drained(self, number: int) -> None:
        if number != self._number or self.state == "idle":
            return
        self._clear_stream()
        self._set_state("idle")
        self.finished.emit()

    def _on_lost(self, number: int) -> None:
        """The sound went away (the server died, or the speaker child with it) while reading:
        stop, so the Pause/Stop bar and the highlight go, and say so in one sentence."""
        if number != self._number or self.state == "idle":
            return
        self.stop()
        self.failed.emit(AUDIO_LOST if self._output.had_audio else NO_SPEAKER)

    def _on_bad_audio(self, number: int, _index: int) -> None:
        if number != self._number or self.state == "idle":
            return
        self.stop()
        self.failed.emit(NOT_WORKING)

    def _restart_at(self, index: int) -> None:
        # Re-synthesized rather than replayed from a cache: tens of milliseconds, and a new
        # speed takes effect at once.
        self.read(self._text, self._language, self._sentences[index].start)

    def _clear_stream(self) -> None:
        for speech in self._sent.values():
            _remove(speech.wav)  # not taken by the child yet (it deletes the ones it took)
        self._sent.clear()
        self._timeline.clear()
        self._total = 0
        self._ended = False
        self._heard_index = -1
        self._next_word = 0
        self.heard_bytes = 0

    def _set_state(self, state: str) -> None:
        if state != self.state:
            self.state = state
            self.state_changed.emit(state)


def _remove(path: Path) -> None:
    with contextlib.suppress(OSError):
        path.unlink()
