"""Fixtures of the explorer tests: the small edition of tests/explorer/sample.py, compiled catalogs, fresh cache."""
from __future__ import annotations

import importlib.util
import subprocess
from pathlib import Path

import pytest
from django.core.cache import cache

_spec = importlib.util.spec_from_file_location("explorer_sample", Path(__file__).parent / "sample.py")
sample = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(sample)


def compile_explorer_messages() -> None:
    """Compile the explorer's own catalogs (dtforum/explorer/locale) when a .mo is missing or older."""
    from django.conf import settings

    for po in (Path(settings.BASE_DIR) / "dtforum" / "explorer" / "locale").glob("*/LC_MESSAGES/django.po"):
        mo = po.with_suffix(".mo")
        if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
            subprocess.run(["msgfmt", "--check-format", "-o", str(mo), str(po)], check=True)


@pytest.fixture(scope="session", autouse=True)
def compiled_messages():
    compile_explorer_messages()


@pytest.fixture(autouse=True)
def fresh_cache():
    """DRF throttle counts live in the cache: start every test with none."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def edition(db):
    return sample.build()
