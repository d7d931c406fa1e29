"""One kiosk per test module, as a real window on a private desktop, and a screen reader
(a real AT-SPI client) attached to it from its first moment.

The kiosk shows the bundled samples plus a generated pack, so "All topics A to Z" is long
enough to be the painted list with the letter bar (pages.LAZY_LIST_FROM). Its idle time is
the shortest allowed (10 s): "Still reading?" is part of the walk, and every other test
starts with a tap, which the kiosk counts as somebody being there.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

import pytest

from benchmarks.make_library import make_library  # the benchmarks' generator, seeded
from tests.a11y.desktop import Desktop, missing, private_desktop, stop
from tests.a11y.reader import Node, ScreenReader
from tests.e2e.kiosk_cli import REPO, kiosk_env

IDLE_SECONDS = 10
CLOSERS = ("Close", "Done", "Cancel", "OK", "Yes, keep reading")


@dataclass(slots=True)
class Kiosk:
    desktop: Desktop
    reader: ScreenReader
    process: subprocess.Popen[str]
    log: Path

    def home(self) -> Node:
        """Back to the start with one tap on Home (or as it is, when already there), after
        closing a card a test that failed left open."""
        tree = self.reader.tree()
        for dialog in tree.find_all("dialog"):
            for button in dialog.find_all("push button"):
                if button.name in CLOSERS:
                    self.reader.press(button)
                    break
        home = tree.find("push button", "Home")
        if "sensitive" in home.states:
            self.reader.tap(home)
            tree = self.reader.wait_until(
                lambda t: bool(t.find_all(name="Health topics")), "the home page"
            )
        self.reader.forget()
        return tree


@pytest.fixture(scope="module")
def kiosk(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Kiosk]:
    if reason := missing():
        pytest.skip(reason)
    root = tmp_path_factory.mktemp("a11y")
    packs = make_library(70, root / "library", seed=3)
    log = root / "kiosk.log"
    with private_desktop(root / "runtime") as desktop, ExitStack() as stack:
        reader = ScreenReader(desktop)
        stack.callback(reader.close)
        env = kiosk_env(
            root / "data",
            {
                # What a desktop's accessibility switch (or the kiosk's service file) does.
                "QT_LINUX_ACCESSIBILITY_ALWAYS_ON": "1",
                "KIOSK__SCREEN__IDLE_TIMEOUT": str(IDLE_SECONDS),
                # The walk is written for the smallest step; Xvfb's made-up millimetres
                # would otherwise start it at 125% (kiosk/ui/start_size.py).
                "KIOSK__SCREEN__START_TEXT_SIZE": "100",
            },
        )
        env["QT_QPA_PLATFORM"] = "xcb"  # a real window on the private X server
        pack_args = [arg for pack in packs for arg in ("--pack", str(pack))]
        with log.open("w") as out:
            process = subprocess.Popen(
                [sys.executable, "-m", "kiosk.cli", "run", *pack_args],
                cwd=REPO,
                env=desktop.env(env),
                stdout=out,
                stderr=subprocess.STDOUT,
                text=True,
            )
        stack.callback(stop, process, 10)
        reader.wait_for_app()
        reader.wait_until(lambda t: bool(t.find_all(name="Health topics")), "home", 30)
        yield Kiosk(desktop, reader, process, log)
    # Ended by the SIGTERM (exit code 0), not by a crash in an accessibility interface.
    output = log.read_text()
    assert process.returncode == 0 and "Traceback" not in output, output
