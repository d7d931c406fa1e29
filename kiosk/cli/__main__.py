"""`python -m kiosk.cli`, as the tests and benchmarks start the command."""

from kiosk.cli import entry

entry()
