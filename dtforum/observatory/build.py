"""The main job: ingest the snapshot, compute an edition, analyse its robustness and write every output.

One code path for ``manage.py build_edition`` (terminal, with progress bars) and for the secretariat's background
task (:func:`dtforum.observatory.tasks.build_edition_task`).
"""
from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from pathlib import Path

from django.conf import settings

Progress = Callable[[str, int, int], None]


def build_edition(edition: str, *, ingest: bool = True, sources: Iterable[str] | None = None,
                  languages: Iterable[str] = ("en", "ar", "fr"), pdf_languages: Iterable[str] = ("en", "ar"),
                  robustness: bool = True, out_dir: Path | None = None, progress: Progress | None = None,
                  report_progress: Callable[[str], None] | None = None) -> dict:
    """Ingest the snapshot, compute the edition and write its outputs to ``out_dir``.

    Parameters
    ----------
    edition : str
        Edition code; ``<DTFORUM_METHODOLOGY_DIR>/<edition>.yaml`` must exist.
    ingest : bool
        Re-read the snapshot in ``DTFORUM_DATA_DIR`` first (default); ``False`` uses the stored observations.
    sources : iterable of str, optional
        Only these catalogue sources are ingested (see :func:`~dtforum.observatory.ingest.store.ingest_snapshot`).
    languages, pdf_languages : iterable of str
        Report languages in HTML, and those also laid out as PDF (empty: no PDF).
    robustness : bool
        Run the uncertainty and sensitivity analysis, audit, trends and peers (issue 3 outputs).
    out_dir : Path, optional
        Output folder (default ``DTFORUM_OUT_DIR/<edition>``).
    progress : callable(step, done, total), optional
        Progress of the long stages (ingest, index, robustness).
    report_progress : callable(str), optional
        One line per report file written.

    Returns
    -------
    dict
        JSON-serialisable: ``edition``, ``ingested`` (observations stored, or ``None``), ``ranked`` (members with
        an index rank), ``out_dir``, ``files`` (paths relative to ``out_dir``), ``seconds`` per stage.

    Raises
    ------
    IngestError, EditionError
        From the ingest or the computation; nothing of that stage is stored (each writes all or nothing).
    """
    from dtforum.observatory.exports import write_tables
    from dtforum.observatory.ingest.store import ingest_snapshot
    from dtforum.observatory.models import Score
    from dtforum.observatory.report.render import write_report
    from dtforum.observatory.robustness import analyse_robustness
    from dtforum.observatory.services import compute_edition

    say = progress or (lambda step, done, total: None)
    out = Path(out_dir or Path(settings.DTFORUM_OUT_DIR) / edition).resolve()
    seconds: dict[str, float] = {}
    ingested = None

    def timed(name, fn):
        start = time.perf_counter()
        try:
            return fn()
        finally:
            seconds[name] = round(time.perf_counter() - start, 2)

    if ingest:
        report = timed("ingest", lambda: ingest_snapshot(
            Path(settings.DTFORUM_DATA_DIR), sources=list(sources) if sources else None,
            progress=lambda s, d, t: say(f"ingest {s}", d, t)))
        ingested = report.observations
    result = timed("index", lambda: compute_edition(edition, progress=lambda s, d, t: say("index", d, t)))
    files = []
    if robustness:
        files += timed("robustness", lambda: analyse_robustness(result, out, progress=say))
    files += timed("tables", lambda: write_tables(result.edition, out))
    files += timed("report", lambda: write_report(result.edition, out, languages=tuple(languages),
                                                  pdf_languages=tuple(pdf_languages), progress=report_progress))
    ranked = Score.objects.filter(edition=result.edition, area="index", rank__isnull=False).count()
    return {"edition": edition, "ingested": ingested, "ranked": ranked, "out_dir": str(out),
            "files": [str(Path(f).relative_to(out)) for f in files], "seconds": seconds}
