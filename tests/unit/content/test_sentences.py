"""Sentences for read-aloud: what is spoken as one piece, and where it is on screen.

The narrator highlights `text[start:end]` while that sentence plays, so offsets must be exact
on every input, and no sentence may be empty (it would be a silent gap with nothing lit).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.content.model import Topic
from kiosk.content.plain import html_to_text
from kiosk.content.sentences import Sentence, split_sentences
from kiosk.packs.folder import read_pack_folder

SAMPLE_PACK = Path(__file__).resolve().parents[3] / "topics" / "sample-en"


def texts(text: str, language: str = "en") -> list[str]:
    return [s.text for s in split_sentences(text, language)]


def blank(text: str) -> bool:
    """Nothing to read: whitespace, or the U+FFFC that QTextDocument puts for an image."""
    return not text.replace("\ufffc", " ").strip()


def assert_exact(text: str, sentences: list[Sentence]) -> None:
    """Offsets point at the sentence, in order, without overlap, trimmed, never empty, and
    together they hold every character of the text that is not whitespace (or an image)."""
    end = 0
    for s in sentences:
        assert text[s.start : s.end] == s.text
        assert s.text and s.text == s.text.strip()
        assert s.start >= end, "sentences overlap or are out of order"
        assert blank(text[end : s.start]), "text was skipped"
        end = s.end
    assert blank(text[end:]), "text was skipped"


CASES = [
    pytest.param("", [], id="empty"),
    pytest.param(" \n\t\n  ", [], id="whitespace-only"),
    pytest.param("One sentence", ["One sentence"], id="no-stop"),
    pytest.param(
        "It hurts. Call us! Why wait? Go now.",
        ["It hurts.", "Call us!", "Why wait?", "Go now."],
        id="stops",
    ),
    pytest.param(
        "First line\nSecond line. Still second\n\nThird",
        ["First line", "Second line.", "Still second", "Third"],
        id="newlines",
    ),
    pytest.param(
        "These may help.\nLow back pain\nNeck pain\nStaying active",
        ["These may help.", "Low back pain", "Neck pain", "Staying active"],
        id="list-items",
    ),
    pytest.param(
        "Eat fruit, e.g. apples. Rest, i.e. sleep well.",
        ["Eat fruit, e.g. apples.", "Rest, i.e. sleep well."],
        id="eg-ie",
    ),
    pytest.param(
        "See Dr. Lee or Mr. Brown. Mrs. Green can help too.",
        ["See Dr. Lee or Mr. Brown.", "Mrs. Green can help too."],
        id="titles",
    ),
    pytest.param("Bring socks, shoes, etc. to the visit.", None, id="etc-joins"),
    pytest.param(
        "Bring socks, shoes, etc. Then wait.",
        ["Bring socks, shoes, etc.", "Then wait."],
        id="etc-ends-a-sentence",
    ),
    pytest.param("Rest vs. Exercise is the question.", None, id="vs"),
    pytest.param("It takes approx. Ten minutes.", None, id="approx"),
    pytest.param(
        "A fever is 38.5 degrees or more. Take 2.5 ml.",
        ["A fever is 38.5 degrees or more.", "Take 2.5 ml."],
        id="decimals",
    ),
    pytest.param(
        'He said "stop." Then he left.',
        ['He said "stop."', "Then he left."],
        id="closing-quote",
    ),
    pytest.param(
        "Ask your nurse (or doctor.) Then rest.",
        ["Ask your nurse (or doctor.)", "Then rest."],
        id="closing-bracket",
    ),
    pytest.param(
        "She said “don’t worry!” Then rest.",
        ["She said “don’t worry!”", "Then rest."],
        id="curly-quotes",
    ),
    pytest.param("Really?! Yes... Fine.", ["Really?!", "Yes...", "Fine."], id="runs-of-stops"),
    pytest.param("Wait… and then rest.", None, id="ellipsis-then-lower-case"),
    pytest.param("See example.org for more.", None, id="dot-inside-a-word"),
    pytest.param(
        "Ask for form No. 5 at the desk. No. Not that one.",
        ["Ask for form No. 5 at the desk.", "No.", "Not that one."],
        id="number-sign",
    ),
    pytest.param(
        "  Leading and trailing.   Spaces here.  ",
        ["Leading and trailing.", "Spaces here."],
        id="spaces",
    ),
    pytest.param("Windows\r\nline ends\rtoo", ["Windows", "line ends", "too"], id="crlf"),
    pytest.param(
        "Line\u2028separator\u2029paragraph", ["Line", "separator", "paragraph"], id="unicode-lines"
    ),
    pytest.param("\ufffc After the image.", ["After the image."], id="image-placeholder"),
    pytest.param("\ufffc\n\ufffc", [], id="only-images"),
    pytest.param("Un café. Deux cafés.", ["Un café.", "Deux cafés."], id="non-ascii"),
    pytest.param("Call 911.", ["Call 911."], id="number-before-stop"),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_split(text: str, expected: list[str] | None) -> None:
    sentences = split_sentences(text)
    assert_exact(text, sentences)
    assert [s.text for s in sentences] == (expected if expected is not None else [text])


SPANISH = [
    pytest.param(
        "¿Qué es la fiebre? Es una temperatura alta. ¡Llame ya!",
        ["¿Qué es la fiebre?", "Es una temperatura alta.", "¡Llame ya!"],
        id="inverted-marks",
    ),
    pytest.param(
        "Hable con la Dra. Ruiz o el Sr. Gómez. Traiga, p. ej. sus medicinas.",
        ["Hable con la Dra. Ruiz o el Sr. Gómez.", "Traiga, p. ej. sus medicinas."],
        id="abbreviations",
    ),
    pytest.param("Tome 2,5 ml. Descanse.", ["Tome 2,5 ml.", "Descanse."], id="decimal-comma"),
]


@pytest.mark.parametrize(("text", "expected"), SPANISH)
def test_split_spanish(text: str, expected: list[str]) -> None:
    sentences = split_sentences(text, "es-MX")
    assert_exact(text, sentences)
    assert [s.text for s in sentences] == expected


def test_spanish_abbreviations_are_only_spanish() -> None:
    """'Sra.' means nothing in English; an English 'p.' may end a sentence ("see page p.")."""
    assert texts("Ask Sra. Ruiz.", "es") == ["Ask Sra. Ruiz."]
    assert texts("It is on p. Then go.", "en") == ["It is on p.", "Then go."]


def test_offsets_are_characters_not_bytes() -> None:
    text = "Ça va. ¿Qué tal? Très bien."
    [a, b, c] = split_sentences(text, "es")
    assert (a.start, a.end, b.start, b.end, c.start) == (0, 6, 7, 16, 17)


def _sample_topics() -> list[Topic]:
    contents = read_pack_folder(SAMPLE_PACK)
    assert contents.ok, [str(p) for p in contents.problems]
    return contents.topics


SAMPLE_TOPICS = _sample_topics()


@pytest.mark.parametrize("topic", SAMPLE_TOPICS, ids=[t.id for t in SAMPLE_TOPICS])
def test_every_sample_section_splits_exactly(topic: Topic) -> None:
    for section in topic.sections:
        text = html_to_text(section.html)
        sentences = split_sentences(text, topic.language)
        assert sentences, f"{topic.id}: '{section.title}' has nothing to read aloud"
        assert_exact(text, sentences)
        for s in sentences:
            assert "\n" not in s.text
            assert len(s.text.split()) <= 60, f"{topic.id}: run-on sentence {s.text!r}"


def test_sample_section_sentences() -> None:
    """What a listener hears for one real section: each sentence once, in order."""
    [topic] = [t for t in SAMPLE_TOPICS if t.id == "spinal-manipulation"]
    section = next(s for s in topic.sections if s.title == "Related Information")
    assert texts(html_to_text(section.html)) == [
        "You can learn more about back pain and ways to care for it.",
        "Ask your doctor or nurse if you have questions.",
        "These topics in this kiosk may also help you.",
        "Low back pain",
        "Neck pain",
        "Staying active",
        "Pain relief medicines",
    ]
