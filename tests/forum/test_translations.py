"""No English left on the Forum workspace's pages in Arabic and French, the e-mails included; Arabic admin RTL.

The "known list of English UI words" is every message of the forum and members catalogs whose translation
differs from the English (so "Date" in French, or "SHA-256", are not English words here). A page fails when
one of them stands alone in a text node or an attribute shown to people (separated by punctuation), i.e. as
interface text; data (titles, names, e-mail addresses) never matches a whole message.
"""
from __future__ import annotations

import gettext
import re
from datetime import date, timedelta
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.loader import render_to_string
from django.utils import timezone, translation

import dtforum
from dtforum.forum import services
from dtforum.members.models import CompetentAuthority

PDF = b"%PDF-1.4\n%%EOF\n"
APPS = Path(dtforum.__file__).parent
SEPARATORS = re.compile(r"\s*[:·—–|()\[\];,]\s*|\s{2,}")
SHOWN_ATTRIBUTES = {"placeholder", "title", "aria-label", "alt", "value"}


def english_messages(language: str) -> set[str]:
    """English messages of the forum and members catalogs that ``language`` translates differently."""
    english = set()
    for app in ("forum", "members"):
        with open(APPS / app / "locale" / language / "LC_MESSAGES" / "django.mo", "rb") as handle:
            catalog = gettext.GNUTranslations(handle)._catalog
        for key, text in catalog.items():
            msgid = key[0] if isinstance(key, tuple) else key
            if msgid and "%(" not in msgid and text != msgid:
                english.add(msgid)
    return english


class Texts(HTMLParser):
    """Text nodes and shown attribute values of a page body, skipping ``<script>``/``<style>``."""

    def __init__(self):
        super().__init__()
        self.texts, self._skip, self._body = [], 0, False

    def handle_starttag(self, tag, attrs):
        self._body |= tag == "body"
        self._skip += tag in ("script", "style")
        if self._body:
            button = tag == "input" and dict(attrs).get("type") in ("submit", "button")
            # a value is shown only on buttons; elsewhere it is a code (option values are area codes...)
            self.texts += [v for k, v in attrs if v and k in SHOWN_ATTRIBUTES and (k != "value" or button)]

    def handle_endtag(self, tag):
        self._skip -= tag in ("script", "style")

    def handle_data(self, data):
        if self._body and not self._skip and data.strip():
            self.texts.append(data)


def english_left(html: str, english: set[str]) -> list[str]:
    parser = Texts()
    parser.feed(html)
    found = []
    for text in parser.texts:
        for segment in SEPARATORS.split(text.strip()):
            segment = segment.strip(" .")
            if segment in english or segment + "." in english:
                found.append(segment)
    return sorted(set(found))


@pytest.fixture
def records(world, w):
    """One record of every kind a workspace page shows, with titles in the three languages."""
    admin, now = world["admin"], timezone.now()
    meeting = services.create_meeting(admin, **w.meeting_fields(
        start=now + timedelta(days=10), end=now + timedelta(days=10, hours=6),
        registration_deadline=now + timedelta(days=5), publish_at=now - timedelta(days=1), online_url="https://x.example/"),
        agenda=[{"title_en": "Opening", "title_fr": "Ouverture", "title_ar": "الافتتاح"}])
    document = services.add_document(admin, meeting, SimpleUploadedFile("a.pdf", PDF), kind="paper",
                                     title_en="Paper", title_fr="Document", title_ar="ورقة", access="members")
    services.add_document_version(admin, document, SimpleUploadedFile("b.pdf", PDF))   # 2 versions: plural
    decision = services.adopt_decision(admin, meeting, reference="DTF/T/2025/1", text_en="Agreed.",
                                       text_fr="Convenu.", text_ar="تم الاتفاق.", adopted_on=date(2025, 3, 20))
    item = services.create_action_item(admin, decision, title_en="Share", title_fr="Partager", title_ar="مشاركة",
                                       due_date=date(2020, 1, 1), owner_economy=world["egy"])
    services.report_follow_up(world["focal_egy"], item, text="…", status="in_progress")
    services.save_minutes(admin, meeting, text_en="The meeting opened.", text_fr="PV.",
                          text_ar="محضر.", publish_at=now)
    registration = services.register(world["focal_egy"], meeting, world["delegate_egy"], head=True)
    CompetentAuthority.objects.create(economy=world["egy"], name_en="Ministry", name_fr="Ministère",
                                      name_ar="وزارة", type="ministry", email="m@egy.example")
    return {"meeting": meeting, "decision": decision, "item": item, "registration": registration,
            "document": document}


PAGES = ["meetings/", "meetings/{meeting}/", "decisions/", "decisions/{decision}/", "follow-up/",
         "documents/{document}/versions/", "action-items/{item}/report/", "meetings/calendar/", "directory/", "directory/invite/",
         "meetings/new/", "meetings/{meeting}/edit/", "meetings/{meeting}/decisions/new/",
         "decisions/{decision}/action-items/new/", "meetings/{meeting}/minutes/", "meetings/{meeting}/documents/new/",
         "documents/{document}/versions/new/", "decisions/{decision}/edit/", "action-items/{item}/edit/"]


@pytest.mark.parametrize("language", ["ar", "fr"])
def test_no_english_on_the_workspace_pages(client, world, records, language):
    english = english_messages(language)
    assert {"Meetings", "Register of decisions", "head of delegation", "Save"} <= english   # the list is real
    # the check finds interface English where it is: the same page in English
    assert {"Meetings", "Filter", "Upcoming"} <= set(english_left(client.get("/en/meetings/").content.decode(), english))
    ids = {name: obj.pk for name, obj in records.items()}
    leaks = {}
    for who in (None, "staff"):
        if who:
            client.force_login(world[who])
        for page in PAGES if who else PAGES[:4] + ["directory/", "accounts/invitation/not-a-token/"]:
            url = f"/{language}/" + page.format(**ids)
            response = client.get(url)
            assert response.status_code in (200, 400), (url, response.status_code)
            assert f'lang="{language}"' in response.content.decode()
            if found := english_left(response.content.decode(), english):
                leaks[url] = found
    # a refused form: Django's and our messages next to the fields
    response = client.post(f"/{language}/meetings/new/", {"meeting-kind": "x", "agenda-TOTAL_FORMS": "0",
                                                          "agenda-INITIAL_FORMS": "0"})
    if found := english_left(response.content.decode(), english):
        leaks["refused meeting form"] = found
    assert not leaks, f"English left in {language}: {leaks}"


@pytest.mark.parametrize("language", ["ar", "fr"])
def test_no_english_in_the_emails(world, records, language):
    english = english_messages(language)
    meeting = records["meeting"]
    context = {"meeting": meeting, "title": meeting.title_ar, "start": meeting.start, "end": meeting.end,
               "path": "/p/", "role": "x", "country": "y", "expires_at": meeting.start, "site_url": ""}
    leaks = {}
    with translation.override(language):
        for name in ("forum/email/registration_confirmed", "forum/email/reminder", "forum/email/minutes_published",
                     "members/email/invitation"):
            for part in ("subject", "body"):
                text = render_to_string(f"{name}_{part}.txt", context)
                found = [line for line in text.splitlines() for segment in SEPARATORS.split(line)
                         if segment.strip(" .") in english]
                # whole English sentences (messages with placeholders) are caught by their fixed words
                if found or re.search(r"\b(the|your|is|are|of|for)\b", text):
                    leaks[f"{name}_{part}"] = text
    assert not leaks, leaks


@pytest.mark.parametrize(("language", "names", "english_names"), [
    ("ar", ["الاجتماعات", "القرارات", "الإجراءات المطلوبة", "الوفود", "الدعوات"], ["Meetings", "Decisions"]),
    ("fr", ["Réunions", "Décisions", "Actions à mener", "Délégations", "Invitations"], ["Meetings", "Decisions"]),
])
def test_admin_in_arabic_is_right_to_left_with_model_names_translated(client, world, language, names, english_names):
    client.force_login(world["staff"])
    page = client.get(f"/{language}/admin/").content.decode()
    assert f'<html lang="{language}" dir="{"rtl" if language == "ar" else "ltr"}">' in page
    for name in names:
        assert f">{name}<" in page, name
    for name in english_names:
        assert f">{name}<" not in page, name
