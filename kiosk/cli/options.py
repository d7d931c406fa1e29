"""What more than one command shares on its command line: the parser's one-line refusals and
the `--pack` folders an author previews."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn, TypeAlias

from kiosk.cli.exits import ExitCode, Refused


class Parser(argparse.ArgumentParser):
    """argparse prints the whole usage before an error; a refusal here is one line on stderr."""

    def error(self, message: str) -> NoReturn:
        self.exit(ExitCode.USAGE, f"{self.prog}: {message} (see '{self.prog} --help')\n")


# What add_subparsers() returns, where each command module adds its own; argparse names it
# only privately.
Commands: TypeAlias = "argparse._SubParsersAction[Parser]"


def add_pack_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--pack",
        action="append",
        type=Path,
        default=[],
        metavar="DIR",
        help="add a pack folder to the library for this run (repeatable)",
    )


def check_packs(folders: Sequence[Path]) -> None:
    """Before anything is loaded: a typo in --pack is a refusal, not a library without it."""
    for folder in folders:
        if not (folder / "pack.toml").is_file():
            raise Refused(f"{folder} is not a pack folder (no pack.toml)", ExitCode.USAGE)
