"""A private desktop for the screen-reader tests: an X server (Xvfb), a D-Bus session, the
accessibility bus (at-spi-bus-launcher) and its registry (at-spi2-registryd), each started
here, each stopped by its own process id.

Nothing here is shared with other tests on the same machine: Xvfb picks a free display
(-displayfd), the session bus is a new one, and the accessibility bus puts its socket in a
runtime directory of its own. So several engineers (or CI jobs) can run this at once.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

LIBEXEC = Path("/usr/libexec")
BUS_LAUNCHER = LIBEXEC / "at-spi-bus-launcher"
REGISTRY = LIBEXEC / "at-spi2-registryd"
SYSTEM_PYTHON = Path("/usr/bin/python3")  # Debian's, which has pyatspi


def missing() -> str:
    """Why these tests cannot run here ("" when they can)."""
    for tool in ("Xvfb", "xdotool", "dbus-daemon"):
        if shutil.which(tool) is None:
            return f"needs {tool} (scripts/debian-packages.txt installs it)"
    for path in (BUS_LAUNCHER, REGISTRY, SYSTEM_PYTHON):
        if not path.exists():
            return f"needs {path} (at-spi2-core, python3 from scripts/debian-packages.txt)"
    found = subprocess.run(
        [str(SYSTEM_PYTHON), "-c", "import pyatspi"], capture_output=True, check=False
    )
    if found.returncode != 0:
        return "needs pyatspi for /usr/bin/python3 (Debian: python3-pyatspi)"
    return ""


def stop(process: subprocess.Popen[bytes] | subprocess.Popen[str], timeout: float = 5) -> None:
    """SIGTERM, then SIGKILL: only the process this file started, never one found by name."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout)
    for pipe in (process.stdin, process.stdout, process.stderr):
        if pipe is not None:
            pipe.close()


@dataclass(frozen=True, slots=True)
class Desktop:
    display: str  # ":N"
    bus: str  # DBUS_SESSION_BUS_ADDRESS

    def env(self, base: dict[str, str] | None = None) -> dict[str, str]:
        """`base` (this process's environment by default) on this desktop."""
        env = dict(os.environ if base is None else base)
        env.update(DISPLAY=self.display, DBUS_SESSION_BUS_ADDRESS=self.bus)
        env.pop("AT_SPI_BUS_ADDRESS", None)
        env.pop("WAYLAND_DISPLAY", None)
        return env

    def xdotool(self, *args: str) -> str:
        result = subprocess.run(
            ["xdotool", *args],
            env=self.env(),
            capture_output=True,
            text=True,
            timeout=15,
            check=True,
        )
        return result.stdout.strip()

    def tap(self, x: int, y: int) -> None:
        self.xdotool("mousemove", str(x), str(y), "click", "1")

    def hold(self, x: int, y: int, seconds: float) -> None:
        """A finger that stays down (the staff long press)."""
        self.xdotool("mousemove", str(x), str(y), "mousedown", "1")
        time.sleep(seconds)
        self.xdotool("mouseup", "1")


def _xvfb(stack: ExitStack) -> str:
    read, write = os.pipe()
    server = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write), "-screen", "0", "1280x800x24", "-nolisten", "tcp"],
        pass_fds=(write,),
        stderr=subprocess.DEVNULL,
    )
    stack.callback(stop, server)
    os.close(write)
    with os.fdopen(read) as pipe:
        number = pipe.readline().strip()
    if not number:
        raise RuntimeError("Xvfb did not start")
    return f":{number}"


def _session_bus(stack: ExitStack) -> str:
    daemon = subprocess.Popen(
        ["dbus-daemon", "--session", "--nofork", "--print-address=1"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    stack.callback(stop, daemon)
    assert daemon.stdout is not None
    address = daemon.stdout.readline().strip()
    if not address:
        raise RuntimeError("the D-Bus session daemon did not start")
    return address


def _wait_for_name(env: dict[str, str], name: str, timeout: float = 10) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        answer = subprocess.run(
            [
                "dbus-send",
                "--session",
                "--print-reply",
                "--dest=org.freedesktop.DBus",
                "/org/freedesktop/DBus",
                "org.freedesktop.DBus.NameHasOwner",
                f"string:{name}",
            ],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        if "boolean true" in answer.stdout:
            return
        time.sleep(0.05)
    raise RuntimeError(f"{name} never appeared on the session bus")


def _accessibility_bus(stack: ExitStack, desktop: Desktop, runtime: Path) -> None:
    """The launcher (started here, not by D-Bus activation, so its id is known) owns the
    accessibility bus; the registry is started here too, for the same reason, instead of
    being activated on that bus when the first application registers."""
    runtime.mkdir(mode=0o700, exist_ok=True)
    # Its own runtime dir: the bus socket is named after the display only.
    env = {**desktop.env(), "XDG_RUNTIME_DIR": str(runtime)}
    launcher = subprocess.Popen(
        [str(BUS_LAUNCHER), "--launch-immediately"], env=env, stderr=subprocess.DEVNULL
    )
    stack.callback(stop, launcher)
    _wait_for_name(env, "org.a11y.Bus")
    registry = subprocess.Popen(
        [str(REGISTRY), "--use-gnome-session=false"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    stack.callback(stop, registry)


@contextmanager
def private_desktop(runtime: Path) -> Iterator[Desktop]:
    """X server, session bus and accessibility bus, stopped in the reverse order."""
    with ExitStack() as stack:
        display = _xvfb(stack)
        desktop = Desktop(display, _session_bus(stack))
        _accessibility_bus(stack, desktop, runtime)
        yield desktop
