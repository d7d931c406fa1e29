"""The words of a topic and of a query, as search compares them: folded as the index's tokenizer
folds them, and stemmed in the topic's own language.

Words are found by their stem too (Snowball stemmers, via `snowballstemmer`): "smoke" finds
"smoking", "vaccines" finds "vaccination", "fumando" finds "fumar". The index keeps each
language's words with their stems; a query word is widened to the words of the library that
share its stem, so FTS5 and its highlighting see only real words. A topic in a language with
no stemmer is found by its words as written.
"""

from __future__ import annotations

import re
import threading
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from functools import cache, lru_cache

from kiosk.content.folding import fold
from kiosk.content.model import Topic, primary_language

MAX_WORDS = 8  # a longer query is cut: no topic title needs more, and each word costs
MAX_WORD_CHARS = 40
WORD = re.compile(r"[^\W_]+")

# Snowball algorithm for each primary language subtag (en-GB, es-MX: the part before "-").
_SNOWBALL = {
    "ar": "arabic", "ca": "catalan", "cs": "czech", "da": "danish", "de": "german",
    "el": "greek", "en": "english", "eo": "esperanto", "es": "spanish", "et": "estonian",
    "eu": "basque", "fa": "persian", "fi": "finnish", "fr": "french", "ga": "irish",
    "hi": "hindi", "hu": "hungarian", "hy": "armenian", "id": "indonesian", "it": "italian",
    "lt": "lithuanian", "nb": "norwegian", "ne": "nepali", "nl": "dutch", "nn": "norwegian",
    "no": "norwegian", "pl": "polish", "pt": "portuguese", "ro": "romanian", "ru": "russian",
    "sr": "serbian", "st": "sesotho", "sv": "swedish", "ta": "tamil", "tr": "turkish",
    "yi": "yiddish",
}  # fmt: skip


def stem_language(language: str) -> str | None:
    """The stemmer's name for a topic's language tag, or None when there is none."""
    algorithm = _SNOWBALL.get(primary_language(language))
    return algorithm if algorithm in _algorithms() else None


@cache
def _algorithms() -> frozenset[str]:
    import snowballstemmer  # here, like rapidfuzz: not needed to start

    return frozenset(snowballstemmer.algorithms())


def _stemmer(algorithm: str) -> Callable[[list[str]], list[str]]:
    """A new stemmer: one is never shared between threads (PyStemmer's are not safe so)."""
    import snowballstemmer

    return snowballstemmer.stemmer(algorithm).stemWords  # type: ignore[no-any-return]


_query_stemmers: dict[str, Callable[[list[str]], list[str]]] = {}
_query_stemmers_lock = threading.Lock()


@lru_cache(maxsize=4096)
def query_stem(algorithm: str, word: str) -> str:
    """The stem of a query word; the stemmers for queries are kept (one per language) and
    used one call at a time."""
    with _query_stemmers_lock:
        if algorithm not in _query_stemmers:
            _query_stemmers[algorithm] = _stemmer(algorithm)
        return _query_stemmers[algorithm]([word])[0]


def query_words(text: str) -> list[str]:
    """The words of what was typed, folded; punctuation and FTS5 operators are just spaces."""
    words = WORD.findall(fold(text, as_fts5=True))
    return [w[:MAX_WORD_CHARS] for w in words[:MAX_WORDS]]


def word_stems(topics: Sequence[Topic], bodies: Sequence[str]) -> Iterable[tuple[str, str, str]]:
    """(stem language, stem, word) for every word of every topic whose language has a stemmer.
    A word is stemmed as written (Spanish "vacunación" needs its accent) and, when that
    differs, as FTS5 folds it, the way a query arrives ("vacunacion"); both stems lead to the
    folded word."""
    # Split at spaces first: the regex then runs once per distinct chunk ("pain," "pain.")
    # rather than over all the text, which took most of the time.
    chunks: defaultdict[str, set[str]] = defaultdict(set)
    for topic, body in zip(topics, bodies, strict=True):
        algorithm = stem_language(topic.language)
        if algorithm is not None:
            chunks[algorithm].update(" ".join((topic.title, *topic.also_called, body)).split())
    for algorithm, of_language in chunks.items():
        spelled = sorted({word for chunk in of_language for word in WORD.findall(chunk.lower())})
        folded = [fold(word, as_fts5=True) for word in spelled]
        stem = _stemmer(algorithm)
        stems = [fold(stem_of, as_fts5=True) for stem_of in stem(spelled)]
        rows = set(zip(stems, folded, strict=True))
        accented = [word for word, plain in zip(spelled, folded, strict=True) if word != plain]
        unaccented = [fold(word, as_fts5=True) for word in accented]
        rows.update(zip(stem(unaccented), unaccented, strict=True))
        for stem_of, word in rows:
            yield algorithm, stem_of, word
