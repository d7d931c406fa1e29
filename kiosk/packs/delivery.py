"""Delivery archives (`ID-VERSION.topicpack` plus `.minisig`): verify, write out, build, inspect.

The one door for untrusted bytes. `verify_archive` reads the archive into memory once, so the
stick cannot change it between the checks and the copy, then checks in this order, stopping
at the first failure with one line for staff:

1. the signature over those bytes, by a trusted and not revoked key, whose trusted comment
   names the pack (`topicpack id=ID version=N`);
2. the zip's safety rules (archive.py), before any file inside is looked at;
3. pack.toml, and that it is the pack the signature names;
4. every file against its sha256 in pack.toml, and no file that pack.toml does not list;
5. every topic, with the same parser and rules as `kiosk pack validate`.

Comparing the version with what is installed is the library's job, not this module's.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import tomllib
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

from kiosk.content.model import Problem, Topic
from kiosk.packs.archive import ALLOWED_NAME, MAX_TOTAL_BYTES, PackRefused, read_archive, shown
from kiosk.packs.folder import read_pack_folder
from kiosk.packs.manifest import Manifest, parse_manifest
from kiosk.packs.signing import (
    MAX_SIGNATURE_BYTES,
    SIGNATURE_SUFFIX,
    SignatureError,
    sign_bytes,
    verify_bytes,
)
from kiosk.packs.topicset import check_topics, decode_topic

__all__ = [
    "SUFFIX",
    "BuildError",
    "Inspection",
    "PackRefused",
    "Trust",
    "VerifiedPack",
    "build_archive",
    "inspect_archive",
    "inspect_pack",
    "read_unsigned",
    "sign_archive",
    "trusted_comment_for",
    "verify_archive",
    "write_pack",
]

SUFFIX = ".topicpack"
MANIFEST = "pack.toml"
MAX_ARCHIVE_BYTES = MAX_TOTAL_BYTES
_CLAIM = re.compile(r"(?:^|\s)topicpack id=(\S+) version=(\d+)(?:\s|$)")
# Fixed, so that building the same folder twice gives the same bytes (and the same hash).
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
_ZIP_MODE = 0o100644 << 16
_ZIP_LEVEL = 6


class BuildError(Exception):
    """A pack folder that cannot be built into an archive; str() is one line for its author."""


@dataclass(frozen=True, slots=True)
class Trust:
    """Which signatures the kiosk accepts (the config's [packs] table)."""

    trusted_keys: tuple[str, ...] = ()
    revoked_keys: tuple[str, ...] = ()
    require_signature: bool = True


@dataclass(frozen=True, slots=True)
class VerifiedPack:
    """A pack that passed every check. `files` holds every file's bytes (pack.toml too), the
    very bytes that were hash-checked, so what is installed is what was verified."""

    manifest: Manifest
    signer: str | None
    topics: tuple[Topic, ...]
    files: Mapping[str, bytes]

    @property
    def topic_count(self) -> int:
        return len(self.topics)

    @property
    def languages(self) -> tuple[str, ...]:
        """The topics' languages, in the order pack.toml lists them (any it forgot, after)."""
        found = {t.language for t in self.topics}
        listed = tuple(lang for lang in self.manifest.languages if lang in found)
        return listed + tuple(sorted(found - set(listed)))


@dataclass(frozen=True, slots=True)
class _Claim:
    """What a good signature vouches for: the signer and the pack id and version it names."""

    signer: str | None
    pack_id: str | None = None
    version: int | None = None


def trusted_comment_for(manifest: Manifest) -> str:
    """The trusted comment a pack's signature must carry (DESIGN.md)."""
    return f"topicpack id={manifest.id} version={manifest.version}"


def _read_bytes(archive: Path) -> bytes:
    try:
        with archive.open("rb") as handle:
            if os.fstat(handle.fileno()).st_size > MAX_ARCHIVE_BYTES:
                raise PackRefused("the pack file is larger than 512 MiB")
            data = handle.read(MAX_ARCHIVE_BYTES + 1)
    except OSError as error:
        raise PackRefused(f"cannot read {archive.name} ({error.strerror})") from None
    if len(data) > MAX_ARCHIVE_BYTES:  # it grew while it was read
        raise PackRefused("the pack file is larger than 512 MiB")
    return data


def _read_signature(path: Path) -> str | None:
    try:
        with path.open("rb") as handle:
            raw = handle.read(MAX_SIGNATURE_BYTES + 1)
    except FileNotFoundError:
        return None
    except OSError as error:
        raise PackRefused(f"cannot read {path.name} ({error.strerror})") from None
    if len(raw) > MAX_SIGNATURE_BYTES:
        raise PackRefused("the signature file is damaged")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        raise PackRefused("the signature file is damaged") from None


def _check_signature(data: bytes, archive: Path, signature: Path | None, trust: Trust) -> _Claim:
    """Step 1. When signatures are not required, a pack without one is accepted (signer None),
    and so is one signed by a key this kiosk does not know; a revoked key, a damaged signature
    or one that does not match is still refused: it means tampering or a mistake."""
    path = signature or archive.with_name(archive.name + SIGNATURE_SUFFIX)
    text = _read_signature(path)
    if text is None:
        if trust.require_signature:
            raise PackRefused(f"not signed: there is no {path.name} beside it")
        return _Claim(None)
    try:
        good = verify_bytes(data, text, trust.trusted_keys, trust.revoked_keys)
    except SignatureError as error:
        if not trust.require_signature and str(error).startswith("signed by an unknown key"):
            return _Claim(None)
        raise PackRefused(str(error)) from None
    found = _CLAIM.search(good.trusted_comment)
    if found is None:
        raise PackRefused(
            "the signature does not name the pack (its trusted comment should say "
            "'topicpack id=... version=...')"
        )
    return _Claim(good.key_id, found.group(1), int(found.group(2)))


def _first(problems: list[Problem]) -> str:
    """The first problem, and how many more there are: one line, and staff know the size of
    the job."""
    more = len(problems) - 1
    return f"{problems[0]} (and {more} more)" if more else str(problems[0])


def _manifest(files: Mapping[str, bytes]) -> Manifest:
    data = files.get(MANIFEST)
    if data is None:
        raise PackRefused("the pack has no pack.toml")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise PackRefused("pack.toml is not UTF-8 text") from None
    manifest, problems = parse_manifest(text, MANIFEST)
    if manifest is None:
        raise PackRefused(_first(problems))
    return manifest


def _check_hashes(manifest: Manifest, files: Mapping[str, bytes]) -> None:
    for name in sorted(manifest.files):
        if name not in files:
            raise PackRefused(f"'{shown(name)}' is listed in pack.toml but not in the pack")
        if hashlib.sha256(files[name]).hexdigest() != manifest.files[name]:
            raise PackRefused(f"'{shown(name)}' does not match its sha256 in pack.toml")
    for name in sorted(files):
        if name != MANIFEST and name not in manifest.files:
            raise PackRefused(f"'{shown(name)}' is in the pack but not listed in pack.toml")


def _topics(manifest: Manifest, files: Mapping[str, bytes]) -> tuple[Topic, ...]:
    names = sorted(n for n in files if n.startswith("topics/"))
    if not names:
        raise PackRefused("the pack has no topics/*.md files")

    def media_problem(src: str) -> str | None:
        # Images were checked (magic bytes, header size) when the archive was read.
        return None if src in files else "is missing from the pack"

    topics, problems = check_topics(
        (decode_topic(name, name[7:].removesuffix(".md"), files[name]) for name in names),
        media_problem=media_problem,
        pack_id=manifest.id,
    )
    if problems:
        raise PackRefused(_first(problems))
    return tuple(topics)


def _open(data: bytes, claim: _Claim) -> VerifiedPack:
    """Steps 2 to 5, on bytes whose signature (if any) has been checked."""
    files = read_archive(data)
    manifest = _manifest(files)
    signed_for = (claim.pack_id, claim.version)
    if claim.pack_id is not None and signed_for != (manifest.id, manifest.version):
        raise PackRefused(
            f"the signature is for {claim.pack_id} version {claim.version}, but the pack "
            f"says it is {manifest.id} version {manifest.version}"
        )
    _check_hashes(manifest, files)
    topics = _topics(manifest, files)
    return VerifiedPack(manifest, claim.signer, topics, MappingProxyType(dict(files)))


def verify_archive(archive: Path, trust: Trust, *, signature: Path | None = None) -> VerifiedPack:
    """Every check, in the order the module docstring gives; PackRefused at the first failure.
    `signature` defaults to ARCHIVE.minisig beside the archive."""
    data = _read_bytes(archive)
    claim = _check_signature(data, archive, signature, trust)
    return _open(data, claim)


def read_unsigned(archive: Path) -> VerifiedPack:
    """Every check but the signature: for the person about to sign the archive, so a pack no
    kiosk would accept is not signed."""
    return _open(_read_bytes(archive), _Claim(None))


def sign_archive(archive: Path, key_file: Path, password: str | None) -> Path:
    """Check the archive as a kiosk would (all but the signature), then sign those same bytes
    with the trusted comment that names the pack; writes ARCHIVE.minisig. SignatureError for a
    key that cannot sign, PackRefused for an archive no kiosk would take."""
    data = _read_bytes(archive)
    pack = _open(data, _Claim(None))
    text = sign_bytes(data, key_file, password, trusted_comment_for(pack.manifest))
    out = archive.with_name(archive.name + SIGNATURE_SUFFIX)
    partial = out.with_name(out.name + ".partial")
    partial.write_text(text, encoding="ascii")
    os.replace(partial, out)
    return out


def write_pack(verified: VerifiedPack, dest: Path) -> None:
    """Write the verified files into `dest`, an existing empty folder, and flush every file
    and folder to the disk, so a power cut after this returns cannot lose them. Switching the
    library over to `dest` is the library's job."""
    if any(dest.iterdir()):
        raise FileExistsError(f"{dest} is not empty")
    folders = {dest}
    for name, data in sorted(verified.files.items()):
        # The names passed the archive rules; this is a second fence, not the first.
        if not ALLOWED_NAME.fullmatch(name):
            raise ValueError(f"'{shown(name)}' is not a pack file name")
        path = dest / name
        if path.parent not in folders:
            path.parent.mkdir()
            folders.add(path.parent)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view) :]
            os.fsync(fd)
        finally:
            os.close(fd)
    for folder in sorted(folders, key=lambda p: len(p.parts), reverse=True):
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _pack_files(folder: Path) -> dict[str, bytes]:
    """The files a build puts in the archive: topics/*.md and media/*. Anything else in those
    two folders would be refused by every kiosk, so it stops the build; other files at the top
    (notes, a README) are the author's and stay out."""
    files: dict[str, bytes] = {}
    for sub in ("topics", "media"):
        where = folder / sub
        if not where.is_dir():
            continue
        for path in sorted(where.iterdir()):
            if path.name.startswith("."):
                continue  # .DS_Store and editors' files
            name = f"{sub}/{path.name}"
            if path.is_symlink() or not path.is_file():
                raise BuildError(f"{name} is not a plain file; put the file itself in the pack")
            if not ALLOWED_NAME.fullmatch(name):
                raise BuildError(
                    f"{name} cannot go in a pack (only topics/*.md and media/*.png or *.jpg, "
                    "named with letters, digits, '.', '-' and '_')"
                )
            files[name] = path.read_bytes()
    return files


def _zip(files: Mapping[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in sorted(files):
            info = zipfile.ZipInfo(name, date_time=_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3  # Unix, so the mode below means "a plain file"
            info.external_attr = _ZIP_MODE
            archive.writestr(info, files[name], compresslevel=_ZIP_LEVEL)
    return buffer.getvalue()


def build_archive(folder: Path, out_dir_or_file: Path) -> Path:
    """Build a delivery archive from a pack folder that validates, with a [files] table of
    every other file's sha256 added to pack.toml. Building the same folder twice gives the
    same bytes. Given a folder, the archive is named ID-VERSION.topicpack in it."""
    contents = read_pack_folder(folder)
    if not contents.ok or contents.manifest is None:
        problems = contents.problems or [Problem(folder.name, "the pack is not valid")]
        raise BuildError(f"{folder} does not validate: {_first(problems)}")
    manifest = contents.manifest
    try:
        text = (folder / MANIFEST).read_bytes().decode("utf-8")
    except (OSError, UnicodeDecodeError):
        raise BuildError(f"{folder}/pack.toml is not readable UTF-8 text") from None
    if "files" in tomllib.loads(text):
        raise BuildError(
            f"{folder}/pack.toml already has a [files] table; remove it, the build writes it"
        )
    files = _pack_files(folder)
    table = "".join(
        f'{json.dumps(name)} = "{hashlib.sha256(data).hexdigest()}"\n'
        for name, data in sorted(files.items())
    )
    files[MANIFEST] = (text.rstrip("\n") + "\n\n[files]\n" + table).encode("utf-8")
    data = _zip(files)
    try:
        # What the kiosks will do with it, so a pack they would refuse is never handed out.
        _open(data, _Claim(None))
    except PackRefused as error:
        raise BuildError(f"kiosks would refuse the built pack: {error}") from None

    out = out_dir_or_file
    if out.is_dir():
        out = out / f"{manifest.id}-{manifest.version}{SUFFIX}"
    partial = out.with_name(out.name + ".partial")
    try:
        partial.write_bytes(data)
        os.replace(partial, out)
    except OSError as error:
        partial.unlink(missing_ok=True)
        raise BuildError(f"cannot write {out} ({error.strerror})") from None
    return out


@dataclass(frozen=True, slots=True)
class Inspection:
    """What `kiosk pack inspect` shows, and the refusal (None when the pack would install)."""

    text: str
    refusal: str | None


def _summary_lines(manifest: Manifest, topics: int | None, languages: tuple[str, ...]) -> list[str]:
    lines = [
        f"Pack:       {manifest.id}",
        f"Version:    {manifest.version}",
        f"Title:      {manifest.title}",
        f"Publisher:  {manifest.publisher}",
        f"Languages:  {', '.join(languages)}",
    ]
    if topics is not None:
        lines.append(f"Topics:     {topics}")
    if manifest.expires is not None:
        lines.append(f"Expires:    {manifest.expires.isoformat()}")
    return lines


def _unverified_lines(data: bytes) -> list[str]:
    """What a pack whose signature failed says about itself, read through the archive rules
    (nothing is written anywhere); empty when even that cannot be read."""
    try:
        files = read_archive(data)
        manifest = _manifest(files)
    except PackRefused:
        return []
    topics = sum(1 for name in files if name.startswith("topics/"))
    lines = _summary_lines(manifest, topics, manifest.languages)
    lines[0] += "  (unverified: what the pack says about itself)"
    return lines


def inspect_pack(archive: Path, trust: Trust, signature: Path | None = None) -> Inspection:
    """What the pack is, who signed it (or why the signature fails), and whether a kiosk with
    this trust would install it."""
    lines = [f"File:       {archive.name}"]
    try:
        data = _read_bytes(archive)
        try:
            claim = _check_signature(data, archive, signature, trust)
        except PackRefused as error:
            lines += [*_unverified_lines(data), f"Signature:  {error}"]
            raise
        signed = f"good, by key ID {claim.signer}" if claim.signer else "none (not required)"
        try:
            verified = _open(data, claim)
        except PackRefused:
            lines.append(f"Signature:  {signed}")
            raise
    except PackRefused as error:
        lines.append(f"Result:     refused: {error}")
        return Inspection("\n".join(lines), str(error))
    lines += _summary_lines(verified.manifest, verified.topic_count, verified.languages)
    lines += [f"Signature:  {signed}", "Result:     can be installed"]
    return Inspection("\n".join(lines), None)


def inspect_archive(archive: Path, trust: Trust, signature: Path | None = None) -> str:
    """inspect_pack()'s text: a human summary for `kiosk pack inspect`."""
    return inspect_pack(archive, trust, signature).text
