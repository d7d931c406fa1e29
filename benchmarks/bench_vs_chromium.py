"""The kiosk beside the usual alternative, a web kiosk (issue 5). Prints figures only.

One topic page (a bundled sample topic, part 1) becomes a 1280x800 PNG three ways, each a whole
process from start to exit:

- `kiosk shot --topic ID`: the kiosk itself
- headless Chromium (Debian `chromium`) screenshotting the same content exported as one
  self-contained HTML file (header, title, section heading and body, page buttons, disclaimer
  footer; the kiosk's colours and 22px DejaVu Sans)
- the floor: a bare PySide6 program that shows that HTML in one QTextBrowser, grabs it to a PNG
  and exits

Wall time: N runs of each, interleaved so that machine load affects all alike. Peak memory, in
separate runs: the sum over the process tree (Chromium runs several processes) of RSS, and of
PSS (shared pages counted once), polled every 10 ms from /proc; also the largest single process
(ru_maxrss via wait4, what `/usr/bin/time -v` would print).

Goal: Chromium at least 2x slower and 2x bigger than the kiosk; the kiosk within 2x of the floor.

Run: `make bench` (or `.venv/bin/python benchmarks/bench_vs_chromium.py [--keep DIR]`).
"""

from __future__ import annotations

import argparse
import html
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
TOPIC = "high-blood-pressure"  # falls back to the first bundled topic
WIDTH, HEIGHT = 1280, 800
TIME_RUNS = 10
MEMORY_RUNS = 3
POLL_S = 0.010
PAGE_KB = os.sysconf("SC_PAGE_SIZE") // 1024

FLOOR_PROGRAM = """\
import sys
from pathlib import Path

from PySide6.QtWidgets import QApplication, QTextBrowser

app = QApplication(sys.argv[:1])
view = QTextBrowser()
view.setHtml(Path(sys.argv[1]).read_text(encoding="utf-8"))
view.resize({width}, {height})
view.show()
for _ in range(3):
    app.processEvents()
sys.exit(0 if view.grab().save(sys.argv[2]) else 1)
"""


def page_html(topic_id: str) -> tuple[str, str]:
    """(topic id, the page as one HTML file) for `topic_id` or the first bundled topic."""
    sys.path.insert(0, str(REPO))
    from kiosk.app import BUNDLED_TOPICS
    from kiosk.config import load_settings
    from kiosk.library.catalog import bundled_pack_folders, open_catalog

    catalog = open_catalog(bundled_pack_folders(BUNDLED_TOPICS))
    topic = catalog.topic(topic_id) or next(catalog.all_topics())
    with tempfile.TemporaryDirectory() as tmp:
        settings = load_settings(
            {"KIOSK_CONFIG": f"{tmp}/none.toml", "KIOSK_DATA_DIR": tmp},
            system_file=Path(tmp) / "none-system.toml",
        )
    section = topic.sections[0]
    parts = len(topic.sections) + 1
    links = "".join(
        f'<a class="tile" href="#{html.escape(i)}">{html.escape(t)}</a>'
        for i, t in catalog.titles(section.topic_links)
    )
    related = f'<p class="hint">Read about</p><div class="tiles">{links}</div>' if links else ""
    e = html.escape
    return (
        topic.id,
        f"""<!DOCTYPE html>
<html lang="{e(topic.language)}"><head><meta charset="utf-8">
<title>{e(topic.title)}</title>
<style>
* {{ box-sizing: border-box; }}
html, body {{ margin: 0; height: 100%; }}
body {{ font-family: "DejaVu Sans", sans-serif; font-size: 22px; color: #1b1b1b;
       background: #f6f4ef; display: flex; flex-direction: column; }}
header, nav {{ background: #e6eef7; display: flex; gap: 12px; padding: 6px 12px; }}
header {{ border-bottom: 2px solid #b9b4a7; justify-content: space-between; }}
nav {{ border-top: 2px solid #b9b4a7; }}
nav button {{ flex: 1; }}
.group {{ display: flex; gap: 12px; align-items: center; }}
button {{ font: bold 22px "DejaVu Sans", sans-serif; background: #0b57a4; color: #fff;
          border: 2px solid #0b57a4; border-radius: 10px; padding: 8px 18px; min-height: 56px; }}
button:disabled {{ background: #e2e0da; color: #6b6b6b; border-color: #e2e0da; }}
main {{ flex: 1; overflow-y: auto; padding: 12px 20px; }}
h1 {{ font-size: 34px; margin: 0 0 8px; }}
h2 {{ font-size: 28px; margin: 8px 0 12px; }}
.hint {{ color: #4a4a4a; font-size: 20px; margin: 0 0 8px; }}
p {{ margin: 0 0 14px; line-height: 140%; }}
li {{ margin-bottom: 8px; line-height: 140%; }}
ul, ol {{ margin: 0 0 14px; }}
a {{ color: #0b57a4; font-weight: bold; text-decoration: underline; }}
.tiles {{ display: grid; grid-template-columns: repeat(3, 1fr); gap: 12px; }}
a.tile {{ display: block; background: #fff; border: 2px solid #b9b4a7; border-radius: 10px;
          padding: 12px; font-size: 24px; text-decoration: none; }}
footer {{ background: #1f2d3a; color: #fff; font-size: 20px; font-weight: bold;
          padding: 10px 16px; border-top: 2px solid #fff; text-align: center; }}
</style></head>
<body>
<header><div class="group"><button>⌂ Home</button><button disabled>◀ Back</button></div>
<div class="group"><button disabled>A−</button><span>100%</span><button>A+</button>
<button>◐ Contrast</button></div></header>
<main>
<h1>{e(topic.title)}</h1>
<p class="hint">Part 1 of {parts}</p>
<h2>{e(section.title)}</h2>
{section.html}
{related}
</main>
<nav><button disabled>◀ Previous</button><button>Read aloud</button>
<button>Contents</button><button>Next ▶</button></nav>
<footer>{e(settings.disclaimer)}</footer>
</body></html>
""",
    )


@dataclass
class Way:
    name: str
    command: Callable[[Path, Path], list[str]]  # (run dir, out.png) -> argv
    env: dict[str, str]
    times_ms: list[float] = field(default_factory=list)
    rss_mb: list[float] = field(default_factory=list)
    pss_mb: list[float] = field(default_factory=list)
    largest_mb: list[float] = field(default_factory=list)
    failed: str = ""


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as stat:
                fields = stat.read().rsplit(b")", 1)[1].split()
        except OSError:
            continue
        tree.setdefault(int(fields[1]), []).append(int(entry))
    return tree


def _tree_memory(root: int) -> tuple[float, float]:
    """(sum of RSS, sum of PSS) in MB over `root` and its descendants."""
    tree = _children()
    rss_kb = pss_kb = 0
    todo = [root]
    while todo:
        pid = todo.pop()
        todo += tree.get(pid, [])
        try:
            with open(f"/proc/{pid}/statm", "rb") as statm:
                rss_kb += int(statm.read().split()[1]) * PAGE_KB
            with open(f"/proc/{pid}/smaps_rollup", "rb") as rollup:
                for line in rollup:
                    if line.startswith(b"Pss:"):
                        pss_kb += int(line.split()[1])
                        break
        except (OSError, IndexError, ValueError):
            continue
    return rss_kb / 1024, pss_kb / 1024


def run_once(way: Way, run_dir: Path, *, watch: bool) -> float | None:
    """Run `way` once; wall ms, and with `watch` its peak tree memory into `way`."""
    run_dir.mkdir(parents=True, exist_ok=True)
    out = run_dir / "page.png"
    argv = way.command(run_dir, out)
    peak = [0.0, 0.0]
    start = time.perf_counter()
    proc = subprocess.Popen(
        argv,
        env=way.env,
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    stop = threading.Event()

    def poll() -> None:
        while not stop.is_set():
            rss, pss = _tree_memory(proc.pid)
            peak[0], peak[1] = max(peak[0], rss), max(peak[1], pss)
            stop.wait(POLL_S)

    watcher = threading.Thread(target=poll, daemon=True)
    if watch:
        watcher.start()
    assert proc.stderr is not None
    errors = proc.stderr.read()  # until the whole tree has closed it
    _pid, status, usage = os.wait4(proc.pid, 0)
    wall = (time.perf_counter() - start) * 1000
    proc.returncode = os.waitstatus_to_exitcode(status)
    stop.set()
    if watch:
        watcher.join()
    if proc.returncode != 0 or not out.is_file():
        text = errors.decode(errors="replace").strip()
        way.failed = f"exit {proc.returncode}, no PNG: {text[-400:]}"
        return None
    if watch:
        way.rss_mb.append(peak[0])
        way.pss_mb.append(peak[1])
        way.largest_mb.append(usage.ru_maxrss / 1024)
    else:
        way.times_ms.append(wall)
    return wall


def ways(tmp: Path, page: Path, topic_id: str, chromium: bool) -> list[Way]:
    floor_py = tmp / "floor.py"
    floor_py.write_text(FLOOR_PROGRAM.format(width=WIDTH, height=HEIGHT), encoding="utf-8")
    qt_env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    kiosk_env = {
        **qt_env,
        "KIOSK_CONFIG": str(tmp / "none.toml"),
        "KIOSK_SYSTEM_CONFIG": str(tmp / "none-system.toml"),
        "KIOSK_DATA_DIR": str(tmp / "kiosk-data"),
    }
    found = [
        Way(
            "kiosk shot",
            lambda _d, out: [
                *(sys.executable, "-m", "kiosk.cli", "shot", str(out), "--topic", topic_id),
                f"--size={WIDTH}x{HEIGHT}",
            ],
            kiosk_env,
        ),
        Way(
            "floor: bare PySide6 QTextBrowser",
            lambda _d, out: [sys.executable, str(floor_py), str(page), str(out)],
            qt_env,
        ),
    ]
    if chromium:
        found.append(
            Way(
                "headless Chromium",
                lambda run_dir, out: [
                    str(CHROMIUM),
                    *("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic"),
                    *("--no-first-run", "--disable-background-networking"),
                    *("--disable-component-update", "--disable-sync"),
                    f"--user-data-dir={run_dir / 'profile'}",
                    f"--window-size={WIDTH},{HEIGHT}",
                    f"--screenshot={out}",
                    page.as_uri(),
                ],
                dict(os.environ),
            )
        )
    return found


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def ratio_line(name: str, top: Way, bottom: Way, goal: str) -> None:
    def ratio(values: str) -> str:
        a, b = getattr(top, values), getattr(bottom, values)
        return f"{statistics.median(a) / statistics.median(b):5.2f}x" if a and b else "  n/a"

    print(
        f"{name:<20} time {ratio('times_ms')}   memory: RSS sum {ratio('rss_mb')},"
        f" PSS sum {ratio('pss_mb')}, largest process {ratio('largest_mb')}   {goal}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--keep", type=Path, metavar="DIR", help="keep the HTML and PNGs here")
    args = parser.parse_args()
    chromium = CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)
    if not chromium:
        print(
            f"{CHROMIUM} is missing: Chromium is left out (Debian: `apt-get install chromium`);"
            " the kiosk and the floor are still measured"
        )
    with tempfile.TemporaryDirectory(prefix="bench-chromium-") as name:
        tmp = Path(name)
        topic_id, text = page_html(TOPIC)
        page = tmp / f"{topic_id}.html"
        page.write_text(text, encoding="utf-8")
        all_ways = ways(tmp, page, topic_id, chromium)
        # One untimed run each: disk caches, fonts, the kiosk's search index in its data dir.
        for way in all_ways:
            if run_once(way, tmp / "warm" / way.name, watch=False) is not None:
                way.times_ms.clear()
            if args.keep:
                args.keep.mkdir(parents=True, exist_ok=True)
                shutil.copy(page, args.keep / page.name)
                png = tmp / "warm" / way.name / "page.png"
                if png.is_file():
                    shutil.copy(png, args.keep / f"{way.name.split(':')[0].replace(' ', '-')}.png")
        for n in range(TIME_RUNS + MEMORY_RUNS):
            shift = n % len(all_ways)
            for way in all_ways[shift:] + all_ways[:shift]:
                if not way.failed:
                    run_dir = tmp / "runs" / f"{n}-{way.name}"
                    run_once(way, run_dir, watch=n >= TIME_RUNS)
                    shutil.rmtree(run_dir, ignore_errors=True)  # a new Chromium profile each run
        print(
            f"== topic '{topic_id}' part 1 as a {WIDTH}x{HEIGHT} PNG, whole processes; wall time"
            f" n={TIME_RUNS} each, interleaved; peak memory n={MEMORY_RUNS} each (medians)"
        )
        for way in all_ways:
            if way.failed or not way.times_ms:
                print(f"{way.name:<34} FAILED: {way.failed}")
                continue
            print(
                f"{way.name:<34} wall median {statistics.median(way.times_ms):7.0f} ms"
                f"  p95 {p95(way.times_ms):7.0f} ms   peak memory: RSS sum"
                f" {statistics.median(way.rss_mb):6.1f} MB, PSS sum"
                f" {statistics.median(way.pss_mb):6.1f} MB, largest process"
                f" {statistics.median(way.largest_mb):6.1f} MB"
            )
        kiosk, floor = all_ways[0], all_ways[1]
        if chromium and not all_ways[2].failed and not kiosk.failed:
            ratio_line("Chromium / kiosk:", all_ways[2], kiosk, "(goal >= 2x)")
        if not floor.failed and not kiosk.failed:
            ratio_line("kiosk / floor:", kiosk, floor, "(goal <= 2x)")


if __name__ == "__main__":
    main()
