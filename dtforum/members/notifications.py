"""E-mail through Django's e-mail framework, rendered in the recipient's language.

Sent synchronously for now (the back-end is the console by default, ``DJANGO_EMAIL_BACKEND``); once the task
queue of the production profile exists, :func:`send_templated` is the single place to make asynchronous.
"""
from __future__ import annotations

from collections.abc import Sequence

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation


def send_templated(template: str, to: Sequence[str], context: dict, language: str = "en",
                   attachments: Sequence[tuple[str, bytes, str]] = ()) -> int:
    """Render ``<template>_subject.txt`` and ``<template>_body.txt`` in ``language`` and send one message.

    Parameters
    ----------
    template : str
        Template prefix, e.g. ``"members/email/invitation"``.
    to : sequence of str
        Recipient addresses (one message, all recipients in ``To``).
    context : dict
        Template context; ``site_url`` (``DTFORUM_SITE_URL``) is added.
    language : str
        ``"en"``, ``"fr"`` or ``"ar"``.
    attachments : sequence of (filename, content, mimetype)
        E.g. an iCalendar invitation.

    Returns
    -------
    int
        Number of messages sent (0 when ``to`` is empty).
    """
    if not to:
        return 0
    context = {"site_url": settings.DTFORUM_SITE_URL, **context}
    with translation.override(language):
        subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
        body = render_to_string(f"{template}_body.txt", context)
    message = EmailMultiAlternatives(subject, body, settings.DEFAULT_FROM_EMAIL, list(to))
    for name, content, mimetype in attachments:
        message.attach(name, content, mimetype)
    return message.send()
