"""Finding delivery archives on a USB stick or in an inbox folder. Looks, never opens."""

from __future__ import annotations

from pathlib import Path

SUFFIX = ".topicpack"
MAX_FOUND = 50  # a stick with thousands of files must not stall the kiosk


def find_packs(root: Path, depth: int = 1) -> list[Path]:
    """`*.topicpack` files in `root` and in its folders down to `depth`, sorted by name.
    Unreadable folders (a stick being pulled) are skipped, never raised."""
    found: list[Path] = []
    folders = [(root, 0)]
    while folders and len(found) < MAX_FOUND:
        folder, level = folders.pop(0)
        try:
            entries = sorted(folder.iterdir())
        except OSError:
            continue
        for entry in entries:
            try:
                if entry.name.startswith("."):
                    continue
                if entry.suffix == SUFFIX and entry.is_file() and not entry.is_symlink():
                    found.append(entry)
                elif level < depth and entry.is_dir() and not entry.is_symlink():
                    folders.append((entry, level + 1))
            except OSError:
                continue
    return sorted(found)[:MAX_FOUND]


def signature_for(archive: Path) -> Path | None:
    """The `.minisig` beside an archive, if there is one."""
    candidate = archive.with_name(archive.name + ".minisig")
    try:
        return candidate if candidate.is_file() else None
    except OSError:
        return None
