"""A kiosk runs all day: pages are built for every visit and must leave nothing behind."""

from __future__ import annotations

import gc
from collections import Counter

from PySide6.QtCore import QCoreApplication, QEvent

from kiosk.app import Services
from kiosk.ui.pages import HomePage, TopicListPage, TopicPage
from kiosk.ui.window import KioskWindow
from tests.ui.geometry import settle


def visit_and_walk_away(window: KioskWindow, topic_id: str) -> None:
    """A patient opens the A to Z list and a topic, then leaves and the kiosk resets."""
    window.open_category("")
    assert isinstance(window.page(), TopicListPage)
    assert window.open_topic(topic_id)
    assert isinstance(window.page(), TopicPage)
    window.reset_to_start()
    settle()
    # What the event loop does between patients: delete the pages let go with deleteLater().
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    assert isinstance(window.page(), HomePage)


def python_objects() -> Counter[str]:
    gc.collect()
    kinds = Counter(f"{type(o).__module__}.{type(o).__qualname__}" for o in gc.get_objects())
    # pytest-qt's own record of every Qt message the test run printed
    return Counter({kind: n for kind, n in kinds.items() if not kind.startswith("pytestqt.")})


def test_a_hundred_visits_leave_no_python_objects_behind(
    window: KioskWindow, services: Services
) -> None:
    """Each visit builds a home page, an A to Z list and a topic page, three of them scrolling
    by finger drag. Before the fix every one of those registered a new gesture type, and
    PySide6 kept a new Python enum class for each: about a dozen objects a page, for ever."""
    ids = [topic.id for topic in services.catalog.topics()]
    assert len(ids) >= 3
    for index in range(10):  # caches (styles, fonts, regular expressions) fill up first
        visit_and_walk_away(window, ids[index % len(ids)])
    before = python_objects()
    for index in range(100):
        visit_and_walk_away(window, ids[index % len(ids)])
    after = python_objects()
    grown = after - before
    assert after.total() - before.total() < 100, f"grew: {grown.most_common(8)}"
    assert window.stack.count() == 1  # only the home page is left


def test_topic_pages_share_one_sound_icon(window: KioskWindow, services: Services) -> None:
    """Qt keeps the scaled pixmaps of each QIcon in its pixmap cache: a new icon for every page
    filled that cache (10 MB) over the day. Pages at the same text size and contrast draw the
    same icon, so the cache holds it once."""
    ids = [topic.id for topic in services.catalog.topics()]
    keys = set()
    for index in range(6):
        assert window.open_topic(ids[index % len(ids)])
        page = window.page()
        assert isinstance(page, TopicPage)
        settle()
        icon = page.reading.read_button.icon()
        assert not icon.isNull()  # the loudspeaker is there
        keys.add(icon.cacheKey())
        window.go_home()
    assert len(keys) == 1
    window.set_text_size(200)
    assert window.open_topic(ids[0])
    page = window.page()
    assert isinstance(page, TopicPage)
    assert page.reading.read_button.icon().cacheKey() not in keys  # bigger, drawn afresh
