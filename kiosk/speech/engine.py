"""The speech child: pyttsx3 with the espeak driver, and the loop that answers the kiosk.

This runs only in the child process (`kiosk _child speech`, see kiosk/children.py), never in
the kiosk's own: pyttsx3's engine is not thread-safe, keeps state between calls (the save
path, a cached engine from `init()`), and is reported to hang in threads and GUI loops. It
speaks JSON lines: requests on its stdin, answers on a private copy of its stdout, and
anything pyttsx3 or espeak print goes to stderr (the kiosk's log file for it).

It reaches into pyttsx3's private attributes (the espeak driver, its synth callback, its
stop flag and saved text and path), as measured with pyttsx3 2.99; pyproject.toml pins
pyttsx3 below its next major version for that reason.
"""

from __future__ import annotations

import json
import os
import signal
import sys
import threading
import time
import wave
from typing import Any

from kiosk.speech.choices import NO_ENGINE
from kiosk.speech.synth import ENGINE_FAILED, HANG_HOOK, NO_PYTTSX3
from kiosk.speech.timing import word_timings
from kiosk.speech.voices import parse_languages


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


def _watch_parent() -> None:
    """A child whose kiosk has gone (even by kill -9, mid-sentence) ends itself."""
    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(0)

    threading.Thread(target=watch, name="watch-parent", daemon=True).start()


def main() -> int:
    """The child's whole life: announce the voices (or why there are none), then speak one
    request at a time until the kiosk closes stdin. Started by `kiosk.children.child_main`."""
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
        return 0
    except Exception as error:
        # pyttsx3 raises RuntimeError or OSError when libespeak-ng cannot be loaded.
        text = repr(error)
        missing = "espeak" in text.lower() and ("install" in text or "load" in text.lower())
        send({"ready": False, "error": NO_ENGINE if missing else ENGINE_FAILED, "detail": text})
        return 0
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
            return 0
        send(reply)
    return 0
