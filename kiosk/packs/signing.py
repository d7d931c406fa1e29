"""minisign signatures over delivery archives, readable and writable by the `minisign` tool.

The cryptography and the file formats are py-minisign's (Ed25519 from `cryptography`, scrypt
for password-protected keys); this module decides policy: which keys are trusted, that a
revoked key never is, that packs are signed prehashed (minisign's default), and which one line
staff read when a signature fails. It never prints key material.

Key IDs are shown as minisign shows them: the 8 ID bytes read as a little-endian number, in
upper-case hex. (py-minisign's own comments print the bytes in file order, which would name a
different ID than `minisign` does for the same key, so this module writes its own comments.)
"""

from __future__ import annotations

import base64
import binascii
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk.content.model import OneLineError

if TYPE_CHECKING:
    import minisign

# minisign's own scrypt cost for new keys (libsodium's "sensitive" limits: 1 GiB, a few
# seconds), so a stolen key file is as hard to open as one made by `minisign -G`.
KEY_OPSLIMIT = 33_554_432
KEY_MEMLIMIT = 1_073_741_824

SIGNATURE_SUFFIX = ".minisig"
MAX_SIGNATURE_BYTES = 16 * 1024
_UNTRUSTED = "untrusted comment: "
_SIGNATURE_COMMENT = "signature from minisign secret key"
_PUBLIC_KEY_BYTES = 42  # "Ed" + 8-byte key ID + 32-byte Ed25519 key


class SignatureError(OneLineError):
    """A signature, key or key file that cannot be used; str() is one line for staff."""


@dataclass(frozen=True, slots=True)
class Signature:
    """A good signature: whose key made it, and the comment it vouches for."""

    key_id: str
    trusted_comment: str


def key_id_text(raw: bytes) -> str:
    """The 8 key-ID bytes as `minisign` prints them (little-endian, upper-case hex)."""
    return raw[::-1].hex().upper()


def _decode(line: str, length: int) -> bytes | None:
    try:
        raw = base64.b64decode(line.strip(), validate=True)
    except (binascii.Error, ValueError):
        return None
    return raw if len(raw) == length else None


def key_id_of(key_line: str) -> str:
    """The ID of a public key given as its base64 line; SignatureError if it is not one."""
    raw = _decode(key_line, _PUBLIC_KEY_BYTES)
    if raw is None or raw[:2] != b"Ed":
        raise SignatureError(f"'{_short(key_line)}' is not a minisign public key")
    return key_id_text(raw[2:10])


def _short(text: str) -> str:
    text = text.strip()
    return text if len(text) <= 24 else text[:20] + "..."


def public_key_line(pub_file_text: str) -> str:
    """The base64 line of a `.pub` file (what the kiosk's trusted_keys hold).

    A bare key line is accepted too, so staff can paste either."""
    lines = [line.strip() for line in pub_file_text.splitlines() if line.strip()]
    if lines and lines[0].startswith(_UNTRUSTED):
        lines = lines[1:]
    if len(lines) != 1:
        raise SignatureError("this is not a minisign public key file")
    key_id_of(lines[0])
    return lines[0]


def _load_keys(lines: Sequence[str], kind: str) -> dict[str, minisign.PublicKey]:
    import minisign  # here, not at the top: it loads cryptography, which the kiosk
    # needs only when a pack is checked or signed, not to start

    keys: dict[str, minisign.PublicKey] = {}
    for line in lines:
        try:
            key_id = key_id_of(line)
            keys[key_id] = minisign.PublicKey.from_base64(line.strip())
        except (SignatureError, minisign.Error):
            raise SignatureError(
                f"the {kind} key '{_short(line)}' is not a minisign public key"
            ) from None
    return keys


def verify_bytes(
    data: bytes,
    signature_text: str,
    trusted_keys: Sequence[str],
    revoked_keys: Sequence[str] = (),
) -> Signature:
    """Check that `signature_text` (a .minisig file) signs `data` with a trusted key.

    Verifying bytes already in memory, rather than a path, means what was checked is exactly
    what gets unzipped: a stick cannot swap the file in between. A revoked key is refused even
    when it is also listed as trusted."""
    import minisign

    try:
        text = signature_text.encode("utf-8")
        parsed = minisign.Signature.from_bytes(text)
    except (minisign.Error, UnicodeError):
        raise SignatureError("the signature file is damaged") from None
    # from_bytes has checked the second line: algorithm, 8-byte key ID, 64-byte signature.
    key_id = key_id_text(base64.b64decode(text.splitlines()[1])[2:10])
    revoked = _load_keys(revoked_keys, "revoked")
    trusted = _load_keys(trusted_keys, "trusted")
    if key_id in revoked:
        raise SignatureError(f"signed by a revoked key (ID {key_id})")
    key = trusted.get(key_id)
    if key is None:
        raise SignatureError(f"signed by an unknown key (ID {key_id})")
    try:
        key.verify(data, parsed)
    except minisign.Error:
        raise SignatureError("the signature does not match the file") from None
    return Signature(key_id=key_id, trusted_comment=parsed.trusted_comment)


def verify_file(
    path: Path,
    signature_text: str,
    trusted_keys: Sequence[str],
    revoked_keys: Sequence[str] = (),
) -> Signature:
    """verify_bytes() for a file that nobody else can change while it is read."""
    return verify_bytes(path.read_bytes(), signature_text, trusted_keys, revoked_keys)


def _write_new(path: Path, text: str, mode: int) -> None:
    """Create `path` (never overwrite: a lost secret key cannot be made again) and flush it."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())


def generate_keypair(prefix: Path, password: str | None) -> None:
    """Write PREFIX.pub and PREFIX.key in minisign's formats. `password` None leaves the secret
    key unencrypted (like `minisign -G -W`), for a signing machine that is itself locked away."""
    import minisign

    pub_file = prefix.with_name(prefix.name + ".pub")
    key_file = prefix.with_name(prefix.name + ".key")
    for path in (pub_file, key_file):
        if path.exists():
            raise SignatureError(f"{path} already exists; it is not replaced")
    if password == "":
        raise SignatureError("the password is empty")
    pair = minisign.KeyPair.generate()
    with pair.secret_key as secret:
        if password is not None:
            secret.encrypt(password, opslimit=KEY_OPSLIMIT, memlimit=KEY_MEMLIMIT)
        secret_line = secret.to_base64().decode("ascii")
    public_line = pair.public_key.to_base64().decode("ascii")
    key_id = key_id_of(public_line)
    state = "encrypted " if password is not None else ""
    _write_new(key_file, f"{_UNTRUSTED}minisign {state}secret key\n{secret_line}\n", 0o600)
    _write_new(pub_file, f"{_UNTRUSTED}minisign public key {key_id}\n{public_line}\n", 0o644)


def _read_secret_key(key_file: Path) -> minisign.SecretKey:
    import minisign

    try:
        return minisign.SecretKey.from_bytes(key_file.read_bytes().strip())
    except OSError as error:
        raise SignatureError(f"cannot read {key_file} ({error.strerror})") from None
    except minisign.Error:
        raise SignatureError(f"{key_file} is not a minisign secret key") from None


def key_is_encrypted(key_file: Path) -> bool:
    """Whether signing with `key_file` needs its password (so a command knows to ask)."""
    with _read_secret_key(key_file) as secret:
        return secret.is_encrypted()


def sign_bytes(data: bytes, key_file: Path, password: str | None, trusted_comment: str) -> str:
    """The text of a .minisig file signing `data`, prehashed as `minisign -S` signs."""
    import minisign

    with _read_secret_key(key_file) as secret:
        if secret.is_encrypted():
            if password is None:
                raise SignatureError(f"{key_file} is protected by a password; give it")
            try:
                secret.decrypt(password)
            except minisign.Error:
                raise SignatureError(f"wrong password for {key_file}") from None
        try:
            signed = secret.sign(
                data,
                prehash=True,
                untrusted_comment=_SIGNATURE_COMMENT,
                trusted_comment=trusted_comment,
            )
        except minisign.Error:
            raise SignatureError(
                "the trusted comment must be one line of printable ASCII text"
            ) from None
    return bytes(signed).decode("ascii") + "\n"


def sign_file(path: Path, key_file: Path, password: str | None, trusted_comment: str) -> Path:
    """Write PATH.minisig beside `path`; it replaces an older signature all at once."""
    text = sign_bytes(path.read_bytes(), key_file, password, trusted_comment)
    out = path.with_name(path.name + SIGNATURE_SUFFIX)
    partial = out.with_name(out.name + ".partial")
    partial.write_text(text, encoding="ascii")
    os.replace(partial, out)
    return out
