"""Where the kiosk's files are: the data dir's layout (README's table)."""

from __future__ import annotations

from pathlib import Path

from kiosk.paths import DataPaths


def test_the_data_dir_layout_is_the_one_the_readme_documents(tmp_path: Path) -> None:
    paths = DataPaths(tmp_path)
    assert paths.library == tmp_path / "library"
    assert paths.staff_pin == tmp_path / "staff-pin.json"
    assert paths.topic_cache == tmp_path / "cache" / "topics.sqlite"
    assert paths.search_index == tmp_path / "index" / "search.sqlite"
