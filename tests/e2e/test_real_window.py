"""The kiosk in a real window on a real X server (Xvfb), driven from outside like a person."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(
    shutil.which("Xvfb") is None or shutil.which("xdotool") is None,
    reason="needs Xvfb and xdotool (scripts/debian-packages.txt installs them)",
)


def xdotool(display: str, *args: str) -> str:
    result = subprocess.run(
        ["xdotool", *args],
        env={**os.environ, "DISPLAY": display},
        capture_output=True,
        text=True,
        timeout=10,
    )
    return result.stdout.strip()


def wait_for_window(display: str, timeout: float = 15) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = xdotool(display, "search", "--onlyvisible", "--name", "Health information")
        if found:
            return found.splitlines()[0]
        time.sleep(0.2)
    raise AssertionError("the kiosk window did not appear")


def test_kiosk_mode_fills_the_screen_and_ignores_quit_keys(display: str, tmp_path: Path) -> None:
    env = {
        **os.environ,
        "DISPLAY": display,
        "QT_QPA_PLATFORM": "xcb",
        "KIOSK_CONFIG": str(tmp_path / "none.toml"),
        "KIOSK_SYSTEM_CONFIG": str(tmp_path / "none-system.toml"),
        "KIOSK_DATA_DIR": str(tmp_path),
    }
    kiosk = subprocess.Popen(
        [sys.executable, "-m", "kiosk.cli", "run", "--kiosk"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        window = wait_for_window(display)
        deadline = time.monotonic() + 10
        geometry = ""
        while time.monotonic() < deadline and "1280x800" not in geometry:
            geometry = xdotool(display, "getwindowgeometry", window)
            time.sleep(0.2)
        assert "Geometry: 1280x800" in geometry
        for keys in ("ctrl+q", "alt+F4", "Escape", "ctrl+w"):
            xdotool(display, "key", "--window", window, keys)
        time.sleep(1)
        assert kiosk.poll() is None, "a key combination closed the kiosk"
        assert xdotool(display, "search", "--onlyvisible", "--name", "Health information")
    finally:
        kiosk.kill()
        output = kiosk.communicate(timeout=10)[0]
    assert "Traceback" not in output


def test_windowed_run_opens_a_window_and_stops_cleanly_on_sigterm(
    display: str, tmp_path: Path
) -> None:
    env = {
        **os.environ,
        "DISPLAY": display,
        "QT_QPA_PLATFORM": "xcb",
        "KIOSK_CONFIG": str(tmp_path / "none.toml"),
        "KIOSK_SYSTEM_CONFIG": str(tmp_path / "none-system.toml"),
        "KIOSK_DATA_DIR": str(tmp_path),
    }
    kiosk = subprocess.Popen(
        [sys.executable, "-m", "kiosk.cli", "run"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        window = wait_for_window(display)
        assert "Geometry: 1280x800" in xdotool(display, "getwindowgeometry", window)
        kiosk.terminate()  # what `systemctl stop` does
        assert kiosk.wait(timeout=10) == 0
    finally:
        if kiosk.poll() is None:
            kiosk.kill()
        output = kiosk.communicate(timeout=10)[0]
    assert "Traceback" not in output
