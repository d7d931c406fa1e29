"""The installed library on disk: the packs staff installed, each with a current and a kept
previous version, changed only in steps that a kill -9 or a power cut cannot leave half done.

Layout under ROOT (the data dir's `library/`):

    packs/<pack-id>/v<N>/      one version's files, exactly as the pack has them
    packs/<pack-id>/current    symlink -> v<N>: the version the kiosk shows
    packs/<pack-id>/previous   symlink -> v<M>: where a rollback goes (absent for a first install)
    staging/<random>/          work in progress; whatever is here when the store opens is debris
    lock                       flock()ed while the library changes: one changer at a time

Why no crash can leave a mix of two versions:
- A version folder is written in staging, every file and folder in it fsynced, and only then
  renamed into packs/<pack-id>/. A rename is atomic, so packs/ never holds a half-written version.
- The kiosk reads only `current`. It is switched by making the new symlink under a temporary name
  and os.replace()-ing it over the old one, which is atomic: `current` names a whole version,
  the old one or the new one. Folders are fsynced after each step, so after a power cut the
  steps are found in the order they were made.
- Deleting a folder first renames it into staging (atomic), then deletes it there: a crash
  mid-delete leaves debris in staging, never a half-deleted version in packs/.
- Version folders nothing points to and temporary symlinks are leftovers of an interrupted
  change; opening the store removes them, and staging, unless another process is changing the
  library right now (it holds the lock, and its staging folder is not debris).
"""

from __future__ import annotations

import logging
import os
import re
import secrets
import shutil
import stat
import tempfile
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from kiosk.library.change_lock import ChangeLock
from kiosk.library.durable import Progress, fsync_path, make_folder, point_link, sync_tree
from kiosk.library.refusals import AlreadyInstalled, LibraryRefused, disk_reason
from kiosk.packs.manifest import PACK_ID, parse_manifest

# LibraryRefused and AlreadyInstalled are what every caller of the store catches.
__all__ = ["AlreadyInstalled", "InstalledPack", "LibraryRefused", "LibraryStore", "same_files"]

log = logging.getLogger(__name__)

CURRENT = "current"
PREVIOUS = "previous"
_VERSION_DIR = re.compile(r"^v([1-9][0-9]*)$")


@dataclass(frozen=True, slots=True)
class InstalledPack:
    """`folder` is the version folder itself, not the `current` link, so a kiosk that opened
    it keeps reading one version even while another is being installed."""

    id: str
    version: int
    title: str
    folder: Path
    previous_version: int | None

    @property
    def rolled_back(self) -> bool:
        """Staff rolled back from a newer version (kept as previous). An inbox should not
        quietly install that version again."""
        return self.previous_version is not None and self.previous_version > self.version


def _version_of(name: str) -> int | None:
    match = _VERSION_DIR.match(name)
    return int(match.group(1)) if match else None


def _link_version(link: Path) -> int | None:
    """The version a `current`/`previous` link names, if it names an existing version folder."""
    try:
        target = os.readlink(link)
    except OSError:
        return None
    version = _version_of(target)
    if version is None or not (link.parent / target).is_dir():
        return None
    return version


def _title_in(folder: Path) -> str | None:
    try:
        text = (folder / "pack.toml").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    manifest, _problems = parse_manifest(text)
    return manifest.title if manifest else None


def _check_tree(root: Path) -> list[Path]:
    """Every file a populated folder holds. Only plain files and folders go into the library:
    a link could make the kiosk read anything on its disk."""
    if not (root / "pack.toml").is_file():
        raise LibraryRefused("the pack has no pack.toml")
    files: list[Path] = []
    for dirpath, dirnames, filenames in os.walk(root):
        for name in (*dirnames, *filenames):
            path = Path(dirpath, name)
            mode = path.lstat().st_mode
            if stat.S_ISREG(mode):
                files.append(path)
            elif not stat.S_ISDIR(mode):
                raise LibraryRefused(f"the pack holds {path.relative_to(root)}, not a plain file")
    return files


def same_files(files: Mapping[str, bytes]) -> Callable[[Path], bool]:
    """A `same_content` check for `install`: the folder holds exactly these files (relative
    names), byte for byte, and nothing else. Sizes are compared first, so a changed pack is
    usually told apart without reading it."""

    def check(folder: Path) -> bool:
        found: dict[str, Path] = {}
        for dirpath, _dirnames, filenames in os.walk(folder):
            for name in filenames:
                path = Path(dirpath, name)
                found[path.relative_to(folder).as_posix()] = path
        if found.keys() != files.keys():
            return False
        try:
            if any(found[n].stat().st_size != len(data) for n, data in files.items()):
                return False
            return all(found[n].read_bytes() == data for n, data in files.items())
        except OSError:
            return False

    return check


class LibraryStore:
    """The installed packs under `root`. Reads need no lock: every change is one atomic
    rename, so a reader sees the library before or after it."""

    def __init__(self, root: Path, *, lock_timeout: float = 30.0) -> None:
        self.root = root
        self.packs_dir = root / "packs"
        self.staging_dir = root / "staging"
        self._lock = ChangeLock(root / "lock", timeout=lock_timeout, prepare=self._make_dirs)
        try:
            self._make_dirs()
        except OSError as error:
            # The kiosk must still start (with its bundled packs) on a broken data disk.
            log.warning("the library in %s cannot be used: %s", root, disk_reason(error))
            return
        self._clean_up()

    # --- reading ------------------------------------------------------------------------

    def installed(self) -> list[InstalledPack]:
        """Installed packs, sorted by id. A pack folder without a whole current version (an
        interrupted first install) is not installed."""
        try:
            names = sorted(p.name for p in self.packs_dir.iterdir())
        except OSError:
            return []
        packs = (self._read(name) for name in names if PACK_ID.match(name))
        return [p for p in packs if p is not None]

    def folders(self) -> list[Path]:
        """The current version folder of each installed pack, for `open_catalog`."""
        return [p.folder for p in self.installed()]

    def get(self, pack_id: str) -> InstalledPack | None:
        return self._read(pack_id) if PACK_ID.match(pack_id) else None

    def _read(self, pack_id: str) -> InstalledPack | None:
        pack_dir = self.packs_dir / pack_id
        version = _link_version(pack_dir / CURRENT)
        if version is None:
            return None
        previous = _link_version(pack_dir / PREVIOUS)
        folder = pack_dir / f"v{version}"
        return InstalledPack(
            id=pack_id,
            version=version,
            title=_title_in(folder) or pack_id,
            folder=folder,
            previous_version=previous if previous != version else None,
        )

    # --- changing -----------------------------------------------------------------------

    def install(
        self,
        pack_id: str,
        version: int,
        title: str,
        populate: Callable[[Path], None],
        *,
        same_content: Callable[[Path], bool] | None = None,
        progress: Progress | None = None,
    ) -> InstalledPack:
        """Install a version, keep the one it replaces as previous, delete older ones.

        `populate(folder)` writes the pack's files into an empty folder in staging. Versions
        only grow: a lower one is refused, and so is the same one unless `same_content(folder)`
        says the installed files are identical (then `AlreadyInstalled` says nothing changed).
        The version staff rolled back from is refused too: roll back again to return to it.
        On any failure the library is left exactly as it was, and `LibraryRefused` says why.
        """
        report = progress or (lambda _fraction: None)
        what = f"version {version} of {pack_id}"
        _check_id(pack_id)
        if isinstance(version, bool) or not isinstance(version, int) or version < 1:
            raise LibraryRefused(f"{version!r} is not a pack version (a whole number of 1 or more)")
        with self._lock.held():
            report(0.0)
            existing = self._read(pack_id)
            if existing is not None:
                self._check_newer(existing, what, version, same_content)
            pack_dir = self.packs_dir / pack_id
            new_dir = pack_dir / f"v{version}"
            try:
                work = Path(tempfile.mkdtemp(prefix=f"{pack_id}-v{version}-", dir=self.staging_dir))
            except OSError as error:
                raise LibraryRefused(f"could not install {what}: {disk_reason(error)}") from None
            made_pack_dir = moved_in = False
            try:
                populate(work)
                report(0.4)
                files = _check_tree(work)
                sync_tree(work, files, lambda f: report(0.4 + 0.5 * f))
                if not pack_dir.is_dir():
                    pack_dir.mkdir()
                    made_pack_dir = True
                    fsync_path(self.packs_dir)
                if os.path.lexists(new_dir):
                    self._discard(new_dir)  # a leftover nothing points to (checked above)
                os.rename(work, new_dir)
                moved_in = True
                fsync_path(pack_dir)
                fsync_path(self.staging_dir)
                point_link(pack_dir / CURRENT, new_dir.name)  # the moment it is installed
            except BaseException as error:
                if moved_in and _link_version(pack_dir / CURRENT) == version:
                    raise  # interrupted (Ctrl-C) just after the switch: it is installed
                self._undo(work, new_dir if moved_in else None, pack_dir if made_pack_dir else None)
                if isinstance(error, LibraryRefused):
                    raise LibraryRefused(f"could not install {what}: {error}") from None
                if isinstance(error, OSError):
                    reason = disk_reason(error)
                    raise LibraryRefused(f"could not install {what}: {reason}") from None
                if isinstance(error, Exception):
                    raise LibraryRefused(f"could not install {what}: {error}") from error
                raise
            # Installed. What follows only tidies up; a failure there leaves extra folders
            # that the next start removes, never a broken library.
            try:
                if existing is not None:
                    point_link(pack_dir / PREVIOUS, existing.folder.name)
                self._prune(pack_dir)
            except OSError as error:
                log.warning("%s is installed, but tidying up failed: %s", what, disk_reason(error))
            report(1.0)
            installed = self._read(pack_id)
            return installed or InstalledPack(pack_id, version, title, new_dir, None)

    def rollback(self, pack_id: str) -> InstalledPack:
        """Swap current and previous. The version rolled back from is kept as previous, so a
        second rollback undoes the first, and `InstalledPack.rolled_back` tells an inbox not to
        install it again by itself."""
        _check_id(pack_id)
        with self._lock.held():
            existing = self._read(pack_id)
            if existing is None:
                raise LibraryRefused(f"no pack {pack_id} is installed")
            if existing.previous_version is None:
                raise LibraryRefused(f"{pack_id} has no previous version to roll back to")
            pack_dir = self.packs_dir / pack_id
            try:
                point_link(pack_dir / CURRENT, f"v{existing.previous_version}")
            except OSError as error:
                raise LibraryRefused(
                    f"could not roll back {pack_id}: {disk_reason(error)}"
                ) from None
            try:
                point_link(pack_dir / PREVIOUS, existing.folder.name)
            except OSError as error:
                reason = disk_reason(error)
                log.warning(
                    "%s is rolled back; keeping the other version failed: %s", pack_id, reason
                )
            rolled = self._read(pack_id)
            assert rolled is not None
            return rolled

    def remove(self, pack_id: str) -> None:
        """Gone in one rename (into staging); the files are deleted after."""
        _check_id(pack_id)
        with self._lock.held():
            pack_dir = self.packs_dir / pack_id
            if not pack_dir.is_dir() or pack_dir.is_symlink():
                raise LibraryRefused(f"no pack {pack_id} is installed")
            try:
                self._discard(pack_dir)
            except OSError as error:
                raise LibraryRefused(f"could not remove {pack_id}: {disk_reason(error)}") from None

    @contextmanager
    def staging_area(self) -> Iterator[Path]:
        """A private folder in staging for copying a pack off a stick and checking it, removed
        afterwards. The library stays locked meanwhile, so a kiosk starting up in another
        process does not sweep the folder away as debris."""
        with self._lock.held():
            try:
                work = Path(tempfile.mkdtemp(prefix="incoming-", dir=self.staging_dir))
            except OSError as error:
                raise LibraryRefused(f"cannot copy the pack in: {disk_reason(error)}") from None
            try:
                yield work
            finally:
                shutil.rmtree(work, ignore_errors=True)

    # --- steps --------------------------------------------------------------------------

    def _check_newer(
        self,
        existing: InstalledPack,
        what: str,
        version: int,
        same_content: Callable[[Path], bool] | None,
    ) -> None:
        if version < existing.version:
            raise LibraryRefused(f"{what} is older than the installed version {existing.version}")
        if version == existing.version:
            if same_content is not None and same_content(existing.folder):
                raise AlreadyInstalled(f"{what} is already installed; nothing changed")
            raise LibraryRefused(
                f"same version, different content: {what} is already installed with other "
                "files (a changed pack needs a higher version)"
            )
        if version == existing.previous_version:
            raise LibraryRefused(
                f"{what} was rolled back; to return to it, roll back {existing.id} again"
            )

    def _discard(self, path: Path) -> None:
        """Take `path` out of the library in one step, then delete it at leisure."""
        if path.is_symlink() or not path.is_dir():
            path.unlink()
            fsync_path(path.parent)
            return
        grave = self.staging_dir / f"discard-{secrets.token_hex(6)}"
        os.rename(path, grave)
        fsync_path(path.parent)
        fsync_path(self.staging_dir)
        shutil.rmtree(grave, ignore_errors=True)  # what is left is removed at the next start

    def _prune(self, pack_dir: Path) -> None:
        """Everything but `current`, `previous` and the two folders they name."""
        keep = {CURRENT, PREVIOUS}
        for link in (CURRENT, PREVIOUS):
            version = _link_version(pack_dir / link)
            if version is not None:
                keep.add(f"v{version}")
        previous = pack_dir / PREVIOUS
        if previous.is_symlink() and _link_version(previous) in (
            None,
            _link_version(pack_dir / CURRENT),
        ):
            keep.discard(PREVIOUS)  # dangling, or the same as current: no rollback to offer
        for child in sorted(pack_dir.iterdir()):
            if child.name not in keep:
                self._discard(child)

    def _undo(self, work: Path, moved_in: Path | None, made_pack_dir: Path | None) -> None:
        """After a failed install, put everything back as it was. Best effort: what cannot be
        removed now is debris that nothing points to, removed at the next start."""
        try:
            if moved_in is not None:
                self._discard(moved_in)
            if made_pack_dir is not None:
                for child in made_pack_dir.iterdir():
                    self._discard(child)
                made_pack_dir.rmdir()
                fsync_path(self.packs_dir)
        except OSError as error:
            log.warning("could not undo a failed install completely: %s", disk_reason(error))
        shutil.rmtree(work, ignore_errors=True)

    def _make_dirs(self) -> None:
        for folder in (self.root, self.packs_dir, self.staging_dir):
            make_folder(folder)

    def _clean_up(self) -> None:
        """Remove what an interrupted change left behind, unless a change is running now."""
        try:
            held = self._lock.held_if_free()
        except OSError as error:
            log.warning("the library in %s cannot be locked: %s", self.root, disk_reason(error))
            return
        if held is None:
            return  # another process is installing; its staging folder is not debris
        with held:
            self._tidy()

    def _tidy(self) -> None:
        try:
            for entry in sorted(self.staging_dir.iterdir()):
                if entry.is_dir() and not entry.is_symlink():
                    shutil.rmtree(entry, ignore_errors=True)
                else:
                    entry.unlink(missing_ok=True)
            for pack_dir in sorted(self.packs_dir.iterdir()):
                if not PACK_ID.match(pack_dir.name) or not pack_dir.is_dir():
                    continue  # not ours: left alone
                if pack_dir.is_symlink() or _link_version(pack_dir / CURRENT) is None:
                    log.warning("removing %s: an install that never finished", pack_dir.name)
                    self._discard(pack_dir)
                else:
                    self._prune(pack_dir)
        except OSError as error:
            log.warning("could not tidy the library in %s: %s", self.root, disk_reason(error))


def _check_id(pack_id: str) -> None:
    # The id becomes a folder name: nothing but a reverse-DNS name may get that far.
    if not isinstance(pack_id, str) or not PACK_ID.match(pack_id):
        raise LibraryRefused(
            f"{pack_id!r} is not a pack id (a reverse-DNS name like org.example.heart)"
        )
