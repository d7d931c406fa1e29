"""The pack format: manifest, folder packs (authoring) and signed archives (delivery).

Untrusted bytes enter the kiosk only through this package: `delivery.verify_archive` checks the
minisign signature (signing.py), the zip's safety rules (archive.py, images.py), the hashes in
pack.toml (manifest.py) and every topic (topicset.py) before anything else sees a file.
Pure Python, no Qt.
"""
