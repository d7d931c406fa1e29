"""`pip install .` installs a wheel, not the checkout: the kiosk installed that way shows the
sample topics, and says so in one line when their folder is missing.

The wheel is built from a copy of the sources (a build writes build/ and *.egg-info beside
them) and installed with --target, so the test runs the installed `kiosk` command with the
dependencies of the interpreter running the tests.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Sequence
from pathlib import Path

import pytest

from tests.e2e.kiosk_cli import REPO

SOURCES = ("pyproject.toml", "setup.py", "MANIFEST.in", "README.md", "kiosk", "topics")


def pip(*args: str | Path, cwd: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "pip", "--disable-pip-version-check", *map(str, args)],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    source = tmp_path_factory.mktemp("source")
    for name in SOURCES:
        if not (REPO / name).exists():
            continue
        if (REPO / name).is_dir():
            shutil.copytree(
                REPO / name, source / name, ignore=shutil.ignore_patterns("__pycache__")
            )
        else:
            shutil.copy2(REPO / name, source / name)
    pip("wheel", "--no-deps", "--no-cache-dir", "--wheel-dir", "dist", ".", cwd=source)
    (built,) = (source / "dist").glob("*.whl")
    return built


@pytest.fixture
def installed(wheel: Path, tmp_path: Path) -> Path:
    target = tmp_path / "site"
    pip("install", "--no-deps", "--no-index", "--target", target, wheel, cwd=tmp_path)
    return target


def installed_kiosk(target: Path, *args: str, data_dir: Path) -> subprocess.CompletedProcess[str]:
    """The installed console script, run from outside the checkout so only the wheel's
    `kiosk` package can be imported."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("KIOSK")}
    env.update(
        PYTHONPATH=str(target),
        KIOSK_CONFIG=str(data_dir / "no-such-config.toml"),
        KIOSK_SYSTEM_CONFIG=str(data_dir / "no-such-system-config.toml"),
        KIOSK_DATA_DIR=str(data_dir),
    )
    return subprocess.run(
        [sys.executable, str(target / "bin" / "kiosk"), *args],
        cwd=data_dir,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def files_under(root: Path) -> Sequence[str]:
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())


def test_the_wheel_holds_the_sample_packs(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    inside = sorted(n.removeprefix("kiosk/sample_topics/") for n in names if "sample_topics/" in n)
    assert inside == files_under(REPO / "topics")


def test_the_installed_kiosk_finds_the_sample_topics(installed: Path, tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    where = subprocess.run(
        [sys.executable, "-c", "import kiosk; print(kiosk.__file__)"],
        cwd=data_dir,
        env={**os.environ, "PYTHONPATH": str(installed)},
        capture_output=True,
        text=True,
        check=True,
    )
    assert Path(where.stdout.strip()).is_relative_to(installed)

    result = installed_kiosk(installed, "search", "smoking", data_dir=data_dir)
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout.splitlines()[:1] == ["quitting-smoking\tQuitting Smoking"]


def test_a_missing_sample_folder_is_named_in_one_line(installed: Path, tmp_path: Path) -> None:
    samples = installed / "kiosk" / "sample_topics"
    shutil.rmtree(samples, ignore_errors=True)  # an install that lost them
    data_dir = tmp_path / "data"
    data_dir.mkdir()

    result = installed_kiosk(installed, "search", "smoking", data_dir=data_dir)
    assert (result.returncode, result.stdout) == (0, "")
    assert result.stderr == (
        f"kiosk: the sample topics are missing: there is no folder {samples}\n"
    )
