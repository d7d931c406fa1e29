"""The kiosk as a screen reader finds it: a real window on a private X server, read through
AT-SPI by a real client (pyatspi), driven by taps through the X server and by the actions a
screen-reader user would use. One kiosk for the module (tests/a11y/conftest.py); each test
starts from home.

What is checked is what a blind patient would meet: every control's name holds the words on
it (WCAG 2.5.3), titles are headings with their level, tiles are lists and related topics are
links, the disclaimer is read in full on every page and overlay, a new page puts the focus
on its title, overlays are modal dialogs, and status messages are said without looking.
"""

from __future__ import annotations

import time

import pytest

from kiosk.config import DEFAULT_DISCLAIMER
from tests.a11y.conftest import IDLE_SECONDS, Kiosk
from tests.a11y.reader import Node, ScreenReader, contains_words

CONTROLS = ("push button", "check box", "toggle button", "link", "list item")


def controls_are_named(tree: Node) -> None:
    """Every control on screen has a name, and a tile's name holds the words of its title
    (the label inside it that a sighted patient reads)."""
    for node in tree.walk():
        if node.role not in CONTROLS:
            continue
        assert node.name.strip(), f"an unnamed {node.role}:\n{tree.outline()}"
        labels = [child for child in node.children if child.role == "label"]
        if labels:
            title = labels[0].name
            assert contains_words(node.name, title), f"{node.name!r} does not say {title!r}"


def footer_is_read(tree: Node) -> None:
    footer = tree.find("footer")
    assert footer.name == DEFAULT_DISCLAIMER


def shows(tree: Node, words: str) -> Node:
    """The control a patient sees `words` on (signs such as ◀ are not words): its name must
    hold them."""
    found = [
        node for node in tree.walk() if node.role in CONTROLS and contains_words(node.name, words)
    ]
    assert found, f"no control whose name says {words!r}:\n{tree.outline()}"
    return found[0]


def heading(tree: Node, name: str, level: int) -> Node:
    found = tree.find("heading", name)
    assert found.attributes.get("level") == str(level), found.attributes
    return found


def focused_on(reader: ScreenReader, role: str, name: str) -> Node:
    def check(tree: Node) -> bool:
        return any("focused" in n.states and n.role == role and name in n.name for n in tree.walk())

    return reader.wait_until(check, f"focus on the {role} {name!r}")


def open_topic(kiosk: Kiosk, category: str, title: str) -> Node:
    reader = kiosk.reader
    reader.tap(kiosk.home().find("push button", category))
    tree = focused_on(reader, "heading", category)
    reader.tap(tree.find("push button", title))
    return focused_on(reader, "heading", title)


def test_home_says_what_each_control_is(kiosk: Kiosk) -> None:
    tree = kiosk.home()
    heading(tree, "Health topics", 1)
    for words in ("Home", "Back", "Contrast"):
        shows(tree, words)  # ⌂ Home, ◀ Back, ◐ Contrast (a check box)
    for sign in ("A−", "A+"):  # no words, but a speech-input user says them as seen
        assert tree.find("push button", sign).name.startswith(sign)
    groups = tree.find("list")
    tiles = [child for child in groups.children if child.role == "push button"]
    assert len(tiles) >= 5
    everything = groups.find("push button", "All topics A to Z")
    assert everything.description == "87 topics"  # the line under its title
    controls_are_named(tree)
    footer_is_read(tree)


def test_a_new_page_puts_the_focus_on_its_title(kiosk: Kiosk) -> None:
    reader = kiosk.reader
    reader.tap(kiosk.home().find("push button", "Back and neck"))
    tree = focused_on(reader, "heading", "Back and neck")
    heading(tree, "Back and neck", 1)
    focus = [e for e in reader.events() if e["type"] == "object:state-changed:focused"]
    gained = [e for e in focus if e["detail1"] == 1]
    assert gained and gained[-1]["role"] == "heading", focus
    assert gained[-1]["name"] == "Back and neck"
    topics = tree.find("list").find_all("push button")
    assert [t.name for t in topics][:2] == ["Low Back Pain", "Neck Pain"]
    assert topics[0].description.startswith("Low back pain is very common")
    controls_are_named(tree)
    footer_is_read(tree)
    reader.tap(tree.find("push button", "Back"))
    focused_on(reader, "heading", "Health topics")


@pytest.mark.xfail(
    strict=True,
    reason="since the keys and visual branches merged, the 'All topics A to Z' tile lies below "
    "the fold of this window and the tap at its place misses; pressing it through AT-SPI "
    "instead upsets the rest of the module: left open in issue 10's closing note",
)
def test_the_long_a_to_z_list_is_a_list_of_topics(kiosk: Kiosk) -> None:
    reader = kiosk.reader
    reader.tap(kiosk.home().find("push button", "All topics A to Z"))
    tree = focused_on(reader, "heading", "All topics A to Z")
    heading(tree, "All topics A to Z: 87 topics", 1)
    rows = tree.find("list")
    assert rows.child_count == 87
    items = rows.find_all("list item")
    assert items and all(item.name for item in items)
    assert items[0].name <= items[1].name  # in A to Z order
    for letter in "ABS":
        shows(tree, letter)  # the letter bar: "Topics starting with A"
    controls_are_named(tree)
    footer_is_read(tree)


def test_a_topic_reads_as_headings_text_and_links(kiosk: Kiosk) -> None:
    reader = kiosk.reader
    tree = open_topic(kiosk, "Back and neck", "Low Back Pain")
    heading(tree, "Low Back Pain", 1)
    heading(tree, "What is low back pain?", 2)
    body = [n for n in tree.walk() if n.text and "lower part of your back" in n.text]
    assert body, "the part's text is not readable"
    for words in ("Previous", "Read aloud", "Contents", "Next"):
        shows(tree, words)
    controls_are_named(tree)

    reader.forget()
    reader.press(shows(tree, "Next"))
    reader.wait_for_announcement("Part 2 of 5")

    reader.tap(shows(reader.tree(), "Contents"))
    tree = reader.wait_until(lambda t: bool(t.find_all("dialog")), "the contents")
    dialog = tree.find("dialog")
    assert dialog.name == "Contents: Low Back Pain"
    assert "modal" in dialog.states
    heading(dialog, "Contents: Low Back Pain", 2)
    parts = dialog.find("list").find_all("push button")
    assert parts[0].name == "1. What is low back pain?"
    assert parts[1].description == "On screen now"
    controls_are_named(tree)
    footer_is_read(tree)  # below the overlay, as on every page

    reader.tap(parts[-1])  # the credits: about this information, and related topics
    tree = reader.wait_until(lambda t: not t.find_all("dialog"), "the contents closing")
    tree = reader.wait_until(
        lambda t: bool(t.find_all("heading", "About this information")), "the credits"
    )
    heading(tree, "About this information", 2)
    heading(tree, "Read about", 3)
    links = tree.find_all("link")
    assert {link.name for link in links} >= {"Staying Active", "Spinal Manipulation"}
    assert all("Press" in link.actions for link in links)
    reader.press(tree.find("link", "Spinal Manipulation"))
    focused_on(reader, "heading", "Spinal Manipulation")


def test_read_aloud_and_sound_controls_say_their_words(kiosk: Kiosk) -> None:
    reader = kiosk.reader
    tree = open_topic(kiosk, "Back and neck", "Neck Pain")
    reader.tap(shows(tree, "Read aloud"))
    tree = reader.wait_until(
        lambda t: bool(t.find_all("push button", "Stop")), "the reading buttons", 20
    )
    for words in ("Pause", "Stop", "Again", "Sound"):
        shows(tree, words)  # ❚❚ Pause, ■ Stop, ↺ Again, Sound
    controls_are_named(tree)

    # By the buttons' own actions: the bar is laid out again as it appears, under a finger.
    # Pause is taken only once the voice is heard (while the first sentence is still being
    # made, the narrator ignores it), so it is pressed until it turns into Go on.
    def paused(tree: Node) -> bool:
        if tree.find_all("push button", "Go on"):
            return True
        reader.press(shows(tree, "Pause"))
        return False

    tree = reader.wait_until(paused, "Pause turning into Go on", 20)
    reader.press(shows(tree, "Sound"))
    tree = reader.wait_until(lambda t: bool(t.find_all("dialog", "Sound")), "the sound card")
    dialog = tree.find("dialog", "Sound")
    assert "modal" in dialog.states
    heading(dialog, "Sound", 2)
    for words in ("Slower", "Faster", "Quieter", "Louder", "Done"):
        assert [n.name for n in dialog.find_all("push button", words)] == [words]
    assert dialog.find("check box").name == "Keep reading the next parts"
    footer_is_read(tree)
    reader.press(dialog.find("push button", "Done"))
    reader.press(shows(reader.tree(), "Stop"))


def test_search_says_what_was_typed_and_what_was_found(kiosk: Kiosk) -> None:
    reader = kiosk.reader
    reader.tap(kiosk.home().find("push button", "Search"))
    tree = focused_on(reader, "text", "Search")
    keys = {n.name: n for n in tree.walk() if n.role == "push button"}
    for words in ("Space", "Delete", "Clear", *"ABCXYZ"):
        shows(tree, words)  # ⌫ Delete is "Delete"
    for letter in "FEVER":
        reader.press(keys[letter])
        time.sleep(0.25)  # a key's press takes 100 ms (Qt's animateClick): E, E is two presses
    tree = reader.wait_until(
        lambda t: t.find("text", "Search").text == "fever", "the typed word in the field"
    )
    found = reader.wait_for_announcement("topics found")
    assert any(said.endswith("topics found") and said[0].isdigit() for said in found), found
    results = tree.find("list").find_all("push button")
    assert any("Fever" in r.name for r in results)
    controls_are_named(tree)
    footer_is_read(tree)


def test_text_size_changes_are_said(kiosk: Kiosk) -> None:
    reader = kiosk.reader
    reader.tap(kiosk.home().find("push button", "A+"))  # its sign tells it from A−
    reader.wait_for_announcement("Text size 125 percent")
    reader.tap(reader.tree().find("push button", "A−"))
    reader.wait_for_announcement("Text size 100 percent")


def test_the_staff_pin_pad_says_its_keys_and_answers(kiosk: Kiosk) -> None:
    reader = kiosk.reader
    tree = kiosk.home()
    kiosk.desktop.hold(*tree.find("footer").center(), seconds=3.3)
    tree = reader.wait_until(lambda t: bool(t.find_all("dialog", "Staff PIN")), "the PIN")
    dialog = tree.find("dialog", "Staff PIN")
    assert "modal" in dialog.states
    heading(dialog, "Staff PIN", 2)
    for words in (*"0123456789", "OK", "Cancel"):
        shows(dialog, words)
    footer_is_read(tree)
    for key in "1234":
        reader.press(dialog.find("push button", key))
    reader.press(shows(dialog, "OK"))
    reader.wait_for_announcement("No staff PIN is set")
    reader.tap(reader.tree().find("push button", "Cancel"))


def test_still_reading_says_its_countdown(kiosk: Kiosk) -> None:
    """Last: it waits for the kiosk's idle time, the shortest a clinic can set."""
    reader = kiosk.reader
    open_topic(kiosk, "Back and neck", "Neck Pain")
    reader.forget()
    started = time.monotonic()
    said = reader.wait_for_announcement("Still reading?", timeout=IDLE_SECONDS + 10)
    assert time.monotonic() - started < IDLE_SECONDS + 5
    assert any("seconds" in s for s in said), said
    tree = reader.tree()
    dialog = tree.find("dialog", "Still reading?")
    assert "modal" in dialog.states
    heading(dialog, "Still reading?", 2)
    for words in ("Yes, keep reading", "Start over"):
        shows(dialog, words)
    footer_is_read(tree)
    reader.tap(dialog.find("push button", "Yes, keep reading"))
    reader.wait_until(lambda t: not t.find_all("dialog"), "the card closing")
