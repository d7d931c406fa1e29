"""`kiosk library install|list|remove|rollback`: IT staff's view of the installed packs, with
the same pipeline and refusals as the staff screen."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk.cli.exits import ExitCode, Refused
from kiosk.cli.options import Commands
from kiosk.config import Settings, load_settings

if TYPE_CHECKING:
    from kiosk.library.store import LibraryStore


def add_commands(commands: Commands) -> None:
    library = commands.add_parser("library", help="the installed packs (KIOSK_DATA_DIR)")
    actions = library.add_subparsers(dest="library_command", metavar="ACTION", required=True)
    install = actions.add_parser(
        "install", help="verify a .topicpack (and its .minisig) and install it"
    )
    install.add_argument("pack", type=Path, metavar="PACK")
    install.set_defaults(handler=_on_library(_install))
    actions.add_parser("list", help="installed packs with their versions").set_defaults(
        handler=_on_library(_list)
    )
    remove = actions.add_parser("remove", help="remove an installed pack")
    remove.add_argument("pack_id", metavar="ID")
    remove.set_defaults(handler=_on_library(_remove))
    rollback = actions.add_parser(
        "rollback", help="go back to the kept previous version (again: undo the rollback)"
    )
    rollback.add_argument("pack_id", metavar="ID")
    rollback.set_defaults(handler=_on_library(_rollback))


Action = Callable[["LibraryStore", Settings, argparse.Namespace], None]


def _on_library(action: Action) -> Callable[[argparse.Namespace], int]:
    """The action on the data dir's library; the store's refusals become the command's."""

    def handler(args: argparse.Namespace) -> int:
        from kiosk.app import library_store
        from kiosk.library.store import AlreadyInstalled, LibraryRefused

        settings = load_settings()
        try:
            action(library_store(settings), settings, args)
        except AlreadyInstalled as done:
            print(done)  # installing twice is not an error: a fleet script may simply repeat it
        except LibraryRefused as error:
            raise Refused(str(error), ExitCode.INVALID) from None
        return ExitCode.OK

    return handler


def _install(store: LibraryStore, settings: Settings, args: argparse.Namespace) -> None:
    from kiosk.library.installer import install_archive, trust_of

    pack: Path = args.pack
    if not pack.is_file():
        raise Refused(f"{pack} is not a file", ExitCode.INVALID)
    installed = install_archive(store, pack, trust_of(settings))
    kept = f"; version {installed.previous_version} is kept" if installed.previous_version else ""
    print(f"installed {installed.id} version {installed.version}: {installed.title}{kept}")


def _remove(store: LibraryStore, _settings: Settings, args: argparse.Namespace) -> None:
    store.remove(args.pack_id)
    print(f"removed {args.pack_id}")


def _rollback(store: LibraryStore, _settings: Settings, args: argparse.Namespace) -> None:
    pack = store.rollback(args.pack_id)
    print(
        f"{pack.id} is back at version {pack.version}; version {pack.previous_version} "
        "is kept (roll back again to return to it)"
    )


def _list(store: LibraryStore, _settings: Settings, _args: argparse.Namespace) -> None:
    packs = store.installed()
    if not packs:
        print("no packs are installed")
        return
    rows = [("ID", "VERSION", "PREVIOUS", "TITLE")] + [
        (p.id, str(p.version), str(p.previous_version or "-"), p.title) for p in packs
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    for row in rows:
        print("  ".join([*(cell.ljust(w) for cell, w in zip(row, widths, strict=False)), row[3]]))
