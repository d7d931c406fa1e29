"""Writing to the data dir so that a kill -9 or a power cut leaves the old state or the new one,
never part of either: the library's version links, the staff PIN file, the search index.

The same four steps each time, and why each is there:
- the new file is written under a temporary name beside the target, on the same file system,
  so that renaming it over the target is one atomic step;
- its data is flushed (fsync) before the rename, or after a power cut the name could point
  at a file whose bytes never reached the disk;
- `os.replace` switches it in: readers see the old file or the new one;
- the folder is flushed after, or the rename itself could be lost and the old file come back
  (a wrong PIN that no longer counts, a rolled-back library that is current again).

A failure before the switch removes the temporary file and raises: nothing changed. Once the
switch is made, a failing flush of the folder is only logged, because the change is already
what every reader sees.
"""

from __future__ import annotations

import logging
import os
import secrets
import tempfile
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager, suppress
from pathlib import Path

log = logging.getLogger(__name__)

_FSYNC_THREADS = 8  # fsyncs of many small files overlap well; one at a time is ~4x slower

# The share of a long write done so far, 0 to 1, for the staff screen's progress bar.
Progress = Callable[[float], None]

__all__ = [
    "Progress",
    "fsync_path",
    "make_folder",
    "point_link",
    "replacing",
    "sync_tree",
    "write_file",
]


def fsync_path(path: Path) -> None:
    """Flush a file's data, or a folder's entries, to the disk."""
    fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def make_folder(folder: Path) -> None:
    """`folder` and any missing parents, each one's entry flushed in the folder above it."""
    missing = []
    while not folder.is_dir():
        missing.append(folder)
        if folder.parent == folder:
            break
        folder = folder.parent
    for made in reversed(missing):
        made.mkdir(exist_ok=True)
        fsync_path(made.parent)


@contextmanager
def replacing(path: Path, *, mode: int = 0o644) -> Iterator[Path]:
    """A temporary file beside `path` to write the new contents into; when the block ends
    without an error it is flushed, given `mode` and switched in for `path`. The file is
    private (0600) while it is written, so a secret is never readable by others."""
    make_folder(path.parent)
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    temp = Path(name)
    try:
        yield temp
        fsync_path(temp)
        temp.chmod(mode)
        os.replace(temp, path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    _flush_switch(path)


def write_file(path: Path, data: bytes, *, mode: int = 0o644) -> None:
    """Replace the file at `path` with `data`, in one step a crash cannot split."""
    with replacing(path, mode=mode) as temp:
        temp.write_bytes(data)


def point_link(link: Path, target: str) -> None:
    """Make `link` a symbolic link to `target` in one step, whatever it was before. Raises only
    when nothing changed."""
    temp = link.with_name(f".{link.name}-{secrets.token_hex(4)}")
    os.symlink(target, temp)
    try:
        os.replace(temp, link)
    except BaseException:
        with suppress(OSError):
            temp.unlink()
        raise
    _flush_switch(link)


def _flush_switch(path: Path) -> None:
    try:
        fsync_path(path.parent)
    except OSError as error:
        log.warning("could not flush %s to disk: %s", path.parent, error.strerror or error)


def sync_tree(root: Path, files: list[Path], progress: Progress) -> None:
    """Flush a whole folder tree before it is renamed into place: files first, then folders
    deepest first, so that a folder's entries only ever name data already on the disk."""
    with ThreadPoolExecutor(_FSYNC_THREADS) as pool:
        # Progress is reported from the caller's thread, as the result of each fsync arrives.
        for done, _ in enumerate(pool.map(fsync_path, files), start=1):
            if done % 64 == 0:
                progress(done / len(files))
    folders = sorted((Path(d) for d, _n, _f in os.walk(root)), key=lambda p: -len(p.parts))
    for folder in folders:
        fsync_path(folder)
