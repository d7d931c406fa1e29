"""`kiosk search`: the kiosk's own search over the same library and the same index file, for IT
staff and tests."""

from __future__ import annotations

import argparse

from kiosk.cli.exits import ExitCode
from kiosk.cli.options import Commands, add_pack_option, check_packs
from kiosk.config import load_settings


def _limit(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number") from None
    if not 1 <= value <= 1000:
        raise argparse.ArgumentTypeError(f"'{text}' is outside 1 to 1000")
    return value


def add_commands(commands: Commands) -> None:
    search = commands.add_parser(
        "search", help="search the library as the kiosk does; one 'ID<Tab>TITLE' a line, best first"
    )
    search.add_argument("query", nargs="+", metavar="QUERY", help="what a patient would type")
    search.add_argument(
        "--limit", type=_limit, default=20, metavar="N", help="at most N results (default 20)"
    )
    add_pack_option(search)
    search.set_defaults(handler=search_library)


def search_library(args: argparse.Namespace) -> int:
    """No results is not an error: it prints nothing."""
    from kiosk.app import build_services
    from kiosk.library.index import open_index

    check_packs(args.pack)
    settings = load_settings()
    services = build_services(settings, args.pack, speech=False)
    with open_index(services.catalog, services.paths.search_index) as index:
        hits = index.search(" ".join(args.query), limit=args.limit)
    for hit in hits:
        title = " ".join(hit.title.split())  # a tab or newline in a title would break the line
        print(f"{hit.topic_id}\t{title}")
    return ExitCode.OK
