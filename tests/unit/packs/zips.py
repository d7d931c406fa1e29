"""Zip archives written byte by byte, for the hostile cases no zip tool would write: sizes that
lie, a symlink's mode bits, the encryption flag without encryption, a NUL in a name.

Only the standard library, so the pure layers' tests still run without Qt.
"""

from __future__ import annotations

import hashlib
import io
import struct
import zipfile
import zlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

LOCAL = struct.Struct("<4s5H3L2H")
CENTRAL = struct.Struct("<4s6H3L5H2L")
END = struct.Struct("<4s4H2LH")
REGULAR = 0o100644
SYMLINK = 0o120777
FOLDER = 0o040755


def deflate(data: bytes) -> bytes:
    """Raw deflate, as a zip entry holds it."""
    packer = zlib.compressobj(6, zlib.DEFLATED, -zlib.MAX_WBITS)
    return packer.compress(data) + packer.flush()


@dataclass
class Entry:
    """One entry. Anything left None is what an honest zip tool would write."""

    name: str | bytes
    data: bytes = b""
    method: int = zipfile.ZIP_DEFLATED
    flags: int = 0
    mode: int = REGULAR
    packed: bytes | None = None  # the compressed bytes (default: `data`, compressed)
    size: int | None = None  # what the index (central directory) says the size is
    local_size: int | None = None  # what the entry's own (local) header says
    crc: int | None = None
    local_name: bytes | None = None


def raw_zip(entries: Sequence[Entry]) -> bytes:
    out = bytearray()
    index = bytearray()
    for entry in entries:
        name = entry.name if isinstance(entry.name, bytes) else entry.name.encode("utf-8")
        flags = entry.flags | (0x800 if not name.isascii() else 0)
        if entry.packed is not None:
            packed = entry.packed
        elif entry.method == zipfile.ZIP_DEFLATED:
            packed = deflate(entry.data)
        else:
            packed = entry.data
        crc = zlib.crc32(entry.data) if entry.crc is None else entry.crc
        size = len(entry.data) if entry.size is None else entry.size
        local_size = size if entry.local_size is None else entry.local_size
        local_name = name if entry.local_name is None else entry.local_name
        offset = len(out)
        out += LOCAL.pack(
            b"PK\x03\x04", 20, flags, entry.method, 0, 0x21, crc, len(packed), local_size,
            len(local_name), 0,
        )  # fmt: skip
        out += local_name + packed
        index += CENTRAL.pack(
            b"PK\x01\x02", (3 << 8) | 20, 20, flags, entry.method, 0, 0x21, crc, len(packed),
            size, len(name), 0, 0, 0, 0, entry.mode << 16, offset,
        )  # fmt: skip
        index += name
    count = len(entries)
    return bytes(out + index + END.pack(b"PK\x05\x06", 0, 0, count, count, len(index), len(out), 0))


def tool_zip(files: Mapping[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    """A zip as Python's zipfile writes it (an honest tool)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=method) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def with_hashes(manifest: str, files: Mapping[str, bytes]) -> str:
    """`manifest` with a [files] table of the sha256 of each of `files`."""
    table = "".join(
        f'"{n}" = "{hashlib.sha256(d).hexdigest()}"\n' for n, d in sorted(files.items())
    )
    return f"{manifest}\n[files]\n{table}"


def png_claiming(width: int, height: int) -> bytes:
    """A small PNG whose header claims `width` x `height`: what an image bomb looks like before
    anything decodes it (its pixel data here is a few zero rows, not the real bomb)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 1024))
        + chunk(b"IEND", b"")
    )


def jpeg_claiming(width: int, height: int) -> bytes:
    """The start of a JPEG whose frame header (SOF0) claims `width` x `height`."""
    app0 = b"\xff\xe0" + struct.pack(">H", 16) + b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    sof0 = b"\xff\xc0" + struct.pack(">HBHHB", 11, 8, height, width, 1) + b"\x01\x11\x00"
    return b"\xff\xd8" + app0 + sof0 + b"\xff\xd9"
