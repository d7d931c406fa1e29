"""A whole app per test, built through the one composition root against a temp data dir."""

from __future__ import annotations

import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

import kiosk.ui.window
from kiosk.app import Services, build_services, build_window
from kiosk.config import Settings, load_settings
from kiosk.speech.synth import Synthesizer
from kiosk.ui.window import KioskWindow


@pytest.fixture(autouse=True)
def made_up_screen_size(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """The offscreen display reports a size in millimetres it makes up (100 dpi, whatever its
    pixels), so a start worked out from it would be this machine's, not a clinic's screen's:
    here pages start where staff set it, else at the first step, as before. The rule itself,
    on the real window, is tests/ui/test_start_size.py's."""
    if request.module.__name__ != "tests.ui.test_start_size":
        monkeypatch.setattr(
            kiosk.ui.window,
            "start_text_size",
            lambda settings, _screen: settings.start_text_size or settings.text_sizes[0],
        )


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    env = {"KIOSK_CONFIG": str(tmp_path / "no-such-config.toml"), "KIOSK_DATA_DIR": str(tmp_path)}
    return load_settings(env, system_file=tmp_path / "no-system-config.toml")


@pytest.fixture(scope="session")
def synth(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Synthesizer]:
    """One real synthesizer child (espeak-ng through pyttsx3) shared by the session."""
    speech = Synthesizer(tmp_path_factory.mktemp("speech"))
    speech.start()
    yield speech
    speech.close()


@pytest.fixture
def services(settings: Settings) -> Iterator[Services]:
    """Without speech: screens and navigation. Read-aloud tests share one real synthesizer
    (tests/ui/test_read_aloud.py)."""
    built = build_services(settings, speech=False)
    yield built
    built.close()


@pytest.fixture
def make_window(qtbot: QtBot) -> Iterator[Callable[..., KioskWindow]]:
    def make(services: Services, size: tuple[int, int] = (1280, 800)) -> KioskWindow:
        window = build_window(services, size=size)
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        return window

    yield make


@pytest.fixture
def window(make_window: Callable[..., KioskWindow], services: Services) -> KioskWindow:
    return make_window(services)


@pytest.fixture
def stick(tmp_path: Path) -> Iterator[Path]:
    """A real mounted volume at TMP/media/STICK (a small tmpfs), which QStorageInfo lists like
    a USB stick; unmounted afterwards, or mid-test to pull it out."""
    mount_point = tmp_path / "media" / "STICK"
    mount_point.mkdir(parents=True)
    result = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=8m", "kiosk-test-stick", str(mount_point)],
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        pytest.skip(f"cannot mount a test volume here (needs root): {result.stderr.strip()}")
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", "-l", str(mount_point)], capture_output=True)
