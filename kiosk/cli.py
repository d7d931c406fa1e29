"""The `kiosk` command: run the kiosk, render a page to PNG, read a topic aloud into a WAV,
check a pack.

Each refusal is one line on stderr and a non-zero exit.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from kiosk.config import load_settings

if TYPE_CHECKING:
    from PySide6.QtCore import QCoreApplication

    from kiosk.config import Settings
    from kiosk.library.store import LibraryStore
    from kiosk.ui.window import KioskWindow

EXIT_USAGE = 2
EXIT_INVALID = 1
PASSWORD_ENV = "KIOSK_KEY_PASSWORD"


class _Parser(argparse.ArgumentParser):
    """argparse prints the whole usage before an error; a refusal here is one line on stderr."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_USAGE, f"{self.prog}: {message} (see '{self.prog} --help')\n")


def _size(text: str) -> tuple[int, int]:
    try:
        width, height = (int(n) for n in text.lower().split("x"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a size like 1280x800") from None
    if not (200 <= width <= 8000 and 200 <= height <= 8000):
        raise argparse.ArgumentTypeError(f"'{text}' is outside 200x200 to 8000x8000")
    return width, height


def _limit(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number") from None
    if not 1 <= value <= 1000:
        raise argparse.ArgumentTypeError(f"'{text}' is outside 1 to 1000")
    return value


def _add_pack_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--pack",
        action="append",
        type=Path,
        default=[],
        metavar="DIR",
        help="add a pack folder to the library for this run (repeatable)",
    )


def _add_pack_actions(pack_sub: argparse._SubParsersAction[_Parser]) -> None:
    """`kiosk pack build|keygen|sign|inspect`: the delivery pipeline for IT staff."""
    build = pack_sub.add_parser(
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
    keygen = pack_sub.add_parser(
        "keygen", help="make a signing key pair in minisign's formats: PREFIX.pub, PREFIX.key"
    )
    keygen.add_argument("-o", "--output", required=True, type=Path, metavar="PREFIX")
    keygen.add_argument(
        "--unencrypted",
        action="store_true",
        help="no password on the secret key (like minisign -W)",
    )
    sign = pack_sub.add_parser(
        "sign", help=f"sign an archive (writes PACK.minisig); password from {PASSWORD_ENV}"
    )
    sign.add_argument("archive", type=Path, metavar="PACK")
    sign.add_argument("--key", required=True, type=Path, metavar="PREFIX.key")
    inspect = pack_sub.add_parser(
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


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="kiosk", description="Waiting-room health kiosk")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    run = sub.add_parser("run", help="open the kiosk (the default command)")
    run.add_argument(
        "--kiosk",
        action="store_true",
        help="fullscreen, frameless, cursor hidden, cannot be closed",
    )
    _add_pack_option(run)

    shot = sub.add_parser("shot", help="render one page to a PNG, offscreen")
    shot.add_argument("out", type=Path, metavar="OUT.png")
    shot.add_argument("--topic", metavar="ID", help="a topic page instead of home")
    shot.add_argument(
        "--section",
        type=int,
        default=1,
        metavar="N",
        help="which part of the topic, counting from 1 (the last is the credits)",
    )
    shot.add_argument(
        "--category", metavar="NAME", help="the list of one category ('' for all topics A to Z)"
    )
    shot.add_argument(
        "--search",
        metavar="WORDS",
        help="the search page with WORDS typed on its keyboard ('' for none yet)",
    )
    shot.add_argument(
        "--keyboard",
        metavar="LANG",
        help="with --search: the keyboard switched to LANG (e.g. es), one of the library's",
    )
    shot.add_argument("--text-size", type=int, metavar="PERCENT", help="e.g. 200")
    shot.add_argument("--size", type=_size, default=(1280, 800), metavar="WxH")
    shot.add_argument("--contrast", action="store_true", help="the high-contrast theme")
    shot.add_argument(
        "--overlay",
        choices=("contents", "still-reading"),
        help="show an overlay on top of the page",
    )
    _add_pack_option(shot)

    speak = sub.add_parser(
        "speak", help="read a topic aloud into a WAV file, as the kiosk would (for staff)"
    )
    speak.add_argument("--topic", required=True, metavar="ID")
    speak.add_argument(
        "--section",
        type=int,
        metavar="N",
        help="which section, counting from 1 (default: the whole topic)",
    )
    speak.add_argument(
        "-o", "--output", required=True, type=Path, metavar="OUT.wav", help="the WAV to write"
    )
    _add_pack_option(speak)

    search = sub.add_parser(
        "search", help="search the library as the kiosk does; one 'ID<Tab>TITLE' a line, best first"
    )
    search.add_argument("query", nargs="+", metavar="QUERY", help="what a patient would type")
    search.add_argument(
        "--limit", type=_limit, default=20, metavar="N", help="at most N results (default 20)"
    )
    _add_pack_option(search)

    pack = sub.add_parser("pack", help="work with topic packs")
    pack_sub = pack.add_subparsers(dest="pack_command", metavar="ACTION", required=True)
    validate = pack_sub.add_parser("validate", help="check a pack folder; one line per problem")
    validate.add_argument("folder", type=Path, metavar="DIR")
    _add_pack_actions(pack_sub)

    library = sub.add_parser("library", help="the installed packs (KIOSK_DATA_DIR)")
    library_sub = library.add_subparsers(dest="library_command", metavar="ACTION", required=True)
    install = library_sub.add_parser(
        "install", help="verify a .topicpack (and its .minisig) and install it"
    )
    install.add_argument("pack", type=Path, metavar="PACK")
    library_sub.add_parser("list", help="installed packs with their versions")
    remove = library_sub.add_parser("remove", help="remove an installed pack")
    remove.add_argument("pack_id", metavar="ID")
    rollback = library_sub.add_parser(
        "rollback", help="go back to the kept previous version (again: undo the rollback)"
    )
    rollback.add_argument("pack_id", metavar="ID")

    staff = sub.add_parser("staff", help="staff access")
    staff_sub = staff.add_subparsers(dest="staff_command", metavar="ACTION", required=True)
    staff_sub.add_parser("set-pin", help="set the staff PIN (from KIOSK_STAFF_PIN, or asked twice)")
    return parser


def quiet_qt_audio_probe() -> None:
    """Qt Multimedia tries PipeWire first and logs that its library is missing before it uses
    PulseAudio; on a kiosk without PipeWire that is expected, not a fault."""
    rules = os.environ.get("QT_LOGGING_RULES", "")
    if "qt.multimedia.symbolsresolver" not in rules:
        extra = "qt.multimedia.symbolsresolver.warning=false"
        os.environ["QT_LOGGING_RULES"] = f"{rules};{extra}" if rules else extra


_FINISHED_SHOT = False


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    if not args_list or (args_list[0].startswith("-") and args_list[0] not in ("-h", "--help")):
        args_list.insert(0, "run")
    args = build_parser().parse_args(args_list)
    quiet_qt_audio_probe()
    logging.basicConfig(level=logging.WARNING, format="kiosk: %(message)s")
    if args.command == "pack":
        return _pack(args)
    if args.command == "library":
        return _library(args)
    if args.command == "staff":
        return _set_pin()
    if args.command == "shot":
        return _shot(args)
    if args.command == "speak":
        return _speak(args)
    if args.command == "search":
        return _search(args)
    return _run(args)


def _set_pin() -> int:
    """The PIN that opens the staff panel (a long press on the disclaimer, then the PIN)."""
    import getpass

    from kiosk.staff import PinError, PinStore

    pin = os.environ.get("KIOSK_STAFF_PIN")
    if pin is None:
        pin = getpass.getpass("New staff PIN (4 to 12 digits): ")
        if getpass.getpass("The same PIN again: ") != pin:
            return _fail("the two PINs were not the same; nothing changed", EXIT_INVALID)
    settings = load_settings()
    store = PinStore(settings.data_dir / "staff-pin.json")
    try:
        store.set_pin(pin)
    except PinError as error:
        return _fail(f"{error}; nothing changed", EXIT_INVALID)
    except OSError as error:
        return _fail(f"cannot save the PIN in {store.path}: {error.strerror}", EXIT_INVALID)
    print(f"Staff PIN set ({store.path}).")
    return 0


def _fail(message: str, code: int = EXIT_USAGE) -> int:
    print(f"kiosk: {message}", file=sys.stderr)
    return code


def _check_packs(folders: Sequence[Path]) -> str | None:
    for folder in folders:
        if not (folder / "pack.toml").is_file():
            return f"{folder} is not a pack folder (no pack.toml)"
    return None


def _pack_validate(folder: Path) -> int:
    from kiosk.packs.folder import read_pack_folder

    contents = read_pack_folder(folder)
    for problem in contents.problems:
        print(problem)
    if contents.ok:
        count = len(contents.topics)
        print(f"{folder}: OK, {count} topic{'' if count == 1 else 's'}")
        return 0
    return EXIT_INVALID


def _library(args: argparse.Namespace) -> int:
    """IT staff's view of the library: the same pipeline and refusals as the staff screen."""
    from kiosk.library.store import AlreadyInstalled, LibraryRefused, LibraryStore

    settings = load_settings()
    store = LibraryStore(settings.data_dir / "library")
    try:
        if args.library_command == "install":
            return _library_install(store, args.pack, settings)
        if args.library_command == "remove":
            store.remove(args.pack_id)
            print(f"removed {args.pack_id}")
        elif args.library_command == "rollback":
            pack = store.rollback(args.pack_id)
            print(
                f"{pack.id} is back at version {pack.version}; version {pack.previous_version} "
                "is kept (roll back again to return to it)"
            )
        else:
            _library_list(store)
    except AlreadyInstalled as done:
        print(done)  # installing twice is not an error: a fleet script may simply repeat it
    except LibraryRefused as error:
        return _fail(str(error), EXIT_INVALID)
    return 0


def _library_install(store: LibraryStore, pack: Path, settings: Settings) -> int:
    from kiosk.library.installer import install_archive, trust_of

    if not pack.is_file():
        return _fail(f"{pack} is not a file", EXIT_INVALID)
    installed = install_archive(store, pack, trust_of(settings))
    kept = f"; version {installed.previous_version} is kept" if installed.previous_version else ""
    print(f"installed {installed.id} version {installed.version}: {installed.title}{kept}")
    return 0


def _library_list(store: LibraryStore) -> None:
    packs = store.installed()
    if not packs:
        print("no packs are installed")
        return
    rows = [("ID", "VERSION", "PREVIOUS", "TITLE")] + [
        (p.id, str(p.version), str(p.previous_version or "-"), p.title) for p in packs
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    for row in rows:
        print("  ".join([*(cell.ljust(w) for cell, w in zip(row, widths, strict=False)), row[3]]))


class _Refused(Exception):
    """A `kiosk pack` action that cannot go on; str() is its one line on stderr."""


class _BadArgument(_Refused):
    """Refused because of what was typed (exit 2, like argparse's own refusals)."""


def _pack(args: argparse.Namespace) -> int:
    from kiosk.packs.delivery import BuildError, PackRefused
    from kiosk.packs.signing import SignatureError

    action = args.pack_command
    if action == "validate":
        return _pack_validate(args.folder)
    try:
        if action == "build":
            return _pack_build(args.folder, args.output)
        if action == "keygen":
            return _pack_keygen(args.output, encrypted=not args.unencrypted)
        if action == "sign":
            return _pack_sign(args.archive, args.key)
        return _pack_inspect(args.archive, args.trusted_key, args.signature)
    except _BadArgument as error:
        return _fail(str(error), EXIT_USAGE)
    except _Refused as error:
        return _fail(str(error), EXIT_INVALID)
    except (BuildError, SignatureError) as error:
        return _fail(str(error), EXIT_INVALID)
    except PackRefused as error:
        return _fail(f"{args.archive.name}: {error}", EXIT_INVALID)


def _password(*, twice: bool) -> str:
    """KIOSK_KEY_PASSWORD for scripts; otherwise ask on the terminal (twice for a new key, so a
    typo does not lock the key away for good)."""
    import getpass

    if (given := os.environ.get(PASSWORD_ENV)) is not None:
        return given
    if not sys.stdin.isatty():
        raise _Refused(f"no password: set {PASSWORD_ENV} or run this in a terminal")
    first = getpass.getpass("Password for the secret key: ")
    if twice and getpass.getpass("The same password again: ") != first:
        raise _Refused("the two passwords differ; nothing was written")
    return first


def _pack_build(folder: Path, out: Path) -> int:
    from kiosk.packs.delivery import build_archive

    print(build_archive(folder, out))
    return 0


def _pack_keygen(prefix: Path, *, encrypted: bool) -> int:
    from kiosk.packs.signing import generate_keypair, key_id_of, public_key_line

    pub_file = prefix.with_name(prefix.name + ".pub")
    key_file = prefix.with_name(prefix.name + ".key")
    for path in (pub_file, key_file):
        if path.exists():
            raise _Refused(f"{path} already exists; it is not replaced")
    password = _password(twice=True) if encrypted else None
    if password == "":
        raise _Refused("the password is empty (use --unencrypted for a key without one)")
    generate_keypair(prefix, password)
    line = public_key_line(pub_file.read_text(encoding="ascii"))
    state = "protected by the password" if encrypted else "NOT protected by a password"
    print(f"wrote {pub_file} and {key_file} ({state}; keep it secret)")
    print(f"key ID {key_id_of(line)}; the public key, for the kiosks' [packs] trusted_keys:")
    print(line)
    return 0


def _pack_sign(archive: Path, key_file: Path) -> int:
    from kiosk.packs.delivery import read_unsigned, sign_archive
    from kiosk.packs.signing import key_is_encrypted

    if not archive.is_file():
        raise _Refused(f"{archive} is not a file")
    encrypted = key_is_encrypted(key_file)
    read_unsigned(archive)  # before the password: a pack no kiosk would take is not signed
    password = _password(twice=False) if encrypted else None
    print(sign_archive(archive, key_file, password))
    return 0


def _trusted_key(value: str) -> str:
    """A --trusted-key: the base64 line itself, or the .pub file that holds it."""
    from kiosk.packs.signing import SignatureError, key_id_of, public_key_line

    path = Path(value)
    try:
        if path.is_file():
            return public_key_line(path.read_text(encoding="utf-8"))
        key_id_of(value)
    except (OSError, UnicodeDecodeError, SignatureError) as error:
        raise _BadArgument(f"--trusted-key {value}: {error}") from None
    return value.strip()


def _pack_inspect(archive: Path, keys: Sequence[str], signature: Path | None) -> int:
    from kiosk.packs.delivery import Trust, inspect_pack

    trust = Trust(trusted_keys=tuple(_trusted_key(k) for k in keys))
    result = inspect_pack(archive, trust, signature)
    print(result.text)
    if result.refusal is not None:
        return _fail(f"{archive.name}: refused: {result.refusal}", EXIT_INVALID)
    return 0


def _qt_app(argv: list[str]):  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(argv)
    app.setApplicationName("waiting-room-kiosk")
    return app


def _quit_on_sigterm(app) -> None:  # type: ignore[no-untyped-def]
    """`systemctl stop` sends SIGTERM: leave the event loop cleanly instead of dying in it.
    Python runs signal handlers only between bytecodes, so a timer gives it the chance."""
    import signal

    from PySide6.QtCore import QTimer

    signal.signal(signal.SIGTERM, lambda *_: app.quit())
    signal.signal(signal.SIGINT, lambda *_: app.quit())
    timer = QTimer(app)
    timer.timeout.connect(lambda: None)
    timer.start(250)


def _run(args: argparse.Namespace) -> int:
    from kiosk.app import build_services, build_window

    if error := _check_packs(args.pack):
        return _fail(error)
    services = build_services(load_settings(), args.pack)
    app = _qt_app(sys.argv[:1])
    _quit_on_sigterm(app)
    if args.kiosk:
        screen = app.primaryScreen()
        size = (screen.geometry().width(), screen.geometry().height()) if screen else None
    else:
        size = (1280, 800)
    window = build_window(services, size=size)
    if args.kiosk:
        window.enter_kiosk_mode()
    else:
        window.show()
    try:
        return int(app.exec())
    finally:
        services.close()


def _quiet_offscreen_messages() -> None:
    """The offscreen platform says it cannot resize native windows at every fixed-size change;
    that is about the missing display, not the page, so `shot` keeps stderr for real errors."""
    from PySide6.QtCore import QtMsgType, qInstallMessageHandler

    def handler(kind: QtMsgType, _context: object, message: str) -> None:
        if "does not support propagateSizeHints" not in message:
            print(message, file=sys.stderr)

    qInstallMessageHandler(handler)


def _wait_for_rows(window: KioskWindow, app: QCoreApplication, limit_s: float = 5.0) -> None:
    """A long list lays its rows out in batches after it is shown and paints them when the
    last batch is done: wait for that (under a second for 5,000 rows), so the picture shows
    what a patient sees a moment later."""
    import time

    from PySide6.QtWidgets import QListView

    from kiosk.ui.pages import TopicListPage

    page = window.page()
    view = page.list_view if isinstance(page, TopicListPage) else None
    if view is None or view.model().rowCount() == 0:
        return
    deadline = time.monotonic() + limit_s
    top = view.viewport().rect().topLeft()
    while time.monotonic() < deadline:
        # Qt's own hit test works once the last batch is laid out; the rows are painted then.
        if QListView.indexAt(view, top).isValid():
            break
        app.processEvents()
        time.sleep(0.005)
    app.processEvents()


def _shot(args: argparse.Namespace) -> int:
    global _FINISHED_SHOT
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    _quiet_offscreen_messages()
    from kiosk.app import build_services, build_window

    if error := _check_packs(args.pack):
        return _fail(error)
    settings = load_settings()
    if args.text_size is not None and args.text_size not in settings.text_sizes:
        sizes = ", ".join(str(s) for s in settings.text_sizes)
        return _fail(f"--text-size must be one of {sizes}")
    if args.keyboard is not None and args.search is None:
        return _fail("--keyboard needs --search")
    services = build_services(settings, args.pack, speech=False)
    app = _qt_app(sys.argv[:1])
    window = build_window(services, prepare_search=False, size=args.size, staff=False)
    if args.text_size is not None:
        window.set_text_size(args.text_size)
    if args.contrast:
        window.set_high_contrast(True)
    if args.topic:
        topic = services.catalog.topic(args.topic)
        if topic is None:
            return _fail(f"no topic with id '{args.topic}'")
        parts = len(topic.sections) + 1
        if not 1 <= args.section <= parts:
            return _fail(f"--section must be 1 to {parts} for '{args.topic}'")
        window.open_topic(args.topic, args.section - 1)
    elif args.category is not None:
        if args.category and args.category not in services.catalog.categories():
            return _fail(f"no category named '{args.category}'")
        window.open_category(args.category)
    elif args.search is not None and (
        error := _shot_search(window, app, args.search, args.keyboard)
    ):
        return _fail(error)
    window.show()
    if args.overlay == "contents":
        window.show_contents()
    elif args.overlay == "still-reading":
        window.still_reading.start(window.idle_countdown_s)
    for _ in range(3):
        app.processEvents()
    _wait_for_rows(window, app)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    if not window.grab().save(str(args.out)):
        return _fail(f"could not write {args.out}", EXIT_INVALID)
    print(args.out)
    _FINISHED_SHOT = True
    return 0


def _shot_search(
    window: KioskWindow, app: QCoreApplication, words: str, keyboard: str | None
) -> str | None:
    """Open the search page as a patient would find it, with its index ready; a refusal or None."""
    from kiosk.ui.keyboard import letters_for

    window.prepare_search()
    deadline = time.monotonic() + 120
    while not window.search_ready() and time.monotonic() < deadline:
        app.processEvents()
        time.sleep(0.01)
    page = window.open_search()
    if page is None:
        return "this kiosk has no search"
    if keyboard is not None:
        if keyboard not in page.keyboard.languages:
            offered = ", ".join(page.keyboard.languages)
            return f"--keyboard must be one of the library's keyboards: {offered}"
        page.keyboard.set_language(keyboard)
    letters = set(letters_for(page.keyboard.language)) | {" "}
    if missing := sorted({c for c in words.upper() if c not in letters}):
        return f"--search: the keyboard has no key for {' '.join(missing)}"
    page.type_text(words)
    return None


def _search(args: argparse.Namespace) -> int:
    """The kiosk's own search over the same library and the same index file, for IT staff and
    tests. No results is not an error: it prints nothing."""
    from kiosk.app import build_services
    from kiosk.library.index import open_index

    if error := _check_packs(args.pack):
        return _fail(error)
    settings = load_settings()
    services = build_services(settings, args.pack, speech=False)
    with open_index(services.catalog, settings.data_dir) as index:
        hits = index.search(" ".join(args.query), limit=args.limit)
    for hit in hits:
        title = " ".join(hit.title.split())  # a tab or newline in a title would break the line
        print(f"{hit.topic_id}\t{title}")
    return 0


SECTION_GAP_MS = 600


def _clause(sentence: str) -> str:
    """'No speech engine is installed.' as this command's other refusals read: 'no speech
    engine is installed'."""
    sentence = sentence.strip().rstrip(".")
    return sentence[:1].lower() + sentence[1:]


def _speak(args: argparse.Namespace) -> int:
    """Each section is read as the kiosk reads it: the heading, then the text, one sentence at
    a time through the same synthesizer, so staff hear what a patient will hear."""
    import tempfile
    import wave

    from kiosk.app import build_services
    from kiosk.content.plain import html_to_text
    from kiosk.content.sentences import split_sentences
    from kiosk.speech.synth import SAMPLE_RATE, SpeechUnavailable, Synthesizer

    if error := _check_packs(args.pack):
        return _fail(error)
    services = build_services(load_settings(), args.pack, speech=False)
    topic = services.catalog.topic(args.topic)
    if topic is None:
        return _fail(f"no topic with id '{args.topic}'")
    count = len(topic.sections)
    if args.section is not None and not 1 <= args.section <= count:
        return _fail(f"--section must be 1 to {count} for '{args.topic}'")
    sections = topic.sections if args.section is None else [topic.sections[args.section - 1]]

    # The one line below says what is wrong; the synthesizer's own log lines are for the kiosk.
    logging.getLogger("kiosk.speech.synth").setLevel(logging.ERROR)
    parts: list[bytes] = []
    gap = b"\0\0" * (SAMPLE_RATE * SECTION_GAP_MS // 1000)
    with tempfile.TemporaryDirectory(prefix="kiosk-speak-") as workdir:
        synth = Synthesizer(Path(workdir))
        try:
            synth.start()
            if synth.voice_for(topic.language) is None:
                return _fail(
                    f"no voice for language '{topic.language}' is installed "
                    f"(topic '{topic.id}' is in it)"
                )
            for section in sections:
                if parts:
                    parts.append(gap)
                text = f"{section.title}\n{html_to_text(section.html)}"
                for sentence in split_sentences(text, topic.language):
                    speech = synth.synthesize(sentence.text, language=topic.language)
                    with wave.open(str(speech.wav), "rb") as audio:
                        shape = audio.getframerate(), audio.getnchannels(), audio.getsampwidth()
                        if shape != (SAMPLE_RATE, 1, 2):
                            return _fail(
                                f"the speech engine wrote {shape} audio, not 22,050 Hz mono"
                            )
                        parts.append(audio.readframes(audio.getnframes()))
                    speech.wav.unlink()
        except SpeechUnavailable as error:
            return _fail(_clause(str(error)))
        finally:
            synth.close()
    try:
        args.output.parent.mkdir(parents=True, exist_ok=True)
        with wave.open(str(args.output), "wb") as out:
            out.setnchannels(1)
            out.setsampwidth(2)
            out.setframerate(SAMPLE_RATE)
            out.writeframes(b"".join(parts))
    except OSError as error:
        return _fail(f"could not write {args.output} ({error.strerror})", EXIT_INVALID)
    print(args.output)
    return 0


def entry() -> NoReturn:
    """The `kiosk` command. After `kiosk shot` the process ends at once: the picture is
    written, nothing is left to close (no speech, no open database), and the interpreter's
    teardown of thousands of Qt and Python objects would take about 40 ms, a sixth of the
    whole command. Every other command exits the usual way."""
    code = main()
    if _FINISHED_SHOT:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    sys.exit(code)


if __name__ == "__main__":
    entry()
