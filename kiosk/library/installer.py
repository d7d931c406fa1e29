"""From a pack file on a stick (or in the inbox) to the installed library, in one pipeline for
the CLI, the staff screen and the inbox alike: copy in, verify, install.

The archive is copied into local staging first, so verification reads bytes the stick cannot
change, and pulling the stick can only interrupt the copy. Every refusal, whichever step makes
it, is a `LibraryRefused` with one line for staff, and leaves the library as it was.
"""

from __future__ import annotations

from pathlib import Path

from kiosk.config import Settings
from kiosk.library.durable import Progress
from kiosk.library.incoming import copy_in
from kiosk.library.refusals import LibraryRefused
from kiosk.library.store import InstalledPack, LibraryStore, same_files
from kiosk.packs.delivery import PackRefused, Trust, verify_archive, write_pack

# Shares of the progress bar: copying is the slow part when the stick is slow.
_COPY, _VERIFY = 0.4, 0.6


def trust_of(settings: Settings) -> Trust:
    """The config's [packs] table (system file < user file < environment, as every setting)."""
    return Trust(
        trusted_keys=tuple(settings["packs.trusted_keys"]),
        revoked_keys=tuple(settings["packs.revoked_keys"]),
        require_signature=bool(settings["packs.require_signature"]),
    )


def install_archive(
    store: LibraryStore, archive: Path, trust: Trust, *, progress: Progress | None = None
) -> InstalledPack:
    """Install `archive` (with `archive.minisig` beside it, if there is one). Raises
    `AlreadyInstalled` when the same version with the same files is there already."""
    report = progress or (lambda _fraction: None)
    with store.staging_area() as work:
        local = copy_in(archive, work, progress=lambda f: report(_COPY * f))
        try:
            verified = verify_archive(local, trust)
        except PackRefused as error:
            raise LibraryRefused(str(error)) from None
        report(_VERIFY)
        manifest = verified.manifest
        return store.install(
            manifest.id,
            manifest.version,
            manifest.title,
            lambda folder: write_pack(verified, folder),
            same_content=same_files(verified.files),
            progress=lambda f: report(_VERIFY + (1 - _VERIFY) * f),
        )
