"""Settings: defaults < system file < user file (KIOSK_CONFIG) < environment.

A bad value must never stop an unattended kiosk: one problem line, and the value below is used.
"""

from __future__ import annotations

from pathlib import Path

import platformdirs
import pytest

from kiosk.config import APP, DEFAULT_DISCLAIMER, OPTIONS, load_settings

DEFAULTS = {
    "screen.disclaimer": "This information does not replace the advice of a doctor.",
    "screen.idle_timeout": 90,
    "screen.idle_countdown": 30,
    "screen.text_sizes": [100, 125, 150, 175, 200, 250, 300],
    "screen.start_text_size": 0,
    "screen.high_contrast": False,
    "library.show_samples": True,
    "packs.trusted_keys": [],
    "packs.revoked_keys": [],
    "packs.require_signature": True,
    "packs.inbox": "",
    "packs.watch_roots": ["/media", "/run/media", "/mnt"],
}


@pytest.fixture
def system_file(tmp_path: Path) -> Path:
    return tmp_path / "system.toml"


@pytest.fixture
def user_file(tmp_path: Path) -> Path:
    return tmp_path / "user.toml"


@pytest.fixture
def env(user_file: Path) -> dict[str, str]:
    """Only what a test sets: never the real user config of whoever runs the tests."""
    return {"KIOSK_CONFIG": str(user_file)}


def test_defaults(env: dict[str, str], system_file: Path) -> None:
    settings = load_settings(env, system_file=system_file)
    assert settings.problems == ()
    assert settings.sources == ()
    assert {k: v for k, v in settings.values.items() if k != "library.data_dir"} == DEFAULTS
    assert settings["library.data_dir"] == platformdirs.user_data_dir(APP)
    assert settings.disclaimer == DEFAULT_DISCLAIMER
    assert settings.idle_timeout_ms == 90_000
    assert settings.idle_countdown_s == 30
    assert settings.text_sizes == (100, 125, 150, 175, 200, 250, 300)
    assert len(settings.text_sizes) >= 5 and settings.text_sizes[-1] >= 200
    assert settings.start_text_size is None  # from the screen's size


def test_every_option_has_a_valid_default_and_a_doc() -> None:
    for option in OPTIONS:
        assert isinstance(option.default, option.kind), option.key
        assert option.check(option.default), option.key
        assert option.doc, option.key


def test_layers_in_order(env: dict[str, str], system_file: Path, user_file: Path) -> None:
    system_file.write_text(
        '[screen]\nidle_timeout = 60\nidle_countdown = 40\ndisclaimer = "Ask at the desk."\n'
    )
    user_file.write_text("schema = 1\n[screen]\nidle_timeout = 70\nhigh_contrast = true\n")

    settings = load_settings(env, system_file=system_file)
    assert settings.problems == ()
    assert settings.sources == (str(system_file), str(user_file))
    assert settings["screen.idle_timeout"] == 70  # user file beats system file
    assert settings["screen.idle_countdown"] == 40  # only the system file sets it
    assert settings["screen.high_contrast"] is True
    assert settings.disclaimer == "Ask at the desk."

    env["KIOSK__SCREEN__IDLE_TIMEOUT"] = "120"
    settings = load_settings(env, system_file=system_file)
    assert settings.problems == ()
    assert settings["screen.idle_timeout"] == 120  # environment beats both files
    assert settings.idle_timeout_ms == 120_000
    assert settings["screen.idle_countdown"] == 40


def test_environment_text_and_list_values(env: dict[str, str], system_file: Path) -> None:
    env["KIOSK__SCREEN__DISCLAIMER"] = "Ask the nurse if you are unsure."
    env["KIOSK__SCREEN__TEXT_SIZES"] = "[100, 150, 250]"
    env["KIOSK__LIBRARY__SHOW_SAMPLES"] = "false"
    settings = load_settings(env, system_file=system_file)
    assert settings.problems == ()
    assert settings.disclaimer == "Ask the nurse if you are unsure."
    assert settings.text_sizes == (100, 150, 250)
    assert settings["library.show_samples"] is False


def test_data_dir(env: dict[str, str], system_file: Path, tmp_path: Path) -> None:
    system_file.write_text(f'[library]\ndata_dir = "{tmp_path / "from-file"}"\n')
    assert load_settings(env, system_file=system_file).data_dir == tmp_path / "from-file"
    env["KIOSK_DATA_DIR"] = str(tmp_path / "from-env")
    assert load_settings(env, system_file=system_file).data_dir == tmp_path / "from-env"


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (
            "idle_countdown = 10",
            "screen.idle_countdown = 10 is not valid (20 to 600); using 30",
        ),
        (
            "idle_timeout = 5",
            "screen.idle_timeout = 5 is not valid (10 to 3600); using 90",
        ),
        (
            "text_sizes = [100, 150, 125]",
            "screen.text_sizes = [100, 150, 125] is not valid "
            "(a rising list of percentages from 50 to 400); "
            "using [100, 125, 150, 175, 200, 250, 300]",
        ),
        (
            "text_sizes = [100, 100, 150]",
            "screen.text_sizes = [100, 100, 150] is not valid "
            "(a rising list of percentages from 50 to 400); "
            "using [100, 125, 150, 175, 200, 250, 300]",
        ),
        (
            "text_sizes = [100]",
            "screen.text_sizes = [100] is not valid "
            "(a rising list of percentages from 50 to 400); "
            "using [100, 125, 150, 175, 200, 250, 300]",
        ),
        (
            'disclaimer = ""',
            "screen.disclaimer = '' is not valid (non-empty, at most 300 characters); "
            f"using {DEFAULT_DISCLAIMER!r}",
        ),
        (
            'disclaimer = "   "',
            "screen.disclaimer = '   ' is not valid (non-empty, at most 300 characters); "
            f"using {DEFAULT_DISCLAIMER!r}",
        ),
        (
            'idle_timeout = "90"',
            "screen.idle_timeout = '90' is not valid (10 to 3600); using 90",
        ),
        (
            "idle_timeout = true",
            "screen.idle_timeout = True is not valid (10 to 3600); using 90",
        ),
        (
            "high_contrast = 1",
            "screen.high_contrast = 1 is not valid (bool); using False",
        ),
    ],
)
def test_invalid_value_is_one_problem_and_keeps_the_default(
    env: dict[str, str], system_file: Path, user_file: Path, line: str, expected: str
) -> None:
    user_file.write_text(f"[screen]\n{line}\n")
    settings = load_settings(env, system_file=system_file)
    assert settings.problems == (f"{user_file}: {expected}",)
    assert {k: v for k, v in settings.values.items() if k != "library.data_dir"} == DEFAULTS


def test_too_long_disclaimer(env: dict[str, str], system_file: Path, user_file: Path) -> None:
    user_file.write_text(f'[screen]\ndisclaimer = "{"x" * 301}"\n')
    settings = load_settings(env, system_file=system_file)
    assert len(settings.problems) == 1
    assert settings.disclaimer == DEFAULT_DISCLAIMER
    user_file.write_text(f'[screen]\ndisclaimer = "{"x" * 300}"\n')
    assert load_settings(env, system_file=system_file).disclaimer == "x" * 300


def test_one_problem_per_bad_value_good_ones_still_apply(
    env: dict[str, str], system_file: Path, user_file: Path
) -> None:
    user_file.write_text("[screen]\nidle_countdown = 10\nidle_timeout = 45\nhigh_contrast = 2\n")
    settings = load_settings(env, system_file=system_file)
    assert settings.problems == (
        f"{user_file}: screen.idle_countdown = 10 is not valid (20 to 600); using 30",
        f"{user_file}: screen.high_contrast = 2 is not valid (bool); using False",
    )
    assert settings["screen.idle_timeout"] == 45


def test_bad_user_value_keeps_the_system_value(
    env: dict[str, str], system_file: Path, user_file: Path
) -> None:
    system_file.write_text("[screen]\nidle_countdown = 45\n")
    user_file.write_text("[screen]\nidle_countdown = 10\n")
    settings = load_settings(env, system_file=system_file)
    assert settings["screen.idle_countdown"] == 45
    assert settings.problems == (
        f"{user_file}: screen.idle_countdown = 10 is not valid (20 to 600); using 45",
    )


def test_bad_environment_value(env: dict[str, str], system_file: Path) -> None:
    env["KIOSK__SCREEN__IDLE_COUNTDOWN"] = "5"
    settings = load_settings(env, system_file=system_file)
    assert settings.problems == (
        "environment: screen.idle_countdown = 5 is not valid (20 to 600); using 30",
    )
    assert settings.idle_countdown_s == 30


def test_broken_toml_file_is_one_problem_and_defaults_are_used(
    env: dict[str, str], system_file: Path, user_file: Path
) -> None:
    user_file.write_text("[screen\nidle_timeout = 30\n")
    settings = load_settings(env, system_file=system_file)
    assert settings.problems == (
        f"{user_file}: cannot read the config (Expected ']' at the end of a table declaration "
        "(at line 1, column 8)); it is ignored",
    )
    assert settings.sources == ()
    assert settings["screen.idle_timeout"] == 90


def test_config_file_not_in_utf8(env: dict[str, str], system_file: Path, user_file: Path) -> None:
    user_file.write_bytes('[screen]\ndisclaimer = "Caf\u00e9"\n'.encode("latin-1"))
    settings = load_settings(env, system_file=system_file)
    assert settings.problems == (
        f"{user_file}: cannot read the config ('utf-8' codec can't decode byte 0xe9 in "
        "position 26: invalid continuation byte); it is ignored",
    )
    assert settings.disclaimer == DEFAULT_DISCLAIMER


def test_config_path_that_is_a_folder(
    env: dict[str, str], system_file: Path, user_file: Path
) -> None:
    user_file.mkdir()
    settings = load_settings(env, system_file=system_file)
    assert settings.problems == (
        f"{user_file}: cannot read the config ([Errno 21] Is a directory: '{user_file}'); "
        "it is ignored",
    )


def test_schema_newer_than_supported_is_ignored(
    env: dict[str, str], system_file: Path, user_file: Path
) -> None:
    system_file.write_text("[screen]\nidle_timeout = 60\n")
    user_file.write_text("schema = 2\n[screen]\nidle_timeout = 30\n")
    settings = load_settings(env, system_file=system_file)
    assert settings.problems == (f"{user_file}: schema 2 is newer than this kiosk reads; ignored",)
    assert settings["screen.idle_timeout"] == 60
    assert settings.sources == (str(system_file),)


@pytest.mark.parametrize("schema", ["0", "-1", '"1"', "true"])
def test_schema_that_is_not_a_schema_number(
    env: dict[str, str], system_file: Path, user_file: Path, schema: str
) -> None:
    user_file.write_text(f"schema = {schema}\n[screen]\nidle_timeout = 30\n")
    settings = load_settings(env, system_file=system_file)
    [problem] = settings.problems
    assert problem.startswith(f"{user_file}: schema ")
    assert problem.endswith(" is not a schema number (1 or more); ignored")
    assert settings["screen.idle_timeout"] == 90


def test_other_sections_are_left_to_their_owners(
    env: dict[str, str], system_file: Path, user_file: Path
) -> None:
    user_file.write_text('[packs]\ntrusted_keys = ["RWQ..."]\n[screen]\nidle_timeout = 30\n')
    settings = load_settings(env, system_file=system_file)
    assert settings.problems == ()
    assert settings["screen.idle_timeout"] == 30


def test_with_values(env: dict[str, str], system_file: Path) -> None:
    settings = load_settings(env, system_file=system_file)
    changed = settings.with_values(screen__idle_timeout=30, screen__high_contrast=True)
    assert changed.idle_timeout_ms == 30_000
    assert changed["screen.high_contrast"] is True
    assert changed.problems == ()
    assert settings.idle_timeout_ms == 90_000, "the original is unchanged"


def test_with_values_checks_like_any_layer(env: dict[str, str], system_file: Path) -> None:
    settings = load_settings(env, system_file=system_file).with_values(screen__idle_timeout=45)
    checked = settings.with_values(screen__idle_countdown=3, screen__idle_timeout=True)
    assert checked.problems == (
        "override: screen.idle_countdown = 3 is not valid (20 to 600); using 30",
        "override: screen.idle_timeout = True is not valid (10 to 3600); using 45",
    )
    assert checked.idle_countdown_s == 30
    assert checked.idle_timeout_ms == 45_000


def test_a_bad_trusted_key_list_is_one_problem_and_trusts_nobody(
    env: dict[str, str], system_file: Path, user_file: Path
) -> None:
    user_file.write_text(
        '[packs]\ntrusted_keys = "RWQ...one key, not a list"\nrequire_signature = "no"\n'
    )
    settings = load_settings(env, system_file=system_file)
    assert settings["packs.trusted_keys"] == [] and settings["packs.require_signature"] is True
    assert len(settings.problems) == 2
    assert (
        "packs.trusted_keys" in settings.problems[0]
        and "packs.require_signature" in settings.problems[1]
    )


def test_staff_choose_the_starting_text_size(
    env: dict[str, str], system_file: Path, user_file: Path
) -> None:
    user_file.write_text("[screen]\nstart_text_size = 150\n")
    settings = load_settings(env, system_file=system_file)
    assert settings.problems == ()
    assert settings.start_text_size == 150


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        (
            "start_text_size = 110",
            "screen.start_text_size = 110 is not one of screen.text_sizes "
            "[100, 125, 150, 175, 200, 250, 300]; using 0 (worked out from the screen's size)",
        ),
        (
            "text_sizes = [100, 150, 200]\nstart_text_size = 125",
            "screen.start_text_size = 125 is not one of screen.text_sizes "
            "[100, 150, 200]; using 0 (worked out from the screen's size)",
        ),
    ],
)
def test_a_starting_size_that_is_not_a_step_is_one_problem(
    env: dict[str, str], system_file: Path, user_file: Path, lines: str, expected: str
) -> None:
    user_file.write_text(f"[screen]\n{lines}\n")
    settings = load_settings(env, system_file=system_file)
    assert settings.problems == (expected,)
    assert settings.start_text_size is None


def test_a_negative_starting_size_keeps_the_default(
    env: dict[str, str], system_file: Path, user_file: Path
) -> None:
    user_file.write_text("[screen]\nstart_text_size = -100\n")
    settings = load_settings(env, system_file=system_file)
    assert settings.problems == (
        f"{user_file}: screen.start_text_size = -100 is not valid "
        "(0, or one of screen.text_sizes); using 0",
    )
    assert settings.start_text_size is None
