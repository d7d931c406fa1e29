"""A section's HTML as the plain text a listener hears, without Qt.

The kiosk's narrator reads QTextDocument.toPlainText() of the page on screen; `kiosk speak`
and the tests have no QTextDocument, so this gives the same lines: one per paragraph, list
item, heading or table cell, no bullets or numbers, runs of spaces made one (except in code
blocks), entities decoded, images left out (Qt puts U+FFFC there, which the sentence
splitter skips; the line under each picture saying what it shows is text like any other, see
`kiosk.content.pictures`). Blank lines are left out; they end a sentence either way.
"""

from __future__ import annotations

from html.parser import HTMLParser

# Elements that start and end a line of their own in QTextDocument's plain text.
_BLOCKS = frozenset(
    {
        "p",
        "li",
        "ul",
        "ol",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "td",
        "th",
        "tr",
        "table",
        "blockquote",
        "pre",
        "div",
        "hr",
    }
)


class _PlainText(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self._line: list[str] = []
        self._in_pre = 0

    def _flush(self) -> None:
        text = "".join(self._line)
        if not self._in_pre:
            text = " ".join(text.split())
        text = text.strip()
        if text:
            self.lines.append(text)
        self._line = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "br":
            self._flush()
        elif tag in _BLOCKS:
            self._flush()
            if tag == "pre":
                self._in_pre += 1

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag in _BLOCKS:
            self._flush()
            if tag == "pre":
                self._in_pre = max(0, self._in_pre - 1)

    def handle_data(self, data: str) -> None:
        # Qt shows a no-break space as a space in plain text; so does this.
        data = data.replace("\xa0", " ")
        if self._in_pre:
            first, *rest = data.split("\n")
            self._line.append(first)
            for line in rest:
                self._flush()
                self._line.append(line)
        else:
            self._line.append(data)


def html_to_text(html: str) -> str:
    """The text of `html`, one line per paragraph, list item, heading or table cell."""
    parser = _PlainText()
    parser.feed(html)
    parser.close()
    parser._flush()
    return "\n".join(parser.lines)
