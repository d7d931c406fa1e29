"""The topic model every other layer reads. Frozen, so a page can never change what it shows."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field


def one_line(text: str) -> str:
    """`text` safe to show staff as one line: line breaks (including U+2028/U+2029) and other
    unprintable characters, which can come from file names on a stick or from the pack's own
    text, are escaped rather than printed."""
    return "".join(c if c.isprintable() else f"\\u{ord(c):04x}" for c in text)


def primary_language(tag: str) -> str:
    """'es-MX' -> 'es': the language without its region or script, for choosing a keyboard,
    a stemmer or sentence rules."""
    return tag.strip().replace("_", "-").split("-", 1)[0].lower()


class OneLineError(Exception):
    """An exception whose str() is always one line, whatever text it quotes."""

    def __init__(self, message: str = "") -> None:
        super().__init__(one_line(message))


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with an input file, phrased for the member of staff who must fix it."""

    source: str
    message: str
    line: int | None = None

    def __str__(self) -> str:
        where = f"{self.source}:{self.line}" if self.line else self.source
        return one_line(f"{where}: {self.message}")


@dataclass(frozen=True, slots=True)
class Section:
    """One `## ` section: what a patient sees on one screen of a topic."""

    title: str
    html: str
    line: int
    topic_links: tuple[str, ...] = ()
    images: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Credits:
    current_as_of: dt.date | None
    authors: tuple[str, ...]
    reviewers: tuple[str, ...]
    notice: str = ""


@dataclass(frozen=True, slots=True)
class TopicHead:
    """What lists, tiles and search results show of a topic, without its sections: a library
    of thousands of topics starts from these, and a topic's body is read when it is opened."""

    id: str
    title: str
    category: str
    language: str
    summary: str
    also_called: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Topic:
    id: str
    title: str
    category: str
    language: str
    summary: str
    sections: tuple[Section, ...]
    credits: Credits
    also_called: tuple[str, ...] = ()
    related: tuple[str, ...] = ()
    source_url: str = ""
    pack_id: str = field(default="", compare=False)

    def linked_topic_ids(self) -> tuple[str, ...]:
        """Every topic this one points to, front-matter `related` first, without repeats."""
        seen: dict[str, None] = dict.fromkeys(self.related)
        for section in self.sections:
            seen.update(dict.fromkeys(section.topic_links))
        return tuple(seen)

    @property
    def head(self) -> TopicHead:
        return TopicHead(
            self.id, self.title, self.category, self.language, self.summary, self.also_called
        )


def topic_to_json(topic: Topic) -> str:
    """The topic as JSON (without `pack_id`, which the pack it is read from gives back)."""
    credits = topic.credits
    return json.dumps(
        [
            topic.id,
            topic.title,
            topic.category,
            topic.language,
            topic.summary,
            [[s.title, s.html, s.line, s.topic_links, s.images] for s in topic.sections],
            [
                credits.current_as_of.isoformat() if credits.current_as_of else None,
                credits.authors,
                credits.reviewers,
                credits.notice,
            ],
            topic.also_called,
            topic.related,
            topic.source_url,
        ],
        ensure_ascii=False,
    )


def topic_from_json(text: str, pack_id: str = "") -> Topic:
    """The topic `topic_to_json` wrote. Raises ValueError (or TypeError) for anything else."""
    (
        id_,
        title,
        category,
        language,
        summary,
        sections,
        (when, authors, reviewers, notice),
        also_called,
        related,
        source_url,
    ) = json.loads(text)
    return Topic(
        id=id_,
        title=title,
        category=category,
        language=language,
        summary=summary,
        sections=tuple(
            Section(t, html, line, tuple(links), tuple(images))
            for t, html, line, links, images in sections
        ),
        credits=Credits(
            dt.date.fromisoformat(when) if when else None, tuple(authors), tuple(reviewers), notice
        ),
        also_called=tuple(also_called),
        related=tuple(related),
        source_url=source_url,
        pack_id=pack_id,
    )
