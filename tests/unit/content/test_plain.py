"""A section's HTML as the lines read aloud: the same lines QTextDocument.toPlainText() gives
the narrator on screen, so `kiosk speak` previews exactly what a patient hears."""

from __future__ import annotations

from kiosk.content.parser import parse_topic
from kiosk.content.plain import html_to_text


def section_html(body: str) -> str:
    text = '+++\nid = "t"\ntitle = "T"\ncategory = "C"\nlanguage = "en"\n+++\n\n## A\n\n' + body
    result = parse_topic(text)
    assert result.topic is not None, result.problems
    return result.topic.sections[0].html


def test_paragraphs_and_list_items_are_lines_without_bullets() -> None:
    html = section_html(
        "A hands-on\ntreatment for **back** pain.\n\n- Low back pain\n- Neck pain\n\n"
        "1. First\n2. Second\n"
    )
    assert html_to_text(html) == (
        "A hands-on treatment for back pain.\nLow back pain\nNeck pain\nFirst\nSecond"
    )


def test_nested_and_loose_lists() -> None:
    html = section_html("- Neck pain\n  - nested\n\n- loose\n\n  more\n")
    assert html_to_text(html) == "Neck pain\nnested\nloose\nmore"


def test_entities_spaces_breaks_and_code() -> None:
    html = section_html("Salt &amp; pepper,  `code`,\u00a0here.\\\nNext line.\n")
    assert html_to_text(html) == "Salt & pepper, code, here.\nNext line."


def test_tables_headings_quotes_and_images() -> None:
    html = section_html(
        "### Sub\n\n| a | b |\n|---|---|\n| c | d |\n\n> Quoted.\n\n![alt](media/x.png) After.\n"
    )
    # The picture says what it shows, a line of its own (kiosk/content/pictures.py).
    assert html_to_text(html) == "Sub\na\nb\nc\nd\nQuoted.\nPicture: alt.\nAfter."


def test_empty() -> None:
    assert html_to_text("") == ""
    assert html_to_text("<p> </p>") == ""
