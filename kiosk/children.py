"""How the kiosk starts its child processes (the speech engine, the speaker, the search-index
builder), the same way from a virtualenv or checkout and from a frozen bundle.

A frozen bundle (PyInstaller) has no interpreter that takes `-c` or `-m`: its executable is
the `kiosk` command itself. So every child is started as that command with a hidden first
argument, `kiosk _child NAME ARGS...`; `python -m kiosk` (kiosk/__main__.py) and the frozen
entry point hand those to `child_main` before the command line (and Qt) is loaded. From a
virtualenv the same thing runs as `python -m kiosk _child NAME ARGS...`.

No Qt here, nor at the top of any module a child imports: a child starts in well under a
second, at kiosk start and again after a crash.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

CHILD = "_child"
NAMES = ("speech", "indexer", "speaker")
_PACKAGE_ROOT = str(Path(__file__).resolve().parents[1])


def _frozen() -> bool:
    return bool(getattr(sys, "frozen", False))


def child_command(name: str, *args: str) -> list[str]:
    """The command line that starts child `name` with `args`, for subprocess."""
    if _frozen():
        return [sys.executable, CHILD, name, *args]
    return [sys.executable, "-m", "kiosk", CHILD, name, *args]


def child_env() -> dict[str, str]:
    """The kiosk's environment, plus what a child needs: this very `kiosk` package first on
    its path (a checkout run from another folder, or tests, would otherwise find another
    one or none), and UTF-8 on its pipes whatever the locale."""
    env = dict(os.environ)
    if not _frozen():
        env["PYTHONPATH"] = os.pathsep.join(
            p for p in (_PACKAGE_ROOT, env.get("PYTHONPATH", "")) if p
        )
    env["PYTHONIOENCODING"] = "utf-8"
    return env


def child_main(argv: list[str]) -> int:
    """Run child `argv[0]` with the rest of `argv`; its exit code. Each child's module is
    imported only here, so one child never loads what another needs."""
    name, args = (argv[0], argv[1:]) if argv else ("", [])
    if name == "speech":
        from kiosk.speech.engine import main as speech_main

        return speech_main()
    if name == "speaker":
        from kiosk.speech.speaker import main as speaker_main

        return speaker_main()
    if name == "indexer":
        from kiosk.library.indexer import main as indexer_main

        return indexer_main(args)
    print(f"kiosk {CHILD}: no child called {name!r} (one of: {', '.join(NAMES)})", file=sys.stderr)
    return 2
