"""Which installed voice speaks a topic's language.

Pure data and matching, shared by both sides of the synthesizer: the child reads espeak's
voice list into (priority, tag) pairs, and the kiosk picks from that list by language tag
without asking the child again.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class Voice:
    id: str
    name: str
    languages: tuple[str, ...]  # BCP 47-ish, lower case, most preferred first: ("en-gb", "en")


@dataclass(frozen=True, slots=True)
class VoiceEntry:
    """A voice with espeak's priority for each of its languages (lower is a better match)."""

    voice: Voice
    priorities: tuple[int, ...]


def normalise_tag(language: str) -> str:
    return language.strip().replace("_", "-").lower()


def parse_languages(raw: object) -> list[tuple[int, str]]:
    """(priority, tag) pairs from what espeak or pyttsx3 give for a voice's languages.

    espeak-ng's `languages` field is a run of entries, each a priority byte, a tag and a NUL,
    ended by a zero byte: b'\\x02en-gb\\x00\\x02en\\x00\\x00'. pyttsx3 2.90 hands over the
    first entry raw (b'\\x05en-gb'), 2.99 only its tag as text ('en-gb'); all three are read.
    """
    if isinstance(raw, str):
        tag = normalise_tag(raw)
        return [(5, tag)] if tag else []
    if not isinstance(raw, bytes | bytearray):
        return []
    found: list[tuple[int, str]] = []
    data = bytes(raw)
    at = 0
    while at < len(data) and data[at] != 0:
        priority = data[at]
        end = data.find(b"\x00", at + 1)
        end = len(data) if end == -1 else end
        if priority < 0x20:
            tag = normalise_tag(data[at + 1 : end].decode("utf-8", "replace"))
        else:  # no priority byte: a bare tag
            priority, tag = 5, normalise_tag(data[at:end].decode("utf-8", "replace"))
        if tag:
            found.append((priority, tag))
        at = end + 1
    return found


def best_voice(entries: Sequence[VoiceEntry], language: str) -> Voice | None:
    """The voice for `language`: one that lists the exact tag, else the primary subtag as a
    tag ("en-AU" -> "en"), else any variant of it ("en" -> "en-gb"); the best espeak priority
    wins, then the order of the list. None when nothing speaks the language."""
    tag = normalise_tag(language)
    if not tag:
        return None
    primary = tag.split("-", 1)[0]
    for rank in range(3):
        found = [
            (priority, order, entry.voice)
            for order, entry in enumerate(entries)
            for lang, priority in zip(entry.voice.languages, entry.priorities, strict=True)
            if _matches(rank, lang, tag, primary)
        ]
        if found:
            return min(found, key=lambda f: (f[0], f[1]))[2]
    return None


def _matches(rank: int, lang: str, tag: str, primary: str) -> bool:
    if rank == 0:
        return lang == tag
    if rank == 1:
        return lang == primary
    return lang.split("-", 1)[0] == primary


def entry_from_json(item: dict[str, Any]) -> VoiceEntry:
    """A voice as the child announces it: {"id", "name", "languages": [[priority, tag], ...]}."""
    pairs = [(int(p), str(t)) for p, t in item["languages"]]
    return VoiceEntry(
        Voice(str(item["id"]), str(item["name"]), tuple(t for _, t in pairs)),
        tuple(p for p, _ in pairs),
    )
