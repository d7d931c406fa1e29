"""Search behind the pages: the index is opened (or built, by a child process) off the GUI
thread for the library as it is now, and a newer library makes an older index stale."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject

from kiosk.library.catalog import Catalog
from kiosk.tasks import Scope, TaskRunner
from kiosk.ui.keyboard import keyboard_languages
from kiosk.ui.search import Result, SearchPage

if TYPE_CHECKING:
    from kiosk.library.index import SearchIndex


class SearchFlow(QObject):
    def __init__(
        self, open_index: Callable[[Catalog], SearchIndex], parent: QObject | None = None
    ) -> None:
        """`open_index` opens or builds the index for a catalog; it is slow and runs on a
        worker."""
        super().__init__(parent)
        self._open_index = open_index
        self._index: SearchIndex | None = None
        self._tasks = TaskRunner(threads=1, parent=self)
        self._library = Scope()  # moves on with every library

    def prepare(self, catalog: Catalog) -> None:
        """Open (or build) the index for `catalog`; until it is ready the old one answers."""
        self._library.move_on()
        open_index = self._open_index
        (
            self._tasks.op(lambda: open_index(catalog), "opening the search index")
            .within(self._library)
            .success(self._use)
            .dropped(lambda index: index.close())  # a newer library's index is coming
            .run()
        )

    def _use(self, index: SearchIndex) -> None:
        old, self._index = self._index, index
        if old is not None:
            old.close()

    def ready(self) -> bool:
        return self._index is not None

    def search(self, query: str, limit: int) -> list[Result] | None:
        """None while the index is not ready yet (the page says so)."""
        if self._index is None:
            return None
        return [Result(h.topic_id, h.title, h.matched) for h in self._index.search(query, limit)]

    def page(self, catalog: Catalog) -> SearchPage:
        """A new search page. The library's keyboards, its most common language first: a
        patient can switch to the letters of their own language; a new page starts at the
        default."""
        languages = keyboard_languages(topic.language for topic in catalog.topics())
        return SearchPage(catalog, self.search, languages)
