#!/usr/bin/python3
"""A screen reader's view of the kiosk, for the tests: a small AT-SPI client.

pyatspi comes from Debian (python3-pyatspi) and runs only with Debian's own /usr/bin/python3,
not the project's virtualenv, so this script is a child process the tests talk to: one JSON
command a line on stdin, one JSON answer a line on stdout. It also listens, from its start,
for what a screen reader would hear without asking (focus changes, announcements, names and
text that change), and hands those over with the "events" command.

Commands: {"cmd": "app"} (wait for the kiosk's application), {"cmd": "tree"} (the window as
shown: role, name, description, states, attributes, text, actions, screen extents, children;
below what is not showing, nothing), {"cmd": "events"} (and forget them),
{"cmd": "act", "role": ROLE, "name": NAME, "action": ACTION}.
"""

import json
import sys
import time

import gi

gi.require_version("Atspi", "2.0")
import pyatspi  # noqa: E402,F401  (sets up Atspi the way screen readers see it)
from gi.repository import Atspi, GLib  # noqa: E402

APP_NAME = sys.argv[1] if len(sys.argv) > 1 else "waiting-room-kiosk"
MAX_CHILDREN = 40  # a list of thousands of rows: the first screenful is enough
EVENTS = (
    "object:state-changed:focused",
    "object:announcement",
    "object:property-change:accessible-name",
    "object:text-changed:insert",
    "object:state-changed:showing",
)

events = []


def _describe(obj):
    try:
        return {"role": obj.get_role_name(), "name": obj.get_name() or ""}
    except GLib.Error:
        return {"role": "", "name": ""}


def _on_event(event):
    entry = {"type": event.type, "detail1": event.detail1, "time": time.monotonic()}
    entry.update(_describe(event.source))
    data = event.any_data
    if isinstance(data, str):
        entry["data"] = data
    if event.type.startswith("object:announcement"):
        try:
            entry["data"] = str(data if data is not None else "")
        except Exception:  # keep listening, whatever one event holds
            entry["data"] = ""
    events.append(entry)


def _app():
    desktop = Atspi.get_desktop(0)
    for index in range(desktop.get_child_count()):
        app = desktop.get_child_at_index(index)
        if app is not None and app.get_name() == APP_NAME:
            return app
    return None


def _states(obj):
    states = obj.get_state_set().get_states()
    return sorted(Atspi.StateType(s).value_nick for s in states)


def _node(obj, path):
    node = {"path": path, **_describe(obj)}
    node["description"] = obj.get_description() or ""
    node["states"] = _states(obj)
    try:
        node["attributes"] = dict(obj.get_attributes() or {})
    except GLib.Error:
        node["attributes"] = {}
    text = obj.get_text_iface()
    if text is not None:
        node["text"] = text.get_text(0, text.get_character_count())
    component = obj.get_component_iface()
    if component is not None:
        box = component.get_extents(Atspi.CoordType.SCREEN)
        node["extents"] = [box.x, box.y, box.width, box.height]
    action = obj.get_action_iface()
    if action is not None:
        node["actions"] = [action.get_action_name(i) for i in range(action.get_n_actions())]
    count = obj.get_child_count()
    node["child_count"] = count
    children = []
    # What is not on screen (a hidden overlay, a page kept for Back) is not read further.
    shown = "showing" in node["states"] or not path
    for index in range(min(count, MAX_CHILDREN) if shown else 0):
        child = obj.get_child_at_index(index)
        if child is not None:
            children.append(_node(child, [*path, index]))
    node["children"] = children
    return node


def _find(obj, role, name):
    """The first showing object with this role and name, in reading order: found again at
    each action, as the window may have changed since the test last looked."""
    if obj.get_role_name() == role and obj.get_name() == name:
        return obj
    if "showing" not in _states(obj) and obj.get_role_name() != "application":
        return None
    for index in range(obj.get_child_count()):
        child = obj.get_child_at_index(index)
        found = _find(child, role, name) if child is not None else None
        if found is not None:
            return found
    return None


def _answer(command):
    cmd = command["cmd"]
    if cmd == "app":
        deadline = time.monotonic() + command.get("timeout", 20)
        while time.monotonic() < deadline:
            app = _app()
            if app is not None and app.get_child_count() > 0:
                return {"ok": True}
            time.sleep(0.1)
        return {"ok": False, "error": "the kiosk never showed up on the accessibility bus"}
    if cmd == "tree":
        return {"ok": True, "tree": _node(_app(), [])}
    if cmd == "events":
        found = list(events)
        events.clear()
        return {"ok": True, "events": found}
    if cmd == "act":
        obj = _find(_app(), command["role"], command["name"])
        if obj is None:
            return {"ok": False, "error": f"no {command['role']} {command['name']!r} showing"}
        action = obj.get_action_iface()
        names = [action.get_action_name(i) for i in range(action.get_n_actions())]
        return {"ok": bool(action.do_action(names.index(command["action"])))}
    return {"ok": False, "error": f"no such command: {cmd}"}


def _on_stdin(channel, _condition):
    line = channel.readline()
    if not line:
        loop.quit()
        return False
    try:
        reply = _answer(json.loads(line))
    except Exception as error:  # the test reads the reason
        reply = {"ok": False, "error": f"{type(error).__name__}: {error}"}
    sys.stdout.write(json.dumps(reply) + "\n")
    sys.stdout.flush()
    return True


listener = Atspi.EventListener.new(_on_event)
for kind in EVENTS:
    listener.register(kind)
loop = GLib.MainLoop()
GLib.io_add_watch(GLib.IOChannel.unix_new(sys.stdin.fileno()), GLib.IO_IN | GLib.IO_HUP, _on_stdin)
sys.stdout.write(json.dumps({"ok": True, "ready": True}) + "\n")
sys.stdout.flush()
loop.run()
