"""The `kiosk` command: run the kiosk, render a page to PNG, read a topic aloud into a WAV,
search the library, and work with packs, the installed library and the staff PIN.

One module per command group; each adds its own sub-command and the handler that carries it
out. Only `run` and `shot` load Qt, so the others start fast on a machine without a display.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence
from typing import NoReturn

from kiosk.children import CHILD, child_main
from kiosk.cli import library, packs, run, search, shot, speak, staff
from kiosk.cli.exits import Outcome, carry_out
from kiosk.cli.options import Parser

__all__ = ["build_parser", "entry", "main", "quiet_qt_audio_probe"]


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(prog="kiosk", description="Waiting-room health kiosk")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    for group in (run, shot, speak, search, packs, library, staff):
        group.add_commands(commands)
    return parser


def quiet_qt_audio_probe() -> None:
    """Qt Multimedia tries PipeWire first and logs that its library is missing before it uses
    PulseAudio; on a kiosk without PipeWire that is expected, not a fault."""
    rules = os.environ.get("QT_LOGGING_RULES", "")
    if "qt.multimedia.symbolsresolver" not in rules:
        extra = "qt.multimedia.symbolsresolver.warning=false"
        os.environ["QT_LOGGING_RULES"] = f"{rules};{extra}" if rules else extra


def _carry_out(argv: Sequence[str] | None) -> Outcome:
    args_list = list(sys.argv[1:] if argv is None else argv)
    if not args_list or (args_list[0].startswith("-") and args_list[0] not in ("-h", "--help")):
        args_list.insert(0, "run")  # `kiosk --kiosk` is `kiosk run --kiosk`
    args = build_parser().parse_args(args_list)
    quiet_qt_audio_probe()
    logging.basicConfig(level=logging.WARNING, format="kiosk: %(message)s")
    return carry_out(args.handler, args)


def main(argv: Sequence[str] | None = None) -> int:
    """The exit code; for tests and benchmarks that run a command in their own process."""
    return _carry_out(argv).code


def entry() -> NoReturn:
    """The `kiosk` console script, and in a frozen bundle (where it is the executable) the
    door its child processes come in by: `kiosk _child NAME ...` (see kiosk/children.py)."""
    if sys.argv[1:2] == [CHILD]:
        sys.exit(child_main(sys.argv[2:]))
    outcome = _carry_out(None)
    if outcome.exit_at_once:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(outcome.code)
    sys.exit(outcome.code)
