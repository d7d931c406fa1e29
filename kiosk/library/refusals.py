"""Why the library was not changed, in one line for staff: shared by installing, copying a
pack off a stick and waiting for the library's lock, so each says a full disk the same way."""

from __future__ import annotations

import errno

from kiosk.content.model import OneLineError


class LibraryRefused(OneLineError):
    """One line for staff: why the library was not changed. It is always left as it was."""


class AlreadyInstalled(LibraryRefused):
    """The same version with the same files is already installed, so nothing was done. A kind of
    refusal so that code showing refusals shows this line too; the CLI counts it as success."""


def disk_reason(error: OSError) -> str:
    """An OSError in words for staff, as the end of 'could not install ...: '."""
    if error.errno in (errno.ENOSPC, errno.EDQUOT):
        return "the disk is full"
    if error.errno == errno.EROFS:
        return "the library folder is on a read-only disk"
    if error.errno in (errno.EACCES, errno.EPERM):
        return "the kiosk may not write to the library folder"
    if error.errno == errno.EIO:
        return "the disk reported an input/output error"
    return (error.strerror or str(error)).lower()
