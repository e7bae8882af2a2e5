"""Shared fixtures: the real data snapshot folder."""
from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings


def pytest_configure(config):
    """Give each pytest-xdist worker its own Redis database (``/15`` for gw0, ``/14`` for gw1, …).

    Django's Redis cache clears with FLUSHDB, so two workers sharing one database would wipe each other's
    cache (throttle counters, cached pages) in the middle of a test.
    """
    import os
    import re

    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    cache = settings.CACHES["default"]
    if worker.startswith("gw") and cache["BACKEND"].endswith("RedisCache"):
        offset = int(worker[2:])
        cache["LOCATION"] = re.sub(r"/(\d+)$", lambda m: f"/{int(m.group(1)) - offset}", cache["LOCATION"])


@pytest.fixture(scope="session")
def data_dir() -> Path:
    """The raw snapshot folder (``DTFORUM_DATA_DIR``); tests that need it fail clearly if it is absent."""
    path = Path(settings.DTFORUM_DATA_DIR)
    if not path.is_dir():
        pytest.fail(f"DTFORUM_DATA_DIR={path} is not a folder: the tests read the real snapshot in place")
    return path


def clear_observatory_store() -> None:
    """Delete everything an ingest or a build stores, children first (PROTECT foreign keys)."""
    from dtforum.core.models import AuditEvent
    from dtforum.members.models import Economy
    from dtforum.observatory.models import Edition, Indicator, Observation, Source

    Edition.objects.all().delete()
    Observation.objects.all().delete()
    Indicator.objects.all().delete()
    Source.objects.all().delete()
    Economy.objects.all().delete()
    AuditEvent.objects.all().delete()


@pytest.fixture(scope="module")
def ingested_snapshot(django_db_setup, django_db_blocker, data_dir):
    """Ingest the whole real snapshot once for the module; remove it afterwards so other modules start empty.

    Yields the :class:`~dtforum.observatory.ingest.store.IngestReport` with ``wall`` (seconds) added.
    """
    import time

    from dtforum.observatory.ingest.store import ingest_snapshot

    with django_db_blocker.unblock():
        started = time.perf_counter()
        report = ingest_snapshot(data_dir)
        report.wall = time.perf_counter() - started
        yield report
        clear_observatory_store()


#: A one-indicator framework on a real snapshot file (WDI mobile subscriptions), for tests of the main job.
MOBILE = "IT.CEL.SETS.P2"
MOBILE_FRAMEWORK = {
    "edition": "t1", "reference_year": 2024, "window": 5,
    "name": {"en": "Test edition", "fr": "Édition test", "ar": "إصدار تجريبي"},
    "coverage": {"indicator_min": 0.66, "unit_min": 0.66},
    "stages": {"imputation": {"method": "median"}, "normalisation": {"method": "minmax", "low": 0, "high": 100},
               "aggregation": {"indicators": "arithmetic", "areas": "arithmetic"}},
    "areas": [{"code": "connectivity", "weight": 1,
               "name": {"en": "Improving digital connectivity", "fr": "Améliorer la connectivité numérique",
                        "ar": "تحسين الاتصال الرقمي"},
               "indicators": [{"code": MOBILE, "direction": 1, "weight": 1, "unit": "per 100 people",
                               "source": f"wdi_api.{MOBILE}",
                               "name": {"en": "Mobile cellular subscriptions", "fr": "Abonnements mobiles",
                                        "ar": "اشتراكات الهاتف المحمول"}}]}],
}


@pytest.fixture
def mobile_framework() -> dict:
    """A fresh copy of :data:`MOBILE_FRAMEWORK` (edition ``t1``), free to change in the test."""
    import copy

    return copy.deepcopy(MOBILE_FRAMEWORK)

