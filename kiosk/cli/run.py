"""`kiosk run`: the kiosk itself, in a window or (`--kiosk`) as the only thing on the screen."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from kiosk.cli.options import Commands, add_pack_option, check_packs
from kiosk.config import load_settings

if TYPE_CHECKING:
    from PySide6.QtCore import QCoreApplication


def add_commands(commands: Commands) -> None:
    run = commands.add_parser("run", help="open the kiosk (the default command)")
    run.add_argument(
        "--kiosk",
        action="store_true",
        help="fullscreen, frameless, cursor hidden, cannot be closed",
    )
    add_pack_option(run)
    run.set_defaults(handler=open_kiosk)


def open_kiosk(args: argparse.Namespace) -> int:
    from kiosk.app import build_services, build_window
    from kiosk.cli.qt import qt_app

    check_packs(args.pack)
    services = build_services(load_settings(), args.pack)
    app = qt_app(sys.argv[:1])
    leave_on_stop_signals(app)
    if args.kiosk:
        screen = app.primaryScreen()
        size = (screen.geometry().width(), screen.geometry().height()) if screen else None
    else:
        size = (1280, 800)
    window = build_window(services, kiosk_mode=args.kiosk, size=size)
    if args.kiosk:
        window.enter_kiosk_mode()
    else:
        window.show()
    try:
        return int(app.exec())
    finally:
        services.close()


def leave_on_stop_signals(app: QCoreApplication) -> None:
    """`systemctl stop` sends SIGTERM: leave the event loop cleanly instead of dying in it.
    Python runs signal handlers only between bytecodes, so a timer gives it the chance."""
    import signal

    from PySide6.QtCore import QTimer

    signal.signal(signal.SIGTERM, lambda *_: app.quit())
    signal.signal(signal.SIGINT, lambda *_: app.quit())
    timer = QTimer(app)
    timer.timeout.connect(lambda: None)
    timer.start(250)
