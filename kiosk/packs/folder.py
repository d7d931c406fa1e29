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
        # A link could point anywhere on the kiosk's disk; only the pack's own files are served.
        if (self.root / "media").is_symlink() or path.is_symlink():
            return None
        return path if path.is_file() else None


def _media_problem(root: Path, src: str) -> str | None:
    """What is wrong with image `src` of the pack at `root`, in words for staff; None if fine."""
    folder = root / "media"
    path = root / src
    kind = "JPEG" if path.suffix.lower() in (".jpg", ".jpeg") else "PNG"
    if folder.is_symlink() or path.is_symlink():
        return "is a link to another file: put the image itself in the pack's media/ folder"
    if not path.exists():
        return "is missing from the pack"
    if not path.is_file():
        return "is not a file"
    try:
        size = path.stat().st_size
        with path.open("rb") as handle:
            head = handle.read(8)
    except OSError as error:
        return f"cannot be read ({error.strerror})"
    if size > MAX_MEDIA_BYTES:
        return "is larger than 4 MiB"
    if not any(head.startswith(m) for m in _IMAGE_MAGIC.get(path.suffix.lower(), ())):
        return f"is not a real {kind} file"
    return None


def read_pack_folder(root: Path) -> PackContents:
    """Read and validate a pack folder. Never raises for bad content; problems are listed."""
    label = root.name
    manifest_file = root / "pack.toml"
    if not root.is_dir():
        return PackContents(root, None, problems=[Problem(str(root), "not a folder")])
    if not manifest_file.is_file():
        return PackContents(root, None, problems=[Problem(label, "pack.toml is missing")])
    try:
        manifest_text = manifest_file.read_text(encoding="utf-8", errors="replace")
    except OSError as error:
        return PackContents(
            root, None, problems=[Problem(f"{label}/pack.toml", f"cannot read ({error.strerror})")]
        )
    manifest, problems = parse_manifest(manifest_text, f"{label}/pack.toml")
    contents = PackContents(root, manifest, problems=list(problems))
    files = sorted((root / "topics").glob("*.md"))
    if not files:
        contents.problems.append(Problem(f"{label}/topics", "the pack has no topics/*.md files"))

    where: dict[str, str] = {}
    for path in files:
        source = f"{label}/topics/{path.name}"
        try:
            if path.stat().st_size > MAX_TOPIC_BYTES:
                contents.problems.append(Problem(source, "the file is larger than 512 KiB"))
                continue
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError as error:
            contents.problems.append(Problem(source, f"not UTF-8 text ({error.reason})"))
            continue
        except OSError as error:
            # A dangling link or a folder named *.md must not stop the kiosk from starting.
            contents.problems.append(Problem(source, f"cannot read the file ({error.strerror})"))
            continue
        result = parse_topic(
            text,
            source,
            media_problem=lambda src: _media_problem(root, src),
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
