"""A pack folder, as an author edits it: `pack.toml`, `topics/*.md`, `media/*`.

Reading a folder also validates it as a whole (duplicate ids, links to topics that do not
exist, images that are not what they claim), which is what `kiosk pack validate` reports.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path

from kiosk.content.model import Problem, Topic
from kiosk.content.parser import ParseResult, parse_topic
from kiosk.packs.images import image_problem
from kiosk.packs.manifest import Manifest, parse_manifest
from kiosk.packs.topicset import MAX_TOPIC_BYTES, TopicFile, check_topics, decode_topic

__all__ = [
    "MAX_MEDIA_BYTES",
    "MAX_TOPIC_BYTES",
    "PackContents",
    "file_stamp",
    "folder_fingerprint",
    "media_path",
    "read_pack_folder",
    "read_topic",
]

MAX_MEDIA_BYTES = 4 * 1024 * 1024


@dataclass(slots=True)
class PackContents:
    """A pack read from somewhere, with every problem found. `topics` holds only good topics."""

    root: Path
    manifest: Manifest | None
    topics: list[Topic] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    # Each good topic's file name in topics/ (an id that does not match its file name is a
    # problem, but the topic is still shown).
    files: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.manifest is not None and not self.problems

    def media_path(self, name: str) -> Path | None:
        return media_path(self.root, name)


def media_path(root: Path, name: str) -> Path | None:
    """The file behind `media/NAME` inside the pack at `root`, or None for anything else."""
    if not name.startswith("media/") or "/" in name[6:] or ".." in name:
        return None
    path = root / name
    # A link could point anywhere on the kiosk's disk; only the pack's own files are served.
    if (root / "media").is_symlink() or path.is_symlink():
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


def _read_topic_file(label: str, path: Path) -> TopicFile | Problem:
    source = f"{label}/topics/{path.name}"
    try:
        if path.stat().st_size > MAX_TOPIC_BYTES:
            return Problem(source, "the file is larger than 512 KiB")
        data = path.read_bytes()
    except OSError as error:
        # A dangling link or a folder named *.md must not stop the kiosk from starting.
        return Problem(source, f"cannot read the file ({error.strerror})")
    return decode_topic(source, path.stem, data)


def read_topic(root: Path, file_name: str, pack_id: str) -> ParseResult:
    """One topic of the pack folder at `root`, read and checked as `read_pack_folder` does
    (without the checks that need the whole pack): for opening a topic whose pack was read
    before."""
    entry = _read_topic_file(root.name, root / "topics" / file_name)
    if isinstance(entry, Problem):
        return ParseResult(None, [entry])
    return parse_topic(
        entry.text,
        entry.source,
        media_problem=lambda src: _media_problem(root, src),
        pack_id=pack_id,
    )


def file_stamp(path: Path) -> str:
    """Changes when the file at `path` is written, replaced or removed."""
    try:
        st = path.stat()
    except OSError as error:
        return type(error).__name__
    return f"{st.st_ino}:{st.st_size}:{st.st_mtime_ns}:{st.st_ctime_ns}"


def _stat_line(name: str, path: str) -> str:
    try:
        st = os.stat(path)
    except OSError as error:
        return f"{name}\0{type(error).__name__}\n"
    return f"{name}\0{st.st_ino}\0{st.st_size}\0{st.st_mtime_ns}\0{st.st_ctime_ns}\n"


def folder_fingerprint(root: Path) -> str:
    """Changes whenever anything `read_pack_folder` reads changes: the name, size, inode and
    times of pack.toml, every topic file and every media file. Reads no file's content, so
    checking a 5,000-topic library costs a few milliseconds."""
    digest = hashlib.blake2b(digest_size=16)
    digest.update(os.fsencode(root) + b"\n")
    digest.update(_stat_line("pack.toml", str(root / "pack.toml")).encode("utf-8", "replace"))
    for folder in ("topics", "media"):
        try:
            with os.scandir(root / folder) as entries:
                names = sorted(e.name for e in entries)
        except OSError as error:
            names = []
            digest.update(f"{folder}\0{type(error).__name__}\n".encode())
        for name in names:
            line = _stat_line(f"{folder}/{name}", os.path.join(root, folder, name))
            digest.update(line.encode("utf-8", "surrogateescape"))
    return digest.hexdigest()


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

    sources: dict[str, str] = {}
    topics, found = check_topics(
        (_read_topic_file(label, path) for path in files),
        media_problem=lambda src: _media_problem(root, src),
        pack_id=manifest.id if manifest else "",
        sources=sources,
    )
    contents.topics.extend(topics)
    contents.problems.extend(found)
    contents.files = {id_: source.rsplit("/", 1)[-1] for id_, source in sources.items()}
    return contents
