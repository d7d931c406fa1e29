"""The real `kiosk` command in a child process: exit codes, stdout, stderr and the files it writes.

Each `shot` starts Qt (about a second), so there are only a few of them.
"""

from __future__ import annotations

import os
import struct
import subprocess
import sys
from pathlib import Path

import pytest

from tests.e2e.kiosk_cli import AUTHORING_MANIFEST as MANIFEST
from tests.e2e.kiosk_cli import run_kiosk

REPO = Path(__file__).resolve().parents[2]
SAMPLE = "topics/sample-en"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


NEW_TOPIC = """\
+++
id = "my-new-topic"
title = "My New Topic"
category = "Everyday health"
language = "en"
+++

A topic an author is still writing.

## First part

Some short and simple text.
"""


def png_size(path: Path) -> tuple[int, int]:
    """Width and height from the IHDR chunk, which a PNG must have first."""
    data = path.read_bytes()
    assert data[:8] == PNG_SIGNATURE, f"{path} is not a PNG"
    length, kind = struct.unpack(">I4s", data[8:16])
    assert (length, kind) == (13, b"IHDR")
    width, height = struct.unpack(">II", data[16:24])
    return width, height


# --- pack validate --------------------------------------------------------------------------


def test_validate_sample_pack(tmp_path: Path) -> None:
    result = run_kiosk("pack", "validate", SAMPLE, data_dir=tmp_path)
    topics = len(list((REPO / SAMPLE / "topics").glob("*.md")))
    assert topics >= 12
    assert (result.returncode, result.stdout, result.stderr) == (
        0,
        f"{SAMPLE}: OK, {topics} topics\n",
        "",
    )


def test_validate_broken_pack_lists_one_line_per_problem(tmp_path: Path) -> None:
    pack = tmp_path / "broken"
    (pack / "topics").mkdir(parents=True)
    (pack / "pack.toml").write_text(MANIFEST.replace("version = 1", "version = 0"))
    (pack / "topics" / "a.md").write_text(
        NEW_TOPIC.replace('"my-new-topic"', '"a"').replace("simple text.", "<b>simple</b> text.")
    )
    (pack / "topics" / "b.md").write_text(
        NEW_TOPIC.replace('"my-new-topic"', '"b"').replace(
            "Some short", "See [the web](https://example.org). Some short"
        )
    )
    (pack / "topics" / "c.md").write_text(NEW_TOPIC.replace('"my-new-topic"', '"somewhere"'))

    result = run_kiosk("pack", "validate", pack, data_dir=tmp_path)
    assert result.returncode == 1
    assert result.stderr == ""
    assert result.stdout.splitlines() == [
        "broken/pack.toml: version must be a whole number of 1 or more",
        "broken/topics/a.md:12: raw HTML is not allowed: <b>",
        "broken/topics/a.md:12: raw HTML is not allowed: </b>",
        "broken/topics/b.md:12: link 'https://example.org' is not allowed: links must be topic:ID",
        "broken/topics/c.md:2: id 'somewhere' should match the file name 'c.md'",
    ]


def test_validate_refuses_a_picture_without_alt_text(tmp_path: Path) -> None:
    """WCAG 1.1.1: a picture a patient cannot see must say what it shows."""
    from tests.unit.packs.zips import png_claiming  # a real PNG header, 3 x 2

    pack = tmp_path / "pictures"
    (pack / "topics").mkdir(parents=True)
    (pack / "media").mkdir()
    (pack / "pack.toml").write_text(MANIFEST)
    (pack / "media" / "cuff.png").write_bytes(png_claiming(3, 2))
    (pack / "topics" / "my-new-topic.md").write_text(
        NEW_TOPIC.replace("simple text.", "simple text.\n\n![](media/cuff.png)")
    )
    result = run_kiosk("pack", "validate", pack, data_dir=tmp_path)
    assert (result.returncode, result.stderr) == (1, "")
    assert result.stdout.splitlines() == [
        "pictures/topics/my-new-topic.md:14: image 'media/cuff.png' has no alt text: write "
        "what it shows between the brackets, like ![A nurse checks a blood pressure]"
        "(media/cuff.png)"
    ]
    (pack / "topics" / "my-new-topic.md").write_text(
        NEW_TOPIC.replace("simple text.", "simple text.\n\n![A cuff on an arm](media/cuff.png)")
    )
    result = run_kiosk("pack", "validate", pack, data_dir=tmp_path)
    assert (result.returncode, result.stdout) == (0, f"{pack}: OK, 1 topic\n")


def test_validate_folder_without_pack_toml(tmp_path: Path) -> None:
    result = run_kiosk("pack", "validate", tmp_path, data_dir=tmp_path)
    assert (result.returncode, result.stdout, result.stderr) == (
        1,
        f"{tmp_path.name}: pack.toml is missing\n",
        "",
    )


# --- shot -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def home_shot(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp_path = tmp_path_factory.mktemp("home")
    out = tmp_path / "shots" / "home.png"
    result = run_kiosk("shot", out, "--size", "1080x1920", data_dir=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"{out}\n"
    return out


def test_shot_writes_a_png_of_the_asked_size(home_shot: Path) -> None:
    assert png_size(home_shot) == (1080, 1920)


def test_shot_of_a_topic_section_at_large_text(tmp_path: Path, home_shot: Path) -> None:
    out = tmp_path / "topic.png"
    result = run_kiosk(
        "shot",
        out,
        "--topic",
        "spinal-manipulation",
        "--section",
        "2",
        "--text-size",
        "200",
        "--size",
        "1080x1920",
        data_dir=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"{out}\n"
    assert png_size(out) == (1080, 1920)
    assert out.read_bytes() != home_shot.read_bytes(), "the topic page is not the home page"


def test_shot_with_an_extra_pack_shows_its_topic(tmp_path: Path) -> None:
    pack = tmp_path / "authoring"
    (pack / "topics").mkdir(parents=True)
    (pack / "pack.toml").write_text(MANIFEST)
    (pack / "topics" / "my-new-topic.md").write_text(NEW_TOPIC)
    out = tmp_path / "new.png"

    result = run_kiosk("shot", out, "--pack", pack, "--topic", "my-new-topic", data_dir=tmp_path)
    assert result.returncode == 0, result.stderr
    assert png_size(out) == (1280, 800)


def test_shot_of_the_search_page_with_another_keyboard(tmp_path: Path) -> None:
    pack = tmp_path / "es"
    (pack / "topics").mkdir(parents=True)
    (pack / "pack.toml").write_text(MANIFEST.replace('"en"', '"es"'))
    (pack / "topics" / "my-new-topic.md").write_text(
        NEW_TOPIC.replace('"en"', '"es"').replace("My New Topic", "Fiebre en niños")
    )
    out = tmp_path / "search.png"
    args = ["--pack", pack, "--search", "niñ", "--size", "800x480", "--text-size", "200"]

    result = run_kiosk("shot", out, *args, "--keyboard", "es", data_dir=tmp_path)
    assert result.returncode == 0, result.stderr
    assert png_size(out) == (800, 480)
    refused = run_kiosk("shot", tmp_path / "no.png", *args, "--keyboard", "fr", data_dir=tmp_path)
    assert (refused.returncode, refused.stderr) == (
        2,
        "kiosk: --keyboard must be one of the library's keyboards: en, es\n",
    )
    refused = run_kiosk("shot", tmp_path / "no.png", *args, data_dir=tmp_path)
    assert (refused.returncode, refused.stderr) == (
        2,
        "kiosk: --search: the keyboard has no key for Ñ\n",
    )
    assert not (tmp_path / "no.png").exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        pytest.param(["--keyboard", "es"], "kiosk: --keyboard needs --search", id="keyboard-alone"),
        pytest.param(
            ["--topic", "no-such-topic"], "kiosk: no topic with id 'no-such-topic'", id="topic"
        ),
        pytest.param(
            ["--topic", "spinal-manipulation", "--section", "99"],
            "kiosk: --section must be 1 to 6 for 'spinal-manipulation'",
            id="section",
        ),
        pytest.param(
            ["--text-size", "130"],
            "kiosk: --text-size must be one of 100, 125, 150, 175, 200, 250, 300",
            id="text-size",
        ),
        pytest.param(
            ["--size", "10x10"],
            "kiosk shot: argument --size: '10x10' is outside 200x200 to 8000x8000 "
            "(see 'kiosk shot --help')",
            id="size",
        ),
        pytest.param(
            ["--size", "wide"],
            "kiosk shot: argument --size: 'wide' is not a size like 1280x800 "
            "(see 'kiosk shot --help')",
            id="size-not-a-size",
        ),
    ],
)
def test_shot_refusals(tmp_path: Path, args: list[str], message: str) -> None:
    out = tmp_path / "refused.png"
    result = run_kiosk("shot", out, *args, data_dir=tmp_path)
    assert (result.returncode, result.stdout, result.stderr.splitlines()) == (2, "", [message])
    assert not out.exists()


def test_shot_refuses_a_pack_folder_without_pack_toml(tmp_path: Path) -> None:
    (tmp_path / "not-a-pack").mkdir()
    out = tmp_path / "refused.png"
    result = run_kiosk("shot", out, "--pack", tmp_path / "not-a-pack", data_dir=tmp_path)
    assert (result.returncode, result.stdout, result.stderr.splitlines()) == (
        2,
        "",
        [f"kiosk: {tmp_path / 'not-a-pack'} is not a pack folder (no pack.toml)"],
    )
    assert not out.exists()


def test_staff_set_pin_stores_a_hash_the_kiosk_accepts(tmp_path: Path) -> None:
    from kiosk.staff import PinStore

    env = {k: v for k, v in os.environ.items() if not k.startswith("KIOSK")}
    env.update(
        KIOSK_CONFIG=str(tmp_path / "none.toml"),
        KIOSK_SYSTEM_CONFIG=str(tmp_path / "none-system.toml"),
        KIOSK_DATA_DIR=str(tmp_path),
        KIOSK_STAFF_PIN="735190",
    )
    result = subprocess.run(
        [sys.executable, "-m", "kiosk.cli", "staff", "set-pin"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        cwd=REPO,
    )
    assert result.returncode == 0, result.stderr
    pins = PinStore(tmp_path / "staff-pin.json")
    assert "735190" not in pins.path.read_text()
    assert pins.check("735190", 0.0).ok and not pins.check("000000", 1.0).ok
    bad = subprocess.run(
        [sys.executable, "-m", "kiosk.cli", "staff", "set-pin"],
        env={**env, "KIOSK_STAFF_PIN": "12"},
        capture_output=True,
        text=True,
        timeout=60,
        cwd=REPO,
    )
    assert bad.returncode == 1
    assert bad.stderr.strip() == "kiosk: the PIN must be 4 to 12 digits; nothing changed"
    assert pins.check("735190", 100.0).ok  # the old PIN still works
