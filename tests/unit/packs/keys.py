"""Signing keys for the pack tests: real minisign key files, made once per module."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from kiosk.packs.signing import generate_keypair


@dataclass(frozen=True)
class Key:
    pub: str  # the base64 line, as a kiosk's trusted_keys hold it
    key_file: Path
    key_id: str  # as the .pub file's comment names it


@dataclass(frozen=True)
class Keys:
    publisher: Key
    stranger: Key


def make_key(prefix: Path) -> Key:
    """An unencrypted key pair (no scrypt: fast)."""
    generate_keypair(prefix, None)
    comment, line = prefix.with_name(prefix.name + ".pub").read_text().splitlines()
    return Key(line, prefix.with_name(prefix.name + ".key"), comment.rsplit(" ", 1)[1])
