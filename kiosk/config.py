"""One typed settings registry: defaults < system file < user file < environment.

Every option is declared once in `OPTIONS` with its type, default and a check. Files are TOML
with a `schema` number; `_UPGRADES` carries old files forward. A bad value never stops an
unattended kiosk: it is reported once (see `Settings.problems`) and the value from the layer
below (in the end, the default) is used.
"""

from __future__ import annotations

import logging
import os
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import platformdirs

log = logging.getLogger(__name__)

APP = "waiting-room-kiosk"
SCHEMA = 1
SYSTEM_FILE = Path("/etc") / APP / "config.toml"
DEFAULT_DISCLAIMER = "This information does not replace the advice of a doctor."


@dataclass(frozen=True, slots=True)
class Option:
    key: str  # "section.name" as written in the TOML file
    kind: type
    default: Any
    doc: str
    check: Callable[[Any], bool] = lambda _value: True
    rule: str = ""


def _int_list_ok(value: Any) -> bool:
    return (
        isinstance(value, list)
        and len(value) >= 2
        and all(isinstance(v, int) and 50 <= v <= 400 for v in value)
        and value == sorted(set(value))
    )


def _str_list_ok(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) and v.strip() for v in value)


OPTIONS: tuple[Option, ...] = (
    Option(
        "screen.disclaimer",
        str,
        DEFAULT_DISCLAIMER,
        "The footer shown on every page. Packs cannot change it.",
        lambda v: bool(v.strip()) and len(v) <= 300,
        "non-empty, at most 300 characters",
    ),
    Option(
        "screen.idle_timeout",
        int,
        90,
        "Seconds without a touch (or speech) before 'Still reading?' appears.",
        lambda v: 10 <= v <= 3600,
        "10 to 3600",
    ),
    Option(
        "screen.idle_countdown",
        int,
        30,
        "Seconds the 'Still reading?' countdown runs before going back to the start.",
        lambda v: 20 <= v <= 600,
        "20 to 600",
    ),
    Option(
        "screen.text_sizes",
        list,
        [100, 125, 150, 175, 200, 250, 300],
        "Text size steps in percent, smallest first.",
        _int_list_ok,
        "a rising list of percentages from 50 to 400",
    ),
    Option(
        "screen.start_text_size",
        int,
        0,
        "The text size every patient starts at, one of text_sizes. 0: the smallest step whose "
        "capital letters are at least 4.8 mm tall on this screen (Section 508 402.4).",
        lambda v: v >= 0,
        "0, or one of screen.text_sizes",
    ),
    Option("screen.high_contrast", bool, False, "Start in the high-contrast theme."),
    Option(
        "library.show_samples",
        bool,
        True,
        "Show the bundled sample topics (turn off once the clinic has its own packs).",
    ),
    Option(
        "library.data_dir",
        str,
        "",
        "Where the installed library lives. Empty: the platform's data dir. "
        "KIOSK_DATA_DIR overrides it.",
    ),
    Option(
        "packs.trusted_keys",
        list,
        [],
        "minisign public keys (the base64 line of a .pub file) whose packs may be installed.",
        _str_list_ok,
        "a list of base64 public-key lines",
    ),
    Option(
        "packs.revoked_keys",
        list,
        [],
        "Keys that may no longer install packs, even if listed as trusted.",
        _str_list_ok,
        "a list of base64 public-key lines",
    ),
    Option(
        "packs.require_signature",
        bool,
        True,
        "Refuse packs without a valid signature from a trusted key.",
    ),
    Option(
        "packs.inbox",
        str,
        "",
        "A folder a sync tool fills with signed packs; they install by themselves. Empty: off.",
    ),
    Option(
        "packs.watch_roots",
        list,
        ["/media", "/run/media", "/mnt"],
        "Where USB sticks are mounted; packs on them prompt staff.",
        _str_list_ok,
        "a list of folders",
    ),
)
_BY_KEY = {o.key: o for o in OPTIONS}

# schema N -> function turning a schema-N mapping into schema N+1.
_UPGRADES: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {}


@dataclass(frozen=True, slots=True)
class Settings:
    values: Mapping[str, Any]
    problems: tuple[str, ...] = ()
    sources: tuple[str, ...] = field(default=())

    def __getitem__(self, key: str) -> Any:
        return self.values[key]

    @property
    def disclaimer(self) -> str:
        return str(self.values["screen.disclaimer"])

    @property
    def idle_timeout_ms(self) -> int:
        return int(self.values["screen.idle_timeout"]) * 1000

    @property
    def idle_countdown_s(self) -> int:
        return int(self.values["screen.idle_countdown"])

    @property
    def text_sizes(self) -> tuple[int, ...]:
        return tuple(self.values["screen.text_sizes"])

    @property
    def start_text_size(self) -> int | None:
        """The staff's starting text size, or None: work it out from the screen's size."""
        return int(self.values["screen.start_text_size"]) or None

    @property
    def data_dir(self) -> Path:
        return Path(self.values["library.data_dir"])

    def with_values(self, **changes: Any) -> Settings:
        """A copy with some options changed ("screen__idle_timeout" for "screen.idle_timeout"),
        checked like any other layer: for tests and for the CLI."""
        values = dict(self.values)
        problems = list(self.problems)
        _apply({k.replace("__", "."): v for k, v in changes.items()}, "override", values, problems)
        _check_together(values, problems)
        return Settings(values, tuple(problems), self.sources)


def _flatten(data: Mapping[str, Any]) -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for section, table in data.items():
        if section == "schema":
            continue
        if isinstance(table, Mapping):
            for name, value in table.items():
                flat[f"{section}.{name}"] = value
        else:
            flat[section] = table
    return flat


def _apply(
    flat: Mapping[str, Any], source: str, values: dict[str, Any], problems: list[str]
) -> None:
    for key, value in flat.items():
        option = _BY_KEY.get(key)
        if option is None:
            continue  # other parts of the config (e.g. [packs]) are read by their owners
        ok = isinstance(value, option.kind) and not (option.kind is int and isinstance(value, bool))
        if not ok or not option.check(value):
            rule = option.rule or option.kind.__name__
            # Not always the default: a bad user-file value leaves the system file's value.
            problems.append(
                f"{source}: {key} = {value!r} is not valid ({rule}); using {values[key]!r}"
            )
            continue
        values[key] = value


def _check_together(values: dict[str, Any], problems: list[str]) -> None:
    """Options whose rule names another option: checked once every layer is in."""
    start = values["screen.start_text_size"]
    if start and start not in values["screen.text_sizes"]:
        problems.append(
            f"screen.start_text_size = {start!r} is not one of screen.text_sizes "
            f"{values['screen.text_sizes']!r}; using 0 (worked out from the screen's size)"
        )
        values["screen.start_text_size"] = 0


def _read_file(path: Path, problems: list[str]) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            data = tomllib.load(handle)
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        # UnicodeDecodeError: tomllib decodes the bytes itself, and a file saved in a legacy
        # encoding must not stop the kiosk from starting.
        problems.append(f"{path}: cannot read the config ({error}); it is ignored")
        return {}
    schema = data.get("schema", SCHEMA)
    if not isinstance(schema, int) or isinstance(schema, bool) or schema < 1:
        problems.append(f"{path}: schema {schema!r} is not a schema number (1 or more); ignored")
        return {}
    if schema > SCHEMA:
        problems.append(f"{path}: schema {schema!r} is newer than this kiosk reads; ignored")
        return {}
    while schema < SCHEMA:
        data = _UPGRADES[schema](data)
        schema += 1
    return _flatten(data)


def user_config_file(env: Mapping[str, str]) -> Path:
    explicit = env.get("KIOSK_CONFIG")
    if explicit:
        return Path(explicit)
    return Path(platformdirs.user_config_dir(APP)) / "config.toml"


def load_settings(
    env: Mapping[str, str] | None = None, *, system_file: Path = SYSTEM_FILE
) -> Settings:
    """Read every layer. `KIOSK_CONFIG` names the user file; `KIOSK_DATA_DIR` the data dir;
    `KIOSK__SECTION__NAME=value` (a TOML value, or plain text) overrides one option."""
    env = os.environ if env is None else env
    values = {o.key: o.default for o in OPTIONS}
    problems: list[str] = []
    sources: list[str] = []
    # KIOSK_SYSTEM_CONFIG: for tests and for trying a fleet's config without installing it.
    system_file = Path(env.get("KIOSK_SYSTEM_CONFIG", system_file))
    for path in (system_file, user_config_file(env)):
        flat = _read_file(path, problems)
        if flat:
            sources.append(str(path))
        _apply(flat, str(path), values, problems)

    overrides: dict[str, Any] = {}
    for name, raw in env.items():
        if name.startswith("KIOSK__") and name.count("__") == 2:
            key = name[7:].lower().replace("__", ".")
            try:
                overrides[key] = tomllib.loads(f"v = {raw}")["v"]
            except tomllib.TOMLDecodeError:
                overrides[key] = raw
    if env.get("KIOSK_DATA_DIR"):
        overrides["library.data_dir"] = env["KIOSK_DATA_DIR"]
    _apply(overrides, "environment", values, problems)
    _check_together(values, problems)

    if not values["library.data_dir"]:
        values["library.data_dir"] = platformdirs.user_data_dir(APP)
    for problem in problems:
        log.warning("%s", problem)
    return Settings(values, tuple(problems), tuple(sources))
