"""Where the kiosk keeps its files: the data directory's layout, and the sample topics that ship
with the code.

The app, the command line and the child processes each open files in the data dir; if each
spelled the names out, one renamed file would leave two programs looking in two places.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

# The sample packs' source is `topics/` at the top of the checkout; setup.py copies it into the
# package under this name, so a wheel or a frozen bundle carries it (DESIGN.md: topics/).
SAMPLES_IN_PACKAGE = "sample_topics"


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


def bundled_topics() -> Path:
    """The folder of sample packs, however the kiosk is installed: inside the package in a
    wheel or a frozen bundle, or `topics/` beside the package in a checkout (an editable
    install runs the checkout). When neither exists, the place an installed kiosk looks, so
    the warning about it names a folder someone can check."""
    package = Path(__file__).resolve().parent  # the samples are read as plain folders
    installed = package / SAMPLES_IN_PACKAGE
    if installed.is_dir():
        return installed
    checkout = package.parent / "topics"
    # pyproject.toml: a checkout's topics/, not some other distribution's in site-packages.
    if checkout.is_dir() and (package.parent / "pyproject.toml").is_file():
        return checkout
    return installed
