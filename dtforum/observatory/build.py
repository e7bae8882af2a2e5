"""The main job: ingest the snapshot, compute an edition, analyse its robustness and write every output.

One code path for ``manage.py build_edition`` (terminal, with progress bars) and for the secretariat's background
task (:func:`dtforum.observatory.tasks.build_edition_task`).
"""
from __future__ import annotations

import shutil
import tempfile
import time
from collections.abc import Callable, Iterable
from pathlib import Path

from django.conf import settings

from dtforum.observatory.services import EditionError

Progress = Callable[[str, int, int], None]


class BuildError(EditionError):
    """The outputs of an edition cannot be written; the message names the folder or file."""


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
        From the ingest or the computation.
    BuildError
        The output folder cannot be created or written.

    Whatever fails, the database and ``out_dir`` are left as they were: the ingest, the computation and the
    outputs form one transaction, and the outputs are written to a staging folder beside ``out_dir`` that
    replaces it only when complete. The framework file is validated before anything is read.
    """
    from django.db import transaction

    from dtforum.observatory.exports import write_tables
    from dtforum.observatory.ingest.store import ingest_snapshot
    from dtforum.observatory.models import Score
    from dtforum.observatory.report.render import write_report
    from dtforum.observatory.robustness import analyse_robustness
    from dtforum.observatory.services import compute_edition, load_framework

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

    # Everything that can be refused cheaply is checked before anything is read or stored.
    load_framework(edition)
    staging = _staging_folder(out)
    try:
        # One transaction: a computation that fails after a fresh ingest leaves the previous observations and
        # edition in place, and so does a failure while writing the outputs.
        with transaction.atomic():
            if ingest:
                report = timed("ingest", lambda: ingest_snapshot(
                    Path(settings.DTFORUM_DATA_DIR), sources=list(sources) if sources else None,
                    progress=lambda s, d, t: say(f"ingest {s}", d, t)))
                ingested = report.observations
            result = timed("index", lambda: compute_edition(edition, progress=lambda s, d, t: say("index", d, t)))
            files = []
            if robustness:
                files += timed("robustness", lambda: analyse_robustness(result, staging, progress=say))
            files += timed("tables", lambda: write_tables(result.edition, staging))
            files += timed("report", lambda: write_report(
                result.edition, staging, languages=tuple(languages), pdf_languages=tuple(pdf_languages),
                progress=report_progress))
            ranked = Score.objects.filter(edition=result.edition, area="index", rank__isnull=False).count()
            _publish(staging, out)
    except OSError as exc:
        raise BuildError(f"{exc.filename or out}: the outputs cannot be written ({exc.strerror or exc}); "
                         "nothing was stored and the previous outputs are unchanged") from exc
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return {"edition": edition, "ingested": ingested, "ranked": ranked, "out_dir": str(out),
            "files": [str(Path(f).relative_to(staging)) for f in files], "seconds": seconds}


def _staging_folder(out: Path) -> Path:
    """Create the folder the outputs are written to before they replace ``out`` (same file system).

    Raises
    ------
    BuildError
        ``out`` exists and is not a folder, or its parent cannot be created or written.
    """
    if out.exists() and not out.is_dir():
        raise BuildError(f"{out}: expected an output folder, but a file of that name exists")
    blocking = next((p for p in out.parents if p.exists() and not p.is_dir()), None)
    if blocking is not None:
        raise BuildError(f"{blocking}: expected a folder (the output folder {out} goes inside it), but it is a file")
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
        staging.chmod(0o755)  # mkdtemp's 0700 would make the published folder unreadable to a web server
        return staging
    except OSError as exc:
        raise BuildError(f"{out}: the output folder cannot be created ({exc.strerror or exc})") from exc


def _publish(staging: Path, out: Path) -> None:
    """Replace ``out`` by the complete ``staging`` folder: readers never see a half-written edition."""
    previous = out.with_name(f".{out.name}.previous")
    shutil.rmtree(previous, ignore_errors=True)
    if out.exists():
        out.rename(previous)
    try:
        staging.rename(out)
    except OSError:
        if previous.exists():
            previous.rename(out)
        raise
    shutil.rmtree(previous, ignore_errors=True)
