"""Fixtures of the upload tests: the Forum world, a two-area framework and its indicators in the store."""
from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
import yaml

_spec = importlib.util.spec_from_file_location("forum_world", Path(__file__).parent.parent / "forum" / "world.py")
world_module = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(world_module)

AREAS = [
    {"code": "connectivity", "weight": 1,
     "name": {"en": "Improving digital connectivity", "fr": "Améliorer la connectivité numérique",
              "ar": "تحسين الاتصال الرقمي"},
     "indicators": [
         {"code": "IT.NET.USER.ZS", "direction": 1, "weight": 1, "unit": "%", "source": "wdi_api.IT.NET.USER.ZS",
          "name": {"en": "Internet users", "fr": "Utilisateurs d'Internet", "ar": "مستخدمو الإنترنت"}},
         {"code": "IT.NET.BBND.P2", "direction": 1, "weight": 1, "unit": "per 100", "source": "wdi_api.X",
          "name": {"en": "Fixed broadband", "fr": "Haut débit fixe", "ar": "النطاق العريض الثابت"}}]},
    {"code": "skills", "weight": 1,
     "name": {"en": "Developing digital skills and competencies", "fr": "Développer les compétences numériques",
              "ar": "تطوير المهارات والكفاءات الرقمية"},
     "indicators": [
         {"code": "HCI", "direction": 1, "weight": 1, "unit": "0-1", "source": "un_egov.2024",
          "name": {"en": "Human Capital Index", "fr": "Indice du capital humain", "ar": "مؤشر رأس المال البشري"}}]},
]


@pytest.fixture
def world(db, settings, tmp_path):
    """Three member states and one user per role; framework ``t1`` (2021-2024) and its three indicators."""
    from dtforum.observatory.models import Indicator

    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed only
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    folder = tmp_path / "methodology"
    folder.mkdir()
    (folder / "t1.yaml").write_text(yaml.safe_dump({"edition": "t1", "reference_year": 2024, "window": 3,
                                                    "areas": AREAS}, allow_unicode=True), encoding="utf-8")
    settings.DTFORUM_METHODOLOGY_DIR = folder
    settings.DTFORUM_DEFAULT_EDITION = "t1"
    for area in AREAS:
        for ind in area["indicators"]:
            Indicator.objects.create(code=ind["code"], name_en=ind["name"]["en"], name_fr=ind["name"]["fr"],
                                     name_ar=ind["name"]["ar"], unit=ind["unit"])
    return world_module.build()


@pytest.fixture(autouse=True)
def _restore_language():
    """Pages under /fr/ or /ar/ activate their language in this thread; later tests must start in English."""
    from django.utils import translation

    with translation.override("en"):
        yield
