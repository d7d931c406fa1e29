"""What a patient can choose about reading aloud, and what the page says when it cannot be
done: plain data, so the screens that show these need not load the audio libraries."""

from __future__ import annotations

RATES = {"slow": 130, "normal": 160, "fast": 195}  # words per minute
# Five steps (EN 301 549 5.1.3.13 asks for at least four), about 3 dB apart: the ear hears
# loudness by ratios, so equal ratios sound like equal steps. The default is the fourth.
VOLUMES = (0.25, 0.4, 0.55, 0.75, 1.0)
DEFAULT_VOLUME = 0.75

# Also what the speech child says when libespeak-ng cannot be loaded: one sentence for "no
# engine", whether the kiosk was built without speech or the library is missing.
NO_ENGINE = "Reading aloud is not available: no speech engine is installed."
NO_SPEAKER = "Reading aloud is not available: no speaker or headphones are connected."
NOT_WORKING = "Reading aloud stopped working. Please try again."
# The sound system went away (restarted, or the speaker was unplugged): it usually comes back
# by itself, and reading aloud with it, so the patient is told no more than this.
AUDIO_LOST = "Reading aloud is not available just now."
