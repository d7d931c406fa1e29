"""`kiosk search` as IT staff run it: the real command in a child process, over the bundled
sample library, with the index file in the data dir."""

from __future__ import annotations

from pathlib import Path

from tests.e2e.kiosk_cli import AUTHORING_MANIFEST as MANIFEST
from tests.e2e.kiosk_cli import run_kiosk

REPO = Path(__file__).resolve().parents[2]


NEW_TOPIC = """\
+++
id = "walking-aids"
title = "Walking Aids"
also_called = ["zimmer frame", "walking stick"]
category = "Everyday health"
language = "en"
+++

Things that help you walk safely.

## Choosing one

Ask a physiotherapist which one suits you.
"""


def test_a_misspelling_finds_the_topic(tmp_path: Path) -> None:
    result = run_kiosk("search", "diabetis", data_dir=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0] == "type-2-diabetes\tType 2 Diabetes"
    assert result.stderr == ""
    assert (tmp_path / "index" / "search.sqlite").is_file()


def test_ranked_lines_and_limit(tmp_path: Path) -> None:
    result = run_kiosk("search", "blood", "--limit", "3", data_dir=tmp_path)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 3
    assert lines[0] == "high-blood-pressure\tHigh Blood Pressure"
    assert all(len(line.split("\t")) == 2 for line in lines)
    # Several words without quotes are one query.
    again = run_kiosk("search", "hart", "atack", "--limit", "1", data_dir=tmp_path)
    assert again.stdout == "heart-attack-and-stroke\tSigns of Heart Attack and Stroke\n"


def test_no_results_is_not_an_error(tmp_path: Path) -> None:
    result = run_kiosk("search", "qqxzv", data_dir=tmp_path)
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")
    odd = run_kiosk("search", '"NEAR(', "--", "-", data_dir=tmp_path)
    assert (odd.returncode, odd.stderr) == (0, "")


def test_usage_errors_are_one_line(tmp_path: Path) -> None:
    for args in (("search",), ("search", "x", "--limit", "0"), ("search", "x", "--limit", "a")):
        result = run_kiosk(*args, data_dir=tmp_path)
        assert result.returncode == 2, args
        assert result.stdout == ""
        assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    missing = run_kiosk("search", "x", "--pack", tmp_path / "nope", data_dir=tmp_path)
    assert missing.returncode == 2
    assert "is not a pack folder" in missing.stderr


def test_a_pack_folder_is_searched_too(tmp_path: Path) -> None:
    pack = tmp_path / "authoring"
    (pack / "topics").mkdir(parents=True)
    (pack / "pack.toml").write_text(MANIFEST, encoding="utf-8")
    (pack / "topics" / "walking-aids.md").write_text(NEW_TOPIC, encoding="utf-8")
    data = tmp_path / "data"
    without = run_kiosk("search", "zimmer", data_dir=data)
    assert without.stdout == ""
    result = run_kiosk("search", "zimmer", "--pack", pack, data_dir=data)
    assert result.stdout == "walking-aids\tWalking Aids\n"
