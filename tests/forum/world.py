"""A small Forum world for the workspace tests: three member states and one user per role.

Loaded by ``tests/forum/conftest.py`` and ``tests/security/conftest.py``.
"""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.contrib.auth import get_user_model

from dtforum.members import services as members
from dtforum.members.models import Economy, ObserverInstitution, Role

#: The fixed "now" of the tests: 2025-03-01 12:00 UTC.
NOW = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)


def economy(iso3: str, en: str, fr: str, ar: str) -> Economy:
    return Economy.objects.update_or_create(iso3=iso3, defaults={
        "kind": Economy.Kind.MEMBER, "name_en": en, "name_fr": fr, "name_ar": ar})[0]


def user(email: str, role: str | None, *, economy=None, observer=None, language="en", totp=False):
    person = get_user_model().objects.create_user(username=email, email=email, password="pw-Forum-2025!",
                                                  first_name=email.split("@")[0].title(), last_name="Test")
    if role:
        members.grant_role(None, person, role, economy=economy, observer=observer, language=language)
    if totp:
        TOTP.activate(person, generate_totp_secret())
        assert Authenticator.objects.filter(user=person, type=Authenticator.Type.TOTP).exists()
    return person


def build() -> dict:
    """Create the world; returns a dict of economies (``egy``, ``tur``, ``sen``) and users by role name."""
    egy = economy("EGY", "Egypt", "Égypte", "مصر")
    tur = economy("TUR", "Türkiye", "Turquie", "تركيا")
    sen = economy("SEN", "Senegal", "Sénégal", "السنغال")
    sesric = ObserverInstitution.objects.create(acronym="SESRIC", name_en="SESRIC", name_fr="SESRIC",
                                                name_ar="سيسريك", email="info@sesric.example")
    return {
        "egy": egy, "tur": tur, "sen": sen, "sesric": sesric,
        "admin": user("admin@dto.example", Role.SECRETARIAT_ADMIN, totp=True),
        "staff": user("staff@dto.example", Role.SECRETARIAT_STAFF, totp=True),
        "focal_egy": user("focal@egy.example", Role.FOCAL_POINT, economy=egy, language="fr"),
        "focal_tur": user("focal@tur.example", Role.FOCAL_POINT, economy=tur),
        "delegate_egy": user("delegate@egy.example", Role.DELEGATE, economy=egy),
        "delegate_tur": user("delegate@tur.example", Role.DELEGATE, economy=tur),
        "observer": user("obs@sesric.example", Role.OBSERVER, observer=sesric),
        "norole": user("someone@example.com", None),
    }


def meeting_fields(**overrides) -> dict:
    """Fields of a technical meeting on 2025-03-20 10:00-16:00 Istanbul time (07:00-13:00 UTC)."""
    fields = {"kind": "technical", "title_en": "Technical meeting on data governance",
              "title_fr": "Réunion technique sur la gouvernance des données",
              "title_ar": "اجتماع فني حول حوكمة البيانات",
              "start": datetime(2025, 3, 20, 7, 0, tzinfo=UTC),
              "end": datetime(2025, 3, 20, 13, 0, tzinfo=UTC), "time_zone": "Europe/Istanbul",
              "venue": "Ankara", "registration_deadline": datetime(2025, 3, 13, 23, 59, tzinfo=UTC),
              "publish_at": NOW - timedelta(days=10)}
    return fields | overrides
