"""Topic pack signatures against the real Debian `minisign`, both ways, and the `kiosk pack`
build -> keygen -> sign -> inspect commands as IT staff run them.

Password-protected keys cost minisign's full scrypt (a few seconds, by design), so the keys are
made once for the module.
"""

from __future__ import annotations

import os
import pty
import re
import select
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from kiosk.packs.delivery import PackRefused, Trust, verify_archive
from kiosk.packs.signing import public_key_line

pytestmark = pytest.mark.skipif(shutil.which("minisign") is None, reason="needs minisign")

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "topics" / "sample-en"
PACK = "org.waitingroom.sample-en-1.topicpack"
COMMENT = "topicpack id=org.waitingroom.sample-en version=1"
PASSWORD = "correct horse battery staple"


def run_kiosk(
    *args: str | Path, cwd: Path, password: str | None = None, stdin: int | None = None
) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KIOSK")}
    env.update(
        KIOSK_CONFIG=str(cwd / "no-such-config.toml"),
        KIOSK_SYSTEM_CONFIG=str(cwd / "no-such-system-config.toml"),
        KIOSK_DATA_DIR=str(cwd / "data"),
        PYTHONPATH=str(REPO),
    )
    if password is not None:
        env["KIOSK_KEY_PASSWORD"] = password
    return subprocess.run(
        [sys.executable, "-m", "kiosk.cli", *map(str, args)],
        cwd=cwd,
        env=env,
        stdin=subprocess.DEVNULL if stdin is None else stdin,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def minisign(*args: str | Path, password: str | None = None) -> subprocess.CompletedProcess[str]:
    """minisign reads a key's password from stdin when stdin is not a terminal."""
    return subprocess.run(
        ["minisign", *map(str, args)],
        input=f"{password}\n" if password is not None else "",
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@dataclass(frozen=True)
class KeyFiles:
    pub: Path
    key: Path
    key_id: str  # as the .pub file's own comment names it
    password: str | None

    @property
    def line(self) -> str:
        return public_key_line(self.pub.read_text())


@dataclass(frozen=True)
class AllKeys:
    minisign: KeyFiles  # made by `minisign -G -W`
    kiosk_locked: KeyFiles  # made by `kiosk pack keygen` (password from KIOSK_KEY_PASSWORD)
    kiosk_open: KeyFiles  # made by `kiosk pack keygen --unencrypted`


def _key_files(prefix: Path, password: str | None) -> KeyFiles:
    pub = prefix.with_name(prefix.name + ".pub")
    comment = pub.read_text().splitlines()[0]
    found = re.fullmatch(r"untrusted comment: minisign public key ([0-9A-F]{16})", comment)
    assert found, comment
    return KeyFiles(pub, prefix.with_name(prefix.name + ".key"), found.group(1), password)


@pytest.fixture(scope="module")
def keys(tmp_path_factory: pytest.TempPathFactory) -> AllKeys:
    where = tmp_path_factory.mktemp("keys")
    made = minisign("-G", "-W", "-p", where / "ms.pub", "-s", where / "ms.key")
    assert made.returncode == 0, made.stderr
    locked = run_kiosk("pack", "keygen", "-o", where / "locked", cwd=where, password=PASSWORD)
    assert locked.returncode == 0, locked.stderr
    opened = run_kiosk("pack", "keygen", "-o", where / "open", "--unencrypted", cwd=where)
    assert opened.returncode == 0, opened.stderr
    return AllKeys(
        _key_files(where / "ms", None),
        _key_files(where / "locked", PASSWORD),
        _key_files(where / "open", None),
    )


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    where = tmp_path_factory.mktemp("built")
    result = run_kiosk("pack", "build", SAMPLE, "-o", where, cwd=where)
    assert (result.returncode, result.stdout, result.stderr) == (0, f"{where / PACK}\n", "")
    return where / PACK


@pytest.fixture
def pack(built: Path, tmp_path: Path) -> Path:
    """A fresh copy of the built sample pack, as it would sit on a stick."""
    copy = tmp_path / PACK
    shutil.copyfile(built, copy)
    return copy


SAMPLE_TOPICS = len(list((SAMPLE / "topics").glob("*.md")))


# --- minisign signs, the kiosk verifies -----------------------------------------------------


def test_pack_signed_by_minisign_verifies_in_the_kiosk(pack: Path, keys: AllKeys) -> None:
    signed = minisign("-S", "-W", "-s", keys.minisign.key, "-m", pack, "-t", COMMENT)
    assert signed.returncode == 0, signed.stderr
    verified = verify_archive(pack, Trust(trusted_keys=(keys.minisign.line,)))
    assert verified.signer == keys.minisign.key_id, "the key ID minisign printed"
    assert verified.manifest.id == "org.waitingroom.sample-en"
    assert verified.topic_count == SAMPLE_TOPICS


def test_minisign_signature_without_the_pack_comment_is_refused(pack: Path, keys: AllKeys) -> None:
    """minisign's default trusted comment (a timestamp and the file name) does not say which
    pack and version the publisher meant to sign."""
    signed = minisign("-S", "-W", "-s", keys.minisign.key, "-m", pack)
    assert signed.returncode == 0, signed.stderr
    with pytest.raises(PackRefused) as caught:
        verify_archive(pack, Trust(trusted_keys=(keys.minisign.line,)))
    assert str(caught.value) == (
        "the signature does not name the pack "
        "(its trusted comment should say 'topicpack id=... version=...')"
    )


# --- the kiosk signs, minisign verifies -----------------------------------------------------


@pytest.mark.parametrize("which", ["kiosk_locked", "kiosk_open"])
def test_pack_signed_by_kiosk_verifies_with_minisign(
    pack: Path, keys: AllKeys, tmp_path: Path, which: str
) -> None:
    key: KeyFiles = getattr(keys, which)
    signed = run_kiosk("pack", "sign", pack, "--key", key.key, cwd=tmp_path, password=key.password)
    assert (signed.returncode, signed.stdout, signed.stderr) == (0, f"{pack}.minisig\n", "")

    by_line = minisign("-V", "-m", pack, "-P", key.line)
    assert by_line.returncode == 0, by_line.stderr
    assert f"Trusted comment: {COMMENT}" in by_line.stdout
    by_file = minisign("-V", "-m", pack, "-p", key.pub)  # the kiosk's .pub file loads too
    assert by_file.returncode == 0, by_file.stderr


def test_tampered_pack_fails_in_both(pack: Path, keys: AllKeys, tmp_path: Path) -> None:
    signed = run_kiosk("pack", "sign", pack, "--key", keys.kiosk_open.key, cwd=tmp_path)
    assert signed.returncode == 0, signed.stderr
    data = bytearray(pack.read_bytes())
    data[len(data) // 2] ^= 0x01
    pack.write_bytes(bytes(data))

    assert minisign("-V", "-m", pack, "-P", keys.kiosk_open.line).returncode != 0
    with pytest.raises(PackRefused) as caught:
        verify_archive(pack, Trust(trusted_keys=(keys.kiosk_open.line,)))
    assert str(caught.value) == "the signature does not match the file"


# --- keys made by the kiosk work in minisign ------------------------------------------------


@pytest.mark.parametrize("which", ["kiosk_locked", "kiosk_open"])
def test_kiosk_keys_sign_in_minisign(pack: Path, keys: AllKeys, which: str) -> None:
    key: KeyFiles = getattr(keys, which)
    plain = [] if key.password else ["-W"]
    signed = minisign("-S", *plain, "-s", key.key, "-m", pack, "-t", COMMENT, password=key.password)
    assert signed.returncode == 0, signed.stderr
    verified = verify_archive(pack, Trust(trusted_keys=(key.line,)))
    assert verified.signer == key.key_id


def test_kiosk_keygen_says_what_it_wrote(keys: AllKeys) -> None:
    assert keys.kiosk_locked.key.read_text().startswith(
        "untrusted comment: minisign encrypted secret key\n"
    )
    assert (keys.kiosk_open.key.stat().st_mode & 0o777) == 0o600
    assert keys.kiosk_locked.key_id != keys.kiosk_open.key_id


# --- the CLI flow -----------------------------------------------------------------------------


def test_build_sign_inspect(tmp_path: Path, keys: AllKeys) -> None:
    built = run_kiosk("pack", "build", SAMPLE, "-o", tmp_path / "out.topicpack", cwd=tmp_path)
    assert (built.returncode, built.stderr) == (0, "")
    archive = Path(built.stdout.strip())
    assert archive == tmp_path / "out.topicpack"

    signed = run_kiosk("pack", "sign", archive, "--key", keys.kiosk_open.key, cwd=tmp_path)
    assert (signed.returncode, signed.stderr) == (0, "")

    inspected = run_kiosk(
        "pack", "inspect", archive, "--trusted-key", keys.kiosk_open.pub, cwd=tmp_path
    )
    assert (inspected.returncode, inspected.stderr) == (0, "")
    assert inspected.stdout.splitlines() == [
        "File:       out.topicpack",
        "Pack:       org.waitingroom.sample-en",
        "Version:    1",
        "Title:      Sample health topics (English)",
        "Publisher:  Waiting-room kiosk project (sample content)",
        "Languages:  en",
        f"Topics:     {SAMPLE_TOPICS}",
        f"Signature:  good, by key ID {keys.kiosk_open.key_id}",
        "Result:     can be installed",
    ]

    by_line = run_kiosk(
        "pack", "inspect", archive, "--trusted-key", keys.kiosk_open.line, cwd=tmp_path
    )
    assert by_line.returncode == 0, by_line.stderr

    stranger = run_kiosk(
        "pack", "inspect", archive, "--trusted-key", keys.minisign.line, cwd=tmp_path
    )
    reason = f"signed by an unknown key (ID {keys.kiosk_open.key_id})"
    assert stranger.returncode == 1
    assert stranger.stderr == f"kiosk: out.topicpack: refused: {reason}\n"
    assert stranger.stdout.splitlines()[-2:] == [
        f"Signature:  {reason}",
        f"Result:     refused: {reason}",
    ]


def test_keygen_prints_the_public_key(tmp_path: Path) -> None:
    result = run_kiosk("pack", "keygen", "-o", tmp_path / "clinic", "--unencrypted", cwd=tmp_path)
    assert (result.returncode, result.stderr) == (0, "")
    comment, line = (tmp_path / "clinic.pub").read_text().splitlines()
    key_id = comment.rsplit(" ", 1)[1]
    assert result.stdout.splitlines() == [
        f"wrote {tmp_path / 'clinic.pub'} and {tmp_path / 'clinic.key'} "
        "(NOT protected by a password; keep it secret)",
        f"key ID {key_id}; the public key, for the kiosks' [packs] trusted_keys:",
        line,
    ]


# --- refusals: one line on stderr -------------------------------------------------------------


def test_keygen_never_writes_over_a_key(tmp_path: Path, keys: AllKeys) -> None:
    prefix = keys.kiosk_open.key.with_suffix("")
    before = keys.kiosk_open.key.read_bytes()
    result = run_kiosk("pack", "keygen", "-o", prefix, "--unencrypted", cwd=tmp_path)
    assert (result.returncode, result.stdout, result.stderr) == (
        1,
        "",
        f"kiosk: {prefix}.pub already exists; it is not replaced\n",
    )
    assert keys.kiosk_open.key.read_bytes() == before


def test_keygen_with_an_empty_password(tmp_path: Path) -> None:
    result = run_kiosk("pack", "keygen", "-o", tmp_path / "k", cwd=tmp_path, password="")
    assert (result.returncode, result.stderr) == (
        1,
        "kiosk: the password is empty (use --unencrypted for a key without one)\n",
    )
    assert not (tmp_path / "k.key").exists()


def test_keygen_without_a_terminal_or_password(tmp_path: Path) -> None:
    result = run_kiosk("pack", "keygen", "-o", tmp_path / "k", cwd=tmp_path)
    assert (result.returncode, result.stderr) == (
        1,
        "kiosk: no password: set KIOSK_KEY_PASSWORD or run this in a terminal\n",
    )


def test_sign_with_a_locked_key_and_no_password(pack: Path, keys: AllKeys, tmp_path: Path) -> None:
    result = run_kiosk("pack", "sign", pack, "--key", keys.kiosk_locked.key, cwd=tmp_path)
    assert (result.returncode, result.stderr) == (
        1,
        "kiosk: no password: set KIOSK_KEY_PASSWORD or run this in a terminal\n",
    )
    assert not Path(f"{pack}.minisig").exists()


def test_sign_something_that_is_not_a_pack(tmp_path: Path, keys: AllKeys) -> None:
    junk = tmp_path / "junk.topicpack"
    junk.write_text("not a zip")
    result = run_kiosk("pack", "sign", junk, "--key", keys.kiosk_open.key, cwd=tmp_path)
    assert (result.returncode, result.stdout, result.stderr) == (
        1,
        "",
        "kiosk: junk.topicpack: the file is not a topic pack (not a zip archive, or cut short)\n",
    )
    assert not (tmp_path / "junk.topicpack.minisig").exists()


def test_sign_with_a_public_key(pack: Path, keys: AllKeys, tmp_path: Path) -> None:
    result = run_kiosk("pack", "sign", pack, "--key", keys.kiosk_open.pub, cwd=tmp_path)
    assert (result.returncode, result.stderr) == (
        1,
        f"kiosk: {keys.kiosk_open.pub} is not a minisign secret key\n",
    )


def test_build_a_folder_that_does_not_validate(tmp_path: Path) -> None:
    folder = tmp_path / "draft"
    (folder / "topics").mkdir(parents=True)
    (folder / "pack.toml").write_text((SAMPLE / "pack.toml").read_text())
    (folder / "topics" / "a.md").write_text(
        '+++\nid = "a"\ntitle = "A"\ncategory = "Tests"\nlanguage = "en"\n+++\n\n'
        "## Part one\n\n[Click here](javascript:alert(1)) or <a href='x'>here</a>.\n"
    )
    result = run_kiosk("pack", "build", folder, "-o", tmp_path, cwd=tmp_path)
    assert (result.returncode, result.stdout, result.stderr) == (
        1,
        "",
        f"kiosk: {folder} does not validate: draft/topics/a.md:10: link 'javascript:alert(1)' "
        "is not allowed: links must be topic:ID (and 2 more)\n",
    )
    assert not list(tmp_path.glob("*.topicpack"))


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["inspect", PACK, "--trusted-key", "not-a-key"],
            "kiosk: --trusted-key not-a-key: 'not-a-key' is not a minisign public key",
        ),
        (
            ["sign", PACK],
            "kiosk pack sign: the following arguments are required: --key "
            "(see 'kiosk pack sign --help')",
        ),
        (
            ["build", "topics/sample-en"],
            "kiosk pack build: the following arguments are required: -o/--output "
            "(see 'kiosk pack build --help')",
        ),
    ],
    ids=["bad-key", "sign-without-key", "build-without-output"],
)
def test_usage_errors(tmp_path: Path, args: list[str], message: str) -> None:
    result = run_kiosk("pack", *args, cwd=tmp_path)
    assert (result.returncode, result.stdout, result.stderr) == (2, "", message + "\n")


def test_keygen_asks_twice_on_a_terminal(tmp_path: Path) -> None:
    """The password prompt, on a real terminal (a pty): two different answers write nothing."""
    controller, terminal = pty.openpty()
    # The child makes the pty its controlling terminal, as a login shell would, so getpass
    # reads /dev/tty with echo off.
    take_terminal = (
        "import os, sys; os.close(os.open(os.ttyname(0), os.O_RDWR)); "
        "os.execv(sys.executable, [sys.executable, '-m', 'kiosk.cli', *sys.argv[1:]])"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("KIOSK")}
    env.update(PYTHONPATH=str(REPO), KIOSK_CONFIG=str(tmp_path / "none.toml"))
    child = subprocess.Popen(
        [sys.executable, "-c", take_terminal, "pack", "keygen", "-o", str(tmp_path / "k")],
        stdin=terminal,
        stdout=terminal,
        stderr=terminal,
        cwd=tmp_path,
        env=env,
        start_new_session=True,
    )
    os.close(terminal)
    seen = b""

    def read_until(text: bytes) -> None:
        nonlocal seen
        while text not in seen:
            ready, _, _ = select.select([controller], [], [], 30)
            assert ready, f"no {text!r} on the terminal; it shows {seen!r}"
            try:
                chunk = os.read(controller, 1024)
            except OSError:  # the child closed the terminal
                chunk = b""
            assert chunk, f"no {text!r} on the terminal; it shows {seen!r}"
            seen += chunk

    try:
        read_until(b"Password for the secret key: ")
        os.write(controller, b"first try\n")
        read_until(b"The same password again: ")
        os.write(controller, b"second try\n")
        read_until(b"nothing was written")
        assert child.wait(timeout=30) == 1
    finally:
        child.kill()
        child.wait()
        os.close(controller)
    assert b"first try" not in seen, "the password is not echoed"
    assert seen.decode().splitlines()[-1] == "kiosk: the two passwords differ; nothing was written"
    assert not list(tmp_path.glob("k.*"))
