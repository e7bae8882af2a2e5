"""Pages of the data round: focal points upload questionnaire returns; the secretariat builds editions.

Thin views over :mod:`dtforum.observatory.uploads` and :mod:`dtforum.observatory.tasks`.
"""
from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from dtforum.core import permissions
from dtforum.core.audit import record_change
from dtforum.core.tasks import result_of
from dtforum.members.models import Economy
from dtforum.observatory import uploads
from dtforum.observatory.tasks import BUILD_DONE, BUILD_FAILED, BUILD_REQUESTED, build_edition_task

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@login_required
def questionnaire(request):
    """``/<lang>/data/questionnaire/``: upload form, the template link and the list of uploads with status.

    Focal points upload for their own member state and see its uploads; the secretariat for any member state
    and sees all uploads. Everyone else gets 403. A refused file answers 400 with the reasons.
    """
    uploads.require_uploader(request.user)
    secretariat = permissions.is_secretariat(request.user)
    own = permissions.country_of(request.user)
    members = Economy.objects.filter(kind=Economy.Kind.MEMBER).order_by("name_en") if secretariat else [own]
    errors, status = [], 200
    if request.method == "POST":
        iso3 = request.POST.get("economy") or (own.iso3 if own else "")
        economy = Economy.objects.filter(iso3=iso3.upper(), kind=Economy.Kind.MEMBER).first()
        uploaded = request.FILES.get("file")
        if economy is None:
            errors = [_("Choose a member state.")]
        elif uploaded is None:
            errors = [_("Choose the filled questionnaire file (.xlsx).")]
        else:
            try:
                received = uploads.receive_return(request.user, economy, uploaded, request.POST.get("locale", ""))
            except uploads.UploadError as exc:
                errors = exc.messages
            else:
                messages.success(request, _("Return accepted: %(n)s values; import %(status)s.") % {
                    "n": received.values, "status": received.task_result.status.label.lower()})
                return redirect("data:questionnaire")
        status = 400
    listed = uploads.uploads(None if secretariat else own)
    return render(request, "observatory/upload/questionnaire.html", {
        "members": members, "own": own, "secretariat": secretariat, "locales": uploads.LOCALES,
        "language": get_language(), "errors": errors, "uploads": listed,
        "max_mb": round(settings.DTFORUM_UPLOAD_MAX_BYTES / 1024 / 1024, 1)}, status=status)


@login_required
def questionnaire_template(request, iso3: str):
    """``/<lang>/data/questionnaire/<ISO3>/template.xlsx``: the blank return of a member state in the language."""
    economy = Economy.objects.filter(iso3=iso3.upper(), kind=Economy.Kind.MEMBER).first()
    if economy is None:
        raise Http404(_("No member state %(iso3)s.") % {"iso3": iso3})
    permissions.require_acts_for(request.user, economy)
    language = get_language()
    content = uploads.questionnaire_template(economy.iso3, language)
    response = HttpResponse(content, content_type=XLSX)
    name = f"questionnaire-{settings.DTFORUM_DEFAULT_EDITION}-{economy.iso3}-{language}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def tasks(request):
    """``/<lang>/data/tasks/``: the secretariat starts an edition build and follows earlier builds.

    POST ``edition`` (a framework file of ``DTFORUM_METHODOLOGY_DIR``), ``ingest`` and ``pdf`` check boxes.
    Status comes from the task backend where it keeps results (database queue), else from the audit trail.
    """
    permissions.require_secretariat(request.user)
    editions = sorted(p.stem for p in Path(settings.DTFORUM_METHODOLOGY_DIR).glob("*.yaml"))
    if request.method == "POST":
        edition = request.POST.get("edition", "")
        if edition not in editions:
            messages.error(request, _("Unknown edition %(edition)s.") % {"edition": edition})
            return redirect("data:tasks")
        options = {"ingest": bool(request.POST.get("ingest")), "pdf": bool(request.POST.get("pdf"))}
        result = build_edition_task.enqueue(edition, requested_by=request.user.pk, **options)
        record_change(action=BUILD_REQUESTED, object_type="task", object_id=result.id, actor=request.user,
                      after={"edition": edition, **options, "backend": result.backend})
        messages.info(request, _("Build of edition %(edition)s: %(status)s.") % {
            "edition": edition, "status": result.status.label.lower()})
        return redirect("data:tasks")
    return render(request, "observatory/upload/tasks.html", {"editions": editions, "runs": build_runs(),
                                                             "default": settings.DTFORUM_DEFAULT_EDITION})


def build_runs(limit: int = 20) -> list[dict]:
    """Recent edition builds: ``id``, ``at``, ``by``, ``edition``, ``status`` (a ``TaskResultStatus``), ``detail``."""
    from django_tasks import TaskResultStatus

    from dtforum.core.models import AuditEvent

    requested = list(AuditEvent.objects.filter(action=BUILD_REQUESTED).select_related("actor")[:limit])
    outcomes = {e.object_id: e for e in AuditEvent.objects.filter(
        action__in=(BUILD_DONE, BUILD_FAILED), object_id__in=[e.object_id for e in requested])}
    runs = []
    for event in requested:
        done, stored = outcomes.get(event.object_id), result_of(event.object_id)
        if stored is not None:
            status = stored.status
        elif done is not None:
            status = TaskResultStatus.SUCCESSFUL if done.action == BUILD_DONE else TaskResultStatus.FAILED
        else:
            status = TaskResultStatus.READY
        if done is None:
            detail = ""
        elif done.action == BUILD_FAILED:
            detail = done.after["error"]
        else:
            detail = _("%(ranked)s members ranked, %(files)s files in %(out)s") % {
                "ranked": done.after["ranked"], "files": len(done.after["files"]), "out": done.after["out_dir"]}
        runs.append({"id": event.object_id, "at": event.at, "by": event.actor, "edition": event.after["edition"],
                     "status": status, "detail": detail})
    return runs
