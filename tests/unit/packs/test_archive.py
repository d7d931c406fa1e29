"""Reading an untrusted zip: every rule, each refusal with the one line staff read.

The archives are real zip bytes: honest ones from zipfile, hostile ones written byte by byte
(tests/unit/packs/zips.py) where no zip tool would write them.
"""

from __future__ import annotations

import zipfile

import pytest

from kiosk.packs.archive import (
    MAX_ENTRIES,
    MAX_FILE_BYTES,
    RATIO_FLOOR,
    PackRefused,
    read_archive,
)
from tests.unit.packs.zips import (
    FOLDER,
    LOCAL,
    SYMLINK,
    Entry,
    deflate,
    jpeg_claiming,
    png_claiming,
    raw_zip,
    tool_zip,
)

NOT_A_PACK = "the file is not a topic pack (not a zip archive, or cut short)"
TOPIC = b"+++\nid = 'a'\n+++\n"


def refusal(data: bytes) -> str:
    with pytest.raises(PackRefused) as caught:
        read_archive(data)
    return str(caught.value)


# --- what is let through --------------------------------------------------------------------


def test_honest_zip_gives_every_file(png: bytes, jpeg: bytes) -> None:
    files = {
        "pack.toml": b"format = 1\n",
        "topics/a.md": TOPIC,
        "media/x.png": png,
        "media/y.JPG": jpeg,
    }
    assert read_archive(tool_zip(files)) == files


def test_stored_entries_and_folder_entries(png: bytes) -> None:
    data = raw_zip(
        [
            Entry("topics/", mode=FOLDER, method=zipfile.ZIP_STORED),
            Entry("media/", mode=FOLDER, method=zipfile.ZIP_STORED),
            Entry("topics/a.md", TOPIC, method=zipfile.ZIP_STORED),
            Entry("media/x.png", png, method=zipfile.ZIP_STORED),
        ]
    )
    assert read_archive(data) == {"topics/a.md": TOPIC, "media/x.png": png}


def test_zip_without_unix_file_types_is_read() -> None:
    """Zips made on Windows carry no file type bits at all."""
    assert read_archive(raw_zip([Entry("topics/a.md", TOPIC, mode=0)])) == {"topics/a.md": TOPIC}


def test_exactly_the_entry_limit_is_read() -> None:
    files = {f"topics/t{n}.md": b"x" for n in range(MAX_ENTRIES)}
    assert len(read_archive(tool_zip(files))) == MAX_ENTRIES


def test_a_megabyte_may_compress_well() -> None:
    """The ratio cap is for big files: a 1 MiB page of spaces is not a bomb."""
    data = b" " * RATIO_FLOOR
    assert read_archive(raw_zip([Entry("topics/a.md", data)])) == {"topics/a.md": data}


def test_largest_image_the_kiosk_will_show() -> None:
    files = {"media/wide.png": png_claiming(8000, 5000), "media/tall.jpg": jpeg_claiming(10, 8000)}
    assert read_archive(tool_zip(files)) == files


# --- not a zip ------------------------------------------------------------------------------


def test_not_a_zip() -> None:
    assert refusal(b"This is a text file renamed to .topicpack\n") == NOT_A_PACK


def test_empty_file() -> None:
    assert refusal(b"") == NOT_A_PACK


@pytest.mark.parametrize("keep", [0.5, 0.99], ids=["half", "last-bytes-missing"])
def test_truncated_archive(keep: float) -> None:
    data = tool_zip({"pack.toml": b"format = 1\n", "topics/a.md": TOPIC * 50})
    assert refusal(data[: int(len(data) * keep)]) == NOT_A_PACK


def test_archive_whose_index_points_past_the_end() -> None:
    data = raw_zip([Entry("topics/a.md", TOPIC)])
    index_at = data.rindex(b"PK\x01\x02")
    # Move the entry's offset (the last 4 bytes of the fixed central record) past the end.
    patched = (
        data[: index_at + 42] + (len(data) + 100).to_bytes(4, "little") + data[index_at + 46 :]
    )
    assert refusal(patched) == "the archive is cut short or damaged"


# --- names ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "shown", "reason"),
    [
        ("../evil.md", "../evil.md", "it points outside the pack"),
        ("topics/../../etc/x.md", "topics/../../etc/x.md", "it points outside the pack"),
        ("..", "..", "it points outside the pack"),
        ("/etc/passwd", "/etc/passwd", "it is an absolute path"),
        ("topics\\a.md", "topics\\a.md", "it contains a backslash"),
        ("..\\..\\evil.md", "..\\..\\evil.md", "it contains a backslash"),
        ("topics/a.md\0.png", "topics/a.md\\x00.png", "it contains a NUL character"),
        ("C:/Windows/evil.md", "C:/Windows/evil.md", "it starts with a drive letter"),
        ("topics//a.md", "topics//a.md", "it has an empty or '.' part"),
        ("./pack.toml", "./pack.toml", "it has an empty or '.' part"),
        ("topics/a\n.md", "topics/a\\x0a.md", "it contains a control character"),
        ("", "", "it is empty"),
    ],
    ids=[
        "dot-dot",
        "dot-dot-inside",
        "dot-dot-alone",
        "absolute",
        "backslash",
        "backslash-dot-dot",
        "nul",
        "drive-letter",
        "empty-part",
        "dot-part",
        "newline",
        "empty",
    ],
)
def test_unsafe_names(name: str, shown: str, reason: str) -> None:
    assert refusal(raw_zip([Entry(name, TOPIC)])) == (
        f"unsafe file name in the archive: '{shown}' ({reason})"
    )


@pytest.mark.parametrize(
    "name",
    [
        "README.txt",
        "topics/sub/a.md",
        "topics/a.txt",
        "topics/A.MD",
        "topics/.hidden.md",
        "media/x.gif",
        "media/x.svg",
        "media/sub/x.png",
        "scripts/install.sh",
        "pack.toml.bak",
    ],
)
def test_files_a_pack_may_not_hold(name: str) -> None:
    assert refusal(raw_zip([Entry(name, b"x")])) == (
        f"'{name}' is not allowed in a topic pack "
        "(only pack.toml, topics/*.md and media/*.png or *.jpg)"
    )


@pytest.mark.parametrize("name", ["other/", "topics/sub/", "media/x/"])
def test_folders_a_pack_may_not_hold(name: str) -> None:
    entry = Entry(name, mode=FOLDER, method=zipfile.ZIP_STORED)
    assert refusal(raw_zip([entry])) == f"'{name}' is not allowed in a topic pack"


def test_local_header_with_another_name() -> None:
    """zipfile reads the index; an unzip tool may read the entry's own header. A pack must say
    the same to both."""
    data = raw_zip([Entry("topics/a.md", TOPIC, local_name=b"../../a.md")])
    assert refusal(data) == "the archive is damaged (its index and 'topics/a.md' disagree)"


# --- links and special files ----------------------------------------------------------------


def test_symlink() -> None:
    data = raw_zip([Entry("media/x.png", b"/etc/passwd", mode=SYMLINK)])
    assert refusal(data) == "'media/x.png' is a symbolic link; a topic pack holds only plain files"


@pytest.mark.parametrize(
    "mode", [0o020644, 0o060644, 0o010644, 0o140644], ids=["char-device", "block", "fifo", "socket"]
)
def test_special_entries(mode: int) -> None:
    assert refusal(raw_zip([Entry("topics/a.md", TOPIC, mode=mode)])) == (
        "'topics/a.md' is a special file (a device, pipe or socket); "
        "a topic pack holds only plain files"
    )


def test_file_that_says_it_is_a_folder() -> None:
    assert refusal(raw_zip([Entry("topics/a.md", TOPIC, mode=FOLDER)])) == (
        "'topics/a.md' is a special file (a device, pipe or socket); "
        "a topic pack holds only plain files"
    )


# --- duplicates -----------------------------------------------------------------------------


def test_same_name_twice() -> None:
    data = raw_zip([Entry("topics/a.md", TOPIC), Entry("topics/a.md", b"other")])
    assert refusal(data) == "the archive holds 'topics/a.md' twice"


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("topics/a.md", "topics/A.md"),
        ("topics/a.md", "TOPICS/a.md"),
        ("topics/strasse.md", "topics/STRAßE.md"),
        ("topics/caf\u00e9.md", "topics/cafe\u0301.md"),  # composed and decomposed é
        ("topics/caf\u00e9.md", "topics/CAFE\u0301.md"),
    ],
    ids=["case", "folder-case", "casefold", "nfc", "nfc-and-case"],
)
def test_names_that_are_one_file_on_some_disks(first: str, second: str) -> None:
    data = raw_zip([Entry(first, TOPIC), Entry(second, TOPIC)])
    assert refusal(data) == (
        f"the archive holds both '{first}' and '{second}', "
        "which are the same name on some computers"
    )


# --- encryption and compression methods -----------------------------------------------------


@pytest.mark.parametrize("flag", [0x01, 0x41], ids=["traditional", "strong"])
def test_encrypted_entry(flag: int) -> None:
    data = raw_zip([Entry("topics/a.md", TOPIC, flags=flag)])
    assert refusal(data) == "'topics/a.md' is encrypted; a topic pack cannot be"


@pytest.mark.parametrize(
    ("method", "words"),
    [(zipfile.ZIP_BZIP2, "bzip2"), (zipfile.ZIP_LZMA, "LZMA")],
)
def test_compression_methods_zip_tools_offer(method: int, words: str) -> None:
    data = tool_zip({"topics/a.md": TOPIC}, method=method)
    assert refusal(data) == (
        f"'topics/a.md' is compressed with {words}; "
        "a topic pack may only use deflate or no compression"
    )


@pytest.mark.parametrize(
    ("method", "words"),
    [(9, "Deflate64"), (93, "Zstandard"), (99, "AES encryption"), (77, "method 77")],
)
def test_other_compression_methods(method: int, words: str) -> None:
    data = raw_zip([Entry("topics/a.md", TOPIC, method=method, packed=b"\x00" * 8)])
    assert refusal(data) == (
        f"'topics/a.md' is compressed with {words}; "
        "a topic pack may only use deflate or no compression"
    )


# --- sizes ----------------------------------------------------------------------------------


def test_too_many_entries() -> None:
    data = raw_zip([Entry(f"topics/t{n}.md", method=zipfile.ZIP_STORED) for n in range(5_001)])
    assert refusal(data) == "the archive holds 5,001 entries; a topic pack may hold at most 5,000"


def test_file_over_16_mib() -> None:
    data = raw_zip([Entry("media/x.png", b"\x89PNG" + bytes(MAX_FILE_BYTES))])
    assert refusal(data) == "'media/x.png' is larger than 16 MiB"


def test_zip_bomb_by_ratio() -> None:
    """2 MiB of zeros deflate to about 2 KiB: a ratio of about 1,000 to 1."""
    data = raw_zip([Entry("topics/a.md", bytes(2 * 1024 * 1024))])
    assert refusal(data) == "'topics/a.md' would expand more than 100 times (a zip bomb)"


def test_zip_bomb_by_total_size() -> None:
    """33 files the index says are 16 MiB each, compressed only 80 to 1: refused from the index
    alone, before anything is decompressed."""
    packed = bytes(MAX_FILE_BYTES // 80)
    entries = [
        Entry(f"topics/t{n}.md", packed=packed, size=MAX_FILE_BYTES, crc=0) for n in range(33)
    ]
    assert refusal(raw_zip(entries)) == "the files in the archive add up to more than 512 MiB"


def test_overlapping_entries() -> None:
    """The "better zip bomb": a second entry whose bytes sit inside the first one's, so one
    payload is counted (and decompressed) many times."""
    inner = Entry("topics/b.md", TOPIC)
    inner_bytes = raw_zip([inner])
    inner_local = inner_bytes[: inner_bytes.index(b"PK\x01\x02")]
    outer = raw_zip([Entry("topics/a.md", inner_local, method=zipfile.ZIP_STORED)])
    # Add a second index record pointing at the inner header, inside the outer entry's data.
    index_at = outer.index(b"PK\x01\x02")
    end_at = outer.index(b"PK\x05\x06")
    outer_record = outer[index_at:end_at]
    inner_record = inner_bytes[inner_bytes.index(b"PK\x01\x02") : inner_bytes.index(b"PK\x05\x06")]
    inner_offset = LOCAL.size + len("topics/a.md")
    inner_record = inner_record[:42] + inner_offset.to_bytes(4, "little") + inner_record[46:]
    index = outer_record + inner_record
    end = outer[end_at:]
    end = end[:8] + (2).to_bytes(2, "little") * 2 + len(index).to_bytes(4, "little") + end[16:]
    data = outer[:index_at] + index + end
    assert refusal(data) == "the archive is damaged (two of its entries overlap)"


# --- sizes that lie ---------------------------------------------------------------------------

LIE = "'topics/a.md' is not the size the archive says it is"
REAL = TOPIC * 100


@pytest.mark.parametrize(
    "entry",
    [
        Entry("topics/a.md", REAL, size=len(TOPIC)),
        Entry("topics/a.md", REAL, size=len(REAL) + 1),
        Entry("topics/a.md", REAL, size=0),
        Entry("topics/a.md", REAL, local_size=len(REAL) * 50),
        Entry("topics/a.md", REAL, method=zipfile.ZIP_STORED, size=len(REAL) - 1),
        Entry("topics/a.md", REAL, packed=deflate(REAL) + b"trailing bytes"),
    ],
    ids=[
        "index-says-smaller",
        "index-says-larger",
        "index-says-empty",
        "local-header-disagrees",
        "stored-size-differs",
        "compressed-data-longer",
    ],
)
def test_sizes_that_lie(entry: Entry) -> None:
    if entry.size is not None and entry.local_size is None:
        entry.local_size = entry.size  # both headers tell the same lie
    assert refusal(raw_zip([entry])) == LIE


def test_lie_that_would_be_a_bomb_stops_at_the_promised_size() -> None:
    """The index promises 100 bytes; the data would inflate to 64 MiB. Decompression stops one
    byte past the promise, so the bomb never lands in memory."""
    data = raw_zip([Entry("topics/a.md", bytes(64 * 1024 * 1024), size=100, local_size=100)])
    assert refusal(data) == LIE


def test_wrong_checksum() -> None:
    data = raw_zip([Entry("topics/a.md", TOPIC, crc=12345)])
    assert refusal(data) == "'topics/a.md' is damaged (its checksum does not match)"


def test_broken_deflate_stream() -> None:
    data = raw_zip([Entry("topics/a.md", TOPIC, packed=b"\xff\xff\xff\xff")])
    assert refusal(data) == "'topics/a.md' is damaged (it cannot be decompressed)"


# --- images -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "image", "size"),
    [
        ("media/bomb.png", png_claiming(50_000, 50_000), "50000 x 50000"),
        ("media/wide.png", png_claiming(8_001, 10), "8001 x 10"),
        ("media/square.png", png_claiming(7_000, 7_000), "7000 x 7000"),
        ("media/bomb.jpg", jpeg_claiming(60_000, 60_000), "60000 x 60000"),
        ("media/tall.jpeg", jpeg_claiming(100, 9_000), "100 x 9000"),
    ],
    ids=["png-50000", "png-too-wide", "png-49-megapixels", "jpeg-60000", "jpeg-too-tall"],
)
def test_image_bomb(name: str, image: bytes, size: str) -> None:
    assert refusal(tool_zip({name: image})) == (
        f"'{name}' claims {size} pixels, too large to show safely (an image bomb)"
    )


@pytest.mark.parametrize(
    ("name", "content", "words"),
    [
        ("media/x.png", b"This is a text file, renamed.\n", "is not a real PNG file"),
        ("media/x.png", b"\xff\xd8\xff\xe0 a JPEG named .png", "is not a real PNG file"),
        ("media/x.png", b"", "is not a real PNG file"),
        ("media/x.jpg", b"\x89PNG\r\n\x1a\n a PNG named .jpg", "is not a real JPEG file"),
        ("media/x.jpg", b"GIF89a", "is not a real JPEG file"),
        (
            "media/x.png",
            b"\x89PNG\r\n\x1a\n and then no header",
            "is a damaged PNG file (it does not say its size in pixels)",
        ),
        (
            "media/x.jpg",
            b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(32) + b"\xff\xd9",
            "is a damaged JPEG file (it does not say its size in pixels)",
        ),
        (
            "media/x.png",
            png_claiming(0, 10),
            "is a damaged PNG file (it does not say its size in pixels)",
        ),
    ],
    ids=[
        "text-renamed",
        "jpeg-as-png",
        "empty",
        "png-as-jpg",
        "gif-as-jpg",
        "png-without-header",
        "jpeg-without-frame",
        "png-zero-width",
    ],
)
def test_not_the_image_its_name_says(name: str, content: bytes, words: str) -> None:
    assert refusal(tool_zip({name: content})) == f"'{name}' {words}"
