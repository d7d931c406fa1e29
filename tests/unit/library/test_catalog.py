"""The catalog a patient browses, built from real pack folders."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

import pytest

from kiosk.library.catalog import Catalog, bundled_pack_folders, open_catalog

PackMaker = Callable[..., Path]  # the `make_pack` fixture (tests/unit/conftest.py)
TopicMd = Callable[..., str]  # the `topic_md` fixture

SECOND_MANIFEST = """\
format = 1
id = "org.example.clinic"
version = 1
title = "Our clinic's own topics"
languages = ["en"]
publisher = "Example Clinic"
"""


@pytest.fixture
def first(make_pack: PackMaker, topic_md: TopicMd, png: bytes) -> Path:
    """Titles and categories in mixed case, so plain `sorted` would get the order wrong."""
    return make_pack(
        "first",
        {
            "banana.md": topic_md("banana", title="Banana", category="Everyday health"),
            "apple.md": topic_md(
                "apple", title="apple pie", category="Everyday health", body="![A](media/a.png)"
            ),
            "cherry.md": topic_md("cherry", title="cherry", category="Heart"),
            "date.md": topic_md("date", title="Date", category="back and neck"),
        },
        media={"a.png": png},
    )


@pytest.fixture
def catalog(first: Path) -> Catalog:
    return open_catalog([first])


def test_every_good_topic_is_in(catalog: Catalog) -> None:
    assert catalog.problems == []
    assert len(catalog) == 4
    topic = catalog.topic("cherry")
    assert topic is not None
    assert topic.title == "cherry"
    assert topic.pack_id == "org.example.test"
    assert catalog.topic("nope") is None


def test_categories_sorted_ignoring_case(catalog: Catalog) -> None:
    assert catalog.categories() == ["back and neck", "Everyday health", "Heart"]


def test_topics_a_to_z_ignoring_case(catalog: Catalog) -> None:
    assert [t.title for t in catalog.topics()] == ["apple pie", "Banana", "cherry", "Date"]


def test_topics_of_one_category(catalog: Catalog) -> None:
    assert [t.id for t in catalog.topics("Everyday health")] == ["apple", "banana"]
    assert catalog.topics("everyday health") == [], "category names are exact"
    assert catalog.topics("Nothing") == []


def test_count_per_category(catalog: Catalog) -> None:
    counts = {c: catalog.count(c) for c in catalog.categories()}
    assert counts == {"back and neck": 1, "Everyday health": 2, "Heart": 1}
    assert catalog.count("Nothing") == 0


def test_titles_keep_order_and_skip_unknown_ids(catalog: Catalog) -> None:
    assert catalog.titles(["date", "gone", "apple", ""]) == [
        ("date", "Date"),
        ("apple", "apple pie"),
    ]
    assert catalog.titles([]) == []


def test_later_pack_overrides_a_topic_with_the_same_id(
    first: Path, make_pack: PackMaker, topic_md: TopicMd, png: bytes
) -> None:
    other_png = png + b"-second"
    second = make_pack(
        "second",
        {
            "cherry.md": topic_md(
                "cherry", title="Cherry, revised", category="Heart", body="![A](media/a.png)"
            ),
            "elder.md": topic_md("elder", title="Elder", category="Heart"),
        },
        manifest=SECOND_MANIFEST,
        media={"a.png": other_png},
    )
    catalog = open_catalog([first, second])
    assert len(catalog) == 5
    cherry = catalog.topic("cherry")
    assert cherry is not None
    assert cherry.title == "Cherry, revised"
    assert cherry.pack_id == "org.example.clinic"
    assert [t.title for t in catalog.topics("Heart")] == ["Cherry, revised", "Elder"]
    assert catalog.count("Heart") == 2
    # Images come from the pack the topic came from.
    assert catalog.media("cherry", "media/a.png") == other_png
    assert catalog.media("apple", "media/a.png") == png

    reversed_order = open_catalog([second, first])
    cherry = reversed_order.topic("cherry")
    assert cherry is not None
    assert cherry.title == "cherry"


def test_media_returns_the_bytes_of_a_real_pack_image(catalog: Catalog, png: bytes) -> None:
    assert catalog.media("apple", "media/a.png") == png
    # Any topic of the same pack may show the pack's images.
    assert catalog.media("banana", "media/a.png") == png


@pytest.mark.parametrize(
    ("topic_id", "name"),
    [
        ("apple", "../pack.toml"),
        ("apple", "media/../pack.toml"),
        ("apple", "pack.toml"),
        ("apple", "topics/apple.md"),
        ("apple", "media/missing.png"),
        ("apple", "/etc/passwd"),
        ("apple", "media/../../first/media/a.png"),
        ("unknown-topic", "media/a.png"),
    ],
)
def test_media_returns_none_for_anything_else(catalog: Catalog, topic_id: str, name: str) -> None:
    assert catalog.media(topic_id, name) is None


def test_media_is_never_read_through_a_link(first: Path, png: bytes, tmp_path: Path) -> None:
    secret = tmp_path / "secret.png"
    secret.write_bytes(png + b"secret")
    (first / "media" / "linked.png").symlink_to(secret)
    catalog = open_catalog([first])
    assert catalog.media("apple", "media/linked.png") is None


def test_a_broken_topic_is_left_out_and_the_rest_still_show(
    make_pack: PackMaker, topic_md: TopicMd, caplog: pytest.LogCaptureFixture
) -> None:
    root = make_pack(
        "mixed",
        {
            "good.md": topic_md("good", title="Good"),
            "broken.md": topic_md("broken", body="Visit [us](https://example.org)."),
        },
    )
    with caplog.at_level(logging.WARNING, logger="kiosk.library.catalog"):
        catalog = open_catalog([root])
    assert [t.id for t in catalog.topics()] == ["good"]
    assert catalog.topic("broken") is None
    expected = (
        "mixed/topics/broken.md:13: link 'https://example.org' is not allowed: "
        "links must be topic:ID"
    )
    assert [str(p) for p in catalog.problems] == [expected]
    assert caplog.messages == [expected], "staff can find it in the log"


def test_a_missing_pack_folder_does_not_stop_the_rest(
    first: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="kiosk.library.catalog"):
        catalog = open_catalog([tmp_path / "gone", first])
    assert len(catalog) == 4
    assert caplog.messages == [f"{tmp_path / 'gone'}: not a folder"]


def test_bundled_pack_folders_are_the_ones_with_a_pack_toml(tmp_path: Path) -> None:
    for name in ("b-pack", "a-pack", "not-a-pack"):
        (tmp_path / name).mkdir()
    (tmp_path / "b-pack" / "pack.toml").write_text("")
    (tmp_path / "a-pack" / "pack.toml").write_text("")
    (tmp_path / "README.md").write_text("")
    assert bundled_pack_folders(tmp_path) == [tmp_path / "a-pack", tmp_path / "b-pack"]
    assert bundled_pack_folders(tmp_path / "missing") == []


def test_accented_titles_sort_among_their_letter(make_pack: PackMaker, topic_md: TopicMd) -> None:
    pack = make_pack(
        "accents",
        {
            "a.md": topic_md("a", title="Zinc"),
            "b.md": topic_md("b", title="Éczema"),
            "c.md": topic_md("c", title="ear wax"),
            "d.md": topic_md("d", title="Fever"),
            "e.md": topic_md("e", title="Eczema"),
        },
    )
    titles = [t.title for t in open_catalog([pack]).topics()]
    assert titles == ["ear wax", "Eczema", "Éczema", "Fever", "Zinc"]
