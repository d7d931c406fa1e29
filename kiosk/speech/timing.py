"""When each written word of a sentence is heard, from espeak-ng's word events.

The child reads each word event's `text_position` (1-based, in characters, not UTF-8 bytes, as
measured with "café" and "¿Qué es la fiebre?") and `audio_position` (milliseconds into the
audio of this call) from the espeak driver's synth callback. pyttsx3's own `started-word`
notification carries the position but not the audio time, so it is not used. Short words
that espeak runs into the next one get no event; `word_timings` places those between their
neighbours. Pure functions, so the highlight's rules are tested without a speech engine.
"""

from __future__ import annotations

import bisect
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class WordTiming:
    start: int  # char offset within the sentence text
    length: int
    at_ms: int  # when the word starts in the WAV, in milliseconds


# Dashes and slashes join words without a space ("left—fast", "1/2"); a hyphen or an
# apostrophe is inside one word ("hands-on", "don't").
_WORD_BREAKS = frozenset("—–/")
_MS_PER_CHAR = 65  # about 160 words a minute; only when espeak gave a single word time


def _is_punctuation(char: str) -> bool:
    return unicodedata.category(char).startswith("P")


def written_words(text: str) -> list[tuple[int, int, int, int]]:
    """The words of `text` as a reader sees them: runs between spaces and dashes, without
    the punctuation around them. (run start, word start, word end, run end) for each."""
    words = []
    at, size = 0, len(text)
    while at < size:
        if text[at].isspace() or text[at] in _WORD_BREAKS:
            at += 1
            continue
        end = at
        while end < size and not text[end].isspace() and text[end] not in _WORD_BREAKS:
            end += 1
        first, last = at, end
        while first < last and _is_punctuation(text[first]):
            first += 1
        while last > first and _is_punctuation(text[last - 1]):
            last -= 1
        if first < last:
            words.append((at, first, last, end))
        at = end
    return words


def word_timings(
    text: str, events: Sequence[tuple[int, int, int]], duration_ms: int
) -> list[tuple[int, int, int]]:
    """(start, length, at_ms) for every written word of `text`, in order.

    The words come from the text, the times from espeak: each word event (1-based character
    position, length, ms into the audio) times the written word it falls in. espeak's events
    are rough: lengths of 0, several events for "38.5", now and then a step back, one event
    on a space for an emoji's "grinning face", and none for a short word it runs into the
    next ("do not", "of the", "a few": about one sentence in six of the sample pack). Only the
    first event of a word counts and none that goes back; a word with no event of its own
    gets a time between its neighbours', in proportion to where it starts in the text.
    """
    words = written_words(text)
    runs = [run_start for run_start, _, _, _ in words]
    times: list[int | None] = [None] * len(words)
    last = -1
    for position, _length, at_ms in events:
        offset = position - 1  # espeak counts characters from 1
        index = bisect.bisect_right(runs, offset) - 1
        if index <= last or offset >= words[index][3]:
            continue  # the same word again, a step back, or a space or dash between words
        times[index] = at_ms
        last = index
    anchors = [(words[i][1], t) for i, t in enumerate(times) if t is not None]
    if not anchors:
        return []  # nothing espeak said can be placed: no highlight rather than a guess
    if len(anchors) > 1 and anchors[-1][0] > anchors[0][0]:
        rate = (anchors[-1][1] - anchors[0][1]) / (anchors[-1][0] - anchors[0][0])
    else:
        rate = _MS_PER_CHAR
    result: list[tuple[int, int, int]] = []
    latest = 0
    for (_, start, end, _), known in zip(words, times, strict=True):
        at_ms = known if known is not None else _between(anchors, start, rate)
        latest = max(latest, min(at_ms, max(0, duration_ms - 1)))
        result.append((start, end - start, latest))
    return result


def _between(anchors: Sequence[tuple[int, int]], start: int, rate: float) -> int:
    """A time for a word at `start` that espeak gave none: on the line through the timed
    words before and after it (from the start of the text at 0 ms for the first ones)."""
    before = (0, 0)
    for anchor in anchors:
        if anchor[0] > start:
            (x0, t0), (x1, t1) = before, anchor
            return round(t0 + (t1 - t0) * (start - x0) / (x1 - x0))
        before = anchor
    return round(before[1] + rate * (start - before[0]))
