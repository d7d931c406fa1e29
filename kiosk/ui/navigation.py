"""Where the patient is and how they got there: the page stack, Back, and Home.

Pages that Back can no longer reach are deleted at once: a patient following links could
open hundreds of topic pages in a morning, and each holds about half a megabyte.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QStackedWidget

from kiosk.ui.pages import HomePage, Page

MAX_HISTORY = 30  # Back goes this many pages back


class Navigator(QObject):
    page_changed = Signal()

    def __init__(
        self, stack: QStackedWidget, home: HomePage, prepare: Callable[[Page], None]
    ) -> None:
        """`prepare` styles a page for this screen before the stack first measures it."""
        super().__init__(stack)
        self.stack = stack
        self.home = home
        self._prepare = prepare
        self.history: list[Page] = []
        self.show(home, remember=False)

    def current(self) -> Page:
        page = self.stack.currentWidget()
        assert isinstance(page, Page)
        return page

    def pages(self) -> list[Page]:
        """Every page kept (the one shown, home, and those Back can reach)."""
        found = (self.stack.widget(i) for i in range(self.stack.count()))
        return [page for page in found if isinstance(page, Page)]

    def show(self, page: Page, *, remember: bool = True) -> None:
        current = self.stack.currentWidget()
        if isinstance(current, Page) and current is not page:
            current.leave()
        if remember and isinstance(current, Page):
            self.history.append(current)
            del self.history[:-MAX_HISTORY]
        self._prepare(page)
        if page.parent() is not self.stack:
            self.stack.addWidget(page)
        self.stack.setCurrentWidget(page)
        page.enter()
        self._discard_unreachable()
        self.page_changed.emit()

    def back(self) -> None:
        if self.history:
            self.show(self.history.pop(), remember=False)

    def go_home(self) -> None:
        self.history.clear()
        self.home.area.to_top()
        self.show(self.home, remember=False)

    def replace_home(self, home: HomePage, *, forget: bool = False) -> None:
        """A new home page (the library changed, or a new patient: `forget` the way here).
        The page being read stays unless it was the old home."""
        old = self.home
        self.home = home
        if forget:
            for page in self.history:
                page.leave()
            self.history.clear()
        else:
            self.history = [home if page is old else page for page in self.history]
        if forget or self.stack.currentWidget() is old:
            self.show(home, remember=False)
        else:
            self._prepare(home)
            self.stack.addWidget(home)
        self.stack.removeWidget(old)
        old.hide()
        old.deleteLater()

    def _discard_unreachable(self) -> None:
        keep = {id(self.home), id(self.stack.currentWidget()), *map(id, self.history)}
        for index in reversed(range(self.stack.count())):
            widget = self.stack.widget(index)
            if widget is not None and id(widget) not in keep:
                self.stack.removeWidget(widget)
                widget.deleteLater()
