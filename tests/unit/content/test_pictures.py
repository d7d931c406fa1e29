"""Pictures that speak: a picture without alt text is refused, and the alt text is a line of
the section's own text under the picture, so it is read aloud where the picture stands."""

from __future__ import annotations

import pytest

from kiosk.content.parser import parse_topic
from kiosk.content.plain import html_to_text
from kiosk.content.sentences import split_sentences


def topic(body: str, language: str = "en") -> str:
    return (
        f'+++\nid = "t"\ntitle = "T"\ncategory = "C"\nlanguage = "{language}"\n+++\n\n'
        f"## Checking your blood pressure\n\n{body}"
    )


def section_html(body: str, language: str = "en") -> str:
    result = parse_topic(topic(body, language))
    assert result.topic is not None, result.problems
    return result.topic.sections[0].html


@pytest.mark.parametrize("alt", ["", "   "])
def test_a_picture_without_alt_text_is_refused(alt: str) -> None:
    result = parse_topic(topic(f"A nurse may check it.\n\n![{alt}](media/cuff.png)\n"), "bp.md")
    assert result.topic is None
    assert [str(p) for p in result.problems] == [
        "bp.md:12: image 'media/cuff.png' has no alt text: write what it shows between the "
        "brackets, like ![A nurse checks a blood pressure](media/cuff.png)"
    ]


def test_a_file_name_is_not_alt_text() -> None:
    result = parse_topic(topic("![cuff.png](media/cuff.png)\n"), "bp.md")
    assert [p.message for p in result.problems] == [
        "image 'media/cuff.png' has its file name as alt text: write what it shows instead"
    ]


def test_the_alt_text_is_read_where_the_picture_stands() -> None:
    html = section_html(
        "A nurse may check it.\n\n![A nurse puts a cuff on an arm](media/cuff.png)\n\n"
        "It does not hurt.\n"
    )
    assert 'alt="A nurse puts a cuff on an arm"' in html  # screen readers still get it
    assert html_to_text(html).splitlines() == [
        "A nurse may check it.",
        "Picture: A nurse puts a cuff on an arm.",
        "It does not hurt.",
    ]


def test_a_picture_inside_a_sentence_is_a_sentence_of_its_own() -> None:
    html = section_html("Sit like this ![A person sitting up straight](media/a.png) for a while.\n")
    assert [s.text for s in split_sentences(html_to_text(html))] == [
        "Sit like this",
        "Picture: A person sitting up straight.",
        "for a while.",
    ]


def test_pictures_in_lists_and_their_own_full_stops() -> None:
    html = section_html("- ![Step one: wash your hands!](media/a.png)\n- Dry them.\n")
    assert html_to_text(html).splitlines() == ["Picture: Step one: wash your hands!", "Dry them."]


def test_the_word_for_picture_is_in_the_topics_language() -> None:
    html = section_html("![Una enfermera toma la presión](media/a.png)\n", language="es")
    assert html_to_text(html) == "Imagen: Una enfermera toma la presión."


def test_alt_text_is_words_not_markup() -> None:
    html = section_html("![A *cuff* & 2 > 1](media/a.png)\n")
    assert 'alt="A cuff &amp; 2 &gt; 1"' in html and "<em>" not in html
    assert html_to_text(html) == "Picture: A cuff & 2 > 1."
