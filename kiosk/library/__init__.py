"""The library the kiosk shows: packs gathered from where they live, and queries over them.

Pure Python, no Qt.
"""

from kiosk.library.catalog import Catalog, open_catalog

__all__ = ["Catalog", "open_catalog"]
