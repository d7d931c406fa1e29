"""Start-up and page-open times of the kiosk with the bundled library. Prints figures only.

- process start to home page shown: `python -m kiosk.cli shot` end to end, and inside the
  process the time from interpreter start to the first home-page frame
- opening a topic and turning a page, in process

Run: `make bench` (or `.venv/bin/python benchmarks/bench_startup.py [RUNS]`).
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def summary(name: str, values_ms: list[float]) -> None:
    ordered = sorted(values_ms)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    print(
        f"{name:<44} median {statistics.median(ordered):8.1f} ms"
        f"   p95 {p95:8.1f} ms   n={len(ordered)}"
    )


def process_runs(runs: int) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    with tempfile.TemporaryDirectory() as tmp:
        env["KIOSK_CONFIG"] = str(Path(tmp) / "none.toml")
        env["KIOSK_SYSTEM_CONFIG"] = str(Path(tmp) / "none-system.toml")
        env["KIOSK_DATA_DIR"] = tmp
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            subprocess.run(
                [sys.executable, "-m", "kiosk.cli", "shot", str(Path(tmp) / "home.png")],
                env=env,
                check=True,
                capture_output=True,
                cwd=REPO,
            )
            times.append((time.perf_counter() - start) * 1000)
    summary("process: start to home PNG written", times)


def in_process(runs: int) -> None:
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    sys.path.insert(0, str(REPO))
    from big_library import quiet_qt
    from PySide6.QtWidgets import QApplication

    from kiosk.app import build_services, build_window
    from kiosk.config import load_settings

    quiet_qt()
    app = QApplication.instance() or QApplication([])
    with tempfile.TemporaryDirectory() as tmp:
        settings = load_settings(
            {"KIOSK_CONFIG": f"{tmp}/none.toml", "KIOSK_DATA_DIR": tmp},
            system_file=Path(tmp) / "none-system.toml",
        )
        start = time.perf_counter()
        services = build_services(settings)
        loaded = time.perf_counter()
        window = build_window(services, size=(1280, 800))
        window.show()
        app.processEvents()
        shown = time.perf_counter()
        print(
            f"library of {len(services.catalog)} topics loaded in {(loaded - start) * 1000:.1f} ms;"
            f" window built and shown in {(shown - loaded) * 1000:.1f} ms"
        )
        topics = services.catalog.topics()
        opens, turns = [], []
        for index in range(runs):
            topic = topics[index % len(topics)]
            t0 = time.perf_counter()
            window.open_topic(topic.id)
            app.processEvents()
            t1 = time.perf_counter()
            window.page().step(1)  # type: ignore[attr-defined]
            app.processEvents()
            t2 = time.perf_counter()
            opens.append((t1 - t0) * 1000)
            turns.append((t2 - t1) * 1000)
        summary("open a topic (tap to first part shown)", opens)
        summary("next part (tap to part shown)", turns)
        window.close()


if __name__ == "__main__":
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    process_runs(max(3, runs // 4))
    in_process(runs * 5)
