"""Fixtures of the API and open-data tests: the small edition of tests/api/sample.py, throttle counters reset."""
from __future__ import annotations

import importlib.util
import subprocess
from pathlib import Path

import pytest
from django.core.cache import cache

_spec = importlib.util.spec_from_file_location("api_sample", Path(__file__).parent / "sample.py")
sample = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(sample)


@pytest.fixture(scope="session", autouse=True)
def compiled_messages():
    """Compile the API's catalogs (dtforum/api/locale; .mo files are not in git) when missing or older."""
    from django.conf import settings

    for po in (Path(settings.BASE_DIR) / "dtforum" / "api" / "locale").glob("*/LC_MESSAGES/django.po"):
        mo = po.with_suffix(".mo")
        if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
            subprocess.run(["msgfmt", "--check-format", "-o", str(mo), str(po)], check=True)


@pytest.fixture(autouse=True)
def fresh_throttle():
    """DRF keeps request counts in the default cache: start every test with none."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def edition(db):
    """Edition 2024 of tests/api/sample.py (scores, indicator results, observations)."""
    return sample.build()


@pytest.fixture
def api(client):
    """Django's test client, GETting JSON and returning ``(status, body)``."""
    def get(url, **headers):
        response = client.get(url, **headers)
        body = response.json() if response["Content-Type"].startswith("application/json") else response
        return response.status_code, body
    return get
