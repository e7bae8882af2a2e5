"""``manage.py forum_notify``: send due meeting reminders and "minutes published" e-mails (run e.g. hourly)."""
from __future__ import annotations

from django.core.management.base import BaseCommand

from dtforum.forum.tasks import forum_notify


class Command(BaseCommand):
    help = "E-mail reminders for meetings starting within --days days and announce newly published minutes."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=7, help="remind this many days ahead (default 7)")
        parser.add_argument("--enqueue", action="store_true",
                            help="hand the job to the task queue (DTFORUM_TASKS_BACKEND) instead of running it here")

    def handle(self, *args, days, enqueue, **options):
        if enqueue:
            result = forum_notify.enqueue(days=days)
            self.stdout.write(f"forum_notify task {result.id}: {result.status}")
            return
        counts = forum_notify.call(days=days)
        self.stdout.write(f"{counts['reminders']} reminder(s), {counts['minutes']} minutes notification(s) sent")
