"""How long read-aloud waits for speech: one sentence from a warm child, and a cold start.

A patient taps "Read aloud" and waits for the first sentence's WAV (the narrator prefetches the
rest while one plays), so the warm figure is most of the wait; the cold start is paid once when
the kiosk starts, and again after a crash or hang. Prints figures; never fails.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from kiosk.speech.synth import SpeechUnavailable, Synthesizer

TRIES = 50
SENTENCE = "Talk with your doctor or nurse before you try it."  # 10 words, typical of the pack


def figures(name: str, times_ms: list[float]) -> None:
    ordered = sorted(times_ms)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    median = statistics.median(ordered)
    print(f"{name:<44} median {median:7.1f} ms   p95 {p95:7.1f} ms   ({len(ordered)} tries)")


def timed(action: Callable[[], object]) -> float:
    began = time.perf_counter()
    action()
    return (time.perf_counter() - began) * 1000


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="bench-synth-") as folder:
        workdir = Path(folder)
        try:
            with Synthesizer(workdir) as synth:
                synth.start()
                synth.synthesize(SENTENCE, language="en").wav.unlink()  # first use of the voice
                warm = []
                for _ in range(TRIES):
                    began = time.perf_counter()
                    speech = synth.synthesize(SENTENCE, language="en")
                    warm.append((time.perf_counter() - began) * 1000)
                    speech.wav.unlink()
                print(f"sentence: {SENTENCE!r}, {speech.duration_ms} ms of audio")
                figures("synthesize one sentence (warm child)", warm)

            cold, cold_first = [], []
            for _ in range(TRIES):
                with Synthesizer(workdir) as synth:
                    cold.append(timed(synth.start))
                with Synthesizer(workdir) as synth:
                    cold_first.append(timed(lambda s=synth: s.synthesize(SENTENCE, language="en")))
            figures("cold start of the child (start())", cold)
            figures("cold start + first sentence", cold_first)
        except SpeechUnavailable as error:
            print(f"no figures: {error}")


if __name__ == "__main__":
    main()
