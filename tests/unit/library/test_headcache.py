"""The topic cache: a second start reads no pack that has not changed, and whatever happens to
the cache file, the catalog shows exactly what the pack folders hold."""

from __future__ import annotations

import logging
import os
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

import kiosk.library.catalog as catalog_module
from kiosk.content.model import TopicHead
from kiosk.content.parser import ParseResult
from kiosk.library.catalog import Catalog, open_catalog
from kiosk.library.headcache import HeadCache
from kiosk.packs.folder import PackContents, folder_fingerprint

PackMaker = Callable[..., Path]
TopicMd = Callable[..., str]


@pytest.fixture
def pack(make_pack: PackMaker, topic_md: TopicMd, png: bytes) -> Path:
    return make_pack(
        "clinic",
        {
            "knee.md": topic_md("knee", title="Knee pain", body="![Knee](media/knee.png)"),
            "sleep.md": topic_md("sleep", title="Sleep", category="Everyday"),
            "broken.md": "+++\nid = 'broken'\n",
        },
        media={"knee.png": png},
    )


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """The pack folders the catalog reads (the real reader still runs; this only counts)."""
    seen: list[Path] = []
    real = catalog_module.read_pack_folder

    def counting(root: Path) -> PackContents:
        seen.append(root)
        return real(root)

    monkeypatch.setattr(catalog_module, "read_pack_folder", counting)
    return seen


def shown(catalog: Catalog) -> tuple[list[TopicHead], list[str], list[str]]:
    """What a patient and staff see: the heads A-Z, the categories, the problems."""
    return catalog.topics(), catalog.categories(), [str(p) for p in catalog.problems]


def test_second_start_reads_no_unchanged_pack(pack: Path, tmp_path: Path, reads: list) -> None:
    cache = HeadCache(tmp_path / "data" / "cache" / "topics.sqlite")
    first = open_catalog([pack], cache)
    assert reads == [pack]
    assert cache.path.is_file()

    second = open_catalog([pack], cache)
    assert reads == [pack], "the unchanged pack was read again"
    assert shown(second) == shown(first)
    assert [t.title for t in second.topics()] == ["Knee pain", "Sleep"]
    assert any("broken.md" in p for p in shown(second)[2]), "problems are kept too"
    knee = second.topic("knee")
    assert knee is not None and knee.sections[0].images == ("media/knee.png",)
    assert knee.pack_id == "org.example.test"
    assert second.media("knee", "media/knee.png") is not None


def test_an_edited_topic_is_read_again(pack: Path, tmp_path: Path, reads: list) -> None:
    cache = HeadCache(tmp_path / "cache.sqlite")
    open_catalog([pack], cache)
    text = (pack / "topics" / "sleep.md").read_text().replace('"Sleep"', '"Sleeping well"')
    (pack / "topics" / "sleep.md").write_text(text)
    catalog = open_catalog([pack], cache)
    assert reads == [pack, pack]
    assert [t.title for t in catalog.topics()] == ["Knee pain", "Sleeping well"]
    assert open_catalog([pack], cache).topics() == catalog.topics()
    assert reads == [pack, pack]


def test_added_removed_and_mended_files_change_the_catalog(
    pack: Path, tmp_path: Path, topic_md: TopicMd
) -> None:
    cache = HeadCache(tmp_path / "cache.sqlite")
    open_catalog([pack], cache)
    (pack / "topics" / "sleep.md").unlink()
    (pack / "topics" / "broken.md").write_text(topic_md("broken", title="Mended"))
    (pack / "topics" / "new.md").write_text(topic_md("new", title="New one"))
    catalog = open_catalog([pack], cache)
    assert [t.title for t in catalog.topics()] == ["Knee pain", "Mended", "New one"]
    assert catalog.problems == []


def test_a_replaced_image_is_checked_again(pack: Path, tmp_path: Path) -> None:
    cache = HeadCache(tmp_path / "cache.sqlite")
    assert open_catalog([pack], cache).head("knee") is not None
    (pack / "media" / "knee.png").write_bytes(b"not a picture")
    catalog = open_catalog([pack], cache)
    assert catalog.head("knee") is None
    assert any("knee.png" in str(p) for p in catalog.problems)


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda p: p.write_bytes(b"garbage, not SQLite " * 200), id="garbage"),
        pytest.param(lambda p: p.write_bytes(p.read_bytes()[:300]), id="cut-short"),
        pytest.param(lambda p: p.write_bytes(b""), id="empty"),
    ],
)
def test_a_damaged_cache_is_rebuilt(
    pack: Path, tmp_path: Path, damage: Callable[[Path], object], reads: list
) -> None:
    cache = HeadCache(tmp_path / "cache.sqlite")
    first = open_catalog([pack], cache)
    damage(cache.path)
    again = open_catalog([pack], cache)
    assert shown(again) == shown(first)
    assert reads == [pack, pack]
    # ...and the file is whole again, so the start after that reads nothing.
    assert shown(open_catalog([pack], cache)) == shown(first)
    assert reads == [pack, pack]


def test_a_cache_from_another_version_is_rebuilt(pack: Path, tmp_path: Path, reads: list) -> None:
    cache = HeadCache(tmp_path / "cache.sqlite")
    first = open_catalog([pack], cache)
    with sqlite3.connect(cache.path) as db:
        db.execute("PRAGMA user_version = 999")
    assert shown(open_catalog([pack], cache)) == shown(first)
    assert shown(open_catalog([pack], cache)) == shown(first)
    assert reads == [pack, pack]


def test_a_read_only_data_dir_still_shows_every_topic(
    pack: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "cache").write_text("a file where the cache folder should be")
    with caplog.at_level(logging.WARNING):
        catalog = open_catalog([pack], HeadCache(data / "cache" / "topics.sqlite"))
    assert [t.title for t in catalog.topics()] == ["Knee pain", "Sleep"]
    assert "cannot be written" in caplog.text


def test_folders_gone_from_disk_are_forgotten(
    make_pack: PackMaker, topic_md: TopicMd, pack: Path, tmp_path: Path
) -> None:
    cache = HeadCache(tmp_path / "cache.sqlite")
    old = make_pack("old-version", {"a.md": topic_md("a")})
    open_catalog([old, pack], cache)
    for file in (old / "topics").iterdir():
        file.unlink()
    (old / "topics").rmdir()
    (old / "pack.toml").unlink()
    old.rmdir()
    # As when a pack's new version is installed and its oldest version removed.
    new = make_pack("new-version", {"b.md": topic_md("b")})
    open_catalog([pack, new], cache)
    with sqlite3.connect(cache.path) as db:
        roots = {r for (r,) in db.execute("SELECT root FROM pack")}
        heads = db.execute("SELECT count(*) FROM head").fetchone()[0]
    assert roots == {str(pack), str(new)}
    assert heads == 3


def test_fingerprint_follows_every_file_the_pack_reads(pack: Path) -> None:
    before = folder_fingerprint(pack)
    assert folder_fingerprint(pack) == before
    for path in (pack / "pack.toml", pack / "topics" / "sleep.md", pack / "media" / "knee.png"):
        stat = path.stat()
        path.write_bytes(path.read_bytes())  # same bytes, written again
        os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # even with the old time
        after = folder_fingerprint(pack)
        assert after != before, path.name
        before = after


def test_a_topic_file_changed_after_start_is_not_shown_broken(
    pack: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    catalog = open_catalog([pack], HeadCache(tmp_path / "cache.sqlite"))
    (pack / "topics" / "sleep.md").write_text("+++\nbroken now")
    with caplog.at_level(logging.WARNING):
        assert catalog.topic("sleep") is None
    assert "sleep" in caplog.text
    assert catalog.topic("knee") is not None


@pytest.fixture
def file_reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The topic files parsed one by one (the real reader still runs; this only counts)."""
    seen: list[str] = []
    real = catalog_module.read_topic

    def counting(root: Path, file_name: str, pack_id: str) -> ParseResult:
        seen.append(file_name)
        return real(root, file_name, pack_id)

    monkeypatch.setattr(catalog_module, "read_topic", counting)
    return seen


def test_opening_a_topic_uses_its_kept_sections(
    pack: Path, tmp_path: Path, file_reads: list[str]
) -> None:
    cache = HeadCache(tmp_path / "cache.sqlite")
    open_catalog([pack], cache)
    catalog = open_catalog([pack], cache)
    parsed = open_catalog([pack])  # no cache: every topic parsed from its file
    knee = catalog.topic("knee")
    assert knee == parsed.topic("knee") and knee is not None
    assert knee.pack_id == "org.example.test"
    assert list(catalog.all_topics()) == list(parsed.all_topics())
    assert file_reads == ["knee.md", "knee.md", "sleep.md"], "only the uncached catalog parsed"


def test_a_topic_edited_after_start_is_read_from_its_file(
    pack: Path, tmp_path: Path, topic_md: TopicMd, file_reads: list[str]
) -> None:
    cache = HeadCache(tmp_path / "cache.sqlite")
    catalog = open_catalog([pack], cache)
    (pack / "topics" / "sleep.md").write_text(topic_md("sleep", body="Keep the room cool."))
    sleep = catalog.topic("sleep")
    assert sleep is not None and "Keep the room cool." in sleep.sections[0].html
    assert file_reads == ["sleep.md"]
