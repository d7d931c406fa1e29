"""Search speed with a big library: 5,000 synthetic topics (benchmarks/make_library.py) in a
temp dir. Prints figures only.

- building the index from the loaded topics (issue 5 target: under 5 s)
- opening the existing index at the next start (no rebuild)
- one keystroke: each prefix of typed-out queries, correct and misspelled, searched as the
  home page does after every letter (target: under 20 ms p95); then, apart, queries whose
  words are in the library in another form only (found by their stem)
- the index file's size

Run: `make bench` (or `.venv/bin/python benchmarks/bench_search.py [TOPICS]`).
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from benchmarks.make_library import make_library  # noqa: E402
from kiosk.library.catalog import open_catalog  # noqa: E402
from kiosk.library.index import SearchIndex, fingerprint_of  # noqa: E402

QUERIES = (
    "diabetes",
    "blood pressure",
    "knee pain in children",
    "physiotherapy for back",
    "hypertension",
    "asthma",
    # misspelled, as one finger on a touch screen types them
    "diabetis",
    "arthritus",
    "cholestrol",
    "hart atack",
    "blod presure",
    "astma inhaler",
    "migrane",
)
# in the library in another form only: "Breathing", "Knee Injury", "Swelling", "Stretching"
STEMMED = ("breathe", "knee injuries", "swellings", "stretches for back")
ROUNDS = 5


def summary(name: str, values_ms: list[float]) -> None:
    ordered = sorted(values_ms)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    print(
        f"{name:<44} median {statistics.median(ordered):8.2f} ms"
        f"   p95 {p95:8.2f} ms   max {ordered[-1]:8.2f} ms   n={len(ordered)}"
    )


def since(start: float) -> float:
    return (time.perf_counter() - start) * 1000


def typing(index: SearchIndex, queries: tuple[str, ...], name: str) -> None:
    """Each query typed out ROUNDS times, one search per letter."""
    keystrokes: list[float] = []
    per_query: dict[str, list[float]] = {q: [] for q in queries}
    for _ in range(ROUNDS):
        for query in queries:
            for n in range(1, len(query) + 1):
                start = time.perf_counter()
                index.search(query[:n])
                elapsed = since(start)
                keystrokes.append(elapsed)
                per_query[query].append(elapsed)
    summary(name, keystrokes)
    for query, times in per_query.items():
        summary(f"  typing {query!r}", times)


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 5000
    with tempfile.TemporaryDirectory(prefix="bench-search-") as tmp_name:
        tmp = Path(tmp_name)
        start = time.perf_counter()
        folders = make_library(count, tmp / "packs", seed=1)
        print(f"library: {count} topics in {len(folders)} packs, written in {since(start):.0f} ms")
        start = time.perf_counter()
        catalog = open_catalog(folders)
        print(f"{'loading the topics (catalog, not the index)':<44} {since(start):8.0f} ms")
        topics = list(catalog.all_topics())
        path = tmp / "data" / "index" / "search.sqlite"

        builds = []
        for _ in range(3):
            path.unlink(missing_ok=True)
            start = time.perf_counter()
            with SearchIndex.open(path, topics, fingerprint_of(folders)) as index:
                assert index.rebuilt
            builds.append(since(start))
        summary("building the index (fingerprint included)", builds)
        print(f"{'index file size':<44} {path.stat().st_size / 1024 / 1024:8.1f} MiB")

        opens = []
        for _ in range(20):
            start = time.perf_counter()
            with SearchIndex.open(path, topics, fingerprint_of(folders)) as index:
                assert not index.rebuilt
            opens.append(since(start))
        summary("opening the existing index (fingerprint incl.)", opens)

        with SearchIndex.open(path, topics, fingerprint_of(folders)) as index:
            typing(index, QUERIES, "one keystroke's search, all queries")
            typing(index, STEMMED, "one keystroke's search, other word forms")
            print("first results:")
            for query in QUERIES + STEMMED:
                hits = index.search(query, limit=3)
                shown = "; ".join(f"{h.title} ({h.field})" for h in hits) or "-"
                print(f"  {query!r:<26} {shown}")


if __name__ == "__main__":
    main()
