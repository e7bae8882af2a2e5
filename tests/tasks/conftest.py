"""Fixtures of the background-task tests: the Forum world of ``tests/forum/world.py`` and the two backends."""
from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

_spec = importlib.util.spec_from_file_location("forum_world", Path(__file__).parent.parent / "forum" / "world.py")
world_module = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(world_module)

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
DATABASE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def world(db, settings, tmp_path):
    """Three member states, one user per role (see ``tests/forum/world.py``); tasks run in-process."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed only
    settings.TASKS = IMMEDIATE
    return world_module.build()


@pytest.fixture
def w():
    return world_module


@pytest.fixture
def db_queue(settings):
    """Switch to the database backend (django-tasks-db): enqueued tasks wait for ``db_worker``."""
    settings.TASKS = DATABASE


def run_worker() -> None:
    """Run ``manage.py db_worker`` until the queue is empty (``--batch``), as a worker machine would."""
    from django.core.management import call_command

    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", "--interval", "0", verbosity=0)


@pytest.fixture(autouse=True)
def _restore_language():
    """Pages under /fr/ or /ar/ activate their language in this thread; later tests must start in English."""
    from django.utils import translation

    with translation.override("en"):
        yield
