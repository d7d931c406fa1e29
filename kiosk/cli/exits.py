"""How a command ends: its exit codes, its refusals, and the one place that turns either into
the process's exit (after Picard's picard/cli/base.py).

A refusal is one plain line on stderr, `kiosk: ...`, for staff and for scripts alike; no
command prints one itself, so they all read the same.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from dataclasses import dataclass
from enum import IntEnum


class ExitCode(IntEnum):
    OK = 0
    # What was given cannot be used: an invalid pack, a refused install, a file not written.
    INVALID = 1
    # What was typed does not fit (argparse's own refusals use 2): an unknown topic, an option
    # out of range, or a command this machine cannot carry out (no voice for a language).
    USAGE = 2


class Refused(Exception):
    """A command that cannot go on; str() is its one line on stderr."""

    def __init__(self, message: str, code: ExitCode) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True, slots=True)
class Outcome:
    """`exit_at_once`: nothing is left to close, so the process may skip the interpreter's
    teardown (for `kiosk shot`, whose start-up time is measured)."""

    code: int
    exit_at_once: bool = False


Handler = Callable[[argparse.Namespace], "int | Outcome"]


def carry_out(handler: Handler, args: argparse.Namespace) -> Outcome:
    try:
        result = handler(args)
    except Refused as refusal:
        print(f"kiosk: {refusal}", file=sys.stderr)
        return Outcome(refusal.code)
    return result if isinstance(result, Outcome) else Outcome(result)
