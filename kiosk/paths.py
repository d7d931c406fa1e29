"""Where the kiosk keeps its files: the data directory's layout.

The app, the command line and the child processes each open files in the data dir; if each
spelled the names out, one renamed file would leave two programs looking in two places.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, slots=True)
class DataPaths:
    """The files in one data dir (`KIOSK_DATA_DIR` or the configured one); see README's table."""

    root: Path

    @property
    def library(self) -> Path:
        return self.root / "library"

    @property
    def staff_pin(self) -> Path:
        return self.root / "staff-pin.json"

    @property
    def topic_cache(self) -> Path:
        return self.root / "cache" / "topics.sqlite"

    @property
    def search_index(self) -> Path:
        return self.root / "index" / "search.sqlite"
