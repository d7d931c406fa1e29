"""How espeak's word events become highlight offsets: the highlight a patient follows. No
child process, no pyttsx3, no Qt."""

from __future__ import annotations

import pytest

from kiosk.speech.timing import word_timings, written_words


def spoken(text: str, events: list[tuple[int, int, int]], duration_ms: int = 5000) -> list[object]:
    return [(text[s : s + n], t) for s, n, t in word_timings(text, events, duration_ms)]


def test_word_timings_are_character_offsets_in_order() -> None:
    # Real events for "The temperature is 38.5 degrees." (1-based positions, ms)
    text = "The temperature is 38.5 degrees."
    events = [(1, 3, 0), (5, 11, 141), (17, 2, 745), (20, 4, 896), (21, 4, 1262), (21, 4, 1501)]
    events += [(25, 7, 2187)]
    assert spoken(text, events, 3079) == [
        ("The", 0),
        ("temperature", 141),
        ("is", 745),
        ("38.5", 896),
        ("degrees", 2187),
    ]


@pytest.mark.parametrize(
    ("text", "events", "words"),
    [
        pytest.param(
            "He left—fast.",
            [(1, 2, 0), (4, 0, 173), (9, 4, 594)],
            [("He", 0), ("left", 173), ("fast", 594)],
            id="length-0-and-a-dash",
        ),
        pytest.param(
            "A hands-on talk, e.g. don't.",
            [(1, 1, 0), (3, 5, 82), (12, 4, 640), (18, 1, 900), (23, 3, 1200)],
            [("A", 0), ("hands-on", 82), ("talk", 640), ("e.g", 900), ("don't", 1200)],
            id="hyphen-abbreviation-apostrophe",
        ),
        pytest.param(
            "Niños: «más agua», ¡ya!",
            [(1, 5, 0), (9, 3, 890), (13, 0, 1125), (7, 0, 1679), (21, 2, 1692)],
            [("Niños", 0), ("más", 890), ("agua", 1125), ("ya", 1692)],
            id="spanish-quotes-and-a-step-back",
        ),
        pytest.param(
            "Smile 😀 twice.",
            [(1, 5, 0), (7, 1, 400), (8, 1, 700), (9, 5, 1000)],
            [("Smile", 0), ("😀", 400), ("twice", 1000)],
            id="event-on-a-space",
        ),
        pytest.param(
            "Take 1/2 now.",
            [(1, 4, 0), (6, 1, 300), (7, 1, 500), (8, 1, 900), (10, 3, 1100)],
            [("Take", 0), ("1", 300), ("2", 900), ("now", 1100)],
            id="slash",
        ),
        pytest.param(
            "¿Qué es?",
            [(2, 3, 0), (6, 10, 300), (8, 5, 900), (3, 0, 950), (12, 2, 990)],
            [("Qué", 0), ("es", 300)],
            id="past-the-end",
        ),
        pytest.param(
            # espeak runs "do not" and "of the" together: one event each.
            "Do not stop it of the way.",
            [(1, 2, 0), (8, 4, 400), (13, 2, 700), (16, 2, 900), (24, 3, 1300)],
            # "not" starts 3/7 of the way from "Do" to "stop"; "the" 3/7 from "of" to "way".
            [
                ("Do", 0),
                ("not", 171),
                ("stop", 400),
                ("it", 700),
                ("of", 900),
                ("the", 1071),
                ("way", 1300),
            ],
            id="words-espeak-runs-together",
        ),
        pytest.param(
            "Stop them all at once.",
            [(1, 4, 0), (6, 4, 500), (11, 3, 1000), (15, 2, 1300)],
            # At the pace of the sentence so far: 1300 ms over 14 characters.
            [("Stop", 0), ("them", 500), ("all", 1000), ("at", 1300), ("once", 1579)],
            id="a-last-word-with-no-event",
        ),
        pytest.param("...", [(1, 3, 0)], [], id="no-words"),
        pytest.param("Hello there.", [], [], id="no-events"),
    ],
)
def test_word_timings_follow_the_words_as_written(
    text: str, events: list[tuple[int, int, int]], words: list[tuple[str, int]]
) -> None:
    assert spoken(text, events) == words


def test_word_times_stay_inside_the_audio_and_never_go_back() -> None:
    assert spoken("One two three.", [(1, 3, 0), (5, 3, 600), (9, 5, 400)], 500) == [
        ("One", 0),
        ("two", 499),
        ("three", 499),
    ]


def test_written_words() -> None:
    text = "«Hola», he said—twice (1/2)."
    assert [text[s:e] for _, s, e, _ in written_words(text)] == [
        "Hola",
        "he",
        "said",
        "twice",
        "1",
        "2",
    ]
