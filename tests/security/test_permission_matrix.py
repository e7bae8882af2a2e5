"""The permission matrix: every URL pattern of the project against every role, in one test.

The URL patterns are read from the resolver, so a view added later (by any app) makes this test fail until
it gets a row in ``MATRIX``. Each row is ``(pattern, expected, how)``: ``pattern`` matches the URL name
(``namespace:name``; unnamed patterns by their route without the language prefix) with shell wildcards, first
match wins; ``expected`` has one letter per role in ``ROLES`` order, ``Y`` allowed and ``N`` denied;
``how`` says how to call it (``"get"``, ``"post"``, with sample arguments from ``sample_kwargs``).

Allowed means the view served the role (200, or a redirect onwards, including to re-enter the password);
denied means 400, 403, 404, 405, or a redirect to a sign-in page or to the site root (allauth's answer to a
page that does not apply to the user, e.g. signing in while signed in).
"""
from __future__ import annotations

import fnmatch
import importlib.util
from datetime import date
from pathlib import Path
from urllib.parse import urlparse

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import URLResolver, get_resolver, reverse
from django.utils import translation

from dtforum.forum import services
from dtforum.members import services as members
from dtforum.members.models import Role
from dtforum.observatory.models import Score

ROLES = ("public", "observer", "delegate", "focal_point", "staff", "admin")
USERS = {"public": None, "observer": "observer", "delegate": "delegate_egy", "focal_point": "focal_egy",
         "staff": "staff", "admin": "admin"}

PDF = b"%PDF-1.4\n%%EOF\n"

_spec = importlib.util.spec_from_file_location("api_sample", Path(__file__).parent.parent / "api" / "sample.py")
api_sample = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(api_sample)

# (pattern, expected P O D F S A, method)
MATRIX = [
    # --- public pages and feeds
    ("set_language", "YYYYYY", "post"),
    ("feeds:public", "YYYYYY", "get"),
    ("feeds:private", "YYYYYY", "get"),          # the secret token is the credential (calendar clients)
    ("observatory:home", "YYYYYY", "get"),
    ("observatory:country", "YYYYYY", "get"),
    ("forum:agenda", "YYYYYY", "get"),
    ("forum:meeting", "YYYYYY", "get"),
    ("forum:decisions", "YYYYYY", "get"),
    ("forum:decision", "YYYYYY", "get"),
    ("members:directory", "YYYYYY", "get"),      # contact details only for members: tests/forum/test_pages.py
    ("search", "YYYYYY", "get"),
    ("explorer:*", "YYYYYY", "get"),             # explore, compare, methodology, what-if: tests/explorer                 # what each role finds: tests/core/test_search.py
    # --- read-only API v1, its schema and documentation, open-data downloads (writes: test_api_methods.py)
    ("api:root", "YYYYYY", "get"),
    ("api:economies", "YYYYYY", "get"),
    ("api:economy", "YYYYYY", "get"),
    ("api:sources", "YYYYYY", "get"),
    ("api:indicators", "YYYYYY", "get"),
    ("api:indicator", "YYYYYY", "get"),
    ("api:observations", "YYYYYY", "get"),
    ("api:editions", "YYYYYY", "get"),
    ("api:edition", "YYYYYY", "get"),
    ("api:edition-scores", "YYYYYY", "get"),
    ("api:edition-indicators", "YYYYYY", "get"),
    ("api:edition-uncertainty", "YYYYYY", "get"),
    ("api:edition-what-if", "YYYYYY", "get"),
    ("api:country-profile", "YYYYYY", "get"),
    ("api:download-scores", "YYYYYY", "get"),
    ("api:download-indicators", "YYYYYY", "get"),
    ("api:download-uncertainty", "YYYYYY", "get"),
    ("api:download-datapackage", "YYYYYY", "get"),
    ("api:download-observations", "YYYYYY", "get"),
    ("api:download-profile", "YYYYYY", "get"),
    ("api:download-compare-scores", "YYYYYY", "get"),      # sample: ?countries=JOR,EGY (QUERIES)
    ("api:download-compare-indicators", "YYYYYY", "get"),
    ("api-schema", "YYYYYY", "get"),
    ("api-docs", "YYYYYY", "get"),
    # --- members
    ("forum:document", "NYYYYY", "get"),         # sample is a members-only document
    ("forum:document_version", "NYYYYY", "get"),
    ("forum:document_versions", "NYYYYY", "get"),
    ("forum:document_create", "NNNYYY", "get"),   # focal point: own state's documents, rule in tests/forum
    ("forum:document_version_create", "NNNYYY", "get"),   # sample document comes from EGY
    ("forum:my_calendar", "NYYYYY", "get"),
    ("forum:register", "NYYYYY", "post"),
    ("forum:withdraw", "NNYYYY", "post"),        # sample: the delegate's own registration (EGY)
    ("forum:follow_up", "NNNYYY", "get"),        # sample: action item owned by EGY
    ("members:invite", "NNNYYY", "get"),
    ("members:invitation", "YNNNNN", "get"),     # signing up is for people without an account
    ("data:questionnaire", "NNNYYY", "get"),          # focal points (own state) and secretariat: tests/uploads
    ("data:questionnaire_template", "NNNYYY", "get"),  # sample EGY: its focal point and the secretariat
    # --- secretariat
    ("forum:board", "NNNNYY", "get"),
    ("forum:meeting_create", "NNNNYY", "get"),      # the secretariat's forms: tests/forum/test_forms.py
    ("forum:meeting_edit", "NNNNYY", "get"),
    ("forum:decision_create", "NNNNYY", "get"),
    ("forum:action_item_create", "NNNNYY", "get"),
    ("forum:decision_edit", "NNNNYY", "get"),
    ("forum:action_item_edit", "NNNNYY", "get"),
    ("forum:board_export", "NNNNYY", "get"),        # sample: CSV
    ("forum:minutes_edit", "NNNNYY", "get"),
    ("data:tasks", "NNNNYY", "get"),
    # --- accounts (django-allauth)
    ("account_login", "YNNNNN", "get"),
    ("account_logout", "NYYYYY", "get"),
    ("account_inactive", "YYYYYY", "get"),
    ("account_signup", "YNNNNN", "get"),        # open only with an invitation: tests/members/test_invitations.py
    ("account_reauthenticate", "NYYYYY", "get"),
    ("account_request_reauthentication_code", "NYYYYY", "get"),   # login by code is off: sent to the password
    ("account_confirm_reauthentication_code", "NYYYYY", "get"),
    ("account_email", "NYYYYY", "get"),
    ("account_email_verification_sent", "YYYYYY", "get"),
    ("account_change_password", "NYYYYY", "get"),
    ("account_set_password", "NYYYYY", "get"),
    ("account_reset_password", "YYYYYY", "get"),
    ("account_reset_password_done", "YYYYYY", "get"),
    ("account_reset_password_from_key", "YYYYYY", "get"),   # page explaining the (sample, bad) key
    ("account_reset_password_from_key_done", "YYYYYY", "get"),
    ("account_confirm_login_code", "NNNNNN", "get"),
    ("account_confirm_email", "YYYYYY", "get"),             # page explaining the (sample, bad) key
    ("mfa_index", "NYYYYY", "get"),
    ("mfa_authenticate", "NNNNNN", "get"),       # only inside a sign-in in progress
    ("mfa_reauthenticate", "NYYYYY", "get"),     # without a second factor: re-enter the password instead
    ("mfa_activate_totp", "NYYYYY", "get"),
    ("mfa_deactivate_totp", "NNNNYY", "get"),
    ("mfa_view_recovery_codes", "NNNNNN", "get"),
    ("mfa_generate_recovery_codes", "NYYYYY", "get"),  # after re-entering the password
    ("mfa_download_recovery_codes", "NNNNNN", "get"),
    # --- administration: secretariat only, nothing deletable, some records added only through services
    ("admin:login", "YYYYYY", "get"),
    ("admin:logout", "YYYYYY", "post"),
    ("admin:index", "NNNNYY", "get"),
    ("admin:jsi18n", "NNNNYY", "get"),
    ("admin:password_change", "NNNNYY", "get"),
    ("admin:password_change_done", "NNNNYY", "get"),
    ("admin:autocomplete", "NNNNNN", "get"),     # no autocomplete field is declared
    ("admin:view_on_site", "NNNNNN", "get"),     # workspace models have no public URL in the admin
    ("admin:app_list", "NNNNYY", "get"),         # sample app: forum
    ("admin:*_delete", "NNNNNN", "get"),
    ("admin:members_membership_add", "NNNNNN", "get"),
    ("admin:forum_delegation_add", "NNNNNN", "get"),
    ("admin:forum_registration_add", "NNNNNN", "get"),
    ("admin:forum_thematicarea_add", "NNNNNN", "get"),
    ("admin:core_auditevent_add", "NNNNNN", "get"),
    ("admin:forum_*", "NNNNYY", "get"),
    ("admin:members_economy_*", "NNNNNN", "get"),   # reference data, kept by sync_economies
    ("admin:members_*", "NNNNYY", "get"),
    ("admin:core_auditevent_*", "NNNNYY", "get"),
    ("admin:auth_*", "NNNNNN", "get"),             # accounts come from invitations, not the admin
    ("admin:account_*", "NNNNNN", "get"),
    ("admin:mfa_*", "NNNNNN", "get"),
    ("admin:django_tasks_database_*", "NNNNNN", "get"),   # superusers only; the secretariat: tasks page
    ("admin/*/<path:object_id>/", "NNNNYY", "get"),  # a bare redirect to the change page, checked above
    ("admin/(?P<url>.*)$", "NNNNNN", "get"),
]


def url_patterns(patterns=None, namespace=None, prefix=""):
    """Yield ``(key, pattern)`` for every URL pattern reachable from the root URLconf."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            ns = ":".join(x for x in (namespace, pattern.namespace) if x) or None
            route = prefix + ("" if type(pattern.pattern).__name__ == "LocalePrefixPattern" else str(pattern.pattern))
            yield from url_patterns(pattern.url_patterns, ns, route)
        elif pattern.name:
            yield (f"{namespace}:{pattern.name}" if namespace else pattern.name), pattern
        else:
            yield prefix + str(pattern.pattern), pattern


def row_for(key: str):
    for pattern, expected, method in MATRIX:
        if fnmatch.fnmatchcase(key, pattern):
            return expected, method
    return None


@pytest.fixture
def objects(world, w):
    """One record of every kind a sample URL points at."""
    meeting = services.create_meeting(world["admin"], **w.meeting_fields(), agenda=[{"title_en": "Opening"}])
    document = services.add_document(world["admin"], meeting, SimpleUploadedFile("paper.pdf", PDF), kind="paper",
                                     title_en="Paper", access="members", economy=world["egy"])
    decision = services.adopt_decision(world["admin"], meeting, reference="DTF/T/2025/1", text_en="Agreed.",
                                       text_fr="Convenu.", text_ar="تم الاتفاق.", adopted_on=date(2025, 3, 20))
    item = services.create_action_item(world["admin"], decision, title_en="Share", due_date=date(2030, 1, 1),
                                       owner_economy=world["egy"])
    services.report_follow_up(world["focal_egy"], item, text="Started.", status="in_progress")
    services.save_minutes(world["admin"], meeting, text_en="Minutes.")
    from django.utils import timezone
    registration = services.register(world["delegate_egy"], meeting, world["delegate_egy"],
                                     now=timezone.now().replace(year=2025, month=3, day=1))
    from allauth.account.models import EmailAddress
    EmailAddress.objects.create(user=world["delegate_egy"], email="delegate@egy.example", primary=True)
    Group.objects.create(name="sample")
    from dtforum.members.models import CompetentAuthority
    CompetentAuthority.objects.create(economy=world["egy"], name_en="Ministry", name_fr="Ministère",
                                      name_ar="وزارة", type="ministry")
    _invitation, path = members.create_invitation(world["staff"], email="new@egy.example", role=Role.DELEGATE,
                                                 economy=world["egy"], send=False)
    from django_tasks_db.models import DBTaskResult, get_date_max
    DBTaskResult.objects.create(args_kwargs={"args": [], "kwargs": {}}, task_path="dtforum.forum.tasks.forum_notify",
                                backend_name="default", run_after=get_date_max())
    edition = api_sample.build()   # edition 2024 over the world's EGY and TUR, for the API rows
    Score.objects.filter(edition=edition, economy__iso3="EGY", area="index").update(
        median_rank=3.0, rank_q05=2.0, rank_q95=3.0)   # a stored rank interval: the uncertainty views serve 200
    return {"meeting": meeting, "document": document, "decision": decision, "item": item,
            "registration": registration, "invitation_token": path.rstrip("/").rsplit("/", 1)[1],
            "calendar_token": services.calendar_token_for(world["delegate_egy"])}


def sample_kwargs(key: str, pattern, objs) -> dict:
    """Arguments for reversing ``key``: sample records for the workspace, the first row for admin pages."""
    converters = set(pattern.pattern.converters) | set(pattern.pattern.regex.groupindex)
    by_key = {
        "feeds:private": {"token": objs["calendar_token"]},
        "members:invitation": {"token": objs["invitation_token"]},
        "observatory:country": {"iso3": "EGY"},
        "data:questionnaire_template": {"iso3": "EGY"},
        "forum:meeting": {"pk": objs["meeting"].pk}, "forum:register": {"pk": objs["meeting"].pk},
        "forum:withdraw": {"pk": objs["registration"].pk},
        "forum:document": {"pk": objs["document"].pk},
        "forum:document_version": {"pk": objs["document"].pk, "number": 1},
        **{f"forum:{name}": {"pk": objs["document"].pk} for name in ("document_versions", "document_version_create")},
        "forum:document_create": {"pk": objs["meeting"].pk}, "forum:decision_edit": {"pk": objs["decision"].pk},
        "forum:action_item_edit": {"pk": objs["item"].pk}, "forum:board_export": {"fmt": "csv"},
        "forum:decision": {"pk": objs["decision"].pk}, "forum:follow_up": {"pk": objs["item"].pk},
        **{f"forum:{name}": {"pk": objs["meeting"].pk} for name in ("meeting_edit", "decision_create", "minutes_edit")},
        "forum:action_item_create": {"pk": objs["decision"].pk},
        "account_confirm_email": {"key": "bad-key"},
        "account_reset_password_from_key": {"uidb36": "1", "key": "bad-key"},
        "admin:app_list": {"app_label": "forum"},
        "api:economy": {"iso3": "EGY"}, "api:country-profile": {"iso3": "EGY"},
        "api:indicator": {"code": "IT.NET.USER.ZS"},
        **{f"api:{name}": {"code": "2024"} for name in ("edition", "edition-scores", "edition-indicators",
                                                         "edition-uncertainty", "download-datapackage",
                                                         "edition-what-if")},
        "api:download-scores": {"code": "2024", "fmt": "csv"}, "api:download-indicators": {"code": "2024", "fmt": "xlsx"},
        "api:download-uncertainty": {"code": "2024", "fmt": "json"},
        "api:download-observations": {"code": "IT.NET.USER.ZS", "fmt": "json"},
        "api:download-profile": {"iso3": "EGY", "fmt": "csv"},
        "api:download-compare-scores": {"fmt": "csv"}, "api:download-compare-indicators": {"fmt": "xlsx"},
        "admin:view_on_site": {"content_type_id": _content_type(objs["meeting"]), "object_id": objs["meeting"].pk},
    }
    if key in by_key:
        return by_key[key]
    if "object_id" in converters:
        app_model = key.split(":", 1)[1].rsplit("_", 1)[0] if pattern.name else None
        if app_model is None:   # unnamed admin redirect route: use the meeting
            return {"object_id": objs["meeting"].pk}
        for app_label in ("forum", "members", "core", "auth", "account", "mfa", "django_tasks_database"):
            if app_model.startswith(app_label + "_"):
                model = apps.get_model(app_label, app_model[len(app_label) + 1:].replace("_password", ""))
                return {"object_id": model.objects.order_by("pk").first().pk}
    if key == "admin:auth_user_password_change":
        return {"id": world_user_pk(objs)}
    if key.endswith("(?P<url>.*)$"):
        return {"url": "no/such/page/"}
    assert not converters, f"no sample arguments for {key} ({sorted(converters)})"
    return {}


def world_user_pk(objs) -> int:
    return objs["registration"].person_id


def _content_type(obj) -> int:
    from django.contrib.contenttypes.models import ContentType

    return ContentType.objects.get_for_model(obj).pk


#: Query strings a view needs to serve (without them it answers 400, which would read as refused).
QUERIES = {"api:download-compare-scores": "?countries=JOR,EGY&edition=2024",
           "api:download-compare-indicators": "?countries=JOR,EGY&edition=2024"}


def _url(key, pattern, kwargs) -> str:
    if pattern.name:
        return reverse(key, kwargs=kwargs) + QUERIES.get(key, "")
    route = key   # unnamed routes (admin's own): the key is the route, fill its groups by hand
    for name, value in kwargs.items():
        route = route.replace(f"<path:{name}>", str(value))
    return "/en/" + route.replace("(?P<url>.*)$", kwargs.get("url", ""))


def outcome(response) -> str:
    """``Y`` (served) or ``N`` (refused) from a response."""
    if response.status_code in (400, 403, 404, 405):
        return "N"
    if response.status_code in (301, 302):
        target = urlparse(response["Location"]).path
        refused = ("/accounts/login/", "/admin/login/", "/2fa/authenticate/")
        # allauth sends users to the site root when a page does not apply to them (e.g. sign-in when signed in)
        return "N" if target == "/" or any(part in target for part in refused) else "Y"
    assert response.status_code == 200, f"unexpected status {response.status_code}"
    return "Y"


@pytest.mark.django_db(transaction=False)
def test_permission_matrix(world, objects, settings):
    settings.DEBUG_PROPAGATE_EXCEPTIONS = False
    patterns = list(url_patterns())
    missing = sorted({key for key, _pattern in patterns if row_for(key) is None})
    assert not missing, f"URL patterns without a row in the permission matrix: {missing}"

    failures = []
    with translation.override("en"):
        for key, pattern in patterns:
            expected, method = row_for(key)
            url = _url(key, pattern, sample_kwargs(key, pattern, objects))
            got = ""
            for role in ROLES:
                client = Client()
                if USERS[role]:
                    client.force_login(world[USERS[role]])
                with transaction.atomic():   # POSTs must not change what the next role sees
                    data = {"language": "fr", "next": "/fr/"} if key == "set_language" else {}
                    response = getattr(client, method)(url, data)
                    transaction.set_rollback(True)
                got += outcome(response)
            if got != expected:
                failures.append(f"{key} {url}: expected {expected}, got {got}")
    assert not failures, "permission matrix mismatches (roles " + " ".join(ROLES) + "):\n" + "\n".join(failures)
