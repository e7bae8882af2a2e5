"""Web tests use the same small edition as the report tests (tests/report/conftest.py)."""
from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

_spec = importlib.util.spec_from_file_location("report_sample", Path(__file__).parent.parent / "report" / "conftest.py")
sample = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(sample)


@pytest.fixture
def edition(db):
    """The small computed edition of tests/report/conftest.py."""
    return sample.build_edition()


@pytest.fixture(scope="session", autouse=True)
def compiled_messages():
    """The ar/fr catalogs compiled before any test renders a translated page."""
    sample.ensure_compiled_messages()


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty cache: page bodies are cached per edition, and test editions share a
    ``computed_at`` (and on SQLite a primary key) from one test to the next."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
