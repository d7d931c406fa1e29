"""The `kiosk` command: run the kiosk, render a page to PNG, read a topic aloud into a WAV,
check a pack.

Each refusal is one line on stderr and a non-zero exit.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

from kiosk.config import load_settings

EXIT_USAGE = 2
EXIT_INVALID = 1


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


def _add_pack_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--pack",
        action="append",
        type=Path,
        default=[],
        metavar="DIR",
        help="add a pack folder to the library for this run (repeatable)",
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

    pack = sub.add_parser("pack", help="work with topic packs")
    pack_sub = pack.add_subparsers(dest="pack_command", metavar="ACTION", required=True)
    validate = pack_sub.add_parser("validate", help="check a pack folder; one line per problem")
    validate.add_argument("folder", type=Path, metavar="DIR")
    return parser


def quiet_qt_audio_probe() -> None:
    """Qt Multimedia tries PipeWire first and logs that its library is missing before it uses
    PulseAudio; on a kiosk without PipeWire that is expected, not a fault."""
    rules = os.environ.get("QT_LOGGING_RULES", "")
    if "qt.multimedia.symbolsresolver" not in rules:
        extra = "qt.multimedia.symbolsresolver.warning=false"
        os.environ["QT_LOGGING_RULES"] = f"{rules};{extra}" if rules else extra


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    if not args_list or (args_list[0].startswith("-") and args_list[0] not in ("-h", "--help")):
        args_list.insert(0, "run")
    args = build_parser().parse_args(args_list)
    quiet_qt_audio_probe()
    logging.basicConfig(level=logging.WARNING, format="kiosk: %(message)s")
    if args.command == "pack":
        return _pack_validate(args.folder)
    if args.command == "shot":
        return _shot(args)
    if args.command == "speak":
        return _speak(args)
    return _run(args)


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
    window = build_window(services, kiosk_mode=args.kiosk)
    if args.kiosk:
        window.enter_kiosk_mode()
    else:
        window.resize(1280, 800)
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


def _shot(args: argparse.Namespace) -> int:
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    _quiet_offscreen_messages()
    from kiosk.app import build_services, build_window

    if error := _check_packs(args.pack):
        return _fail(error)
    settings = load_settings()
    if args.text_size is not None and args.text_size not in settings.text_sizes:
        sizes = ", ".join(str(s) for s in settings.text_sizes)
        return _fail(f"--text-size must be one of {sizes}")
    services = build_services(settings, args.pack, speech=False)
    app = _qt_app(sys.argv[:1])
    window = build_window(services)
    window.resize(*args.size)
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
    window.show()
    if args.overlay == "contents":
        window.show_contents()
    elif args.overlay == "still-reading":
        window.still_reading.start(window.idle_countdown_s)
    for _ in range(3):
        app.processEvents()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    if not window.grab().save(str(args.out)):
        return _fail(f"could not write {args.out}", EXIT_INVALID)
    print(args.out)
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


if __name__ == "__main__":
    raise SystemExit(main())
