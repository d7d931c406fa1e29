"""The whole library tree as data, to show that a refused or failed change left every path,
link and byte as it was (test_store.py, test_install_refusals.py)."""

from __future__ import annotations

import os
from pathlib import Path

Snapshot = dict[str, tuple[str, str | bytes]]


def snapshot(root: Path) -> Snapshot:
    """Every path under root: folders, link targets and file bytes."""
    found: Snapshot = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for name in (*dirnames, *filenames):
            path = Path(dirpath, name)
            key = str(path.relative_to(root))
            if path.is_symlink():
                found[key] = ("link", os.readlink(path))
            elif path.is_dir():
                found[key] = ("dir", "")
            else:
                found[key] = ("file", path.read_bytes())
    return found
