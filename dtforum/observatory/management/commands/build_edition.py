"""``manage.py build_edition 2024``: the main job — ingest the snapshot, compute the edition, write out/<edition>/."""
from __future__ import annotations

import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from dtforum.observatory.exports import write_tables
from dtforum.observatory.ingest.parsing import IngestError
from dtforum.observatory.ingest.store import ingest_snapshot
from dtforum.observatory.report.render import write_report
from dtforum.observatory.robustness import analyse_robustness
from dtforum.observatory.services import EditionError, compute_edition


class Command(BaseCommand):
    help = "Ingest the data snapshot, compute an edition of the Digital Transformation Index and write its outputs."

    def add_arguments(self, parser):
        parser.add_argument("edition", nargs="?", default=settings.DTFORUM_DEFAULT_EDITION)
        parser.add_argument("--skip-ingest", action="store_true", help="use the observations already stored")
        parser.add_argument("--no-pdf", action="store_true", help="write the HTML reports only")
        parser.add_argument("--out", type=Path, default=None, help="output folder (default DTFORUM_OUT_DIR/<edition>)")

    def handle(self, *args, edition: str, skip_ingest: bool, no_pdf: bool, out: Path | None, **options):
        console = Console(stderr=True)
        out_dir = (out or Path(settings.DTFORUM_OUT_DIR) / edition).resolve()
        timings: dict[str, float] = {}
        with Progress(TextColumn("[bold]{task.description}"), BarColumn(), TextColumn("{task.completed}/{task.total}"),
                      TimeElapsedColumn(), console=console, transient=False) as bar:
            tasks: dict[str, int] = {}

            def progress(step: str, done: int, total: int) -> None:
                if step not in tasks:
                    tasks[step] = bar.add_task(step, total=total)
                bar.update(tasks[step], completed=done, total=total)

            def stage(name: str, fn):
                start = time.perf_counter()
                try:
                    return fn()
                except (IngestError, EditionError) as exc:
                    raise CommandError(str(exc)) from exc
                finally:
                    timings[name] = time.perf_counter() - start

            if not skip_ingest:
                report = stage("ingest", lambda: ingest_snapshot(Path(settings.DTFORUM_DATA_DIR),
                                                                 progress=lambda s, d, t: progress(f"ingest {s}", d, t)))
                console.print(f"ingested {report}")
            result = stage("index", lambda: compute_edition(edition, progress=lambda s, d, t: progress("index", d, t)))
            files = stage("robustness", lambda: analyse_robustness(
                result, out_dir, progress=lambda s, d, t: progress(s, d, t)))
            files += stage("tables", lambda: write_tables(result.edition, out_dir))
            pdf_languages = () if no_pdf else ("en", "ar")
            files += stage("report", lambda: write_report(
                result.edition, out_dir, languages=("en", "ar", "fr"), pdf_languages=pdf_languages,
                progress=console.print))

        for name, seconds in timings.items():
            self.stdout.write(f"  {name:<12} {seconds:6.1f} s")
        self.stdout.write(f"  {'total':<12} {sum(timings.values()):6.1f} s")
        self.stdout.write(self.style.SUCCESS(f"edition {edition} written to {out_dir}/"))
        for path in files:
            self.stdout.write(f"  {path.relative_to(out_dir)}")
