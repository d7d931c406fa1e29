"""What reading a pack folder found, kept in SQLite so the next start need not read it again.

Reading and checking 5,000 topics takes seconds; the kiosk must show its home page in half a
second. A pack folder whose fingerprint (`folder_fingerprint`: names, sizes, inodes and times
of every file) is unchanged gives back the same topics and problems, so the cache keeps, per
folder, that fingerprint, the problems found, and the head of each good topic (title,
category, language, summary, other names, file): the catalog holds only the heads. Each
topic's parsed sections are kept too, with its file's stamp, so opening a topic (or building
the search index) need not parse Markdown; a topic whose file has changed since is read from
the file instead.

The file is derived data in the data dir: missing, stale, from another version of this
program, unreadable or corrupt, it is rebuilt, and when it cannot be written (a read-only or
full disk) the kiosk works without it. It never decides what is shown: a cache hit gives
exactly what reading the folder would.
"""

from __future__ import annotations

import json
import logging
import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from kiosk.content.model import Problem, Topic, TopicHead, topic_from_json, topic_to_json
from kiosk.packs.folder import PackContents, file_stamp

log = logging.getLogger(__name__)

# Bump when what is stored, or what the parser makes of a file, changes.
SCHEMA = 3  # 3: pictures without alt text are refused; the rest say it under them

_SCHEMA_SQL = f"""
CREATE TABLE IF NOT EXISTS pack(
    root TEXT PRIMARY KEY, fingerprint TEXT NOT NULL, pack_id TEXT NOT NULL,
    problems TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS head(
    root TEXT NOT NULL, seq INTEGER NOT NULL, id TEXT NOT NULL, file TEXT NOT NULL,
    title TEXT NOT NULL, category TEXT NOT NULL, language TEXT NOT NULL, summary TEXT NOT NULL,
    also_called TEXT NOT NULL, PRIMARY KEY(root, seq)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS body(
    root TEXT NOT NULL, id TEXT NOT NULL, stamp TEXT NOT NULL, topic TEXT NOT NULL,
    PRIMARY KEY(root, id)) WITHOUT ROWID;
PRAGMA user_version = {SCHEMA};
"""


@dataclass(frozen=True, slots=True)
class PackHeads:
    """A pack folder as the catalog keeps it: heads and files of its good topics, problems."""

    root: Path
    fingerprint: str
    pack_id: str  # from pack.toml; "" when it is broken
    heads: tuple[TopicHead, ...]
    files: dict[str, str]  # topic id -> file name in topics/
    problems: tuple[Problem, ...]

    @classmethod
    def of(cls, pack: PackContents, fingerprint: str) -> PackHeads:
        return cls(
            pack.root,
            fingerprint,
            pack.manifest.id if pack.manifest else "",
            tuple(topic.head for topic in pack.topics),
            dict(pack.files),
            tuple(pack.problems),
        )


class HeadCache:
    """One SQLite file. Every method logs and carries on when the file fails."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, timeout=5)
        version = db.execute("PRAGMA user_version").fetchone()[0]
        if version != SCHEMA:
            db.executescript(
                "DROP TABLE IF EXISTS pack; DROP TABLE IF EXISTS head; DROP TABLE IF EXISTS body;"
            )
            db.executescript(_SCHEMA_SQL)
        return db

    def load(self, roots: Sequence[Path], fingerprints: Sequence[str]) -> dict[Path, PackHeads]:
        """The packs among `roots` whose stored fingerprint matches; the others are missing."""
        if not self.path.is_file():
            return {}
        try:
            with closing(self._connect()) as db:
                return self._load(db, roots, fingerprints)
        except (sqlite3.Error, OSError, ValueError, TypeError) as error:
            log.warning("the topic cache %s cannot be read (%s); rebuilding it", self.path, error)
            self._discard()
            return {}

    def _load(
        self, db: sqlite3.Connection, roots: Sequence[Path], fingerprints: Sequence[str]
    ) -> dict[Path, PackHeads]:
        found: dict[Path, PackHeads] = {}
        for root, fingerprint in zip(roots, fingerprints, strict=True):
            row = db.execute(
                "SELECT pack_id, problems FROM pack WHERE root = ? AND fingerprint = ?",
                (str(root), fingerprint),
            ).fetchone()
            if row is None:
                continue
            heads: list[TopicHead] = []
            files: dict[str, str] = {}
            rows = db.execute(
                "SELECT id, file, title, category, language, summary, also_called FROM head "
                "WHERE root = ? ORDER BY seq",
                (str(root),),
            )
            for id_, file, title, category, language, summary, also_called in rows:
                heads.append(
                    TopicHead(
                        id_, title, category, language, summary, tuple(json.loads(also_called))
                    )
                )
                files[id_] = file
            problems = tuple(Problem(s, m, line) for s, m, line in json.loads(row[1]))
            found[root] = PackHeads(root, fingerprint, row[0], tuple(heads), files, problems)
        return found

    def store(self, packs: Iterable[tuple[PackHeads, PackContents]]) -> None:
        """Keep `packs` (as the catalog holds them, and each with its topics as read),
        replacing what was kept for the same folders, and forget folders that are gone from
        the disk (old versions of installed packs)."""
        packs = list(packs)
        try:
            self._store(packs)
        except sqlite3.DatabaseError as error:
            if isinstance(error, sqlite3.OperationalError):  # locked, read-only, disk full
                log.warning("the topic cache %s cannot be written (%s)", self.path, error)
                return
            log.warning("the topic cache %s is corrupt (%s); starting it again", self.path, error)
            self._discard()
            try:
                self._store(packs)
            except (sqlite3.Error, OSError, ValueError) as again:
                log.warning("the topic cache %s cannot be written (%s)", self.path, again)
        except (OSError, ValueError) as error:
            log.warning("the topic cache %s cannot be written (%s)", self.path, error)

    def _store(self, packs: Sequence[tuple[PackHeads, PackContents]]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with closing(self._connect()) as db, db:
            for pack, contents in packs:
                root = str(pack.root)
                db.execute("DELETE FROM head WHERE root = ?", (root,))
                db.execute("DELETE FROM body WHERE root = ?", (root,))
                db.executemany(
                    "INSERT INTO body VALUES (?, ?, ?, ?)",
                    (
                        (
                            root,
                            topic.id,
                            file_stamp(pack.root / "topics" / pack.files[topic.id]),
                            topic_to_json(topic),
                        )
                        for topic in contents.topics
                    ),
                )
                db.execute(
                    "INSERT OR REPLACE INTO pack VALUES (?, ?, ?, ?)",
                    (
                        root,
                        pack.fingerprint,
                        pack.pack_id,
                        json.dumps([[p.source, p.message, p.line] for p in pack.problems]),
                    ),
                )
                db.executemany(
                    "INSERT INTO head VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        (
                            root,
                            seq,
                            h.id,
                            pack.files[h.id],
                            h.title,
                            h.category,
                            h.language,
                            h.summary,
                            json.dumps(h.also_called),
                        )
                        for seq, h in enumerate(pack.heads)
                    ),
                )
            gone = [r for (r,) in db.execute("SELECT root FROM pack") if not Path(r).is_dir()]
            for root in gone:
                db.execute("DELETE FROM pack WHERE root = ?", (root,))
                db.execute("DELETE FROM head WHERE root = ?", (root,))
                db.execute("DELETE FROM body WHERE root = ?", (root,))

    def topics(
        self, root: Path, files: Mapping[str, str], pack_id: str, only: str | None = None
    ) -> dict[str, Topic]:
        """The topics kept for the pack at `root` (or just topic `only`), each one only if its
        file (`files`: id -> file name) is as it was when it was read; {} when the file fails."""
        if not self.path.is_file():
            return {}
        query = "SELECT id, stamp, topic FROM body WHERE root = ?"
        params: tuple[str, ...] = (str(root),)
        if only is not None:
            query += " AND id = ?"
            params += (only,)
        found: dict[str, Topic] = {}
        try:
            with closing(
                sqlite3.connect(f"{self.path.resolve().as_uri()}?mode=ro", uri=True)
            ) as db:
                for id_, stamp, text in db.execute(query, params):
                    file = files.get(id_)
                    if file is not None and stamp == file_stamp(root / "topics" / file):
                        found[id_] = topic_from_json(text, pack_id)
        except (sqlite3.Error, OSError, ValueError, TypeError) as error:
            log.warning("the topic cache %s cannot be read (%s)", self.path, error)
            return {}
        return found

    def _discard(self) -> None:
        try:
            self.path.unlink(missing_ok=True)
        except OSError as error:
            log.warning("the topic cache %s cannot be removed (%s)", self.path, error)
