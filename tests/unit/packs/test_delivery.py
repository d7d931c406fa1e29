"""Delivery archives through the one door: verify_archive on real, signed zip files in a temp
folder standing in for the USB stick. Every refusal is the exact line staff would read."""

from __future__ import annotations

import hashlib
import os
import zipfile
from collections.abc import Callable, Mapping
from pathlib import Path

import pytest

from kiosk.packs.delivery import (
    BuildError,
    PackRefused,
    Trust,
    VerifiedPack,
    build_archive,
    inspect_archive,
    inspect_pack,
    read_unsigned,
    sign_archive,
    verify_archive,
    write_pack,
)
from kiosk.packs.manifest import Manifest
from kiosk.packs.signing import sign_bytes, sign_file
from tests.unit.packs.keys import Key, Keys
from tests.unit.packs.zips import (
    SYMLINK,
    Entry,
    png_claiming,
    raw_zip,
    tool_zip,
    with_hashes,
)

MANIFEST = """\
format = 1
id = "org.example.test"
version = 2
title = "Test pack"
languages = ["en", "es"]
publisher = "Test clinic"
"""
NAME = "org.example.test-2.topicpack"
COMMENT = "topicpack id=org.example.test version=2"


def topic(topic_id: str, *, language: str = "en", body: str = "Text of part one.") -> bytes:
    """A good topic file whose body starts on line 12."""
    return (
        f'+++\nid = "{topic_id}"\ntitle = "{topic_id.capitalize()}"\ncategory = "Tests"\n'
        f'language = "{language}"\n+++\n\nSummary.\n\n## Part one\n\n{body}\n'
    ).encode()


@pytest.fixture
def files(png: bytes) -> dict[str, bytes]:
    """The files of a good pack: two topics in two languages, one linking the other, an image."""
    return {
        "topics/a.md": topic("a", body="See [b](topic:b).\n\n![A picture](media/x.png)"),
        "topics/b.md": topic("b", language="es"),
        "media/x.png": png,
    }


Sealer = Callable[..., Path]


@pytest.fixture
def seal(tmp_path: Path, keys: Keys) -> Sealer:
    """Zip `files` (with a pack.toml listing their hashes, unless given one), write the archive
    where a stick would hold it, and sign it beside it."""
    stick = tmp_path / "stick"
    stick.mkdir()

    def make(
        files: Mapping[str, bytes] | bytes,
        *,
        manifest: str = MANIFEST,
        listed: Mapping[str, bytes] | None = None,
        comment: str = COMMENT,
        key: Key | None = None,
        signed: bool = True,
    ) -> Path:
        if isinstance(files, bytes):
            data = files
        else:
            everything = dict(files)
            if "pack.toml" not in everything:
                listing = with_hashes(manifest, files if listed is None else listed)
                everything["pack.toml"] = listing.encode()
            data = tool_zip(everything)
        path = stick / NAME
        path.write_bytes(data)
        if signed:
            signer = key or keys.publisher
            signature = sign_bytes(data, signer.key_file, None, comment)
            (stick / f"{NAME}.minisig").write_text(signature)
        return path

    return make


@pytest.fixture
def trust(keys: Keys) -> Trust:
    return Trust(trusted_keys=(keys.publisher.pub,))


def refusal(archive: Path, trust: Trust, signature: Path | None = None) -> str:
    with pytest.raises(PackRefused) as caught:
        verify_archive(archive, trust, signature=signature)
    return str(caught.value)


# --- a good pack ----------------------------------------------------------------------------


def test_good_signed_pack(seal: Sealer, files: dict[str, bytes], trust: Trust, keys: Keys) -> None:
    pack = verify_archive(seal(files), trust)
    assert pack.manifest.id == "org.example.test"
    assert pack.manifest.version == 2
    assert pack.manifest.title == "Test pack"
    assert pack.manifest.publisher == "Test clinic"
    assert pack.signer == keys.publisher.key_id
    assert pack.topic_count == 2
    assert [t.id for t in pack.topics] == ["a", "b"]
    assert pack.languages == ("en", "es")
    assert {n: d for n, d in pack.files.items() if n != "pack.toml"} == files
    assert pack.files["pack.toml"].decode() == with_hashes(MANIFEST, files)


def test_languages_are_the_topics_own(seal: Sealer, files: dict[str, bytes], trust: Trust) -> None:
    """pack.toml may promise a language no topic is in; staff are shown what is there."""
    files["topics/b.md"] = topic("b", language="fr")
    assert verify_archive(seal(files), trust).languages == ("en", "fr")


def test_signature_found_elsewhere(
    seal: Sealer, files: dict[str, bytes], trust: Trust, tmp_path: Path
) -> None:
    archive = seal(files)
    moved = tmp_path / "elsewhere.minisig"
    archive.with_name(NAME + ".minisig").rename(moved)
    assert verify_archive(archive, trust, signature=moved).manifest.id == "org.example.test"


def test_unsigned_pack_when_signatures_are_not_required(
    seal: Sealer, files: dict[str, bytes]
) -> None:
    pack = verify_archive(seal(files, signed=False), Trust(require_signature=False))
    assert pack.signer is None
    assert pack.topic_count == 2


def test_unknown_key_when_signatures_are_not_required(
    seal: Sealer, files: dict[str, bytes], keys: Keys
) -> None:
    archive = seal(files, key=keys.stranger)
    trust = Trust(trusted_keys=(keys.publisher.pub,), require_signature=False)
    assert verify_archive(archive, trust).signer is None


def test_files_cannot_be_changed_after_verification(
    seal: Sealer, files: dict[str, bytes], trust: Trust
) -> None:
    pack = verify_archive(seal(files), trust)
    with pytest.raises(TypeError):
        pack.files["topics/a.md"] = b"changed"  # type: ignore[index]


# --- signatures -----------------------------------------------------------------------------


def test_unsigned_when_signatures_are_required(
    seal: Sealer, files: dict[str, bytes], trust: Trust
) -> None:
    assert refusal(seal(files, signed=False), trust) == (
        f"not signed: there is no {NAME}.minisig beside it"
    )


def test_unknown_key(seal: Sealer, files: dict[str, bytes], trust: Trust, keys: Keys) -> None:
    archive = seal(files, key=keys.stranger)
    assert refusal(archive, trust) == f"signed by an unknown key (ID {keys.stranger.key_id})"


def test_no_trusted_keys_configured(seal: Sealer, files: dict[str, bytes], keys: Keys) -> None:
    assert refusal(seal(files), Trust()) == (
        f"signed by an unknown key (ID {keys.publisher.key_id})"
    )


def test_revoked_key(seal: Sealer, files: dict[str, bytes], keys: Keys) -> None:
    trust = Trust(trusted_keys=(keys.publisher.pub,), revoked_keys=(keys.publisher.pub,))
    assert refusal(seal(files), trust) == f"signed by a revoked key (ID {keys.publisher.key_id})"


def test_revoked_key_even_when_signatures_are_not_required(
    seal: Sealer, files: dict[str, bytes], keys: Keys
) -> None:
    trust = Trust(revoked_keys=(keys.publisher.pub,), require_signature=False)
    assert refusal(seal(files), trust) == f"signed by a revoked key (ID {keys.publisher.key_id})"


@pytest.mark.parametrize("where", [0.1, 0.5, 0.99], ids=["start", "middle", "end"])
def test_one_flipped_byte_in_the_archive(
    seal: Sealer, files: dict[str, bytes], trust: Trust, where: float
) -> None:
    archive = seal(files)
    data = bytearray(archive.read_bytes())
    data[int(len(data) * where)] ^= 0x01
    archive.write_bytes(bytes(data))
    assert refusal(archive, trust) == "the signature does not match the file"


def test_one_changed_character_in_the_signature(
    seal: Sealer, files: dict[str, bytes], trust: Trust
) -> None:
    archive = seal(files)
    signature = archive.with_name(NAME + ".minisig")
    lines = signature.read_text().splitlines()
    lines[3] = lines[3][:20] + ("A" if lines[3][20] != "A" else "B") + lines[3][21:]
    signature.write_text("\n".join(lines) + "\n")
    assert refusal(archive, trust) == "the signature does not match the file"


def test_truncated_archive(seal: Sealer, files: dict[str, bytes], trust: Trust) -> None:
    archive = seal(files)
    archive.write_bytes(archive.read_bytes()[:-100])
    assert refusal(archive, trust) == "the signature does not match the file"


@pytest.mark.parametrize(
    "damage",
    [
        lambda b: b[: len(b) // 2],
        lambda b: b"",
        lambda b: b"\xff\xfe not text",
        lambda b: b + b"x" * 20_000,
    ],
    ids=["truncated", "empty", "not-text", "huge"],
)
def test_damaged_signature(
    seal: Sealer, files: dict[str, bytes], trust: Trust, damage: Callable[[bytes], bytes]
) -> None:
    archive = seal(files)
    signature = archive.with_name(NAME + ".minisig")
    signature.write_bytes(damage(signature.read_bytes()))
    assert refusal(archive, trust) == "the signature file is damaged"


def test_trusted_comment_that_does_not_name_the_pack(
    seal: Sealer, files: dict[str, bytes], trust: Trust
) -> None:
    archive = seal(files, comment="timestamp:1700000000\tfile:org.example.test-2.topicpack")
    assert refusal(archive, trust) == (
        "the signature does not name the pack "
        "(its trusted comment should say 'topicpack id=... version=...')"
    )


@pytest.mark.parametrize(
    ("comment", "claimed"),
    [
        ("topicpack id=org.example.other version=2", "org.example.other version 2"),
        ("topicpack id=org.example.test version=1", "org.example.test version 1"),
        ("topicpack id=org.example.test version=20", "org.example.test version 20"),
    ],
    ids=["other-id", "lower-version", "other-version"],
)
def test_trusted_comment_and_manifest_disagree(
    seal: Sealer, files: dict[str, bytes], trust: Trust, comment: str, claimed: str
) -> None:
    """A publisher's signature on version 1 must not carry a pack that says it is version 2."""
    assert refusal(seal(files, comment=comment), trust) == (
        f"the signature is for {claimed}, but the pack says it is org.example.test version 2"
    )


def test_trusted_comment_may_say_more(seal: Sealer, files: dict[str, bytes], trust: Trust) -> None:
    archive = seal(files, comment=f"timestamp:1700000000\t{COMMENT}\tbuilt by the clinic")
    assert verify_archive(archive, trust).manifest.version == 2


# --- the archive itself (the same rules as test_archive.py, through the front door) ---------


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        (
            Entry("../evil.md"),
            "unsafe file name in the archive: '../evil.md' (it points outside the pack)",
        ),
        (
            Entry("/etc/cron.d/x"),
            "unsafe file name in the archive: '/etc/cron.d/x' (it is an absolute path)",
        ),
        (
            Entry("topics\\a.md"),
            "unsafe file name in the archive: 'topics\\a.md' (it contains a backslash)",
        ),
        (
            Entry("topics/a.md\0.png"),
            "unsafe file name in the archive: 'topics/a.md\\x00.png' (it contains a NUL character)",
        ),
        (
            Entry("media/y.png", b"/etc/passwd", mode=SYMLINK),
            "'media/y.png' is a symbolic link; a topic pack holds only plain files",
        ),
        (
            Entry("media/y.png", mode=0o010644),
            "'media/y.png' is a special file (a device, pipe or socket); "
            "a topic pack holds only plain files",
        ),
        (
            Entry("topics/A.md"),
            "the archive holds both 'topics/a.md' and 'topics/A.md', "
            "which are the same name on some computers",
        ),
        (Entry("topics/a.md"), "the archive holds 'topics/a.md' twice"),
        (Entry("media/y.png", flags=1), "'media/y.png' is encrypted; a topic pack cannot be"),
        (
            Entry("media/y.png", method=12, packed=b"BZh9"),
            "'media/y.png' is compressed with bzip2; "
            "a topic pack may only use deflate or no compression",
        ),
        (
            Entry("topics/c.md", bytes(4 * 1024 * 1024)),
            "'topics/c.md' would expand more than 100 times (a zip bomb)",
        ),
        (
            Entry("topics/c.md", b"x" * 5000, size=50, local_size=50),
            "'topics/c.md' is not the size the archive says it is",
        ),
        (
            Entry("run.sh", b"rm -rf /"),
            "'run.sh' is not allowed in a topic pack "
            "(only pack.toml, topics/*.md and media/*.png or *.jpg)",
        ),
    ],
    ids=[
        "dot-dot",
        "absolute",
        "backslash",
        "nul",
        "symlink",
        "fifo",
        "same-after-casefold",
        "duplicate",
        "encrypted",
        "bzip2",
        "zip-bomb",
        "size-lies",
        "script",
    ],
)
def test_hostile_archive_with_a_good_signature(
    seal: Sealer, files: dict[str, bytes], trust: Trust, entry: Entry, message: str
) -> None:
    """A trusted publisher's key does not make a hostile archive safe (a key can be stolen)."""
    everything = {"pack.toml": with_hashes(MANIFEST, files).encode(), **files}
    entries = [Entry(name, data) for name, data in everything.items()] + [entry]
    assert refusal(seal(raw_zip(entries)), trust) == message


def test_too_many_entries(seal: Sealer, trust: Trust) -> None:
    entries = [Entry(f"topics/t{n}.md", method=zipfile.ZIP_STORED) for n in range(5_001)]
    assert refusal(seal(raw_zip(entries)), trust) == (
        "the archive holds 5,001 entries; a topic pack may hold at most 5,000"
    )


def test_not_a_zip(seal: Sealer, trust: Trust) -> None:
    assert refusal(seal(b"MZ\x90\x00 a program renamed to .topicpack"), trust) == (
        "the file is not a topic pack (not a zip archive, or cut short)"
    )


def test_archive_over_512_mib(seal: Sealer, files: dict[str, bytes], trust: Trust) -> None:
    archive = seal(files)
    with archive.open("r+b") as handle:
        handle.truncate(512 * 1024 * 1024 + 1)  # sparse: nothing is really written
    assert refusal(archive, trust) == "the pack file is larger than 512 MiB"


def test_archive_that_is_not_there(tmp_path: Path, trust: Trust) -> None:
    assert refusal(tmp_path / NAME, trust) == f"cannot read {NAME} (No such file or directory)"


# --- pack.toml and the hashes ---------------------------------------------------------------


def test_file_listed_but_missing(seal: Sealer, files: dict[str, bytes], trust: Trust) -> None:
    listed = dict(files)
    del files["topics/b.md"]
    files["topics/a.md"] = topic("a")
    listed["topics/a.md"] = files["topics/a.md"]
    assert refusal(seal(files, listed=listed), trust) == (
        "'topics/b.md' is listed in pack.toml but not in the pack"
    )


def test_file_not_listed(seal: Sealer, files: dict[str, bytes], trust: Trust) -> None:
    listed = dict(files)
    files["topics/c.md"] = topic("c")
    assert refusal(seal(files, listed=listed), trust) == (
        "'topics/c.md' is in the pack but not listed in pack.toml"
    )


def test_hash_mismatch(seal: Sealer, files: dict[str, bytes], trust: Trust) -> None:
    listed = dict(files)
    files["topics/b.md"] = topic("b", language="es", body="Changed after the hashes were made.")
    assert refusal(seal(files, listed=listed), trust) == (
        "'topics/b.md' does not match its sha256 in pack.toml"
    )


def test_no_file_table_at_all(seal: Sealer, files: dict[str, bytes], trust: Trust) -> None:
    archive = seal({**files, "pack.toml": MANIFEST.encode()})
    assert refusal(archive, trust) == "'media/x.png' is in the pack but not listed in pack.toml"


def test_no_manifest(seal: Sealer, files: dict[str, bytes], trust: Trust) -> None:
    assert refusal(seal(tool_zip(files)), trust) == "the pack has no pack.toml"


@pytest.mark.parametrize(
    ("manifest", "message"),
    [
        (
            MANIFEST.replace('title = "Test pack"', "title = Test pack"),
            "pack.toml: broken pack.toml: Invalid value (at line 4, column 9)",
        ),
        (
            MANIFEST.replace("format = 1", "format = 2"),
            "pack.toml: format must be 1 (this kiosk reads format 1 packs)",
        ),
        (
            MANIFEST.replace('id = "org.example.test"\n', "").replace("version = 2\n", ""),
            "pack.toml: id must be a reverse-DNS name like org.example.heart (and 1 more)",
        ),
        (
            'format = 1\n[files]\n"topics/a.md" = "not a hash"\n',
            "pack.toml: id must be a reverse-DNS name like org.example.heart (and 5 more)",
        ),
    ],
    ids=["broken-toml", "format", "two-problems", "six-problems"],
)
def test_broken_manifest(
    seal: Sealer, files: dict[str, bytes], trust: Trust, manifest: str, message: str
) -> None:
    archive = seal({**files, "pack.toml": manifest.encode()})
    assert refusal(archive, trust) == message


def test_manifest_not_utf8(seal: Sealer, files: dict[str, bytes], trust: Trust) -> None:
    text = MANIFEST.replace("Test clinic", "Clinique \xe9t\xe9").encode("latin-1")
    assert refusal(seal({**files, "pack.toml": text}), trust) == "pack.toml is not UTF-8 text"


# --- topics ---------------------------------------------------------------------------------


def test_no_topics(seal: Sealer, png: bytes, trust: Trust) -> None:
    assert refusal(seal({"media/x.png": png}), trust) == "the pack has no topics/*.md files"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("Some <b>bold</b> text.", "topics/a.md:12: raw HTML is not allowed: <b> (and 1 more)"),
        ("<script>alert(1)</script>", "topics/a.md:12: raw HTML is not allowed"),
        (
            "[Click](javascript:alert(1))",
            "topics/a.md:12: link 'javascript:alert(1)' is not allowed: links must be topic:ID",
        ),
        (
            "[Your files](file:///etc/passwd)",
            "topics/a.md:12: link 'file:///etc/passwd' is not allowed: links must be topic:ID",
        ),
        (
            "[More](https://example.org/)",
            "topics/a.md:12: link 'https://example.org/' is not allowed: links must be topic:ID",
        ),
        (
            "![Tracker](https://example.org/pixel.png)",
            "topics/a.md:12: image 'https://example.org/pixel.png' is not allowed: "
            "images must be PNG or JPEG files in the pack's media/ folder",
        ),
        (
            "![Outside](../../x.png)",
            "topics/a.md:12: image '../../x.png' is not allowed: "
            "images must be PNG or JPEG files in the pack's media/ folder",
        ),
        (
            "![Outside](media/../pack.png)",
            "topics/a.md:12: image 'media/../pack.png' is not allowed: "
            "images must be PNG or JPEG files in the pack's media/ folder",
        ),
        (
            "![Gone](media/gone.png)",
            "topics/a.md:12: image 'media/gone.png' is missing from the pack",
        ),
        (
            "See [c](topic:c).",
            "topics/a.md: links to topic 'c', which is not in this pack",
        ),
    ],
    ids=[
        "inline-html",
        "script-block",
        "javascript-link",
        "file-link",
        "web-link",
        "remote-image",
        "image-outside",
        "image-dot-dot",
        "image-not-in-pack",
        "topic-not-in-pack",
    ],
)
def test_topic_the_kiosk_will_not_show(
    seal: Sealer, files: dict[str, bytes], trust: Trust, body: str, message: str
) -> None:
    files["topics/a.md"] = topic("a", body=body)
    assert refusal(seal(files), trust) == message


def test_topic_not_utf8(seal: Sealer, files: dict[str, bytes], trust: Trust) -> None:
    files["topics/a.md"] = topic("a", body="Caf\xe9").decode().encode("latin-1")
    assert refusal(seal(files), trust) == "topics/a.md: not UTF-8 text (invalid continuation byte)"


def test_topic_id_that_does_not_match_its_file(
    seal: Sealer, files: dict[str, bytes], trust: Trust
) -> None:
    files["topics/c.md"] = topic("b")
    assert refusal(seal(files), trust) == ("topics/c.md:2: id 'b' is already used by topics/b.md")


def test_image_bomb(seal: Sealer, files: dict[str, bytes], trust: Trust) -> None:
    files["media/x.png"] = png_claiming(50_000, 50_000)
    assert refusal(seal(files), trust) == (
        "'media/x.png' claims 50000 x 50000 pixels, too large to show safely (an image bomb)"
    )


def test_text_file_renamed_png(seal: Sealer, files: dict[str, bytes], trust: Trust) -> None:
    files["media/x.png"] = b"<svg onload=alert(1)>"
    assert refusal(seal(files), trust) == "'media/x.png' is not a real PNG file"


# --- write_pack -----------------------------------------------------------------------------


@pytest.fixture
def verified(seal: Sealer, files: dict[str, bytes], trust: Trust) -> VerifiedPack:
    return verify_archive(seal(files), trust)


def _tree(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()
    }


def test_write_pack_writes_exactly_the_verified_files(
    verified: VerifiedPack, tmp_path: Path
) -> None:
    dest = tmp_path / "v2"
    dest.mkdir()
    write_pack(verified, dest)
    assert _tree(dest) == dict(verified.files)
    assert sorted(str(p.relative_to(dest)) for p in dest.rglob("*") if p.is_dir()) == [
        "media",
        "topics",
    ]


def test_write_pack_flushes_every_file_and_folder(
    verified: VerifiedPack, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A power cut after write_pack returns must not lose a byte: every file and every folder
    (whose entries name the files) is fsynced."""
    dest = tmp_path / "v2"
    dest.mkdir()
    synced: list[str] = []
    real_fsync = os.fsync

    def fsync(fd: int) -> None:
        synced.append(os.readlink(f"/proc/self/fd/{fd}"))
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", fsync)
    write_pack(verified, dest)
    assert sorted(synced) == sorted(
        [str(dest / name) for name in verified.files]
        + [str(dest), str(dest / "media"), str(dest / "topics")]
    )


def test_write_pack_needs_an_empty_folder(verified: VerifiedPack, tmp_path: Path) -> None:
    dest = tmp_path / "v2"
    dest.mkdir()
    (dest / "old.txt").write_text("already here")
    with pytest.raises(FileExistsError):
        write_pack(verified, dest)
    assert [p.name for p in dest.iterdir()] == ["old.txt"]


# --- build_archive --------------------------------------------------------------------------


@pytest.fixture
def folder(tmp_path: Path, files: dict[str, bytes]) -> Path:
    root = tmp_path / "authoring" / "mypack"
    for name, data in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(data)
    (root / "pack.toml").write_text("# Our clinic's pack\n" + MANIFEST)
    (root / "NOTES.txt").write_text("The author's notes stay out of the archive.")
    (root / "media" / ".DS_Store").write_bytes(b"\0\0\0\1Bud1")
    return root


def test_build_then_verify(folder: Path, tmp_path: Path, keys: Keys, trust: Trust) -> None:
    out = tmp_path / "out"
    out.mkdir()
    archive = build_archive(folder, out)
    assert archive == out / NAME
    sign_file(archive, keys.publisher.key_file, None, COMMENT)
    pack = verify_archive(archive, trust)
    assert sorted(pack.files) == ["media/x.png", "pack.toml", "topics/a.md", "topics/b.md"]
    for name in ("media/x.png", "topics/a.md", "topics/b.md"):
        assert pack.files[name] == (folder / name).read_bytes()
    manifest_text = pack.files["pack.toml"].decode()
    assert manifest_text.startswith("# Our clinic's pack\n" + MANIFEST)
    sha = hashlib.sha256((folder / "topics/a.md").read_bytes()).hexdigest()
    assert f'"topics/a.md" = "{sha}"' in manifest_text


def test_build_is_deterministic(folder: Path, tmp_path: Path) -> None:
    first = build_archive(folder, tmp_path / "first.topicpack")
    os.utime(folder / "topics" / "a.md", (1_000_000_000, 1_000_000_000))
    second = build_archive(folder, tmp_path / "second.topicpack")
    assert first.read_bytes() == second.read_bytes()
    with zipfile.ZipFile(first) as archive:
        infos = archive.infolist()
    assert [i.filename for i in infos] == ["media/x.png", "pack.toml", "topics/a.md", "topics/b.md"]
    assert {i.date_time for i in infos} == {(1980, 1, 1, 0, 0, 0)}
    assert {i.compress_type for i in infos} == {zipfile.ZIP_DEFLATED}


def test_build_replaces_an_older_archive(folder: Path, tmp_path: Path) -> None:
    out = tmp_path / NAME
    out.write_bytes(b"an older build")
    build_archive(folder, out)
    assert zipfile.is_zipfile(out)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["authoring", NAME], "no leftovers"


def test_build_refuses_a_folder_that_does_not_validate(folder: Path, tmp_path: Path) -> None:
    (folder / "topics" / "a.md").write_bytes(topic("a", body="Some <b>bold</b> text."))
    with pytest.raises(BuildError) as caught:
        build_archive(folder, tmp_path)
    assert str(caught.value) == (
        f"{folder} does not validate: mypack/topics/a.md:12: raw HTML is not allowed: <b> "
        "(and 1 more)"
    )
    assert not (tmp_path / NAME).exists()


def test_build_refuses_a_file_table_written_by_hand(folder: Path, tmp_path: Path) -> None:
    (folder / "pack.toml").write_text(MANIFEST + '[files]\n"topics/a.md" = "' + "0" * 64 + '"\n')
    with pytest.raises(BuildError) as caught:
        build_archive(folder, tmp_path)
    assert str(caught.value) == (
        f"{folder}/pack.toml already has a [files] table; remove it, the build writes it"
    )


@pytest.mark.parametrize(
    ("name", "message"),
    [
        (
            "media/notes.txt",
            "media/notes.txt cannot go in a pack (only topics/*.md and media/*.png or *.jpg, "
            "named with letters, digits, '.', '-' and '_')",
        ),
        (
            "topics/draft.txt",
            "topics/draft.txt cannot go in a pack (only topics/*.md and media/*.png or *.jpg, "
            "named with letters, digits, '.', '-' and '_')",
        ),
    ],
)
def test_build_refuses_files_kiosks_would_refuse(
    folder: Path, tmp_path: Path, name: str, message: str
) -> None:
    (folder / name).write_text("x")
    with pytest.raises(BuildError) as caught:
        build_archive(folder, tmp_path)
    assert str(caught.value) == message


def test_build_refuses_a_linked_media_file(folder: Path, tmp_path: Path, png: bytes) -> None:
    (tmp_path / "elsewhere.png").write_bytes(png)
    (folder / "media" / "y.png").symlink_to(tmp_path / "elsewhere.png")
    with pytest.raises(BuildError) as caught:
        build_archive(folder, tmp_path)
    assert str(caught.value) == "media/y.png is not a plain file; put the file itself in the pack"


def test_build_refuses_an_image_bomb_no_topic_shows(folder: Path, tmp_path: Path) -> None:
    (folder / "media" / "spare.png").write_bytes(png_claiming(50_000, 50_000))
    with pytest.raises(BuildError) as caught:
        build_archive(folder, tmp_path)
    assert str(caught.value) == (
        "kiosks would refuse the built pack: 'media/spare.png' claims 50000 x 50000 pixels, "
        "too large to show safely (an image bomb)"
    )


# --- signing an archive and inspecting it ---------------------------------------------------


def test_sign_archive_names_the_pack(
    folder: Path, tmp_path: Path, keys: Keys, trust: Trust
) -> None:
    archive = build_archive(folder, tmp_path)
    signature = sign_archive(archive, keys.publisher.key_file, None)
    assert signature == archive.with_name(NAME + ".minisig")
    assert signature.read_text().splitlines()[2] == f"trusted comment: {COMMENT}"
    assert verify_archive(archive, trust).signer == keys.publisher.key_id


def test_sign_archive_refuses_a_pack_no_kiosk_would_take(
    seal: Sealer, files: dict[str, bytes], keys: Keys
) -> None:
    listed = dict(files)
    files["topics/b.md"] = b"changed"
    archive = seal(files, listed=listed, signed=False)
    with pytest.raises(PackRefused) as caught:
        sign_archive(archive, keys.publisher.key_file, None)
    assert str(caught.value) == "'topics/b.md' does not match its sha256 in pack.toml"
    assert not archive.with_name(NAME + ".minisig").exists()


def test_read_unsigned_checks_all_but_the_signature(seal: Sealer, files: dict[str, bytes]) -> None:
    pack = read_unsigned(seal(files, signed=False))
    assert pack.manifest == Manifest(
        id="org.example.test",
        version=2,
        title="Test pack",
        languages=("en", "es"),
        publisher="Test clinic",
        files={n: hashlib.sha256(d).hexdigest() for n, d in files.items()},
    )
    assert pack.signer is None


def test_inspect_good_pack(seal: Sealer, files: dict[str, bytes], trust: Trust, keys: Keys) -> None:
    result = inspect_pack(seal(files), trust)
    assert result.refusal is None
    assert result.text == "\n".join(
        [
            f"File:       {NAME}",
            "Pack:       org.example.test",
            "Version:    2",
            "Title:      Test pack",
            "Publisher:  Test clinic",
            "Languages:  en, es",
            "Topics:     2",
            f"Signature:  good, by key ID {keys.publisher.key_id}",
            "Result:     can be installed",
        ]
    )


def test_inspect_says_why_the_signature_fails(
    seal: Sealer, files: dict[str, bytes], keys: Keys
) -> None:
    text = inspect_archive(seal(files, key=keys.stranger), Trust((keys.publisher.pub,)))
    reason = f"signed by an unknown key (ID {keys.stranger.key_id})"
    assert text == "\n".join(
        [
            f"File:       {NAME}",
            "Pack:       org.example.test  (unverified: what the pack says about itself)",
            "Version:    2",
            "Title:      Test pack",
            "Publisher:  Test clinic",
            "Languages:  en, es",
            "Topics:     2",
            f"Signature:  {reason}",
            f"Result:     refused: {reason}",
        ]
    )


def test_inspect_unsigned_pack_where_signatures_are_optional(
    seal: Sealer, files: dict[str, bytes]
) -> None:
    result = inspect_pack(seal(files, signed=False), Trust(require_signature=False))
    assert result.refusal is None
    assert result.text.splitlines()[-2:] == [
        "Signature:  none (not required)",
        "Result:     can be installed",
    ]


def test_inspect_good_signature_bad_contents(
    seal: Sealer, files: dict[str, bytes], trust: Trust, keys: Keys
) -> None:
    files["media/x.png"] = png_claiming(50_000, 50_000)
    result = inspect_pack(seal(files), trust)
    reason = "'media/x.png' claims 50000 x 50000 pixels, too large to show safely (an image bomb)"
    assert result.refusal == reason
    assert result.text == "\n".join(
        [
            f"File:       {NAME}",
            f"Signature:  good, by key ID {keys.publisher.key_id}",
            f"Result:     refused: {reason}",
        ]
    )


def test_inspect_not_a_zip(seal: Sealer, trust: Trust) -> None:
    result = inspect_pack(seal(b"not a zip", signed=False), trust)
    assert result.text == "\n".join(
        [
            f"File:       {NAME}",
            f"Signature:  not signed: there is no {NAME}.minisig beside it",
            f"Result:     refused: not signed: there is no {NAME}.minisig beside it",
        ]
    )
