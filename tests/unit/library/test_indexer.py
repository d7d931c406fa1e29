"""The search index built by a real child process, and what happens when the child fails."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

import pytest

from kiosk.library.catalog import open_catalog
from kiosk.library.headcache import HeadCache
from kiosk.library.index import fingerprint_of, is_current, open_index
from kiosk.library.indexer import BuildFailed, build_in_child

PackMaker = Callable[..., Path]
TopicMd = Callable[..., str]


@pytest.fixture
def pack(make_pack: PackMaker, topic_md: TopicMd) -> Path:
    return make_pack(
        "clinic",
        {
            "knee.md": topic_md("knee", title="Knee pain", body="Ice and rest help a sore knee."),
            "sleep.md": topic_md("sleep", title="Sleep", body="A dark, quiet room helps."),
        },
    )


def test_the_child_builds_the_index_the_kiosk_then_opens(pack: Path, tmp_path: Path) -> None:
    data = tmp_path / "data"
    cache = HeadCache(data / "cache" / "topics.sqlite")
    catalog = open_catalog([pack], cache)
    path = data / "index" / "search.sqlite"
    calls: list[str] = []

    def child() -> None:
        calls.append("child")
        build_in_child([pack], path, cache.path)

    with open_index(catalog, path, build_first=child) as index:
        assert calls == ["child"]
        assert not index.rebuilt, "the child built it; this process only opened it"
        assert [h.topic_id for h in index.search("knee")] == ["knee"]
        assert [h.topic_id for h in index.search("quiet")] == ["sleep"]
    # Current now, so the next start neither runs the child nor builds.
    with open_index(catalog, path, build_first=child) as index:
        assert calls == ["child"] and not index.rebuilt


def test_a_failing_child_leaves_the_build_to_the_kiosk(
    pack: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "data" / "index" / "search.sqlite"
    catalog = open_catalog([pack])
    # A data dir the child cannot create: it exits with an error.
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    unwritable = blocked / "data" / "index" / "search.sqlite"
    with pytest.raises(BuildFailed, match="exit 1"):
        build_in_child([pack], unwritable, None)
    with caplog.at_level(logging.WARNING):
        index = open_index(
            catalog, path, build_first=lambda: build_in_child([pack], unwritable, None)
        )
    with index:
        assert index.rebuilt
        assert [h.topic_id for h in index.search("knee")] == ["knee"]
    assert "building it here" in caplog.text
    assert is_current(path, fingerprint_of([pack]))
