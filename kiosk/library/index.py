"""Searching the index: what a patient typed, to the topics they meant, best first.

The file itself is built by `index_build` (derived data: rebuilt when missing, stale or
corrupt); its words and stems come from `search_text`. This module opens it and answers.

Ranking is in tiers a patient would expect: topics whose title has the words, then those
known by that name ("also called"), then those that only mention it in the text; within a
tier, FTS5's bm25. Every word is a prefix, so results follow each keystroke. When the words
find (almost) nothing, the ones that are in no topic at all are corrected to the nearest
title or synonym word with rapidfuzz ("diabetis" -> "diabetes") and the search runs again.

A query word is widened to the words of the library that share its stem ("smoke" OR
"smoking" OR "smoked"). Within each tier, the topics found by the words as typed (prefixes
included) come before those found only by a stem. A query has no language, so each word is
stemmed in the languages of the library that have it as a word ("care" is an English word:
it is not also stemmed as Spanish, where it would find "cara", face), or, for a word the
library does not have ("vaccinations"), in all of them.

The query is what a patient typed: it is split into words here and each word is quoted, so
no input is ever read as FTS5 syntax.
"""

from __future__ import annotations

import bisect
import contextlib
import logging
import re
import sqlite3
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from kiosk.content.folding import fold
from kiosk.content.model import Topic
from kiosk.library import index_build
from kiosk.library.catalog import Catalog
from kiosk.library.index_build import connect_read_only, fingerprint_of, is_current, open_current
from kiosk.library.search_text import WORD, query_stem, query_words

# fingerprint_of and is_current: what the index was built from, for callers that check it.
__all__ = ["Hit", "SearchIndex", "fingerprint_of", "is_current", "open_index"]

log = logging.getLogger(__name__)

Field = Literal["title", "also_called", "body"]
# (tier, FTS5 table, column filter, columns whose matched words are shown). Titles and "also
# called" names have tables of their own so that bm25 weighs a word against the length of the
# title, not of the whole topic: "Type 2 Diabetes" comes before "Exercise for Type 2 Diabetes".
# The names table also holds the title (never matched), so that among topics also called
# "hypertension" the one with the shorter title comes first. The body tier searches all three
# fields together: "diabetes feet" finds a topic with one word in its title, one in its text.
_TIERS: tuple[tuple[Field, str, str | None, tuple[int, ...]], ...] = (
    ("title", "title_fts", None, (0,)),
    ("also_called", "name_fts", "also_called", (0,)),
    ("body", "fts", None, (0, 1, 2)),
)

FEW = 3  # fewer hits than this, and words that are in no topic are corrected
PREFIX_MIN_CHARS = 3
FUZZY_MIN_CHARS = 3  # "fu" is too short to guess what was meant
FUZZY_CUTOFF = 80.0  # rapidfuzz ratio, 0-100: "diabetis"/"diabetes" 87.5, "hart"/"heart" 88.9
STEM_MIN_CHARS = PREFIX_MIN_CHARS  # "is", "as": no stem worth widening (and each stemmed
# word is also a prefix, so the words that start with it need not be added)
MAX_FORMS = 12  # words sharing one stem that a query word is widened to

# Marks around matched words in highlight(); control characters never occur in topic text.
_OPEN, _CLOSE = "\x02", "\x03"
_MARKED = re.compile(f"{_OPEN}(.*?){_CLOSE}", re.DOTALL)


@dataclass(frozen=True, slots=True)
class Hit:
    """One search result. `matched` holds the words to highlight, spelled as they are in the
    topic's title, "also called" names or text (after typo correction, the corrected ones)."""

    topic_id: str
    title: str
    score: float  # bm25 relevance within the tier, higher is better
    field: Field  # the tier: where the words were found
    matched: tuple[str, ...]


def _quoted(word: str) -> str:
    return '"' + word.replace('"', '""') + '"'


def _match_expression(
    words: Sequence[str], forms: Sequence[Sequence[str]] = (), *, any_word: bool = False
) -> str:
    """Each word quoted. The last one is being typed, so it is a prefix; so is any other of
    PREFIX_MIN_CHARS or more ("blood press"), but "i" in "how do i quit" is only "i".
    `forms`, one list per word: other words that may stand for it (same stem)."""
    last = len(words) - 1
    terms = []
    for n, word in enumerate(words):
        term = _quoted(word) + ("*" if n == last or len(word) >= PREFIX_MIN_CHARS else "")
        others = forms[n] if n < len(forms) else ()
        if others:
            term = "(" + " OR ".join((term, *map(_quoted, others))) + ")"
        terms.append(term)
    return (" OR " if any_word else " AND ").join(terms)


def open_index(
    catalog: Catalog, path: Path, *, build_first: Callable[[], object] | None = None
) -> SearchIndex:
    """The index for what `catalog` loaded, in the file at `path`; builds it when it must
    (seconds for thousands of topics: call this off the GUI thread). `build_first`, called
    when the file is not current, may build it elsewhere (the kiosk uses a child process, so
    that its own process stays free for taps); if the file is still not current after it, or
    it fails, the index is built here."""
    fingerprint = fingerprint_of([pack.root for pack in catalog.packs])
    if build_first is not None and not is_current(path, fingerprint):
        try:
            build_first()
        except Exception as error:  # any failure: build it here instead
            log.warning("building the search index elsewhere failed (%s); building it here", error)
    return SearchIndex.open(path, lambda: list(catalog.all_topics()), fingerprint)


def _marked_words(texts: Iterable[str]) -> tuple[str, ...]:
    """The distinct highlighted words, first spelling kept, in order of appearance."""
    seen: dict[str, str] = {}
    for text in texts:
        for marked in _MARKED.findall(text):
            for word in WORD.findall(marked):
                seen.setdefault(fold(word, as_fts5=True), word)
    return tuple(seen.values())


# The topics to index, or a function that reads them (only called when the index is built).
TopicSource = Sequence[Topic] | Callable[[], Sequence[Topic]]


class SearchIndex:
    """Search over one set of topics. Usable from any thread (a lock serialises calls), so
    the UI may open it on a worker and search from the GUI thread. Keeps `topics` to rebuild
    from if the file goes bad under a search."""

    def __init__(self, path: Path, topics: TopicSource, fingerprint: str) -> None:
        self.path = path
        self._topic_source = topics
        self._fingerprint = fingerprint
        self._lock = threading.RLock()
        self._db: sqlite3.Connection | None = None
        self._rebuilt = False
        self._names: list[str] | None = None  # title and synonym words, sorted
        self._name_topics: dict[str, int] = {}
        self._stem_languages: tuple[str, ...] | None = None
        # query word -> {stem language: the library's other words with its stem}
        self._forms: dict[str, dict[str, tuple[str, ...]]] = {}

    @classmethod
    def open(cls, path: Path, topics: TopicSource, fingerprint: str) -> SearchIndex:
        """Open the index at `path`, or build it from `topics` (the topics, or a function
        that reads them, called only when a build is needed) when it is missing, was built
        from other packs (`fingerprint` differs) or is not a readable index. Never raises for
        a bad index file; if the data dir cannot be written, the index is kept in memory."""
        # Loaded here, where the index is opened (a worker thread in the kiosk), rather than
        # at the first misspelt letter on the GUI thread.
        import rapidfuzz  # noqa: F401
        import snowballstemmer  # noqa: F401

        index = cls(path, topics, fingerprint)
        with index._lock:
            index._db = index._open_or_build()
        return index

    def _topics(self) -> Sequence[Topic]:
        if callable(self._topic_source):
            self._topic_source = list(self._topic_source())
        return self._topic_source

    @property
    def rebuilt(self) -> bool:
        """Whether opening (or a search that found the file corrupt) had to build the index."""
        return self._rebuilt

    def close(self) -> None:
        with self._lock:
            if self._db is not None:
                self._db.close()
                self._db = None

    def __enter__(self) -> SearchIndex:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def _open_or_build(self) -> sqlite3.Connection:
        db, reason, corrupt = open_current(self.path, self._fingerprint)
        return db if db is not None else self._build(reason, corrupt=corrupt)

    def _build(self, reason: str, *, corrupt: bool) -> sqlite3.Connection:
        log.info("building the search index %s: %s", self.path, reason)
        self._rebuilt = True
        self._names = None
        self._stem_languages = None
        self._forms.clear()
        try:
            index_build.build_file(self.path, self._topics(), self._fingerprint)
            return connect_read_only(self.path)
        except (OSError, sqlite3.DatabaseError) as error:
            # A full or read-only disk must not take search away: keep this one in memory.
            log.warning(
                "cannot write the search index %s (%s); keeping it in memory", self.path, error
            )
            if corrupt:
                # Not left to cost every start a failed open; a stale one is still an index.
                with contextlib.suppress(OSError):
                    self.path.unlink(missing_ok=True)
            db = sqlite3.connect(":memory:", check_same_thread=False)
            index_build.populate(db, self._topics(), self._fingerprint)
            return db

    def search(self, query: str, limit: int = 20) -> list[Hit]:
        """The topics for what was typed, best first: title matches, then "also called",
        then text. Never raises for any input; an empty query finds nothing."""
        words = query_words(query)
        if not words or limit <= 0:
            return []
        with self._lock:
            try:
                return self._search(words, limit)
            except sqlite3.DatabaseError as error:
                # The file went bad under us (a disk error, someone's editor): rebuild, retry.
                if self._db is not None:
                    self._db.close()
                self._db = self._build(f"unreadable during a search ({error})", corrupt=True)
                return self._search(words, limit)

    def _search(self, words: list[str], limit: int) -> list[Hit]:
        hits = self._tiered(words, limit)
        tried = [words]
        if len(hits) < FEW:
            # Only words that are in no topic at all are corrected: "thirsty" is not a typo
            # just because no title has it.
            for everything in (False, True):
                if everything and hits:
                    break
                fixed = self._corrected(words, everything=everything)
                if fixed not in tried:
                    tried.append(fixed)
                    hits = _merged(hits, self._tiered(fixed, limit))
        if not hits and len(words) > 1:
            # Nothing has all the words ("how do I quit smoking"): any of them, still in tiers.
            hits = self._tiered(tried[-1], limit, any_word=True)
        return hits[:limit]

    def _tiered(self, words: Sequence[str], limit: int, *, any_word: bool = False) -> list[Hit]:
        """Tier by tier, the topics with the words as typed, then those of each language
        that have a word of the same stem instead."""
        assert self._db is not None, "the index is closed"
        passes: list[tuple[str, str | None]] = [(_match_expression(words, any_word=any_word), None)]
        forms = [self._word_forms(word) for word in words]
        for stemmed in dict.fromkeys(language for each in forms for language in each):
            of_language = [each.get(stemmed, ()) for each in forms]
            passes.append((_match_expression(words, of_language, any_word=any_word), stemmed))
        found: list[tuple[int, Field, float, tuple[str, ...]]] = []
        seen: set[int] = set()
        for tier, table, column, shown in _TIERS:
            marks = ", ".join(f"highlight({table}, {c}, ?, ?)" for c in shown)
            for expression, language in passes:
                if len(found) >= limit:
                    break
                match = f"{{{column}}} : ({expression})" if column else expression
                if language is None:
                    rows = self._db.execute(
                        f"SELECT rowid, rank, {marks} FROM {table} WHERE {table} MATCH ? "
                        "ORDER BY rank LIMIT ?",
                        (*(_OPEN, _CLOSE) * len(shown), match, limit + len(seen)),
                    ).fetchall()
                else:
                    # A stem counts only in its own language's topics.
                    rows = self._db.execute(
                        f"SELECT f.rowid, f.rank, {marks} FROM {table} AS f "
                        f"JOIN topic AS t ON t.rowid = f.rowid WHERE {table} MATCH ? "
                        "AND t.stem_language = ? ORDER BY f.rank LIMIT ?",
                        (*(_OPEN, _CLOSE) * len(shown), match, language, limit + len(seen)),
                    ).fetchall()
                for rowid, rank, *texts in rows:
                    if rowid not in seen:
                        seen.add(rowid)
                        found.append((rowid, tier, -float(rank), _marked_words(texts)))
        found = found[:limit]
        if not found:
            return []
        names = self._topic_names([rowid for rowid, *_ in found])
        return [
            Hit(names[rowid][0], names[rowid][1], score, tier, matched)
            for rowid, tier, score, matched in found
            if rowid in names
        ]

    def _topic_names(self, rowids: Sequence[int]) -> dict[int, tuple[str, str]]:
        assert self._db is not None
        marks = ",".join("?" * len(rowids))
        rows = self._db.execute(
            f"SELECT rowid, id, title FROM topic WHERE rowid IN ({marks})", rowids
        ).fetchall()
        return {rowid: (topic_id, title) for rowid, topic_id, title in rows}

    def _corrected(self, words: Sequence[str], *, everything: bool) -> list[str]:
        """`words` with each unknown word replaced by the nearest title or synonym word.
        Unknown: no indexed word starts with it; with `everything`, no title or synonym word."""
        names = self._name_words()
        fixed = []
        for n, word in enumerate(words):
            if (
                len(word) < FUZZY_MIN_CHARS
                or any(c.isdigit() for c in word)
                or (everything and _has_prefix(names, word))
                or (not everything and self._indexed_prefix(word))
                or self._word_forms(word)
            ):
                fixed.append(word)
            else:
                fixed.append(self._nearest(word, typing=n == len(words) - 1) or word)
        return fixed

    def _indexed_prefix(self, word: str) -> bool:
        assert self._db is not None
        row = self._db.execute(
            "SELECT 1 FROM fts_terms WHERE term >= ? AND term < ? LIMIT 1",
            (word, word + "\U0010ffff"),
        ).fetchone()
        return row is not None

    def _nearest(self, word: str, *, typing: bool) -> str | None:
        """The title or synonym word closest to `word`; for the word being typed, also the
        one whose beginning is closest ("diabt" -> "diabetes")."""
        from rapidfuzz import fuzz, process  # here: only a search needs it, not the start

        names = self._name_words()
        candidates = process.extract(
            word, names, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF, limit=5
        )
        scored = [(score, self._name_topics[name], name) for name, score, _ in candidates]
        if typing and len(word) >= FUZZY_MIN_CHARS + 1:
            starts = [name[: len(word)] for name in names]
            for _start, score, i in process.extract(
                word, starts, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF, limit=5
            ):
                scored.append((score, self._name_topics[names[i]], names[i]))
        if not scored:
            return None
        # Best score; among equals the word more topics have, then A-Z for a stable answer.
        return min(scored, key=lambda s: (-s[0], -s[1], s[2]))[2]

    def _word_forms(self, word: str) -> dict[str, tuple[str, ...]]:
        """By stem language, the library's words that have the stem of `word` ("smoke":
        "smoked", "smoking"; not "smoker", which starts with it and so is found anyway).
        Stemmed in the languages that have `word` as a word, or in all of them when none has
        it; of those, only the ones that cut the least off it ("cares": English "care", not
        Spanish "car", which would find "cara")."""
        if word in self._forms:
            return self._forms[word]
        assert self._db is not None
        by_language: dict[str, tuple[str, ...]] = {}
        if len(word) >= STEM_MIN_CHARS and not any(c.isdigit() for c in word):
            rows = self._db.execute(
                "SELECT DISTINCT language FROM word_stem WHERE word = ?", (word,)
            ).fetchall()
            stems = {
                language: query_stem(language, word)
                for language in ([language for (language,) in rows] or self._languages())
            }
            for language, stem in stems.items():
                forms = self._db.execute(
                    "SELECT word FROM word_stem WHERE language = ? AND stem = ? "
                    "AND substr(word, 1, ?) != ? ORDER BY length(word), word LIMIT ?",
                    (language, stem, len(word), word, MAX_FORMS),
                ).fetchall()
                if forms:
                    by_language[language] = tuple(form for (form,) in forms)
            longest = max((len(stems[language]) for language in by_language), default=0)
            by_language = {
                language: forms
                for language, forms in by_language.items()
                if len(stems[language]) == longest
            }
        if len(self._forms) > 1000:
            self._forms.clear()
        self._forms[word] = by_language
        return by_language

    def _languages(self) -> tuple[str, ...]:
        """The library's languages that have a stemmer."""
        if self._stem_languages is None:
            assert self._db is not None
            row = self._db.execute("SELECT value FROM meta WHERE key = 'stem_languages'").fetchone()
            self._stem_languages = tuple(row[0].split()) if row else ()
        return self._stem_languages

    def _name_words(self) -> list[str]:
        if self._names is None:
            assert self._db is not None
            rows = self._db.execute("SELECT word, topics FROM name_word ORDER BY word").fetchall()
            self._name_topics = dict(rows)
            self._names = [word for word, _ in rows]
        return self._names


def _has_prefix(sorted_words: Sequence[str], prefix: str) -> bool:
    i = bisect.bisect_left(sorted_words, prefix)
    return i < len(sorted_words) and sorted_words[i].startswith(prefix)


def _merged(first: list[Hit], then: list[Hit]) -> list[Hit]:
    """Both lists as one, by tier: a corrected word's title match beats a text mention."""
    ids = {hit.topic_id for hit in first}
    combined = first + [hit for hit in then if hit.topic_id not in ids]
    order = {tier: n for n, (tier, *_) in enumerate(_TIERS)}
    return sorted(combined, key=lambda hit: order[hit.field])
