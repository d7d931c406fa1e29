"""Qt start-up shared by the commands that open a window (`run`, `shot`); imported only by
them, so the other commands never load Qt."""

from __future__ import annotations

from typing import cast

from PySide6.QtWidgets import QApplication


def qt_app(argv: list[str]) -> QApplication:
    app = cast(QApplication, QApplication.instance() or QApplication(argv))
    app.setApplicationName("waiting-room-kiosk")
    return app
