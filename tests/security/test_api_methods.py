"""Every URL of the API, its schema, documentation and downloads is read-only: GET, HEAD and OPTIONS are served
to anyone; POST, PUT, PATCH and DELETE are refused (403 or 405) to anonymous visitors and to the secretariat
administrator alike, and change nothing. The URL list is read from the resolver, so a new API view is covered
as soon as it is routed (and must have a sample below)."""
from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
from django.test import Client
from django.urls import URLResolver, get_resolver, reverse

from dtforum.observatory.models import Edition, Observation, Score

_spec = importlib.util.spec_from_file_location("api_sample", Path(__file__).parent.parent / "api" / "sample.py")
api_sample = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(api_sample)

SAMPLES = {"iso3": "EGY", "code": "2024", "fmt": "csv"}
BY_NAME = {"api:indicator": {"code": "IT.NET.USER.ZS"},
           "api:download-observations": {"code": "IT.NET.USER.ZS", "fmt": "json"}}
#: Query strings without which a view answers 400 (the comparison downloads need their members).
QUERIES = {"api:download-compare-scores": "?countries=JOR,EGY", "api:download-compare-indicators": "?countries=JOR,EGY"}


def api_urls() -> list[str]:
    """Reversed URLs of every pattern in the ``api`` namespace, plus the schema and documentation."""
    urls = [reverse("api-schema"), reverse("api-docs")]
    for top in get_resolver().url_patterns:
        if isinstance(top, URLResolver) and top.namespace == "api":
            for pattern in top.url_patterns:
                key = f"api:{pattern.name}"
                kwargs = BY_NAME.get(key) or {k: SAMPLES[k] for k in pattern.pattern.converters}
                urls.append(reverse(key, kwargs=kwargs) + QUERIES.get(key, ""))
    return urls


@pytest.fixture
def sample(world):
    edition = api_sample.build()
    # a stored rank interval, so that the uncertainty endpoint and download serve 200 too
    Score.objects.filter(edition=edition, economy__iso3="EGY", area="index").update(
        median_rank=3.0, rank_q05=2.0, rank_q95=3.0)
    return edition


def test_every_api_url_is_listed():
    urls = api_urls()
    # 22 routes of dtforum/api/urls.py (what-if, the uncertainty and comparison downloads included) + schema + docs
    assert len(urls) == 24
    assert "/api/v1/data/editions/2024/datapackage.zip" in urls


@pytest.mark.parametrize("role", [None, "admin", "focal_egy"])
def test_reads_allowed_writes_refused(world, sample, role, settings):
    settings.DEBUG_PROPAGATE_EXCEPTIONS = False
    client = Client(enforce_csrf_checks=True)
    if role:
        client.force_login(world[role])
    before = (Score.objects.count(), Observation.objects.count(), Edition.objects.get().analysis)
    failures = []
    for url in api_urls():
        for method in ("get", "head", "options"):
            status = getattr(client, method)(url).status_code
            if status != 200:
                failures.append(f"{method.upper()} {url}: {status}")
        for method in ("post", "put", "patch", "delete"):
            status = getattr(client, method)(url, data="{}", content_type="application/json").status_code
            if status not in (403, 405):
                failures.append(f"{method.upper()} {url}: {status}, expected 403 or 405")
    assert not failures, "\n".join(failures)
    assert (Score.objects.count(), Observation.objects.count(), Edition.objects.get().analysis) == before
