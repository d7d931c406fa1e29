"""What the test speaker 'heard': the kiosk_test null sink's monitor, read as it arrives.

Each 10 ms chunk is kept with the monotonic time it arrived, so a test can ask whether there
was sound after a given moment (scripts/with-test-audio.sh starts the server and the sink).
"""

from __future__ import annotations

import array
import math
import shutil
import subprocess
import threading
import time

RATE = 22050
CHUNK_BYTES = RATE // 100 * 2  # 10 ms of mono 16-bit
LOUD = 300.0  # RMS of 16-bit samples; espeak speech is in the thousands, silence is 0


def rms(data: bytes) -> float:
    samples = array.array("h")
    samples.frombytes(data[: len(data) // 2 * 2])
    if not samples:
        return 0.0
    return math.sqrt(sum(s * s for s in samples) / len(samples))


class Recorder:
    def __init__(self, device: str = "kiosk_test.monitor") -> None:
        if shutil.which("parec") is None:
            raise RuntimeError("parec (pulseaudio-utils) is needed to hear the test speaker")
        self.chunks: list[tuple[float, float]] = []  # (arrival time, rms)
        self._process = subprocess.Popen(
            [
                "parec",
                "-d",
                device,
                "--format=s16le",
                f"--rate={RATE}",
                "--channels=1",
                "--raw",
                "--latency-msec=10",
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
        self._thread = threading.Thread(target=self._read, daemon=True)
        self._thread.start()

    def _read(self) -> None:
        assert self._process.stdout is not None
        while True:
            data = self._process.stdout.read(CHUNK_BYTES)
            if not data:
                return
            self.chunks.append((time.monotonic(), rms(data)))

    def loudest(self, after: float = 0.0, before: float = math.inf) -> float:
        return max((level for at, level in list(self.chunks) if after <= at < before), default=0.0)

    def heard_speech(self, after: float = 0.0, before: float = math.inf) -> bool:
        return self.loudest(after, before) > LOUD

    def close(self) -> None:
        self._process.terminate()
        self._process.wait(timeout=5)
        self._thread.join(timeout=5)
        if self._process.stdout is not None:
            self._process.stdout.close()
