"""OpenAPI schema, the documentation page served from our own static files, and the throttles."""
from __future__ import annotations

import re

import pytest
import yaml
from django.contrib.staticfiles import finders

pytestmark = pytest.mark.django_db


def test_schema_is_openapi_3_with_our_paths(client):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    schema = response.json()
    assert re.fullmatch(r"3\.\d+\.\d+", schema["openapi"])
    assert schema["info"]["title"] == "COMCEC Digital Transformation Forum observatory API"
    for path in ("/api/v1/economies/", "/api/v1/observations/", "/api/v1/editions/{code}/scores/",
                 "/api/v1/countries/{iso3}/profile/", "/api/v1/data/editions/{code}/datapackage.zip"):
        assert path in schema["paths"], path
        assert set(schema["paths"][path]) == {"get"}, "read-only: GET only"
    params = {p["name"] for p in schema["paths"]["/api/v1/observations/"]["get"]["parameters"]}
    assert {"indicator", "country", "year", "year_from", "year_to", "source", "limit", "offset"} <= params


def test_schema_default_yaml_parses(client):
    response = client.get("/api/schema/")
    assert response.status_code == 200
    assert yaml.safe_load(response.content)["openapi"].startswith("3.")


def test_docs_page_loads_its_scripts_from_our_static_files(client):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    scripts = [a for a in assets if a.endswith(".js")]
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in scripts
    assert all(a.startswith("/static/") for a in assets), assets
    assert "://" not in " ".join(assets)   # no CDN, no outside host
    # and the file exists among our static files
    assert finders.find("drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js")
    assert '"/api/schema/"' in html


@pytest.fixture
def low_rates(settings, monkeypatch):
    """Three anonymous and five signed-in requests a minute (DRF reads the rates when the class is created)."""
    from rest_framework.throttling import AnonRateThrottle, UserRateThrottle

    rates = {"anon": "3/minute", "user": "5/minute"}
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", rates)
    monkeypatch.setattr(UserRateThrottle, "THROTTLE_RATES", rates)
    return rates


def test_anonymous_rate_is_enforced(client, edition, low_rates):
    statuses = [client.get("/api/v1/economies/").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    response = client.get("/api/v1/editions/2024/scores/")
    assert response.status_code == 429
    assert response.json()["detail"].startswith("Request was throttled.")
    assert int(response["Retry-After"]) <= 60


def test_signed_in_users_have_their_own_rate(client, edition, low_rates, django_user_model):
    user = django_user_model.objects.create_user("reader", "reader@example.org", "pw")
    client.force_login(user)
    statuses = [client.get("/api/v1/economies/").status_code for _ in range(6)]
    assert statuses == [200] * 5 + [429]

