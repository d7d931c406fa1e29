"""The library the kiosk shows: packs gathered from where they live, and queries over them.

Pure Python, no Qt.
"""

from kiosk.library.catalog import Catalog, open_catalog
from kiosk.library.incoming import copy_in
from kiosk.library.refusals import AlreadyInstalled, LibraryRefused
from kiosk.library.store import InstalledPack, LibraryStore

__all__ = [
    "AlreadyInstalled",
    "Catalog",
    "InstalledPack",
    "LibraryRefused",
    "LibraryStore",
    "copy_in",
    "open_catalog",
]
