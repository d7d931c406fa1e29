"""Split a section's plain text into sentences, with exact character offsets.

Read-aloud speaks one sentence at a time and highlights it, so each sentence must be found
again in the text on screen: `text[start:end] == sentence.text`, always. The text comes from
QTextDocument.toPlainText() (or `kiosk.content.plain.html_to_text`, which matches it): one
line per paragraph, list item or table cell, with no bullets, so a line break always ends a
sentence, even after a list item with no full stop.

A small rule-based splitter rather than pysbd: pysbd has had no release since 2021, keeps a
closing bracket after the full stop from ending a sentence, and takes about 1.4 ms for one
150-word section where this takes well under a tenth of that. Patient texts are short,
plain sentences; the rules below cover what they contain.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kiosk.content.model import primary_language

# A stop, any further stops ("?!", "..."), any closing quotes or brackets, then a space or the
# end of the line. "38.5" and "example.org" have no space after the dot, so they never match.
_END = re.compile(r"[.!?…]+[\"'”’»)\]}]*(?=\s|$)")
_LINE_BREAK = re.compile(r"\r\n|[\n\r\v\f\x1c-\x1e\x85\u2028\u2029]")
_OPENING = "\"'“‘«([{¿¡"

# QTextDocument puts U+FFFC where an image is; it is not whitespace, and there is nothing in
# it to say, so it is trimmed like whitespace and never makes a sentence on its own.
_OBJECT = "\ufffc"

# Abbreviations after which a full stop never ends a sentence (lower case, with the dot).
_ALWAYS_JOIN = {
    "en": frozenset(
        {
            "e.g.",
            "i.e.",
            "dr.",
            "mr.",
            "mrs.",
            "ms.",
            "prof.",
            "st.",
            "vs.",
            "approx.",
            "cf.",
            "fig.",
            "tel.",
        }
    ),
    "es": frozenset(
        {
            "p.",
            "ej.",
            "dr.",
            "dra.",
            "sr.",
            "sra.",
            "srta.",
            "ud.",
            "uds.",
            "vs.",
            "aprox.",
            "tel.",
            "pág.",
        }
    ),
}
# "etc." and the like end a sentence as often as not, so they are not listed: like every other
# full stop, they end one unless the text goes on in lower case ("etc. and", "approx. five").
# A number sign joins only before a number: "No. 5" is one sentence, "No. Then" is two.
_NUMBER_SIGN = frozenset({"no.", "nos.", "núm."})


@dataclass(frozen=True, slots=True)
class Sentence:
    """One sentence: `text` is exactly `source[start:end]`, with no whitespace at either end."""

    start: int
    end: int
    text: str


def _word_before(line: str, stop: int) -> str:
    """The word that a stop at `line[stop]` ends, with the stop: 'Dr.' in '(see Dr. Lee'."""
    begin = stop
    while begin > 0 and not line[begin - 1].isspace():
        begin -= 1
    return line[begin : stop + 1].lstrip(_OPENING).lower()


def _starts_lower(line: str, at: int) -> bool:
    """Whether the text after `at` goes on with a lower-case letter (skipping spaces and any
    opening quote or bracket), which no sentence starts with."""
    rest = line[at:].lstrip().lstrip(_OPENING)
    return bool(rest) and rest[0].islower()


def _next_is_digit(line: str, at: int) -> bool:
    rest = line[at:].lstrip()
    return bool(rest) and rest[0].isdigit()


def _is_boundary(line: str, match: re.Match[str], join: frozenset[str]) -> bool:
    stops = match.group().rstrip("\"'”’»)]}")
    if set(stops) <= {".", "…"}:
        if _starts_lower(line, match.end()):
            return False
        if stops == ".":
            word = _word_before(line, match.start())
            if word in _NUMBER_SIGN:
                # "No. 5" joins; "The answer is no. Then..." does not.
                return not _next_is_digit(line, match.end())
            if word in join:
                return False
    return True


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and (text[start].isspace() or text[start] == _OBJECT):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] == _OBJECT):
        end -= 1
    return start, end


def split_sentences(text: str, language: str = "en") -> list[Sentence]:
    """Sentences of `text` in order. Every character that is not whitespace belongs to exactly
    one sentence. `language` picks the abbreviations that do not end a sentence."""
    join = _ALWAYS_JOIN["en"] | _ALWAYS_JOIN.get(primary_language(language), frozenset())
    sentences: list[Sentence] = []

    def add(start: int, end: int) -> None:
        start, end = _trimmed(text, start, end)
        if start < end:
            sentences.append(Sentence(start, end, text[start:end]))

    line_start = 0
    for line_end, next_start in _line_spans(text):
        line = text[line_start:line_end]
        piece = 0
        for match in _END.finditer(line):
            if _is_boundary(line, match, join):
                add(line_start + piece, line_start + match.end())
                piece = match.end()
        add(line_start + piece, line_end)
        line_start = next_start
    return sentences


def _line_spans(text: str) -> list[tuple[int, int]]:
    """(end of line, start of the next line) for every line, the last one included."""
    spans = [(m.start(), m.end()) for m in _LINE_BREAK.finditer(text)]
    spans.append((len(text), len(text)))
    return spans
