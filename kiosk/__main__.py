"""`python -m kiosk`: the `kiosk` command, and the door its child processes come in by.

A child (`python -m kiosk _child NAME ...`, see kiosk/children.py) is dispatched before the
command line module is imported: that module brings in argparse, the app and its settings,
and the speech child is started at every kiosk start and after every crash.
"""

from __future__ import annotations

import sys

from kiosk.children import CHILD, child_main


def main() -> None:
    if sys.argv[1:2] == [CHILD]:
        sys.exit(child_main(sys.argv[2:]))
    from kiosk.cli import entry

    entry()


if __name__ == "__main__":
    main()
