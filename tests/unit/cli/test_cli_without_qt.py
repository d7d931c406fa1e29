"""The commands that open no window never load Qt: they start fast, and work on a machine with
no display and no Qt at all (this file also runs in the venv without PySide6)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[3]

RUN = """
import sys
from kiosk.cli import main
code = main(sys.argv[1:])
qt = ("PySide6", "shiboken6")
loaded = sorted(m for m, module in sys.modules.items() if module and m.split(".")[0] in qt)
print(code, loaded)
"""


@pytest.mark.parametrize(
    "command",
    [
        ["pack", "validate", "topics/sample-en"],
        ["search", "back", "pain"],
        ["library", "list"],
    ],
    ids=lambda command: command[0],
)
def test_a_command_without_a_window_loads_no_qt(command: list[str], tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KIOSK")}
    env.update(
        KIOSK_CONFIG=str(tmp_path / "none.toml"),
        KIOSK_SYSTEM_CONFIG=str(tmp_path / "none-system.toml"),
        KIOSK_DATA_DIR=str(tmp_path),
    )
    result = subprocess.run(
        [sys.executable, "-c", RUN, *command],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.stderr == ""
    assert result.stdout.splitlines()[-1] == "0 []"
