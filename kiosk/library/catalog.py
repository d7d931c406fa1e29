"""The topics a patient can browse, gathered from several packs, and the queries the UI needs.

The catalog holds each topic's head (title, category, summary...) and reads a topic's sections
from its file when the topic is opened, so a library of thousands of topics starts in a moment
and takes little memory. With a `HeadCache`, a pack folder that has not changed since the last
start is not read at all.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from kiosk.content.folding import fold
from kiosk.content.model import Problem, Topic, TopicHead
from kiosk.library.headcache import HeadCache, PackHeads
from kiosk.packs.folder import (
    PackContents,
    folder_fingerprint,
    media_path,
    read_pack_folder,
    read_topic,
)

log = logging.getLogger(__name__)


def _sort_key(text: str) -> tuple[str, str]:
    """A to Z as a patient reads it: case and accents do not move a title ("Éczema" sits
    among the E's, not after Z); the folded-away forms only break ties."""
    return fold(text), text.casefold()


@dataclass(slots=True)
class CatalogPack:
    """One pack folder in the catalog."""

    heads: PackHeads

    @property
    def pack_id(self) -> str:
        return self.heads.pack_id

    @property
    def root(self) -> Path:
        return self.heads.root


@dataclass(slots=True)
class Catalog:
    """Topics by id. A pack added later overrides a topic with the same id (an author's
    `--pack` preview replaces the bundled copy)."""

    packs: list[CatalogPack] = field(default_factory=list)
    cache: HeadCache | None = None
    _heads: dict[str, TopicHead] = field(default_factory=dict)
    _pack_of: dict[str, CatalogPack] = field(default_factory=dict)

    def add(self, heads: PackHeads) -> None:
        pack = CatalogPack(heads)
        self.packs.append(pack)
        for head in heads.heads:
            self._heads[head.id] = head
            self._pack_of[head.id] = pack

    @property
    def problems(self) -> list[Problem]:
        return [p for pack in self.packs for p in pack.heads.problems]

    def __len__(self) -> int:
        return len(self._heads)

    def head(self, topic_id: str) -> TopicHead | None:
        return self._heads.get(topic_id)

    def topic(self, topic_id: str) -> Topic | None:
        """The whole topic: its sections as kept in the topic cache, or read from its file
        when it has changed since (or there is no cache); None if there is no such topic, or
        its file no longer reads as a good topic (the reason is logged)."""
        pack = self._pack_of.get(topic_id)
        if pack is None:
            return None
        if self.cache is not None:
            kept = self.cache.topics(pack.root, pack.heads.files, pack.pack_id, only=topic_id)
            if topic_id in kept:
                return kept[topic_id]
        return self._read(pack, topic_id)

    def _read(self, pack: CatalogPack, topic_id: str) -> Topic | None:
        result = read_topic(pack.root, pack.heads.files[topic_id], pack.pack_id)
        if result.topic is None or result.topic.id != topic_id:
            reasons = "; ".join(str(p) for p in result.problems) or "its id has changed"
            log.warning("topic %r cannot be shown: %s", topic_id, reasons)
            return None
        return result.topic

    def all_topics(self) -> Iterator[Topic]:
        """Every topic, whole, A-Z (for building the search index)."""
        kept: dict[int, dict[str, Topic]] = {}
        for head in self.topics():
            pack = self._pack_of[head.id]
            if self.cache is not None and id(pack) not in kept:
                kept[id(pack)] = self.cache.topics(pack.root, pack.heads.files, pack.pack_id)
            topic = kept.get(id(pack), {}).get(head.id) or self._read(pack, head.id)
            if topic is not None:
                yield topic

    def categories(self) -> list[str]:
        return sorted({t.category for t in self._heads.values()}, key=_sort_key)

    def topics(self, category: str | None = None) -> list[TopicHead]:
        """Topics A-Z by title, optionally only those of one category."""
        found = (t for t in self._heads.values() if category is None or t.category == category)
        return sorted(found, key=lambda t: _sort_key(t.title))

    def count(self, category: str) -> int:
        return sum(1 for t in self._heads.values() if t.category == category)

    def titles(self, ids: Iterable[str]) -> list[tuple[str, str]]:
        """(id, title) for each id that exists, in the given order: for link buttons."""
        return [(i, self._heads[i].title) for i in ids if i in self._heads]

    def media(self, topic_id: str, name: str) -> bytes | None:
        """Image bytes for `media/NAME` of the pack a topic came from; None if not there."""
        pack = self._pack_of.get(topic_id)
        path = media_path(pack.root, name) if pack else None
        try:
            return path.read_bytes() if path else None
        except OSError as error:
            log.warning("image %s cannot be read (%s)", path, error)
            return None


def open_catalog(folders: Sequence[Path], cache: HeadCache | None = None) -> Catalog:
    """Read pack folders in order. A broken topic is left out and logged; the rest still show.
    With a `cache`, folders unchanged since they were last read are not read again."""
    fingerprints = [folder_fingerprint(folder) for folder in folders]
    known = cache.load(folders, fingerprints) if cache is not None else {}
    fresh: list[tuple[PackHeads, PackContents]] = []
    catalog = Catalog(cache=cache)
    for folder, fingerprint in zip(folders, fingerprints, strict=True):
        heads = known.get(folder)
        if heads is None:
            pack = read_pack_folder(folder)
            heads = PackHeads.of(pack, fingerprint)
            fresh.append((heads, pack))
        for problem in heads.problems:
            log.warning("%s", problem)
        catalog.add(heads)
    if cache is not None and fresh:
        cache.store(fresh)
    return catalog


def bundled_pack_folders(root: Path) -> list[Path]:
    """The sample packs that ship with the app: every folder in `topics/` with a pack.toml."""
    if not root.is_dir():
        return []
    return sorted(p for p in root.iterdir() if (p / "pack.toml").is_file())
