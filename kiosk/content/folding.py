"""Case and accent folding: the one rule by which "Éczema", "eczema" and "ECZEMA" are the same
word to the A-Z list, its letter bar and search.

A patient who cannot type an accent, or types in capitals, must still find the topic, and a
title with an accent must sit among its letter, not after Z.

Search cannot fold quite as far as the A-Z list. Its words are compared with the words SQLite's
FTS5 `unicode61` tokenizer (remove_diacritics 2) put in the index, and that tokenizer only
lower-cases and strips accents: "ß" stays "ß", the ligature "ﬁ" stays "ﬁ", full-width "Ａ"
becomes "ａ". Folded further, a typed "straße" would look for "strasse", a word the index does
not hold. So `fold` has one switch, `as_fts5`, rather than search keeping a copy of its own.
"""

from __future__ import annotations

import unicodedata

__all__ = ["fold"]


def fold(text: str, *, as_fts5: bool = False) -> str:
    """`text` without case or accents.

    By default as far as a reader would: full case folding ("ß" -> "ss") and compatibility
    forms made plain ("ﬁ" -> "fi", full-width "Ａ" -> "a"). With `as_fts5`, exactly as far as
    the search index's tokenizer: canonical accents removed and simple lower case only.
    Letters that Unicode does not split into a base and an accent ("ø", "ł") are kept.
    """
    if text.isascii():
        return text.lower()  # the common case, and both ways agree on it
    if as_fts5:
        return _without_marks(unicodedata.normalize("NFD", text)).lower()
    return _without_marks(unicodedata.normalize("NFKD", text.casefold()))


def _without_marks(decomposed: str) -> str:
    return "".join(c for c in decomposed if not unicodedata.combining(c))
