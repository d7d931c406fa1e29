"""minisign keys and signatures made and checked in-process (tests/e2e/test_minisign_interop.py
checks the same files against the real `minisign` tool).

New password-protected keys cost minisign's full scrypt (about 3 s, by design), so these tests
make their password-protected key with a cheap scrypt cost of its own: the key file records
its cost, and the code that opens it is the same.
"""

from __future__ import annotations

import base64
import stat
from collections.abc import Callable
from pathlib import Path

import minisign
import pytest

from kiosk.packs.signing import (
    KEY_MEMLIMIT,
    KEY_OPSLIMIT,
    Signature,
    SignatureError,
    generate_keypair,
    key_id_of,
    key_is_encrypted,
    public_key_line,
    sign_bytes,
    sign_file,
    verify_bytes,
    verify_file,
)
from tests.unit.packs.keys import Key, Keys

DATA = b"the bytes of a topic pack archive\n" * 100
COMMENT = "topicpack id=org.example.test version=3"


@pytest.fixture(scope="module")
def locked(tmp_path_factory: pytest.TempPathFactory) -> Key:
    """A password-protected key ("secret") in minisign's format, with a cheap scrypt cost."""
    folder = tmp_path_factory.mktemp("locked")
    pair = minisign.KeyPair.generate()
    with pair.secret_key as secret:
        secret.encrypt("secret", opslimit=65_536, memlimit=16 * 1024 * 1024)
        (folder / "locked.key").write_bytes(bytes(secret) + b"\n")
    line = pair.public_key.to_base64().decode()
    return Key(line, folder / "locked.key", key_id_of(line))


def sign(key: Key, data: bytes = DATA, comment: str = COMMENT) -> str:
    return sign_bytes(data, key.key_file, None, comment)


# --- keys -----------------------------------------------------------------------------------


def test_new_key_files_in_minisign_format(keys: Keys) -> None:
    key = keys.publisher
    pub_text = key.key_file.with_suffix(".pub").read_text()
    assert pub_text == f"untrusted comment: minisign public key {key.key_id}\n{key.pub}\n"
    raw = base64.b64decode(key.pub)
    assert raw[:2] == b"Ed" and len(raw) == 42
    # minisign prints the 8 ID bytes as one little-endian number.
    assert key.key_id == raw[2:10][::-1].hex().upper()
    secret_lines = key.key_file.read_text().splitlines()
    assert secret_lines[0] == "untrusted comment: minisign secret key"
    assert base64.b64decode(secret_lines[1])[:6] == b"Ed\0\0B2", "unencrypted: no KDF"


def test_secret_key_is_readable_only_by_its_owner(keys: Keys) -> None:
    key = keys.publisher
    assert stat.S_IMODE(key.key_file.stat().st_mode) == 0o600
    assert not key_is_encrypted(key.key_file)


def test_new_key_is_never_written_over(keys: Keys) -> None:
    key = keys.publisher
    before = key.key_file.read_bytes()
    with pytest.raises(SignatureError) as caught:
        generate_keypair(key.key_file.with_suffix(""), None)
    assert (
        str(caught.value)
        == f"{key.key_file.with_suffix('.pub')} already exists; it is not replaced"
    )
    assert key.key_file.read_bytes() == before


def test_empty_password_is_refused(tmp_path: Path) -> None:
    with pytest.raises(SignatureError) as caught:
        generate_keypair(tmp_path / "k", "")
    assert str(caught.value) == "the password is empty"
    assert list(tmp_path.iterdir()) == []


def test_password_protected_key_uses_minisigns_scrypt_cost(tmp_path: Path) -> None:
    """One real keygen (about 3 s): the secret key is encrypted with scrypt at the cost
    `minisign -G` uses, so it is as hard to open as a key made by minisign."""
    generate_keypair(tmp_path / "k", "correct horse")
    lines = (tmp_path / "k.key").read_text().splitlines()
    assert lines[0] == "untrusted comment: minisign encrypted secret key"
    raw = base64.b64decode(lines[1])
    assert raw[:6] == b"EdScB2"
    assert int.from_bytes(raw[38:46], "little") == KEY_OPSLIMIT == 33_554_432
    assert int.from_bytes(raw[46:54], "little") == KEY_MEMLIMIT == 1024**3
    assert key_is_encrypted(tmp_path / "k.key")


def test_public_key_line_from_pub_file_or_bare_line(keys: Keys) -> None:
    key = keys.publisher
    pub_text = key.key_file.with_suffix(".pub").read_text()
    assert public_key_line(pub_text) == key.pub
    assert public_key_line(f"  {key.pub}  \n") == key.pub


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "this is not a minisign public key file"),
        ("untrusted comment: x\nRWQ\nRWQ\n", "this is not a minisign public key file"),
        ("untrusted comment: x\nnot base64!\n", "'not base64!' is not a minisign public key"),
        (
            "untrusted comment: x\n" + base64.b64encode(b"Ed" + bytes(10)).decode(),
            "'RWQAAAAAAAAAAAAA' is not a minisign public key",
        ),
    ],
    ids=["empty", "two-lines", "not-base64", "too-short"],
)
def test_not_a_public_key(text: str, message: str) -> None:
    with pytest.raises(SignatureError) as caught:
        public_key_line(text)
    assert str(caught.value) == message


def test_a_secret_key_is_not_a_public_key(keys: Keys) -> None:
    key = keys.publisher
    with pytest.raises(SignatureError):
        public_key_line(key.key_file.read_text())


# --- signing and verifying ------------------------------------------------------------------


def test_signature_file_as_minisign_writes_it(keys: Keys) -> None:
    key = keys.publisher
    lines = sign(key).splitlines()
    assert lines[0] == "untrusted comment: signature from minisign secret key"
    raw = base64.b64decode(lines[1])
    assert raw[:2] == b"ED", "prehashed (BLAKE2b-512), minisign's default"
    assert raw[2:10][::-1].hex().upper() == key.key_id
    assert lines[2] == f"trusted comment: {COMMENT}"
    assert len(base64.b64decode(lines[3])) == 64
    assert len(lines) == 4


def test_good_signature(keys: Keys) -> None:
    key, other = keys.publisher, keys.stranger
    good = verify_bytes(DATA, sign(key), [other.pub, key.pub])
    assert good == Signature(key_id=key.key_id, trusted_comment=COMMENT)


def test_sign_file_and_verify_file(keys: Keys, tmp_path: Path) -> None:
    key = keys.publisher
    pack = tmp_path / "org.example.test-3.topicpack"
    pack.write_bytes(DATA)
    out = sign_file(pack, key.key_file, None, COMMENT)
    assert out == tmp_path / "org.example.test-3.topicpack.minisig"
    assert sorted(p.name for p in tmp_path.iterdir()) == [pack.name, out.name]
    good = verify_file(pack, out.read_text(), [key.pub])
    assert good.key_id == key.key_id


def test_unknown_key(keys: Keys) -> None:
    key, other = keys.publisher, keys.stranger
    with pytest.raises(SignatureError) as caught:
        verify_bytes(DATA, sign(other), [key.pub])
    assert str(caught.value) == f"signed by an unknown key (ID {other.key_id})"


def test_no_trusted_keys_at_all(keys: Keys) -> None:
    key = keys.publisher
    with pytest.raises(SignatureError) as caught:
        verify_bytes(DATA, sign(key), [])
    assert str(caught.value) == f"signed by an unknown key (ID {key.key_id})"


def test_revoked_key_wins_over_trusted(keys: Keys) -> None:
    key, other = keys.publisher, keys.stranger
    with pytest.raises(SignatureError) as caught:
        verify_bytes(DATA, sign(key), [key.pub, other.pub], revoked_keys=[key.pub])
    assert str(caught.value) == f"signed by a revoked key (ID {key.key_id})"


def test_one_flipped_byte_in_the_data(keys: Keys) -> None:
    key = keys.publisher
    flipped = bytearray(DATA)
    flipped[len(DATA) // 2] ^= 0x01
    with pytest.raises(SignatureError) as caught:
        verify_bytes(bytes(flipped), sign(key), [key.pub])
    assert str(caught.value) == "the signature does not match the file"


def _swap_char(line: str, at: int) -> str:
    return line[:at] + ("A" if line[at] != "A" else "B") + line[at + 1 :]


@pytest.mark.parametrize("line", [1, 3], ids=["file-signature", "comment-signature"])
def test_one_changed_character_in_the_signature(keys: Keys, line: int) -> None:
    key = keys.publisher
    lines = sign(key).splitlines()
    lines[line] = _swap_char(lines[line], 40)
    with pytest.raises(SignatureError) as caught:
        verify_bytes(DATA, "\n".join(lines) + "\n", [key.pub])
    assert str(caught.value) == "the signature does not match the file"


def test_changed_trusted_comment(keys: Keys) -> None:
    key = keys.publisher
    text = sign(key).replace("version=3", "version=9")
    with pytest.raises(SignatureError) as caught:
        verify_bytes(DATA, text, [key.pub])
    assert str(caught.value) == "the signature does not match the file"


@pytest.mark.parametrize(
    "damage",
    [
        lambda t: t[: len(t) // 2],
        lambda t: "\n".join(t.splitlines()[:3]) + "\n",
        lambda t: "",
        lambda t: t.replace("untrusted comment:", "comment:"),
        lambda t: t.replace("trusted comment: ", "trusted: "),
        lambda t: t + "one line too many\n",
        lambda t: "\n".join(line[:-4] if i == 1 else line for i, line in enumerate(t.splitlines())),
    ],
    ids=[
        "truncated",
        "last-line-missing",
        "empty",
        "no-untrusted",
        "no-trusted",
        "extra",
        "short-line",
    ],
)
def test_damaged_signature_file(keys: Keys, damage: Callable[[str], str]) -> None:
    key = keys.publisher
    with pytest.raises(SignatureError) as caught:
        verify_bytes(DATA, damage(sign(key)), [key.pub])
    assert str(caught.value) == "the signature file is damaged"


def test_bad_trusted_key_in_the_config_is_named(keys: Keys) -> None:
    key = keys.publisher
    with pytest.raises(SignatureError) as caught:
        verify_bytes(DATA, sign(key), [key.pub, "RWQnot-a-key"])
    assert str(caught.value) == "the trusted key 'RWQnot-a-key' is not a minisign public key"


def test_comment_must_be_one_printable_line(keys: Keys) -> None:
    key = keys.publisher
    with pytest.raises(SignatureError) as caught:
        sign(key, comment="topicpack id=x\nversion=1")
    assert str(caught.value) == "the trusted comment must be one line of printable ASCII text"


# --- password-protected keys ----------------------------------------------------------------


def test_sign_with_password(locked: Key) -> None:
    assert key_is_encrypted(locked.key_file)
    text = sign_bytes(DATA, locked.key_file, "secret", COMMENT)
    assert verify_bytes(DATA, text, [locked.pub]).key_id == locked.key_id


def test_wrong_password(locked: Key) -> None:
    with pytest.raises(SignatureError) as caught:
        sign_bytes(DATA, locked.key_file, "guess", COMMENT)
    assert str(caught.value) == f"wrong password for {locked.key_file}"


def test_no_password_for_a_protected_key(locked: Key) -> None:
    with pytest.raises(SignatureError) as caught:
        sign_bytes(DATA, locked.key_file, None, COMMENT)
    assert str(caught.value) == f"{locked.key_file} is protected by a password; give it"


def test_signing_with_something_that_is_not_a_key(keys: Keys, tmp_path: Path) -> None:
    key = keys.publisher
    pub_file = key.key_file.with_suffix(".pub")
    with pytest.raises(SignatureError) as caught:
        sign_bytes(DATA, pub_file, None, COMMENT)
    assert str(caught.value) == f"{pub_file} is not a minisign secret key"
    with pytest.raises(SignatureError) as caught:
        sign_bytes(DATA, tmp_path / "gone.key", None, COMMENT)
    assert str(caught.value) == f"cannot read {tmp_path / 'gone.key'} (No such file or directory)"
