"""``manage.py ingest_snapshot``: load the raw data snapshot (``settings.DTFORUM_DATA_DIR``) into the store."""
from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from dtforum.members.countries import UnresolvedCountry
from dtforum.observatory.ingest.parsing import IngestError
from dtforum.observatory.ingest.store import ingest_snapshot


class Command(BaseCommand):
    """Thin wrapper of :func:`dtforum.observatory.ingest.store.ingest_snapshot`."""

    help = "Ingest the raw statistics snapshot (DTFORUM_DATA_DIR) into the observation store, all or nothing."

    def add_arguments(self, parser):
        parser.add_argument("--source", action="append", dest="sources",
                            help="source code of the ingest catalogue (repeatable; default: all)")

    def handle(self, *args, sources=None, **options):
        def progress(step: str, done: int, total: int) -> None:
            if options["verbosity"] >= 2 or done == total:
                self.stdout.write(f"{step}: {done}/{total}")

        try:
            report = ingest_snapshot(Path(settings.DTFORUM_DATA_DIR), sources=sources, progress=progress)
        except (IngestError, UnresolvedCountry, ValueError) as exc:
            raise CommandError(str(exc)) from exc
        for src in report.sources:
            skipped = f", skipped {src.skipped}" if src.skipped else ""
            self.stdout.write(f"{src.code}: {src.stored} observations ({src.aggregates} of aggregates){skipped}")
        self.stdout.write(self.style.SUCCESS(
            f"{report.observations} observations of {len(report.sources)} sources, {report.economies} economies, "
            f"in {report.seconds:.1f} s"))
