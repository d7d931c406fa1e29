"""The letter a title is filed under in the A to Z jump bar (no Qt: runs in `make unit-noqt`)."""

from __future__ import annotations

import pytest

from kiosk.ui.letters import OTHER, first_rows, letter_of


@pytest.mark.parametrize(
    ("title", "letter"),
    [
        ("Stroke", "S"),
        ("stroke", "S"),
        ("Éczema", "E"),  # accents folded: found under E
        ("éczema", "E"),
        ("Ñandú bite", "N"),
        ("Øresund fever", "O"),  # a letter Unicode does not split into base and accent
        ("Æsthetic surgery", "A"),
        ("Łódź flu", "L"),
        ("ßtraße", "S"),  # casefolds to "ss"
        ("ﬁbromyalgia", "F"),  # a ligature
        ("Ａsthma", "A"),  # full-width letter
        ("  Knee pain", "K"),  # leading spaces do not count
        ("24-hour blood pressure", OTHER),
        ("5 a day", OTHER),
        ('"Tennis elbow"', OTHER),
        ("Грипп", OTHER),  # not a Latin letter
        ("", OTHER),
    ],
)
def test_letter_of(title: str, letter: str) -> None:
    assert letter_of(title) == letter


def test_first_rows_are_the_first_topic_under_each_letter_in_list_order() -> None:
    titles = ["3-day fever", "Acne", "Asthma", "eczema", "Elbow pain", "Stroke", "Éczema"]
    assert first_rows(titles) == {OTHER: 0, "A": 1, "E": 3, "S": 5}


def test_no_topics_no_letters() -> None:
    assert first_rows([]) == {}
