"""Fixtures of the Forum workspace tests."""
from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
from django.utils import translation

_spec = importlib.util.spec_from_file_location("forum_world", Path(__file__).parent / "world.py")
world_module = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(world_module)


@pytest.fixture
def world(db, settings, tmp_path):
    """Three member states, one user per role; media files written under a temporary folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed only
    return world_module.build()


@pytest.fixture
def w():
    """The helper module (``NOW``, ``meeting_fields``, ``user``...)."""
    return world_module


@pytest.fixture(autouse=True)
def english():
    """Each test starts in English: a page requested in another language leaves that language active."""
    translation.activate("en")
    yield
    translation.activate("en")
