"""What an image file says it is, read from its first bytes, before anything decodes it.

A 100 KiB PNG can claim 50,000 x 50,000 pixels and make a decoder ask for 10 GB; the kiosk
reads the size from the header (PNG IHDR, JPEG SOF) and refuses such a file outright, so no
image decoder ever sees it. The UI's QImageReader allocation limit is the second fence.
"""

from __future__ import annotations

import struct

MAX_SIDE = 8000
MAX_PIXELS = 40_000_000
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
JPEG_MAGIC = b"\xff\xd8\xff"
# Start-of-frame markers carry the size; C4 (Huffman tables), C8 and CC (arithmetic coding
# parameters) share the range but are not frames.
_SOF = frozenset(range(0xC0, 0xD0)) - {0xC4, 0xC8, 0xCC}
_STANDALONE = frozenset({0x01, *range(0xD0, 0xD8)})


def kind_of(name: str) -> str:
    """'JPEG' or 'PNG', from the file name's extension (which the pack rules limit to those)."""
    return "JPEG" if name.lower().endswith((".jpg", ".jpeg")) else "PNG"


def _png_size(data: bytes) -> tuple[int, int] | None:
    # The IHDR chunk must come first: length 13, type, then width and height.
    if len(data) < 24 or data[8:16] != b"\x00\x00\x00\x0dIHDR":
        return None
    width, height = struct.unpack(">II", data[16:24])
    return int(width), int(height)


def _jpeg_size(data: bytes) -> tuple[int, int] | None:
    at = 2
    while at + 4 <= len(data):
        if data[at] != 0xFF:
            return None
        marker = data[at + 1]
        if marker == 0xFF:  # fill byte before a marker
            at += 1
            continue
        if marker in _STANDALONE:
            at += 2
            continue
        if marker in (0xD9, 0xDA):  # end of image, or the pixels start, before any frame
            return None
        (length,) = struct.unpack(">H", data[at + 2 : at + 4])
        if length < 2:
            return None
        if marker in _SOF:
            if length < 7 or at + 9 > len(data):
                return None
            height, width = struct.unpack(">HH", data[at + 5 : at + 9])
            return int(width), int(height)
        at += 2 + length
    return None


def image_problem(name: str, data: bytes) -> str | None:
    """What is wrong with image file `name`, as the end of a sentence for staff; None if the
    header is sound and the size is one the kiosk will decode."""
    kind = kind_of(name)
    if kind == "PNG":
        size = _png_size(data) if data.startswith(PNG_MAGIC) else None
        real = data.startswith(PNG_MAGIC)
    else:
        size = _jpeg_size(data) if data.startswith(JPEG_MAGIC) else None
        real = data.startswith(JPEG_MAGIC)
    if not real:
        return f"is not a real {kind} file"
    if size is None or 0 in size:
        return f"is a damaged {kind} file (it does not say its size in pixels)"
    width, height = size
    if width > MAX_SIDE or height > MAX_SIDE or width * height > MAX_PIXELS:
        return f"claims {width} x {height} pixels, too large to show safely (an image bomb)"
    return None
