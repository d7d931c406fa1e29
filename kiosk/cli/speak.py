"""`kiosk speak`: a topic read aloud into a WAV file, so staff hear what a patient will hear."""

from __future__ import annotations

import argparse
import logging
from pathlib import Path

from kiosk.cli.exits import ExitCode, Refused
from kiosk.cli.options import Commands, add_pack_option, check_packs
from kiosk.config import load_settings

SECTION_GAP_MS = 600


def add_commands(commands: Commands) -> None:
    speak = commands.add_parser(
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
    add_pack_option(speak)
    speak.set_defaults(handler=speak_topic)


def _usage(message: str) -> Refused:
    return Refused(message, ExitCode.USAGE)


def _clause(sentence: str) -> str:
    """'No speech engine is installed.' as this command's other refusals read: 'no speech
    engine is installed'."""
    sentence = sentence.strip().rstrip(".")
    return sentence[:1].lower() + sentence[1:]


def speak_topic(args: argparse.Namespace) -> int:
    """Each section is read as the kiosk reads it: the heading, then the text, one sentence at
    a time through the same synthesizer."""
    from kiosk.app import build_services

    check_packs(args.pack)
    services = build_services(load_settings(), args.pack, speech=False)
    topic = services.catalog.topic(args.topic)
    if topic is None:
        raise _usage(f"no topic with id '{args.topic}'")
    count = len(topic.sections)
    if args.section is not None and not 1 <= args.section <= count:
        raise _usage(f"--section must be 1 to {count} for '{args.topic}'")
    sections = topic.sections if args.section is None else [topic.sections[args.section - 1]]
    texts = [(section.title, section.html) for section in sections]
    frames = _read_aloud(texts, topic.id, topic.language)
    _write_wav(args.output, frames)
    print(args.output)
    return ExitCode.OK


def _read_aloud(sections: list[tuple[str, str]], topic_id: str, language: str) -> bytes:
    """The sections' 16-bit mono frames, a short silence between sections."""
    import tempfile
    import wave

    from kiosk.content.plain import html_to_text
    from kiosk.content.sentences import split_sentences
    from kiosk.speech.synth import SAMPLE_RATE, SpeechUnavailable, Synthesizer

    # The one line below says what is wrong; the synthesizer's own log lines are for the kiosk.
    logging.getLogger("kiosk.speech.synth").setLevel(logging.ERROR)
    parts: list[bytes] = []
    gap = b"\0\0" * (SAMPLE_RATE * SECTION_GAP_MS // 1000)
    with tempfile.TemporaryDirectory(prefix="kiosk-speak-") as workdir:
        synth = Synthesizer(Path(workdir))
        try:
            synth.start()
            if synth.voice_for(language) is None:
                raise _usage(
                    f"no voice for language '{language}' is installed (topic '{topic_id}' is in it)"
                )
            for title, html in sections:
                if parts:
                    parts.append(gap)
                for sentence in split_sentences(f"{title}\n{html_to_text(html)}", language):
                    speech = synth.synthesize(sentence.text, language=language)
                    with wave.open(str(speech.wav), "rb") as audio:
                        shape = audio.getframerate(), audio.getnchannels(), audio.getsampwidth()
                        if shape != (SAMPLE_RATE, 1, 2):
                            raise _usage(
                                f"the speech engine wrote {shape} audio, not 22,050 Hz mono"
                            )
                        parts.append(audio.readframes(audio.getnframes()))
                    speech.wav.unlink()
        except SpeechUnavailable as error:
            raise _usage(_clause(str(error))) from None
        finally:
            synth.close()
    return b"".join(parts)


def _write_wav(path: Path, frames: bytes) -> None:
    import wave

    from kiosk.speech.synth import SAMPLE_RATE

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with wave.open(str(path), "wb") as out:
            out.setnchannels(1)
            out.setsampwidth(2)
            out.setframerate(SAMPLE_RATE)
            out.writeframes(frames)
    except OSError as error:
        raise Refused(f"could not write {path} ({error.strerror})", ExitCode.INVALID) from None
