"""`kiosk speak`: staff hear a topic as the kiosk reads it, from the real command.

Also checks that what it reads is what the page holds: the narrator on screen reads
QTextDocument's plain text, the command reads `kiosk.content.plain`; both must give the same
sentences, or the preview would not be what patients hear.
"""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
import wave
from array import array
from pathlib import Path

import pytest

from kiosk.content.plain import html_to_text
from kiosk.content.sentences import split_sentences
from kiosk.packs.folder import read_pack_folder
from tests.e2e.kiosk_cli import run_kiosk

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "topics" / "sample-en"

MANIFEST = """\
format = 1
id = "org.example.klingon"
version = 1
title = "Unspeakable"
languages = ["xx"]
publisher = "Example Clinic"
"""

TOPIC = """\
+++
id = "no-voice"
title = "No Voice"
category = "Tests"
language = "xx"
+++

A topic in a language with no voice.

## Only part

Some text.
"""


def test_speak_one_section(tmp_path: Path) -> None:
    out = tmp_path / "preview" / "section-1.wav"
    result = run_kiosk(
        "speak", "--topic", "spinal-manipulation", "--section", "1", "-o", out, data_dir=tmp_path
    )
    assert (result.returncode, result.stdout, result.stderr) == (0, f"{out}\n", "")
    with wave.open(str(out), "rb") as audio:
        assert (audio.getframerate(), audio.getnchannels(), audio.getsampwidth()) == (22050, 1, 2)
        seconds = audio.getnframes() / audio.getframerate()
        data = array("h")
        data.frombytes(audio.readframes(audio.getnframes()))
    # About 120 words at 160 a minute: well over 2 s, and far less than a whole topic.
    assert 20 < seconds < 90
    assert math.sqrt(sum(x * x for x in data) / len(data)) > 300, "the preview is silent"
    assert not list(tmp_path.glob("**/speech-*")), "no sentence files are left behind"


def test_speak_whole_topic_is_every_section(tmp_path: Path) -> None:
    first, whole = tmp_path / "first.wav", tmp_path / "whole.wav"
    for args in (("--section", "1", "-o", first), ("-o", whole)):
        result = run_kiosk("speak", "--topic", "spinal-manipulation", *args, data_dir=tmp_path)
        assert result.returncode == 0, result.stderr
    with wave.open(str(first)) as a, wave.open(str(whole)) as b:
        assert b.getnframes() > 3 * a.getnframes()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        pytest.param(
            ["--topic", "no-such-topic"], "kiosk: no topic with id 'no-such-topic'", id="topic"
        ),
        pytest.param(
            ["--topic", "spinal-manipulation", "--section", "6"],
            "kiosk: --section must be 1 to 5 for 'spinal-manipulation'",
            id="section-too-big",
        ),
        pytest.param(
            ["--topic", "spinal-manipulation", "--section", "0"],
            "kiosk: --section must be 1 to 5 for 'spinal-manipulation'",
            id="section-zero",
        ),
        pytest.param(
            ["--section", "1"],
            "kiosk speak: the following arguments are required: --topic (see 'kiosk speak --help')",
            id="no-topic",
        ),
    ],
)
def test_speak_refusals(tmp_path: Path, args: list[str], message: str) -> None:
    out = tmp_path / "refused.wav"
    result = run_kiosk("speak", *args, "-o", out, data_dir=tmp_path)
    assert (result.returncode, result.stdout, result.stderr.splitlines()) == (2, "", [message])
    assert not out.exists()


def test_speak_without_a_speech_engine(tmp_path: Path) -> None:
    (tmp_path / "espeak" / "espeak-ng-data").mkdir(parents=True)
    out = tmp_path / "refused.wav"
    result = run_kiosk(
        "speak",
        "--topic",
        "spinal-manipulation",
        "-o",
        out,
        data_dir=tmp_path,
        env={"ESPEAK_DATA_PATH": str(tmp_path / "espeak")},
    )
    assert (result.returncode, result.stdout, result.stderr.splitlines()) == (
        2,
        "",
        ["kiosk: the speech engine could not start (espeak-ng)"],
    )
    assert not out.exists()


def test_speak_a_language_with_no_voice(tmp_path: Path) -> None:
    pack = tmp_path / "pack"
    (pack / "topics").mkdir(parents=True)
    (pack / "pack.toml").write_text(MANIFEST)
    (pack / "topics" / "no-voice.md").write_text(TOPIC)
    out = tmp_path / "refused.wav"
    result = run_kiosk("speak", "--pack", pack, "--topic", "no-voice", "-o", out, data_dir=tmp_path)
    assert (result.returncode, result.stdout, result.stderr.splitlines()) == (
        2,
        "",
        ["kiosk: no voice for language 'xx' is installed (topic 'no-voice' is in it)"],
    )
    assert not out.exists()


QT_PLAIN_TEXT = """
import json, sys
from PySide6.QtGui import QGuiApplication, QTextDocument
app = QGuiApplication([])
out = []
for html in json.load(sys.stdin):
    doc = QTextDocument()
    doc.setHtml(html)
    out.append(doc.toPlainText())
json.dump(out, sys.stdout)
"""


def test_preview_reads_the_sentences_the_page_holds() -> None:
    topics = read_pack_folder(SAMPLE).topics
    sections = [s for t in topics for s in t.sections]
    result = subprocess.run(
        [sys.executable, "-c", QT_PLAIN_TEXT],
        input=json.dumps([s.html for s in sections]),
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    on_screen = json.loads(result.stdout)
    assert len(on_screen) == len(sections)
    for section, qt_text in zip(sections, on_screen, strict=True):
        ours = [s.text for s in split_sentences(html_to_text(section.html))]
        assert [s.text for s in split_sentences(qt_text)] == ours, section.title
