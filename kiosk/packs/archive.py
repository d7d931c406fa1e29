"""Reading a delivery archive (a zip) that came off a USB stick or out of an inbox folder.

Everything here assumes the bytes were made by someone hostile. The archive's index (the zip
central directory) is checked as a whole before a single file is decompressed; then each file
is decompressed with a hard limit at the size the index claims, so a file that lies about its
size is caught at the first byte too many instead of filling memory. Nothing is written to
disk: the result is the files' bytes, for the pack checks that follow.

Only the standard library's zipfile (for the index), zlib and struct are used, and zipfile is
never asked to extract: its extraction rules are not ours.
"""

from __future__ import annotations

import io
import itertools
import re
import stat
import struct
import unicodedata
import zipfile
import zlib

from kiosk.content.model import OneLineError
from kiosk.packs.images import image_problem

MAX_ENTRIES = 5_000
MAX_FILE_BYTES = 16 * 1024 * 1024
MAX_TOTAL_BYTES = 512 * 1024 * 1024
MAX_RATIO = 100
RATIO_FLOOR = 1024 * 1024  # small files may compress well (a page of spaces); big ones may not

ALLOWED_NAME = re.compile(
    r"pack\.toml"
    r"|topics/[A-Za-z0-9][A-Za-z0-9._-]*\.md"
    r"|media/[A-Za-z0-9][A-Za-z0-9._-]*\.(?i:png|jpg|jpeg)"
)
ALLOWED_FOLDERS = frozenset({"topics/", "media/"})
ALLOWED_WORDS = "only pack.toml, topics/*.md and media/*.png or *.jpg"

_STORED, _DEFLATED = zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED
_METHOD_NAMES = {
    1: "Shrink",
    6: "Implode",
    9: "Deflate64",
    12: "bzip2",
    14: "LZMA",
    93: "Zstandard",
    95: "XZ",
    98: "PPMd",
    99: "AES encryption",
}
_ENCRYPTED = 0x01 | 0x40  # traditional and strong encryption flag bits
_DATA_DESCRIPTOR = 0x08
_UTF8_NAME = 0x800
_LOCAL_HEADER = struct.Struct("<4s5H3L2H")
_LOCAL_MAGIC = b"PK\x03\x04"
_UNKNOWN_SIZE = 0xFFFFFFFF  # a ZIP64 local header keeps the real sizes in an extra field
_DRIVE = re.compile(r"^[A-Za-z]:")


class PackRefused(OneLineError):
    """The pack is not installed; str() is the one line staff read."""


def shown(name: str) -> str:
    """A file name as staff may safely see it on one line: control characters escaped, long
    names cut."""
    text = "".join(c if c.isprintable() else f"\\x{ord(c):02x}" for c in name)
    return text if len(text) <= 120 else text[:117] + "..."


def _name_problem(name: str) -> str | None:
    if not name:
        return "it is empty"
    if "\0" in name:
        return "it contains a NUL character"
    if "\\" in name:
        return "it contains a backslash"
    if name.startswith("/"):
        return "it is an absolute path"
    if _DRIVE.match(name):
        return "it starts with a drive letter"
    parts = name.removesuffix("/").split("/")
    if ".." in parts:
        return "it points outside the pack"
    if any(part in ("", ".") for part in parts):
        return "it has an empty or '.' part"
    if any(not c.isprintable() for c in name):
        return "it contains a control character"
    return None


def _folded(name: str) -> str:
    """The name as a case-insensitive, normalising file system (macOS, Windows, FAT on a stick)
    would see it: two names that fold alike would be one file there."""
    return unicodedata.normalize("NFC", unicodedata.normalize("NFC", name).casefold())


def _kind_problem(info: zipfile.ZipInfo) -> str | None:
    mode = info.external_attr >> 16
    kind = stat.S_IFMT(mode)
    if stat.S_ISLNK(mode):
        return "is a symbolic link; a topic pack holds only plain files"
    wanted = stat.S_IFDIR if info.orig_filename.endswith("/") else stat.S_IFREG
    # Zips made on Windows, and by some libraries, carry no Unix file type at all.
    if kind not in (0, wanted):
        return "is a special file (a device, pipe or socket); a topic pack holds only plain files"
    return None


def _check_index(infos: list[zipfile.ZipInfo]) -> None:
    if len(infos) > MAX_ENTRIES:
        raise PackRefused(
            f"the archive holds {len(infos):,} entries; a topic pack may hold at most "
            f"{MAX_ENTRIES:,}"
        )
    seen: dict[str, str] = {}
    total = 0
    for info in infos:
        name = info.orig_filename
        if reason := _name_problem(name):
            raise PackRefused(f"unsafe file name in the archive: '{shown(name)}' ({reason})")
        key = _folded(name)
        if key in seen:
            if seen[key] == name:
                raise PackRefused(f"the archive holds '{shown(name)}' twice")
            raise PackRefused(
                f"the archive holds both '{shown(seen[key])}' and '{shown(name)}', "
                "which are the same name on some computers"
            )
        seen[key] = name
    for info in infos:
        name = info.orig_filename
        if reason := _kind_problem(info):
            raise PackRefused(f"'{shown(name)}' {reason}")
        if info.flag_bits & _ENCRYPTED:
            raise PackRefused(f"'{shown(name)}' is encrypted; a topic pack cannot be")
        if info.compress_type not in (_STORED, _DEFLATED):
            method = _METHOD_NAMES.get(info.compress_type, f"method {info.compress_type}")
            raise PackRefused(
                f"'{shown(name)}' is compressed with {method}; a topic pack may only use "
                "deflate or no compression"
            )
        if name.endswith("/"):
            if name not in ALLOWED_FOLDERS or info.file_size:
                raise PackRefused(f"'{shown(name)}' is not allowed in a topic pack")
            continue
        if not ALLOWED_NAME.fullmatch(name):
            raise PackRefused(f"'{shown(name)}' is not allowed in a topic pack ({ALLOWED_WORDS})")
        if info.file_size > MAX_FILE_BYTES:
            raise PackRefused(f"'{shown(name)}' is larger than 16 MiB")
        if info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * info.compress_size:
            raise PackRefused(
                f"'{shown(name)}' would expand more than {MAX_RATIO} times (a zip bomb)"
            )
        total += info.file_size
        if total > MAX_TOTAL_BYTES:
            raise PackRefused("the files in the archive add up to more than 512 MiB")


def _data_span(data: bytes, info: zipfile.ZipInfo) -> tuple[int, int]:
    """Where `info`'s compressed bytes are, after checking its local header agrees with the
    index. zipfile trusts the index; an unzip tool may trust the local header; a pack whose
    two say different things is refused, so every reader sees the same files."""
    name = info.orig_filename
    start = info.header_offset
    if start < 0 or start + _LOCAL_HEADER.size > len(data):
        raise PackRefused("the archive is cut short or damaged")
    magic, _, flags, method, _, _, crc, csize, usize, name_len, extra_len = (
        _LOCAL_HEADER.unpack_from(data, start)
    )
    begin = start + _LOCAL_HEADER.size
    raw_name = data[begin : begin + name_len]
    expected = name.encode("utf-8" if info.flag_bits & _UTF8_NAME else "cp437")
    if (
        magic != _LOCAL_MAGIC
        or raw_name != expected
        or method != info.compress_type
        or (flags & _ENCRYPTED) != (info.flag_bits & _ENCRYPTED)
    ):
        raise PackRefused(f"the archive is damaged (its index and '{shown(name)}' disagree)")
    if not flags & _DATA_DESCRIPTOR and _UNKNOWN_SIZE not in (csize, usize):
        if (csize, usize) != (info.compress_size, info.file_size):
            raise PackRefused(f"'{shown(name)}' is not the size the archive says it is")
        if crc != info.CRC:
            raise PackRefused(f"the archive is damaged (its index and '{shown(name)}' disagree)")
    first = begin + name_len + extra_len
    end = first + info.compress_size
    if end > len(data):
        raise PackRefused("the archive is cut short or damaged")
    return start, end


def _inflate(name: str, packed: bytes, method: int, size: int) -> bytes:
    if method == _STORED:
        if len(packed) != size:
            raise PackRefused(f"'{shown(name)}' is not the size the archive says it is")
        return packed
    inflater = zlib.decompressobj(-zlib.MAX_WBITS)
    try:
        # One byte more than promised is enough to know the promise was false.
        out = inflater.decompress(packed, size + 1)
    except zlib.error:
        raise PackRefused(f"'{shown(name)}' is damaged (it cannot be decompressed)") from None
    if len(out) != size or not inflater.eof or inflater.unused_data or inflater.unconsumed_tail:
        raise PackRefused(f"'{shown(name)}' is not the size the archive says it is")
    return out


def read_archive(data: bytes) -> dict[str, bytes]:
    """Every file in the zip `data`, by name, after every safety rule has passed; folder
    entries are left out. Raises PackRefused with the first rule broken."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError, struct.error):
        # UnicodeDecodeError (a name that is not UTF-8) is a ValueError.
        raise PackRefused(
            "the file is not a topic pack (not a zip archive, or cut short)"
        ) from None
    _check_index(infos)

    spans = [_data_span(data, info) for info in infos]
    # Entries that share compressed bytes multiply one payload many times (the "overlapping
    # files" zip bomb); no zip tool writes them.
    if any(a[1] > b[0] for a, b in itertools.pairwise(sorted(spans))):
        raise PackRefused("the archive is damaged (two of its entries overlap)")

    files: dict[str, bytes] = {}
    for info, (_, end) in zip(infos, spans, strict=True):
        if info.orig_filename.endswith("/"):
            continue
        packed = data[end - info.compress_size : end]
        out = _inflate(info.orig_filename, packed, info.compress_type, info.file_size)
        if zlib.crc32(out) != info.CRC:
            raise PackRefused(
                f"'{shown(info.orig_filename)}' is damaged (its checksum does not match)"
            )
        files[info.orig_filename] = out

    for name, content in files.items():
        if name.startswith("media/") and (reason := image_problem(name, content)):
            raise PackRefused(f"'{shown(name)}' {reason}")
    return files
