"""What a screen reader is told, as the tests ask it: the AT-SPI client (atspi_client.py, run
by Debian's Python, which has pyatspi) behind a small Python API.

`tree()` is the whole window as AT-SPI shows it, as `Node`s; `events()` what was sent without
being asked (focus, announcements, names and text that changed) since the last call.
"""

from __future__ import annotations

import json
import re
import subprocess
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.a11y.desktop import SYSTEM_PYTHON, Desktop, stop

CLIENT = Path(__file__).with_name("atspi_client.py")


@dataclass(slots=True)
class Node:
    role: str
    name: str
    description: str
    states: frozenset[str]
    attributes: dict[str, str]
    text: str | None
    actions: list[str]
    extents: tuple[int, int, int, int] | None
    path: list[int]
    child_count: int
    children: list[Node] = field(default_factory=list)

    @classmethod
    def of(cls, raw: dict[str, Any]) -> Node:
        extents = raw.get("extents")
        return cls(
            role=raw["role"],
            name=raw["name"],
            description=raw["description"],
            states=frozenset(raw["states"]),
            attributes=raw.get("attributes", {}),
            text=raw.get("text"),
            actions=raw.get("actions", []),
            extents=tuple(extents) if extents else None,  # type: ignore[arg-type]
            path=raw["path"],
            child_count=raw["child_count"],
            children=[cls.of(child) for child in raw["children"]],
        )

    @property
    def showing(self) -> bool:
        return "showing" in self.states

    def walk(self, *, showing_only: bool = True) -> Iterator[Node]:
        """This node and those below it, in the order a screen reader reads them; what is
        not on screen (and everything below it) is left out unless asked for."""
        if showing_only and not self.showing and self.role != "application":
            return
        yield self
        for child in self.children:
            yield from child.walk(showing_only=showing_only)

    def find_all(self, role: str | None = None, name: str | None = None) -> list[Node]:
        """Showing nodes with this role and whose name contains `name` (any case)."""
        return [
            node
            for node in self.walk()
            if (role is None or node.role == role)
            and (name is None or name.casefold() in node.name.casefold())
        ]

    def find(self, role: str | None = None, name: str | None = None) -> Node:
        found = self.find_all(role, name)
        assert found, f"no showing {role or 'node'} named like {name!r}:\n{self.outline()}"
        return found[0]

    def center(self) -> tuple[int, int]:
        assert self.extents is not None, f"{self.role} {self.name!r} has no place on screen"
        x, y, width, height = self.extents
        return x + width // 2, y + height // 2

    def outline(self, depth: int = 0) -> str:
        """The showing tree, one node a line, for failure messages."""
        if not self.showing and self.role != "application":
            return ""
        level = self.attributes.get("level")
        line = "  " * depth + f"{self.role} {self.name!r}" + (f" level={level}" if level else "")
        if self.text:
            line += f" text={self.text[:60]!r}"
        rest = [child.outline(depth + 1) for child in self.children]
        return "\n".join([line, *filter(None, rest)])


def words(text: str) -> list[str]:
    """The words of a label as a person reads them (arrows and other signs are not words)."""
    return re.findall(r"\w+", text.casefold())


def contains_words(name: str, visible: str) -> bool:
    """WCAG 2.5.3: the accessible name holds the visible words, in their order."""
    wanted, have = words(visible), words(name)
    start = 0
    for word in wanted:
        try:
            start = have.index(word, start) + 1
        except ValueError:
            return False
    return True


class ScreenReader:
    """One AT-SPI client process, listening from the start."""

    def __init__(self, desktop: Desktop, app_name: str = "waiting-room-kiosk") -> None:
        self.desktop = desktop
        self._process = subprocess.Popen(
            [str(SYSTEM_PYTHON), "-W", "ignore::DeprecationWarning", str(CLIENT), app_name],
            env=desktop.env(),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        self._heard: list[dict[str, Any]] = []
        assert self._read().get("ready"), "the AT-SPI client did not start"

    def close(self) -> None:
        if self._process.stdin is not None:
            self._process.stdin.close()
        stop(self._process)

    def _read(self) -> dict[str, Any]:
        assert self._process.stdout is not None
        line = self._process.stdout.readline()
        assert line, "the AT-SPI client stopped"
        answer: dict[str, Any] = json.loads(line)
        return answer

    def ask(self, command: str, **args: Any) -> dict[str, Any]:
        assert self._process.stdin is not None
        self._process.stdin.write(json.dumps({"cmd": command, **args}) + "\n")
        self._process.stdin.flush()
        answer = self._read()
        assert answer.get("ok"), f"{command}: {answer.get('error', answer)}"
        return answer

    def wait_for_app(self, timeout: float = 30) -> None:
        self.ask("app", timeout=timeout)

    def tree(self) -> Node:
        return Node.of(self.ask("tree")["tree"])

    def events(self) -> list[dict[str, Any]]:
        """Everything heard since the last call to `forget()`."""
        self._heard += self.ask("events")["events"]
        return list(self._heard)

    def forget(self) -> None:
        self.events()
        self._heard.clear()

    def announcements(self) -> list[str]:
        return [e.get("data", "") for e in self.events() if e["type"] == "object:announcement"]

    def focused(self) -> Node | None:
        """The node that has keyboard focus now."""
        for node in self.tree().walk():
            if "focused" in node.states:
                return node
        return None

    def press(self, node: Node) -> None:
        """The button's own action, as a screen reader user activates it (the first showing
        one with its role and name, looked for again now)."""
        self.ask("act", role=node.role, name=node.name, action="Press")

    def tap(self, node: Node) -> None:
        """A finger on the middle of the node, through the X server."""
        self.desktop.tap(*node.center())

    def wait_until(self, check: Callable[[Node], bool], what: str, timeout: float = 10) -> Node:
        """The tree once `check` holds on it."""
        deadline = time.monotonic() + timeout
        tree = self.tree()
        while not check(tree):
            if time.monotonic() > deadline:
                raise AssertionError(f"never: {what}\n{tree.outline()}")
            time.sleep(0.1)
            tree = self.tree()
        return tree

    def wait_for_announcement(self, text: str, timeout: float = 10) -> list[str]:
        deadline = time.monotonic() + timeout
        while not any(text in said for said in self.announcements()):
            if time.monotonic() > deadline:
                raise AssertionError(f"never announced {text!r}; heard {self.announcements()}")
            time.sleep(0.1)
        return self.announcements()
