"""Error messages of the API in the request's language: ``?lang=`` or, without it, ``Accept-Language``."""
from __future__ import annotations

import ast
import gettext
import re
from pathlib import Path

import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db

API = Path(settings.BASE_DIR) / "dtforum" / "api"


@pytest.mark.parametrize("url, status, detail", [
    ("/api/v1/economies/XXX/?lang=fr", 404,
     "aucune économie avec le code ISO3 'XXX' (code ISO 3166-1 alpha-3 attendu, par ex. EGY)"),
    ("/api/v1/countries/FRA/profile/?lang=fr", 404,
     "France (FRA) n'est pas un État membre de l'OCI : les profils n'existent que pour les 57 membres"),
    ("/api/v1/editions/1999/?lang=fr", 404, "pas d'édition calculée '1999' ; éditions disponibles : 2024"),
    ("/api/v1/indicators/NOPE/?lang=fr", 404,
     "aucun indicateur avec le code 'NOPE' ; la liste est sur /api/v1/indicators/"),
    ("/api/v1/data/editions/2024/scores.pdf?lang=fr", 404,
     "pas de téléchargement au format 'pdf' ; formats : csv, xlsx, json"),
    ("/api/v1/editions/2024/uncertainty/?lang=fr", 404,
     "l'édition 2024 n'a pas encore d'analyse d'incertitude enregistrée"),
    ("/api/v1/observations/?year=abc&lang=fr", 400, "requête invalide : year: année attendue, par ex. 2022, reçu 'abc'"),
    ("/api/v1/observations/?limit=abc&lang=fr", 400,
     "requête invalide : limit: nombre entier de 1 à 1000 attendu, reçu 'abc'"),
    ("/api/v1/economies/?kind=planet&lang=fr", 400,
     "requête invalide : kind: 'planet' n'est pas accepté ; valeurs attendues : member, comparison, aggregate"),
    ("/api/v1/economies/?lang=fr&sort=iso3", 400,
     ("requête invalide : sort: paramètre de requête inconnu ; acceptés ici : income_group, kind, lang, limit, "
     "offset, oic_group")),
])
def test_messages_in_french_with_lang(client, edition, url, status, detail):
    response = client.get(url)
    assert response.status_code == status
    assert response.json()["detail"] == detail


@pytest.mark.parametrize("url, status, detail", [
    ("/api/v1/economies/XXX/", 404, "لا يوجد اقتصاد برمز ISO3 'XXX' (المتوقع رمز ISO 3166-1 alpha-3 مثل EGY)"),
    ("/api/v1/countries/FRA/profile/", 404,
     "فرنسا (FRA) ليست دولة عضوًا في منظمة التعاون الإسلامي: الملفات القُطرية متاحة للدول الأعضاء السبع والخمسين فقط"),
    ("/api/v1/editions/2024/scores/?area=sports", 400,
     "طلب غير صالح: area: مجال (مجالات) غير معروف sports في الإصدارة 2024؛ المتوقع: connectivity, skills, index"),
    ("/api/v1/observations/?country=EGY,XXX", 400, "طلب غير صالح: country: رمز (رموز) ISO3 غير معروف: XXX"),
    ("/api/v1/observations/?year_from=2022&year_to=2020", 400,
     "طلب غير صالح: year_from: year_from 2022 بعد year_to 2020"),
    ("/api/v1/economies/?lang=de", 400, "طلب غير صالح: lang: المتوقع أحد en, ar, fr، والمُستلَم 'de'"),
])
def test_messages_in_arabic_with_accept_language(client, edition, url, status, detail):
    response = client.get(url, HTTP_ACCEPT_LANGUAGE="ar")
    assert response.status_code == status
    assert response.json()["detail"] == detail


def test_no_edition_yet_in_french(client, db):
    from dtforum.members.models import Economy

    Economy.objects.create(iso3="EGY", kind="member", name_en="Egypt", name_fr="Égypte", name_ar="مصر")
    response = client.get("/api/v1/countries/EGY/profile/?lang=fr")
    assert response.json() == {"status": 404, "detail": "aucune édition de l'indice n'a encore été calculée"}
    response = client.get("/api/v1/countries/EGY/profile/?edition=2031", HTTP_ACCEPT_LANGUAGE="fr")
    assert response.json()["detail"] == "pas d'édition calculée '2031' ; éditions disponibles : aucune"


def test_drf_messages_follow_the_lang_parameter_too(client, edition):
    # DRF's own messages (field length here) come from its catalogs, in the language of ?lang=
    response = client.get("/api/v1/countries/EGY/profile/?lang=fr&edition=" + "9" * 21, HTTP_ACCEPT_LANGUAGE="en")
    assert response.json()["errors"]["edition"] == ["Assurez-vous que ce champ comporte au plus 20\xa0caractères."]


def _messages() -> set[tuple[str | None, str]]:
    """``(context, msgid)`` of every gettext/pgettext call with literal text in dtforum/api."""
    found = set()
    for path in API.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) in ("_", "pgettext"):
                args = [a.value for a in node.args if isinstance(a, ast.Constant)]
                found.add((args[0], args[1]) if node.func.id == "pgettext" else (None, args[0]))
    return found


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_every_api_message_is_translated(lang):
    # the compiled catalog (tests/api/conftest.py compiles it; msgfmt leaves fuzzy entries out)
    with open(API / "locale" / lang / "LC_MESSAGES" / "django.mo", "rb") as handle:
        catalog = gettext.GNUTranslations(handle)
    messages = _messages()
    assert len(messages) >= 25   # the extraction itself works
    translated = {key: catalog.pgettext(*key) if key[0] else catalog.gettext(key[1]) for key in messages}
    missing = sorted(key for key, text in translated.items() if text == key[1])
    assert not missing, f"{lang}: untranslated API messages {missing}"
    placeholder = re.compile(r"%\(\w+\)s")
    for key, text in translated.items():
        assert sorted(placeholder.findall(text)) == sorted(placeholder.findall(key[1])), key


def test_throttle_message_follows_the_lang_parameter(client, edition, monkeypatch):
    # DRF reads the rates when the class is created: patch them, then the 2nd anonymous request is throttled
    from rest_framework.throttling import AnonRateThrottle

    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "1/minute", "user": "1/minute"})
    client.get("/api/v1/economies/")
    response = client.get("/api/v1/economies/?lang=fr", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 429
    assert response.json()["detail"].startswith("Requête ralentie.")
