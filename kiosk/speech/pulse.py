"""The few calls of libpulse that the speaker child needs, through ctypes: a playback stream
(libpulse-simple) and a look at whether a sound server answers (libpulse).

Why libpulse's simple API and not Qt Multimedia, measured with PySide6 6.11.3 and PulseAudio
16.1 (a server killed with SIGKILL under a playing QAudioSink):
- Qt's PulseAudio backend keeps one connection for the whole process. When the server dies it
  drops it, tries once more 3 s later and, if the server is not back by then ("PulseAudioService:
  pa_context_connect() failed"), never again: even with the server back 1 s after the kill,
  the next QAudioSink.start() calls pa_context_get_state(NULL) and libpulse aborts the process.
- A QAudioSink playing when the server dies reports nothing: ActiveState, NoError, its
  processed time frozen. QMediaDevices goes on listing the dead server's outputs.
Here each reading opens its own stream: a dead server is an error code from the next call
(`pa_simple_write`, `pa_simple_get_latency`), and a server that is back is simply found by
the next stream. Through PipeWire's PulseAudio server this works the same.

Everything here blocks (a hung server can hold a call indefinitely), so it runs only in the
speaker child (kiosk/speech/speaker.py), never in the kiosk's own process. No Qt.
"""

from __future__ import annotations

import ctypes
import time
from typing import Any

PA_SAMPLE_S16LE = 3
PA_STREAM_PLAYBACK = 1
PA_CONTEXT_NOAUTOSPAWN = 1
PA_CONTEXT_READY, PA_CONTEXT_FAILED, PA_CONTEXT_TERMINATED = 4, 5, 6
_NO_LATENCY = ctypes.c_uint64(-1).value  # what pa_simple_get_latency returns on an error


class PulseError(Exception):
    """libpulse's own words for what went wrong (for the log; patients get a sentence)."""


class _SampleSpec(ctypes.Structure):
    _fields_ = [("format", ctypes.c_int), ("rate", ctypes.c_uint32), ("channels", ctypes.c_uint8)]


class _BufferAttr(ctypes.Structure):
    _fields_ = [
        ("maxlength", ctypes.c_uint32),
        ("tlength", ctypes.c_uint32),
        ("prebuf", ctypes.c_uint32),
        ("minreq", ctypes.c_uint32),
        ("fragsize", ctypes.c_uint32),
    ]


_libs: tuple[Any, Any] | None = None


def _load() -> tuple[Any, Any]:
    """libpulse and libpulse-simple (Debian: libpulse0), with every signature declared, so a
    wrong argument is a Python error rather than a crash."""
    global _libs
    if _libs is not None:
        return _libs
    try:
        pulse = ctypes.CDLL("libpulse.so.0")
        simple = ctypes.CDLL("libpulse-simple.so.0")
    except OSError as error:
        raise PulseError(f"libpulse is not installed ({error})") from None
    p, i = ctypes.c_void_p, ctypes.POINTER(ctypes.c_int)
    pulse.pa_strerror.argtypes, pulse.pa_strerror.restype = [ctypes.c_int], ctypes.c_char_p
    pulse.pa_mainloop_new.argtypes, pulse.pa_mainloop_new.restype = [], p
    pulse.pa_mainloop_get_api.argtypes, pulse.pa_mainloop_get_api.restype = [p], p
    pulse.pa_mainloop_iterate.argtypes = [p, ctypes.c_int, i]
    pulse.pa_mainloop_iterate.restype = ctypes.c_int
    pulse.pa_mainloop_free.argtypes, pulse.pa_mainloop_free.restype = [p], None
    pulse.pa_context_new.argtypes, pulse.pa_context_new.restype = [p, ctypes.c_char_p], p
    pulse.pa_context_connect.argtypes = [p, ctypes.c_char_p, ctypes.c_int, p]
    pulse.pa_context_connect.restype = ctypes.c_int
    pulse.pa_context_get_state.argtypes, pulse.pa_context_get_state.restype = [p], ctypes.c_int
    pulse.pa_context_errno.argtypes, pulse.pa_context_errno.restype = [p], ctypes.c_int
    pulse.pa_context_disconnect.argtypes, pulse.pa_context_disconnect.restype = [p], None
    pulse.pa_context_unref.argtypes, pulse.pa_context_unref.restype = [p], None
    simple.pa_simple_new.argtypes = [
        ctypes.c_char_p,  # server: None for the default
        ctypes.c_char_p,  # client name
        ctypes.c_int,  # direction
        ctypes.c_char_p,  # device: None for the default output
        ctypes.c_char_p,  # stream name
        ctypes.POINTER(_SampleSpec),
        p,  # channel map: None for the default
        ctypes.POINTER(_BufferAttr),
        i,
    ]
    simple.pa_simple_new.restype = p
    simple.pa_simple_write.argtypes = [p, ctypes.c_char_p, ctypes.c_size_t, i]
    simple.pa_simple_write.restype = ctypes.c_int
    simple.pa_simple_flush.argtypes, simple.pa_simple_flush.restype = [p, i], ctypes.c_int
    simple.pa_simple_get_latency.argtypes = [p, i]
    simple.pa_simple_get_latency.restype = ctypes.c_uint64
    simple.pa_simple_free.argtypes, simple.pa_simple_free.restype = [p], None
    _libs = (pulse, simple)
    return _libs


def _strerror(code: int) -> str:
    pulse, _simple = _load()
    text = pulse.pa_strerror(code)
    return text.decode("utf-8", "replace") if text else f"error {code}"


def server_answers(timeout_s: float = 1.0) -> str:
    """Why no sound server accepts a connection now, or "" when one does. Connects and leaves
    (no stream, so nothing is heard and no output wakes up); never starts a server."""
    pulse, _simple = _load()
    loop = pulse.pa_mainloop_new()
    if not loop:
        return "no memory for a PulseAudio main loop"
    context = pulse.pa_context_new(pulse.pa_mainloop_get_api(loop), b"kiosk")
    try:
        if not context:
            return "no memory for a PulseAudio context"
        if pulse.pa_context_connect(context, None, PA_CONTEXT_NOAUTOSPAWN, None) < 0:
            return _strerror(pulse.pa_context_errno(context))
        deadline = time.monotonic() + timeout_s
        while True:
            pulse.pa_mainloop_iterate(loop, 0, None)
            state = pulse.pa_context_get_state(context)
            if state == PA_CONTEXT_READY:
                return ""
            if state in (PA_CONTEXT_FAILED, PA_CONTEXT_TERMINATED):
                return _strerror(pulse.pa_context_errno(context))
            if time.monotonic() > deadline:
                return f"the sound server did not answer within {timeout_s:g} s"
            time.sleep(0.005)
    finally:
        if context:
            pulse.pa_context_disconnect(context)
            pulse.pa_context_unref(context)
        pulse.pa_mainloop_free(loop)


class PulseStream:
    """One playback stream of 16-bit samples on the server's default output (whichever that
    is when the stream opens). Every method raises PulseError once the server is gone."""

    def __init__(self, rate: int, channels: int, *, buffer_ms: int = 100) -> None:
        _pulse, self._simple = _load()
        self.rate, self.channels = rate, channels
        self.bytes_per_second = rate * channels * 2
        spec = _SampleSpec(PA_SAMPLE_S16LE, rate, channels)
        unset = ctypes.c_uint32(-1).value
        # A short buffer: a pause or a stop is heard within it, and the position heard is
        # what was written less what the server still holds.
        target = self.bytes_per_second * buffer_ms // 1000
        attr = _BufferAttr(unset, target, unset, unset, unset)
        error = ctypes.c_int(0)
        self._handle = self._simple.pa_simple_new(
            None,
            b"kiosk",
            PA_STREAM_PLAYBACK,
            None,
            b"Reading aloud",
            ctypes.byref(spec),
            None,
            ctypes.byref(attr),
            ctypes.byref(error),
        )
        if not self._handle:
            raise PulseError(_strerror(error.value))

    def write(self, data: bytes) -> None:
        """Blocks until the server has room for `data` (keep it to a few tens of ms)."""
        error = ctypes.c_int(0)
        if self._simple.pa_simple_write(self._live(), data, len(data), ctypes.byref(error)) < 0:
            raise PulseError(_strerror(error.value))

    def latency_bytes(self) -> int:
        """Bytes written but not yet heard."""
        error = ctypes.c_int(0)
        usec = self._simple.pa_simple_get_latency(self._live(), ctypes.byref(error))
        if usec == _NO_LATENCY:
            raise PulseError(_strerror(error.value))
        frames = int(usec) * self.rate // 1_000_000
        return frames * self.channels * 2

    def flush(self) -> None:
        """Drop what the server holds and has not played yet: silence now."""
        error = ctypes.c_int(0)
        if self._simple.pa_simple_flush(self._live(), ctypes.byref(error)) < 0:
            raise PulseError(_strerror(error.value))

    def close(self) -> None:
        handle, self._handle = self._handle, None
        if handle:
            self._simple.pa_simple_free(handle)

    def _live(self) -> int:
        if not self._handle:
            raise PulseError("the stream is closed")
        handle: int = self._handle
        return handle
