"""Shared fixtures: the real data snapshot folder."""
from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings


@pytest.fixture(scope="session")
def data_dir() -> Path:
    """The raw snapshot folder (``DTFORUM_DATA_DIR``); tests that need it fail clearly if it is absent."""
    path = Path(settings.DTFORUM_DATA_DIR)
    if not path.is_dir():
        pytest.fail(f"DTFORUM_DATA_DIR={path} is not a folder: the tests read the real snapshot in place")
    return path
