"""The search page /<lang>/search/?q= (C20 through the page, visibility, bad queries)."""
from __future__ import annotations

import importlib.util
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from dtforum.forum import services

_spec = importlib.util.spec_from_file_location("forum_world", Path(__file__).parent.parent / "forum" / "world.py")
world_module = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(world_module)

_report = importlib.util.spec_from_file_location("report_sample", Path(__file__).parent.parent / "report" / "conftest.py")
report_sample = importlib.util.module_from_spec(_report)
_report.loader.exec_module(report_sample)

TITLE = "أَحْمَـــد يُشارِك في الاجتماع"


@pytest.fixture
def world(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed only
    from dtforum.observatory.models import Indicator

    w = world_module.build()
    Indicator.objects.create(code="IT.NET.USER.ZS", name_en="Individuals using the Internet (% of population)",
                             name_fr="Personnes utilisant Internet (% de la population)",
                             name_ar="الأفراد الذين يستخدمون الإنترنت (% من السكان)")
    w["meeting"] = services.create_meeting(w["admin"], **world_module.meeting_fields(title_ar=TITLE))
    w["hidden"] = services.create_meeting(w["admin"], **world_module.meeting_fields(
        title_en="Draft meeting", title_ar="اجتماع أحمد المقبل", publish_at=timezone.now() + timedelta(days=30)))
    w["decision"] = services.adopt_decision(
        w["admin"], w["meeting"], reference="DTF/1/2024/3", text_en="The Forum welcomes the data offer.",
        text_fr="Le Forum salue l'offre de données.", text_ar="يرحّب المنتدى بعرض البيانات المقدَّم.",
        adopted_on=date(2025, 3, 20))
    w["private"] = services.adopt_decision(
        w["admin"], w["meeting"], reference="DTF/1/2024/4", text_en="Internal budget.", text_fr="Budget interne.",
        text_ar="الميزانية الداخلية للبيانات.", adopted_on=date(2025, 3, 20), is_public=False)
    return w


def _get(q, lang="ar", user=None):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client.get(f"/{lang}/search/", {"q": q} if q is not None else {})


@pytest.mark.parametrize("query", ["احمد", "أحمد", "إحمد", "الإجتماع"])
def test_c20_page_finds_the_meeting_and_highlights_the_original(world, query):
    response = _get(query)
    assert response.status_code == 200
    html = response.content.decode()
    word = "أَحْمَـــد" if "حمد" in query else "الاجتماع"
    link = reverse("forum:meeting", kwargs={"pk": world["meeting"].pk})
    assert f'<a href="{link}" dir="auto">{TITLE.replace(word, f"<mark>{word}</mark>")}</a>' in html
    # The unpublished meeting "اجتماع أحمد المقبل" is not shown to the public.
    assert "المقبل" not in html


def test_english_page_shows_the_arabic_title_that_matched(world):
    html = _get("احمد", lang="en").content.decode()
    assert "<mark>أَحْمَـــد</mark> يُشارِك في الاجتماع" in html
    assert "Technical meeting on data governance" not in html


def test_members_indicators_decisions_and_digits(world):
    html = _get("egypte", lang="fr").content.decode()
    assert f'<a href="{reverse("observatory:country", kwargs={"iso3": "EGY"})}" dir="auto"><mark>Égypte</mark></a>' \
        in html
    html = _get("الانترنت").content.decode()     # typed without hamza: الإنترنت in the name
    assert "الأفراد الذين يستخدمون <mark>الإنترنت</mark> (% من السكان)" in html
    assert reverse("api:indicator", kwargs={"code": "IT.NET.USER.ZS"}) in html
    html = _get("بيانات", lang="en").content.decode()
    assert "يرحّب المنتدى بعرض ال<mark>بيانات</mark> المقدَّم." in html   # a word inside "البيانات"
    assert "DTF/1/2024/4" not in html                                  # not public
    html = _get("٢٠٢٤/٣", lang="en").content.decode()                   # Arabic-Indic digits in the query
    assert "DTF/1/<mark>2024/3</mark>" in html


def test_secretariat_sees_unpublished_meetings_and_private_decisions(world):
    html = _get("أحمد", user=world["staff"]).content.decode()
    assert "اجتماع <mark>أحمد</mark> المقبل" in html
    html = _get("بيانات", user=world["staff"]).content.decode()
    assert "DTF/1/2024/4" in html
    html = _get("أحمد", user=world["delegate_egy"]).content.decode()
    assert "المقبل" not in html


@pytest.mark.parametrize("query, message", [
    ("", "Type a word to search for."),
    ("   ", "Type a word to search for."),
    ("x" * 201, "The query is too long: at most 200 characters."),
    ("\u064e\u064f", "The query has no letter or digit to search for."),
])
def test_bad_queries_get_a_message_not_an_error(world, query, message):
    response = _get(query, lang="en")
    assert response.status_code == 200
    assert f'<p class="error" role="alert">{message}</p>' in response.content.decode()


def test_no_query_shows_the_form_and_nothing_found_says_so(world):
    html = _get(None, lang="en").content.decode()
    assert 'name="q"' in html and "role=\"alert\"" not in html and "result" not in html
    html = _get('<script>alert(1)</script>', lang="en").content.decode()
    assert "No result for “&lt;script&gt;alert(1)&lt;/script&gt;”." in html
    assert "<script>alert" not in html
    assert "200 characters" not in _get("x" * 200, lang="en").content.decode()


@pytest.mark.parametrize("lang, q, texts", [
    # One result: Arabic plural form 1 of the six (n == 1).
    ("ar", "الإجتماع", ["<h1>بحث</h1>", "نتيجة واحدة (1)"]),
    ("ar", "", ["اكتب كلمة للبحث عنها."]),
    ("fr", "meeting", ["<h1>Rechercher</h1>", "1 résultat"]),          # the English title only
    ("fr", "zzz", ["Aucun résultat pour « zzz »."]),
])
def test_search_page_is_translated(world, lang, q, texts):
    report_sample.ensure_compiled_messages()
    html = _get(q, lang=lang).content.decode()
    for text in texts:
        assert text in html
