"""Waiting-room health kiosk."""
