"""Background tasks of the Forum workspace (Django's Tasks framework, see :mod:`dtforum.core.tasks`)."""
from __future__ import annotations

from django_tasks import task

from dtforum.forum import services


@task()
def forum_notify(days: int = 7) -> dict:
    """Send due meeting reminders and announce newly published minutes (what ``manage.py forum_notify`` does).

    Enqueue it periodically (e.g. hourly from cron: ``manage.py forum_notify --enqueue``) so that the e-mails
    leave from the worker machines.

    Parameters
    ----------
    days : int
        Remind registrants of meetings starting within this many days (default 7).

    Returns
    -------
    dict
        ``{"reminders": n, "minutes": m}``: e-mails enqueued (see :func:`services.send_reminders` and
        :func:`services.notify_minutes_published`).
    """
    return {"reminders": services.send_reminders(days=days), "minutes": services.notify_minutes_published()}
