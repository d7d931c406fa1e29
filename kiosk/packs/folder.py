"""A pack folder, as an author edits it: `pack.toml`, `topics/*.md`, `media/*`.

Reading a folder also validates it as a whole (duplicate ids, links to topics that do not
exist, images that are not what they claim), which is what `kiosk pack validate` reports.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from kiosk.content.model import Problem, Topic
from kiosk.content.parser import parse_topic
from kiosk.packs.manifest import Manifest, parse_manifest

MAX_TOPIC_BYTES = 512 * 1024
MAX_MEDIA_BYTES = 4 * 1024 * 1024
_IMAGE_MAGIC = {
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
}


@dataclass(slots=True)
class PackContents:
    """A pack read from somewhere, with every problem found. `topics` holds only good topics."""

    root: Path
    manifest: Manifest | None
    topics: list[Topic] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.manifest is not None and not self.problems

    def media_path(self, name: str) -> Path | None:
        """The file behind `media/NAME` inside this pack, or None for anything else."""
        if not name.startswith("media/") or "/" in name[6:] or ".." in name:
            return None
        path = self.root / name
        return path if path.is_file() else None


def _media_ok(root: Path, src: str) -> bool:
    path = root / src
    if not path.is_file() or path.is_symlink():
        return False
    magic = _IMAGE_MAGIC.get(path.suffix.lower(), ())
    with path.open("rb") as handle:
        head = handle.read(8)
    return path.stat().st_size <= MAX_MEDIA_BYTES and any(head.startswith(m) for m in magic)


def read_pack_folder(root: Path) -> PackContents:
    """Read and validate a pack folder. Never raises for bad content; problems are listed."""
    label = root.name
    manifest_file = root / "pack.toml"
    if not root.is_dir():
        return PackContents(root, None, problems=[Problem(str(root), "not a folder")])
    if not manifest_file.is_file():
        return PackContents(root, None, problems=[Problem(label, "pack.toml is missing")])
    manifest, problems = parse_manifest(
        manifest_file.read_text(encoding="utf-8", errors="replace"), f"{label}/pack.toml"
    )
    contents = PackContents(root, manifest, problems=list(problems))
    files = sorted((root / "topics").glob("*.md"))
    if not files:
        contents.problems.append(Problem(f"{label}/topics", "the pack has no topics/*.md files"))

    where: dict[str, str] = {}
    for path in files:
        source = f"{label}/topics/{path.name}"
        if path.stat().st_size > MAX_TOPIC_BYTES:
            contents.problems.append(Problem(source, "the file is larger than 512 KiB"))
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError as error:
            contents.problems.append(Problem(source, f"not UTF-8 text ({error.reason})"))
            continue
        result = parse_topic(
            text,
            source,
            media_exists=lambda src: _media_ok(root, src),
            pack_id=manifest.id if manifest else "",
        )
        contents.problems.extend(result.problems)
        topic = result.topic
        if topic is None:
            continue
        if topic.id in where:
            contents.problems.append(
                Problem(source, f"id '{topic.id}' is already used by {where[topic.id]}", 2)
            )
            continue
        if topic.id != path.stem:
            contents.problems.append(
                Problem(source, f"id '{topic.id}' should match the file name '{path.stem}.md'", 2)
            )
        where[topic.id] = source
        contents.topics.append(topic)

    for topic in contents.topics:
        for ref in topic.linked_topic_ids():
            if ref not in where:
                contents.problems.append(
                    Problem(where[topic.id], f"links to topic '{ref}', which is not in this pack")
                )
    return contents
