"""Fixtures for the pack format's tests."""

from __future__ import annotations

import pytest

from tests.unit.packs.keys import Keys, make_key


@pytest.fixture(scope="module")
def keys(tmp_path_factory: pytest.TempPathFactory) -> Keys:
    """A publisher's key and a stranger's, as minisign key files."""
    folder = tmp_path_factory.mktemp("keys")
    return Keys(make_key(folder / "publisher"), make_key(folder / "stranger"))
