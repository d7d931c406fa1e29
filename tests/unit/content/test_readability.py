"""The bundled sample topics are written for a waiting room: plain language, grade 7 or lower.

Measured on what a patient reads: the summary and the text of every section (tags stripped).
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
import textstat

from kiosk.content.model import Topic
from kiosk.packs.folder import read_pack_folder

SAMPLE_PACK = Path(__file__).resolve().parents[3] / "topics" / "sample-en"
MAX_GRADE = 7.0
TAG = re.compile(r"<[^>]+>")


def plain_text(topic: Topic) -> str:
    parts = [topic.summary]
    for section in topic.sections:
        parts.append(html.unescape(TAG.sub(" ", section.html)))
    return re.sub(r"\s+", " ", " ".join(parts)).strip()


def _sample_topics() -> list[Topic]:
    contents = read_pack_folder(SAMPLE_PACK)
    assert contents.ok, [str(p) for p in contents.problems]
    return contents.topics


SAMPLE_TOPICS = _sample_topics()


def test_plain_text_has_no_markup_left() -> None:
    [topic] = [t for t in SAMPLE_TOPICS if t.id == "spinal-manipulation"]
    text = plain_text(topic)
    assert text.startswith("Spinal manipulation is a hands-on treatment for back pain.")
    assert "<" not in text
    assert "&" not in text
    assert "Low back pain Neck pain Staying active" in text, "list items become words"


def test_grade_measure_tells_plain_from_hard_text() -> None:
    """The measure used below can fail: a dense clinical sentence scores far above grade 7."""
    hard = (
        "Contraindications to high-velocity low-amplitude manipulation include osteoporosis, "
        "vertebral malignancy, inflammatory spondyloarthropathies and cauda equina syndrome, "
        "necessitating comprehensive neurological evaluation preceding intervention."
    )
    assert textstat.flesch_kincaid_grade(hard) > MAX_GRADE
    assert textstat.flesch_kincaid_grade("You can ask them to stop at any time.") <= MAX_GRADE


@pytest.mark.parametrize("topic", SAMPLE_TOPICS, ids=[t.id for t in SAMPLE_TOPICS])
def test_sample_topic_reads_at_grade_7_or_lower(topic: Topic) -> None:
    text = plain_text(topic)
    assert len(text.split()) > 100, "too little text to measure"
    grade = textstat.flesch_kincaid_grade(text)
    assert grade <= MAX_GRADE, f"{topic.id}: Flesch-Kincaid grade {grade}"
