"""The staff PIN: stored as a scrypt hash, with a lockout that grows after wrong guesses.

The lockout survives restarts (it lives in the data dir beside the hash), so pulling the
plug does not buy a patient more guesses. Pure Python; the clock is passed in for tests.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from dataclasses import dataclass
from pathlib import Path

from kiosk.library.durable import write_file

# scrypt cost: ~50 ms on the kiosk's CPU, so guessing is slow even without the lockout.
_N, _R, _P = 2**14, 8, 1
FREE_TRIES = 3  # wrong PINs before the first lockout
FIRST_LOCK_S = 30
MAX_LOCK_S = 3600
MIN_DIGITS, MAX_DIGITS = 4, 12


class PinError(Exception):
    """A PIN that cannot be set (too short, not digits): one line for staff."""


@dataclass(frozen=True, slots=True)
class PinCheck:
    ok: bool
    message: str  # what the keypad shows
    locked_for_s: int = 0


def _hash(pin: str, salt: bytes) -> bytes:
    return hashlib.scrypt(pin.encode(), salt=salt, n=_N, r=_R, p=_P, dklen=32)


class PinStore:
    def __init__(self, path: Path) -> None:
        self.path = path

    def _read(self) -> dict[str, object]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    def _write(self, data: dict[str, object]) -> None:
        # Readable by the kiosk's user only: the hash is slow to guess, not impossible.
        write_file(self.path, json.dumps(data).encode("utf-8"), mode=0o600)

    @property
    def is_set(self) -> bool:
        return isinstance(self._read().get("hash"), str)

    def set_pin(self, pin: str) -> None:
        if not pin.isdigit() or not MIN_DIGITS <= len(pin) <= MAX_DIGITS:
            raise PinError(f"the PIN must be {MIN_DIGITS} to {MAX_DIGITS} digits")
        salt = secrets.token_bytes(16)
        self._write(
            {"salt": salt.hex(), "hash": _hash(pin, salt).hex(), "failures": 0, "locked_until": 0.0}
        )

    def check(self, pin: str, now: float) -> PinCheck:
        data = self._read()
        stored, salt = data.get("hash"), data.get("salt")
        if not isinstance(stored, str) or not isinstance(salt, str):
            return PinCheck(False, "No staff PIN is set. Set one with: kiosk staff set-pin")
        locked_until = float(data.get("locked_until", 0.0))  # type: ignore[arg-type]
        if now < locked_until:
            wait = int(locked_until - now) + 1
            return PinCheck(False, f"Too many wrong PINs. Try again in {_duration(wait)}.", wait)
        if hmac.compare_digest(_hash(pin, bytes.fromhex(salt)).hex(), stored):
            data.update(failures=0, locked_until=0.0)
            self._write(data)
            return PinCheck(True, "")
        failures = int(data.get("failures", 0)) + 1  # type: ignore[call-overload]
        data["failures"] = failures
        if failures >= FREE_TRIES:
            lock = min(MAX_LOCK_S, FIRST_LOCK_S * 2 ** (failures - FREE_TRIES))
            data["locked_until"] = now + lock
            self._write(data)
            return PinCheck(False, f"Wrong PIN. Try again in {_duration(lock)}.", lock)
        self._write(data)
        left = FREE_TRIES - failures
        return PinCheck(False, f"Wrong PIN. {left} {'try' if left == 1 else 'tries'} left.")


def _duration(seconds: int) -> str:
    if seconds < 120:
        return f"{seconds} seconds"
    return f"{-(-seconds // 60)} minutes"
