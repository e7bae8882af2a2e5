"""``manage.py import_questionnaire FILE --iso3 JOR --locale fr``: store a member state's questionnaire return."""
from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from dtforum.observatory.ingest.parsing import NUMBER_FORMATS, IngestError
from dtforum.observatory.ingest.questionnaire import import_questionnaire


class Command(BaseCommand):
    """Thin wrapper of :func:`dtforum.observatory.ingest.questionnaire.import_questionnaire`."""

    help = "Import a member state's questionnaire return (XLSX) as observations, all or nothing."

    def add_arguments(self, parser):
        parser.add_argument("path", help="the returned XLSX file")
        parser.add_argument("--iso3", required=True, help="ISO3 code of the member state answering")
        parser.add_argument("--locale", choices=sorted(NUMBER_FORMATS), default=None,
                            help="how the return writes numbers (e.g. fr: '288,140982'); without it a decimal "
                                 "comma is refused as ambiguous")
        parser.add_argument("--year", type=int, help="questionnaire round (default: the latest data year)")
        parser.add_argument("--sheet", help="worksheet title (default: the first sheet)")

    def handle(self, *args, path, iso3, locale, year=None, sheet=None, **options):
        try:
            result = import_questionnaire(path, iso3=iso3, locale=locale, year=year, sheet=sheet)
        except IngestError as exc:
            raise CommandError(str(exc)) from exc
        for line in result.log:
            self.stdout.write(line)
        self.stdout.write(self.style.SUCCESS(
            f"{result.source}: {result.observations} observations ({result.from_text} numeric stored as text)"))
