"""The topics of one pack, checked as a whole: the same rules for a folder an author edits and
for an archive off a USB stick, so `kiosk pack validate` and an install never disagree."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from kiosk.content.model import Problem, Topic
from kiosk.content.parser import parse_topic

MAX_TOPIC_BYTES = 512 * 1024


@dataclass(frozen=True, slots=True)
class TopicFile:
    """One `topics/*.md` file's text; `source` is how staff see its name in a problem."""

    source: str
    stem: str
    text: str


def decode_topic(source: str, stem: str, data: bytes) -> TopicFile | Problem:
    """The file's text, or why it cannot be a topic before it is even parsed."""
    if len(data) > MAX_TOPIC_BYTES:
        return Problem(source, "the file is larger than 512 KiB")
    try:
        return TopicFile(source, stem, data.decode("utf-8"))
    except UnicodeDecodeError as error:
        return Problem(source, f"not UTF-8 text ({error.reason})")


def check_topics(
    files: Iterable[TopicFile | Problem],
    *,
    media_problem: Callable[[str], str | None],
    pack_id: str,
    sources: dict[str, str] | None = None,
) -> tuple[list[Topic], list[Problem]]:
    """Parse every file (a Problem in `files` is a file that could not be read, kept in its
    place so problems are listed in file order). Returns the good topics and every problem:
    broken topics, ids used twice, ids that do not match their file name, links to topics
    that are not in the pack. `sources`, if given, is filled with each good topic's source."""
    topics: list[Topic] = []
    problems: list[Problem] = []
    where: dict[str, str] = {}
    for entry in files:
        if isinstance(entry, Problem):
            problems.append(entry)
            continue
        result = parse_topic(entry.text, entry.source, media_problem=media_problem, pack_id=pack_id)
        problems.extend(result.problems)
        topic = result.topic
        if topic is None:
            continue
        if topic.id in where:
            problems.append(
                Problem(entry.source, f"id '{topic.id}' is already used by {where[topic.id]}", 2)
            )
            continue
        if topic.id != entry.stem:
            problems.append(
                Problem(
                    entry.source, f"id '{topic.id}' should match the file name '{entry.stem}.md'", 2
                )
            )
        where[topic.id] = entry.source
        topics.append(topic)

    for topic in topics:
        for ref in topic.linked_topic_ids():
            if ref not in where:
                problems.append(
                    Problem(where[topic.id], f"links to topic '{ref}', which is not in this pack")
                )
    if sources is not None:
        sources.update(where)
    return topics, problems
