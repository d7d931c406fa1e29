"""Where the kiosk's files are: the data dir's layout (README's table) and the bundled samples."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from kiosk.app import build_services
from kiosk.config import Settings, load_settings
from kiosk.paths import DataPaths, bundled_topics

REPO = Path(__file__).resolve().parents[2]


def settings_for(data_dir: Path, **env: str) -> Settings:
    return load_settings(
        {"KIOSK_CONFIG": str(data_dir / "none.toml"), "KIOSK_DATA_DIR": str(data_dir), **env},
        system_file=data_dir / "none-system.toml",
    )


def test_the_data_dir_layout_is_the_one_the_readme_documents(tmp_path: Path) -> None:
    paths = DataPaths(tmp_path)
    assert paths.library == tmp_path / "library"
    assert paths.staff_pin == tmp_path / "staff-pin.json"
    assert paths.topic_cache == tmp_path / "cache" / "topics.sqlite"
    assert paths.search_index == tmp_path / "index" / "search.sqlite"


def test_a_checkout_shows_the_samples_from_its_topics_folder() -> None:
    assert bundled_topics() == REPO / "topics"


def test_a_missing_sample_folder_is_named_in_the_log(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    missing = tmp_path / "site-packages" / "kiosk" / "sample_topics"
    with caplog.at_level(logging.WARNING):
        services = build_services(settings_for(tmp_path), bundled=missing, speech=False)
    assert len(services.catalog) == 0
    assert caplog.messages == [f"the sample topics are missing: there is no folder {missing}"]


def test_no_word_about_samples_a_clinic_has_turned_off(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    settings = settings_for(tmp_path, KIOSK__LIBRARY__SHOW_SAMPLES="false")
    with caplog.at_level(logging.WARNING):
        build_services(settings, bundled=tmp_path / "nowhere", speech=False)
    assert caplog.messages == []
