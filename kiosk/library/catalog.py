"""The topics a patient can browse, gathered from several packs, and the queries the UI needs."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from kiosk.content.model import Problem, Topic
from kiosk.packs.folder import PackContents, read_pack_folder

log = logging.getLogger(__name__)


def _sort_key(text: str) -> str:
    return text.casefold()


@dataclass(slots=True)
class Catalog:
    """Topics by id. A pack added later overrides a topic with the same id (an author's
    `--pack` preview replaces the bundled copy)."""

    packs: list[PackContents] = field(default_factory=list)
    _topics: dict[str, Topic] = field(default_factory=dict)
    _pack_of: dict[str, PackContents] = field(default_factory=dict)

    def add(self, pack: PackContents) -> None:
        self.packs.append(pack)
        for topic in pack.topics:
            self._topics[topic.id] = topic
            self._pack_of[topic.id] = pack

    @property
    def problems(self) -> list[Problem]:
        return [p for pack in self.packs for p in pack.problems]

    def __len__(self) -> int:
        return len(self._topics)

    def topic(self, topic_id: str) -> Topic | None:
        return self._topics.get(topic_id)

    def categories(self) -> list[str]:
        return sorted({t.category for t in self._topics.values()}, key=_sort_key)

    def topics(self, category: str | None = None) -> list[Topic]:
        """Topics A-Z by title, optionally only those of one category."""
        found = (t for t in self._topics.values() if category is None or t.category == category)
        return sorted(found, key=lambda t: _sort_key(t.title))

    def count(self, category: str) -> int:
        return sum(1 for t in self._topics.values() if t.category == category)

    def titles(self, ids: Iterable[str]) -> list[tuple[str, str]]:
        """(id, title) for each id that exists, in the given order: for link buttons."""
        return [(i, self._topics[i].title) for i in ids if i in self._topics]

    def media(self, topic_id: str, name: str) -> bytes | None:
        """Image bytes for `media/NAME` of the pack a topic came from; None if not there."""
        pack = self._pack_of.get(topic_id)
        path = pack.media_path(name) if pack else None
        return path.read_bytes() if path else None


def open_catalog(folders: Sequence[Path]) -> Catalog:
    """Read pack folders in order. A broken topic is left out and logged; the rest still show."""
    catalog = Catalog()
    for folder in folders:
        pack = read_pack_folder(folder)
        for problem in pack.problems:
            log.warning("%s", problem)
        catalog.add(pack)
    return catalog


def bundled_pack_folders(root: Path) -> list[Path]:
    """The sample packs that ship with the app: every folder in `topics/` with a pack.toml."""
    if not root.is_dir():
        return []
    return sorted(p for p in root.iterdir() if (p / "pack.toml").is_file())
