"""The speaker child: plays read-aloud audio into the sound server, and says what is heard.

Runs as `kiosk _child speaker` (kiosk/children.py), so a sound server that dies, hangs or
restarts can only take this process down; the kiosk restarts it (kiosk/speech/audio_output.py).
Each reading gets a stream of its own (kiosk/speech/pulse.py says why not Qt Multimedia),
opened on whichever output is the default at that moment.

JSON lines. In, on stdin (one reading at a time, each with the kiosk's number for it):
  {"op": "play", "reading": N, "index": I, "wav": PATH}  add a sentence (the file is deleted)
  {"op": "end", "reading": N}                           no more sentences: say when drained
  {"op": "stop", "reading": N}  silence now; later sentences for N are dropped
  {"op": "pause"} {"op": "resume"} {"op": "volume", "value": 0.75}
Out, on stdout:
  {"hello": true, "audio": BOOL, "why": TEXT}      at start: does a sound server answer
  {"audio": BOOL, "why": TEXT}                     it went away, or came back
  {"reading": N, "queued": I, "bytes": B, "rate": R, "channels": C}
  {"reading": N, "heard": B}   bytes of the reading heard so far, every 20 ms while it
                               plays, every 0.5 s while it is paused
  {"reading": N, "drained": true}  all of it was heard
  {"reading": N, "bad": I}     that sentence's audio is unreadable or of another format
  {"reading": N, "lost": TEXT} the stream failed or could not open (then "audio": false)
While there is no sound server it looks again every second, cheaply, and says when one is
back. It exits when stdin closes (the kiosk is gone). No Qt here.
"""

from __future__ import annotations

import array
import contextlib
import json
import queue
import sys
import threading
import time
import wave
from pathlib import Path
from typing import Any

from kiosk.speech.pulse import PulseError, PulseStream, server_answers

CHUNK_MS = 20  # written at a time: how soon a command (stop, pause) is acted on
NOT_YET_MS = 5  # heard less than this: the output has not started taking audio yet
DRAINED_MS = 20  # left less than this once everything is written: the reading was heard
REPORT_S = 0.02
HEARTBEAT_S = 0.5
LOOK_AGAIN_S = 1.0  # while there is no sound server
DRAIN_SLACK_S = 2.0  # after the last byte is written, the longest the server may hold it


def _say(message: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(message) + "\n")
    sys.stdout.flush()


def _scaled(data: bytes, volume: float) -> bytes:
    """Samples times `volume`, done here so the server's volume for everything else (and the
    system volume, with flat volumes) is left alone."""
    if volume >= 0.999:
        return data
    samples = array.array("h")
    samples.frombytes(data)
    return array.array("h", (int(s * volume) for s in samples)).tobytes()


class _Reading:
    def __init__(self, number: int) -> None:
        self.number = number
        self.stream: PulseStream | None = None
        self.rate = 0
        self.channels = 0
        self.audio = bytearray()
        self.offset = 0  # bytes handed to the stream
        self.ended = False
        self.paused = False
        self.reported_at = 0.0
        self.written_all_at = 0.0

    def close(self) -> None:
        stream, self.stream = self.stream, None
        if stream is not None:
            with contextlib.suppress(PulseError):
                stream.flush()
            stream.close()


class Speaker:
    def __init__(self) -> None:
        self.commands: queue.Queue[dict[str, Any] | None] = queue.Queue()
        self.reading: _Reading | None = None
        self.done_with = -1  # readings stopped or lost: late sentences for them are dropped
        self.volume = 1.0
        self.audio = False
        self.looked_at = 0.0

    # -- the loop ----------------------------------------------------------------------------

    def run(self) -> int:
        self._look(first=True)
        threading.Thread(target=self._read_stdin, daemon=True).start()
        while True:
            try:
                command = self.commands.get(timeout=self._wait_s())
            except queue.Empty:
                command = {}
            if command is None:
                self._stop()
                return 0
            if command:
                self._obey(command)
            self._play()
            no_sound = not self.audio and self.reading is None
            if no_sound and time.monotonic() - self.looked_at >= LOOK_AGAIN_S:
                self._look()

    def _wait_s(self) -> float:
        reading = self.reading
        if reading is not None and reading.stream is not None:
            if not reading.paused and reading.offset < len(reading.audio):
                return 0.0  # writing blocks until the server has room: that is the pace
            return REPORT_S
        return LOOK_AGAIN_S if not self.audio else 3600.0

    def _read_stdin(self) -> None:
        for line in sys.stdin:
            try:
                message = json.loads(line)
            except ValueError:
                continue
            if isinstance(message, dict):
                self.commands.put(message)
        self.commands.put(None)

    def _look(self, first: bool = False) -> None:
        self.looked_at = time.monotonic()
        try:
            why = server_answers()
        except PulseError as error:
            why = str(error)
        audio = not why
        if first:
            _say({"hello": True, "audio": audio, "why": why})
        elif audio != self.audio:
            _say({"audio": audio, "why": why})
        self.audio = audio

    def _lost(self, reading: _Reading, why: str) -> None:
        _say({"reading": reading.number, "lost": why})
        self._stop()
        if self.audio:
            self.audio = False
            _say({"audio": False, "why": why})
        self.looked_at = time.monotonic()

    # -- commands ----------------------------------------------------------------------------

    def _obey(self, command: dict[str, Any]) -> None:
        op = command.get("op")
        reading = self.reading
        if op == "play":
            self._add(int(command["reading"]), int(command["index"]), Path(command["wav"]))
        elif op == "end" and reading is not None and reading.number == command.get("reading"):
            reading.ended = True
        elif op == "stop":
            self._stop(int(command.get("reading", -1)))
        elif op == "pause" and reading is not None and not reading.paused:
            reading.paused = True
            if reading.stream is not None:
                try:
                    # Silence now, and go on later from what was actually heard.
                    reading.offset = max(0, reading.offset - reading.stream.latency_bytes())
                    reading.stream.flush()
                except PulseError as error:
                    self._lost(reading, str(error))
        elif op == "resume" and reading is not None:
            reading.paused = False
        elif op == "volume":
            self.volume = min(1.0, max(0.0, float(command.get("value", 1.0))))

    def _stop(self, number: int | None = None) -> None:
        reading, self.reading = self.reading, None
        if reading is not None:
            reading.close()
            self.done_with = max(self.done_with, reading.number)
        if number is not None:
            self.done_with = max(self.done_with, number)

    def _add(self, number: int, index: int, wav: Path) -> None:
        if number <= self.done_with:
            with contextlib.suppress(OSError):
                wav.unlink()
            return
        reading = self.reading
        if reading is None or reading.number != number:
            self._stop()
            reading = self.reading = _Reading(number)
        try:
            with wave.open(str(wav), "rb") as source:
                rate, channels = source.getframerate(), source.getnchannels()
                ok = source.getsampwidth() == 2
                frames = source.readframes(source.getnframes())
        except (OSError, wave.Error, EOFError):
            ok, rate, channels, frames = False, 0, 0, b""
        finally:
            with contextlib.suppress(OSError):
                wav.unlink()
        if ok and reading.stream is None and not reading.audio:
            reading.rate, reading.channels = rate, channels
        if not ok or (rate, channels) != (reading.rate, reading.channels):
            _say({"reading": number, "bad": index})
            self._stop()
            return
        reading.audio += frames
        _say(
            {
                "reading": number,
                "queued": index,
                "bytes": len(frames),
                "rate": rate,
                "channels": channels,
            }
        )
        if reading.stream is None:
            try:
                reading.stream = PulseStream(rate, channels)
            except PulseError as error:
                self._lost(reading, str(error))
                return
            if not self.audio:
                self.audio = True
                _say({"audio": True, "why": ""})

    # -- playing -----------------------------------------------------------------------------

    def _play(self) -> None:
        reading = self.reading
        if reading is None or reading.stream is None:
            return
        stream = reading.stream
        try:
            if not reading.paused and reading.offset < len(reading.audio):
                size = stream.bytes_per_second * CHUNK_MS // 1000
                chunk = bytes(reading.audio[reading.offset : reading.offset + size])
                stream.write(_scaled(chunk, self.volume))
                reading.offset += len(chunk)
                if reading.offset >= len(reading.audio):
                    reading.written_all_at = time.monotonic()
            heard = reading.offset - stream.latency_bytes()
        except PulseError as error:
            self._lost(reading, str(error))
            return
        if heard < stream.bytes_per_second * NOT_YET_MS // 1000:
            heard = 0  # the latency's rounding, before the output has taken anything
        now = time.monotonic()
        since = now - reading.reported_at
        # Every REPORT_S while it plays, moving or not (the output may take a second to
        # start; the kiosk counts a reading as activity), every HEARTBEAT_S while paused.
        if since >= (HEARTBEAT_S if reading.paused else REPORT_S):
            reading.reported_at = now
            _say({"reading": reading.number, "heard": heard})
        everything_written = reading.ended and reading.offset >= len(reading.audio)
        if everything_written and not reading.paused:
            # An output keeps a few ms of latency once it has run dry (7 ms on the null sink).
            left_ms = (len(reading.audio) - heard) * 1000 // stream.bytes_per_second
            slack = now - reading.written_all_at > DRAIN_SLACK_S
            if left_ms <= DRAINED_MS or slack:
                _say({"reading": reading.number, "heard": len(reading.audio)})
                _say({"reading": reading.number, "drained": True})
                self._stop()


def main() -> int:
    return Speaker().run()
