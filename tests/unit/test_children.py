"""The command lines and environment the kiosk starts its children with, from a checkout and
from a frozen bundle. The real processes are started in tests/e2e/test_children.py."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from kiosk.children import child_command, child_env, child_main

REPO = Path(__file__).resolve().parents[2]


def test_from_a_virtualenv_the_child_is_the_kiosk_package_run_by_this_python(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delattr(sys, "frozen", raising=False)
    monkeypatch.setenv("PYTHONPATH", "/elsewhere")
    command = [sys.executable, "-m", "kiosk", "_child", "indexer", "--cache", "x"]
    assert child_command("indexer", "--cache", "x") == command
    env = child_env()
    assert env["PYTHONPATH"].split(os.pathsep) == [str(REPO), "/elsewhere"]
    assert env["PYTHONIOENCODING"] == "utf-8"


def test_from_a_frozen_bundle_the_child_is_the_bundle_itself(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", "/opt/kiosk/kiosk")
    monkeypatch.delenv("PYTHONPATH", raising=False)
    assert child_command("speech") == ["/opt/kiosk/kiosk", "_child", "speech"]
    env = child_env()
    assert "PYTHONPATH" not in env and env["PYTHONIOENCODING"] == "utf-8"


@pytest.mark.parametrize("argv", [["no-such-child", "--x"], []])
def test_an_unknown_child_is_refused_in_one_line(
    argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert child_main(argv) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert len(err.splitlines()) == 1 and "speech, indexer" in err
