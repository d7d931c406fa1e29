"""How long `kiosk library install` takes for a big pack: 1,000 topics of 3 to 8 short
sections each, built with `build_archive` and signed with a fresh key. Prints figures only.

- process: `python -m kiosk.cli library install PACK` end to end, into an empty data dir
- in process: `kiosk.cli.main` alone, and its steps (copy in, verify, write + fsync + switch)

Each run installs into a fresh data dir (a second install of the same version does nothing).
The data dir is a temp folder on the disk that holds /tmp (or TMPDIR): the fsyncs are real.

Run: `make bench` (or `.venv/bin/python benchmarks/bench_install.py [RUNS]`).
"""

from __future__ import annotations

import contextlib
import io
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from kiosk.config import load_settings  # noqa: E402
from kiosk.library.incoming import copy_in  # noqa: E402
from kiosk.library.installer import trust_of  # noqa: E402
from kiosk.library.store import LibraryStore, same_files  # noqa: E402
from kiosk.packs.delivery import (  # noqa: E402
    build_archive,
    trusted_comment_for,
    verify_archive,
    write_pack,
)
from kiosk.packs.signing import generate_keypair, public_key_line, sign_file  # noqa: E402

TOPICS = 1000
PACK = "org.example.bench"
WORDS = [
    *("health", "clinic", "doctor", "nurse", "blood", "pressure", "heart", "sleep", "water"),
    *("walk", "food", "salt", "sugar", "medicine", "dose", "morning", "evening", "pain"),
    *("rest", "breathe", "cough", "fever", "child", "family", "daily"),
]


def write_pack_folder(folder: Path, rng: random.Random) -> None:
    (folder / "topics").mkdir(parents=True)
    (folder / "pack.toml").write_text(
        f'format = 1\nid = "{PACK}"\nversion = 1\ntitle = "Benchmark pack"\n'
        'languages = ["en"]\npublisher = "Benchmarks"\n',
        encoding="utf-8",
    )
    for i in range(TOPICS):
        sections = []
        for j in range(rng.randint(3, 8)):
            sentences = " ".join(
                " ".join(rng.choices(WORDS, k=rng.randint(6, 14))).capitalize() + "."
                for _ in range(rng.randint(2, 5))
            )
            sections.append(f"## Part {j + 1}\n\n{sentences}\n")
        (folder / "topics" / f"topic-{i:04d}.md").write_text(
            f'+++\nid = "topic-{i:04d}"\ntitle = "Topic {i}"\n'
            f'category = "Category {i % 12}"\nlanguage = "en"\n+++\n\n'
            f"Summary of topic {i}.\n\n" + "\n".join(sections),
            encoding="utf-8",
        )


def summary(name: str, values_ms: list[float]) -> None:
    print(
        f"{name:<46} median {statistics.median(values_ms):8.1f} ms"
        f"   min {min(values_ms):8.1f} ms   n={len(values_ms)}"
    )


def since(start: float) -> float:
    return (time.perf_counter() - start) * 1000


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    with tempfile.TemporaryDirectory(prefix="bench-install-") as tmp_name:
        tmp = Path(tmp_name)
        write_pack_folder(tmp / "source", random.Random(1))
        archive = build_archive(tmp / "source", tmp)
        generate_keypair(tmp / "bench", None)
        settings = load_settings({"KIOSK_CONFIG": str(tmp / "none.toml")}, system_file=tmp / "none")
        unsigned = trust_of(settings.with_values(packs__require_signature=False))
        manifest = verify_archive(archive, unsigned)
        sign_file(archive, tmp / "bench.key", None, trusted_comment_for(manifest.manifest))
        key = public_key_line((tmp / "bench.pub").read_text(encoding="ascii"))
        config = tmp / "config.toml"
        config.write_text(f'[packs]\ntrusted_keys = ["{key}"]\n', encoding="utf-8")
        size_kib = archive.stat().st_size / 1024
        print(f"pack: {TOPICS} topics, 3-8 sections each, archive {size_kib:.0f} KiB, signed")

        env = {k: v for k, v in os.environ.items() if not k.startswith("KIOSK")}
        env.update(KIOSK_CONFIG=str(config), KIOSK_SYSTEM_CONFIG=str(tmp / "none.toml"))
        process = []
        command = [sys.executable, "-m", "kiosk.cli", "library", "install", str(archive)]
        for n in range(runs):
            env["KIOSK_DATA_DIR"] = str(tmp / f"process-{n}")
            start = time.perf_counter()
            subprocess.run(command, env=env, cwd=REPO, check=True, stdout=subprocess.DEVNULL)
            process.append(since(start))
        summary("process: kiosk library install (end to end)", process)

        from kiosk.cli import main as kiosk_main

        os.environ.update(env)
        whole = []
        for n in range(runs):
            os.environ["KIOSK_DATA_DIR"] = str(tmp / f"inproc-{n}")
            start = time.perf_counter()
            with contextlib.redirect_stdout(io.StringIO()):
                kiosk_main(["library", "install", str(archive)])
            whole.append(since(start))
        summary("in process: kiosk.cli.main library install", whole)

        trust = trust_of(settings.with_values(packs__trusted_keys=[key]))
        steps: dict[str, list[float]] = {"copy in": [], "verify": [], "write, fsync, switch": []}
        for n in range(runs):
            store = LibraryStore(tmp / f"steps-{n}" / "library")
            with store.staging_area() as work:
                start = time.perf_counter()
                local = copy_in(archive, work)
                steps["copy in"].append(since(start))
                start = time.perf_counter()
                verified = verify_archive(local, trust)
                steps["verify"].append(since(start))
                start = time.perf_counter()
                store.install(
                    PACK,
                    1,
                    verified.manifest.title,
                    lambda d, pack=verified: write_pack(pack, d),
                    same_content=same_files(verified.files),
                )
                steps["write, fsync, switch"].append(since(start))
        for name, values in steps.items():
            summary(f"  step: {name}", values)


if __name__ == "__main__":
    main()
