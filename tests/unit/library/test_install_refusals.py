"""Issue 4: every refusal leaves the installed library byte-for-byte unchanged.

Each case is one hostile (or merely wrong) pack file, with its .minisig, on a folder standing in
for the USB stick, offered to a library that holds a good signed pack of the same id at version
2 (and version 1 kept as previous), both installed through `install_archive`. The pack is
refused with one line that names the problem, and afterwards every path, link and byte of the
library is as it was, and nothing is left in staging.

The hostile archives are built with tests/unit/packs/zips.py and signed with real minisign
keys (tests/unit/packs/keys.py): a trusted publisher's signature does not make a hostile
archive safe, because a key can be stolen. Cases that are about the archive, not the version,
say they are version 3, so that being hostile is their only problem.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

import pytest

from kiosk.library.installer import install_archive
from kiosk.library.store import AlreadyInstalled, InstalledPack, LibraryRefused, LibraryStore
from kiosk.packs.archive import MAX_ENTRIES, MAX_FILE_BYTES
from kiosk.packs.delivery import Trust
from kiosk.packs.signing import sign_bytes
from tests.unit.library.snapshots import snapshot
from tests.unit.packs.keys import Key, make_key
from tests.unit.packs.zips import (
    SYMLINK,
    Entry,
    jpeg_claiming,
    png_claiming,
    raw_zip,
    tool_zip,
    with_hashes,
)

PACK = "org.example.test"
OTHER = "org.example.other"
NEWER = 3  # the version hostile cases claim: newer than the installed 2, so only hostility is wrong

TopicMd = Callable[..., str]


@dataclass(frozen=True)
class Signers:
    publisher: Key  # trusted
    stranger: Key  # not trusted
    revoked: Key  # trusted, and revoked too: revocation wins


@pytest.fixture(scope="module")
def signers(tmp_path_factory: pytest.TempPathFactory) -> Signers:
    folder = tmp_path_factory.mktemp("keys")
    return Signers(*(make_key(folder / name) for name in ("publisher", "stranger", "revoked")))


@pytest.fixture
def trust(signers: Signers) -> Trust:
    return Trust(
        trusted_keys=(signers.publisher.pub, signers.revoked.pub),
        revoked_keys=(signers.revoked.pub,),
        require_signature=True,
    )


def manifest(version: int = NEWER, pack_id: str = PACK) -> str:
    return (
        f'format = 1\nid = "{pack_id}"\nversion = {version}\ntitle = "Test pack {version}"\n'
        'languages = ["en"]\npublisher = "Test clinic"\n'
    )


def claim(version: int = NEWER, pack_id: str = PACK) -> str:
    """The trusted comment a signature on that pack carries."""
    return f"topicpack id={pack_id} version={version}"


class Stick:
    """A folder standing in for a USB stick, and the means to put pack files on it."""

    def __init__(self, folder: Path, signers: Signers, topic_md: TopicMd, png: bytes) -> None:
        self.folder = folder
        self.signers = signers
        self._topic_md = topic_md
        self.png = png

    def topic(self, topic_id: str, body: str = "") -> bytes:
        return self._topic_md(topic_id, body=body).encode()

    def files(self, version: int = NEWER, *, extra: str = "") -> dict[str, bytes]:
        """A good pack's files (pack.toml aside): one topic linking another, and an image."""
        return {
            "topics/a.md": self.topic(
                "a", f"Version {version}{extra}. See [b](topic:b).\n\n![A picture](media/x.png)"
            ),
            "topics/b.md": self.topic("b", f"Version {version}{extra}, topic b."),
            "media/x.png": self.png,
        }

    def packed(
        self,
        files: Mapping[str, bytes],
        *,
        version: int = NEWER,
        pack_toml: str | None = None,
        listed: Mapping[str, bytes] | None = None,
    ) -> bytes:
        """An honest zip of `files` and a pack.toml listing the hashes of `listed` (default:
        `files`) for a pack of `version`, unless `pack_toml` gives pack.toml's whole text."""
        text = pack_toml or with_hashes(manifest(version), files if listed is None else listed)
        return tool_zip({"pack.toml": text.encode(), **files})

    def hostile(self, *extra: Entry) -> bytes:
        """A good version-3 pack, byte by byte, with `extra` entries after its own."""
        files = self.files()
        everything = {"pack.toml": with_hashes(manifest(), files).encode(), **files}
        return raw_zip([Entry(name, data) for name, data in everything.items()] + list(extra))

    def put(
        self,
        data: bytes,
        *,
        version: int = NEWER,
        comment: str | None = None,
        key: Key | None = None,
        signed: bool = True,
        name: str | None = None,
    ) -> Path:
        """Write the archive as `name` (default: `ID-VERSION.topicpack`) and, unless `signed`
        is False, its .minisig beside it, signed by `key` (default: the trusted publisher's)."""
        path = self.folder / (name or f"{PACK}-{version}.topicpack")
        path.write_bytes(data)
        if signed:
            signer = key or self.signers.publisher
            text = sign_bytes(data, signer.key_file, None, comment or claim(version))
            signature_of(path).write_text(text)
        return path

    def good(
        self,
        version: int = NEWER,
        *,
        comment: str | None = None,
        key: Key | None = None,
        signed: bool = True,
        name: str | None = None,
    ) -> Path:
        """A good pack of `version`, put on the stick as `put` does."""
        data = self.packed(self.files(version), version=version)
        return self.put(data, version=version, comment=comment, key=key, signed=signed, name=name)


def signature_of(archive: Path) -> Path:
    return archive.with_name(archive.name + ".minisig")


@pytest.fixture
def stick(tmp_path: Path, signers: Signers, topic_md: TopicMd, png: bytes) -> Stick:
    folder = tmp_path / "stick"
    folder.mkdir()
    return Stick(folder, signers, topic_md, png)


@pytest.fixture
def store(tmp_path: Path, stick: Stick, trust: Trust) -> LibraryStore:
    """A library holding version 2 of PACK, with version 1 kept as previous, both installed
    off the stick the way staff install them. The stick is left empty."""
    library = LibraryStore(tmp_path / "data" / "library")
    for version in (1, 2):
        archive = stick.good(version)
        install_archive(library, archive, trust)
        archive.unlink()
        signature_of(archive).unlink()
    installed = library.get(PACK)
    assert installed is not None
    assert (installed.version, installed.previous_version) == (2, 1)
    return library


# --- the cases ------------------------------------------------------------------------------

Build = Callable[[Stick], Path]


def flipped(where: float) -> Build:
    """A good pack with one bit of the archive flipped after it was signed."""

    def build(stick: Stick) -> Path:
        archive = stick.good()
        data = bytearray(archive.read_bytes())
        data[min(int(len(data) * where), len(data) - 1)] ^= 0x01
        archive.write_bytes(bytes(data))
        return archive

    return build


def cut_archive(stick: Stick) -> Path:
    archive = stick.good()
    archive.write_bytes(archive.read_bytes()[:-100])
    return archive


def cut_then_signed(stick: Stick) -> Path:
    """Cut short before signing: the signature matches, the zip reader must catch it."""
    data = stick.packed(stick.files())
    return stick.put(data[: len(data) // 2])


def damaged_signature(damage: Callable[[str], str]) -> Build:
    def build(stick: Stick) -> Path:
        archive = stick.good()
        signature = signature_of(archive)
        signature.write_text(damage(signature.read_text()))
        return archive

    return build


def other_char(text: str, at: int) -> str:
    return text[:at] + ("A" if text[at] != "A" else "B") + text[at + 1 :]


def changed_signature_line(text: str) -> str:
    """One character of the Ed25519 signature itself (past the algorithm and key ID)."""
    lines = text.splitlines()
    lines[1] = other_char(lines[1], 40)
    return "\n".join(lines) + "\n"


def flipped_trusted_comment(text: str) -> str:
    """One bit flipped in the trusted comment: 'example' becomes 'dxample'."""
    at = text.index("\ntrusted comment: ") + len("\ntrusted comment: topicpack id=org.")
    assert text[at] == "e"
    return text[:at] + chr(ord(text[at]) ^ 0x01) + text[at + 1 :]


def with_topic_body(body: str) -> Build:
    """A good signed version-3 pack whose topic a has `body`."""

    def build(stick: Stick) -> Path:
        files = stick.files()
        files["topics/a.md"] = stick.topic("a", body)
        return stick.put(stick.packed(files))

    return build


def with_front_matter(old: bytes, new: bytes) -> Build:
    """A good signed version-3 pack with `old` replaced by `new` in topic a's front matter."""

    def build(stick: Stick) -> Path:
        files = stick.files()
        assert old in files["topics/a.md"]
        files["topics/a.md"] = files["topics/a.md"].replace(old, new, 1)
        return stick.put(stick.packed(files))

    return build


def with_media(name: str, data: bytes) -> Build:
    def build(stick: Stick) -> Path:
        return stick.put(stick.packed({**stick.files(), name: data}))

    return build


def listed_but_missing(stick: Stick) -> Path:
    listed = stick.files()
    files = dict(listed)
    del files["media/x.png"]
    return stick.put(stick.packed(files, listed=listed))


def not_listed(stick: Stick) -> Path:
    listed = stick.files()
    files = {**listed, "topics/c.md": stick.topic("c")}
    return stick.put(stick.packed(files, listed=listed))


def hash_mismatch(stick: Stick) -> Path:
    listed = stick.files()
    files = {**listed, "topics/b.md": stick.topic("b", "Changed after the hashes were made.")}
    return stick.put(stick.packed(files, listed=listed))


def with_pack_toml(text: str | bytes | None) -> Build:
    """A good pack whose pack.toml is `text` as it is (None: no pack.toml at all)."""

    def build(stick: Stick) -> Path:
        files: dict[str, bytes] = stick.files()
        if text is not None:
            files["pack.toml"] = text.encode() if isinstance(text, str) else text
        return stick.put(tool_zip(files))

    return build


def hostile(*entries: Entry) -> Build:
    return lambda stick: stick.put(stick.hostile(*entries))


def duplicates(first: str, second: str) -> Build:
    """Both names next to a good pack's files (hashes are checked after names)."""
    return hostile(Entry(first, b"one"), Entry(second, b"two"))


def zip_bomb_by_total(stick: Stick) -> Path:
    """33 files the index says are 16 MiB each, compressed only 80 to 1."""
    packed = bytes(MAX_FILE_BYTES // 80)
    entries = [
        Entry(f"topics/t{n}.md", packed=packed, size=MAX_FILE_BYTES, crc=0) for n in range(33)
    ]
    return stick.put(stick.hostile(*entries))


def too_many_entries(stick: Stick) -> Path:
    """One more than the limit, counting the good pack's own four."""
    extra = MAX_ENTRIES + 1 - 4
    entries = [Entry(f"topics/t{n}.md", method=zipfile.ZIP_STORED) for n in range(extra)]
    return stick.put(stick.hostile(*entries))


def older(stick: Stick) -> Path:
    """Version 1 as it was, signed and sound: just older than what is installed."""
    return stick.good(1)


def same_version_other_files(stick: Stick) -> Path:
    data = stick.packed(stick.files(2, extra=" changed"), version=2)
    return stick.put(data, version=2)


def other_id_in_manifest(stick: Stick) -> Path:
    """Signed as PACK version 3, but pack.toml says it is another pack."""
    files = stick.files()
    return stick.put(stick.packed(files, pack_toml=with_hashes(manifest(pack_id=OTHER), files)))


def other_version_in_manifest(stick: Stick) -> Path:
    """Signed as version 3, but pack.toml says it is version 4."""
    return stick.put(stick.packed(stick.files(), version=4), comment=claim(3))


REAL = b"Text " * 1000

# Text from the pack (inline HTML over two lines, a front-matter "\n" escape, a file name
# with a newline or U+2028) must not break the one line staff read: those cases are below.
NAME_REFUSED = "unsafe file name in the archive: "
SPECIAL = "is a special file (a device, pipe or socket); a topic pack holds only plain files"
SAME_NAME = "which are the same name on some computers"
SIZE_LIES = "'topics/c.md' is not the size the archive says it is"
NOT_ALLOWED = "is not allowed: links must be topic:ID"
NOT_SHOWN = "is not allowed: images must be PNG or JPEG files in the pack's media/ folder"

CASES = [
    # --- the signature ---
    pytest.param(
        lambda s: s.good(signed=False),
        f"not signed: there is no {PACK}-3.topicpack.minisig beside it",
        id="unsigned-when-required",
    ),
    pytest.param(
        lambda s: s.good(signed=False, name="new\nleaflets.topicpack"),
        "not signed: there is no new",
        id="unsigned-newline-in-file-name",
    ),
    pytest.param(
        lambda s: s.good(signed=False, name="new\u2028leaflets.topicpack"),
        "not signed: there is no new",
        id="unsigned-line-separator-in-file-name",
    ),
    pytest.param(
        lambda s: s.good(key=s.signers.stranger),
        "signed by an unknown key (ID ",
        id="unknown-key",
    ),
    pytest.param(
        lambda s: s.good(key=s.signers.revoked),
        "signed by a revoked key (ID ",
        id="revoked-key",
    ),
    pytest.param(flipped(0.0), "the signature does not match the file", id="flipped-byte-first"),
    pytest.param(flipped(0.5), "the signature does not match the file", id="flipped-byte-middle"),
    pytest.param(flipped(1.0), "the signature does not match the file", id="flipped-byte-last"),
    pytest.param(
        damaged_signature(changed_signature_line),
        "the signature does not match the file",
        id="flipped-byte-in-signature",
    ),
    pytest.param(
        damaged_signature(flipped_trusted_comment),
        "the signature does not match the file",
        id="flipped-byte-in-trusted-comment",
    ),
    pytest.param(cut_archive, "the signature does not match the file", id="truncated-archive"),
    pytest.param(
        cut_then_signed,
        "the file is not a topic pack (not a zip archive, or cut short)",
        id="truncated-archive-then-signed",
    ),
    pytest.param(
        damaged_signature(lambda text: text[: len(text) // 2]),
        "the signature file is damaged",
        id="truncated-signature",
    ),
    pytest.param(
        damaged_signature(lambda text: ""),
        "the signature file is damaged",
        id="empty-signature",
    ),
    pytest.param(
        lambda s: s.good(comment="timestamp:1700000000\tfile:x.topicpack"),
        "the signature does not name the pack",
        id="trusted-comment-names-no-pack",
    ),
    pytest.param(
        lambda s: s.good(comment=claim(pack_id=OTHER)),
        f"the signature is for {OTHER} version 3, but the pack says it is {PACK} version 3",
        id="trusted-comment-other-id",
    ),
    pytest.param(
        other_id_in_manifest,
        f"the signature is for {PACK} version 3, but the pack says it is {OTHER} version 3",
        id="manifest-other-id",
    ),
    pytest.param(
        lambda s: s.good(comment=claim(4)),
        f"the signature is for {PACK} version 4, but the pack says it is {PACK} version 3",
        id="trusted-comment-other-version",
    ),
    pytest.param(
        other_version_in_manifest,
        f"the signature is for {PACK} version 3, but the pack says it is {PACK} version 4",
        id="manifest-other-version",
    ),
    # --- versions ---
    pytest.param(
        older,
        f"version 1 of {PACK} is older than the installed version 2",
        id="lower-version-than-installed",
    ),
    pytest.param(
        same_version_other_files,
        f"same version, different content: version 2 of {PACK} is already installed",
        id="same-version-different-content",
    ),
    # --- names ---
    pytest.param(
        hostile(Entry("../evil.md")),
        f"{NAME_REFUSED}'../evil.md' (it points outside the pack)",
        id="name-dot-dot",
    ),
    pytest.param(
        hostile(Entry("topics/../../etc/x.md")),
        f"{NAME_REFUSED}'topics/../../etc/x.md' (it points outside the pack)",
        id="name-dot-dot-inside",
    ),
    pytest.param(
        hostile(Entry("/etc/cron.d/x")),
        f"{NAME_REFUSED}'/etc/cron.d/x' (it is an absolute path)",
        id="name-absolute",
    ),
    pytest.param(
        hostile(Entry("..\\..\\evil.md")),
        f"{NAME_REFUSED}'..\\..\\evil.md' (it contains a backslash)",
        id="name-backslash",
    ),
    pytest.param(
        hostile(Entry("topics/c.md\0.png")),
        f"{NAME_REFUSED}'topics/c.md\\x00.png' (it contains a NUL character)",
        id="name-nul",
    ),
    # --- links and special files ---
    pytest.param(
        hostile(Entry("media/y.png", b"/etc/passwd", mode=SYMLINK)),
        "'media/y.png' is a symbolic link; a topic pack holds only plain files",
        id="symlink",
    ),
    pytest.param(hostile(Entry("media/y.png", mode=0o010644)), SPECIAL, id="special-fifo"),
    pytest.param(hostile(Entry("media/y.png", mode=0o020644)), SPECIAL, id="special-char-device"),
    pytest.param(hostile(Entry("media/y.png", mode=0o060644)), SPECIAL, id="special-block-device"),
    pytest.param(hostile(Entry("media/y.png", mode=0o140644)), SPECIAL, id="special-socket"),
    # --- duplicates ---
    pytest.param(
        hostile(Entry("topics/a.md", b"other")),
        "the archive holds 'topics/a.md' twice",
        id="duplicate-exact",
    ),
    pytest.param(
        hostile(Entry("topics/A.md")),
        f"the archive holds both 'topics/a.md' and 'topics/A.md', {SAME_NAME}",
        id="duplicate-case",
    ),
    pytest.param(
        duplicates("topics/strasse.md", "topics/STRAßE.md"),
        f"the archive holds both 'topics/strasse.md' and 'topics/STRAßE.md', {SAME_NAME}",
        id="duplicate-casefold",
    ),
    pytest.param(
        duplicates("topics/caf\u00e9.md", "topics/cafe\u0301.md"),
        f"the archive holds both 'topics/caf\u00e9.md' and 'topics/cafe\u0301.md', {SAME_NAME}",
        id="duplicate-nfc",
    ),
    # --- sizes ---
    pytest.param(
        hostile(Entry("topics/c.md", bytes(4 * 1024 * 1024))),
        "'topics/c.md' would expand more than 100 times (a zip bomb)",
        id="zip-bomb-ratio",
    ),
    pytest.param(
        zip_bomb_by_total,
        "the files in the archive add up to more than 512 MiB",
        id="zip-bomb-total-size",
    ),
    pytest.param(
        hostile(Entry("topics/c.md", REAL, size=50, local_size=50)),
        SIZE_LIES,
        id="size-lies-in-both-headers",
    ),
    pytest.param(
        hostile(Entry("topics/c.md", REAL, local_size=len(REAL) * 50)),
        SIZE_LIES,
        id="size-lies-in-local-header",
    ),
    pytest.param(
        too_many_entries,
        f"the archive holds {MAX_ENTRIES + 1:,} entries; a topic pack may hold at most "
        f"{MAX_ENTRIES:,}",
        id="too-many-entries",
    ),
    # --- encryption and compression ---
    pytest.param(
        hostile(Entry("media/y.png", flags=0x01)),
        "'media/y.png' is encrypted; a topic pack cannot be",
        id="encrypted-traditional",
    ),
    pytest.param(
        hostile(Entry("media/y.png", flags=0x41)),
        "'media/y.png' is encrypted; a topic pack cannot be",
        id="encrypted-strong",
    ),
    pytest.param(
        hostile(Entry("media/y.png", method=zipfile.ZIP_BZIP2, packed=b"BZh9")),
        "'media/y.png' is compressed with bzip2; a topic pack may only use deflate",
        id="compression-bzip2",
    ),
    pytest.param(
        hostile(Entry("media/y.png", method=zipfile.ZIP_LZMA, packed=bytes(8))),
        "'media/y.png' is compressed with LZMA; a topic pack may only use deflate",
        id="compression-lzma",
    ),
    # --- pack.toml and the hashes ---
    pytest.param(
        listed_but_missing,
        "'media/x.png' is listed in pack.toml but not in the pack",
        id="file-missing-from-pack",
    ),
    pytest.param(
        not_listed,
        "'topics/c.md' is in the pack but not listed in pack.toml",
        id="file-not-in-manifest",
    ),
    pytest.param(
        hash_mismatch,
        "'topics/b.md' does not match its sha256 in pack.toml",
        id="hash-mismatch",
    ),
    pytest.param(
        with_pack_toml(manifest().replace('title = "Test pack 3"', "title = Test pack")),
        "pack.toml: broken pack.toml: Invalid value (at line 4, column 9)",
        id="manifest-broken-toml",
    ),
    pytest.param(
        with_pack_toml(manifest().replace("format = 1", "format = 2")),
        "pack.toml: format must be 1",
        id="manifest-wrong-format",
    ),
    pytest.param(
        with_pack_toml(manifest().replace("Test clinic", "Clinique \xe9t\xe9").encode("latin-1")),
        "pack.toml is not UTF-8 text",
        id="manifest-not-utf8",
    ),
    pytest.param(with_pack_toml(None), "the pack has no pack.toml", id="manifest-missing"),
    # --- what a topic may hold ---
    pytest.param(
        with_topic_body("Some <b>bold</b> text."),
        "topics/a.md:13: raw HTML is not allowed: <b>",
        id="markdown-inline-html",
    ),
    pytest.param(
        with_topic_body("Some <b\nonclick=alert(1)>bold</b> text."),
        "topics/a.md:13: raw HTML is not allowed: <b",
        id="markdown-inline-html-over-two-lines",
    ),
    pytest.param(
        with_topic_body("<script>alert(1)</script>"),
        "topics/a.md:13: raw HTML is not allowed",
        id="markdown-script-block",
    ),
    pytest.param(
        with_topic_body("[Click](javascript:alert(1))"),
        f"topics/a.md:13: link 'javascript:alert(1)' {NOT_ALLOWED}",
        id="markdown-javascript-link",
    ),
    pytest.param(
        with_topic_body("[Your files](file:///etc/passwd)"),
        f"topics/a.md:13: link 'file:///etc/passwd' {NOT_ALLOWED}",
        id="markdown-file-link",
    ),
    pytest.param(
        with_topic_body("![Tracker](https://example.org/pixel.png)"),
        f"topics/a.md:13: image 'https://example.org/pixel.png' {NOT_SHOWN}",
        id="markdown-remote-image",
    ),
    pytest.param(
        with_topic_body("![Outside](../../x.png)"),
        f"topics/a.md:13: image '../../x.png' {NOT_SHOWN}",
        id="markdown-image-outside-pack",
    ),
    pytest.param(
        with_topic_body("![Outside](media/../pack.png)"),
        f"topics/a.md:13: image 'media/../pack.png' {NOT_SHOWN}",
        id="markdown-image-dot-dot",
    ),
    pytest.param(
        with_topic_body("![Gone](media/gone.png)"),
        "topics/a.md:13: image 'media/gone.png' is missing from the pack",
        id="markdown-image-not-in-pack",
    ),
    pytest.param(
        with_front_matter(b'id = "a"', b'id = "a\\nb"'),
        "topics/a.md:2: id 'a",
        id="front-matter-id-with-newline",
    ),
    pytest.param(
        with_front_matter(b'language = "en"', b'language = "e\\nn"'),
        "topics/a.md:5: language 'e",
        id="front-matter-language-with-newline",
    ),
    pytest.param(
        with_front_matter(b"related = []", b'related = ["b\\nc"]'),
        "topics/a.md:6: related id 'b",
        id="front-matter-related-with-newline",
    ),
    pytest.param(
        with_front_matter(b"+++\n", b'+++\n"x\\ny" = 1\n'),
        "topics/a.md: unknown front matter field 'x",
        id="front-matter-unknown-key-with-newline",
    ),
    # --- images ---
    pytest.param(
        with_media("media/x.png", png_claiming(50_000, 50_000)),
        "'media/x.png' claims 50000 x 50000 pixels, too large to show safely (an image bomb)",
        id="image-bomb-png",
    ),
    pytest.param(
        with_media("media/y.jpg", jpeg_claiming(60_000, 60_000)),
        "'media/y.jpg' claims 60000 x 60000 pixels, too large to show safely (an image bomb)",
        id="image-bomb-jpeg",
    ),
    pytest.param(
        with_media("media/x.png", b"<svg onload=alert(1)>"),
        "'media/x.png' is not a real PNG file",
        id="text-renamed-png",
    ),
    pytest.param(
        with_media("media/y.jpg", b"MZ\x90\x00 a program renamed .jpg"),
        "'media/y.jpg' is not a real JPEG file",
        id="program-renamed-jpg",
    ),
]


@pytest.mark.parametrize(("build", "problem"), CASES)
def test_refused_with_one_line_and_the_library_is_unchanged(
    store: LibraryStore, stick: Stick, trust: Trust, build: Build, problem: str
) -> None:
    archive = build(stick)
    before = snapshot(store.root)
    on_stick = snapshot(stick.folder)

    with pytest.raises(LibraryRefused) as refused:
        install_archive(store, archive, trust)

    # The library first: a refusal with a poor message must still change nothing.
    assert snapshot(store.root) == before
    assert list(store.staging_dir.iterdir()) == []
    assert snapshot(stick.folder) == on_stick, "the stick is only read"
    message = str(refused.value)
    assert not isinstance(refused.value, AlreadyInstalled)
    assert problem in message
    assert str(store.root) not in message, "staff never saw the staging folder"
    assert message == message.strip()
    assert message.splitlines() == [message], f"not one line: {message!r}"


def test_the_same_pack_without_the_hostile_part_installs(
    store: LibraryStore, stick: Stick, trust: Trust
) -> None:
    """The control: what the cases start from is a pack the library takes."""
    installed = install_archive(store, stick.good(), trust)
    assert installed == InstalledPack(
        PACK, 3, "Test pack 3", store.packs_dir / PACK / "v3", previous_version=2
    )
    assert list(store.staging_dir.iterdir()) == []


def test_hostile_entries_are_added_to_a_pack_the_library_takes(
    stick: Stick, trust: Trust, store: LibraryStore
) -> None:
    """`Stick.hostile()` with nothing added is a good pack, so each hostile entry is the only
    thing wrong with its case."""
    installed = install_archive(store, stick.put(stick.hostile()), trust)
    assert (installed.version, installed.previous_version) == (3, 2)
