"""Building the search index file: SQLite FTS5 over every topic's title, "also called" names and
text, with each language's words and their stems.

It is derived data (DESIGN.md): one file, built from the topics the catalog loaded, and
rebuilt whenever it is missing, stale (the packs changed) or corrupt, so a bad file can cost a
rebuild but never a search. It is built into a temp file and switched in with `os.replace`
(`durable.replacing`), so a kiosk killed mid-build leaves the old index or none, never half
of one. What makes a file current (this schema, these packs) is decided here too, beside what
writes it, for the kiosk and for the child process that builds it.
"""

from __future__ import annotations

import hashlib
import html
import re
import sqlite3
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from kiosk.content.model import Topic
from kiosk.library.durable import replacing
from kiosk.library.search_text import query_words, stem_language, word_stems
from kiosk.packs.folder import folder_fingerprint

# Bump when the tables or what goes into them change: an older file is then stale.
SCHEMA = 2  # 2: word stems

_TAG = re.compile(r"<[^>]*>")
_FTS_OPTIONS = "tokenize = 'unicode61 remove_diacritics 2', prefix = '1 2 3'"
_SCHEMA_SQL = f"""
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE topic(
    rowid INTEGER PRIMARY KEY, id TEXT NOT NULL, title TEXT NOT NULL, stem_language TEXT
);
CREATE TABLE name_word(word TEXT PRIMARY KEY, topics INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE word_stem(
    language TEXT NOT NULL, stem TEXT NOT NULL, word TEXT NOT NULL,
    PRIMARY KEY (language, stem, word)
) WITHOUT ROWID;
CREATE INDEX word_language ON word_stem(word, language);
CREATE VIRTUAL TABLE title_fts USING fts5(title, {_FTS_OPTIONS});
CREATE VIRTUAL TABLE name_fts USING fts5(also_called, title, {_FTS_OPTIONS});
CREATE VIRTUAL TABLE fts USING fts5(title, also_called, body, {_FTS_OPTIONS});
CREATE VIRTUAL TABLE fts_terms USING fts5vocab(fts, row);
INSERT INTO fts(fts, rank) VALUES ('rank', 'bm25(10.0, 5.0, 1.0)');
"""


def _body_text(topic: Topic) -> str:
    """The words a patient reads in the topic, without markup. A regex is enough here (the HTML
    comes from markdown-it with raw HTML off) and is much faster than an HTML parser."""
    parts = [topic.summary]
    for section in topic.sections:
        parts.append(section.title)
        parts.append(html.unescape(_TAG.sub(" ", section.html)))
    return "\n".join(parts)


def fingerprint_of(folders: Sequence[Path]) -> str:
    """What the index was built from: each pack folder's path and every file in it (see
    `folder_fingerprint`: an author editing a `--pack` folder changes no version). Installed
    versions live in folders of their own, so an install, removal or rollback changes the
    paths."""
    digest = hashlib.sha256(f"schema {SCHEMA}\n".encode())
    for folder in folders:
        root = folder.resolve()
        line = f"pack {root}\0{folder_fingerprint(root)}\n"
        digest.update(line.encode("utf-8", "surrogateescape"))
    return digest.hexdigest()


def populate(db: sqlite3.Connection, topics: Sequence[Topic], fingerprint: str) -> None:
    db.executescript(_SCHEMA_SQL)
    bodies = [_body_text(t) for t in topics]
    db.executemany(
        "INSERT INTO topic(rowid, id, title, stem_language) VALUES (?, ?, ?, ?)",
        ((n, t.id, t.title, stem_language(t.language)) for n, t in enumerate(topics, start=1)),
    )
    db.executemany(
        "INSERT INTO title_fts(rowid, title) VALUES (?, ?)",
        ((n, t.title) for n, t in enumerate(topics, start=1)),
    )
    db.executemany(
        "INSERT INTO name_fts(rowid, also_called, title) VALUES (?, ?, ?)",
        (
            (n, "\n".join(t.also_called), t.title)
            for n, t in enumerate(topics, start=1)
            if t.also_called
        ),
    )
    db.executemany(
        "INSERT INTO fts(rowid, title, also_called, body) VALUES (?, ?, ?, ?)",
        (
            (n, t.title, "\n".join(t.also_called), body)
            for n, (t, body) in enumerate(zip(topics, bodies, strict=True), start=1)
        ),
    )
    db.executemany(
        "INSERT INTO word_stem(language, stem, word) VALUES (?, ?, ?)", word_stems(topics, bodies)
    )
    languages = sorted({a for t in topics if (a := stem_language(t.language)) is not None})
    names: Counter[str] = Counter()
    for topic in topics:
        names.update(set(query_words(" ".join((topic.title, *topic.also_called)))))
    db.executemany("INSERT INTO name_word(word, topics) VALUES (?, ?)", names.items())
    for table in ("title_fts", "name_fts", "fts"):
        db.execute(f"INSERT INTO {table}({table}) VALUES ('optimize')")
    db.executemany(
        "INSERT INTO meta(key, value) VALUES (?, ?)",
        (
            ("schema", str(SCHEMA)),
            ("fingerprint", fingerprint),
            ("topics", str(len(topics))),
            ("stem_languages", " ".join(languages)),
        ),
    )
    db.commit()


def build_file(path: Path, topics: Sequence[Topic], fingerprint: str) -> None:
    """Write the whole index beside `path`, then switch it in."""
    # 0644: a staff user's `kiosk search` reads the kiosk's index.
    with replacing(path, mode=0o644) as temp:
        db = sqlite3.connect(temp)
        try:
            # A temp file that is thrown away on failure needs no journal.
            db.execute("PRAGMA journal_mode = OFF")
            db.execute("PRAGMA synchronous = OFF")
            populate(db, topics, fingerprint)
        finally:
            db.close()


def open_current(path: Path, fingerprint: str) -> tuple[sqlite3.Connection | None, str, bool]:
    """The index at `path` if it was built from `fingerprint`'s packs by this version, else
    None, why not, and whether the file is corrupt."""
    if not path.exists():
        return None, "missing", False
    db = None
    try:
        db = connect_read_only(path)
        stored = dict(db.execute("SELECT key, value FROM meta").fetchall())
        if stored.get("schema") == str(SCHEMA) and stored.get("fingerprint") == fingerprint:
            db.execute("SELECT rowid FROM fts WHERE fts MATCH '\"a\"*' LIMIT 1").fetchall()
            return db, "", False
        reason, corrupt = "stale", False
    except sqlite3.DatabaseError as error:
        reason, corrupt = f"unreadable ({error})", True
    if db is not None:
        db.close()
    return None, reason, corrupt


def is_current(path: Path, fingerprint: str) -> bool:
    db, _reason, _corrupt = open_current(path, fingerprint)
    if db is not None:
        db.close()
    return db is not None


def connect_read_only(path: Path) -> sqlite3.Connection:
    # Read-only: opening never creates a file, and nothing the kiosk does can change the index.
    # check_same_thread=False because the UI opens it on a worker; a lock serialises use.
    uri = path.resolve().as_uri() + "?mode=ro"
    return sqlite3.connect(uri, uri=True, check_same_thread=False)
