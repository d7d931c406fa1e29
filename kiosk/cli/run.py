"""`kiosk run`: the kiosk itself, in a window or (`--kiosk`) as the only thing on the screen."""

from __future__ import annotations

import argparse
import os
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
    window = build_window(services, size=size)
    if os.environ.get("KIOSK_STATUS_LINE") == "1":
        # For end-to-end tests only: it names the pages opened (kiosk/ui/status_line.py).
        from kiosk.ui.status_line import StatusLine

        StatusLine(window)
    if args.kiosk:
        window.enter_kiosk_mode()
    else:
        window.show()
    try:
        return int(app.exec())
    finally:
        services.close()


def leave_on_stop_signals(app: QCoreApplication) -> None:
    """`systemctl stop` sends SIGTERM, Ctrl+C in a terminal SIGINT: either leaves the event
    loop at once with exit code 0, in kiosk mode too.

    `exit()`, not `quit()`: Qt 6's quit() first asks every window to close, and a kiosk-mode
    window refuses, as it must refuse a patient's close; systemd then waited out its timeout
    and killed the kiosk. The exit goes through a zero timer so that a signal that comes
    before the event loop runs is acted on when it starts rather than lost. Python runs
    signal handlers only between bytecodes, so the other timer gives it the chance."""
    import signal

    from PySide6.QtCore import QCoreApplication, QTimer

    def leave(_signal: int, _frame: object) -> None:
        QTimer.singleShot(0, lambda: QCoreApplication.exit(0))

    signal.signal(signal.SIGTERM, leave)
    signal.signal(signal.SIGINT, leave)
    timer = QTimer(app)
    timer.timeout.connect(lambda: None)
    timer.start(250)
