"""Staff at the kiosk: the hidden way in, the PIN, installing from a real mounted USB stick
with a really signed pack, rolling back and removing. A temp tmpfs mount is the stick."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

import kiosk.library.catalog as catalog_module
from kiosk.app import build_services
from kiosk.config import Settings, load_settings
from kiosk.library.store import LibraryStore
from kiosk.packs.delivery import build_archive, sign_archive
from kiosk.packs.signing import generate_keypair, key_id_of, public_key_line
from kiosk.staff import PinStore
from kiosk.ui.pages import HomePage
from kiosk.ui.window import KioskWindow
from tests.ui.geometry import footer_problems, settle

PIN = "4826"

TOPIC = """+++
id = "heart-{version}"
title = "Heart Health (edition {version})"
category = "Clinic pack"
language = "en"
+++
A topic from the clinic's own pack.

## What to know

Your heart pumps blood all day. Walking helps it stay strong.
"""


def make_pack(root: Path, version: int) -> Path:
    folder = root / f"src-{version}"
    (folder / "topics").mkdir(parents=True)
    (folder / "pack.toml").write_text(
        f'format = 1\nid = "org.clinic.heart"\nversion = {version}\ntitle = "Heart pack"\n'
        'languages = ["en"]\npublisher = "Test Clinic"\n'
    )
    (folder / "topics" / f"heart-{version}.md").write_text(TOPIC.format(version=version))
    return folder


@pytest.fixture(scope="module")
def keys(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    prefix = tmp_path_factory.mktemp("keys") / "clinic"
    generate_keypair(prefix, None)
    pub = prefix.with_name("clinic.pub").read_text()
    return prefix.with_name("clinic.key"), public_key_line(pub)


@pytest.fixture
def staff_settings(tmp_path: Path, keys: tuple[Path, str]) -> Settings:
    config = tmp_path / "config.toml"
    config.write_text(
        f'[packs]\ntrusted_keys = ["{keys[1]}"]\nwatch_roots = ["{tmp_path / "media"}"]\n'
    )
    env = {"KIOSK_CONFIG": str(config), "KIOSK_DATA_DIR": str(tmp_path / "data")}
    settings = load_settings(env, system_file=tmp_path / "none.toml")
    PinStore(settings.data_dir / "staff-pin.json").set_pin(PIN)
    return settings


@pytest.fixture
def staff_window(make_window: Callable[..., KioskWindow], staff_settings: Settings) -> KioskWindow:
    return make_window(build_services(staff_settings, speech=False))


def put_signed_pack(stick: Path, tmp_path: Path, key: Path, version: int) -> Path:
    archive = build_archive(make_pack(tmp_path, version), stick)
    sign_archive(archive, key, None)
    return archive


def enter_pin(qtbot: QtBot, window: KioskWindow, pin: str) -> None:
    assert window.staff is not None and window.staff.pin.isVisible()
    for digit in pin:
        qtbot.mouseClick(window.staff.pin.keys[digit], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(window.staff.pin.keys["OK"], Qt.MouseButton.LeftButton)
    staff_done(qtbot, window)


def staff_done(qtbot: QtBot, window: KioskWindow) -> None:
    """Wait until the staff screens' work (PIN check, disk) has delivered its results."""
    assert window.staff is not None
    tasks = window.staff.tasks
    qtbot.waitUntil(lambda: not tasks.busy, timeout=15_000)
    settle()


def test_a_long_press_on_the_disclaimer_asks_for_the_pin(
    qtbot: QtBot, staff_window: KioskWindow
) -> None:
    window = staff_window
    qtbot.mousePress(window.footer, Qt.MouseButton.LeftButton)
    qtbot.wait(1000)
    qtbot.mouseRelease(window.footer, Qt.MouseButton.LeftButton)
    assert (
        window.staff is not None and not window.staff.pin.isVisible()
    )  # a short press does nothing
    qtbot.mousePress(window.footer, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(window.staff.pin.isVisible, timeout=4000)
    qtbot.mouseRelease(window.footer, Qt.MouseButton.LeftButton)
    assert footer_problems(window, window.settings.disclaimer) == []
    enter_pin(qtbot, window, "1111")
    assert window.staff.pin.message.text() == "Wrong PIN. 2 tries left."
    assert not window.staff.panel.isVisible()
    enter_pin(qtbot, window, PIN)
    assert window.staff.panel.isVisible()
    assert (
        "No packs are installed"
        in window.staff.panel.rows.findChildren(type(window.footer))[0].text()
    )


def test_a_stick_with_a_signed_pack_installs_from_the_staff_screen(
    qtbot: QtBot, staff_window: KioskWindow, stick: Path, tmp_path: Path, keys: tuple[Path, str]
) -> None:
    window = staff_window
    put_signed_pack(stick, tmp_path, keys[0], 1)
    assert window.staff is not None
    window.staff.media.poll()
    staff_done(qtbot, window)
    assert window.staff.banner.isVisible()
    assert window.staff.banner.title() == "Staff: 1 topic pack on the USB stick. Tap here."
    qtbot.mouseClick(window.staff.banner, Qt.MouseButton.LeftButton)
    enter_pin(qtbot, window, PIN)
    usb = window.staff.usb
    assert usb is not None and usb.isVisible()
    qtbot.waitUntil(lambda: bool(usb.tiles), timeout=10_000)
    tile = usb.tiles[0]
    assert tile.title() == "Heart pack"
    details = tile.text_label.text() if tile.text_label else ""
    assert "Version 1: new" in details and "1 topics (en) from Test Clinic" in details
    assert f"Signed by key {key_id_of(keys[1])}" in details
    assert usb.status.text() == "1 of 1 can be installed."
    qtbot.mouseClick(usb.install_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Installed Heart pack, version 1." in usb.status.text(), timeout=15_000)
    home = window.home
    assert isinstance(home, HomePage)
    assert "Clinic pack" in [t.title() for t in home.grid.tiles()]
    assert window.catalog.topic("heart-1") is not None
    store = LibraryStore(window.settings.data_dir / "library")
    assert [(p.id, p.version) for p in store.installed()] == [("org.clinic.heart", 1)]


def test_rollback_and_remove_from_the_staff_panel(
    qtbot: QtBot, staff_window: KioskWindow, tmp_path: Path, keys: tuple[Path, str]
) -> None:
    window = staff_window
    assert window.staff is not None
    shelf = tmp_path / "shelf"
    shelf.mkdir()
    for version in (1, 2):
        window.staff.desk.install(put_signed_pack(shelf, tmp_path, keys[0], version))
    window.staff.reload()
    staff_done(qtbot, window)
    window.staff.open(usb=False)
    enter_pin(qtbot, window, PIN)
    panel = window.staff.panel
    assert panel is not None and panel.isVisible()
    labels = [w.text() for w in panel.rows.findChildren(type(window.footer)) if w.isVisible()]
    assert "Heart pack: version 2 (can go back to version 1)" in labels
    back = [
        b
        for b in panel.rows.findChildren(type(window.header.home_button))
        if b.text() == "Roll back"
    ]
    qtbot.mouseClick(back[0], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: panel.status.text() == "Heart pack is back to version 1.", timeout=10_000
    )
    assert window.catalog.topic("heart-1") is not None and window.catalog.topic("heart-2") is None
    settle()  # the panel's new rows are shown by a queued event
    remove = [
        b
        for b in panel.rows.findChildren(type(window.header.home_button))
        if b.text() == "Remove" and b.isVisible()
    ]
    qtbot.mouseClick(remove[0], Qt.MouseButton.LeftButton)
    assert remove[0].text() == "Tap again to remove"  # one tap asks, nothing is removed yet
    assert window.catalog.topic("heart-1") is not None
    qtbot.mouseClick(remove[0], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.status.text() == "Removed org.clinic.heart.", timeout=10_000)
    assert window.catalog.topic("heart-1") is None
    assert "Clinic pack" not in [t.title() for t in window.home.grid.tiles()]


def test_a_refused_pack_says_why_and_installs_nothing(
    qtbot: QtBot, staff_window: KioskWindow, stick: Path, tmp_path: Path
) -> None:
    window = staff_window
    build_archive(make_pack(tmp_path, 3), stick)  # not signed
    assert window.staff is not None
    window.staff.media.poll()
    staff_done(qtbot, window)
    window.staff.open(usb=True)
    enter_pin(qtbot, window, PIN)
    usb = window.staff.usb
    assert usb is not None
    qtbot.waitUntil(lambda: bool(usb.tiles), timeout=10_000)
    assert not usb.tiles[0].isEnabled()
    assert "Cannot be installed:" in (
        usb.tiles[0].text_label.text() if usb.tiles[0].text_label else ""
    )
    assert usb.status.text() == "0 of 1 can be installed." and not usb.install_button.isEnabled()
    assert LibraryStore(window.settings.data_dir / "library").installed() == []


def test_idle_reset_closes_the_staff_screens(qtbot: QtBot, staff_window: KioskWindow) -> None:
    window = staff_window
    window.staff.open(usb=False)
    enter_pin(qtbot, window, PIN)
    window.reset_to_start()
    assert not window.staff.panel.isVisible()
    assert window.staff is not None and not window.staff.pin.isVisible()


def test_the_inbox_installs_a_signed_pack_by_itself(
    qtbot: QtBot,
    make_window: Callable[..., KioskWindow],
    tmp_path: Path,
    keys: tuple[Path, str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    config = tmp_path / "config.toml"
    config.write_text(f'[packs]\ntrusted_keys = ["{keys[1]}"]\ninbox = "{inbox}"\n')
    settings = load_settings(
        {"KIOSK_CONFIG": str(config), "KIOSK_DATA_DIR": str(tmp_path / "data")},
        system_file=tmp_path / "none.toml",
    )
    window = make_window(build_services(settings, speech=False))
    # Where the new pack's topics are read (the real reader runs; this only notes the thread):
    # a pack of thousands of topics read on the GUI thread would freeze a patient's screen.
    readers: list[str] = []
    real_read = catalog_module.read_pack_folder

    def noting(root: Path):  # type: ignore[no-untyped-def]
        readers.append(threading.current_thread().name)
        return real_read(root)

    monkeypatch.setattr(catalog_module, "read_pack_folder", noting)
    put_signed_pack(inbox, tmp_path, keys[0], 1)
    window.staff.check_inbox()  # first look: noted, not yet trusted to be complete
    staff_done(qtbot, window)
    assert window.catalog.topic("heart-1") is None
    window.staff.check_inbox()  # unchanged since: installs
    qtbot.waitUntil(lambda: window.catalog.topic("heart-1") is not None, timeout=10_000)
    assert readers and threading.main_thread().name not in readers, readers
    window.staff.check_inbox()  # offered once only
    staff_done(qtbot, window)
    assert [p.version for p in LibraryStore(settings.data_dir / "library").installed()] == [1]


def test_no_staff_work_touches_the_disk_on_the_gui_thread(
    qtbot: QtBot,
    make_window: Callable[..., KioskWindow],
    staff_settings: Settings,
    stick: Path,
    tmp_path: Path,
    keys: tuple[Path, str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The PIN's scrypt, the installed list, reading the library again after a rollback or a
    removal (seconds with thousands of topics), and the looks at the stick and the inbox: on
    the GUI thread each would freeze a patient's screen. The real code runs; this only notes
    the thread each ran on."""
    threads: dict[str, set[str]] = {}

    def noting(cls: type, name: str) -> None:
        real = getattr(cls, name)

        def wrapper(*args, **kwargs):  # type: ignore[no-untyped-def]
            threads.setdefault(name, set()).add(threading.current_thread().name)
            return real(*args, **kwargs)

        monkeypatch.setattr(cls, name, wrapper)

    from kiosk.library.desk import Inbox, StaffDesk

    shelf = tmp_path / "shelf"
    shelf.mkdir()
    build_services(staff_settings, speech=False).desk.install(
        put_signed_pack(shelf, tmp_path, keys[0], 1)
    )
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    settings = load_settings(
        {
            "KIOSK_CONFIG": str(tmp_path / "config.toml"),
            "KIOSK_DATA_DIR": str(staff_settings.data_dir),
            "KIOSK__PACKS__INBOX": str(inbox),
        },
        system_file=tmp_path / "none.toml",
    )
    services = build_services(settings, speech=False)  # at start, before any patient
    for cls, name in [
        (PinStore, "check"),
        (LibraryStore, "installed"),
        (LibraryStore, "rollback"),
        (LibraryStore, "remove"),
        (StaffDesk, "catalog"),
        (StaffDesk, "find"),
        (Inbox, "ready"),
    ]:
        noting(cls, name)
    window = make_window(services)
    assert window.staff is not None
    put_signed_pack(stick, tmp_path, keys[0], 3)
    window.staff.media.poll()
    staff_done(qtbot, window)
    assert window.staff.banner.isVisible()
    put_signed_pack(inbox, tmp_path, keys[0], 2)
    window.staff.check_inbox()
    window.staff.check_inbox()
    qtbot.waitUntil(lambda: window.catalog.topic("heart-2") is not None, timeout=15_000)
    window.staff.open(usb=False)
    enter_pin(qtbot, window, "0000")  # wrong: still checked on the worker
    enter_pin(qtbot, window, PIN)
    assert window.staff.panel.isVisible()
    window.staff._rollback("org.clinic.heart")
    staff_done(qtbot, window)
    assert window.staff.panel.status.text() == "Heart pack is back to version 1."
    window.staff._remove("org.clinic.heart")
    staff_done(qtbot, window)
    assert window.staff.panel.status.text() == "Removed org.clinic.heart."
    gui = threading.main_thread().name
    assert set(threads) == {"check", "installed", "rollback", "remove", "catalog", "find", "ready"}
    assert {name: seen for name, seen in threads.items() if gui in seen} == {}
