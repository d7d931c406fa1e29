"""The kiosk as a real process for tests/e2e/test_audio_loss.py, driven by lines on its stdin.

A real window (offscreen) built by the composition root, with the real synthesizer child and
whatever plays the audio, opened on one topic. Commands: `read` taps "Read aloud", `stop` taps
Stop, `status` prints what a patient sees, `quit` leaves. Each thing that happens is printed as
one JSON line, so the test sees the process's own account while it checks that it is alive.

Usage: python tests/e2e/audio_kiosk.py PACK_FOLDER TOPIC_ID
"""

from __future__ import annotations

import json
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QApplication

from kiosk.cli import quiet_qt_audio_probe


def say(event: str, **fields: object) -> None:
    print(json.dumps({"event": event, "at": time.monotonic(), **fields}), flush=True)


class _Stdin(QObject):
    line = Signal(str)


def main(pack: Path, topic: str) -> int:
    quiet_qt_audio_probe()
    app = QApplication([])
    from kiosk.app import build_services, build_window
    from kiosk.config import load_settings
    from kiosk.ui.pages import TopicPage

    services = build_services(load_settings(), [pack])
    window = build_window(services, size=(1280, 800))
    window.show()
    assert window.open_topic(topic)
    page = window.page()
    assert isinstance(page, TopicPage)
    narrator = window.narrator
    assert narrator is not None and services.synth is not None
    services.synth.start()

    def highlighted() -> str:
        if page.section_title.property("speaking"):
            return page.section_title.text()
        selections = page.body.extraSelections()
        return selections[0].cursor.selectedText() if selections else ""  # type: ignore[attr-defined]

    def status() -> None:
        say(
            "status",
            state=narrator.state,
            notice=page.notice.text() if page.notice.isVisible() else "",
            speech_buttons=page.nav.buttons() == page.reading.speech_buttons,
            highlighted=highlighted(),
        )

    narrator.state_changed.connect(lambda state: say("state", state=state))
    narrator.failed.connect(lambda message: say("failed", message=message))
    narrator.sentence_started.connect(lambda *_: say("sentence", text=highlighted()))
    narrator.finished.connect(lambda: say("finished"))

    def command(line: str) -> None:
        line = line.strip()
        if line == "read":
            page.reading.read_button.click()
            say("tapped")
        elif line == "stop":
            page.reading.stop_button.click()
            say("stopped")
        elif line == "status":
            status()
        elif line in ("quit", ""):
            app.quit()

    stdin = _Stdin()
    stdin.line.connect(command)

    def read_stdin() -> None:
        for line in sys.stdin:
            stdin.line.emit(line)
        stdin.line.emit("")

    threading.Thread(target=read_stdin, daemon=True).start()
    say("ready")
    code = app.exec()
    window.close()
    services.close()
    say("bye")
    return code


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]), sys.argv[2]))
