"""Text to speech, the kiosk's side: one sentence at a time into a WAV file, with the time
each word is heard, from a speech engine in a child process.

pyttsx3 lives in a long-lived child process (kiosk/speech/engine.py), never in the kiosk's
own: it is not thread-safe and is reported to hang in threads and GUI loops. A hung or
crashed child is killed and replaced and the kiosk keeps running. The child is a fresh
interpreter (`subprocess`, never a fork of a Qt process, started through kiosk/children.py
so a frozen bundle can start it too) that speaks JSON lines: requests on its stdin, answers
on a private copy of its stdout, and anything pyttsx3 or espeak print goes to a log file.

Linux only: the pipes are read with `select`, as the kiosk runs on Linux.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import secrets
import select
import subprocess
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kiosk.children import child_command, child_env
from kiosk.speech.timing import WordTiming
from kiosk.speech.voices import Voice, VoiceEntry, best_voice, entry_from_json

log = logging.getLogger(__name__)

SAMPLE_RATE = 22050  # what pyttsx3's espeak driver writes: mono, 16-bit
MIN_RATE, MAX_RATE = 80, 450  # words per minute that espeak-ng accepts

# Test hook: when this environment variable is set (in the kiosk's environment before the
# child starts), the child sleeps for an hour instead of speaking any text that contains its
# value, so tests can see a real hang handled. Never set in production.
HANG_HOOK = "KIOSK_SYNTH_TEST_HANG"

# What SpeechUnavailable says. The child sends the first two (and choices.NO_ENGINE when
# libespeak-ng cannot be loaded) in its first line; the kiosk's side says the rest.
NO_PYTTSX3 = "No speech engine is installed (pyttsx3)."
ENGINE_FAILED = "The speech engine could not start (espeak-ng)."
ENGINE_BROKE = "The speech engine stopped working."
TOO_SLOW = "Speech took too long (over {seconds:g} s), so it was stopped."
CLOSED = "Speech was stopped."

_MAX_LINE = 16 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class Speech:
    wav: Path
    duration_ms: int
    words: tuple[WordTiming, ...]


class SpeechUnavailable(Exception):
    """Plain-language reason for staff and patients, such as
    'The speech engine could not start (espeak-ng).'"""


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
        self._voices: tuple[VoiceEntry, ...] | None = None

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

    def _voice_entries(self) -> tuple[VoiceEntry, ...]:
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
        with log_file:
            try:
                self._proc = subprocess.Popen(
                    child_command("speech"),
                    stdin=subprocess.PIPE,
                    stdout=subprocess.PIPE,
                    stderr=log_file,
                    env=child_env(),
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
        self._voices = tuple(entry_from_json(item) for item in hello.get("voices", []))

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
