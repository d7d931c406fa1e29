"""Memory stays flat (issue 5): 2,000 scripted interactions on the 5,000-topic library (open
topics, next and previous parts, search keystrokes, text size, idle resets, ...). Prints the
peak and current memory after 200 warm-up interactions and at the end; never fails.

The interactions run in this process against the window build_window() makes; after each one
the pending events are handled and deleteLater()'d widgets deleted, as the event loop would.

Run: `make bench` (or `.venv/bin/python benchmarks/bench_memory.py`). Options: `--interactions N`
for a longer day, `--every N` for a row of figures every N interactions, `--types` to list the
kinds of Python object whose number grew between the warm-up and the end.
"""

from __future__ import annotations

import argparse
import gc
import os
import random
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from big_library import (
    REPO,
    SEARCH_WORDS,
    TOPICS,
    flush,
    generate,
    kiosk_env,
    maxrss_mb,
    quiet_qt,
    show_and_paint,
    vm_rss_mb,
    wire_search,
)

INTERACTIONS = 2000
WARM_UP = 200
TARGET_GROWTH_MB = 10.0


class Script:
    """The interactions, each a method, picked at random with fixed weights and seed."""

    def __init__(self, app: Any, window: Any, services: Any, searchable: bool) -> None:
        self.app = app
        self.window = window
        self.ids = [t.id for t in services.catalog.topics()]
        self.categories = services.catalog.categories()
        self.rng = random.Random(3)
        self.done: Counter[str] = Counter()
        self.keystrokes = 0
        actions: list[tuple[Callable[[], None], int]] = [
            (self.open_topic, 30),
            (self.next_part, 20),
            (self.previous_part, 8),
            (self.text_size, 8),
            (self.contrast, 2),
            (self.back, 6),
            (self.home, 4),
            (self.category, 4),
            (self.idle_reset, 4),
        ]
        if searchable:
            actions.append((self.search, 10))
        self.actions = [a for a, _ in actions]
        self.weights = [w for _, w in actions]

    def step(self) -> None:
        action = self.rng.choices(self.actions, self.weights)[0]
        action()
        self.done[action.__name__] += 1
        flush(self.app)

    def open_topic(self) -> None:
        self.window.open_topic(self.rng.choice(self.ids))

    def _topic_page(self) -> Any:
        page = self.window.page()
        return page if hasattr(page, "step") else None

    def next_part(self) -> None:
        if (page := self._topic_page()) is None:
            self.open_topic()
        else:
            page.step(1)

    def previous_part(self) -> None:
        if (page := self._topic_page()) is not None:
            page.step(-1)

    def text_size(self) -> None:
        self.window.set_text_size(self.rng.choice(self.window.text_sizes))

    def contrast(self) -> None:
        self.window.set_high_contrast(not self.window.theme.high_contrast)

    def back(self) -> None:
        self.window.go_back()

    def home(self) -> None:
        self.window.go_home()

    def category(self) -> None:
        """The categories (and A to Z) are on the home page."""
        self.window.go_home()
        self.window.open_category(self.rng.choice(["", *self.categories]))

    def idle_reset(self) -> None:
        self.window.reset_to_start()

    def search(self) -> None:
        """From the home page (where search is), type a word letter by letter; half the time
        tap the first result."""
        self.window.go_home()
        page = self.window.open_search()
        word = self.rng.choice(SEARCH_WORDS)
        for char in word:
            page.type_text(char)
            self.keystrokes += 1
            self.app.processEvents()
        hits = self.window.search.search(word, 1) or []
        if hits and self.rng.random() < 0.5:
            self.window.open_topic(hits[0].topic_id)


def type_counts() -> Counter[str]:
    return Counter(f"{type(o).__module__}.{type(o).__qualname__}" for o in gc.get_objects())


def snapshot(app: Any, window: Any) -> dict[str, float]:
    """After an idle reset, so every snapshot is of the same screen (home, 100%, no history)."""
    window.reset_to_start()
    flush(app)
    gc.collect()
    return {
        "ru_maxrss": maxrss_mb(),
        "VmRSS": vm_rss_mb(),
        "widgets": len(app.allWidgets()),
        "pages": window.stack.count(),
        "objects": len(gc.get_objects()),
        "blocks": sys.getallocatedblocks(),
    }


def show(name: str, figures: dict[str, float]) -> None:
    print(
        f"{name:<34} ru_maxrss {figures['ru_maxrss']:7.1f} MB   VmRSS {figures['VmRSS']:7.1f} MB"
        f"   widgets {figures['widgets']:6.0f}   pages in stack {figures['pages']:3.0f}"
        f"   Python objects {figures['objects']:9,.0f}   heap blocks {figures['blocks']:9,.0f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--interactions", type=int, default=INTERACTIONS)
    parser.add_argument("--every", type=int, default=0, help="a row every N interactions")
    parser.add_argument("--types", action="store_true", help="which Python objects grew")
    args = parser.parse_args()
    interactions = max(args.interactions, WARM_UP + 2)
    with tempfile.TemporaryDirectory(prefix="bench-memory-") as name:
        tmp = Path(name)
        folders = generate(tmp / "library")
        if not folders:
            return
        os.environ.update(kiosk_env(tmp))
        sys.path.insert(0, str(REPO))
        from PySide6.QtWidgets import QApplication

        from kiosk.app import build_services, build_window
        from kiosk.config import load_settings

        quiet_qt()
        app = QApplication.instance() or QApplication([])
        start = time.perf_counter()
        services = build_services(load_settings(), folders, speech=False)
        window = build_window(services)
        window.resize(1280, 800)
        show_and_paint(app, window)
        _index, how = wire_search(app, window, services, direct=False)
        print(
            f"{len(services.catalog):,} topics loaded and home shown in"
            f" {time.perf_counter() - start:.1f} s; search: "
            + {"app": "as the app wires it", "benchmark": "index plugged in by the benchmark"}.get(
                how, "none (no kiosk.library.index), no search interactions"
            )
        )
        script = Script(app, window, services, searchable=bool(how))
        start = time.perf_counter()
        for _ in range(WARM_UP):
            script.step()
        warm = snapshot(app, window)
        types = type_counts() if args.types else Counter()
        middle_at = (interactions + WARM_UP) // 2
        middle: dict[str, float] = {}
        for step in range(WARM_UP + 1, interactions + 1):
            script.step()
            if step == middle_at:
                middle = snapshot(app, window)
            elif args.every and step % args.every == 0:
                show(f"after {step:,} interactions", snapshot(app, window))
        end = snapshot(app, window)
        took = time.perf_counter() - start
        print(f"== {interactions:,} interactions on {TOPICS:,} topics in {took:.1f} s")
        done = ", ".join(f"{name} {count}" for name, count in sorted(script.done.items()))
        print(f"   {done}; {script.keystrokes} search keystrokes")
        print("(each after an idle reset, so all three are of the same screen)")
        show(f"after {WARM_UP} warm-up interactions", warm)
        show(f"after {middle_at:,} interactions", middle)
        show(f"after {interactions:,} interactions", end)
        for key in ("ru_maxrss", "VmRSS"):
            growth = end[key] - warm[key]
            print(f"growth of {key:<24} {growth:+7.1f} MB   (target < {TARGET_GROWTH_MB:.0f} MB)")
        print(f"growth of Python heap blocks {end['blocks'] - warm['blocks']:+11,.0f}")
        if args.types:
            grown = type_counts()
            grown.subtract(types)
            print("Python objects that grew in number:")
            for name, count in grown.most_common(15):
                if count > 0:
                    print(f"   {count:+8,} {name}")
        window.close()


if __name__ == "__main__":
    main()
