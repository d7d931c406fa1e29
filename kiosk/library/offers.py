"""What staff are shown for each pack on a stick before anything is installed: what it is,
who signed it (or why the signature fails) and what installing it would change."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from kiosk.library.incoming import copy_in
from kiosk.library.refusals import LibraryRefused
from kiosk.library.store import LibraryStore
from kiosk.packs.delivery import PackRefused, Trust, verify_archive


@dataclass(frozen=True, slots=True)
class Offer:
    archive: Path
    installable: bool
    title: str
    change: str  # "new", "update from version 2", "already installed", "older than ..."
    pack_id: str = ""
    version: int | None = None
    publisher: str = ""
    signer: str = ""
    topics: int = 0
    languages: tuple[str, ...] = ()
    problem: str = ""

    def details(self) -> str:
        """Two or three short lines for the staff screen."""
        if self.problem:
            return f"{self.archive.name}\nCannot be installed: {self.problem}"
        langs = ", ".join(self.languages)
        return (
            f"Version {self.version}: {self.change}\n"
            f"{self.topics} topics ({langs}) from {self.publisher}\n{self.signer}"
        )


def examine(store: LibraryStore, archive: Path, trust: Trust) -> Offer:
    """Copy in and verify `archive` (nothing is installed). Never raises for a bad pack."""
    try:
        with store.staging_area() as work:
            local = copy_in(archive, work)
            verified = verify_archive(local, trust)
    except (PackRefused, LibraryRefused) as error:
        return Offer(archive, False, archive.name, "refused", problem=str(error))
    manifest = verified.manifest
    installed = store.get(manifest.id)
    installable = True
    if installed is None:
        change = "new"
    elif installed.rolled_back and manifest.version == installed.previous_version:
        change, installable = "was rolled back; roll back again to return to it", False
    elif manifest.version > installed.version:
        change = f"update from version {installed.version}"
    elif manifest.version == installed.version:
        change, installable = "already installed", False
    else:
        change, installable = f"older than the installed version {installed.version}", False
    signer = f"Signed by key {verified.signer}" if verified.signer else "Not signed"
    return Offer(
        archive,
        installable,
        manifest.title,
        change,
        pack_id=manifest.id,
        version=manifest.version,
        publisher=manifest.publisher,
        signer=signer,
        topics=verified.topic_count,
        languages=verified.languages,
    )
