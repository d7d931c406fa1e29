"""The kiosk's side of the speaker child (kiosk/speech/speaker.py): where read-aloud audio
goes, and whether there is anywhere for it to go just now.

Why a child process: Qt Multimedia's PulseAudio backend cannot survive its server in-process.
Measured with PySide6 6.11.3 and PulseAudio 16.1: after the server is killed, Qt gives up on
it for good 3 s later, whether or not the server is back, and the next QAudioSink.start()
makes libpulse abort the whole kiosk (`Assertion 'c' failed ... pa_context_get_state()`, 6 of
6 tries, a black screen); a sink playing at the kill reports no error at all. Nothing public
in Qt says its connection is gone, and it cannot be made to connect again. So the kiosk's own
process no longer touches audio: a child opens one libpulse stream per reading (starting a
stream took 6 ms here), says what has been heard, and a dead server is an error it reports at
once. A child that dies anyway (a crash in the audio library) or stops answering is replaced;
only the reading in progress is lost, with one plain sentence for the patient.

On the GUI thread this is a few small JSON lines a second, written without blocking (a child
that does not read them is a hung child, and is killed) and read by a thread of their own.
The one wait: `available()` before the child's first answer, at most WAIT_FIRST_S, which only
a tap within a fraction of a second of the kiosk starting can meet.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import subprocess
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

from PySide6.QtCore import QObject, QTimer, Signal

from kiosk.children import child_command, child_env

log = logging.getLogger(__name__)

WAIT_FIRST_S = 3.0
HUNG_S = 3.0  # no word from the child while it plays: it is stuck (in a hung server)
RESTART_S = (0.2, 1.0, 5.0, 30.0)  # after 1, 2, 3, 4+ failures in a row


class _Child:
    """One speaker process and the thread that reads its lines."""

    def __init__(self, generation: int, deliver: Callable[[int, object], None]) -> None:
        self.process = subprocess.Popen(
            child_command("speaker"),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env=child_env(),
            close_fds=True,
        )
        assert self.process.stdin is not None and self.process.stdout is not None
        os.set_blocking(self.process.stdin.fileno(), False)
        self.hello: list[dict[str, Any]] = []  # its first line, as soon as it is read
        self.said_hello = threading.Event()
        self._thread = threading.Thread(
            target=_read_lines,
            args=(self.process.stdout, generation, deliver, self.hello, self.said_hello),
            daemon=True,
        )
        self._thread.start()

    def send(self, message: dict[str, Any]) -> bool:
        """False when the child cannot take it (gone, or so stuck that its pipe is full)."""
        stdin = self.process.stdin
        if stdin is None:
            return False
        data = json.dumps(message).encode("utf-8") + b"\n"
        try:
            return os.write(stdin.fileno(), data) == len(data)
        except OSError:  # BrokenPipeError, BlockingIOError, a closed pipe
            return False

    def kill(self) -> None:
        with contextlib.suppress(OSError):
            self.process.kill()
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(timeout=2)
        for stream in (self.process.stdin, self.process.stdout):
            if stream is not None:
                with contextlib.suppress(OSError):
                    stream.close()

    def __del__(self) -> None:
        # Dropped without kill() (the kiosk is exiting): end the child rather than leave it.
        if getattr(self, "process", None) is not None and self.process.poll() is None:
            self.kill()


def _read_lines(
    stdout: IO[bytes],
    generation: int,
    deliver: Callable[[int, object], None],
    hello: list[dict[str, Any]],
    said_hello: threading.Event,
) -> None:
    """On its own thread: each line the child says, then None when it is gone. The first
    line is also kept in `hello`, for a GUI thread that waits for it without an event loop."""
    with contextlib.suppress(OSError, ValueError):
        for line in stdout:
            try:
                message = json.loads(line)
            except ValueError:
                continue
            if isinstance(message, dict):
                if not said_hello.is_set():
                    hello.append(message)
                    said_hello.set()
                try:
                    deliver(generation, message)
                except RuntimeError:  # the kiosk side was deleted: nobody to tell
                    return
    said_hello.set()
    with contextlib.suppress(RuntimeError):
        deliver(generation, None)


class _Keeper:
    """Holds the running child outside the Qt object, so that when Qt deletes the output
    (its window closed) the child is ended too, from the `destroyed` signal."""

    def __init__(self) -> None:
        self.child: _Child | None = None

    def end(self, *_args: object) -> None:
        child, self.child = self.child, None
        if child is not None:
            child.kill()


class AudioOutput(QObject):
    """Plays a reading's sentences through the speaker child; says what is heard.

    `reading` numbers come from the narrator, one per reading; every signal carries the one it
    is about, so anything about an older reading is recognised and dropped."""

    queued = Signal(int, int, int, int, int)  # reading, sentence index, bytes, rate, channels
    heard = Signal(int, int)  # reading, bytes of it heard so far
    drained = Signal(int)  # reading: all of it was heard
    bad_audio = Signal(int, int)  # reading, sentence index: unreadable or another format
    lost = Signal(int)  # reading: its audio went with the sound server (or with the child)
    available_changed = Signal(bool)
    _message = Signal(int, object)  # from the reading thread, queued to the GUI thread

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.audio: bool | None = None  # None until the child first says
        self.had_audio = False  # there was sound once: its absence now is news, not a setup
        self._keeper = _Keeper()
        self.destroyed.connect(self._keeper.end)
        self._generation = 0
        self._playing = -1  # the reading the child has audio for, -1 for none
        self._last_word = 0.0
        self._failures = 0
        self._volume = 1.0  # told to every child, a new one too
        self._closed = False
        self._message.connect(self._on_message)
        self._restart = QTimer(self)
        self._restart.setSingleShot(True)
        self._restart.timeout.connect(self.start)
        self._watchdog = QTimer(self)
        self._watchdog.setInterval(500)
        self._watchdog.timeout.connect(self._check_alive)

    # -- the child ---------------------------------------------------------------------------

    def start(self) -> None:
        """Start the child (and with it the first look for a sound server)."""
        if self._closed or self._keeper.child is not None:
            return
        self._generation += 1
        try:
            self._keeper.child = _Child(self._generation, self._message.emit)
        except OSError as error:
            log.warning("the speaker child could not start: %s", error)
            self._gone()
            return
        self._send({"op": "volume", "value": self._volume})

    def close(self) -> None:
        self._closed = True
        self._restart.stop()
        self._watchdog.stop()
        self._keeper.end()

    def available(self) -> bool:
        """Is there a sound server to play into, as far as the child knows? Before its first
        answer, waits for it (at most WAIT_FIRST_S). The child looks again every second while
        there is none; trying to play looks at once."""
        if self.audio is None:
            self.start()
            child = self._keeper.child
            if child is not None and child.said_hello.wait(WAIT_FIRST_S) and child.hello:
                self._set_audio(bool(child.hello[0].get("audio")))
        return bool(self.audio)

    # -- a reading ---------------------------------------------------------------------------

    def play(self, reading: int, index: int, wav: Path) -> None:
        """Add a sentence to `reading` (the first one starts it). With no child just now (one
        is waiting to be restarted), a patient's tap is worth starting one at once."""
        if self._playing != reading:
            self._playing = reading
            self._last_word = time.monotonic()
            self._watchdog.start()
        if self._keeper.child is None:
            self._restart.stop()
            self.start()  # if it cannot, the reading is lost (from the event loop)
        self._send({"op": "play", "reading": reading, "index": index, "wav": str(wav)})

    def end(self, reading: int) -> None:
        self._send({"op": "end", "reading": reading})

    def pause(self) -> None:
        self._send({"op": "pause"})

    def resume(self) -> None:
        self._last_word = time.monotonic()
        self._send({"op": "resume"})

    def stop(self, reading: int) -> None:
        self._playing = -1
        self._watchdog.stop()
        self._send({"op": "stop", "reading": reading})

    def set_volume(self, volume: float) -> None:
        self._volume = volume
        self._send({"op": "volume", "value": volume})

    # -- what the child says -----------------------------------------------------------------

    def _send(self, message: dict[str, Any]) -> None:
        child = self._keeper.child
        if child is not None and not child.send(message):
            log.warning("the speaker child is not taking commands: replaced")
            self._gone()

    def _on_message(self, generation: int, message: object) -> None:
        if generation != self._generation or self._closed:
            return
        if message is None:
            child = self._keeper.child
            code = child.process.poll() if child is not None else None
            log.warning("the speaker child exited (%s): replaced", code)
            self._gone()
            return
        assert isinstance(message, dict)
        self._last_word = time.monotonic()
        if "audio" in message:
            self._set_audio(bool(message["audio"]))
            if not message["audio"] and message.get("why"):
                log.warning("no sound: %s", message["why"])
        reading = message.get("reading")
        if not isinstance(reading, int):
            return
        if "heard" in message:
            self.heard.emit(reading, int(message["heard"]))
        elif "queued" in message:
            self.queued.emit(
                reading,
                int(message["queued"]),
                int(message["bytes"]),
                int(message["rate"]),
                int(message["channels"]),
            )
        elif "drained" in message:
            self._done_with(reading)
            self._failures = 0
            self.drained.emit(reading)
        elif "bad" in message:
            self._done_with(reading)
            self.bad_audio.emit(reading, int(message["bad"]))
        elif "lost" in message:
            log.warning("read-aloud lost its sound: %s", message["lost"])
            self._done_with(reading)
            self.lost.emit(reading)

    def _done_with(self, reading: int) -> None:
        if reading == self._playing:
            self._playing = -1
            self._watchdog.stop()

    def _set_audio(self, audio: bool) -> None:
        before, self.audio = self.audio, audio
        if audio:
            self.had_audio = True
        if before is not None and before != audio:
            self.available_changed.emit(audio)

    def _check_alive(self) -> None:
        if self._playing >= 0 and time.monotonic() - self._last_word > HUNG_S:
            log.warning("the speaker child stopped answering for %ss: replaced", HUNG_S)
            self._gone()

    def _gone(self) -> None:
        """The child died, hung or could not start: the reading it had is lost, and another
        child is started (soon, then less and less often if they keep failing)."""
        self._generation += 1  # whatever the old one still says is dropped
        self._keeper.end()
        self._watchdog.stop()
        playing, self._playing = self._playing, -1
        self._set_audio(False)
        if playing >= 0:
            # From the event loop, not from inside the narrator's own call that found it.
            QTimer.singleShot(0, self, lambda: self.lost.emit(playing))
        if not self._closed:
            delay = RESTART_S[min(self._failures, len(RESTART_S) - 1)]
            self._failures += 1
            self._restart.start(int(delay * 1000))
