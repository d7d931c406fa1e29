"""`kiosk library install/list/rollback/remove` as IT staff run them: the real command in a
child process, packs signed with the real `minisign` tool, and what ends up on disk.

Archives are built with `kiosk.packs.delivery.build_archive` (what `kiosk pack build` runs).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from kiosk.app import build_services
from kiosk.config import load_settings
from kiosk.packs.delivery import build_archive

REPO = Path(__file__).resolve().parents[2]
PACK = "org.example.clinic"
SAMPLE_TOPIC = "neck-pain"  # a topic of the bundled sample pack

pytestmark = pytest.mark.skipif(shutil.which("minisign") is None, reason="needs minisign")


def topic(topic_id: str, text: str) -> str:
    return (
        f'+++\nid = "{topic_id}"\ntitle = "{topic_id.replace("-", " ").title()}"\n'
        f'category = "Clinic"\nlanguage = "en"\n+++\n\nSummary.\n\n## Part one\n\n{text}\n'
    )


class Kiosk:
    """A data dir, a config trusting one fresh minisign key, and the command to run."""

    def __init__(self, tmp_path: Path) -> None:
        self.tmp = tmp_path
        self.data = tmp_path / "data"
        self.root = self.data / "library"
        self.config = tmp_path / "config.toml"
        self.key = tmp_path / "clinic.key"
        tmp_path.mkdir(exist_ok=True)
        subprocess.run(
            ["minisign", "-G", "-W", "-p", tmp_path / "clinic.pub", "-s", self.key],
            check=True,
            capture_output=True,
        )
        self.public = (tmp_path / "clinic.pub").read_text().splitlines()[1]
        self.trust(f'["{self.public}"]')
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("KIOSK")}
        self.env.update(
            KIOSK_DATA_DIR=str(self.data),
            KIOSK_CONFIG=str(self.config),
            KIOSK_SYSTEM_CONFIG=str(tmp_path / "no-system-config.toml"),
        )

    def trust(self, keys: str, extra: str = "") -> None:
        self.config.write_text(f"[packs]\ntrusted_keys = {keys}\n{extra}", encoding="utf-8")

    def pack(
        self, version: int, text: str = "", *, sign: bool = True, name: str | None = None
    ) -> Path:
        """A signed archive of PACK at `version`; `text` changes its content."""
        source = self.tmp / (name or f"source-{version}{text}")
        (source / "topics").mkdir(parents=True)
        (source / "pack.toml").write_text(
            f'format = 1\nid = "{PACK}"\nversion = {version}\ntitle = "Clinic topics"\n'
            'languages = ["en"]\npublisher = "Example Clinic"\n',
            encoding="utf-8",
        )
        body = text or f"This is version {version}."
        (source / "topics" / "visiting-hours.md").write_text(topic("visiting-hours", body))
        (source / "topics" / f"{SAMPLE_TOPIC}.md").write_text(topic(SAMPLE_TOPIC, body))
        out = self.tmp / "stick" / (name or f"v{version}{text}".replace(" ", "-"))
        out.mkdir(parents=True)
        archive = build_archive(source, out)
        if sign:
            comment = f"topicpack id={PACK} version={version}"
            subprocess.run(
                ["minisign", "-S", "-s", self.key, "-m", archive, "-t", comment],
                check=True,
                capture_output=True,
                stdin=subprocess.DEVNULL,
            )
        return archive

    def __call__(self, *args: str | Path) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "kiosk.cli", *map(str, args)],
            cwd=REPO,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )

    def snapshot(self) -> dict[str, str | bytes]:
        found: dict[str, str | bytes] = {}
        for dirpath, dirnames, filenames in os.walk(self.data):
            for name in (*dirnames, *filenames):
                path = Path(dirpath, name)
                key = str(path.relative_to(self.data))
                if path.is_symlink():
                    found[key] = "-> " + os.readlink(path)
                elif path.is_file():
                    found[key] = path.read_bytes()
                else:
                    found[key] = "dir"
        return found


@pytest.fixture
def kiosk(tmp_path: Path) -> Kiosk:
    return Kiosk(tmp_path)


def ok(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    return result.stdout


def refused(result: subprocess.CompletedProcess[str]) -> str:
    """The one line on stderr, without its 'kiosk: ' prefix."""
    assert result.returncode == 1
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("kiosk: ")
    return lines[0].removeprefix("kiosk: ")


def test_install_list_rollback_remove(kiosk: Kiosk) -> None:
    assert ok(kiosk("library", "list")) == "no packs are installed\n"
    v1, v2 = kiosk.pack(1), kiosk.pack(2)

    assert ok(kiosk("library", "install", v1)) == f"installed {PACK} version 1: Clinic topics\n"
    assert ok(kiosk("library", "install", v2)) == (
        f"installed {PACK} version 2: Clinic topics; version 1 is kept\n"
    )
    assert ok(kiosk("library", "list")) == (
        f"ID                  VERSION  PREVIOUS  TITLE\n{PACK}  2        1         Clinic topics\n"
    )
    pack_dir = kiosk.root / "packs" / PACK
    assert "This is version 2." in (pack_dir / "current/topics/visiting-hours.md").read_text()

    assert ok(kiosk("library", "rollback", PACK)) == (
        f"{PACK} is back at version 1; version 2 is kept (roll back again to return to it)\n"
    )
    assert os.readlink(pack_dir / "current") == "v1"
    assert ok(kiosk("library", "list")).splitlines()[1].split() == [
        PACK,
        "1",
        "2",
        "Clinic",
        "topics",
    ]

    assert ok(kiosk("library", "remove", PACK)) == f"removed {PACK}\n"
    assert not pack_dir.exists()
    assert os.listdir(kiosk.root / "staging") == []
    assert ok(kiosk("library", "list")) == "no packs are installed\n"


def test_installing_the_same_pack_twice_changes_nothing_and_says_so(kiosk: Kiosk) -> None:
    v1 = kiosk.pack(1)
    ok(kiosk("library", "install", v1))
    before = kiosk.snapshot()
    assert ok(kiosk("library", "install", v1)) == (
        f"version 1 of {PACK} is already installed; nothing changed\n"
    )
    assert kiosk.snapshot() == before


def test_each_refusal_is_one_line_and_leaves_the_library_as_it_was(kiosk: Kiosk) -> None:
    ok(kiosk("library", "install", kiosk.pack(2)))
    before = kiosk.snapshot()
    unsigned = kiosk.pack(3, sign=False)
    cases = {
        unsigned: f"not signed: there is no {unsigned.name}.minisig beside it",
        kiosk.pack(1): f"version 1 of {PACK} is older than the installed version 2",
        kiosk.pack(2, "Changed text."): (
            f"same version, different content: version 2 of {PACK} is already installed "
            "with other files (a changed pack needs a higher version)"
        ),
        kiosk.tmp / "no-such.topicpack": f"{kiosk.tmp / 'no-such.topicpack'} is not a file",
    }
    for archive, message in cases.items():
        assert refused(kiosk("library", "install", archive)) == message
        assert kiosk.snapshot() == before

    assert (
        refused(kiosk("library", "rollback", PACK))
        == f"{PACK} has no previous version to roll back to"
    )
    assert refused(kiosk("library", "remove", "org.example.other")) == (
        "no pack org.example.other is installed"
    )
    assert kiosk.snapshot() == before


def test_a_pack_signed_by_a_key_the_kiosk_does_not_trust_is_refused(kiosk: Kiosk) -> None:
    archive = kiosk.pack(1)
    other = Kiosk(kiosk.tmp / "other-clinic")
    kiosk.trust(f'["{other.public}"]')
    ok(kiosk("library", "list"))
    before = kiosk.snapshot()
    message = refused(kiosk("library", "install", archive))
    assert "unknown key" in message
    assert kiosk.snapshot() == before
    assert ok(kiosk("library", "list")) == "no packs are installed\n"


def test_an_unsigned_pack_installs_when_the_config_allows_it(kiosk: Kiosk) -> None:
    kiosk.trust("[]", "require_signature = false\n")
    out = ok(kiosk("library", "install", kiosk.pack(1, sign=False)))
    assert out == f"installed {PACK} version 1: Clinic topics\n"


def test_the_kiosk_shows_installed_packs_between_the_samples_and_pack_previews(
    kiosk: Kiosk, tmp_path: Path
) -> None:
    ok(kiosk("library", "install", kiosk.pack(1, "Installed text.")))
    settings = load_settings(kiosk.env)

    services = build_services(settings, speech=False)
    visiting = services.catalog.topic("visiting-hours")
    assert visiting is not None and "Installed text." in visiting.sections[0].html
    # The installed pack's copy of a sample topic replaces the bundled one...
    neck = services.catalog.topic(SAMPLE_TOPIC)
    assert neck is not None and neck.pack_id == PACK
    assert len(services.catalog) > 2, "the other sample topics are still there"

    # ...and an author's --pack preview replaces both.
    preview = tmp_path / "preview"
    shutil.copytree(tmp_path / "source-1Installed text.", preview)
    (preview / "topics" / f"{SAMPLE_TOPIC}.md").write_text(topic(SAMPLE_TOPIC, "Preview."))
    services = build_services(settings, [preview], speech=False)
    neck = services.catalog.topic(SAMPLE_TOPIC)
    assert neck is not None and "Preview." in neck.sections[0].html
    assert [p.version for p in services.store.installed()] == [1]
