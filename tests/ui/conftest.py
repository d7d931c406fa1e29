"""A whole app per test, built through the one composition root against a temp data dir."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from kiosk.app import Services, build_services, build_window
from kiosk.config import Settings, load_settings
from kiosk.speech.synth import Synthesizer
from kiosk.ui.window import KioskWindow


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
        window = build_window(services)
        qtbot.addWidget(window)
        window.resize(*size)
        window.show()
        qtbot.waitExposed(window)
        return window

    yield make


@pytest.fixture
def window(make_window: Callable[..., KioskWindow], services: Services) -> KioskWindow:
    return make_window(services)
