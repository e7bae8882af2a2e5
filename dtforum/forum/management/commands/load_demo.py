"""``manage.py load_demo``: the demonstration data set of the Forum workspace (see :mod:`dtforum.forum.demo`)."""
from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.test.utils import override_settings

from dtforum.forum import demo


class Command(BaseCommand):
    help = "Load the Forum workspace demonstration data (marked [DEMO], accounts @example.org)."

    def add_arguments(self, parser):
        parser.add_argument("--password", default="demo-forum-2025",
                            help="password of every demonstration account (default: demo-forum-2025)")

    def handle(self, *args, password, **options):
        try:
            # demonstration addresses are not real: nothing is e-mailed while loading
            with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
                summary = demo.load(password=password)
        except RuntimeError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"DEMONSTRATION DATA loaded: {summary['meetings']} meetings, {summary['decisions']} "
                          f"decisions, {summary['action_items']} action items.")
        self.stdout.write(f"Accounts (password {password!r}; secretariat accounts are asked to set up TOTP):")
        for email in summary["users"]:
            self.stdout.write(f"  {email}")
