"""A pack folder, as an author edits it: `pack.toml`, `topics/*.md`, `media/*`.

Reading a folder also validates it as a whole (duplicate ids, links to topics that do not
exist, images that are not what they claim), which is what `kiosk pack validate` reports.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from kiosk.content.model import Problem, Topic
from kiosk.packs.images import image_problem
from kiosk.packs.manifest import Manifest, parse_manifest
from kiosk.packs.topicset import MAX_TOPIC_BYTES, TopicFile, check_topics, decode_topic

__all__ = ["MAX_MEDIA_BYTES", "MAX_TOPIC_BYTES", "PackContents", "read_pack_folder"]

MAX_MEDIA_BYTES = 4 * 1024 * 1024


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
    if folder.is_symlink() or path.is_symlink():
        return "is a link to another file: put the image itself in the pack's media/ folder"
    if not path.exists():
        return "is missing from the pack"
    if not path.is_file():
        return "is not a file"
    try:
        if path.stat().st_size > MAX_MEDIA_BYTES:
            return "is larger than 4 MiB"
        data = path.read_bytes()
    except OSError as error:
        return f"cannot be read ({error.strerror})"
    # The same header checks as a delivered archive gets, so a pack that validates here is
    # not refused by the kiosks it is sent to.
    return image_problem(path.name, data)


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

    def read(path: Path) -> TopicFile | Problem:
        source = f"{label}/topics/{path.name}"
        try:
            if path.stat().st_size > MAX_TOPIC_BYTES:
                return Problem(source, "the file is larger than 512 KiB")
            data = path.read_bytes()
        except OSError as error:
            # A dangling link or a folder named *.md must not stop the kiosk from starting.
            return Problem(source, f"cannot read the file ({error.strerror})")
        return decode_topic(source, path.stem, data)

    topics, found = check_topics(
        (read(path) for path in files),
        media_problem=lambda src: _media_problem(root, src),
        pack_id=manifest.id if manifest else "",
    )
    contents.topics.extend(topics)
    contents.problems.extend(found)
    return contents
