"""A patient's taps, swipes and links, with what they then see on screen."""

from __future__ import annotations

from PySide6.QtCore import QElapsedTimer, QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QMouseEvent, QTextCursor
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from kiosk.ui.pages import HomePage, TopicListPage, TopicPage
from kiosk.ui.widgets import Tile
from kiosk.ui.window import KioskWindow
from tests.ui.geometry import settle


def tile(page_tiles: list, title: str) -> Tile:  # type: ignore[type-arg]
    found = [t for t in page_tiles if isinstance(t, Tile) and t.title() == title]
    assert found, f"no tile {title!r} among {[t.title() for t in page_tiles]}"
    return found[0]


def tap(qtbot: QtBot, widget) -> None:  # type: ignore[no-untyped-def]
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)
    settle()


def topic_page(window: KioskWindow) -> TopicPage:
    page = window.page()
    assert isinstance(page, TopicPage)
    return page


def shown_text(page: TopicPage) -> str:
    return page.body.toPlainText()


def open_spinal(qtbot: QtBot, window: KioskWindow) -> TopicPage:
    home = window.page()
    assert isinstance(home, HomePage)
    tap(qtbot, tile(home.grid.tiles(), "Back and neck"))
    listing = window.page()
    assert isinstance(listing, TopicListPage)
    assert listing.heading.text() == "Back and neck"
    tap(qtbot, tile(listing.grid.tiles(), "Spinal Manipulation"))
    return topic_page(window)


def test_home_shows_categories_and_a_to_z(window: KioskWindow) -> None:
    home = window.page()
    assert isinstance(home, HomePage)
    titles = [t.title() for t in home.grid.tiles()]
    assert titles[-1] == "All topics A to Z"
    assert titles[:-1] == sorted(titles[:-1], key=str.casefold)
    assert len(titles) >= 4
    assert not window.header.home_button.isEnabled()
    assert not window.header.back_button.isEnabled()


def test_tap_through_to_a_topic_and_page_through_its_parts(
    qtbot: QtBot, window: KioskWindow
) -> None:
    page = open_spinal(qtbot, window)
    assert page.heading.text() == "Spinal Manipulation" and page.heading.isVisible()
    assert page.position.text() == "Part 1 of 6"
    assert page.section_title.text() == "Overview"
    assert not page.previous_button.isEnabled()

    tap(qtbot, page.next_button)
    assert page.section_title.text() == "Why might you choose this treatment for back pain?"
    assert page.position.text() == "Spinal Manipulation: part 2 of 6"
    assert not page.heading.isVisible()
    assert "back pain" in shown_text(page)

    for _ in range(10):  # tapping past the end stays on the credits
        tap(qtbot, page.next_button) if page.next_button.isEnabled() else None
    assert page.section_title.text() == "About this information"
    assert not page.next_button.isEnabled()
    credits = shown_text(page)
    assert "Current as of: 23 November 2026" in credits
    assert "Written by:" in credits
    assert "No clinic or doctor has reviewed it" in credits

    tap(qtbot, page.previous_button)
    assert page.section_title.text() == "Related Information"


def test_swipe_left_and_right_changes_part(qtbot: QtBot, window: KioskWindow) -> None:
    page = open_spinal(qtbot, window)
    viewport = page.body.viewport()
    y = viewport.height() // 2

    def swipe(x0: int, x1: int) -> None:
        QTest.mousePress(viewport, Qt.MouseButton.LeftButton, pos=QPoint(x0, y))
        for step in range(1, 6):
            QTest.mouseMove(viewport, QPoint(x0 + (x1 - x0) * step // 5, y), delay=10)
        QTest.mouseRelease(viewport, Qt.MouseButton.LeftButton, pos=QPoint(x1, y), delay=10)
        settle()

    swipe(600, 100)  # finger moves left: next part
    assert page.index == 1
    swipe(600, 100)
    assert page.index == 2
    swipe(100, 600)  # finger moves right: previous part
    assert page.index == 1
    swipe(300, 260)  # too short to be a swipe
    assert page.index == 1


def finger_drag(qtbot: QtBot, widget: QWidget, points: list[QPoint], step_ms: int = 16) -> None:
    """A drag as a touch panel delivers it: press, moves and release with real timestamps
    (QTest's synthetic clock confuses QScroller's speed estimate)."""
    clock = QElapsedTimer()
    clock.start()
    base = 1_000_000

    def send(kind: QEvent.Type, point: QPoint, buttons: Qt.MouseButton) -> None:
        local = QPointF(point)
        event = QMouseEvent(
            kind,
            local,
            QPointF(widget.mapToGlobal(point)),
            Qt.MouseButton.LeftButton,
            buttons,
            Qt.KeyboardModifier.NoModifier,
        )
        event.setTimestamp(base + clock.elapsed())
        QApplication.sendEvent(widget, event)

    send(QEvent.Type.MouseButtonPress, points[0], Qt.MouseButton.LeftButton)
    for point in points[1:]:
        qtbot.wait(step_ms)
        send(QEvent.Type.MouseMove, point, Qt.MouseButton.LeftButton)
    send(QEvent.Type.MouseButtonRelease, points[-1], Qt.MouseButton.NoButton)


def test_drag_scrolls_a_long_part_vertically(qtbot: QtBot, window: KioskWindow) -> None:
    page = open_spinal(qtbot, window)
    window.set_text_size(200)
    settle()
    bar = page.area.verticalScrollBar()
    assert bar.maximum() > 0, "part 1 at 200% should need scrolling in 1280x800"
    viewport = page.area.viewport()
    x = viewport.width() // 2
    finger_drag(qtbot, viewport, [QPoint(x, 500 - 30 * step) for step in range(11)])
    qtbot.waitUntil(lambda: bar.value() > 0, timeout=3000)
    assert page.index == 0  # a vertical drag is not a swipe


def test_contents_lists_every_part_and_jumps(qtbot: QtBot, window: KioskWindow) -> None:
    page = open_spinal(qtbot, window)
    tap(qtbot, page.contents_button)
    assert window.contents.isVisible()
    tiles = window.contents.grid.tiles()
    assert [t.title() for t in tiles] == [
        "1. Overview",
        "2. Why might you choose this treatment for back pain?",
        "3. How does spinal manipulation feel?",
        "4. Who can do spinal manipulation?",
        "5. Related Information",
        "6. About this information",
    ]
    assert tiles[0].property("current") is True
    tap(qtbot, tiles[3])
    assert not window.contents.isVisible()
    assert page.section_title.text() == "Who can do spinal manipulation?"


def test_related_topic_tiles_and_text_links_open_topics(qtbot: QtBot, window: KioskWindow) -> None:
    page = open_spinal(qtbot, window)
    page.show_part(4)  # Related Information
    settle()
    assert page.links.isVisible()
    titles = [t.title() for t in page.links.tiles()]
    assert "Low Back Pain" in titles

    # A real tap on the words of the link in the text.
    cursor = page.body.document().find("Neck Pain")
    assert not cursor.isNull()
    cursor.setPosition(cursor.selectionStart() + 2, QTextCursor.MoveMode.MoveAnchor)
    point = page.body.cursorRect(cursor).center()
    qtbot.mouseClick(page.body.viewport(), Qt.MouseButton.LeftButton, pos=point)
    settle()
    assert topic_page(window).topic.id == "neck-pain"

    tap(qtbot, window.header.back_button)
    back = topic_page(window)
    assert back.topic.id == "spinal-manipulation"
    tap(qtbot, tile(back.links.tiles(), "Low Back Pain"))
    assert topic_page(window).topic.id == "low-back-pain"

    tap(qtbot, window.header.home_button)
    assert isinstance(window.page(), HomePage)
    assert not window.header.back_button.isEnabled()


def test_credits_offer_related_topics(qtbot: QtBot, window: KioskWindow) -> None:
    window.open_topic("high-blood-pressure")
    page = topic_page(window)
    page.show_part(len(page.parts) - 1)
    settle()
    related = [t.title() for t in page.links.tiles()]
    expected = [window.catalog.topic(i).title for i in page.topic.related]  # type: ignore[union-attr]
    assert related == expected and related


def test_text_size_buttons_grow_the_text_and_stop_at_the_ends(
    qtbot: QtBot, window: KioskWindow
) -> None:
    page = open_spinal(qtbot, window)
    before = page.body.font().pixelSize()
    for _ in range(10):
        if window.header.larger_button.isEnabled():
            tap(qtbot, window.header.larger_button)
    assert window.text_size == window.text_sizes[-1] == 300
    assert window.header.size_label.text() == "300%"
    assert not window.header.larger_button.isEnabled()
    assert page.body.font().pixelSize() >= 2 * before - 1
    for _ in range(10):
        if window.header.smaller_button.isEnabled():
            tap(qtbot, window.header.smaller_button)
    assert window.text_size == 100 and not window.header.smaller_button.isEnabled()


def test_high_contrast_turns_the_page_dark(qtbot: QtBot, window: KioskWindow) -> None:
    open_spinal(qtbot, window)
    light = window.grab().toImage().pixelColor(5, window.height() // 2).lightness()
    tap(qtbot, window.header.contrast_button)
    dark = window.grab().toImage().pixelColor(5, window.height() // 2).lightness()
    assert light > 200 and dark < 30


def test_unknown_topic_link_changes_nothing(window: KioskWindow) -> None:
    window.open_topic("spinal-manipulation")
    before = window.page()
    assert window.open_topic("no-such-topic") is False
    assert window.page() is before


def test_a_topic_whose_file_broke_after_start_says_so_and_changes_nothing(
    qtbot: QtBot,
    make_window,
    settings,
    tmp_path,  # type: ignore[no-untyped-def]
) -> None:
    import shutil

    from kiosk.app import BUNDLED_TOPICS, build_services

    pack = tmp_path / "copy"
    shutil.copytree(BUNDLED_TOPICS / "sample-en", pack)
    services = build_services(settings, [pack], speech=False)
    try:
        window = make_window(services)
        home = window.page()
        (pack / "topics" / "spinal-manipulation.md").write_text("+++\nbroken by an editor")
        assert window.open_topic("spinal-manipulation") is False
        settle()
        assert window.page() is home
        assert window.notice.isVisible()
        assert "cannot be shown" in window.notice.message.text()
        assert window.footer.isVisible()
        tap(qtbot, window.notice.ok_button)
        assert not window.notice.isVisible()
        assert window.open_topic("colds-and-hand-washing") is True
    finally:
        services.close()


def test_back_goes_thirty_pages_back_and_older_pages_are_let_go(window: KioskWindow) -> None:
    from kiosk.ui.navigation import MAX_HISTORY

    ids = [t.id for t in window.catalog.topics()]
    for n in range(MAX_HISTORY + 15):
        assert window.open_topic(ids[n % len(ids)])
    settle()
    assert window.stack.count() <= MAX_HISTORY + 2, "pages Back cannot reach are deleted"
    for _ in range(MAX_HISTORY):
        assert window.header.back_button.isEnabled()
        window.header.back_button.click()
    settle()
    assert not window.header.back_button.isEnabled()
    assert isinstance(window.page(), TopicPage)
    # The oldest page Back still reached is the 15th topic opened.
    assert topic_page(window).topic.id == ids[14 % len(ids)]
