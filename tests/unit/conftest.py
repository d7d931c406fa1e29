"""Real pack folders on disk for the pure layers' tests.

No Qt here, nor anywhere under tests/unit: these tests also run in a venv without PySide6
(`make unit-noqt`).
"""

from __future__ import annotations

import base64
import struct
import zlib
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

import pytest

MANIFEST = """\
format = 1
id = "org.example.test"
version = 1
title = "Test pack"
languages = ["en"]
publisher = "Test clinic"
"""


def _topic_md(
    topic_id: str,
    *,
    title: str | None = None,
    category: str = "Tests",
    related: Sequence[str] = (),
    body: str = "",
) -> str:
    """A good topic file; `body` (default: one line of text) goes under its one section and
    starts on line 13 of the file."""
    related_list = ", ".join(f'"{r}"' for r in related)
    return (
        "+++\n"
        f'id = "{topic_id}"\n'
        f'title = "{title or topic_id.replace("-", " ").capitalize()}"\n'
        f'category = "{category}"\n'
        'language = "en"\n'
        f"related = [{related_list}]\n"
        "+++\n"
        "\n"
        f"Summary of {topic_id}.\n"
        "\n"
        "## Part one\n"
        "\n"
        f"{body or 'Text of part one.'}\n"
    )


def _png_bytes(width: int, height: int) -> bytes:
    """A real, decodable RGB PNG, built by hand so no image library (or Qt) is needed."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    rows = b"".join(b"\x00" + b"\x20\x60\xa0" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


# A real 3x2 JPEG (written once by Qt's JPEG writer), kept as bytes so no image library or Qt
# is needed here.
JPEG_3X2 = base64.b64decode(
    "/9j/4AAQSkZJRgABAQEAZABkAAD/2wBDABALDA4MChAODQ4SERATGCgaGBYWGDEjJR0oOjM9PDkzODdASFxOQERXRTc4"
    "UG1RV19iZ2hnPk1xeXBkeFxlZ2P/2wBDARESEhgVGC8aGi9jQjhCY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2Nj"
    "Y2NjY2NjY2NjY2NjY2NjY2NjY2P/wAARCAACAAMDASIAAhEBAxEB/8QAHwAAAQUBAQEBAQEAAAAAAAAAAAECAwQFBgcI"
    "CQoL/8QAtRAAAgEDAwIEAwUFBAQAAAF9AQIDAAQRBRIhMUEGE1FhByJxFDKBkaEII0KxwRVS0fAkM2JyggkKFhcYGRol"
    "JicoKSo0NTY3ODk6Q0RFRkdISUpTVFVWV1hZWmNkZWZnaGlqc3R1dnd4eXqDhIWGh4iJipKTlJWWl5iZmqKjpKWmp6ip"
    "qrKztLW2t7i5usLDxMXGx8jJytLT1NXW19jZ2uHi4+Tl5ufo6erx8vP09fb3+Pn6/8QAHwEAAwEBAQEBAQEBAQAAAAAA"
    "AAECAwQFBgcICQoL/8QAtREAAgECBAQDBAcFBAQAAQJ3AAECAxEEBSExBhJBUQdhcRMiMoEIFEKRobHBCSMzUvAVYnLR"
    "ChYkNOEl8RcYGRomJygpKjU2Nzg5OkNERUZHSElKU1RVVldYWVpjZGVmZ2hpanN0dXZ3eHl6goOEhYaHiImKkpOUlZaX"
    "mJmaoqOkpaanqKmqsrO0tba3uLm6wsPExcbHyMnK0tPU1dbX2Nna4uPk5ebn6Onq8vP09fb3+Pn6/9oADAMBAAIRAxEA"
    "PwDJooor1Dzj/9k="
)

PackMaker = Callable[..., Path]


@pytest.fixture
def topic_md() -> Callable[..., str]:
    """`topic_md("my-id", related=[...], body="...")`: the text of a good topic file."""
    return _topic_md


@pytest.fixture
def png() -> bytes:
    """The bytes of a real 3x2 PNG image."""
    return _png_bytes(3, 2)


@pytest.fixture
def jpeg() -> bytes:
    """The bytes of a real 3x2 JPEG image."""
    return JPEG_3X2


@pytest.fixture
def make_pack(tmp_path: Path) -> PackMaker:
    """Write a pack folder under tmp_path: `make_pack("name", {"a.md": text}, media={...})`."""

    def make(
        name: str = "mypack",
        topics: Mapping[str, str | bytes] | None = None,
        *,
        manifest: str | None = MANIFEST,
        media: Mapping[str, bytes] | None = None,
    ) -> Path:
        root = tmp_path / name
        (root / "topics").mkdir(parents=True)
        if manifest is not None:
            (root / "pack.toml").write_text(manifest, encoding="utf-8")
        for file_name, text in (topics or {}).items():
            path = root / "topics" / file_name
            if isinstance(text, bytes):
                path.write_bytes(text)
            else:
                path.write_text(text, encoding="utf-8")
        for file_name, data in (media or {}).items():
            (root / "media").mkdir(exist_ok=True)
            (root / "media" / file_name).write_bytes(data)
        return root

    return make
