"""Case and accent folding, as the A-Z list and search each need it."""

from __future__ import annotations

import sqlite3

import pytest

from kiosk.content.folding import fold


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Éczema", "eczema"),
        ("ÑANDÚ", "nandu"),
        ("Straße", "strasse"),  # full case folding
        ("ﬁbromyalgia", "fibromyalgia"),  # a ligature made plain
        ("Ａsthma", "asthma"),  # full-width
        ("Øresund", "øresund"),  # not an accent: Unicode keeps the letter whole
        ("24-hour care", "24-hour care"),
        ("x²", "x2"),
    ],
)
def test_folded_as_a_reader_would(text: str, folded: str) -> None:
    assert fold(text) == folded


WORDS = ["Éczema", "ÑANDÚ", "Straße", "ﬁbromyalgia", "Ａsthma", "Øresund", "İstanbul", "x²", "Ǆ"]


def test_folded_for_search_as_the_index_holds_the_words() -> None:
    """A typed word must be folded into the very word SQLite's tokenizer put in the index, or
    the search finds nothing: "straße" stays "straße" there, not "strasse"."""
    db = sqlite3.connect(":memory:")
    db.execute("CREATE VIRTUAL TABLE t USING fts5(x, tokenize = 'unicode61 remove_diacritics 2')")
    db.execute("CREATE VIRTUAL TABLE terms USING fts5vocab(t, row)")
    db.execute("INSERT INTO t(x) VALUES (?)", (" ".join(WORDS),))
    indexed = {term for (term,) in db.execute("SELECT term FROM terms")}
    assert {fold(word, as_fts5=True) for word in WORDS} == indexed
    assert fold("Straße", as_fts5=True) == "straße" != fold("Straße")
