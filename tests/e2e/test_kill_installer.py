"""kill -9 of `kiosk library install` at random moments, over and over.

The installer is the real command in a child process, installing an unsigned 200-topic pack
(`require_signature = false` in a temp config, so no keys are needed). After every kill the
library must hold the old version or the new one, every file of it exactly as the pack has it,
the store must open and sweep away what the kill left, and the kiosk's composition root must
load the pack's topics.

The child imports everything first and then says "ready", so kill times can be spread over the
command's own work (copying in, verifying, writing, switching, tidying) rather than over
Python's start-up; a tenth land before "ready", right after the process starts, and a third
near the end of the work. `KILL_SEED=N` repeats a run; the seed is in every failure message.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from kiosk.app import build_services
from kiosk.config import load_settings
from kiosk.library.store import LibraryStore
from kiosk.packs.delivery import build_archive, read_unsigned, write_pack

REPO = Path(__file__).resolve().parents[2]
PACK = "org.example.killtest"
TOPICS = 200
KILLS = 110
OLD, NEW = 2, 3

CHILD = """\
import sys
import kiosk.cli, kiosk.library.installer, kiosk.packs.delivery
print("ready", flush=True)
sys.exit(kiosk.cli.main(["library", "install", sys.argv[1]]))
"""


def write_source(folder: Path, version: int) -> Path:
    (folder / "topics").mkdir(parents=True)
    (folder / "pack.toml").write_text(
        f'format = 1\nid = "{PACK}"\nversion = {version}\ntitle = "Kill test {version}"\n'
        'languages = ["en"]\npublisher = "Tests"\n',
        encoding="utf-8",
    )
    for i in range(TOPICS):
        sections = "".join(
            f"## Part {j}\n\nVersion {version} of topic {i}, part {j}. "
            + "Some plain words to read. " * 8
            + "\n\n"
            for j in range(4)
        )
        (folder / "topics" / f"topic-{i:03d}.md").write_text(
            f'+++\nid = "topic-{i:03d}"\ntitle = "Topic {i}"\ncategory = "Tests"\n'
            f'language = "en"\n+++\n\nSummary of topic {i}.\n\n{sections}',
            encoding="utf-8",
        )
    return folder


def files_in(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def phase(root: Path) -> str:
    """Where the kill landed, read from what it left on disk (before the store tidies up)."""
    pack_dir = root / "packs" / PACK
    staged = os.listdir(root / "staging")
    current = os.readlink(pack_dir / "current")
    if any(name.startswith(f"{PACK}-v{NEW}-") for name in staged):
        return "writing the new version in staging"
    if current == f"v{OLD}" and (pack_dir / f"v{NEW}").exists():
        return "new version in place, not yet switched to"
    if current == f"v{NEW}":
        if sorted(os.listdir(pack_dir)) != ["current", "previous", f"v{NEW}", f"v{OLD}"]:
            return "switched, tidying up"
        return "switched and tidied" + (", staging not yet emptied" if staged else "")
    return "copying in or verifying" if staged else "before it began"


@pytest.mark.slow
def test_kill_9_at_any_moment_leaves_the_old_or_the_new_library(tmp_path: Path) -> None:
    archives = {
        v: build_archive(write_source(tmp_path / f"src-{v}", v), tmp_path) for v in (1, 2, 3)
    }
    expected = {v: dict(read_unsigned(a).files) for v, a in archives.items()}
    data_dir = tmp_path / "data"
    root = data_dir / "library"
    config = tmp_path / "config.toml"
    config.write_text("[packs]\nrequire_signature = false\n", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("KIOSK")}
    env.update(
        KIOSK_DATA_DIR=str(data_dir),
        KIOSK_CONFIG=str(config),
        KIOSK_SYSTEM_CONFIG=str(tmp_path / "no-system-config.toml"),
    )
    settings = load_settings(env).with_values(library__show_samples=False)

    # The starting point of every round: version 2 installed, version 1 kept as previous, so
    # installing version 3 also switches `previous` and deletes version 1.
    store = LibraryStore(root)
    for v in (1, 2):
        verified = read_unsigned(archives[v])
        store.install(PACK, v, "", lambda d, verified=verified: write_pack(verified, d))
    pristine = tmp_path / "pristine"
    shutil.copytree(root, pristine, symlinks=True)

    def reset() -> None:
        shutil.rmtree(root)
        shutil.copytree(pristine, root, symlinks=True)

    def start() -> subprocess.Popen[str]:
        return subprocess.Popen(
            [sys.executable, "-c", CHILD, str(archives[NEW])],
            cwd=REPO,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )

    # How long the command's own work takes, from "ready" to exit, unkilled.
    durations = []
    for _ in range(3):
        reset()
        child = start()
        assert child.stdout is not None
        assert child.stdout.readline() == "ready\n"
        began = time.monotonic()
        out, err = child.communicate(timeout=60)
        durations.append(time.monotonic() - began)
        assert child.returncode == 0, err
        assert f"installed {PACK} version 3" in out
    work = sorted(durations)[1]

    seed = int(os.environ.get("KILL_SEED", time.time_ns() % 100_000))
    rng = random.Random(seed)
    outcomes: Counter[str] = Counter()
    phases: Counter[str] = Counter()
    reset()
    rounds = 0
    while outcomes["killed"] < KILLS and rounds < 3 * KILLS:
        rounds += 1
        child = start()
        assert child.stdout is not None
        draw = rng.random()
        if draw < 0.1:
            time.sleep(rng.uniform(0, 0.05))  # right after start, mid-imports
        else:
            assert child.stdout.readline() == "ready\n"
            # Most kills anywhere in the command's work; a third near its end, where the
            # switch and the tidying are (and a loaded machine stretches the work).
            span = (0.0, 1.05) if draw < 0.7 else (0.6, 1.2)
            time.sleep(rng.uniform(*span) * work)
        child.send_signal(signal.SIGKILL)
        child.communicate(timeout=60)
        if child.returncode != -signal.SIGKILL:
            assert child.returncode == 0, f"seed {seed}: the installer failed unkilled"
            outcomes["finished first"] += 1
            reset()
            continue
        outcomes["killed"] += 1

        pack_dir = root / "packs" / PACK
        current = os.readlink(pack_dir / "current")
        assert current in (f"v{OLD}", f"v{NEW}"), f"seed {seed}: current -> {current}"
        version = int(current[1:])
        assert files_in(pack_dir / current) == expected[version], f"seed {seed}: a mix"
        outcomes["old" if version == OLD else "new"] += 1
        phases[phase(root)] += 1

        # The kiosk starts: the store opens and tidies, and the pack's topics load.
        reopened = LibraryStore(root)
        assert os.listdir(root / "staging") == []
        [pack] = reopened.installed()
        assert pack.version == version
        assert pack.previous_version in ((1,) if version == OLD else (1, OLD)), f"seed {seed}"
        assert sorted(os.listdir(pack_dir)) == sorted(
            ["current", "previous", f"v{version}", f"v{pack.previous_version}"]
        )
        services = build_services(settings, speech=False)
        assert len(services.catalog) == TOPICS
        assert services.catalog.problems == []
        topic = services.catalog.topic("topic-007")
        assert topic is not None
        assert f"Version {version} of topic 7" in topic.sections[0].html
        if version == NEW:
            reset()

    summary = ", ".join(f"{k}: {n}" for k, n in sorted(outcomes.items()))
    where = "; ".join(f"{k}: {n}" for k, n in phases.most_common())
    print(f"\nkill test (seed {seed}, command's work {work * 1000:.0f} ms): {summary}\n{where}")
    assert outcomes["killed"] >= KILLS, summary
    assert outcomes["old"] and outcomes["new"], f"kills missed the switch; {summary}"
    assert phases["writing the new version in staging"], f"none landed mid-write; {where}"
