"""Shared by the scale benchmarks (not a benchmark itself): the 5,000-topic synthetic library,
the environment a kiosk process runs in, search wiring, Qt helpers and figure printing."""

from __future__ import annotations

import os
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
BENCH = REPO / "benchmarks"
TOPICS = 5000
SEED = 1

# What patients type: real words of the synthetic library, two-word queries and misspellings.
SEARCH_WORDS = (
    "diabetes",
    "arthritis",
    "knee pain",
    "back pain",
    "asthma",
    "physiotherapy",
    "migraine",
    "heartburn",
    "eczema",
    "sleep",
    "blood pressure",
    "children",
    "diabetis",
    "arthritus",
    "exercise",
    "shoulder",
    "flu",
    "stroke",
    "dementia",
    "tinnitus",
)


def generate(out: Path, count: int = TOPICS, seed: int = SEED) -> list[Path] | None:
    """The pack folders of a synthetic library (benchmarks/make_library.py), or None when that
    script is missing or fails (the reason is printed)."""
    script = BENCH / "make_library.py"
    if not script.is_file():
        print(f"SKIPPED: {script.relative_to(REPO)} is missing; no synthetic library")
        return None
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, str(script), str(count), str(out), "--seed", str(seed)],
        capture_output=True,
        text=True,
        cwd=REPO,
    )
    if done.returncode != 0:
        print(f"SKIPPED: make_library.py failed: {done.stderr.strip()[-500:]}")
        return None
    folders = [Path(line) for line in done.stdout.splitlines() if line.strip()]
    print(
        f"generated {count:,} topics (seed {seed}) in {len(folders)} pack folders"
        f" in {time.perf_counter() - start:.1f} s"
    )
    return folders


def kiosk_env(tmp: Path) -> dict[str, str]:
    """A kiosk process that reads no user or system config, keeps its data in `tmp` and shows
    only the --pack folders (no bundled samples)."""
    return {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "KIOSK_CONFIG": str(tmp / "none.toml"),
        "KIOSK_SYSTEM_CONFIG": str(tmp / "none-system.toml"),
        "KIOSK_DATA_DIR": str(tmp / "data"),
        "KIOSK__LIBRARY__SHOW_SAMPLES": "false",
    }


def pack_args(folders: Sequence[Path]) -> list[str]:
    return [arg for folder in folders for arg in ("--pack", str(folder))]


def p95(values: Sequence[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def summary(name: str, values_ms: Sequence[float], target: str = "") -> None:
    unit, scale = ("s", 1000.0) if statistics.median(values_ms) >= 1000 else ("ms", 1.0)
    print(
        f"{name:<52} median {statistics.median(values_ms) / scale:8.3f} {unit:<2}"
        f"  p95 {p95(values_ms) / scale:8.3f} {unit:<2}  n={len(values_ms):<4} {target}"
    )


def maxrss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _status_mb(field: str) -> float:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith(f"{field}:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def vm_rss_mb() -> float:
    """Resident memory now."""
    return _status_mb("VmRSS")


def vm_hwm_mb() -> float:
    """Peak resident memory of this program. Unlike ru_maxrss it starts afresh at exec:
    ru_maxrss of a child spawned with vfork starts at the parent's peak."""
    return _status_mb("VmHWM")


def index_available() -> bool:
    try:
        import kiosk.library.index  # noqa: F401
    except ImportError:
        return False
    return True


def search_adapter(index: Any) -> Callable[[str, int], list[Any]]:
    """SearchIndex.search as the SearchPage wants it (a list of kiosk.ui.search.Result)."""
    from kiosk.ui.search import Result

    def search(query: str, limit: int) -> list[Any]:
        return [Result(h.topic_id, h.title, h.matched) for h in index.search(query, limit)]

    return search


def wait_for_search(app: Any, window: Any, timeout_s: float = 60.0) -> float | None:
    """Run events until the window's search index is ready (the app opens or builds it on a
    worker); seconds waited, or None when the window has no such notion or timed out."""
    ready = getattr(window, "search_ready", None)
    if ready is None:
        return None
    start = time.perf_counter()
    while not ready():
        if time.perf_counter() - start > timeout_s:
            return None
        app.processEvents()
        time.sleep(0.001)
    return time.perf_counter() - start


def wire_search(app: Any, window: Any, services: Any, *, direct: bool = True) -> tuple[Any, str]:
    """Make sure the window can search and, with `direct` (or when the app does not wire
    search), open the index here too. Returns (that SearchIndex or None, how search is
    wired): 'app' when build_window did it, 'benchmark' when this code plugged the index in
    (window.search was None), '' without an index module."""
    if not index_available():
        return None, ""
    from kiosk.library.index import open_index

    how = "app" if window.search is not None else "benchmark"
    if how == "app":
        wait_for_search(app, window)
        if not direct:
            return None, how
    index = open_index(services.catalog, services.paths.search_index)
    if how == "benchmark":
        window.search = search_adapter(index)
    return index, how


def quiet_qt() -> None:
    """Before the QApplication: keep stderr for real errors. The offscreen platform warns at
    every fixed-size change, and Qt Multimedia says PipeWire is missing before using Pulse."""
    from PySide6.QtCore import QtMsgType, qInstallMessageHandler

    rules = os.environ.get("QT_LOGGING_RULES", "")
    extra = "qt.multimedia.symbolsresolver.warning=false"
    os.environ["QT_LOGGING_RULES"] = f"{rules};{extra}" if rules else extra

    def handler(_kind: QtMsgType, _context: object, message: str) -> None:
        if "does not support propagateSizeHints" not in message:
            print(message, file=sys.stderr)

    qInstallMessageHandler(handler)


def flush(app: Any) -> None:
    """What returning to the event loop does: handle pending events and delete the widgets
    that deleteLater() let go (processEvents alone never deletes them)."""
    from PySide6.QtCore import QCoreApplication, QEvent

    app.processEvents()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def show_and_paint(app: Any, window: Any, timeout_s: float = 10.0) -> bool:
    """Show the window and run events until something in it has painted."""
    from PySide6.QtCore import QEvent, QObject

    painted: list[bool] = []

    class PaintSpy(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint and not painted:
                painted.append(True)
            return False

    spy = PaintSpy()
    app.installEventFilter(spy)
    try:
        window.show()
        deadline = time.perf_counter() + timeout_s
        while not painted and time.perf_counter() < deadline:
            app.processEvents()
    finally:
        app.removeEventFilter(spy)
    return bool(painted)
