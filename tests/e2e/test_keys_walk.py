"""A keyboard-only visit with real key events: the kiosk in kiosk mode on its own X server
(Xvfb), keys typed by xdotool through the X server as a USB keyboard's would be, the voice
played into the test PulseAudio server (scripts/with-test-audio.sh).

What happened is read from the kiosk's status line (KIOSK_STATUS_LINE=1, one JSON line on
stderr at each change: page, part, focus, overlay, voice, volume), not from hooks or pixels.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from kiosk.ui.status_line import PREFIX

pytestmark = pytest.mark.skipif(
    shutil.which("Xvfb") is None or shutil.which("xdotool") is None,
    reason="needs Xvfb and xdotool (scripts/debian-packages.txt installs them)",
)

Status = dict[str, Any]
VOICE_S = 10  # the synthesizer child starts, the null sink opens a stream


class Kiosk:
    """The kiosk process, its status lines as they come, and a keyboard."""

    def __init__(self, display: str, data: Path) -> None:
        self.display = display
        self.seen: list[Status] = []
        self.output: list[str] = []
        env = {
            **os.environ,
            "DISPLAY": display,
            "QT_QPA_PLATFORM": "xcb",
            "KIOSK_STATUS_LINE": "1",
            "KIOSK_CONFIG": str(data / "none.toml"),
            "KIOSK_SYSTEM_CONFIG": str(data / "none-system.toml"),
            "KIOSK_DATA_DIR": str(data),
        }
        self.process = subprocess.Popen(
            [sys.executable, "-m", "kiosk.cli", "run", "--kiosk"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.process.stderr is not None
        for line in self.process.stderr:
            if line.startswith(PREFIX):
                self.seen.append(json.loads(line[len(PREFIX) :]))
            else:
                self.output.append(line)

    @property
    def now(self) -> Status:
        return self.seen[-1] if self.seen else {}

    def wait(self, what: Callable[[Status], bool], timeout: float = 5) -> Status:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if what(self.now):
                return self.now
            if self.process.poll() is not None:
                raise AssertionError("the kiosk exited:\n" + "".join(self.output[-20:]))
            time.sleep(0.02)
        raise AssertionError(f"waited {timeout} s; the kiosk shows {self.now}")

    def key(self, name: str, then: Callable[[Status], bool] | None = None) -> Status:
        """Press one key (an X keysym name) and wait for what it should change."""
        count = len(self.seen)
        subprocess.run(
            ["xdotool", "key", "--clearmodifiers", name],
            env={**os.environ, "DISPLAY": self.display},
            check=True,
            timeout=10,
        )
        if then is None:  # it changes something: wait for the next status line
            return self.wait(lambda _now: len(self.seen) > count)
        return self.wait(then)

    def type(self, text: str) -> None:
        for char in text:
            self.key(char)

    def key_until(self, name: str, focus: str, limit: int = 30) -> Status:
        for _ in range(limit):
            if self.now.get("focus") == focus:
                return self.now
            self.key(name)
        raise AssertionError(f"{limit} presses of {name} never reached {focus!r}: {self.now}")

    def close(self) -> str:
        self.process.kill()
        self.process.wait(timeout=10)
        self._reader.join(timeout=5)
        if self.process.stderr is not None:
            self.process.stderr.close()
        return "".join(self.output)


def test_a_keyboard_only_visit_finds_reads_and_leaves_a_topic(display: str, tmp_path: Path) -> None:
    kiosk = Kiosk(display, tmp_path)
    try:
        kiosk.wait(lambda s: s.get("focus") == "Health topics", timeout=20)  # at its title
        kiosk.key("F1", lambda s: s["overlay"] == "HelpOverlay")
        kiosk.key("Escape", lambda s: s["overlay"] == "" and s["focus"] == "Health topics")

        # By A to Z: down to the tile, Enter, down to the topic, Enter.
        kiosk.key_until("Down", "All topics A to Z")
        kiosk.key("Return", lambda s: s["page"] == "All topics A to Z")
        kiosk.key_until("Down", "Low Back Pain")
        now = kiosk.key("KP_Enter", lambda s: s["page"] == "Low Back Pain")
        parts = int(now["part"].split("/")[1])
        assert now["part"] == f"1/{parts}" and now["focus"] == "Low Back Pain"
        kiosk.key("Right", lambda s: s["part"] == f"2/{parts}")
        kiosk.key("Left", lambda s: s["part"] == f"1/{parts}")
        now = kiosk.key("Right", lambda s: s["part"] == f"2/{parts}")
        assert now["focus"] == f"Low Back Pain: part 2 of {parts}"  # the part from its top
        kiosk.key("Down")  # the part's title
        kiosk.key("Down", lambda s: s["focus"].startswith("text: "))  # its first block

        # Read aloud: Enter starts it and the keys stay on the bar; nothing there stops it.
        kiosk.key_until("Down", "Read aloud")
        kiosk.key("Return", lambda s: s["voice"] != "idle" and s["focus"] == "Pause")
        kiosk.wait(lambda s: s["voice"] == "speaking", timeout=VOICE_S)
        kiosk.key("Return", lambda s: s["voice"] == "paused")
        kiosk.key("Return", lambda s: s["voice"] == "speaking")
        kiosk.key("Down", lambda s: "Stop" in s["focus"])
        kiosk.key("Down", lambda s: "Stop" not in s["focus"])  # Again
        assert kiosk.now["voice"] == "speaking"
        kiosk.key("Return", lambda s: s["voice"] == "preparing")  # the sentence again
        kiosk.wait(lambda s: s["voice"] == "speaking", timeout=VOICE_S)
        kiosk.key("KP_Add", lambda s: s["volume"] == "5/5")
        kiosk.key("minus", lambda s: s["volume"] == "4/5")
        kiosk.key("minus", lambda s: s["volume"] == "3/5")
        assert kiosk.now["voice"] == "speaking"
        kiosk.key("Up", lambda s: "Stop" in s["focus"])
        kiosk.key("Return", lambda s: s["voice"] == "idle" and s["focus"] == "Read aloud")

        # Back, and back home, where the keys were.
        kiosk.key("BackSpace", lambda s: s["page"] == "All topics A to Z")
        assert kiosk.now["focus"] == "Low Back Pain"
        kiosk.key("BackSpace", lambda s: s["page"] == "Health topics")

        # By search, typing on the keyboard.
        kiosk.key_until("Up", "Search")
        kiosk.key("space", lambda s: s["page"] == "Search")
        kiosk.type("fever")
        now = kiosk.wait(lambda s: "Fever in Children" in s.get("results", []), timeout=15)
        assert now["typed"] == "fever"
        kiosk.key("Return", lambda s: s["focus"] == now["results"][0])
        kiosk.key_until("Down", "Fever in Children")
        kiosk.key("Return", lambda s: s["page"] == "Fever in Children")
        kiosk.key("Escape", lambda s: s["page"] == "Search")  # Escape is Back in kiosk mode
        kiosk.key("BackSpace", lambda s: s.get("typed") == "feve")  # a letter first
        kiosk.key("Escape", lambda s: s["page"] == "Health topics")
        assert kiosk.process.poll() is None
    finally:
        output = kiosk.close()
    assert "Traceback" not in output, output
