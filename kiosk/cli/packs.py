"""`kiosk pack validate|build|keygen|sign|inspect`: a pack from an author's folder to a signed
delivery archive, for authors and IT staff."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from kiosk.cli.exits import ExitCode, Refused
from kiosk.cli.options import Commands

PASSWORD_ENV = "KIOSK_KEY_PASSWORD"

Handler = Callable[[argparse.Namespace], int]


def add_commands(commands: Commands) -> None:
    pack = commands.add_parser("pack", help="work with topic packs")
    actions = pack.add_subparsers(dest="pack_command", metavar="ACTION", required=True)
    validate = actions.add_parser("validate", help="check a pack folder; one line per problem")
    validate.add_argument("folder", type=Path, metavar="DIR")
    validate.set_defaults(handler=validate_folder)

    build = actions.add_parser(
        "build", help="build a delivery archive (ID-VERSION.topicpack) from a pack folder"
    )
    build.add_argument("folder", type=Path, metavar="DIR")
    build.add_argument(
        "-o",
        "--output",
        required=True,
        type=Path,
        metavar="OUT",
        help="the archive to write, or a folder to write ID-VERSION.topicpack into",
    )
    build.set_defaults(handler=_refusing(build_pack))

    keygen = actions.add_parser(
        "keygen", help="make a signing key pair in minisign's formats: PREFIX.pub, PREFIX.key"
    )
    keygen.add_argument("-o", "--output", required=True, type=Path, metavar="PREFIX")
    keygen.add_argument(
        "--unencrypted",
        action="store_true",
        help="no password on the secret key (like minisign -W)",
    )
    keygen.set_defaults(handler=_refusing(make_keys))

    sign = actions.add_parser(
        "sign", help=f"sign an archive (writes PACK.minisig); password from {PASSWORD_ENV}"
    )
    sign.add_argument("archive", type=Path, metavar="PACK")
    sign.add_argument("--key", required=True, type=Path, metavar="PREFIX.key")
    sign.set_defaults(handler=_refusing(sign_pack))

    inspect = actions.add_parser(
        "inspect", help="what an archive is, who signed it, and whether it would install"
    )
    inspect.add_argument("archive", type=Path, metavar="PACK")
    inspect.add_argument(
        "--trusted-key",
        action="append",
        default=[],
        metavar="KEY",
        help="a public key to trust: its base64 line, or a .pub file (repeatable)",
    )
    inspect.add_argument(
        "--signature", type=Path, metavar="FILE", help="the signature (default: PACK.minisig)"
    )
    inspect.set_defaults(handler=_refusing(inspect_archive))


def validate_folder(args: argparse.Namespace) -> int:
    """Each problem is a line on stdout (a list to work through), not a refusal on stderr."""
    from kiosk.packs.folder import read_pack_folder

    folder: Path = args.folder
    contents = read_pack_folder(folder)
    for problem in contents.problems:
        print(problem)
    if contents.ok:
        count = len(contents.topics)
        print(f"{folder}: OK, {count} topic{'' if count == 1 else 's'}")
        return ExitCode.OK
    return ExitCode.INVALID


def _refusing(action: Handler) -> Handler:
    """The packs layer's one-line errors as this command's refusals; a refused archive is
    named, since a script may work through many."""

    def handler(args: argparse.Namespace) -> int:
        from kiosk.packs.delivery import BuildError, PackRefused
        from kiosk.packs.signing import SignatureError

        try:
            return action(args)
        except (BuildError, SignatureError) as error:
            raise Refused(str(error), ExitCode.INVALID) from None
        except PackRefused as error:
            raise Refused(f"{args.archive.name}: {error}", ExitCode.INVALID) from None

    return handler


def build_pack(args: argparse.Namespace) -> int:
    from kiosk.packs.delivery import build_archive

    print(build_archive(args.folder, args.output))
    return ExitCode.OK


def _password(*, twice: bool) -> str:
    """KIOSK_KEY_PASSWORD for scripts; otherwise ask on the terminal (twice for a new key, so a
    typo does not lock the key away for good)."""
    import getpass

    if (given := os.environ.get(PASSWORD_ENV)) is not None:
        return given
    if not sys.stdin.isatty():
        raise Refused(
            f"no password: set {PASSWORD_ENV} or run this in a terminal", ExitCode.INVALID
        )
    first = getpass.getpass("Password for the secret key: ")
    if twice and getpass.getpass("The same password again: ") != first:
        raise Refused("the two passwords differ; nothing was written", ExitCode.INVALID)
    return first


def make_keys(args: argparse.Namespace) -> int:
    from kiosk.packs.signing import generate_keypair, key_id_of, public_key_line

    prefix: Path = args.output
    encrypted = not args.unencrypted
    pub_file = prefix.with_name(prefix.name + ".pub")
    key_file = prefix.with_name(prefix.name + ".key")
    for path in (pub_file, key_file):
        if path.exists():
            raise Refused(f"{path} already exists; it is not replaced", ExitCode.INVALID)
    password = _password(twice=True) if encrypted else None
    if password == "":
        message = "the password is empty (use --unencrypted for a key without one)"
        raise Refused(message, ExitCode.INVALID)
    generate_keypair(prefix, password)
    line = public_key_line(pub_file.read_text(encoding="ascii"))
    state = "protected by the password" if encrypted else "NOT protected by a password"
    print(f"wrote {pub_file} and {key_file} ({state}; keep it secret)")
    print(f"key ID {key_id_of(line)}; the public key, for the kiosks' [packs] trusted_keys:")
    print(line)
    return ExitCode.OK


def sign_pack(args: argparse.Namespace) -> int:
    from kiosk.packs.delivery import read_unsigned, sign_archive
    from kiosk.packs.signing import key_is_encrypted

    archive: Path = args.archive
    if not archive.is_file():
        raise Refused(f"{archive} is not a file", ExitCode.INVALID)
    encrypted = key_is_encrypted(args.key)
    read_unsigned(archive)  # before the password: a pack no kiosk would take is not signed
    password = _password(twice=False) if encrypted else None
    print(sign_archive(archive, args.key, password))
    return ExitCode.OK


def _trusted_key(value: str) -> str:
    """A --trusted-key: the base64 line itself, or the .pub file that holds it."""
    from kiosk.packs.signing import SignatureError, key_id_of, public_key_line

    path = Path(value)
    try:
        if path.is_file():
            return public_key_line(path.read_text(encoding="utf-8"))
        key_id_of(value)
    except (OSError, UnicodeDecodeError, SignatureError) as error:
        raise Refused(f"--trusted-key {value}: {error}", ExitCode.USAGE) from None
    return value.strip()


def inspect_archive(args: argparse.Namespace) -> int:
    from kiosk.packs.delivery import Trust, inspect_pack

    archive: Path = args.archive
    keys: Sequence[str] = args.trusted_key
    trust = Trust(trusted_keys=tuple(_trusted_key(k) for k in keys))
    result = inspect_pack(archive, trust, args.signature)
    print(result.text)
    if result.refusal is not None:
        raise Refused(f"{archive.name}: refused: {result.refusal}", ExitCode.INVALID)
    return ExitCode.OK
