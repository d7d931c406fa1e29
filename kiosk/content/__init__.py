"""Topics: the model, the topic-file parser and its validation. Pure Python, no Qt."""

from kiosk.content.model import Credits, Problem, Section, Topic
from kiosk.content.parser import ParseResult, parse_topic

__all__ = ["Credits", "ParseResult", "Problem", "Section", "Topic", "parse_topic"]
