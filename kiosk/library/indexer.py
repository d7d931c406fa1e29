"""Build the search index in a child process.

Building the index for thousands of topics keeps a CPU busy for a second or more. On a thread
of the kiosk's own process it would hold the GIL that the GUI thread needs to take a tap, so
the kiosk runs this module as a child (`kiosk _child indexer`, see kiosk/children.py) at a
lower priority, waits for it on a worker thread, and then opens the file it wrote. The child
reads the same pack folders (through the same topic cache), so it computes the same
fingerprint.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

from kiosk.children import child_command, child_env
from kiosk.library.catalog import open_catalog
from kiosk.library.headcache import HeadCache
from kiosk.library.index import fingerprint_of, is_current, open_index

log = logging.getLogger(__name__)

NICENESS = 10
TIMEOUT_S = 900.0


class BuildFailed(Exception):
    """The child did not build the index; str() says why in one line."""


def build_in_child(
    folders: Sequence[Path], index: Path, cache_file: Path | None, timeout: float = TIMEOUT_S
) -> None:
    """Run the child and wait for it; raises BuildFailed (the caller then builds in-process)."""
    command = child_command("indexer", "--index", str(index))
    if cache_file is not None:
        command += ["--cache", str(cache_file)]
    command += ["--", *(str(folder) for folder in folders)]
    try:
        # run() kills the child if the timeout passes.
        done = subprocess.run(
            command,
            env=child_env(),
            capture_output=True,
            encoding="utf-8",
            errors="replace",
            timeout=timeout,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        raise BuildFailed(str(error)) from None
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["no message"])[-1]
        raise BuildFailed(f"exit {done.returncode}: {last}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m kiosk.library.indexer")
    parser.add_argument("--index", type=Path, required=True, metavar="PATH")
    parser.add_argument("--cache", type=Path)
    parser.add_argument("folders", type=Path, nargs="*")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    with contextlib.suppress(OSError):
        os.nice(NICENESS)  # the kiosk's own process comes first
    cache = HeadCache(args.cache) if args.cache is not None else None
    catalog = open_catalog(args.folders, cache)
    with open_index(catalog, args.index):
        pass
    if not is_current(args.index, fingerprint_of([pack.root for pack in catalog.packs])):
        print(f"the search index could not be written to {args.index}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
