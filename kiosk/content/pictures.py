"""Pictures that speak (WCAG 1.1.1): every picture in a topic says what it shows.

An author writes it as the picture's alt text, `![A nurse checks a blood pressure](media/x.png)`;
a picture without it is refused at validation, like a missing file. The kiosk then shows the
same words right under the picture, as a line of their own ("Picture: A nurse checks a blood
pressure."), so they are in the section's text itself: read aloud where the picture stands,
spoken by talking mode and screen readers, previewed by `kiosk speak`, and seen by a patient
who cannot make out the picture. One text for eyes and ears, and no second set of offsets
between what is read and what is on screen. The <img> keeps its alt attribute too.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import PurePosixPath
from typing import TYPE_CHECKING

from kiosk.content.model import primary_language

if TYPE_CHECKING:
    from markdown_it.token import Token

# "Picture" in the topic's own language: the line is read in the topic's voice.
PICTURE_WORDS = {"en": "Picture", "es": "Imagen", "fr": "Image", "de": "Bild", "pt": "Imagem"}


def alt_text(image: Token) -> str:
    """The alt text of a Markdown image token, as plain words."""
    words = "".join(c.content for c in image.children or [] if c.type in ("text", "code_inline"))
    return " ".join(words.split())


def alt_problem(alt: str, src: str) -> str | None:
    """What is wrong with a picture's alt text, in words for the author; None if fine."""
    if not alt:
        return (
            f"image '{src}' has no alt text: write what it shows between the brackets, "
            f"like ![A nurse checks a blood pressure]({src})"
        )
    if alt.lower() in (src.lower(), PurePosixPath(src).name.lower()):
        return f"image '{src}' has its file name as alt text: write what it shows instead"
    return None


def caption(alt: str, language: str) -> str:
    """The line under a picture: 'Picture: <alt>.' (a full stop added when it has none)."""
    word = PICTURE_WORDS.get(primary_language(language), PICTURE_WORDS["en"])
    text = alt if alt.endswith((".", "!", "?", "…")) else f"{alt}."
    return f"{word}: {text}"


def add_captions(tokens: Sequence[Token], language: str) -> None:
    """After each picture in `tokens` (a section's, as parsed), a line saying what it shows,
    in the same paragraph, list item or table cell: a line break, the caption, and another
    line break when more words follow, so the caption is a sentence of its own."""
    from markdown_it.token import Token

    for token in tokens:
        children = token.children
        if not children or not any(child.type == "image" for child in children):
            continue
        out: list[Token] = []
        for index, child in enumerate(children):
            out.append(child)
            if child.type != "image":
                continue
            out.append(Token("hardbreak", "br", 0))
            out.append(Token("text", "", 0, content=caption(alt_text(child), language)))
            rest = children[index + 1 :]
            if any(c.type != "text" or c.content.strip() for c in rest):
                out.append(Token("hardbreak", "br", 0))
        token.children = out
