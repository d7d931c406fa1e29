"""Pack folders and their manifest, read from real folders on disk, as `kiosk pack validate`
and the kiosk's start-up read them."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from pathlib import Path

import pytest

from kiosk.packs.folder import MAX_MEDIA_BYTES, MAX_TOPIC_BYTES, PackContents, read_pack_folder
from kiosk.packs.manifest import Manifest, parse_manifest
from tests.unit.packs.zips import jpeg_claiming, png_claiming

SAMPLE_PACK = Path(__file__).resolve().parents[3] / "topics" / "sample-en"

GOOD_MANIFEST = """\
format = 1
id = "org.example.heart"
version = 3
title = "Heart health"
languages = ["en", "es"]
publisher = "Example Clinic"
created = 2024-07-31
"""

PackMaker = Callable[..., Path]  # the `make_pack` fixture (tests/unit/conftest.py)
TopicMd = Callable[..., str]  # the `topic_md` fixture


def problems(contents: PackContents) -> list[str]:
    return [str(p) for p in contents.problems]


# --- manifest -------------------------------------------------------------------------------


def test_good_manifest() -> None:
    manifest, found = parse_manifest(GOOD_MANIFEST, "p/pack.toml")
    assert found == []
    assert manifest == Manifest(
        id="org.example.heart",
        version=3,
        title="Heart health",
        languages=("en", "es"),
        publisher="Example Clinic",
        created=dt.date(2024, 7, 31),
    )


def test_manifest_with_expiry_and_file_hashes() -> None:
    text = GOOD_MANIFEST + f'expires = 2030-01-01\n[files]\n"topics/a.md" = "{"ab" * 32}"\n'
    manifest, found = parse_manifest(text)
    assert found == []
    assert manifest is not None
    assert manifest.expires == dt.date(2030, 1, 1)
    assert manifest.files == {"topics/a.md": "ab" * 32}


def test_single_language_may_be_written_as_text() -> None:
    text = GOOD_MANIFEST.replace('languages = ["en", "es"]', 'language = "en"')
    manifest, found = parse_manifest(text)
    assert found == []
    assert manifest is not None
    assert manifest.languages == ("en",)


LANGUAGES = "languages must be a list of language tags like ['en', 'es']"


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("format = 1", "format = 2", "format must be 1 (this kiosk reads format 1 packs)"),
        ("format = 1", 'format = "1"', "format must be 1 (this kiosk reads format 1 packs)"),
        ("format = 1\n", "", "format must be 1 (this kiosk reads format 1 packs)"),
        ('"org.example.heart"', '"heart"', "id must be a reverse-DNS name like org.example.heart"),
        (
            '"org.example.heart"',
            '"Org.Example.Heart"',
            "id must be a reverse-DNS name like org.example.heart",
        ),
        (
            '"org.example.heart"',
            '"org/example/heart"',
            "id must be a reverse-DNS name like org.example.heart",
        ),
        ("version = 3", "version = 0", "version must be a whole number of 1 or more"),
        ("version = 3", "version = -2", "version must be a whole number of 1 or more"),
        ("version = 3", "version = true", "version must be a whole number of 1 or more"),
        ("version = 3", 'version = "3"', "version must be a whole number of 1 or more"),
        ("version = 3", "version = 3.5", "version must be a whole number of 1 or more"),
        ("version = 3\n", "", "version must be a whole number of 1 or more"),
        ('languages = ["en", "es"]', "languages = []", LANGUAGES),
        ('languages = ["en", "es"]', 'languages = ["English"]', LANGUAGES),
        ('languages = ["en", "es"]', 'languages = ["en", 1]', LANGUAGES),
        ('languages = ["en", "es"]\n', "", LANGUAGES),
        ('title = "Heart health"', 'title = ""', "title must be a non-empty text"),
        ('publisher = "Example Clinic"\n', "", "publisher must be a non-empty text"),
        (
            "created = 2024-07-31",
            'created = "2024-07-31"',
            "created must be a date like 2024-07-31",
        ),
    ],
)
def test_bad_manifest_field(old: str, new: str, expected: str) -> None:
    assert old in GOOD_MANIFEST
    manifest, found = parse_manifest(GOOD_MANIFEST.replace(old, new), "p/pack.toml")
    assert manifest is None
    assert [str(p) for p in found] == [f"p/pack.toml: {expected}"]


def test_file_hashes_must_be_sha256_hex() -> None:
    manifest, found = parse_manifest(GOOD_MANIFEST + '[files]\n"topics/a.md" = "ABC"\n', "p")
    assert manifest is None
    assert [str(p) for p in found] == [
        "p: [files] must map each file name to its sha256 in lower-case hex"
    ]


def test_every_manifest_problem_is_listed_at_once() -> None:
    manifest, found = parse_manifest("", "p/pack.toml")
    assert manifest is None
    assert [p.message for p in found] == [
        "format must be 1 (this kiosk reads format 1 packs)",
        "id must be a reverse-DNS name like org.example.heart",
        "version must be a whole number of 1 or more",
        "title must be a non-empty text",
        "publisher must be a non-empty text",
        LANGUAGES,
    ]


# --- a folder -------------------------------------------------------------------------------


def test_valid_pack(make_pack: PackMaker, topic_md: TopicMd) -> None:
    root = make_pack(
        "heart",
        {
            "blood-pressure.md": topic_md("blood-pressure", related=["cholesterol"]),
            "cholesterol.md": topic_md("cholesterol", body="See [blood](topic:blood-pressure)."),
        },
        manifest=GOOD_MANIFEST,
    )
    contents = read_pack_folder(root)
    assert problems(contents) == []
    assert contents.ok
    assert contents.root == root
    assert contents.manifest is not None
    assert contents.manifest.id == "org.example.heart"
    assert [t.id for t in contents.topics] == ["blood-pressure", "cholesterol"]
    assert {t.pack_id for t in contents.topics} == {"org.example.heart"}


def test_not_a_folder(tmp_path: Path) -> None:
    contents = read_pack_folder(tmp_path / "nothere")
    assert not contents.ok
    assert problems(contents) == [f"{tmp_path / 'nothere'}: not a folder"]


def test_missing_pack_toml(make_pack: PackMaker, topic_md: TopicMd) -> None:
    contents = read_pack_folder(make_pack("mypack", {"a.md": topic_md("a")}, manifest=None))
    assert not contents.ok
    assert contents.manifest is None
    assert problems(contents) == ["mypack: pack.toml is missing"]


def test_broken_pack_toml(make_pack: PackMaker, topic_md: TopicMd) -> None:
    manifest = GOOD_MANIFEST.replace("version = 3", "version = three")
    contents = read_pack_folder(make_pack("mypack", {"a.md": topic_md("a")}, manifest=manifest))
    assert not contents.ok
    assert contents.manifest is None
    assert problems(contents) == [
        "mypack/pack.toml: broken pack.toml: Invalid value (at line 3, column 11)"
    ]
    assert manifest.splitlines()[2] == "version = three"


def test_bad_manifest_field_in_a_folder(make_pack: PackMaker, topic_md: TopicMd) -> None:
    manifest = GOOD_MANIFEST.replace("version = 3", "version = 0")
    contents = read_pack_folder(make_pack("mypack", {"a.md": topic_md("a")}, manifest=manifest))
    assert not contents.ok
    assert problems(contents) == ["mypack/pack.toml: version must be a whole number of 1 or more"]


@pytest.mark.parametrize("with_folder", [True, False], ids=["empty-topics", "no-topics-folder"])
def test_no_topics(make_pack: PackMaker, with_folder: bool) -> None:
    root = make_pack("mypack", {"notes.txt": "not a topic"})
    if not with_folder:
        (root / "topics" / "notes.txt").unlink()
        (root / "topics").rmdir()
    contents = read_pack_folder(root)
    assert not contents.ok
    assert contents.topics == []
    assert problems(contents) == ["mypack/topics: the pack has no topics/*.md files"]


def test_duplicate_topic_id_across_two_files(make_pack: PackMaker, topic_md: TopicMd) -> None:
    root = make_pack("mypack", {"a.md": topic_md("a"), "b.md": topic_md("a", title="Copy")})
    contents = read_pack_folder(root)
    assert not contents.ok
    assert problems(contents) == [
        "mypack/topics/b.md:2: id 'a' is already used by mypack/topics/a.md",
    ]
    assert [t.title for t in contents.topics] == ["A"]


def test_id_must_match_file_name(make_pack: PackMaker, topic_md: TopicMd) -> None:
    contents = read_pack_folder(make_pack("mypack", {"other-name.md": topic_md("a")}))
    assert not contents.ok
    assert problems(contents) == [
        "mypack/topics/other-name.md:2: id 'a' should match the file name 'other-name.md'"
    ]


def test_related_topic_not_in_pack(make_pack: PackMaker, topic_md: TopicMd) -> None:
    root = make_pack(
        "mypack", {"a.md": topic_md("a", related=["b", "nope"]), "b.md": topic_md("b")}
    )
    contents = read_pack_folder(root)
    assert not contents.ok
    assert problems(contents) == [
        "mypack/topics/a.md: links to topic 'nope', which is not in this pack"
    ]


def test_body_link_to_topic_not_in_pack(make_pack: PackMaker, topic_md: TopicMd) -> None:
    root = make_pack("mypack", {"a.md": topic_md("a", body="See [gone](topic:gone-topic).")})
    contents = read_pack_folder(root)
    assert not contents.ok
    assert problems(contents) == [
        "mypack/topics/a.md: links to topic 'gone-topic', which is not in this pack"
    ]


def test_non_utf8_file(make_pack: PackMaker, topic_md: TopicMd) -> None:
    latin1 = topic_md("a", body="Caf\u00e9 au lait.").encode("latin-1")
    contents = read_pack_folder(make_pack("mypack", {"a.md": latin1, "b.md": topic_md("b")}))
    assert not contents.ok
    assert problems(contents) == ["mypack/topics/a.md: not UTF-8 text (invalid continuation byte)"]
    assert [t.id for t in contents.topics] == ["b"], "the good topic is still read"


def test_oversize_file(make_pack: PackMaker, topic_md: TopicMd) -> None:
    text = topic_md("a")
    big = text + "x" * (MAX_TOPIC_BYTES + 1 - len(text))
    contents = read_pack_folder(make_pack("mypack", {"a.md": big}))
    assert not contents.ok
    assert problems(contents) == ["mypack/topics/a.md: the file is larger than 512 KiB"]


def test_file_of_exactly_the_limit_is_read(make_pack: PackMaker, topic_md: TopicMd) -> None:
    text = topic_md("a", body="Padding.")
    exact = text + "\n" + "x" * (MAX_TOPIC_BYTES - len(text) - 1)
    assert len(exact.encode()) == MAX_TOPIC_BYTES
    contents = read_pack_folder(make_pack("mypack", {"a.md": exact}))
    assert problems(contents) == []


@pytest.mark.parametrize("kind", ["dangling-link", "folder"])
def test_topic_file_that_cannot_be_read(make_pack: PackMaker, topic_md: TopicMd, kind: str) -> None:
    root = make_pack("mypack", {"b.md": topic_md("b")})
    if kind == "folder":
        (root / "topics" / "a.md").mkdir()
        reason = "Is a directory"
    else:
        (root / "topics" / "a.md").symlink_to(root / "gone.md")
        reason = "No such file or directory"
    contents = read_pack_folder(root)
    assert problems(contents) == [f"mypack/topics/a.md: cannot read the file ({reason})"]
    assert [t.id for t in contents.topics] == ["b"]


# --- images ---------------------------------------------------------------------------------

IMAGE_BODY = "![A picture](media/x.png)"


def test_topic_md_puts_the_body_on_line_13(topic_md: TopicMd) -> None:
    assert topic_md("a", body=IMAGE_BODY).splitlines()[13 - 1] == IMAGE_BODY


def test_real_png_image(make_pack: PackMaker, topic_md: TopicMd, png: bytes) -> None:
    root = make_pack("mypack", {"a.md": topic_md("a", body=IMAGE_BODY)}, media={"x.png": png})
    contents = read_pack_folder(root)
    assert problems(contents) == []
    assert contents.topics[0].sections[0].images == ("media/x.png",)
    assert contents.media_path("media/x.png") == root / "media" / "x.png"


def test_real_jpeg_image(make_pack: PackMaker, topic_md: TopicMd, jpeg: bytes) -> None:
    body = "![A](media/x.jpg) ![B](media/y.JPEG)"
    root = make_pack("mypack", {"a.md": topic_md("a", body=body)}, media={"x.jpg": jpeg})
    (root / "media" / "y.JPEG").write_bytes(jpeg)
    assert problems(read_pack_folder(root)) == []


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("x.png", b"This is a text file, renamed.\n", "is not a real PNG file"),
        ("x.png", b"\xff\xd8\xff\xe0 a JPEG named .png", "is not a real PNG file"),
        ("x.png", b"", "is not a real PNG file"),
        ("x.jpg", b"\x89PNG\r\n\x1a\n a PNG named .jpg", "is not a real JPEG file"),
    ],
    ids=["text-renamed", "jpeg-as-png", "empty", "png-as-jpg"],
)
def test_image_that_is_not_what_its_name_says(
    make_pack: PackMaker, topic_md: TopicMd, name: str, data: bytes, reason: str
) -> None:
    body = f"![A picture](media/{name})"
    root = make_pack("mypack", {"a.md": topic_md("a", body=body)}, media={name: data})
    contents = read_pack_folder(root)
    assert not contents.ok
    assert problems(contents) == [f"mypack/topics/a.md:13: image 'media/{name}' {reason}"]
    assert contents.topics == []


def test_oversize_image(make_pack: PackMaker, topic_md: TopicMd, png: bytes) -> None:
    big = png + b"\x00" * (MAX_MEDIA_BYTES + 1 - len(png))
    root = make_pack("mypack", {"a.md": topic_md("a", body=IMAGE_BODY)}, media={"x.png": big})
    assert problems(read_pack_folder(root)) == [
        "mypack/topics/a.md:13: image 'media/x.png' is larger than 4 MiB"
    ]


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        (
            "x.png",
            png_claiming(50_000, 50_000),
            "claims 50000 x 50000 pixels, too large to show safely (an image bomb)",
        ),
        (
            "x.jpg",
            jpeg_claiming(9_000, 100),
            "claims 9000 x 100 pixels, too large to show safely (an image bomb)",
        ),
    ],
    ids=["png", "jpeg"],
)
def test_image_bomb_is_found_before_the_pack_is_built(
    make_pack: PackMaker, topic_md: TopicMd, name: str, data: bytes, reason: str
) -> None:
    """The same header check a delivered archive gets, so an author hears of it first."""
    body = f"![A picture](media/{name})"
    root = make_pack("mypack", {"a.md": topic_md("a", body=body)}, media={name: data})
    assert problems(read_pack_folder(root)) == [
        f"mypack/topics/a.md:13: image 'media/{name}' {reason}"
    ]


def test_missing_image(make_pack: PackMaker, topic_md: TopicMd, png: bytes) -> None:
    root = make_pack("mypack", {"a.md": topic_md("a", body=IMAGE_BODY)}, media={"y.png": png})
    assert problems(read_pack_folder(root)) == [
        "mypack/topics/a.md:13: image 'media/x.png' is missing from the pack"
    ]


def test_image_that_is_a_folder(make_pack: PackMaker, topic_md: TopicMd) -> None:
    root = make_pack("mypack", {"a.md": topic_md("a", body=IMAGE_BODY)})
    (root / "media" / "x.png").mkdir(parents=True)
    assert problems(read_pack_folder(root)) == [
        "mypack/topics/a.md:13: image 'media/x.png' is not a file"
    ]


LINKED = "is a link to another file: put the image itself in the pack's media/ folder"


def test_symlinked_image(
    make_pack: PackMaker, topic_md: TopicMd, png: bytes, tmp_path: Path
) -> None:
    outside = tmp_path / "outside.png"
    outside.write_bytes(png)
    root = make_pack("mypack", {"a.md": topic_md("a", body=IMAGE_BODY)}, media={"y.png": png})
    (root / "media" / "x.png").symlink_to(outside)
    contents = read_pack_folder(root)
    assert problems(contents) == [f"mypack/topics/a.md:13: image 'media/x.png' {LINKED}"]
    assert contents.media_path("media/x.png") is None, "a link is never served"
    assert contents.media_path("media/y.png") == root / "media" / "y.png"


def test_symlinked_media_folder(
    make_pack: PackMaker, topic_md: TopicMd, png: bytes, tmp_path: Path
) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "x.png").write_bytes(png)
    root = make_pack("mypack", {"a.md": topic_md("a", body=IMAGE_BODY)})
    os.symlink(elsewhere, root / "media")
    contents = read_pack_folder(root)
    assert problems(contents) == [f"mypack/topics/a.md:13: image 'media/x.png' {LINKED}"]
    assert contents.media_path("media/x.png") is None


@pytest.mark.parametrize(
    "name",
    ["pack.toml", "../pack.toml", "media/../pack.toml", "media/sub/x.png", "topics/a.md", "media/"],
)
def test_media_path_serves_only_files_in_media(make_pack: PackMaker, png: bytes, name: str) -> None:
    root = make_pack("mypack", media={"x.png": png})
    (root / "media" / "sub").mkdir()
    (root / "media" / "sub" / "x.png").write_bytes(png)
    contents = read_pack_folder(root)
    assert contents.media_path(name) is None
    assert contents.media_path("media/x.png") == root / "media" / "x.png"


def test_broken_topic_is_left_out_and_good_ones_kept(
    make_pack: PackMaker, topic_md: TopicMd
) -> None:
    root = make_pack(
        "mypack",
        {"a.md": topic_md("a"), "b.md": topic_md("b", body="Some <b>bold</b>."), "c.md": "junk"},
    )
    contents = read_pack_folder(root)
    assert problems(contents) == [
        "mypack/topics/b.md:13: raw HTML is not allowed: <b>",
        "mypack/topics/b.md:13: raw HTML is not allowed: </b>",
        "mypack/topics/c.md:1: the file must start with a '+++' line",
    ]
    assert [t.id for t in contents.topics] == ["a"]


# --- the bundled sample pack ----------------------------------------------------------------


@pytest.fixture(scope="module")
def sample() -> PackContents:
    return read_pack_folder(SAMPLE_PACK)


def test_sample_pack_validates(sample: PackContents) -> None:
    assert problems(sample) == []
    assert sample.ok
    assert sample.manifest is not None
    assert sample.manifest.id == "org.waitingroom.sample-en"


def test_sample_pack_has_enough_topics_and_categories(sample: PackContents) -> None:
    assert len(sample.topics) >= 12
    assert len({t.category for t in sample.topics}) >= 3
    assert len(sample.topics) == len(list((SAMPLE_PACK / "topics").glob("*.md")))


def test_sample_topics_have_three_to_six_sections(sample: PackContents) -> None:
    counts = {t.id: len(t.sections) for t in sample.topics}
    assert {i: n for i, n in counts.items() if not 3 <= n <= 6} == {}


def test_sample_topics_say_they_are_unreviewed_sample_content(sample: PackContents) -> None:
    for topic in sample.topics:
        notice = topic.credits.notice.casefold()
        assert "sample content" in notice, topic.id
        assert "no clinic or doctor has reviewed it" in notice, topic.id


def test_spinal_manipulation_sections(sample: PackContents) -> None:
    [topic] = [t for t in sample.topics if t.id == "spinal-manipulation"]
    assert topic.title == "Spinal Manipulation"
    assert [s.title for s in topic.sections] == [
        "Overview",
        "Why might you choose this treatment for back pain?",
        "How does spinal manipulation feel?",
        "Who can do spinal manipulation?",
        "Related Information",
    ]
