"""The topic-file parser: what a good file becomes, and what staff read about a bad one.

Every bad input must come back as problems (file, line, what is wrong), never as an exception:
`kiosk pack validate` lists them all and the kiosk leaves the topic out and keeps running.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence

import pytest

from kiosk.content import Credits, ParseResult, Problem, parse_topic

# Four front-matter lines, so file lines 1-6 are the front matter with its fences and the body
# starts on file line 7. Body line N is file line N + 6.
FRONT = ('id = "t"', 'title = "T"', 'category = "C"', 'language = "en"')
FRONT_LINES = len(FRONT) + 2


def topic_text(body: str = "## A\n\nSome text.\n", front: Sequence[str] = FRONT) -> str:
    return "\n".join(["+++", *front, "+++", *body.splitlines()]) + "\n"


def problems_of(
    text: str,
    *,
    media_exists: Callable[[str], bool] | None = None,
    media_problem: Callable[[str], str | None] | None = None,
) -> list[str]:
    if media_problem is None:
        result = parse_topic(text, "t.md", media_exists=media_exists)
    else:
        result = parse_topic(text, "t.md", media_exists=media_exists, media_problem=media_problem)
    assert result.topic is None, "a topic with problems must not be shown"
    assert not result.ok
    return [str(p) for p in result.problems]


GOOD = """\
+++
id = "spinal-manipulation"
title = "Spinal Manipulation"
also_called = ["spinal adjustment", "chiropractic adjustment"]
category = "Back and neck"
language = "en"
current_as_of = 2024-07-31
authors = ["A. Writer", "B. Writer"]
reviewers = ["Dr C. Reviewer"]
related = ["low-back-pain"]
source_url = "https://example.org/spinal"
notice = "Sample content."
+++

A hands-on treatment
for **back** pain.

## Overview

A **trained** person moves a joint. See [neck pain](topic:neck-pain).

## Who can do it?

- Chiropractors
- Some *physical therapists*

1. Ask about training.
2. Ask about cost.

| Who | Training |
|-----|----------|
| Chiropractor | 4 years |

## Related Information

- [Low back pain](topic:low-back-pain)
- [Neck pain](topic:neck-pain)
- [Neck pain again](topic:neck-pain)
"""


@pytest.fixture(scope="module")
def good() -> ParseResult:
    return parse_topic(GOOD, "spinal-manipulation.md", pack_id="org.example.back")


def test_good_topic_parses_without_problems(good: ParseResult) -> None:
    assert good.problems == []
    assert good.ok
    assert good.topic is not None


def test_good_topic_front_matter(good: ParseResult) -> None:
    topic = good.topic
    assert topic is not None
    assert topic.id == "spinal-manipulation"
    assert topic.title == "Spinal Manipulation"
    assert topic.category == "Back and neck"
    assert topic.language == "en"
    assert topic.also_called == ("spinal adjustment", "chiropractic adjustment")
    assert topic.related == ("low-back-pain",)
    assert topic.source_url == "https://example.org/spinal"
    assert topic.pack_id == "org.example.back"
    assert topic.credits == Credits(
        current_as_of=dt.date(2024, 7, 31),
        authors=("A. Writer", "B. Writer"),
        reviewers=("Dr C. Reviewer",),
        notice="Sample content.",
    )


def test_summary_is_the_plain_text_before_the_first_section(good: ParseResult) -> None:
    assert good.topic is not None
    # The line break inside the paragraph becomes a space; bold markers are gone.
    assert good.topic.summary == "A hands-on treatment for back pain."


def test_sections_in_file_order_with_their_lines(good: ParseResult) -> None:
    assert good.topic is not None
    sections = good.topic.sections
    assert [s.title for s in sections] == ["Overview", "Who can do it?", "Related Information"]
    assert [s.line for s in sections] == [18, 22, 34]
    assert [GOOD.splitlines()[s.line - 1] for s in sections] == [f"## {s.title}" for s in sections]


def test_topic_links_per_section_without_repeats(good: ParseResult) -> None:
    assert good.topic is not None
    sections = good.topic.sections
    assert [s.topic_links for s in sections] == [
        ("neck-pain",),
        (),
        ("low-back-pain", "neck-pain"),
    ]
    # Front-matter `related` first, then links in the body, each once.
    assert good.topic.linked_topic_ids() == ("low-back-pain", "neck-pain")


def test_section_html_has_paragraphs_bold_and_links(good: ParseResult) -> None:
    assert good.topic is not None
    html = good.topic.sections[0].html
    assert html == (
        '<p>A <strong>trained</strong> person moves a joint. See <a href="topic:neck-pain">'
        "neck pain</a>.</p>\n"
    )
    assert "Overview" not in html, "the heading is the section title, not part of its text"


def test_section_html_has_lists_emphasis_and_tables(good: ParseResult) -> None:
    assert good.topic is not None
    html = good.topic.sections[1].html
    assert "<ul>\n<li>Chiropractors</li>\n<li>Some <em>physical therapists</em></li>\n</ul>" in html
    assert "<ol>\n<li>Ask about training.</li>\n<li>Ask about cost.</li>\n</ol>" in html
    assert "<table>" in html
    assert "<th>Who</th>\n<th>Training</th>" in html
    assert "<td>Chiropractor</td>\n<td>4 years</td>" in html


def test_optional_fields_default_to_empty() -> None:
    result = parse_topic(topic_text(), "t.md")
    assert result.problems == []
    assert result.topic is not None
    assert result.topic.also_called == ()
    assert result.topic.related == ()
    assert result.topic.source_url == ""
    assert result.topic.credits == Credits(None, (), (), "")
    assert result.topic.summary == ""


def test_images_from_media_are_checked_and_recorded() -> None:
    asked: list[str] = []

    def exists(src: str) -> bool:
        asked.append(src)
        return True

    body = "## A\n\n![A spine](media/spine.png)\n\n![A neck](media/neck.JPEG)\n"
    result = parse_topic(topic_text(body), "t.md", media_exists=exists)
    assert result.problems == []
    assert result.topic is not None
    section = result.topic.sections[0]
    assert section.images == ("media/spine.png", "media/neck.JPEG")
    assert '<img src="media/spine.png" alt="A spine" />' in section.html
    assert asked == ["media/spine.png", "media/neck.JPEG"]


def test_a_section_with_only_an_image_is_not_empty() -> None:
    result = parse_topic(topic_text("## A\n\n![A spine](media/spine.png)\n"), "t.md")
    assert result.problems == []


def test_byte_order_mark_from_a_windows_editor_is_accepted() -> None:
    result = parse_topic("\ufeff" + topic_text(), "t.md")
    assert result.problems == []
    assert result.topic is not None
    assert result.topic.id == "t"


def test_windows_line_endings_keep_line_numbers() -> None:
    text = topic_text("## A\n\nSome <b>bold</b> text.\n").replace("\n", "\r\n")
    assert problems_of(text) == [
        "t.md:9: raw HTML is not allowed: <b>",
        "t.md:9: raw HTML is not allowed: </b>",
    ]


def test_problem_without_a_line_shows_only_the_file() -> None:
    assert str(Problem("t.md", "something")) == "t.md: something"
    assert str(Problem("t.md", "something", 4)) == "t.md:4: something"


# --- the fences -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("", "t.md:1: the file must start with a '+++' line", id="empty-file"),
        pytest.param(
            'id = "t"\ntitle = "T"\n', "t.md:1: the file must start with a '+++' line", id="none"
        ),
        pytest.param(
            "\n" + topic_text(), "t.md:1: the file must start with a '+++' line", id="blank-first"
        ),
        pytest.param(
            "---\n" + "\n".join(FRONT) + "\n---\n## A\n\nx\n",
            "t.md:1: the file must start with a '+++' line",
            id="yaml-fences",
        ),
        pytest.param(
            "+++\n" + "\n".join(FRONT) + "\n## A\n\nx\n",
            "t.md:1: the front matter has no closing '+++'",
            id="no-closing",
        ),
    ],
)
def test_fence_problems(text: str, expected: str) -> None:
    assert problems_of(text) == [expected]


# --- front matter ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("front", "expected"),
    [
        pytest.param(
            ('id = "t"', 'title = "T"', 'category = "C"', "language = en"),
            "t.md:5: broken front matter: Invalid value",
            id="bare-word-value",
        ),
        pytest.param(
            ('id = "t"', 'title = "T"', 'id = "u"', 'category = "C"', 'language = "en"'),
            "t.md:4: broken front matter: Cannot overwrite a value",
            id="duplicate-key",
        ),
        pytest.param(
            ('id = "t"', "title = ", 'category = "C"', 'language = "en"'),
            "t.md:3: broken front matter: Invalid value",
            id="missing-value",
        ),
        pytest.param(
            ('id = "t"', 'title = "T"', 'category = "C"', 'language = "en"', "title ="),
            "t.md:6: broken front matter: Invalid value",
            id="missing-value-on-last-line",
        ),
        pytest.param(
            ('id = "t"', 'title = "T"', 'category = "C"', 'language = "en"', 'related = ["a",'),
            "t.md:6: broken front matter: Invalid value",
            id="list-left-open-at-the-end",
        ),
    ],
)
def test_broken_toml_points_at_the_line_in_the_file(front: Sequence[str], expected: str) -> None:
    assert problems_of(topic_text(front=front)) == [expected]


@pytest.mark.parametrize("field", ["id", "title", "category", "language"])
def test_each_required_field_missing(field: str) -> None:
    front = [line for line in FRONT if not line.startswith(field)]
    assert len(front) == 3
    assert problems_of(topic_text(front=front)) == [
        f"t.md:1: front matter needs '{field}' (a non-empty text)"
    ]


@pytest.mark.parametrize(
    ("value", "line"),
    [('""', 3), ('"   "', 3), ("5", 3), ('["T"]', 3)],
    ids=["empty", "blank", "number", "list"],
)
def test_required_field_empty_or_not_text(value: str, line: int) -> None:
    front = ['id = "t"', f"title = {value}", 'category = "C"', 'language = "en"']
    assert problems_of(topic_text(front=front)) == [
        f"t.md:{line}: front matter needs 'title' (a non-empty text)"
    ]


@pytest.mark.parametrize("bad_id", ["Spinal", "spinal_manipulation", "spinal manipulation", "-x"])
def test_id_with_characters_that_are_not_allowed(bad_id: str) -> None:
    front = [f'id = "{bad_id}"', *FRONT[1:]]
    assert problems_of(topic_text(front=front)) == [
        f"t.md:2: id '{bad_id}' may only use a-z, 0-9 and '-'"
    ]


def test_unknown_front_matter_field_names_the_field_and_line() -> None:
    front = [*FRONT, 'colour = "red"']
    assert problems_of(topic_text(front=front)) == ["t.md:6: unknown front matter field 'colour'"]


def test_language_that_is_not_a_tag() -> None:
    front = [*FRONT[:3], 'language = "English"']
    assert problems_of(topic_text(front=front)) == [
        "t.md:5: language 'English' is not a language tag like 'en' or 'es-MX'"
    ]


def test_regional_language_tag_is_fine() -> None:
    result = parse_topic(topic_text(front=[*FRONT[:3], 'language = "es-MX"']), "t.md")
    assert result.problems == []


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ('related = "low-back-pain"', "'related' must be a list of texts"),
        ("related = [1, 2]", "'related' must be a list of texts"),
        ('related = ["Low Back Pain"]', "related id 'Low Back Pain' is not a topic id"),
        ('also_called = "adjustment"', "'also_called' must be a list of texts"),
        ('authors = ["A", 3]', "'authors' must be a list of texts"),
        ("reviewers = true", "'reviewers' must be a list of texts"),
        ('current_as_of = "2024-07-31"', "'current_as_of' must be a date like 2024-07-31"),
        ("current_as_of = 2024-07-31T10:00:00", "'current_as_of' must be a date like 2024-07-31"),
        ("current_as_of = 20240731", "'current_as_of' must be a date like 2024-07-31"),
        ('source_url = "http://example.org"', "'source_url' must be an https:// address"),
        ('source_url = "example.org"', "'source_url' must be an https:// address"),
        ('source_url = "javascript:alert(1)"', "'source_url' must be an https:// address"),
        ("source_url = 5", "'source_url' must be an https:// address"),
        ("notice = 5", "'notice' must be a text"),
    ],
)
def test_front_matter_field_of_the_wrong_type(line: str, expected: str) -> None:
    # The field is the 5th front-matter line, so file line 6.
    assert problems_of(topic_text(front=[*FRONT, line])) == [f"t.md:6: {expected}"]


def test_every_problem_is_listed_at_once() -> None:
    front = ['id = "T"', 'category = "C"', 'language = "en"', "colour = 1"]
    body = "## A\n\nSome <b>bold</b>.\n\n## B\n"
    assert problems_of(topic_text(body, front)) == [
        "t.md:1: front matter needs 'title' (a non-empty text)",
        "t.md:5: unknown front matter field 'colour'",
        "t.md:2: id 'T' may only use a-z, 0-9 and '-'",
        "t.md:9: raw HTML is not allowed: <b>",
        "t.md:9: raw HTML is not allowed: </b>",
        "t.md:11: section 'B' is empty",
    ]


# --- the body -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        pytest.param(
            "## A\n\nSome <b>bold</b> text.\n",
            ["t.md:9: raw HTML is not allowed: <b>", "t.md:9: raw HTML is not allowed: </b>"],
            id="inline-bold",
        ),
        pytest.param(
            "## A\n\nFirst line.\nThen <script>alert(1)</script>\n",
            [
                "t.md:9: raw HTML is not allowed: <script>",
                "t.md:9: raw HTML is not allowed: </script>",
            ],
            id="inline-script-on-second-line-of-paragraph",
        ),
        pytest.param(
            "## A\n\nText.\n\n<div>\nhello\n</div>\n",
            ["t.md:11: raw HTML is not allowed"],
            id="block",
        ),
        pytest.param(
            "## A\n\n<img src=x onerror=alert(1)>\n", ["t.md:9: raw HTML is not allowed"], id="img"
        ),
        pytest.param(
            "## A\n\nText.\n\n<!-- a note -->\n", ["t.md:11: raw HTML is not allowed"], id="comment"
        ),
    ],
)
def test_raw_html(body: str, expected: list[str]) -> None:
    assert problems_of(topic_text(body)) == expected


@pytest.mark.parametrize(
    "body",
    [
        pytest.param("# Big title\n\n## A\n\nText.\n", id="atx"),
        pytest.param("Big title\n=========\n\n## A\n\nText.\n", id="setext"),
    ],
)
def test_h1_heading(body: str) -> None:
    assert problems_of(topic_text(body)) == [
        "t.md:7: '# ' headings are not allowed: the title comes from the front matter, "
        "and sections start with '## '"
    ]


@pytest.mark.parametrize(
    ("markdown", "href"),
    [
        ("[site](https://example.org)", "https://example.org"),
        ("[site](http://example.org)", "http://example.org"),
        ("<https://example.org>", "https://example.org"),
        ("[run](javascript:alert(1))", "javascript:alert(1)"),
        ("[file](file:///etc/passwd)", "file:///etc/passwd"),
        ("[data](data:text/html;base64,PGI+)", "data:text/html;base64,PGI+"),
        ("[mail](mailto:a@example.org)", "mailto:a@example.org"),
        ("[next](other.md)", "other.md"),
        ("[up](../pack.toml)", "../pack.toml"),
        ("[here](#overview)", "#overview"),
        ("[bad](topic:Low_Back)", "topic:Low_Back"),
        ("[none](topic:)", "topic:"),
    ],
)
def test_links_other_than_topic_id(markdown: str, href: str) -> None:
    assert problems_of(topic_text(f"## A\n\nSee {markdown} now.\n")) == [
        f"t.md:9: link '{href}' is not allowed: links must be topic:ID"
    ]


def test_reference_style_link_is_checked_where_it_is_used() -> None:
    body = "## A\n\nSee [site][ref].\n\n[ref]: https://example.org\n"
    assert problems_of(topic_text(body)) == [
        "t.md:9: link 'https://example.org' is not allowed: links must be topic:ID"
    ]


def test_link_in_summary_is_checked_too() -> None:
    assert problems_of(topic_text("See [site](https://example.org).\n\n## A\n\nText.\n")) == [
        "t.md:7: link 'https://example.org' is not allowed: links must be topic:ID"
    ]


@pytest.mark.parametrize(
    "src",
    [
        "https://example.org/a.png",
        "http://example.org/a.png",
        "//example.org/a.png",
        "file:///etc/x.png",
        "data:image/png;base64,iVBORw0KGgo=",
        "../x.png",
        "/etc/x.png",
        "media/../x.png",
        "media/../../x.png",
        "media/sub/x.png",
        "x.png",
        "media/x.gif",
        "media/x.svg",
        "media/x.webp",
        "media/x.png.txt",
        "media/.png",
    ],
)
def test_images_outside_media_or_not_png_jpeg(src: str) -> None:
    assert problems_of(topic_text(f"## A\n\nText.\n\n![alt]({src})\n")) == [
        f"t.md:11: image '{src}' is not allowed: images must be PNG or JPEG files "
        "in the pack's media/ folder"
    ]


def test_image_that_is_not_in_the_pack() -> None:
    body = "## A\n\nText.\n\n![alt](media/x.png)\n"
    assert problems_of(topic_text(body), media_exists=lambda src: False) == [
        "t.md:11: image 'media/x.png' is missing from the pack"
    ]


def test_image_the_pack_refuses_says_why() -> None:
    body = "## A\n\nText.\n\n![alt](media/x.png)\n"
    assert problems_of(topic_text(body), media_problem=lambda src: "is not a real PNG file") == [
        "t.md:11: image 'media/x.png' is not a real PNG file"
    ]
    fine = parse_topic(topic_text(body), "t.md", media_problem=lambda src: None)
    assert fine.problems == []


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        pytest.param("## A\n\n## B\n\nText.\n", "t.md:7: section 'A' is empty", id="first"),
        pytest.param("## A\n\nText.\n\n## B\n", "t.md:11: section 'B' is empty", id="last"),
        pytest.param("## A\n\n   \n\n## B\n\nx\n", "t.md:7: section 'A' is empty", id="blank"),
    ],
)
def test_empty_section(body: str, expected: str) -> None:
    assert problems_of(topic_text(body)) == [expected]


@pytest.mark.parametrize(
    "body",
    [
        pytest.param("Just some text.\n", id="text-only"),
        pytest.param("Text.\n\n### A smaller heading\n\nMore.\n", id="h3-is-not-a-section"),
    ],
)
def test_no_sections_at_all(body: str) -> None:
    assert problems_of(topic_text(body)) == [
        "t.md:7: the topic has no sections: start each section with a '## ' heading"
    ]


@pytest.mark.parametrize("heading", ["##", "## ", "##   "])
def test_section_heading_with_no_text(heading: str) -> None:
    assert problems_of(topic_text(f"Summary.\n\n{heading}\n\nText.\n")) == [
        "t.md:9: a section heading has no text"
    ]
