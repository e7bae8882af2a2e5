"""``manage.py forum_notify``: send due meeting reminders and "minutes published" e-mails (run e.g. hourly)."""
from __future__ import annotations

from django.core.management.base import BaseCommand

from dtforum.forum import services


class Command(BaseCommand):
    help = "E-mail reminders for meetings starting within --days days and announce newly published minutes."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=7, help="remind this many days ahead (default 7)")

    def handle(self, *args, days, **options):
        reminders = services.send_reminders(days=days)
        minutes = services.notify_minutes_published()
        self.stdout.write(f"{reminders} reminder(s), {minutes} minutes notification(s) sent")
