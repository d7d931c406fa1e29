"""The sound system dies and comes back under a running kiosk: a real PulseAudio server of the
test's own (tests/e2e/pulse_server.py), killed with SIGKILL mid-reading and while idle, then
started again with another output; the kiosk a real process (tests/e2e/audio_kiosk.py) with
the real synthesizer child, heard on the null sink's monitor.

What a patient would notice: the kiosk stays up, the reading stops with one plain sentence
instead of a highlight frozen under a Pause/Stop bar, and reading aloud works again by itself
once there is sound again, on whichever output is there now.
"""

from __future__ import annotations

import json
import os
import queue
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from kiosk.speech.choices import AUDIO_LOST
from tests.audio import Recorder
from tests.e2e.pulse_server import PulseServer

REPO = Path(__file__).resolve().parents[2]
START_S = 10  # the null sink takes a second or two to start a stream
BACK_S = 10  # audio back -> the kiosk says read-aloud works again

PACK_TOML = """format = 1
id = "org.example.audio"
version = 1
title = "Audio test pack"
languages = ["en"]
publisher = "Tests"
"""

LONG_TOPIC = """+++
id = "long-read"
title = "A Long Read"
category = "Tests"
language = "en"
+++
A topic that takes a while to read aloud.

## Resting well

Sleep helps your body heal after an illness. Try to go to bed at the same time every night.
Keep your bedroom dark, quiet and cool. Put your phone away an hour before sleep.
A short walk in the morning light can help you sleep better at night.
Ask your nurse if you have trouble sleeping for more than a few weeks.
Write down your questions so you remember them at your next visit.
"""

Event = dict[str, Any]


class Kiosk:
    """The kiosk process: commands in, JSON events out, read on a thread as they come."""

    def __init__(self, pack: Path, data_dir: Path, server: PulseServer) -> None:
        env = {k: v for k, v in os.environ.items() if not k.startswith("KIOSK")}
        env.update(
            QT_QPA_PLATFORM="offscreen",
            KIOSK_CONFIG=str(data_dir / "no-such-config.toml"),
            KIOSK_SYSTEM_CONFIG=str(data_dir / "no-such-system-config.toml"),
            KIOSK_DATA_DIR=str(data_dir),
            **server.env(),
        )
        data_dir.mkdir(parents=True, exist_ok=True)
        self.stderr_path = data_dir / "kiosk-stderr.log"
        with self.stderr_path.open("wb") as stderr:
            self.process = subprocess.Popen(
                [
                    sys.executable,
                    str(REPO / "tests" / "e2e" / "audio_kiosk.py"),
                    str(pack),
                    "long-read",
                ],
                cwd=REPO,
                env=env,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=stderr,
                text=True,
            )
        self.events: queue.Queue[Event] = queue.Queue()
        self.seen: list[Event] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            if line.startswith("{"):
                self.events.put(json.loads(line))

    def alive(self) -> bool:
        return self.process.poll() is None

    def send(self, command: str) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(command + "\n")
        self.process.stdin.flush()

    def expect(self, wanted: Callable[[Event], bool], timeout: float, what: str) -> Event:
        deadline = time.monotonic() + timeout
        while (left := deadline - time.monotonic()) > 0:
            try:
                event = self.events.get(timeout=min(left, 0.2))
            except queue.Empty:
                if not self.alive():
                    break
                continue
            self.seen.append(event)
            if wanted(event):
                return event
        pytest.fail(f"no {what} within {timeout} s; {self.account()}")

    def status(self) -> Event:
        self.send("status")
        return self.expect(lambda e: e["event"] == "status", 5, "status")

    def account(self) -> str:
        code = self.process.poll()
        tail = self.stderr_path.read_text("utf-8", "replace").strip().splitlines()[-8:]
        state = "running" if code is None else f"exited with {code}"
        events = ", ".join(
            str(e.get("state") or e.get("message") or e["event"]) for e in self.seen[-12:]
        )
        return f"kiosk {state}; its last events: {events}; its stderr ends: " + " | ".join(tail)

    def close(self) -> int:
        if self.alive():
            try:
                self.send("quit")
                self.process.wait(timeout=15)
            except (OSError, subprocess.TimeoutExpired):
                self.process.kill()
        code = self.process.wait(timeout=15)
        for stream in (self.process.stdin, self.process.stdout):
            if stream is not None:
                stream.close()
        return code


@pytest.fixture
def server(tmp_path: Path) -> Iterator[PulseServer]:
    own = PulseServer(tmp_path / "pulse-runtime")
    own.start("kiosk_test")
    yield own
    own.close()


@pytest.fixture
def pack(tmp_path: Path) -> Path:
    root = tmp_path / "pack"
    (root / "topics").mkdir(parents=True)
    (root / "pack.toml").write_text(PACK_TOML)
    (root / "topics" / "long-read.md").write_text(LONG_TOPIC)
    return root


def listen(server: PulseServer, monkeypatch: pytest.MonkeyPatch) -> Recorder:
    """Record the monitor of the server's output (parec, pointed at the test's own server)."""
    monkeypatch.setenv("PULSE_SERVER", server.address)
    return Recorder(f"{server.sink}.monitor")


def hear_reading(kiosk: Kiosk, heard: Recorder) -> float:
    """Tap Read aloud; the seconds from the tap until speech is heard on the monitor."""
    tapped = time.monotonic()
    kiosk.send("read")
    kiosk.expect(lambda e: e["event"] == "sentence", START_S, "sentence marked as heard")
    deadline = time.monotonic() + START_S
    while not heard.heard_speech(after=tapped) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert heard.heard_speech(after=tapped), "nothing was heard on the output's monitor"
    return next(at for at, level in list(heard.chunks) if at >= tapped and level > 300) - tapped


def test_the_kiosk_survives_its_audio_server_and_reads_aloud_again(
    server: PulseServer, pack: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    kiosk = Kiosk(pack, tmp_path / "data", server)
    recorders: list[Recorder] = []
    try:
        kiosk.expect(lambda e: e["event"] == "ready", 30, "kiosk window")
        recorders.append(heard := listen(server, monkeypatch))
        hear_reading(kiosk, heard)

        # 1. The server dies mid-reading.
        server.kill()
        lost = time.monotonic()
        kiosk.expect(
            lambda e: e["event"] == "failed" and e["message"] == AUDIO_LOST, 5, "the sentence"
        )
        told_s = time.monotonic() - lost
        seen = kiosk.status()
        assert kiosk.alive(), kiosk.account()
        assert seen["state"] == "idle" and seen["notice"] == AUDIO_LOST
        assert not seen["speech_buttons"], "the Pause/Stop bar must go"
        assert seen["highlighted"] == ""

        # 2. The next tap, with no server at all (this aborted the kiosk, 6 of 6 tries).
        kiosk.send("read")
        kiosk.expect(lambda e: e["event"] == "tapped", 5, "tap")
        time.sleep(1.0)
        seen = kiosk.status()
        assert kiosk.alive(), kiosk.account()
        assert seen["state"] == "idle" and seen["notice"] == AUDIO_LOST

        # 3. Sound comes back, with another output: read-aloud works again by itself.
        back = server.start("kiosk_back")
        deadline = time.monotonic() + BACK_S
        while kiosk.status()["notice"] and time.monotonic() < deadline:
            time.sleep(0.1)
        ready_s = time.monotonic() - back
        assert kiosk.status()["notice"] == "", "the sentence goes once sound is back"
        recorders.append(heard := listen(server, monkeypatch))
        first_audio_s = hear_reading(kiosk, heard)

        # 4. Idle when the server dies, back before the next tap.
        kiosk.send("stop")
        kiosk.expect(lambda e: e["event"] == "state" and e["state"] == "idle", 5, "stop")
        server.kill()
        time.sleep(1.0)
        server.start("kiosk_test")
        recorders.append(heard := listen(server, monkeypatch))
        hear_reading(kiosk, heard)
        assert kiosk.alive(), kiosk.account()
        print(
            f"\naudio lost -> sentence shown: {told_s * 1000:.0f} ms; "
            f"audio back -> read-aloud offered again: {ready_s * 1000:.0f} ms; "
            f"then tap -> speech heard: {first_audio_s * 1000:.0f} ms"
        )
    finally:
        for recorder in recorders:
            recorder.close()
        code = kiosk.close()
    assert code == 0, kiosk.account()
