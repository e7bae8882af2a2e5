"""Background tasks shared by every app, on Django's Tasks framework (DEP 0014; backport ``django-tasks``).

Where a task runs is a setting, not code (``DTFORUM_TASKS_BACKEND``, see :mod:`dtforum.settings`): in the
embedded default every ``enqueue`` runs the task at once in the same process (``ImmediateBackend``); in
production tasks are rows of the database (``django_tasks_db.DatabaseBackend``) run by ``manage.py db_worker``
on one or more worker machines. Task arguments and return values therefore must be JSON (ids, not objects).

E-mail: a message is rendered where it is asked for (the request knows the recipient's language and the
records), and only the rendered text travels to the worker, so a worker never renders with stale records and
an SMTP failure never fails the user's request.
"""
from __future__ import annotations

import base64
from collections.abc import Sequence

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation
from django_tasks import TaskResult, default_task_backend, task
from django_tasks.exceptions import TaskResultDoesNotExist


@task()
def send_email(subject: str, body: str, to: list[str], attachments: Sequence[Sequence[str]] = ()) -> int:
    """Send one plain-text e-mail through Django's e-mail framework (the task run by the worker).

    Parameters
    ----------
    subject, body : str
        The rendered message.
    to : list of str
        Recipient addresses (all in ``To``).
    attachments : sequence of (filename, base64 content, mimetype)
        Base64 because task arguments are stored as JSON.

    Returns
    -------
    int
        Messages sent (1), as :meth:`EmailMessage.send` reports.

    Raises
    ------
    smtplib.SMTPException, OSError
        From the e-mail back-end; the task result is then ``FAILED`` with the traceback.
    """
    message = EmailMultiAlternatives(subject, body, settings.DEFAULT_FROM_EMAIL, list(to))
    for name, content, mimetype in attachments:
        message.attach(name, base64.b64decode(content), mimetype)
    return message.send()


def enqueue_templated(template: str, to: Sequence[str], context: dict, language: str = "en",
                      attachments: Sequence[tuple[str, bytes | str, str]] = ()) -> int:
    """Render ``<template>_subject.txt`` / ``<template>_body.txt`` in ``language`` and enqueue :func:`send_email`.

    The only way the apps send e-mail: rendered here, sent by the task.

    Parameters
    ----------
    template : str
        Template prefix, e.g. ``"forum/email/reminder"``.
    to : sequence of str
        Recipient addresses; nothing is enqueued when empty.
    context : dict
        Template context (model instances allowed: rendering happens here); ``site_url`` is added.
    language : str
        ``"en"``, ``"fr"`` or ``"ar"``.
    attachments : sequence of (filename, content, mimetype)
        ``content`` as bytes or text (text is encoded as UTF-8).

    Returns
    -------
    int
        Messages enqueued (0 or 1). With the immediate backend the message has been sent on return.
    """
    if not to:
        return 0
    context = {"site_url": settings.DTFORUM_SITE_URL, **context}
    with translation.override(language):
        subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
        body = render_to_string(f"{template}_body.txt", context)
    encoded = [(name, base64.b64encode(content.encode() if isinstance(content, str) else content).decode("ascii"),
                mimetype) for name, content, mimetype in attachments]
    send_email.enqueue(subject, body, list(to), encoded)
    return 1


def result_of(task_id: str) -> TaskResult | None:
    """The stored result of a task, or ``None`` where the backend keeps no results.

    Parameters
    ----------
    task_id : str
        ``TaskResult.id`` returned by ``enqueue``.

    Returns
    -------
    TaskResult or None
        Current ``status`` (READY, RUNNING, SUCCESSFUL, FAILED), ``return_value`` and ``errors`` with the
        database backend; ``None`` with the immediate backend (``supports_get_result`` false: its results live
        only in the enqueuing process) or when the id is unknown (e.g. pruned by
        ``prune_db_task_results``).
    """
    if not default_task_backend.supports_get_result:
        return None
    try:
        return default_task_backend.get_result(task_id)
    except TaskResultDoesNotExist:
        return None
