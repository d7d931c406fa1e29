"""Children started the way a frozen bundle (PyInstaller) starts them: as the `kiosk`
executable itself with the hidden `_child` argument, since a bundle has no interpreter to
give `-c` or `-m` to. What a clinic would notice: read-aloud works and the search index is
built by its niced child, not in the kiosk's own process."""

from __future__ import annotations

import math
import shlex
import subprocess
import sys
import wave
from array import array
from pathlib import Path

import pytest

from kiosk.children import child_command, child_env
from kiosk.library.catalog import open_catalog
from kiosk.library.index import open_index
from kiosk.library.indexer import build_in_child
from kiosk.speech.synth import Synthesizer

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "topics" / "sample-en"
SILENCE_FLOOR = 300  # RMS of 16-bit samples; espeak-ng speech measures in the thousands


@pytest.fixture
def frozen_kiosk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A stand-in for a frozen `kiosk` executable: like a PyInstaller bundle, it runs the
    console script's entry point (kiosk.cli:entry) of the kiosk package it carries (this
    checkout's) with whatever arguments it is given, and notes each call in calls.log.
    Returns that log."""
    log = tmp_path / "bundle" / "calls.log"
    exe = log.parent / "kiosk"
    exe.parent.mkdir()
    exe.write_text(
        "#!/bin/sh\n"
        f'echo "$*" >> {shlex.quote(str(log))}\n'
        f"export PYTHONPATH={shlex.quote(str(REPO))}${{PYTHONPATH:+:$PYTHONPATH}}\n"
        f"exec {shlex.quote(sys.executable)} -c 'from kiosk.cli import entry; entry()' \"$@\"\n",
        encoding="utf-8",
    )
    exe.chmod(0o755)
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", str(exe))
    return log


def test_a_frozen_kiosk_reads_aloud(frozen_kiosk: Path, tmp_path: Path) -> None:
    with Synthesizer(tmp_path / "speech") as synth:
        speech = synth.synthesize("Rest your back and keep moving.", language="en")
        with wave.open(str(speech.wav), "rb") as audio:
            data = array("h")
            data.frombytes(audio.readframes(audio.getnframes()))
        assert speech.duration_ms > 500 and len(speech.words) == 6
        assert math.sqrt(sum(x * x for x in data) / len(data)) > SILENCE_FLOOR
    assert frozen_kiosk.read_text().splitlines() == ["_child speech"]


def test_a_frozen_kiosk_builds_the_search_index_in_its_child(
    frozen_kiosk: Path, tmp_path: Path
) -> None:
    path = tmp_path / "data" / "index" / "search.sqlite"
    catalog = open_catalog([SAMPLE])
    calls: list[str] = []

    def child() -> None:
        calls.append("child")
        build_in_child([SAMPLE], path, None)

    with open_index(catalog, path, build_first=child) as index:
        assert calls == ["child"]
        assert not index.rebuilt, "the child built it; this process only opened it"
        assert [h.topic_id for h in index.search("back pain")][:1] == ["low-back-pain"]
    assert frozen_kiosk.read_text().startswith("_child indexer --index ")


def test_a_child_starts_without_the_command_line_or_qt() -> None:
    """The speech child starts at every kiosk start and after every crash."""
    done = subprocess.run(
        [sys.executable, "-X", "importtime", *child_command("no-such-child")[1:]],
        env=child_env(),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    lines = done.stderr.splitlines()
    imported = [line.rsplit("|", 1)[-1].strip() for line in lines if "|" in line]
    said = [line for line in lines if "|" not in line]
    assert done.returncode == 2 and len(said) == 1 and "no-such-child" in said[0]
    assert "kiosk.children" in imported
    assert not [m for m in imported if m.startswith(("kiosk.cli", "kiosk.app", "PySide6"))]
