"""`systemctl stop` and Ctrl+C: the kiosk leaves at once with exit code 0, in kiosk mode too.

Kiosk mode swallows a patient's close (keys, the window manager), and once swallowed SIGTERM
with it: systemd then waited out its stop timeout and killed the kiosk.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kiosk.paths import DataPaths
from tests.e2e.kiosk_cli import REPO, kiosk_env

LEAVE_WITHIN_S = 2.0


def start_kiosk_mode(data_dir: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "kiosk.cli", "run", "--kiosk"],
        cwd=REPO,
        env=kiosk_env(data_dir),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def wait_until_up(kiosk: subprocess.Popen[str], data_dir: Path, timeout: float = 60) -> None:
    """The window prepares search as it opens: its index file on disk says the kiosk is up."""
    index = DataPaths(data_dir).search_index
    deadline = time.monotonic() + timeout
    while not index.exists():
        assert kiosk.poll() is None, f"the kiosk ended: {kiosk.communicate()[0]}"
        assert time.monotonic() < deadline, "the kiosk did not come up"
        time.sleep(0.05)


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_kiosk_mode_leaves_at_once_on_a_stop_signal(tmp_path: Path, stop: signal.Signals) -> None:
    kiosk = start_kiosk_mode(tmp_path)
    try:
        wait_until_up(kiosk, tmp_path)
        kiosk.send_signal(stop)
        sent = time.monotonic()
        try:
            code = kiosk.wait(timeout=LEAVE_WITHIN_S)
        except subprocess.TimeoutExpired:
            code = None
        took = time.monotonic() - sent
    finally:
        if kiosk.poll() is None:
            kiosk.kill()
        output = kiosk.communicate(timeout=10)[0]
    assert code == 0, f"still running {took:.1f} s after {stop.name}" if code is None else output
    assert "Traceback" not in output
