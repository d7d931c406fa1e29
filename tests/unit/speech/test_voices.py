"""Which voice speaks a topic's language. No child process, no pyttsx3, no Qt."""

from __future__ import annotations

import pytest

from kiosk.speech.voices import Voice, VoiceEntry, best_voice, parse_languages


def entry(voice_id: str, *languages: tuple[int, str]) -> VoiceEntry:
    return VoiceEntry(
        Voice(voice_id, voice_id, tuple(t for _, t in languages)),
        tuple(p for p, _ in languages),
    )


# As espeak-ng 1.51 lists them (priority, tag), in its order.
VOICES = [
    entry("gmw/en-029", (5, "en-029"), (10, "en")),
    entry("gmw/en", (2, "en-gb"), (2, "en")),
    entry("gmw/en-us", (2, "en-us"), (3, "en")),
    entry("roa/es", (5, "es")),
    entry("roa/es-419", (5, "es-419"), (6, "es-mx"), (6, "es")),
    entry("roa/pt-br", (5, "pt-br"), (6, "pt")),
]


@pytest.mark.parametrize(
    ("language", "voice_id"),
    [
        ("en", "gmw/en"),
        ("EN", "gmw/en"),
        ("en-US", "gmw/en-us"),
        ("en_US", "gmw/en-us"),
        ("en-AU", "gmw/en"),
        ("es", "roa/es"),
        ("es-MX", "roa/es-419"),
        ("es-AR", "roa/es"),
        ("pt", "roa/pt-br"),
        ("pt-PT", "roa/pt-br"),
        ("xx", None),
        ("", None),
    ],
)
def test_best_voice(language: str, voice_id: str | None) -> None:
    voice = best_voice(VOICES, language)
    assert (voice.id if voice else None) == voice_id


def test_no_voices_no_match() -> None:
    assert best_voice([], "en") is None


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (b"\x02en-gb\x00\x02en\x00\x00", [(2, "en-gb"), (2, "en")]),
        (b"\x05en-gb", [(5, "en-gb")]),
        (b"\x05es", [(5, "es")]),
        ("en-GB", [(5, "en-gb")]),
        (b"es-419", [(5, "es-419")]),
        (b"", []),
        (b"\x00", []),
        (None, []),
    ],
)
def test_parse_languages(raw: object, expected: list[tuple[int, str]]) -> None:
    assert parse_languages(raw) == expected
