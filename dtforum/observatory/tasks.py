"""Background tasks of the observatory: building an edition, importing a questionnaire return.

Both run in-process by default and on the worker machines in production (see :mod:`dtforum.core.tasks`).
Their outcome is recorded twice on purpose: as the task result (django-tasks: status, return value, traceback)
and in the audit trail, keyed by the task id, so that the secretariat's pages show the outcome whatever the
backend keeps (the immediate backend keeps no results once the request has ended).
"""
from __future__ import annotations

import tempfile
from pathlib import Path

from django.contrib.auth import get_user_model
from django_tasks import TaskContext, task

from dtforum.core.audit import record_change

#: Audit actions of the edition build, keyed by the task id (``AuditEvent.object_id``).
BUILD_REQUESTED, BUILD_DONE, BUILD_FAILED = "edition.build.requested", "edition.build", "edition.build.failed"
#: Audit actions of a questionnaire upload, keyed by the upload id.
UPLOAD_RECEIVED, UPLOAD_IMPORTED, UPLOAD_FAILED = ("questionnaire.upload", "questionnaire.upload.imported",
                                                   "questionnaire.upload.failed")


def build_edition(edition: str, **options) -> dict:
    """Build an edition (see :func:`dtforum.observatory.build.build_edition`, the one code path of the job)."""
    from dtforum.observatory.build import build_edition as build

    return build(edition, **options)


def _user(pk):
    return get_user_model().objects.filter(pk=pk).first() if pk is not None else None


@task(takes_context=True)
def build_edition_task(context: TaskContext, edition: str, *, ingest: bool = True, pdf: bool = True,
                       sources: list[str] | None = None, robustness: bool = True,
                       requested_by: int | None = None) -> dict:
    """Run :func:`build_edition` as a task and record its outcome in the audit trail.

    Parameters
    ----------
    context : TaskContext
        Given by the backend (the task id keys the audit events).
    edition : str
        Edition code.
    ingest : bool
        Re-ingest the snapshot first.
    pdf : bool
        Also write the English and Arabic PDFs.
    sources : list of str, optional
        Ingest only these catalogue sources.
    robustness : bool
        Also run the uncertainty and sensitivity analysis, audit, trends and peers.
    requested_by : int, optional
        Primary key of the secretariat user who started it (the audit actor).

    Returns
    -------
    dict
        The summary of :func:`build_edition`.

    Raises
    ------
    IngestError, EditionError, Exception
        Any error is re-raised after the audit event ``edition.build.failed`` (with the message; other than
        ingest and edition errors prefixed by the exception's class, e.g. ``FileExistsError: ...``) is written,
        so that the task result is ``FAILED`` with the traceback.
    """
    from dtforum.observatory.ingest.parsing import IngestError
    from dtforum.observatory.services import EditionError

    user = _user(requested_by)
    task_id = str(context.task_result.id)
    try:
        summary = build_edition(edition, ingest=ingest, sources=sources, robustness=robustness,
                                pdf_languages=("en", "ar") if pdf else ())
    except Exception as exc:
        # Any failure (also an unwritable output folder or a full disk) must reach the audit trail, which the
        # secretariat's task page reads: otherwise the build would look as if it never ended.
        known = isinstance(exc, (IngestError, EditionError))
        record_change(action=BUILD_FAILED, object_type="task", object_id=task_id, actor=user,
                      actor_label="" if user else "build_edition_task",
                      after={"edition": edition, "error": str(exc) if known else f"{type(exc).__name__}: {exc}"})
        raise
    record_change(action=BUILD_DONE, object_type="task", object_id=task_id, after=summary, actor=user,
                  actor_label="" if user else "build_edition_task")
    return summary


@task()
def import_questionnaire_task(upload_id: str, stored_name: str, file_name: str, iso3: str, locale: str,
                              user_id: int | None = None) -> dict:
    """Import a validated, stored questionnaire return (see :mod:`dtforum.observatory.uploads`).

    Parameters
    ----------
    upload_id : str
        Id of the upload (``AuditEvent.object_id`` of its ``questionnaire.upload`` event).
    stored_name : str
        Name of the file in the default storage (shared by the web and worker machines).
    file_name : str
        The name the user gave the file, used in messages.
    iso3 : str
        The member state of the return.
    locale : str
        Declared locale of the numbers.
    user_id : int, optional
        Who uploaded it (the audit actor).

    Returns
    -------
    dict
        ``source`` (``questionnaire.<ISO3>.<year>``), ``observations``, ``from_text``.

    Raises
    ------
    IngestError
        The return no longer imports (e.g. an indicator removed since the upload was checked); the event
        ``questionnaire.upload.failed`` records the message and nothing is stored.
    """
    from django.core.files.storage import default_storage

    from dtforum.observatory.ingest.parsing import IngestError
    from dtforum.observatory.ingest.questionnaire import import_questionnaire

    user = _user(user_id)
    label = "" if user else "import_questionnaire_task"
    with tempfile.TemporaryDirectory() as folder:
        # a local copy under the user's own file name: any storage backend, and messages name their file
        path = Path(folder) / Path(file_name).name
        with default_storage.open(stored_name, "rb") as src:
            path.write_bytes(src.read())
        try:
            outcome = import_questionnaire(path, iso3=iso3, locale=locale, user=user, all_sheets=True)
        except IngestError as exc:
            record_change(action=UPLOAD_FAILED, object_type="questionnaire.upload", object_id=upload_id,
                          actor=user, actor_label=label, after={"error": str(exc)})
            raise
    summary = {"source": outcome.source, "observations": outcome.observations, "from_text": outcome.from_text}
    record_change(action=UPLOAD_IMPORTED, object_type="questionnaire.upload", object_id=upload_id, actor=user,
                  actor_label=label, after=summary)
    return summary
