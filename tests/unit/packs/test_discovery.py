"""Finding packs on a stick: only archives, not too deep, never stalled by a huge stick."""

from __future__ import annotations

from pathlib import Path

from kiosk.packs.discovery import MAX_FOUND, find_packs, signature_for


def test_finds_archives_at_the_top_and_one_folder_down(tmp_path: Path) -> None:
    (tmp_path / "a.topicpack").write_bytes(b"x")
    (tmp_path / "a.topicpack.minisig").write_text("sig")
    (tmp_path / "clinic").mkdir()
    (tmp_path / "clinic" / "b.topicpack").write_bytes(b"x")
    (tmp_path / "clinic" / "deeper").mkdir()
    (tmp_path / "clinic" / "deeper" / "c.topicpack").write_bytes(b"x")
    (tmp_path / ".hidden.topicpack").write_bytes(b"x")
    (tmp_path / "notes.txt").write_text("x")
    (tmp_path / "link.topicpack").symlink_to(tmp_path / "a.topicpack")
    found = find_packs(tmp_path)
    assert [p.relative_to(tmp_path).as_posix() for p in found] == [
        "a.topicpack",
        "clinic/b.topicpack",
    ]
    assert signature_for(found[0]) == tmp_path / "a.topicpack.minisig"
    assert signature_for(found[1]) is None


def test_a_stick_full_of_files_is_capped(tmp_path: Path) -> None:
    for n in range(MAX_FOUND + 20):
        (tmp_path / f"{n:03}.topicpack").write_bytes(b"x")
    assert len(find_packs(tmp_path)) == MAX_FOUND


def test_a_missing_stick_finds_nothing(tmp_path: Path) -> None:
    assert find_packs(tmp_path / "pulled") == []
