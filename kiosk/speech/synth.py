"""Text to speech: one sentence at a time into a WAV file, with the time each word is heard.

pyttsx3 lives in a long-lived child process, never in the kiosk's own: its engine is not
thread-safe, keeps state between calls (the save path, a cached engine from `init()`), and
is reported to hang in threads and GUI loops. A hung or crashed child is killed and replaced
and the kiosk keeps running. The child is a fresh interpreter (`subprocess`, never a fork
of a Qt process) that speaks JSON lines: requests on its stdin, answers on a private copy of
its stdout, and anything pyttsx3 or espeak print goes to a log file instead.

Word timings come from espeak-ng itself: the child wraps the espeak driver's synth callback
and reads each word event's `text_position` (1-based, in characters, not UTF-8 bytes, as
measured with "café" and "¿Qué es la fiebre?") and `audio_position` (milliseconds into the
audio of this call). pyttsx3's own `started-word` notification carries the position but not
the audio time, so it is not used. Short words that espeak runs into the next one get no
event; `word_timings` places those between their neighbours.

Linux only: the pipes are read with `select`, as the kiosk runs on Linux.
"""

from __future__ import annotations

import bisect
import contextlib
import json
import logging
import os
import secrets
import select
import signal
import subprocess
import sys
import threading
import time
import unicodedata
import wave
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

SAMPLE_RATE = 22050  # what pyttsx3's espeak driver writes: mono, 16-bit
MIN_RATE, MAX_RATE = 80, 450  # words per minute that espeak-ng accepts

# Test hook: when this environment variable is set (in the kiosk's environment before the
# child starts), the child sleeps for an hour instead of speaking any text that contains its
# value, so tests can see a real hang handled. Never set in production.
HANG_HOOK = "KIOSK_SYNTH_TEST_HANG"

NO_ENGINE = "No speech engine is installed (espeak-ng)."
NO_PYTTSX3 = "No speech engine is installed (pyttsx3)."
ENGINE_FAILED = "The speech engine could not start (espeak-ng)."
ENGINE_BROKE = "The speech engine stopped working."
TOO_SLOW = "Speech took too long (over {seconds:g} s), so it was stopped."
CLOSED = "Speech was stopped."

_CHILD_CODE = "from kiosk.speech.synth import _child_main; _child_main()"
_PACKAGE_ROOT = str(Path(__file__).resolve().parents[2])
_MAX_LINE = 16 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class WordTiming:
    start: int  # char offset within the sentence text
    length: int
    at_ms: int  # when the word starts in the WAV, in milliseconds


@dataclass(frozen=True, slots=True)
class Speech:
    wav: Path
    duration_ms: int
    words: tuple[WordTiming, ...]


@dataclass(frozen=True, slots=True)
class Voice:
    id: str
    name: str
    languages: tuple[str, ...]  # BCP 47-ish, lower case, most preferred first: ("en-gb", "en")


class SpeechUnavailable(Exception):
    """Plain-language reason for staff and patients, such as
    'No speech engine is installed (espeak-ng).'"""


# -- voices (pure) ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _VoiceEntry:
    """A voice with espeak's priority for each of its languages (lower is a better match)."""

    voice: Voice
    priorities: tuple[int, ...]


def normalise_tag(language: str) -> str:
    return language.strip().replace("_", "-").lower()


def parse_languages(raw: object) -> list[tuple[int, str]]:
    """(priority, tag) pairs from what espeak or pyttsx3 give for a voice's languages.

    espeak-ng's `languages` field is a run of entries, each a priority byte, a tag and a NUL,
    ended by a zero byte: b'\\x02en-gb\\x00\\x02en\\x00\\x00'. pyttsx3 2.90 hands over the
    first entry raw (b'\\x05en-gb'), 2.99 only its tag as text ('en-gb'); all three are read.
    """
    if isinstance(raw, str):
        tag = normalise_tag(raw)
        return [(5, tag)] if tag else []
    if not isinstance(raw, bytes | bytearray):
        return []
    found: list[tuple[int, str]] = []
    data = bytes(raw)
    at = 0
    while at < len(data) and data[at] != 0:
        priority = data[at]
        end = data.find(b"\x00", at + 1)
        end = len(data) if end == -1 else end
        if priority < 0x20:
            tag = normalise_tag(data[at + 1 : end].decode("utf-8", "replace"))
        else:  # no priority byte: a bare tag
            priority, tag = 5, normalise_tag(data[at:end].decode("utf-8", "replace"))
        if tag:
            found.append((priority, tag))
        at = end + 1
    return found


def best_voice(entries: Sequence[_VoiceEntry], language: str) -> Voice | None:
    """The voice for `language`: one that lists the exact tag, else the primary subtag as a
    tag ("en-AU" -> "en"), else any variant of it ("en" -> "en-gb"); the best espeak priority
    wins, then the order of the list. None when nothing speaks the language."""
    tag = normalise_tag(language)
    if not tag:
        return None
    primary = tag.split("-", 1)[0]
    for rank in range(3):
        found = [
            (priority, order, entry.voice)
            for order, entry in enumerate(entries)
            for lang, priority in zip(entry.voice.languages, entry.priorities, strict=True)
            if _matches(rank, lang, tag, primary)
        ]
        if found:
            return min(found, key=lambda f: (f[0], f[1]))[2]
    return None


def _matches(rank: int, lang: str, tag: str, primary: str) -> bool:
    if rank == 0:
        return lang == tag
    if rank == 1:
        return lang == primary
    return lang.split("-", 1)[0] == primary


def _entry_from_json(item: dict[str, Any]) -> _VoiceEntry:
    pairs = [(int(p), str(t)) for p, t in item["languages"]]
    return _VoiceEntry(
        Voice(str(item["id"]), str(item["name"]), tuple(t for _, t in pairs)),
        tuple(p for p, _ in pairs),
    )


# -- the kiosk's side ---------------------------------------------------------------------------


class _ChildGone(Exception):
    pass


class _TooSlow(Exception):
    pass


class Synthesizer:
    """Owns the child process. Every method may be called from any thread; one request runs
    at a time. WAV files go into `workdir` with unique names: the caller deletes each one when
    done with it, and `close()` deletes whatever is left.

    `voices()` and `voice_for()` answer from memory once the child has started (the list is
    kept across restarts), so the GUI thread may ask them; before that, they start the child
    and so wait for any request in progress."""

    def __init__(self, workdir: Path, *, timeout_s: float = 10.0) -> None:
        self._workdir = Path(workdir)
        self._timeout_s = timeout_s
        self._prefix = f"speech-{os.getpid()}-{secrets.token_hex(4)}-"
        self._lock = threading.Lock()
        self._proc: subprocess.Popen[bytes] | None = None
        self._buffer = b""
        self._count = 0
        self._closing = False
        # Kept across restarts, so voice_for() answers at once once the engine has started.
        self._voices: tuple[_VoiceEntry, ...] | None = None

    # -- public -----------------------------------------------------------------------------

    def start(self) -> None:
        """Start the child now, so the first sentence is not kept waiting for it."""
        with self._lock:
            self._closing = False
            self._ensure_child()

    def voices(self) -> list[Voice]:
        return [entry.voice for entry in self._voice_entries()]

    def voice_for(self, language: str) -> Voice | None:
        return best_voice(self._voice_entries(), language)

    def synthesize(self, text: str, *, language: str, rate: int = 160) -> Speech:
        """Speak `text` into a new WAV file. Blocks until done (tens of milliseconds for a
        sentence), or `timeout_s`. `rate` is in words per minute, kept within 80-450."""
        if not text.strip():
            raise ValueError("there is no text to speak")
        rate = max(MIN_RATE, min(MAX_RATE, int(rate)))
        with self._lock:
            self._closing = False
            self._ensure_child()
            voice = best_voice(self._voices or (), language)
            if voice is None:
                raise SpeechUnavailable(f"No voice for language '{language}' is installed.")
            for attempt in (1, 2):
                try:
                    return self._request(text, voice, rate)
                except _TooSlow:
                    log.warning("speech child %s took over %ss: killed", self.pid, self._timeout_s)
                    self._kill()
                    with contextlib.suppress(SpeechUnavailable):
                        self._ensure_child()  # warm again for the next sentence
                    raise SpeechUnavailable(TOO_SLOW.format(seconds=self._timeout_s)) from None
                except _ChildGone:
                    self._kill()
                    if self._closing:
                        raise SpeechUnavailable(CLOSED) from None
                    if attempt == 2:
                        raise SpeechUnavailable(ENGINE_BROKE) from None
                    log.warning("speech child stopped; starting a new one")
                    self._ensure_child()
        raise AssertionError("unreachable")

    def close(self) -> None:
        """Kill the child and delete every file this synthesizer made. A request still running
        in another thread ends with SpeechUnavailable at once instead of holding this up."""
        self._closing = True
        proc = self._proc
        if proc is not None:
            with contextlib.suppress(OSError):
                proc.kill()
        with self._lock:
            self._kill()
            for path in self._workdir.glob(f"{self._prefix}*"):
                with contextlib.suppress(OSError):
                    path.unlink()

    def __enter__(self) -> Synthesizer:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def __del__(self) -> None:
        """A synthesizer dropped without close() still ends its child, rather than leave it
        to run until the kiosk exits (and Popen warn that it is still running)."""
        proc = getattr(self, "_proc", None)
        if proc is not None:
            self._proc = None
            with contextlib.suppress(Exception):
                proc.kill()
                proc.wait(timeout=1)
            for stream in (proc.stdin, proc.stdout):
                if stream is not None:
                    with contextlib.suppress(Exception):
                        stream.close()

    @property
    def alive(self) -> bool:
        proc = self._proc
        return proc is not None and proc.poll() is None

    @property
    def workdir(self) -> Path:
        return self._workdir

    @property
    def pid(self) -> int | None:
        proc = self._proc
        return proc.pid if proc is not None and proc.poll() is None else None

    # -- the child --------------------------------------------------------------------------

    def _voice_entries(self) -> tuple[_VoiceEntry, ...]:
        voices = self._voices
        if voices is None:
            self.start()
            voices = self._voices
        return voices or ()

    def _log_path(self) -> Path:
        return self._workdir / f"{self._prefix}child.log"

    def _ensure_child(self) -> None:
        """Start the child if it is not running. Caller holds the lock."""
        if self.alive:
            return
        self._kill()
        try:
            self._workdir.mkdir(parents=True, exist_ok=True)
            log_file = self._log_path().open("ab")
        except OSError as error:
            raise SpeechUnavailable(f"{ENGINE_FAILED} ({error.strerror})") from None
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(
            p for p in (_PACKAGE_ROOT, env.get("PYTHONPATH", "")) if p
        )
        env["PYTHONIOENCODING"] = "utf-8"
        with log_file:
            try:
                self._proc = subprocess.Popen(
                    [sys.executable, "-c", _CHILD_CODE],
                    stdin=subprocess.PIPE,
                    stdout=subprocess.PIPE,
                    stderr=log_file,
                    env=env,
                    close_fds=True,
                )
            except OSError as error:
                raise SpeechUnavailable(f"{ENGINE_FAILED} ({error.strerror})") from None
        self._buffer = b""
        try:
            hello = self._read(time.monotonic() + self._timeout_s)
        except (_ChildGone, _TooSlow):
            self._kill()
            self._log_child_output("the speech child did not start")
            raise SpeechUnavailable(ENGINE_FAILED) from None
        if not hello.get("ready"):
            self._kill()
            reason = str(hello.get("error", ""))
            log.warning("speech engine unavailable: %s", hello.get("detail", reason))
            raise SpeechUnavailable(reason or ENGINE_FAILED)
        self._voices = tuple(_entry_from_json(item) for item in hello.get("voices", []))

    def _request(self, text: str, voice: Voice, rate: int) -> Speech:
        self._count += 1
        wav = self._workdir / f"{self._prefix}{self._count:06d}.wav"
        # A NUL would end the C string early; a space keeps every offset where it was.
        request = {"text": text.replace("\x00", " "), "voice": voice.id, "rate": rate}
        request["wav"] = str(wav)
        deadline = time.monotonic() + self._timeout_s
        self._write(json.dumps(request).encode("utf-8") + b"\n", deadline)
        reply = self._read(deadline)
        if not reply.get("ok"):
            log.warning("speech child could not speak %r: %s", text, reply.get("error"))
            with contextlib.suppress(OSError):
                wav.unlink()
            raise SpeechUnavailable(ENGINE_BROKE)
        words = tuple(WordTiming(int(s), int(n), int(t)) for s, n, t in reply["words"])
        duration_ms = round(int(reply["frames"]) * 1000 / int(reply["framerate"]))
        return Speech(wav, duration_ms, words)

    def _write(self, data: bytes, deadline: float) -> None:
        proc = self._proc
        if proc is None or proc.stdin is None:
            raise _ChildGone
        fd = proc.stdin.fileno()
        view = memoryview(data)
        while view:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise _TooSlow
            try:
                _, ready, _ = select.select([], [fd], [], remaining)
                if ready:
                    view = view[os.write(fd, view) :]
            except (BrokenPipeError, ValueError, OSError):
                raise _ChildGone from None

    def _read(self, deadline: float) -> dict[str, Any]:
        proc = self._proc
        if proc is None or proc.stdout is None:
            raise _ChildGone
        fd = proc.stdout.fileno()
        while b"\n" not in self._buffer:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise _TooSlow
            try:
                ready, _, _ = select.select([fd], [], [], remaining)
                chunk = os.read(fd, 65536) if ready else None
            except (ValueError, OSError):
                raise _ChildGone from None
            if chunk == b"" or len(self._buffer) > _MAX_LINE:
                raise _ChildGone
            if chunk:
                self._buffer += chunk
        line, _, self._buffer = self._buffer.partition(b"\n")
        try:
            message = json.loads(line)
        except ValueError:
            raise _ChildGone from None
        if not isinstance(message, dict):
            raise _ChildGone
        return message

    def _kill(self) -> None:
        """Kill the child for real and reap it. Caller holds the lock (or is closing)."""
        proc, self._proc = self._proc, None
        self._buffer = b""
        if proc is None:
            return
        with contextlib.suppress(OSError):
            proc.kill()
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(timeout=5)
        for stream in (proc.stdin, proc.stdout):
            if stream is not None:
                with contextlib.suppress(OSError):
                    stream.close()

    def _log_child_output(self, what: str) -> None:
        try:
            tail = self._log_path().read_text("utf-8", "replace").strip().splitlines()[-3:]
        except OSError:
            tail = []
        log.warning("%s: %s", what, " / ".join(tail) or "no output")


# -- the child's side ---------------------------------------------------------------------------


class _Engine:
    """pyttsx3 with the espeak driver, one per child process, used from one thread."""

    def __init__(self) -> None:
        import pyttsx3
        from pyttsx3.drivers import _espeak

        self._espeak = _espeak
        self._engine = pyttsx3.init("espeak")
        self._driver = self._engine.proxy._driver
        self._errors: list[BaseException] = []
        self._engine.connect(
            "error",
            lambda name=None, exception=None: self._errors.append(
                exception or RuntimeError("unknown error")
            ),
        )
        self._completed: list[bool] = []
        self._engine.connect(
            "finished-utterance",
            lambda name=None, completed=True: self._completed.append(bool(completed)),
        )
        self._events: list[tuple[int, int, int]] = []
        self._voice = ""
        self._rate = 0
        self._on_synth = self._driver._onSynth
        _espeak.SetSynthCallback(self._callback)

    def _callback(self, wav: Any, numsamples: int, events: Any) -> int:
        """Note each word's position and audio time, then let the driver do its own work."""
        try:
            i = 0
            while events[i].type != self._espeak.EVENT_LIST_TERMINATED:
                event = events[i]
                if event.type == self._espeak.EVENT_WORD:
                    self._events.append((event.text_position, event.length, event.audio_position))
                i += 1
        except Exception as error:  # an exception must not unwind through C
            self._errors.append(error)
        result: int = self._on_synth(wav, numsamples, events)
        return result

    def voices(self) -> list[dict[str, Any]]:
        raw_languages = self._raw_languages()
        found = []
        for voice in self._engine.getProperty("voices"):
            voice_id = str(voice.id)
            if voice_id.startswith("mb/"):
                continue  # MBROLA voices need a separate program and data, rarely installed
            pairs = raw_languages.get(voice_id.lower())
            if not pairs:
                pairs = [p for lang in voice.languages or () for p in parse_languages(lang)]
            if pairs:
                pairs.sort(key=lambda p: p[0])
                found.append({"id": voice_id, "name": str(voice.name), "languages": pairs})
        return found

    def _raw_languages(self) -> dict[str, list[tuple[int, str]]]:
        """Every language of every voice, with priorities, read from espeak's own list:
        pyttsx3 shows only the first ("en-gb" for the voice that is also espeak's "en")."""
        import ctypes

        result: dict[str, list[tuple[int, str]]] = {}
        try:
            offset = self._espeak.VOICE.languages.offset
            for voice in self._espeak.ListVoices(None):
                address = ctypes.c_void_p.from_buffer(voice, offset).value
                raw = b""
                for _ in range(32):  # entries: priority byte, tag, NUL; a zero byte ends them
                    if not address or ctypes.string_at(address, 1) == b"\x00":
                        break
                    entry = ctypes.string_at(address)
                    raw += entry + b"\x00"
                    address += len(entry) + 1
                result[voice.identifier.decode("utf-8", "replace").lower()] = parse_languages(raw)
        except Exception as error:  # fall back to what pyttsx3 shows
            print(f"could not read espeak's language list: {error!r}", file=sys.stderr)
        return result

    def speak(self, text: str, voice: str, rate: int, wav: str) -> dict[str, Any]:
        hang = os.environ.get(HANG_HOOK)
        if hang and hang in text:
            time.sleep(3600)
        for _attempt in range(3):
            frames, framerate, completed = self._speak_once(text, voice, rate, wav)
            if frames and completed:
                break
            print(f"pyttsx3 cut {text!r} short ({frames} frames); again", file=sys.stderr)
        else:
            raise RuntimeError("pyttsx3 wrote no audio three times")
        duration_ms = frames * 1000 // max(1, framerate)
        return {
            "ok": True,
            "frames": frames,
            "framerate": framerate,
            "words": word_timings(text, self._events, duration_ms),
        }

    def _speak_once(self, text: str, voice: str, rate: int, wav: str) -> tuple[int, int, bool]:
        """One save_to_file + runAndWait, made safe to repeat.

        espeak works on a thread of its own here, and pyttsx3 starts each run by cancelling
        whatever espeak is still busy with, which can be the new utterance itself: it then
        writes an empty or cut WAV (seen within 20 sentences in a row). So: wait for espeak
        before and after, clear pyttsx3's stop flag, and check what was written.
        """
        # Straight to the driver: through the engine these are queued or not depending on
        # whether it is "busy", and an espeak parameter change still in flight when the run
        # starts looks like playing, so pyttsx3 cancels (seen in 9 runs out of 30).
        # Only on a change: espeak takes ~20 ms to apply a parameter, a third of the wait.
        # A new voice may bring its own speed, so the rate is set again after one.
        if voice != self._voice:
            self._driver.setProperty("voice", voice)
            self._voice = voice
            self._rate = 0
        if rate != self._rate:
            self._driver.setProperty("rate", rate)
            self._rate = rate
        self._synchronize()
        self._driver._stopping = False
        self._events.clear()
        self._errors.clear()
        self._completed = []
        self._engine.save_to_file(text, wav)
        self._engine.runAndWait()
        self._synchronize()
        # pyttsx3 keeps the text and the save path: a later run would speak this text again.
        self._driver._text_to_say = None
        self._driver._save_file = None
        self._driver._stopping = False
        if self._errors:
            self._voice, self._rate = "", 0
            raise RuntimeError(f"pyttsx3 reported: {self._errors[0]!r}")
        with wave.open(wav, "rb") as audio:
            frames, framerate = audio.getnframes(), audio.getframerate()
        return frames, framerate, all(self._completed)

    def _synchronize(self) -> None:
        """Wait until espeak's own thread has finished everything it was given."""
        synchronize = getattr(self._espeak, "Synchronize", None)
        if synchronize is not None:
            synchronize()


# Dashes and slashes join words without a space ("left—fast", "1/2"); a hyphen or an
# apostrophe is inside one word ("hands-on", "don't").
_WORD_BREAKS = frozenset("—–/")
_MS_PER_CHAR = 65  # about 160 words a minute; only when espeak gave a single word time


def _is_punctuation(char: str) -> bool:
    return unicodedata.category(char).startswith("P")


def written_words(text: str) -> list[tuple[int, int, int, int]]:
    """The words of `text` as a reader sees them: runs between spaces and dashes, without
    the punctuation around them. (run start, word start, word end, run end) for each."""
    words = []
    at, size = 0, len(text)
    while at < size:
        if text[at].isspace() or text[at] in _WORD_BREAKS:
            at += 1
            continue
        end = at
        while end < size and not text[end].isspace() and text[end] not in _WORD_BREAKS:
            end += 1
        first, last = at, end
        while first < last and _is_punctuation(text[first]):
            first += 1
        while last > first and _is_punctuation(text[last - 1]):
            last -= 1
        if first < last:
            words.append((at, first, last, end))
        at = end
    return words


def word_timings(
    text: str, events: Sequence[tuple[int, int, int]], duration_ms: int
) -> list[tuple[int, int, int]]:
    """(start, length, at_ms) for every written word of `text`, in order.

    The words come from the text, the times from espeak: each word event (1-based character
    position, length, ms into the audio) times the written word it falls in. espeak's events
    are rough: lengths of 0, several events for "38.5", now and then a step back, one event
    on a space for an emoji's "grinning face", and none for a short word it runs into the
    next ("do not", "of the", "a few": about one sentence in six of the sample pack). Only the
    first event of a word counts and none that goes back; a word with no event of its own
    gets a time between its neighbours', in proportion to where it starts in the text.
    """
    words = written_words(text)
    runs = [run_start for run_start, _, _, _ in words]
    times: list[int | None] = [None] * len(words)
    last = -1
    for position, _length, at_ms in events:
        offset = position - 1  # espeak counts characters from 1
        index = bisect.bisect_right(runs, offset) - 1
        if index <= last or offset >= words[index][3]:
            continue  # the same word again, a step back, or a space or dash between words
        times[index] = at_ms
        last = index
    anchors = [(words[i][1], t) for i, t in enumerate(times) if t is not None]
    if not anchors:
        return []  # nothing espeak said can be placed: no highlight rather than a guess
    if len(anchors) > 1 and anchors[-1][0] > anchors[0][0]:
        rate = (anchors[-1][1] - anchors[0][1]) / (anchors[-1][0] - anchors[0][0])
    else:
        rate = _MS_PER_CHAR
    result: list[tuple[int, int, int]] = []
    latest = 0
    for (_, start, end, _), known in zip(words, times, strict=True):
        at_ms = known if known is not None else _between(anchors, start, rate)
        latest = max(latest, min(at_ms, max(0, duration_ms - 1)))
        result.append((start, end - start, latest))
    return result


def _between(anchors: Sequence[tuple[int, int]], start: int, rate: float) -> int:
    """A time for a word at `start` that espeak gave none: on the line through the timed
    words before and after it (from the start of the text at 0 ms for the first ones)."""
    before = (0, 0)
    for anchor in anchors:
        if anchor[0] > start:
            (x0, t0), (x1, t1) = before, anchor
            return round(t0 + (t1 - t0) * (start - x0) / (x1 - x0))
        before = anchor
    return round(before[1] + rate * (start - before[0]))


def _watch_parent() -> None:
    """A child whose kiosk has gone (even by kill -9, mid-sentence) ends itself."""
    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(0)

    threading.Thread(target=watch, name="watch-parent", daemon=True).start()


def _child_main() -> None:
    """Entry point of the child: `python -c "from kiosk.speech.synth import _child_main; ..."`."""
    # Answers go to a private copy of stdout; pyttsx3 prints "Audio saved to ..." and espeak
    # may write to fd 1 from C, so fd 1 and sys.stdout go elsewhere.
    answers = os.fdopen(os.dup(1), "wb", buffering=0)
    os.dup2(2, 1)
    sys.stdout = open(os.devnull, "w")  # noqa: SIM115 (open for the life of the process)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C in a terminal is for the kiosk
    _watch_parent()

    def send(message: dict[str, Any]) -> None:
        answers.write(json.dumps(message).encode("utf-8") + b"\n")

    try:
        engine = _Engine()
        voices = engine.voices()
    except ImportError as error:
        send({"ready": False, "error": NO_PYTTSX3, "detail": repr(error)})
        return
    except Exception as error:
        # pyttsx3 raises RuntimeError or OSError when libespeak-ng cannot be loaded.
        text = repr(error)
        missing = "espeak" in text.lower() and ("install" in text or "load" in text.lower())
        send({"ready": False, "error": NO_ENGINE if missing else ENGINE_FAILED, "detail": text})
        return
    send({"ready": True, "voices": voices, "pid": os.getpid()})

    for line in sys.stdin.buffer:
        try:
            request = json.loads(line)
            reply = engine.speak(
                str(request["text"]), str(request["voice"]), int(request["rate"]), request["wav"]
            )
        except Exception as error:
            print(f"could not speak: {error!r}", file=sys.stderr)
            send({"ok": False, "error": repr(error)})
            # The engine may be left mid-loop; a fresh child is cheaper than finding out.
            return
        send(reply)
