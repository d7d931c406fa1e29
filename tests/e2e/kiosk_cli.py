"""The `kiosk` command as the e2e tests run it: a real child process, with a data dir of its
own, no config files, and no KIOSK_* variables from the machine running the tests."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

# pack.toml of an author's pack folder in progress (previewed with --pack).
AUTHORING_MANIFEST = """\
format = 1
id = "org.example.authoring"
version = 1
title = "Work in progress"
languages = ["en"]
publisher = "Example Clinic"
"""


def kiosk_env(data_dir: Path, env: Mapping[str, str] | None = None) -> dict[str, str]:
    """This machine's environment less its KIOSK_* settings: a data dir of its own, no config
    files, offscreen."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("KIOSK")}
    clean.update(
        QT_QPA_PLATFORM="offscreen",
        KIOSK_CONFIG=str(data_dir / "no-such-config.toml"),
        KIOSK_SYSTEM_CONFIG=str(data_dir / "no-such-system-config.toml"),
        KIOSK_DATA_DIR=str(data_dir),
        **(env or {}),
    )
    return clean


def run_kiosk(
    *args: str | Path, data_dir: Path, env: Mapping[str, str] | None = None, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kiosk.cli", *map(str, args)],
        cwd=REPO,
        env=kiosk_env(data_dir, env),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
