"""E-mail notifications through the task queue: in-process by default, and through django-tasks-db's worker."""
from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from dtforum.core.tasks import enqueue_templated, result_of, send_email
from dtforum.forum import services
from dtforum.forum.tasks import forum_notify

from .conftest import run_worker


@pytest.fixture
def soon(world, w):
    """A meeting starting in three days, the EGY delegate registered (registration e-mail cleared)."""
    now = timezone.now()
    meeting = services.create_meeting(world["admin"], **w.meeting_fields(
        start=now + timedelta(days=3), end=now + timedelta(days=3, hours=6),
        registration_deadline=now + timedelta(days=2), publish_at=now - timedelta(days=1)))
    services.register(world["delegate_egy"], meeting, world["delegate_egy"], now=now)
    mail.outbox.clear()
    return meeting


def test_enqueue_templated_renders_in_the_language_and_sends_in_process(world, soon):
    ics = b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n"
    assert enqueue_templated("forum/email/reminder", ["a@egy.example"], {"title": "X", "meeting": soon,
                             "start": soon.start, "end": soon.end, "path": "/p/"}, "en",
                             attachments=[("m.ics", ics, "text/calendar")]) == 1
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.subject == "Reminder: X" and message.to == ["a@egy.example"]
    # the attachment travels base64 in the JSON task arguments and arrives byte for byte
    assert message.attachments[0][0] == "m.ics" and message.attachments[0][1] in (ics, ics.decode())
    assert enqueue_templated("forum/email/reminder", [], {}, "en") == 0
    assert len(mail.outbox) == 1


def test_send_email_failure_is_a_failed_result_not_a_failed_request(world, settings):
    # an unknown e-mail back-end stands for an unreachable SMTP server: the task fails, the caller does not
    settings.EMAIL_BACKEND = "no.such.Backend"
    result = send_email.enqueue("s", "b", ["x@example.com"], [])
    assert result.status == TaskResultStatus.FAILED
    assert result.errors[0].exception_class_path in ("builtins.ModuleNotFoundError", "builtins.ImportError")
    assert result_of(result.id) is None    # the immediate backend keeps no results


def test_forum_notify_task_in_process(world, soon):
    result = forum_notify.enqueue(days=7)
    # one registration, meeting within 7 days -> 1 reminder; no minutes saved -> 0
    assert result.status == TaskResultStatus.SUCCESSFUL
    assert result.return_value == {"reminders": 1, "minutes": 0}
    assert [m.subject for m in mail.outbox] == [f"Reminder: {soon.title_en}"]
    assert forum_notify.enqueue(days=7).return_value == {"reminders": 0, "minutes": 0}   # sent once


@pytest.mark.django_db(transaction=True)
def test_forum_notify_through_the_database_queue_and_worker(world, soon, db_queue):
    result = forum_notify.enqueue(days=7)
    assert result.status == TaskResultStatus.READY
    assert DBTaskResult.objects.count() == 1 and len(mail.outbox) == 0
    run_worker()
    # the worker ran forum_notify, which enqueued one send_email, which the same batch then ran
    done = result_of(result.id)
    assert done.status == TaskResultStatus.SUCCESSFUL
    assert done.return_value == {"reminders": 1, "minutes": 0}
    assert sorted(DBTaskResult.objects.values_list("task_path", "status")) == [
        ("dtforum.core.tasks.send_email", "SUCCESSFUL"), ("dtforum.forum.tasks.forum_notify", "SUCCESSFUL")]
    assert [m.to for m in mail.outbox] == [["delegate@egy.example"]]


def test_forum_notify_command_enqueues(world, soon, db_queue):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("forum_notify", "--enqueue", stdout=out)
    queued = DBTaskResult.objects.get()
    assert out.getvalue() == f"forum_notify task {queued.id}: READY\n"
    assert queued.args_kwargs == {"args": [], "kwargs": {"days": 7}} and len(mail.outbox) == 0
