"""The one composition root: builds the services, then the window. No module-level state, so
tests build a whole app against a temp data dir."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from kiosk.config import Settings
from kiosk.library.catalog import Catalog, bundled_pack_folders, open_catalog

BUNDLED_TOPICS = Path(__file__).resolve().parent.parent / "topics"


@dataclass(slots=True)
class Services:
    settings: Settings
    catalog: Catalog


def build_services(
    settings: Settings, extra_packs: Sequence[Path] = (), *, bundled: Path = BUNDLED_TOPICS
) -> Services:
    folders: list[Path] = []
    if settings["library.show_samples"]:
        folders += bundled_pack_folders(bundled)
    folders += list(extra_packs)
    return Services(settings, open_catalog(folders))


def build_window(services: Services, *, kiosk_mode: bool = False):  # type: ignore[no-untyped-def]
    """The Qt side; imported here so the CLI's pure commands never load Qt."""
    from kiosk.ui.window import KioskWindow

    return KioskWindow(services.settings, services.catalog, kiosk_mode=kiosk_mode)
