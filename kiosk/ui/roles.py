"""What a screen reader is told a widget is, where Qt's widgets cannot say it themselves.

Qt Widgets has no call to make a QLabel a heading, a plain QWidget a list or a footer, an
overlay a modal dialog, a tile a link, or a label a search field with the typed words as its
text. Qt's accessibility does have the roles (Heading, List, Link, Footer, Dialog,
EditableText) and the heading "level" attribute, which its AT-SPI bridge passes on: so a
widget is marked here with a dynamic property, and an interface factory, installed once per
application, answers for marked widgets with a small QAccessibleWidget of the right role.
Unmarked widgets keep Qt's own interfaces.

Two PySide details, found the hard way: the factory must be installed after the QApplication
exists, or Qt's own widget factory, installed later, is asked first and ours never; and
`interface_cast` must return a VoidPtr, never None, for an interface it does not have (None
crashed the kiosk at a screen reader's first question).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal, cast

from PySide6.QtCore import QCoreApplication, QObject, QPoint, QRect
from PySide6.QtGui import (
    QAccessible,
    QAccessibleActionInterface,
    QAccessibleAttributesInterface,
    QAccessibleInterface,
    QAccessibleTextInterface,
    QAccessibleTextUpdateEvent,
)
from PySide6.QtWidgets import QAbstractButton, QAccessibleWidget, QLabel, QWidget
from shiboken6 import Shiboken

Role = Literal["heading", "list", "link", "footer", "dialog", "search"]
ROLE = "kioskAccessibleRole"
LEVEL = "kioskHeadingLevel"
TEXT = "kioskAccessibleText"
_INSTALLED = "kioskAccessibleRoles"


def mark(widget: QWidget, role: Role) -> None:
    """Expose `widget` with `role`, from now on.

    Qt keeps the first interface it made for a widget, and while a screen reader listens it
    makes one as soon as a new label is given its text (to say the name changed): so an
    interface made before the mark is dropped, and the next question gets the marked one."""
    widget.setProperty(ROLE, role)
    if QAccessible.isActive():
        made = QAccessible.queryAccessibleInterface(widget)
        if made is not None and not isinstance(made, _Marked):
            QAccessible.deleteAccessibleInterface(QAccessible.uniqueId(made))


def heading(label: QLabel, level: int) -> QLabel:
    """A heading of `level` (1 for a page's title, 2 for a section or a card's title)."""
    label.setProperty(LEVEL, level)
    mark(label, "heading")
    return label


def set_text(widget: QWidget, text: str) -> None:
    """The words a search field holds (what its label shows is decorated: a caret, or a
    prompt when nothing is typed). Screen readers are told what changed."""
    old = str(widget.property(TEXT) or "")
    if text == old:
        return
    widget.setProperty(TEXT, text)
    if QAccessible.isActive():
        QAccessible.updateAccessibility(QAccessibleTextUpdateEvent(widget, 0, old, text))


def install() -> None:
    """Answer for marked widgets from now on (once per application; build it first)."""
    app = QCoreApplication.instance()
    assert app is not None, "build the QApplication first: Qt's own factory must come before"
    if app.property(_INSTALLED):
        return
    app.setProperty(_INSTALLED, True)
    QAccessible.installFactory(_factory)


def _factory(_class_name: str, obj: QObject) -> QAccessibleInterface | None:
    if not isinstance(obj, QWidget):
        return None
    role = obj.property(ROLE)
    if not role:
        return None
    return _KINDS[str(role)](obj)


def _pointer(interface: Shiboken.Object) -> int:
    """What `interface_cast` returns: PySide's stubs say int, but only a VoidPtr is taken."""
    return cast(int, Shiboken.VoidPtr(Shiboken.getCppPointer(interface)[0]))


class _Marked(QAccessibleWidget):
    """A widget's interface with another role, and room for extra interfaces."""

    ROLE = QAccessible.Role.Client

    def __init__(self, widget: QWidget) -> None:
        super().__init__(widget, self.ROLE)
        self._extra: dict[QAccessible.InterfaceType, Shiboken.Object] = {}

    def widget(self) -> QWidget:
        found = self.object()
        assert isinstance(found, QWidget)
        return found

    def interface_cast(self, kind: QAccessible.InterfaceType) -> int:
        if kind in self._extra:
            return _pointer(self._extra[kind])
        found = super().interface_cast(kind)
        return found if found is not None else cast(int, Shiboken.VoidPtr(0))


class _Labelled(_Marked):
    """A label: named by the words it shows (unless it was given a name of its own), which
    are also its text, to be read word by word. (Qt tells screen readers when a label that
    can take the focus changes its words, and complains if it has no text to offer.)"""

    def __init__(self, widget: QWidget) -> None:
        super().__init__(widget)
        self._extra[QAccessible.InterfaceType.TextInterface] = _Words(self._words)

    def _words(self) -> str:
        widget = self.widget()
        return widget.text() if isinstance(widget, QLabel) else ""

    def text(self, kind: QAccessible.Text) -> str:
        if kind == QAccessible.Text.Name and not self.widget().accessibleName():
            return self._words()
        return str(super().text(kind))


class _Level(QAccessibleAttributesInterface):
    def __init__(self, widget: QWidget) -> None:
        super().__init__()
        self._widget = widget

    def attributeKeys(self) -> list[QAccessible.Attribute]:
        return [QAccessible.Attribute.Level]

    def attributeValue(self, key: QAccessible.Attribute) -> object:
        if key == QAccessible.Attribute.Level:
            return int(self._widget.property(LEVEL) or 1)
        return None


class _Heading(_Labelled):
    ROLE = QAccessible.Role.Heading

    def __init__(self, widget: QWidget) -> None:
        super().__init__(widget)
        self._extra[QAccessible.InterfaceType.AttributesInterface] = _Level(widget)


class _Footer(_Labelled):
    ROLE = QAccessible.Role.Footer


class _List(_Marked):
    ROLE = QAccessible.Role.List


class _Link(_Marked):
    """A tile that opens another topic: a link, followed by its Press action."""

    ROLE = QAccessible.Role.Link

    def actionNames(self) -> list[str]:
        return [QAccessibleActionInterface.pressAction(), *super().actionNames()]

    def doAction(self, name: str) -> None:
        widget = self.widget()
        if name == QAccessibleActionInterface.pressAction() and isinstance(widget, QAbstractButton):
            widget.click()
        else:
            super().doAction(name)


class _Dialog(_Marked):
    """An overlay: a modal dialog named by its card's title (its first heading)."""

    ROLE = QAccessible.Role.Dialog

    def text(self, kind: QAccessible.Text) -> str:
        widget = self.widget()
        if kind == QAccessible.Text.Name and not widget.accessibleName():
            for label in widget.findChildren(QLabel):
                if label.property(LEVEL):
                    return label.text()
        return str(super().text(kind))

    def state(self) -> QAccessible.State:
        state = super().state()
        state.modal = True
        return state


class _Words(QAccessibleTextInterface):
    """Plain words as an accessible text, for reading word by word; nothing in it can be
    selected or edited by a screen reader."""

    def __init__(self, words: Callable[[], str]) -> None:
        super().__init__()
        self._text = words

    def characterCount(self) -> int:
        return len(self._text())

    def text(self, start: int, end: int) -> str:
        return self._text()[max(0, start) : end if end >= 0 else None]

    def cursorPosition(self) -> int:
        return len(self._text())  # a search field's typing always adds at the end

    def characterRect(self, _offset: int) -> QRect:
        return QRect()

    def offsetAtPoint(self, _point: QPoint) -> int:
        return -1

    def selectionCount(self) -> int:
        return 0

    def addSelection(self, _start: int, _end: int) -> None:
        pass

    def removeSelection(self, _index: int) -> None:
        pass

    def setSelection(self, _index: int, _start: int, _end: int) -> None:
        pass

    def setCursorPosition(self, _position: int) -> None:
        pass

    def scrollToSubstring(self, _start: int, _end: int) -> None:
        pass


class _SearchField(_Marked):
    """The typed words as its text and value (what it shows around them is decoration)."""

    ROLE = QAccessible.Role.EditableText

    def __init__(self, widget: QWidget) -> None:
        super().__init__(widget)
        self._extra[QAccessible.InterfaceType.TextInterface] = _Words(self._typed)

    def _typed(self) -> str:
        return str(self.widget().property(TEXT) or "")

    def text(self, kind: QAccessible.Text) -> str:
        if kind == QAccessible.Text.Value:
            return self._typed()
        return str(super().text(kind))


_KINDS: dict[str, type[_Marked]] = {
    "heading": _Heading,
    "list": _List,
    "link": _Link,
    "footer": _Footer,
    "dialog": _Dialog,
    "search": _SearchField,
}
