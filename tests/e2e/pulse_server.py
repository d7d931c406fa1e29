"""A PulseAudio server of a test's own, to kill and restart under a running kiosk.

Never the shared one that scripts/with-test-audio.sh starts: other test runs on this machine
play into that one. This server has its own runtime folder (so its own socket), one null sink
whose monitor a test records, and is killed by its process id only.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import time
from pathlib import Path


class PulseServer:
    def __init__(self, runtime_dir: Path) -> None:
        if shutil.which("pulseaudio") is None or shutil.which("pactl") is None:
            raise RuntimeError("pulseaudio and pactl (pulseaudio-utils) are needed")
        self.runtime_dir = runtime_dir
        self.runtime_dir.mkdir(parents=True, exist_ok=True)
        self.runtime_dir.chmod(0o700)
        self.address = f"unix:{runtime_dir}/pulse/native"
        self.sink = ""
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def pid(self) -> int | None:
        process = self._process
        return process.pid if process is not None and process.poll() is None else None

    def env(self) -> dict[str, str]:
        """What points a client (the kiosk, parec) at this server."""
        return {"PULSE_SERVER": self.address}

    def start(self, sink: str = "kiosk_test", timeout_s: float = 10.0) -> float:
        """Start the server with one null sink called `sink` (its default output); the
        monotonic time at which it answered."""
        self.sink = sink
        env = {
            **os.environ,
            "XDG_RUNTIME_DIR": str(self.runtime_dir),
            "HOME": str(self.runtime_dir),  # its cookie and state stay in the temp folder
        }
        env.pop("PULSE_SERVER", None)
        log = (self.runtime_dir / "pulseaudio.log").open("ab")
        with log:
            self._process = subprocess.Popen(
                [
                    "pulseaudio",
                    "--daemonize=no",
                    "-n",
                    "--exit-idle-time=-1",
                    "--no-cpu-limit",
                    "--disallow-exit",
                    f"--load=module-null-sink sink_name={sink} "
                    f"sink_properties=device.description={sink}",
                    "--load=module-native-protocol-unix",
                    "--log-target=stderr",
                ],
                env=env,
                stdout=log,
                stderr=log,
            )
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self.answers():
                return time.monotonic()
            time.sleep(0.05)
        raise RuntimeError(f"the test PulseAudio server did not start: see {log.name}")

    def answers(self) -> bool:
        result = subprocess.run(
            ["pactl", f"--server={self.address}", "info"],
            capture_output=True,
            timeout=5,
        )
        return result.returncode == 0

    def kill(self) -> None:
        """kill -9, as a crash would: by this server's process id, nothing else."""
        process, self._process = self._process, None
        if process is not None and process.poll() is None:
            os.kill(process.pid, signal.SIGKILL)
            process.wait(timeout=10)
        # A killed server leaves its socket file behind, as a real crash does.

    def close(self) -> None:
        self.kill()
