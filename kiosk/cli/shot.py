"""`kiosk shot`: one page rendered offscreen to a PNG, as a patient would see it; for docs,
reviews of a pack in progress, and the start-up benchmark."""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk.cli.exits import ExitCode, Outcome, Refused
from kiosk.cli.options import Commands, add_pack_option, check_packs
from kiosk.config import load_settings

if TYPE_CHECKING:
    from PySide6.QtCore import QCoreApplication

    from kiosk.ui.window import KioskWindow


def _size(text: str) -> tuple[int, int]:
    try:
        width, height = (int(n) for n in text.lower().split("x"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a size like 1280x800") from None
    if not (200 <= width <= 8000 and 200 <= height <= 8000):
        raise argparse.ArgumentTypeError(f"'{text}' is outside 200x200 to 8000x8000")
    return width, height


def add_commands(commands: Commands) -> None:
    shot = commands.add_parser("shot", help="render one page to a PNG, offscreen")
    shot.add_argument("out", type=Path, metavar="OUT.png")
    shot.add_argument("--topic", metavar="ID", help="a topic page instead of home")
    shot.add_argument(
        "--section",
        type=int,
        default=1,
        metavar="N",
        help="which part of the topic, counting from 1 (the last is the credits)",
    )
    shot.add_argument(
        "--category", metavar="NAME", help="the list of one category ('' for all topics A to Z)"
    )
    shot.add_argument(
        "--search",
        metavar="WORDS",
        help="the search page with WORDS typed on its keyboard ('' for none yet)",
    )
    shot.add_argument(
        "--keyboard",
        metavar="LANG",
        help="with --search: the keyboard switched to LANG (e.g. es), one of the library's",
    )
    shot.add_argument(
        "--text-size",
        type=int,
        metavar="PERCENT",
        help="e.g. 200 (default: screen.start_text_size, else the first step)",
    )
    shot.add_argument("--size", type=_size, default=(1280, 800), metavar="WxH")
    shot.add_argument("--contrast", action="store_true", help="the high-contrast theme")
    shot.add_argument(
        "--overlay",
        choices=("contents", "still-reading"),
        help="show an overlay on top of the page",
    )
    add_pack_option(shot)
    shot.set_defaults(handler=take_shot)


def _usage(message: str) -> Refused:
    return Refused(message, ExitCode.USAGE)


def take_shot(args: argparse.Namespace) -> Outcome:
    """The process then ends at once: the picture is written, nothing is left to close (no
    speech, no open database), and the interpreter's teardown of thousands of Qt and Python
    objects would take about 40 ms, a sixth of the whole command."""
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    _quiet_offscreen_messages()
    from kiosk.app import build_services, build_window
    from kiosk.cli.qt import qt_app

    check_packs(args.pack)
    settings = load_settings()
    if args.text_size is not None and args.text_size not in settings.text_sizes:
        sizes = ", ".join(str(s) for s in settings.text_sizes)
        raise _usage(f"--text-size must be one of {sizes}")
    if args.keyboard is not None and args.search is None:
        raise _usage("--keyboard needs --search")
    services = build_services(settings, args.pack, speech=False)
    app = qt_app(sys.argv[:1])
    window = build_window(services, prepare_search=False, size=args.size, staff=False)
    # Offscreen, the screen's size in millimetres is made up: the picture starts where staff
    # set it, else at the first step, not where that made-up screen would start.
    window.set_text_size(args.text_size or settings.start_text_size or settings.text_sizes[0])
    if args.contrast:
        window.set_high_contrast(True)
    if args.topic:
        topic = services.catalog.topic(args.topic)
        if topic is None:
            raise _usage(f"no topic with id '{args.topic}'")
        parts = len(topic.sections) + 1
        if not 1 <= args.section <= parts:
            raise _usage(f"--section must be 1 to {parts} for '{args.topic}'")
        window.open_topic(args.topic, args.section - 1)
    elif args.category is not None:
        if args.category and args.category not in services.catalog.categories():
            raise _usage(f"no category named '{args.category}'")
        window.open_category(args.category)
    elif args.search is not None:
        _open_search(window, app, args.search, args.keyboard)
    window.show()
    if args.overlay == "contents":
        window.show_contents()
    elif args.overlay == "still-reading":
        window.still_reading.start(window.idle_countdown_s)
    for _ in range(3):
        app.processEvents()
    _wait_for_rows(window, app)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    if not window.grab().save(str(args.out)):
        raise Refused(f"could not write {args.out}", ExitCode.INVALID)
    print(args.out)
    return Outcome(ExitCode.OK, exit_at_once=True)


def _quiet_offscreen_messages() -> None:
    """The offscreen platform says it cannot resize native windows at every fixed-size change;
    that is about the missing display, not the page, so `shot` keeps stderr for real errors."""
    from PySide6.QtCore import QtMsgType, qInstallMessageHandler

    def handler(kind: QtMsgType, _context: object, message: str) -> None:
        if "does not support propagateSizeHints" not in message:
            print(message, file=sys.stderr)

    qInstallMessageHandler(handler)


def _wait_for_rows(window: KioskWindow, app: QCoreApplication, limit_s: float = 5.0) -> None:
    """A long list lays its rows out in batches after it is shown and paints them when the
    last batch is done: wait for that (under a second for 5,000 rows), so the picture shows
    what a patient sees a moment later."""
    from PySide6.QtWidgets import QListView

    from kiosk.ui.pages import TopicListPage

    page = window.page()
    view = page.list_view if isinstance(page, TopicListPage) else None
    if view is None or view.model().rowCount() == 0:
        return
    deadline = time.monotonic() + limit_s
    top = view.viewport().rect().topLeft()
    while time.monotonic() < deadline:
        # Qt's own hit test works once the last batch is laid out; the rows are painted then.
        if QListView.indexAt(view, top).isValid():
            break
        app.processEvents()
        time.sleep(0.005)
    app.processEvents()


def _open_search(
    window: KioskWindow, app: QCoreApplication, words: str, keyboard: str | None
) -> None:
    """The search page as a patient would find it, with its index ready."""
    from kiosk.ui.keyboard import letters_for

    window.prepare_search()
    deadline = time.monotonic() + 120
    while not window.search_ready() and time.monotonic() < deadline:
        app.processEvents()
        time.sleep(0.01)
    page = window.open_search()
    if page is None:
        raise _usage("this kiosk has no search")
    if keyboard is not None:
        if keyboard not in page.keyboard.languages:
            offered = ", ".join(page.keyboard.languages)
            raise _usage(f"--keyboard must be one of the library's keyboards: {offered}")
        page.keyboard.set_language(keyboard)
    letters = set(letters_for(page.keyboard.language)) | {" "}
    if missing := sorted({c for c in words.upper() if c not in letters}):
        raise _usage(f"--search: the keyboard has no key for {' '.join(missing)}")
    page.type_text(words)
