"""Parse one topic file: TOML front matter between `+++` lines, then CommonMark.

Every problem is collected rather than raised, so `kiosk pack validate` can list all of them at
once, each with the file, the line where known, and what is wrong.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import tomllib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from kiosk.content.model import Credits, Problem, Section, Topic
from kiosk.content.pictures import add_captions, alt_problem, alt_text

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token

TOPIC_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")
LANGUAGE_TAG = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
MEDIA_PATH = re.compile(r"^media/[A-Za-z0-9][A-Za-z0-9._-]*\.(png|jpe?g)$", re.IGNORECASE)
FENCE = "+++"

_REQUIRED = ("id", "title", "category", "language")
_STR_LISTS = ("also_called", "authors", "reviewers", "related")
_KNOWN = {*_REQUIRED, *_STR_LISTS, "current_as_of", "source_url", "notice"}


@functools.cache
def _engines() -> tuple[MarkdownIt, MarkdownIt]:
    """(detect, render). Made at the first parse, not at import: a kiosk that starts from its
    topic cache shows its home page without loading markdown-it.

    Raw HTML is never rendered: `detect` parses, so that raw HTML and every link that is not
    allowed can be found and their lines named, and `render`'s renderer and options (no HTML)
    turn the tokens of a topic with no problems into HTML."""
    from markdown_it import MarkdownIt

    class SeesEveryLink(MarkdownIt):
        """markdown-it quietly turns `javascript:`, `file:` and similar links into plain text,
        which would show a patient `[x](javascript:...)`. For finding problems, every link is
        a link, so it is reported like any other link that is not `topic:ID`."""

        def validateLink(self, url: str) -> bool:
            return True

    detect = SeesEveryLink("commonmark", {"html": True}).enable("table")
    render = MarkdownIt("commonmark", {"html": False}).enable("table")
    return detect, render


@dataclass(slots=True)
class ParseResult:
    topic: Topic | None
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.topic is not None and not self.problems


@dataclass(slots=True)
class _Context:
    source: str
    body_offset: int
    problems: list[Problem] = field(default_factory=list)

    def add(self, message: str, line: int | None = None) -> None:
        self.problems.append(Problem(self.source, message, line))

    def line_of(self, token: Token) -> int | None:
        return token.map[0] + 1 + self.body_offset if token.map else None


def parse_topic(
    text: str,
    source: str = "<topic>",
    *,
    media_exists: Callable[[str], bool] | None = None,
    media_problem: Callable[[str], str | None] | None = None,
    pack_id: str = "",
) -> ParseResult:
    """Parse `text`; `media_exists` lets the pack layer check image files without this layer
    touching the disk. `media_problem` does the same but says what is wrong with an image
    ("is missing from the pack", "is not a real PNG file"), so staff are not told a file that
    is plainly there is missing."""
    # Windows editors may save UTF-8 with a byte-order mark; the file still starts with '+++'.
    lines = text.removeprefix("\ufeff").splitlines()
    if not lines or lines[0].strip() != FENCE:
        return ParseResult(None, [Problem(source, "the file must start with a '+++' line", 1)])
    try:
        close = next(i for i in range(1, len(lines)) if lines[i].strip() == FENCE)
    except StopIteration:
        return ParseResult(None, [Problem(source, "the front matter has no closing '+++'", 1)])

    ctx = _Context(source, body_offset=close + 1)
    front = _front_matter(lines[1:close], ctx)
    body = "\n".join(lines[close + 1 :])
    language = front.get("language") if front is not None else None
    summary, sections = _body(
        body, ctx, media_exists, media_problem, language if isinstance(language, str) else "en"
    )
    if front is None or ctx.problems:
        return ParseResult(None, ctx.problems)

    topic = Topic(
        id=front["id"],
        title=front["title"],
        category=front["category"],
        language=front["language"],
        summary=summary,
        sections=tuple(sections),
        credits=Credits(
            current_as_of=front.get("current_as_of"),
            authors=tuple(front.get("authors", ())),
            reviewers=tuple(front.get("reviewers", ())),
            notice=front.get("notice", ""),
        ),
        also_called=tuple(front.get("also_called", ())),
        related=tuple(front.get("related", ())),
        source_url=front.get("source_url", ""),
        pack_id=pack_id,
    )
    return ParseResult(topic, [])


def _front_matter(lines: Sequence[str], ctx: _Context) -> dict[str, Any] | None:
    def line_of(key: str) -> int | None:
        pattern = re.compile(rf"^\s*{re.escape(key)}\s*=")
        return next((i + 2 for i, text in enumerate(lines) if pattern.match(text)), None)

    try:
        # The closing newline lets tomllib name the line of a value cut short at the end.
        data = tomllib.loads("\n".join(lines) + "\n")
    except tomllib.TOMLDecodeError as error:
        found = re.search(r"at line (\d+)", str(error))
        reason = re.sub(r"\s*\((at line \d+, column \d+|at end of document)\)", "", str(error))
        # Not found: something left open (a string, a list) runs to the end of the front matter.
        ctx.add(
            f"broken front matter: {reason}", int(found.group(1)) + 1 if found else len(lines) + 1
        )
        return None

    for key in _REQUIRED:
        value = data.get(key)
        if not isinstance(value, str) or not value.strip():
            ctx.add(f"front matter needs '{key}' (a non-empty text)", line_of(key) or 1)
    for key in sorted(set(data) - _KNOWN):
        ctx.add(f"unknown front matter field '{key}'", line_of(key))
    if isinstance(data.get("id"), str) and not TOPIC_ID.match(data["id"]):
        ctx.add(f"id '{data['id']}' may only use a-z, 0-9 and '-'", line_of("id"))
    if isinstance(data.get("language"), str) and not LANGUAGE_TAG.match(data["language"]):
        ctx.add(
            f"language '{data['language']}' is not a language tag like 'en' or 'es-MX'",
            line_of("language"),
        )
    for key in _STR_LISTS:
        value = data.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            ctx.add(f"'{key}' must be a list of texts", line_of(key))
    for ref in data.get("related", []) if isinstance(data.get("related"), list) else []:
        if isinstance(ref, str) and not TOPIC_ID.match(ref):
            ctx.add(f"related id '{ref}' is not a topic id", line_of("related"))
    when = data.get("current_as_of")
    if when is not None and (not isinstance(when, dt.date) or isinstance(when, dt.datetime)):
        ctx.add("'current_as_of' must be a date like 2024-07-31", line_of("current_as_of"))
    url = data.get("source_url", "")
    if not isinstance(url, str) or (url and not url.startswith("https://")):
        ctx.add("'source_url' must be an https:// address", line_of("source_url"))
    notice = data.get("notice", "")
    if not isinstance(notice, str):
        ctx.add("'notice' must be a text", line_of("notice"))
    return data


def _plain(inline: Token) -> str:
    parts = []
    for child in inline.children or []:
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
    return "".join(parts).strip()


def _check_markup(
    tokens: Sequence[Token],
    ctx: _Context,
    media_exists: Callable[[str], bool] | None,
    media_problem: Callable[[str], str | None] | None,
) -> None:
    """Report everything the kiosk will not show: raw HTML, foreign links, outside images."""
    for token in tokens:
        line = ctx.line_of(token)
        if token.type == "html_block":
            ctx.add("raw HTML is not allowed", line)
        if token.type == "heading_open" and token.tag == "h1":
            ctx.add(
                "'# ' headings are not allowed: the title comes from the front matter, "
                "and sections start with '## '",
                line,
            )
        for child in token.children or []:
            if child.type == "html_inline":
                ctx.add(f"raw HTML is not allowed: {child.content}", line)
            elif child.type == "link_open":
                href = str(child.attrs.get("href", ""))
                if not (href.startswith("topic:") and TOPIC_ID.match(href[6:])):
                    ctx.add(f"link '{href}' is not allowed: links must be topic:ID", line)
            elif child.type == "image":
                src = str(child.attrs.get("src", ""))
                if not MEDIA_PATH.match(src) or ".." in src:
                    ctx.add(
                        f"image '{src}' is not allowed: images must be PNG or JPEG files "
                        "in the pack's media/ folder",
                        line,
                    )
                elif media_exists is not None and not media_exists(src):
                    ctx.add(f"image '{src}' is missing from the pack", line)
                elif media_problem is not None and (reason := media_problem(src)):
                    ctx.add(f"image '{src}' {reason}", line)
                if alt_issue := alt_problem(alt_text(child), src):
                    ctx.add(alt_issue, line)


def _body(
    body: str,
    ctx: _Context,
    media_exists: Callable[[str], bool] | None,
    media_problem: Callable[[str], str | None] | None,
    language: str,
) -> tuple[str, list[Section]]:
    # One parse serves both purposes. For a topic with no problems the tokens are the same as
    # the rendering parser's (the two differ only on raw HTML and foreign links, which are
    # problems); a topic with problems is never shown.
    detect, render = _engines()
    tokens = detect.parse(body)
    _check_markup(tokens, ctx, media_exists, media_problem)
    starts = [i for i, t in enumerate(tokens) if t.type == "heading_open" and t.tag == "h2"]
    summary_tokens = tokens[: starts[0]] if starts else tokens
    summary = " ".join(_plain(t) for t in summary_tokens if t.type == "inline")

    sections: list[Section] = []
    for n, start in enumerate(starts):
        end = starts[n + 1] if n + 1 < len(starts) else len(tokens)
        title = _plain(tokens[start + 1])
        content = tokens[start + 3 : end]
        line = ctx.line_of(tokens[start]) or 0
        if not title:
            ctx.add("a section heading has no text", line)
        # Raw HTML is content for this check: it is reported as raw HTML, not as emptiness.
        if not any(
            (t.type == "inline" and _plain(t)) or t.type in ("image", "html_block") for t in content
        ) and not any(
            c.type in ("image", "html_inline") for t in content for c in t.children or []
        ):
            ctx.add(f"section '{title}' is empty", line)
        links: dict[str, None] = {}
        images: dict[str, None] = {}
        for t in content:
            for child in t.children or []:
                href = str(child.attrs.get("href", ""))
                if child.type == "link_open" and href.startswith("topic:"):
                    links[href[6:]] = None
                elif child.type == "image":
                    images[str(child.attrs.get("src", ""))] = None
        add_captions(content, language)  # after the checks: a picture says what it shows
        html = render.renderer.render(content, render.options, {})
        sections.append(Section(title, html, line, tuple(links), tuple(images)))
    if not starts:
        ctx.add(
            "the topic has no sections: start each section with a '## ' heading",
            ctx.body_offset + 1,
        )
    return summary, sections
