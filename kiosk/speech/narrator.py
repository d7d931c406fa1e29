"""Reads a text aloud, sentence by sentence, and says where it is from what is being heard.

Synthesis runs in the synthesizer's child process, called from a worker thread, one sentence
ahead of the voice. Playback is ONE `QAudioSink` per reading, fed sentence after sentence in
push mode: no gap and no device start-up between sentences, and stop() silences at once.
(QMediaPlayer needs a new source per sentence; each start cost ~0.8-1.2 s here.) Which
sentence and word is being heard comes from the sink's processed time minus what is still
queued in it, so the highlight follows the audio, not the synthesis.
"""

from __future__ import annotations

import contextlib
import logging
import wave
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QIODevice, QObject, QTimer, Signal
from PySide6.QtMultimedia import QAudioFormat, QAudioSink, QMediaDevices, QtAudio

from kiosk.content.sentences import Sentence, split_sentences
from kiosk.speech.choices import (
    DEFAULT_VOLUME,
    NO_ENGINE,
    NO_SPEAKER,
    NOT_WORKING,
    RATES,
)
from kiosk.speech.synth import Speech, SpeechUnavailable, Synthesizer
from kiosk.tasks import Scope, TaskRunner

log = logging.getLogger(__name__)

POLL_MS = 15


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

    def __init__(
        self,
        synth: Synthesizer | None,
        tasks: TaskRunner,
        *,
        has_output: Callable[[], bool] | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._synth = synth
        self._tasks = tasks
        self._has_output = has_output or (lambda: bool(QMediaDevices.audioOutputs()))
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
        self._ready: dict[int, Speech] = {}
        self._requested: set[int] = set()
        self._sink: QAudioSink | None = None
        self._io: QIODevice | None = None
        self._format: QAudioFormat | None = None
        self._pending = bytearray()  # audio not yet handed to the sink
        self._timeline: list[_Queued] = []
        self._next_to_queue = 0
        self._written = 0
        self._heard_index = -1
        self._next_word = 0
        self._poll = QTimer(self)
        self._poll.setInterval(POLL_MS)
        self._poll.timeout.connect(self._on_poll)

    # -- availability ------------------------------------------------------------------------

    def engine_failed(self, reason: str) -> None:
        """The synthesizer could not start (called by whoever started it)."""
        self._engine_problem = reason or NO_ENGINE

    def problem(self, language: str) -> str:
        """Why reading aloud cannot work for `language` now, or "" if it can."""
        if self._engine_problem or self._synth is None:
            return self._engine_problem or NO_ENGINE
        if not self._has_output():
            return NO_SPEAKER
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
        self._set_state("preparing")
        self._request(self._index)
        self._request(self._index + 1)
        return True

    def stop(self) -> None:
        """Silence now: the sink stops, queued and prefetched audio is dropped."""
        self._reading.move_on()
        self._poll.stop()
        self._close_sink()
        for speech in self._ready.values():
            _remove(speech.wav)
        self._ready.clear()
        self._requested.clear()
        self._set_state("idle")

    def pause(self) -> None:
        if self.state == "speaking" and self._sink is not None:
            self._sink.suspend()
            self._poll.stop()
            self._set_state("paused")

    def resume(self) -> None:
        if self.state == "paused" and self._sink is not None:
            self._sink.resume()
            self._poll.start()
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
        if self._sink is not None:
            self._sink.setVolume(self.volume)

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
        """Move synthesized sentences, in order, from files into the stream."""
        while self._next_to_queue in self._ready:
            index = self._next_to_queue
            speech = self._ready.pop(index)
            frames = self._load(speech)
            if frames is None:
                return
            start = self._written + len(self._pending)
            self._pending += frames
            self._timeline.append(_Queued(index, start, start + len(frames), speech))
            self._next_to_queue += 1
            self._request(index + 1)
            self._request(index + 2)
        if self._sink is None and self._timeline:
            self._open_sink()

    def _load(self, speech: Speech) -> bytes | None:
        try:
            with wave.open(str(speech.wav), "rb") as source:
                fmt = QAudioFormat()
                fmt.setSampleRate(source.getframerate())
                fmt.setChannelCount(source.getnchannels())
                fmt.setSampleFormat(QAudioFormat.SampleFormat.Int16)
                frames = source.readframes(source.getnframes())
                ok = source.getsampwidth() == 2
        except (OSError, wave.Error, EOFError) as error:
            log.warning("unreadable speech audio %s: %s", speech.wav, error)
            ok, frames, fmt = False, b"", QAudioFormat()
        finally:
            _remove(speech.wav)
        if self._format is None:
            self._format = fmt
        if not ok or fmt != self._format:
            self.stop()
            self.failed.emit(NOT_WORKING)
            return None
        return frames

    def _open_sink(self) -> None:
        device = QMediaDevices.defaultAudioOutput()
        if device.isNull() or self._format is None:
            self.stop()
            self.failed.emit(NO_SPEAKER)
            return
        sink = QAudioSink(device, self._format, self)
        sink.setVolume(self.volume)
        self._sink = sink
        self._io = sink.start()
        self._feed()
        self._poll.start()

    def _feed(self) -> None:
        sink, io = self._sink, self._io
        if sink is None or io is None or not self._pending:
            return
        room = sink.bytesFree()
        if room <= 0:
            return
        chunk = bytes(self._pending[:room])
        written = io.write(chunk)
        if written > 0:
            del self._pending[:written]
            self._written += written

    def _heard_bytes(self) -> int:
        """Bytes of the stream that have reached the speaker (processed minus still queued)."""
        sink = self._sink
        if sink is None:
            return 0
        fmt = sink.format()
        per_second = fmt.bytesPerFrame() * fmt.sampleRate()
        processed = sink.processedUSecs() * per_second // 1_000_000
        queued = sink.bufferSize() - sink.bytesFree()
        return max(0, min(self._written, processed - queued))

    def _on_poll(self) -> None:
        if self._sink is None:
            return
        self._feed()
        if self._sink.processedUSecs() <= 0:
            return
        heard = self._heard_bytes()
        per_ms = max(
            1, self._sink.format().bytesPerFrame() * self._sink.format().sampleRate() // 1000
        )
        now = next((q for q in self._timeline if q.start <= heard < q.end), None)
        if now is None and self._timeline and heard >= self._timeline[-1].end:
            now = self._timeline[-1]
        if now is not None and now.index != self._heard_index:
            self._heard_index, self._next_word = now.index, 0
            self._index = now.index
            sentence = self._sentences[now.index]
            self._set_state("speaking")
            self.sentence_started.emit(sentence.start, sentence.end)
        if now is not None:
            sentence = self._sentences[now.index]
            at_ms = (heard - now.start) // per_ms
            words = now.speech.words
            while self._next_word < len(words) and words[self._next_word].at_ms <= at_ms:
                word = words[self._next_word]
                self._next_word += 1
                self.word_started.emit(sentence.start + word.start, word.length)
        self.progressed.emit()
        everything_queued = self._next_to_queue >= len(self._sentences) and not self._pending
        drained = self._sink.state() == QtAudio.State.IdleState  # the sink ran out of audio
        if everything_queued and self._timeline and (drained or heard >= self._timeline[-1].end):
            self._finish()
        elif self._sink.error() == QtAudio.Error.OpenError:
            log.warning("audio output failed to open")
            self.stop()
            self.failed.emit(NO_SPEAKER)

    def _finish(self) -> None:
        self._poll.stop()
        self._close_sink()
        self._set_state("idle")
        self.finished.emit()

    def _restart_at(self, index: int) -> None:
        # Re-synthesized rather than replayed from a cache: tens of milliseconds, and a new
        # speed takes effect at once.
        self.read(self._text, self._language, self._sentences[index].start)

    def _close_sink(self) -> None:
        sink, self._sink, self._io = self._sink, None, None
        if sink is not None:
            sink.stop()
            sink.deleteLater()
        self._format = None
        self._pending.clear()
        self._timeline.clear()
        self._written = 0
        self._heard_index = -1
        self._next_word = 0

    def _set_state(self, state: str) -> None:
        if state != self.state:
            self.state = state
            self.state_changed.emit(state)


def _remove(path: Path) -> None:
    with contextlib.suppress(OSError):
        path.unlink()
