"""Bad input to the API answers 404 or 400 with a JSON message saying what was wrong, never a 500."""
from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_exception_propagation(settings):
    # a 500 must show up as a status, not as an exception raised into the test
    settings.DEBUG_PROPAGATE_EXCEPTIONS = False


@pytest.mark.parametrize("url, detail", [
    ("/api/v1/economies/XXX/", "no economy with ISO3 code 'XXX' (expected an ISO 3166-1 alpha-3 code such as EGY)"),
    ("/api/v1/countries/XXX/profile/",
     "no economy with ISO3 code 'XXX' (expected an ISO 3166-1 alpha-3 code such as EGY)"),
    ("/api/v1/countries/FRA/profile/",
     "France (FRA) is not an OIC member state: profiles exist for the 57 members only"),
    ("/api/v1/countries/WLD/profile/",
     "World (WLD) is not an OIC member state: profiles exist for the 57 members only"),
    ("/api/v1/countries/EGY/profile/?edition=2031", "no computed edition '2031'; editions available: 2024"),
    ("/api/v1/indicators/NO.SUCH.CODE/", "no indicator with code 'NO.SUCH.CODE'; the list is at /api/v1/indicators/"),
    ("/api/v1/editions/1999/", "no computed edition '1999'; editions available: 2024"),
    ("/api/v1/editions/1999/scores/", "no computed edition '1999'; editions available: 2024"),
    ("/api/v1/data/editions/2024/scores.pdf", "no download in format 'pdf'; formats: csv, xlsx, json"),
    ("/api/v1/data/indicators/NOPE/observations.csv",
     "no indicator with code 'NOPE'; the list is at /api/v1/indicators/"),
    ("/api/v1/data/countries/XXX/profile.csv",
     "no economy with ISO3 code 'XXX' (expected an ISO 3166-1 alpha-3 code such as EGY)"),
    ("/api/v1/data/editions/1999/datapackage.zip", "no computed edition '1999'; editions available: 2024"),
])
def test_unknown_things_are_404_with_message(client, edition, url, detail):
    response = client.get(url)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"status": 404, "detail": detail}


@pytest.mark.parametrize("url, field, message", [
    ("/api/v1/observations/?year=abc", "year", "expected a year such as 2022, got 'abc'"),
    ("/api/v1/observations/?year=1800", "year", "year 1800 is out of range: expected 1960 to {now}"),
    ("/api/v1/observations/?year=3000", "year", "year 3000 is out of range: expected 1960 to {now}"),
    ("/api/v1/observations/?year_from=2022&year_to=2020", "year_from", "year_from 2022 is after year_to 2020"),
    ("/api/v1/observations/?year=2022&year_to=2023", "year", "give either year or year_from/year_to, not both"),
    ("/api/v1/observations/?limit=-1", "limit", "expected an integer from 1 to 1000, got '-1'"),
    ("/api/v1/observations/?limit=abc", "limit", "expected an integer from 1 to 1000, got 'abc'"),
    ("/api/v1/observations/?offset=-5", "offset", "expected an integer from 0 to 1000000000, got '-5'"),
    ("/api/v1/observations/?offset=100000000000000000000", "offset",
     "expected an integer from 0 to 1000000000, got '100000000000000000000'"),
    ("/api/v1/countries/EGY/profile/?edition=" + "9" * 21, "edition",
     "Ensure this field has no more than 20 characters."),
    ("/api/v1/observations/?country=EGY,XXX", "country", "unknown ISO3 code(s): XXX"),
    ("/api/v1/observations/?country=E%3BGY", "country", "malformed code(s): E;GY"),
    ("/api/v1/observations/?country=,", "country", "expected one code or several separated by commas"),
    ("/api/v1/observations/?indicator=NOPE", "indicator", "unknown indicator code(s): NOPE"),
    ("/api/v1/observations/?source=nowhere", "source", "unknown source code(s): nowhere"),
    ("/api/v1/observations/?yaer=2020", "yaer",
     ("unknown query parameter; accepted here: country, indicator, lang, limit, offset, source, year, year_from, "
     "year_to")),
    ("/api/v1/economies/?kind=planet", "kind",
     "'planet' is not accepted; expected one of: member, comparison, aggregate"),
    ("/api/v1/economies/?income_group=rich", "income_group",
     "'rich' is not accepted; expected one of: Low income, Lower middle income, Upper middle income, High income"),
    ("/api/v1/economies/?lang=de", "lang", "expected one of en, ar, fr, got 'de'"),
    ("/api/v1/editions/2024/scores/?area=sports", "area",
     "unknown area(s) sports in edition 2024; expected: connectivity, skills, index"),
    ("/api/v1/editions/2024/indicators/?indicator=IT.CEL.SETS.P2", "indicator",
     "not in the framework of edition 2024: IT.CEL.SETS.P2"),
    ("/api/v1/editions/2024/indicators/?indicator=HCI,IT.NET.USER.ZS&page=2", "page",
     "unknown query parameter; accepted here: area, country, indicator, lang, limit, offset"),
    ("/api/v1/countries/EGY/profile/?format=xml", "format",
     "unknown query parameter; accepted here: edition, lang"),
])
def test_malformed_parameters_are_400_with_message(client, edition, url, field, message):
    from django.utils import timezone

    response = client.get(url)
    assert response.status_code == 400, response.content
    body = response.json()
    expected = message.format(now=timezone.now().year)
    assert body["errors"][field] == [expected]
    assert body["detail"] == f"invalid request: {field}: {expected}"


def test_indicator_of_another_edition_is_refused(client, edition):
    # stored, but not one of the edition's framework indicators
    from dtforum.observatory.models import Indicator

    Indicator.objects.create(code="IT.CEL.SETS.P2", name_en="Mobile subscriptions")
    response = client.get("/api/v1/editions/2024/indicators/?indicator=IT.CEL.SETS.P2")
    assert response.status_code == 400
    assert response.json()["errors"]["indicator"] == ["not in the framework of edition 2024: IT.CEL.SETS.P2"]


def test_no_edition_yet_is_404(client, db):
    response = client.get("/api/v1/countries/EGY/profile/")
    assert response.status_code == 404
    # the economy does not exist either: the ISO3 check comes first
    assert "no economy with ISO3 code 'EGY'" in response.json()["detail"]
    from dtforum.members.models import Economy

    Economy.objects.create(iso3="EGY", kind="member", name_en="Egypt", name_fr="Égypte", name_ar="مصر")
    response = client.get("/api/v1/countries/EGY/profile/")
    assert response.json() == {"status": 404, "detail": "no edition of the index has been computed yet"}
