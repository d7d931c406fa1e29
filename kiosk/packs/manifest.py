"""`pack.toml`: what a pack says about itself."""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from dataclasses import dataclass, field
from typing import Any

from kiosk.content.model import Problem
from kiosk.content.parser import LANGUAGE_TAG

FORMAT = 1
PACK_ID = re.compile(r"^[a-z0-9]+(\.[a-z0-9-]+)+$")
SHA256 = re.compile(r"^[0-9a-f]{64}$")


@dataclass(frozen=True, slots=True)
class Manifest:
    id: str
    version: int
    title: str
    languages: tuple[str, ...]
    publisher: str
    created: dt.date | None = None
    expires: dt.date | None = None
    files: dict[str, str] = field(default_factory=dict)


def parse_manifest(text: str, source: str = "pack.toml") -> tuple[Manifest | None, list[Problem]]:
    problems: list[Problem] = []

    def bad(message: str) -> None:
        problems.append(Problem(source, message))

    try:
        data: dict[str, Any] = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        return None, [Problem(source, f"broken pack.toml: {error}")]

    if data.get("format") != FORMAT:
        bad(f"format must be {FORMAT} (this kiosk reads format {FORMAT} packs)")
    pack_id = data.get("id")
    if not isinstance(pack_id, str) or not PACK_ID.match(pack_id):
        bad("id must be a reverse-DNS name like org.example.heart")
    version = data.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        bad("version must be a whole number of 1 or more")
    title = data.get("title")
    if not isinstance(title, str) or not title.strip():
        bad("title must be a non-empty text")
    publisher = data.get("publisher")
    if not isinstance(publisher, str) or not publisher.strip():
        bad("publisher must be a non-empty text")
    languages = data.get("languages", data.get("language"))
    if isinstance(languages, str):
        languages = [languages]
    if (
        not isinstance(languages, list)
        or not languages
        or not all(isinstance(x, str) and LANGUAGE_TAG.match(x) for x in languages)
    ):
        bad("languages must be a list of language tags like ['en', 'es']")
    dates: dict[str, dt.date | None] = {}
    for key in ("created", "expires"):
        value = data.get(key)
        if value is not None and (not isinstance(value, dt.date) or isinstance(value, dt.datetime)):
            bad(f"{key} must be a date like 2024-07-31")
            value = None
        dates[key] = value
    files = data.get("files", {})
    if not isinstance(files, dict) or not all(
        isinstance(k, str) and isinstance(v, str) and SHA256.match(v) for k, v in files.items()
    ):
        bad("[files] must map each file name to its sha256 in lower-case hex")
        files = {}
    if problems:
        return None, problems
    assert isinstance(pack_id, str) and isinstance(version, int)
    assert isinstance(title, str) and isinstance(publisher, str) and isinstance(languages, list)
    return (
        Manifest(
            id=pack_id,
            version=version,
            title=title,
            languages=tuple(languages),
            publisher=publisher,
            created=dates["created"],
            expires=dates["expires"],
            files=dict(files),
        ),
        [],
    )
