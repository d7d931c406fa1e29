"""The installed library on real temp folders: what is on disk after each change, and that a
refused or failed change leaves every path, link and byte as it was."""

from __future__ import annotations

import errno
import fcntl
import os
import shutil
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from kiosk.library.catalog import open_catalog
from kiosk.library.incoming import COPY_CHUNK, copy_in
from kiosk.library.store import AlreadyInstalled, InstalledPack, LibraryRefused, LibraryStore
from tests.unit.library.snapshots import snapshot

PackMaker = Callable[..., Path]  # the `make_pack` fixture (tests/unit/conftest.py)
TopicMd = Callable[..., str]
PACK = "org.example.test"


def files_of(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def manifest(version: int, title: str = "Test pack") -> str:
    return (
        f'format = 1\nid = "{PACK}"\nversion = {version}\ntitle = "{title}"\n'
        'languages = ["en"]\npublisher = "Test clinic"\n'
    )


@pytest.fixture
def version_of(
    make_pack: PackMaker, topic_md: TopicMd, png: bytes, tmp_path: Path
) -> Callable[..., Path]:
    """`version_of(3)`: a pack folder for version 3 whose topics say which version they are."""

    def make(version: int, *, extra: str = "", topics: int = 3) -> Path:
        name = f"source-v{version}{extra}-{topics}"
        if (tmp_path / name).is_dir():
            return tmp_path / name
        return make_pack(
            name,
            {
                f"t{i}.md": topic_md(f"t{i}", body=f"Version {version}{extra}, topic {i}.")
                for i in range(topics)
            },
            manifest=manifest(version, f"Test pack {version}"),
            media={"a.png": png},
        )

    return make


def copier(source: Path) -> Callable[[Path], None]:
    """Writes file by file, as `write_pack` does (copytree would gather errors into one)."""

    def populate(dest: Path) -> None:
        for path in sorted(source.rglob("*")):
            target = dest / path.relative_to(source)
            if path.is_dir():
                target.mkdir()
            else:
                target.write_bytes(path.read_bytes())

    return populate


def same_as(source: Path) -> Callable[[Path], bool]:
    return lambda folder: files_of(folder) == files_of(source)


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return tmp_path / "data" / "library"


@pytest.fixture
def store(root: Path) -> LibraryStore:
    return LibraryStore(root)


@pytest.fixture
def install(store: LibraryStore, version_of: Callable[..., Path]) -> Callable[..., InstalledPack]:
    def run(version: int, **kwargs: object) -> InstalledPack:
        source = version_of(version)
        return store.install(PACK, version, f"Test pack {version}", copier(source), **kwargs)  # type: ignore[arg-type]

    return run


# --- install, list ------------------------------------------------------------------------


def test_first_install_puts_the_files_in_a_version_folder_behind_current(
    store: LibraryStore, root: Path, version_of: Callable[..., Path]
) -> None:
    source = version_of(1)
    fractions: list[float] = []
    pack = store.install(PACK, 1, "Test pack 1", copier(source), progress=fractions.append)

    folder = root / "packs" / PACK / "v1"
    assert pack == InstalledPack(PACK, 1, "Test pack 1", folder, None)
    assert files_of(folder) == files_of(source)
    assert os.readlink(root / "packs" / PACK / "current") == "v1"
    assert sorted(os.listdir(root / "packs" / PACK)) == ["current", "v1"]
    assert os.listdir(root / "staging") == []
    assert store.installed() == [pack]
    assert store.folders() == [folder]
    assert fractions[0] == 0.0 and fractions[-1] == 1.0 and fractions == sorted(fractions)
    catalog = open_catalog(store.folders())
    assert catalog.problems == []
    assert [t.id for t in catalog.topics()] == ["t0", "t1", "t2"]


def test_an_update_keeps_the_previous_version_and_deletes_older_ones(
    install: Callable[..., InstalledPack], root: Path, store: LibraryStore
) -> None:
    install(1)
    install(2)
    pack = install(3)
    pack_dir = root / "packs" / PACK
    assert pack.version == 3 and pack.previous_version == 2
    assert pack.title == "Test pack 3"
    assert sorted(os.listdir(pack_dir)) == ["current", "previous", "v2", "v3"]
    assert os.readlink(pack_dir / "current") == "v3"
    assert os.readlink(pack_dir / "previous") == "v2"
    assert "Version 3, topic 1." in (pack_dir / "v3" / "topics" / "t1.md").read_text()
    assert os.listdir(root / "staging") == []


def test_installed_is_sorted_by_id_and_reads_titles_from_disk(
    store: LibraryStore, make_pack: PackMaker, topic_md: TopicMd
) -> None:
    for pack_id in ("org.zeta.pack", "org.alpha.pack"):
        text = manifest(4, f"Title of {pack_id}").replace(PACK, pack_id)
        source = make_pack(pack_id, {"a.md": topic_md("a")}, manifest=text)
        store.install(pack_id, 4, "ignored when pack.toml has one", copier(source))
    again = LibraryStore(store.root)
    assert [(p.id, p.version, p.title) for p in again.installed()] == [
        ("org.alpha.pack", 4, "Title of org.alpha.pack"),
        ("org.zeta.pack", 4, "Title of org.zeta.pack"),
    ]


# --- what is refused ------------------------------------------------------------------------


def test_an_older_version_is_refused_and_nothing_changes(
    install: Callable[..., InstalledPack], root: Path
) -> None:
    install(5)
    before = snapshot(root)
    with pytest.raises(LibraryRefused) as refused:
        install(3)
    assert str(refused.value) == f"version 3 of {PACK} is older than the installed version 5"
    assert snapshot(root) == before


def test_the_same_version_with_the_same_files_is_a_no_op_that_says_so(
    store: LibraryStore, root: Path, version_of: Callable[..., Path]
) -> None:
    source = version_of(2)
    store.install(PACK, 2, "Test pack 2", copier(source))
    before = snapshot(root)
    with pytest.raises(AlreadyInstalled) as already:
        store.install(PACK, 2, "Test pack 2", copier(source), same_content=same_as(source))
    assert str(already.value) == f"version 2 of {PACK} is already installed; nothing changed"
    assert snapshot(root) == before


@pytest.mark.parametrize("compare", [True, False], ids=["compared", "no-comparison"])
def test_the_same_version_with_different_files_is_refused(
    store: LibraryStore, root: Path, version_of: Callable[..., Path], compare: bool
) -> None:
    store.install(PACK, 2, "Test pack 2", copier(version_of(2)))
    before = snapshot(root)
    changed = version_of(2, extra=" changed")
    with pytest.raises(LibraryRefused) as refused:
        store.install(
            PACK,
            2,
            "Test pack 2",
            copier(changed),
            same_content=same_as(changed) if compare else None,
        )
    assert not isinstance(refused.value, AlreadyInstalled)
    assert str(refused.value) == (
        f"same version, different content: version 2 of {PACK} is already installed with "
        "other files (a changed pack needs a higher version)"
    )
    assert snapshot(root) == before


@pytest.mark.parametrize("bad_id", ["../escape", "/etc", "org", "Org.Example.X", "", "a/b.c"])
def test_a_pack_id_that_is_not_reverse_dns_never_becomes_a_folder(
    store: LibraryStore, root: Path, bad_id: str, version_of: Callable[..., Path]
) -> None:
    before = snapshot(root)
    with pytest.raises(LibraryRefused, match="is not a pack id"):
        store.install(bad_id, 1, "x", copier(version_of(1)))
    assert snapshot(root) == before


def test_populate_must_write_plain_files_only(
    store: LibraryStore, root: Path, version_of: Callable[..., Path]
) -> None:
    store.install(PACK, 1, "Test pack 1", copier(version_of(1)))
    before = snapshot(root)

    def with_link(dest: Path) -> None:
        copier(version_of(2))(dest)
        (dest / "media" / "b.png").symlink_to("/etc/passwd")

    with pytest.raises(LibraryRefused) as refused:
        store.install(PACK, 2, "Test pack 2", with_link)
    assert str(refused.value) == (
        f"could not install version 2 of {PACK}: the pack holds media/b.png, not a plain file"
    )
    assert snapshot(root) == before


# --- failures midway ------------------------------------------------------------------------


class Interrupted(Exception):
    pass


def test_a_populate_that_fails_midway_leaves_the_library_byte_for_byte_unchanged(
    install: Callable[..., InstalledPack],
    store: LibraryStore,
    root: Path,
    version_of: Callable[..., Path],
) -> None:
    install(1)
    install(2)
    before = snapshot(root)
    source = version_of(3, topics=10)

    def half(dest: Path) -> None:
        (dest / "topics").mkdir()
        shutil.copy(source / "pack.toml", dest)
        for path in sorted((source / "topics").iterdir())[:5]:
            shutil.copy(path, dest / "topics")
        raise Interrupted("the pack could not be read")

    with pytest.raises(LibraryRefused) as refused:
        store.install(PACK, 3, "Test pack 3", half)
    assert (
        str(refused.value) == f"could not install version 3 of {PACK}: the pack could not be read"
    )
    assert snapshot(root) == before
    assert store.installed()[0].version == 2


def test_a_failed_first_install_leaves_no_trace(
    store: LibraryStore, root: Path, version_of: Callable[..., Path]
) -> None:
    before = snapshot(root)

    def failing(dest: Path) -> None:
        copier(version_of(1))(dest)
        raise OSError(errno.EIO, "Input/output error")

    with pytest.raises(LibraryRefused) as refused:
        store.install(PACK, 1, "Test pack 1", failing)
    assert str(refused.value) == (
        f"could not install version 1 of {PACK}: the disk reported an input/output error"
    )
    assert snapshot(root) == before
    assert store.installed() == []


@pytest.fixture
def tiny_disk(tmp_path: Path) -> Iterator[Path]:
    """A real 256 KiB filesystem (tmpfs), so the disk really fills up. Needs root."""
    mount_point = tmp_path / "tiny"
    mount_point.mkdir()
    result = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(mount_point)],
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs to fill up ({result.stderr.strip()})")
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", str(mount_point)], check=True)


def test_a_full_disk_refuses_the_install_and_leaves_the_library_as_it_was(
    tiny_disk: Path, version_of: Callable[..., Path], png: bytes
) -> None:
    root = tiny_disk / "library"
    store = LibraryStore(root)
    store.install(PACK, 1, "Test pack 1", copier(version_of(1)))
    before = snapshot(root)
    big = version_of(2, extra=" with a big image")
    (big / "media" / "big.png").write_bytes(png + os.urandom(300 * 1024))

    with pytest.raises(LibraryRefused) as refused:
        store.install(PACK, 2, "Test pack 2", copier(big))
    assert str(refused.value) == f"could not install version 2 of {PACK}: the disk is full"
    assert snapshot(root) == before
    assert os.listdir(root / "staging") == []
    # ...and the space is given back: a pack that fits installs.
    assert store.install(PACK, 2, "Test pack 2", copier(version_of(2))).version == 2


# --- rollback, remove -----------------------------------------------------------------------


def test_rollback_swaps_current_and_previous_and_a_second_one_undoes_it(
    install: Callable[..., InstalledPack], store: LibraryStore, root: Path
) -> None:
    install(1)
    install(2)
    pack_dir = root / "packs" / PACK
    back = store.rollback(PACK)
    assert (back.version, back.previous_version, back.rolled_back) == (1, 2, True)
    assert back.title == "Test pack 1"
    assert "Version 1, topic 0." in (back.folder / "topics" / "t0.md").read_text()
    assert (os.readlink(pack_dir / "current"), os.readlink(pack_dir / "previous")) == ("v1", "v2")
    assert sorted(os.listdir(pack_dir)) == ["current", "previous", "v1", "v2"]

    forward = store.rollback(PACK)
    assert (forward.version, forward.previous_version, forward.rolled_back) == (2, 1, False)


def test_the_version_rolled_back_from_is_not_installed_again_by_itself(
    install: Callable[..., InstalledPack], store: LibraryStore, root: Path
) -> None:
    install(1)
    install(2)
    store.rollback(PACK)
    before = snapshot(root)
    with pytest.raises(LibraryRefused) as refused:
        install(2)
    assert str(refused.value) == (
        f"version 2 of {PACK} was rolled back; to return to it, roll back {PACK} again"
    )
    assert snapshot(root) == before
    newer = install(3)
    assert (newer.version, newer.previous_version) == (3, 1)
    assert sorted(os.listdir(root / "packs" / PACK)) == ["current", "previous", "v1", "v3"]


def test_rollback_is_refused_without_a_previous_version(
    install: Callable[..., InstalledPack], store: LibraryStore, root: Path
) -> None:
    install(1)
    before = snapshot(root)
    with pytest.raises(LibraryRefused) as refused:
        store.rollback(PACK)
    assert str(refused.value) == f"{PACK} has no previous version to roll back to"
    with pytest.raises(LibraryRefused) as unknown:
        store.rollback("org.example.unknown")
    assert str(unknown.value) == "no pack org.example.unknown is installed"
    assert snapshot(root) == before


def test_remove_takes_the_whole_pack_off_the_disk(
    install: Callable[..., InstalledPack], store: LibraryStore, root: Path
) -> None:
    install(1)
    install(2)
    store.remove(PACK)
    assert os.listdir(root / "packs") == []
    assert os.listdir(root / "staging") == []
    assert store.installed() == []
    with pytest.raises(LibraryRefused) as refused:
        store.remove(PACK)
    assert str(refused.value) == f"no pack {PACK} is installed"


def test_folders_name_a_version_so_a_running_kiosk_keeps_reading_one(
    install: Callable[..., InstalledPack], store: LibraryStore
) -> None:
    install(1)
    [folder] = store.folders()
    install(2)
    # The kiosk that opened version 1 still finds every file of version 1 (kept as previous).
    assert "Version 1, topic 0." in (folder / "topics" / "t0.md").read_text()


# --- crashes and other processes -------------------------------------------------------------


def test_opening_the_store_removes_what_a_crash_left_behind(
    install: Callable[..., InstalledPack], root: Path, version_of: Callable[..., Path]
) -> None:
    install(1)
    install(2)
    good = snapshot(root)
    # A half-written version in staging, a whole version never switched to, a temporary link,
    # and a first install killed before its `current` link was made.
    half = root / "staging" / "org.example.test-v3-abc"
    shutil.copytree(version_of(3), half)
    (half / "topics" / "t2.md").write_text("+++\nid = ")
    shutil.copytree(version_of(4), root / "packs" / PACK / "v4")
    (root / "packs" / PACK / ".current-1a2b3c4d").symlink_to("v4")
    shutil.copytree(version_of(1), root / "packs" / "org.example.never" / "v1")

    store = LibraryStore(root)
    assert snapshot(root) == good
    assert [(p.version, p.previous_version) for p in store.installed()] == [(2, 1)]


def test_start_up_leaves_staging_alone_while_another_process_is_installing(
    install: Callable[..., InstalledPack], root: Path
) -> None:
    install(1)
    work = root / "staging" / "someone-elses-install"
    work.mkdir()
    fd = os.open(root / "lock", os.O_RDWR)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        busy = LibraryStore(root, lock_timeout=0.2)
        assert work.is_dir(), "not debris: its installer holds the lock"
        assert [p.version for p in busy.installed()] == [1], "reading needs no lock"
        with pytest.raises(LibraryRefused) as refused:
            busy.rollback(PACK)
        assert str(refused.value) == (
            "another install, removal or rollback is running; try again when it has finished"
        )
    finally:
        os.close(fd)
    LibraryStore(root)
    assert not work.exists()


def test_a_data_dir_that_cannot_be_made_still_lets_the_kiosk_start(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    blocker = tmp_path / "data"
    blocker.write_text("a file where the data folder should be")
    store = LibraryStore(blocker / "library")
    assert store.installed() == []
    assert store.folders() == []
    assert "cannot be used" in caplog.text
    with pytest.raises(LibraryRefused, match="cannot be used"):
        store.remove(PACK)


# --- copying in off a stick ---------------------------------------------------------------


@pytest.fixture
def stick(tmp_path: Path) -> Path:
    folder = tmp_path / "stick"
    folder.mkdir()
    return folder


@pytest.fixture
def staging(tmp_path: Path) -> Path:
    folder = tmp_path / "staging"
    folder.mkdir()
    return folder


def test_copy_in_copies_the_archive_and_its_signature(stick: Path, staging: Path) -> None:
    archive = stick / "org.example.test-2.topicpack"
    archive.write_bytes(os.urandom(3 * COPY_CHUNK + 17))
    archive.with_name(archive.name + ".minisig").write_bytes(b"untrusted comment: x\n")
    fractions: list[float] = []
    local = copy_in(archive, staging, progress=fractions.append)
    assert local.parent.parent == staging
    assert local.read_bytes() == archive.read_bytes()
    assert sorted(os.listdir(local.parent)) == [archive.name, archive.name + ".minisig"]
    assert (local.parent / (archive.name + ".minisig")).read_bytes() == b"untrusted comment: x\n"
    assert fractions[-1] == 1.0 and fractions == sorted(fractions) and len(fractions) >= 4


def test_copy_in_without_a_signature_copies_the_archive_alone(stick: Path, staging: Path) -> None:
    archive = stick / "a.topicpack"
    archive.write_bytes(b"PK\x03\x04 not much")
    local = copy_in(archive, staging)
    assert os.listdir(local.parent) == ["a.topicpack"]


def test_a_stick_pulled_mid_copy_is_refused_and_nothing_is_left(stick: Path, staging: Path) -> None:
    """The file really disappears halfway: the progress call after the first chunk removes it
    (deterministic, unlike a racing thread). Reading an open file goes on after an unlink, so
    the check that catches it is the one after the copy."""
    archive = stick / "org.example.test-2.topicpack"
    archive.write_bytes(os.urandom(4 * COPY_CHUNK))

    def pull(fraction: float) -> None:
        if 0 < fraction < 1 and archive.exists():
            archive.unlink()

    with pytest.raises(LibraryRefused) as refused:
        copy_in(archive, staging, progress=pull)
    assert str(refused.value) == f"the stick was removed while copying {archive.name}"
    assert os.listdir(staging) == []


def test_a_file_cut_short_while_copying_is_refused(stick: Path, staging: Path) -> None:
    archive = stick / "org.example.test-2.topicpack"
    archive.write_bytes(os.urandom(4 * COPY_CHUNK))

    def cut(fraction: float) -> None:
        if 0 < fraction < 1:
            os.truncate(archive, COPY_CHUNK + 5)

    with pytest.raises(LibraryRefused) as refused:
        copy_in(archive, staging, progress=cut)
    assert str(refused.value) == (
        f"{archive.name} changed while it was being copied (is something still writing it?)"
    )
    assert os.listdir(staging) == []


def test_a_read_error_from_the_source_is_a_pulled_stick(staging: Path) -> None:
    """A real EIO from the kernel: /proc/self/mem read at address 0 (never mapped). Making a
    USB device fail on demand needs hardware or a FUSE filesystem; this is the same error
    reaching the same code."""
    source = Path("/proc/self/mem")
    try:
        with source.open("rb") as handle:
            handle.read(1)
        pytest.skip("reading /proc/self/mem at 0 does not fail here")
    except OSError as error:
        if error.errno != errno.EIO:
            pytest.skip(f"reading /proc/self/mem fails with {error.strerror}, not EIO")
    with pytest.raises(LibraryRefused) as refused:
        copy_in(source, staging)
    assert str(refused.value) == "the stick was removed while copying mem (Input/output error)"
    assert os.listdir(staging) == []


def test_copy_in_refuses_links_folders_and_missing_files(
    stick: Path, staging: Path, tmp_path: Path
) -> None:
    (stick / "link.topicpack").symlink_to(tmp_path / "elsewhere")
    (stick / "folder.topicpack").mkdir()
    os.mkfifo(stick / "fifo.topicpack")
    cases = {
        "link.topicpack": f"{stick / 'link.topicpack'} is a link, not a pack file",
        "folder.topicpack": f"{stick / 'folder.topicpack'} is not a file",
        "fifo.topicpack": f"{stick / 'fifo.topicpack'} is not a file",
        "gone.topicpack": f"{stick / 'gone.topicpack'} is not there (was the stick removed?)",
    }
    for name, message in cases.items():
        with pytest.raises(LibraryRefused) as refused:
            copy_in(stick / name, staging)
        assert str(refused.value) == message
    assert os.listdir(staging) == []


def test_copy_in_refuses_a_file_larger_than_any_pack(stick: Path, staging: Path) -> None:
    archive = stick / "huge.topicpack"
    with archive.open("wb") as handle:
        handle.truncate(3 * 1024 * 1024)  # sparse: no real disk use
    with pytest.raises(LibraryRefused) as refused:
        copy_in(archive, staging, max_bytes=2 * 1024 * 1024)
    assert str(refused.value) == "huge.topicpack is larger than 2 MiB; no pack is that big"
    assert os.listdir(staging) == []


def test_copy_in_onto_a_full_disk_is_refused(stick: Path, tiny_disk: Path) -> None:
    archive = stick / "big.topicpack"
    archive.write_bytes(os.urandom(400 * 1024))
    with pytest.raises(LibraryRefused) as refused:
        copy_in(archive, tiny_disk)
    assert str(refused.value) == "cannot copy big.topicpack: the disk is full"
    assert os.listdir(tiny_disk) == []
