"""The pack format: manifest, folder packs (authoring) and, later, signed archives (delivery).

Untrusted bytes enter the kiosk only through this package. Pure Python, no Qt.
"""
