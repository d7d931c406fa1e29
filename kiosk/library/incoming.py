"""Copying a pack file in off a USB stick (or out of the inbox) into the kiosk's own staging
folder, the first step of examining or installing it: nothing reads a file on the stick
itself, which could change or vanish under the reader."""

from __future__ import annotations

import errno
import os
import shutil
import stat
import tempfile
from pathlib import Path

from kiosk.library.durable import Progress, fsync_path
from kiosk.library.refusals import LibraryRefused, disk_reason
from kiosk.packs.archive import MAX_TOTAL_BYTES

COPY_CHUNK = 1024 * 1024
MAX_ARCHIVE_BYTES = MAX_TOTAL_BYTES  # the cap verification puts on an archive file, too


def copy_in(
    source: Path,
    staging_parent: Path,
    *,
    progress: Progress | None = None,
    max_bytes: int = MAX_ARCHIVE_BYTES,
) -> Path:
    """Copy an archive (and its `.minisig`, if there is one) into a new folder under
    `staging_parent`, and return the copy's path.

    Verification then reads a local copy that the stick cannot change underneath it, and
    pulling the stick can only interrupt this copy: that is refused, and nothing is left behind.
    """
    report = progress or (lambda _fraction: None)
    signature = source.with_name(source.name + ".minisig")
    try:
        has_signature = signature.is_file()
    except OSError:
        raise LibraryRefused(f"the stick was removed while copying {source.name}") from None
    try:
        work = Path(tempfile.mkdtemp(prefix="copy-", dir=staging_parent))
    except OSError as error:
        raise LibraryRefused(f"cannot copy {source.name}: {disk_reason(error)}") from None
    try:
        local = work / source.name
        _copy_file(source, local, report, max_bytes)
        if has_signature:
            _copy_file(signature, work / signature.name, lambda _f: None, 64 * 1024)
        fsync_path(work)
        fsync_path(staging_parent)
    except BaseException as error:
        shutil.rmtree(work, ignore_errors=True)
        if isinstance(error, OSError):
            raise LibraryRefused(f"cannot copy {source.name}: {disk_reason(error)}") from None
        raise
    report(1.0)
    return local


def _copy_file(source: Path, dest: Path, report: Progress, max_bytes: int) -> None:
    """Source errors are the stick's; destination errors (OSError) are the kiosk disk's."""
    removed = f"the stick was removed while copying {source.name}"
    flags = os.O_RDONLY | os.O_CLOEXEC | os.O_NOFOLLOW | os.O_NONBLOCK  # a FIFO must not hang us
    try:
        fd = os.open(source, flags)
    except FileNotFoundError:
        raise LibraryRefused(f"{source} is not there (was the stick removed?)") from None
    except OSError as error:
        if error.errno == errno.ELOOP:
            raise LibraryRefused(f"{source} is a link, not a pack file") from None
        raise LibraryRefused(f"cannot read {source} ({error.strerror})") from None
    try:
        before = os.fstat(fd)
        if not stat.S_ISREG(before.st_mode):
            raise LibraryRefused(f"{source} is not a file")
        if before.st_size > max_bytes:
            limit = max_bytes // (1024 * 1024)
            raise LibraryRefused(f"{source.name} is larger than {limit} MiB; no pack is that big")
        copied = 0
        with dest.open("xb") as out:
            while True:
                try:
                    chunk = os.read(fd, COPY_CHUNK)
                except OSError as error:
                    raise LibraryRefused(f"{removed} ({error.strerror})") from None
                if not chunk:
                    break
                out.write(chunk)
                copied += len(chunk)
                if copied > before.st_size:
                    break
                report(copied / max(before.st_size, 1))
            out.flush()
            os.fsync(out.fileno())
    finally:
        os.close(fd)
    try:
        after = source.stat()
    except OSError:
        raise LibraryRefused(removed) from None
    same = (after.st_ino, after.st_size, after.st_mtime_ns) == (
        before.st_ino,
        before.st_size,
        before.st_mtime_ns,
    )
    if not same or copied != before.st_size:
        raise LibraryRefused(
            f"{source.name} changed while it was being copied (is something still writing it?)"
        )
