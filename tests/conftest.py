"""Shared by every test directory."""

from kiosk.cli import quiet_qt_audio_probe

quiet_qt_audio_probe()
