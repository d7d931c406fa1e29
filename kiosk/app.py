"""The one composition root: builds the services, then the window. No module-level state, so
tests build a whole app against a temp data dir."""

from __future__ import annotations

import logging
import shutil
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk.config import Settings
from kiosk.library.catalog import Catalog, bundled_pack_folders, open_catalog
from kiosk.library.desk import StaffDesk
from kiosk.library.headcache import HeadCache
from kiosk.library.installer import trust_of
from kiosk.library.store import LibraryStore
from kiosk.paths import DataPaths, bundled_topics
from kiosk.staff import PinStore

if TYPE_CHECKING:
    from kiosk.library.index import SearchIndex
    from kiosk.speech.synth import Synthesizer
    from kiosk.ui.window import KioskWindow

BUNDLED_TOPICS = bundled_topics()

log = logging.getLogger(__name__)


def library_store(settings: Settings) -> LibraryStore:
    """The installed packs; the kiosk, its staff panel and `kiosk library` share this one."""
    return LibraryStore(DataPaths(settings.data_dir).library)


def pin_store(settings: Settings) -> PinStore:
    """The staff PIN; the staff panel checks it and `kiosk staff set-pin` sets it."""
    return PinStore(DataPaths(settings.data_dir).staff_pin)


@dataclass(slots=True)
class Services:
    settings: Settings
    catalog: Catalog
    store: LibraryStore
    desk: StaffDesk
    synth: Synthesizer | None = None
    _owned: list[Synthesizer] = field(default_factory=list)

    @property
    def paths(self) -> DataPaths:
        return DataPaths(self.settings.data_dir)

    def open_index(self, catalog: Catalog) -> SearchIndex:
        """The search index for `catalog` (the library as loaded now) in the data dir, built
        by a child process when it must be, so the kiosk's own process stays free for taps.
        Slow when it builds: call it off the GUI thread."""
        from kiosk.library.index import open_index
        from kiosk.library.indexer import build_in_child

        paths = self.paths
        folders = [pack.root for pack in catalog.packs]
        return open_index(
            catalog,
            paths.search_index,
            build_first=lambda: build_in_child(folders, paths.search_index, paths.topic_cache),
        )

    def close(self) -> None:
        """Stop child processes and remove their files (the kiosk is exiting)."""
        for synth in self._owned:
            synth.close()
            shutil.rmtree(synth.workdir, ignore_errors=True)


def build_services(
    settings: Settings,
    extra_packs: Sequence[Path] = (),
    *,
    bundled: Path = BUNDLED_TOPICS,
    speech: bool | Synthesizer = True,
) -> Services:
    """`speech`: True builds a synthesizer (started later, off the GUI thread), False none,
    or an existing one to share (tests share one per session)."""
    store = library_store(settings)
    topic_cache = DataPaths(settings.data_dir).topic_cache
    if settings["library.show_samples"] and not bundled.is_dir():
        # A kiosk installed without its samples would otherwise just show fewer topics.
        log.warning("the sample topics are missing: there is no folder %s", bundled)

    def load_catalog() -> Catalog:
        # Later packs override earlier ones topic by topic: a clinic's installed pack
        # replaces a bundled sample, and an author's --pack preview replaces both.
        folders: list[Path] = []
        if settings["library.show_samples"]:
            folders += bundled_pack_folders(bundled)
        folders += store.folders()
        folders += list(extra_packs)
        return open_catalog(folders, HeadCache(topic_cache))

    desk = StaffDesk(store, trust_of(settings), pin_store(settings), load_catalog)
    services = Services(settings, load_catalog(), store, desk)
    if speech is True:
        # Imported here: `kiosk shot` and the other commands without speech never load it.
        from kiosk.speech.synth import Synthesizer

        workdir = Path(tempfile.mkdtemp(prefix="kiosk-speech-"))
        services.synth = Synthesizer(workdir)
        services._owned.append(services.synth)
    elif speech is not False:
        services.synth = speech
    return services


def build_window(
    services: Services,
    *,
    prepare_search: bool = True,
    size: tuple[int, int] | None = None,
    staff: bool = True,
) -> KioskWindow:
    """The Qt side; imported here so the CLI's pure commands never load Qt. `staff=False`
    leaves out what only staff use (the PIN, the staff panel, USB and inbox watching), for a
    picture of a patient's page."""
    from kiosk.tasks import TaskRunner
    from kiosk.ui.window import KioskWindow

    narrator = None
    if services.synth is not None:
        from kiosk.speech.narrator import Narrator  # and the audio libraries: only with speech

        tasks = TaskRunner(threads=1)
        narrator = Narrator(services.synth, tasks)
        synth = services.synth
        if not synth.alive:
            # Warm the speech engine without holding up the first screen.
            tasks.op(synth.start, "starting the speech engine").failure(
                lambda error: narrator.engine_failed(str(error))
            ).run()
    window = KioskWindow(
        services.settings,
        services.catalog,
        narrator=narrator,
        desk=services.desk if staff else None,
        open_index=services.open_index,
        size=size,
    )
    if prepare_search:
        window.prepare_search()  # the first search is then instant
    if narrator is not None:
        narrator.setParent(window)
        tasks.setParent(window)
    return window
