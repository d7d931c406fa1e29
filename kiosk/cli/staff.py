"""`kiosk staff set-pin`: the PIN that opens the staff panel (a long press on the disclaimer,
then the PIN)."""

from __future__ import annotations

import argparse
import os

from kiosk.cli.exits import ExitCode, Refused
from kiosk.cli.options import Commands
from kiosk.config import load_settings


def add_commands(commands: Commands) -> None:
    staff = commands.add_parser("staff", help="staff access")
    actions = staff.add_subparsers(dest="staff_command", metavar="ACTION", required=True)
    set_pin_command = actions.add_parser(
        "set-pin", help="set the staff PIN (from KIOSK_STAFF_PIN, or asked twice)"
    )
    set_pin_command.set_defaults(handler=set_pin)


def set_pin(_args: argparse.Namespace) -> int:
    import getpass

    from kiosk.app import pin_store
    from kiosk.staff import PinError

    pin = os.environ.get("KIOSK_STAFF_PIN")
    if pin is None:
        pin = getpass.getpass("New staff PIN (4 to 12 digits): ")
        if getpass.getpass("The same PIN again: ") != pin:
            raise Refused("the two PINs were not the same; nothing changed", ExitCode.INVALID)
    store = pin_store(load_settings())
    try:
        store.set_pin(pin)
    except PinError as error:
        raise Refused(f"{error}; nothing changed", ExitCode.INVALID) from None
    except OSError as error:
        message = f"cannot save the PIN in {store.path}: {error.strerror}"
        raise Refused(message, ExitCode.INVALID) from None
    print(f"Staff PIN set ({store.path}).")
    return ExitCode.OK
