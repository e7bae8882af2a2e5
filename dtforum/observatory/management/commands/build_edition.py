"""``manage.py build_edition 2024``: the main job — ingest the snapshot, compute the edition, write out/<edition>/."""
from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from dtforum.observatory.build import build_edition
from dtforum.observatory.ingest.parsing import IngestError
from dtforum.observatory.services import EditionError


class Command(BaseCommand):
    help = "Ingest the data snapshot, compute an edition of the Digital Transformation Index and write its outputs."

    def add_arguments(self, parser):
        parser.add_argument("edition", nargs="?", default=settings.DTFORUM_DEFAULT_EDITION)
        parser.add_argument("--skip-ingest", action="store_true", help="use the observations already stored")
        parser.add_argument("--no-pdf", action="store_true", help="write the HTML reports only")
        parser.add_argument("--no-robustness", action="store_true",
                            help="skip the uncertainty/sensitivity analysis, audit, trends and peers")
        parser.add_argument("--out", type=Path, default=None, help="output folder (default DTFORUM_OUT_DIR/<edition>)")

    def handle(self, *args, edition: str, skip_ingest: bool, no_pdf: bool, no_robustness: bool, out: Path | None,
               **options):
        console = Console(stderr=True)
        with Progress(TextColumn("[bold]{task.description}"), BarColumn(), TextColumn("{task.completed}/{task.total}"),
                      TimeElapsedColumn(), console=console) as bar:
            tasks: dict[str, int] = {}

            def progress(step: str, done: int, total: int) -> None:
                if step not in tasks:
                    tasks[step] = bar.add_task(step, total=total)
                bar.update(tasks[step], completed=done, total=total)

            try:
                summary = build_edition(
                    edition, ingest=not skip_ingest, pdf_languages=() if no_pdf else ("en", "ar"),
                    robustness=not no_robustness, out_dir=out, progress=progress, report_progress=console.print,
                )
            except (IngestError, EditionError) as exc:
                raise CommandError(str(exc)) from exc

        if summary["ingested"] is not None:
            self.stdout.write(f"ingested {summary['ingested']} observations")
        for name, seconds in summary["seconds"].items():
            self.stdout.write(f"  {name:<12} {seconds:6.1f} s")
        self.stdout.write(f"  {'total':<12} {sum(summary['seconds'].values()):6.1f} s")
        self.stdout.write(self.style.SUCCESS(
            f"edition {edition}: {summary['ranked']} members ranked, written to {summary['out_dir']}/"))
        for name in summary["files"]:
            self.stdout.write(f"  {name}")
