"""Which letter a topic title is filed under, for the A to Z jump bar above a long list.

Case and accents are folded, so "Éczema" is under E, as a patient who cannot type the accent
would look for it; digits and every other first character are under "#". No Qt here, so the
rules are tested without a screen.
"""

from __future__ import annotations

from collections.abc import Iterable

from kiosk.content.folding import fold

OTHER = "#"
ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"

# Latin letters that Unicode does not decompose into a base letter plus an accent.
_UNDECOMPOSED = str.maketrans(
    {"æ": "a", "đ": "d", "ð": "d", "ħ": "h", "ı": "i", "ł": "l", "ø": "o", "œ": "o", "þ": "t"}
)


def letter_of(title: str) -> str:
    """'A' to 'Z' for a title starting with that letter (any case, any accent), else '#'."""
    text = title.lstrip()
    if not text:
        return OTHER
    # Folded as the A-Z list sorts ("ß" -> "ss", "ﬁ" -> "fi", "É" -> "e"), plus the letters
    # Unicode leaves whole, which only the bar files under a base letter.
    base = fold(text[0])[:1].translate(_UNDECOMPOSED)
    letter = base.upper()
    return letter if len(letter) == 1 and letter in ALPHABET else OTHER


def first_rows(titles: Iterable[str]) -> dict[str, int]:
    """For each letter that has topics, the row of its first topic in the list's own order."""
    first: dict[str, int] = {}
    for row, title in enumerate(titles):
        first.setdefault(letter_of(title), row)
    return first
