"""Read-aloud responsiveness with the real parts (espeak-ng child, speaker child, PulseAudio).

Prints, over N tries (default 50), median and p95 of:
- tap on "Read aloud" to the first audio the speaker child reports taken by the output
- tap to the first sentence marked as heard (what the highlight shows)
- tap on "Stop" to the narrator idle (the app side of silence; the child is told at once)
- tap on "Stop" to silence on the speaker's monitor (parec on the null sink)

Run under scripts/with-test-audio.sh (`make bench` does). The test speaker is a PulseAudio
null sink, configured by PulseAudio with a 2 s latency; figures that include the device are
for that sink, not for a real sound card.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def summary(name: str, values_ms: list[float]) -> None:
    if not values_ms:
        print(f"{name:<46} no data")
        return
    ordered = sorted(values_ms)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    print(
        f"{name:<46} median {statistics.median(ordered):8.1f} ms"
        f"   p95 {p95:8.1f} ms   n={len(ordered)}"
    )


def main(tries: int) -> None:
    from PySide6.QtWidgets import QApplication

    from kiosk.app import build_services, build_window
    from kiosk.cli import quiet_qt_audio_probe
    from kiosk.config import load_settings
    from tests.audio import Recorder

    quiet_qt_audio_probe()
    app = QApplication.instance() or QApplication([])
    tmp = tempfile.mkdtemp()
    settings = load_settings(
        {"KIOSK_CONFIG": f"{tmp}/none.toml", "KIOSK_DATA_DIR": tmp},
        system_file=Path(tmp) / "none-system.toml",
    )
    services = build_services(settings)
    window = build_window(services)
    window.resize(1280, 800)
    window.show()
    narrator = window.narrator
    assert narrator is not None and services.synth is not None
    services.synth.start()
    recorder = Recorder()

    def spin_until(condition, timeout: float) -> bool:  # type: ignore[no-untyped-def]
        end = time.perf_counter() + timeout
        while time.perf_counter() < end:
            app.processEvents()
            if condition():
                return True
            time.sleep(0.001)
        return False

    first_frame, first_heard, stop_app, stop_heard = [], [], [], []
    topics = [t.id for t in services.catalog.topics()]
    for attempt in range(tries):
        window.open_topic(topics[attempt % len(topics)])
        page = window.page()
        app.processEvents()
        tapped = time.perf_counter()
        page.reading.read_button.click()  # type: ignore[attr-defined]
        if spin_until(lambda: narrator.heard_bytes > 0, 10):
            first_frame.append((time.perf_counter() - tapped) * 1000)
        if spin_until(lambda: narrator.current is not None, 10):
            first_heard.append((time.perf_counter() - tapped) * 1000)
        spin_until(lambda: recorder.heard_speech(after=time.monotonic() - 0.2), 3)
        stopped, stopped_mono = time.perf_counter(), time.monotonic()
        page.reading.stop_button.click()  # type: ignore[attr-defined]
        if narrator.state == "idle":
            stop_app.append((time.perf_counter() - stopped) * 1000)
        spin_until(lambda: False, 0.6)
        loud_after = [
            at for at, level in list(recorder.chunks) if at > stopped_mono and level > 300
        ]
        stop_heard.append(((max(loud_after) - stopped_mono) if loud_after else 0.0) * 1000)
    recorder.close()
    summary("tap -> first audio frame to the device", first_frame)
    summary("tap -> first sentence marked as heard", first_heard)
    summary("stop -> narrator idle, speaker told", stop_app)
    summary("stop -> last loud 10 ms on the monitor", stop_heard)
    services.close()


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 50)
