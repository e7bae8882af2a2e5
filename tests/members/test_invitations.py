"""Sign-up by invitation only (django-allauth adapter), roles, second factor for the secretariat."""
from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from dtforum.members import services
from dtforum.members.models import Invitation, Membership, Role

_spec = importlib.util.spec_from_file_location("forum_world", Path(__file__).parent.parent / "forum" / "world.py")
world_module = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(world_module)


@pytest.fixture
def world(db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return world_module.build()


SIGNUP = {"email": "new@egy.example", "password1": "Long-enough-pw-2025", "password2": "Long-enough-pw-2025"}


def test_secretariat_invites_a_focal_point_who_signs_up_once(world, client):
    invitation, path = services.create_invitation(world["staff"], email="New@EGY.example", role=Role.FOCAL_POINT,
                                                  economy=world["egy"], language="ar")
    assert invitation.email == "new@egy.example"
    assert path.startswith("/ar/accounts/invitation/")
    assert len(mail.outbox) == 1 and path in mail.outbox[0].body

    response = client.get(path)
    assert response.status_code == 302 and response["Location"] == "/ar/accounts/signup/"
    response = client.post("/ar/accounts/signup/", SIGNUP)
    assert response.status_code == 302, response.content.decode()[:500]
    user = get_user_model().objects.get(email="new@egy.example")
    membership = Membership.objects.get(user=user, ended_at__isnull=True)
    assert (membership.role, membership.economy.iso3, membership.language) == ("focal_point", "EGY", "ar")
    invitation.refresh_from_db()
    assert invitation.accepted_by == user

    client.logout()
    response = client.get(path.replace("/ar/", "/en/"))
    assert response.status_code == 400
    assert "This invitation has already been used." in response.content.decode()


def test_signup_without_invitation_is_closed(world, client):
    response = client.post("/en/accounts/signup/", SIGNUP)
    assert response.status_code == 200
    assert "Sign Up Closed" in response.content.decode()
    assert not get_user_model().objects.filter(email=SIGNUP["email"]).exists()


def test_signup_with_another_address_than_invited_is_refused(world, client):
    _inv, path = services.create_invitation(world["focal_egy"], email="invited@egy.example", role=Role.DELEGATE,
                                            economy=world["egy"])
    client.get(path)
    response = client.post("/en/accounts/signup/", SIGNUP)
    assert "This invitation is for invited@egy.example." in response.content.decode()
    assert not get_user_model().objects.filter(email=SIGNUP["email"]).exists()


def test_altered_token_is_refused(world, client):
    _inv, path = services.create_invitation(world["staff"], email="x@egy.example", role=Role.DELEGATE,
                                            economy=world["egy"])
    response = client.get(path[:-3] + "xx/")
    assert response.status_code == 400
    assert "This invitation link is not valid." in response.content.decode()


def test_focal_point_invites_only_delegates_of_its_own_country(world):
    with pytest.raises(PermissionDenied, match="You act for Egypt only; Türkiye is another member state."):
        services.create_invitation(world["focal_egy"], email="d@tur.example", role=Role.DELEGATE,
                                   economy=world["tur"])
    with pytest.raises(PermissionDenied, match="delegates and experts only"):
        services.create_invitation(world["focal_egy"], email="f@egy.example", role=Role.FOCAL_POINT,
                                   economy=world["egy"])
    with pytest.raises(PermissionDenied):
        services.create_invitation(world["delegate_egy"], email="d2@egy.example", role=Role.DELEGATE,
                                   economy=world["egy"])
    with pytest.raises(PermissionDenied, match="secretariat administrator"):
        services.create_invitation(world["staff"], email="s@dto.example", role=Role.SECRETARIAT_STAFF)
    assert Invitation.objects.count() == 0 and len(mail.outbox) == 0


def test_role_and_country_must_fit(world):
    with pytest.raises(ValidationError) as error:
        services.create_invitation(world["admin"], email="d@x.example", role=Role.DELEGATE)
    assert error.value.message_dict["economy"] == ["A focal point or delegate belongs to one OIC member state."]
    with pytest.raises(ValidationError) as error:
        services.create_invitation(world["admin"], email="focal@egy.example", role=Role.DELEGATE,
                                   economy=world["egy"])
    assert error.value.message_dict["email"] == ["focal@egy.example already has an account."]
    assert Invitation.objects.count() == 0


def test_grant_role_ends_the_previous_membership(world):
    services.grant_role(world["admin"], world["delegate_egy"], Role.FOCAL_POINT, economy=world["egy"])
    rows = [(m.role, m.ended_at is None) for m in Membership.objects.filter(user=world["delegate_egy"]).order_by("pk")]
    assert rows == [("delegate", False), ("focal_point", True)]


def test_secretariat_without_totp_must_activate_it(world, client):
    person = world_module.user("new-staff@dto.example", Role.SECRETARIAT_STAFF)
    assert person.is_staff
    client.force_login(person)
    response = client.get("/en/meetings/")
    assert response.status_code == 302 and response["Location"] == "/en/accounts/2fa/totp/activate/"
    # the activation page itself is reachable (allauth first asks to confirm the password)
    assert client.get("/en/accounts/2fa/totp/activate/")["Location"].startswith("/en/accounts/reauthenticate/")
    assert client.get("/en/accounts/reauthenticate/").status_code == 200
    client.force_login(world["staff"])   # has TOTP
    assert client.get("/en/meetings/").status_code == 200


@pytest.mark.django_db(transaction=True)
def test_invitation_email_goes_through_the_task_queue(world, settings):
    from django.core.management import call_command
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    _inv, path = services.create_invitation(world["staff"], email="queued@egy.example", role=Role.DELEGATE,
                                            economy=world["egy"], language="fr")
    queued = DBTaskResult.objects.get()
    # rendered at the request in the invitation's language; only the text waits for the worker
    assert queued.task_path == "dtforum.core.tasks.send_email"
    subject, body, to, attachments = queued.args_kwargs["args"]
    assert to == ["queued@egy.example"] and attachments == [] and path in body and path.startswith("/fr/")
    assert subject == "Invitation à l'espace de travail du Forum du COMCEC sur la transformation numérique"
    assert len(mail.outbox) == 0
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", "--interval", "0", verbosity=0)
    assert [(m.to, m.subject) for m in mail.outbox] == [(["queued@egy.example"], subject)]
