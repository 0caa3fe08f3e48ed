"""Review pages: the queue of pending batches and one batch with its report, its map over
approved data, its conflicts, and what approving it changes in the figures; forms that post
the decisions (with CSRF) and come back with what happened."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from app.accounts import policy
from app.accounts.headers import exact_positions
from app.api import downloads
from app.records.exceptions import RecordNotFound
from app.registry.models import HazardKind, ReleaseMethod
from app.review import selectors, services
from app.uploads.models import Upload, UploadStatus
from app.uploads.report_text import localised_report
from app.uploads.selectors import RECORD_LAYER, batch_records, visible_upload
from app.uploads.services import UploadNotFound
from gis.attributes import LayerKind

# Records listed on the batch page for one-by-one decisions (submitted ones first).
RECORDS_LISTED = 500

DONE = {
    services.APPROVE: gettext_lazy("approved"),
    services.REJECT: gettext_lazy("rejected"),
    services.RETURN: gettext_lazy("sent back for correction"),
}


def _refused(request: HttpRequest, message: str) -> HttpResponse:
    return render(request, "review/forbidden.html", {"message": message}, status=403)


def _reviewer_refused(request: HttpRequest) -> HttpResponse | None:
    if policy.can_review(request.user):
        return None
    return _refused(request, _("only analysts review submissions"))


def _not_found(request: HttpRequest, upload_id: int) -> HttpResponse:
    return render(request, "uploads/not_found.html", {"upload_id": upload_id}, status=404)


@require_GET
def queue(request: HttpRequest) -> HttpResponse:
    if refused := _reviewer_refused(request):
        return refused
    return render(request, "review/queue.html", {"batches": selectors.pending_batches()})


@exact_positions
@require_GET
def batch(request: HttpRequest, upload_id: int) -> HttpResponse:
    if refused := _reviewer_refused(request):
        return refused
    upload = (
        Upload.objects.select_related(
            "organisation", "created_by", "commit_requested_by", "reviewed_by"
        )
        .filter(pk=upload_id)
        .first()
    )
    if upload is None:
        return _not_found(request, upload_id)
    return _batch_page(request, upload)


def _batch_page(
    request: HttpRequest, upload: Upload, *, error: str = "", status: int = 200, typed=None
) -> HttpResponse:
    committed = upload.status == UploadStatus.COMMITTED
    context = {
        "upload": upload,
        "summary": selectors.batch_summary(upload),
        "report": localised_report(upload.report or {}),
        "committed": committed,
        "error": error,
        "typed": typed or {},
        "decisions": services.DECISIONS,
        "downloads": _downloads(request.user, upload),
    }
    if committed:
        context |= {
            "map_labels": _map_labels(),
            "timeline": selectors.batch_timeline(upload),
            "map_data": selectors.batch_map(upload),
            "overlaps": selectors.batch_overlaps(
                upload, visibility=policy.record_visibility(request.user)
            ),
            "replaced": selectors.replaced_records(upload),
            "records": batch_records(upload, limit=RECORDS_LISTED),
            # Villages count as surveyed villages, not hectares; the page fetches the figures.
            "has_effect": upload.kind != LayerKind.VILLAGE,
        }
    return render(request, "review/batch.html", context, status=status)


def _downloads(user, upload: Upload) -> list:
    """The batch's file as it was sent, and the organisation's records of the batch's layer
    with the work under review (every batch of it, approved records too: the exports filter by
    organisation, not by upload, and take no review state)."""
    layer = RECORD_LAYER[LayerKind(upload.kind)]
    waiting = downloads.include_query(include_submitted=True)
    if layer != "villages":
        # The villages' list has no organisation filter.
        waiting["organisation"] = upload.organisation.slug
    original = (
        downloads.DownloadGroup(
            title=_("this batch's file as it was sent"),
            links=(
                downloads.Download(
                    label=upload.filename, url=reverse("upload-original", args=[upload.pk])
                ),
            ),
        )
        if policy.can_download_original(user, upload)
        else None
    )
    return downloads.present(
        original,
        downloads.feature_downloads(
            user,
            layer=layer,
            title=_("the records of %(organisation)s with the work under review")
            % {"organisation": upload.organisation.name},
            query=waiting,
        ),
    )


def _map_labels() -> dict:
    """The words of the review map (review/batch_map.js), in the reader's language."""
    return {
        "batch": _("This batch"),
        "approved": _("Approved records around it"),
        "approved_releases": _("Approved releases, spot tasks, villages"),
        "approved_hazards": _("Approved hazard areas (dashed)"),
        "districts": _("Districts (2019)"),
        "upload": _("upload"),
        "layers": {
            "hazards": _("Hazard"),
            "releases": _("Release"),
            "spot-tasks": _("Spot task"),
            "villages": _("Village"),
        },
        "kinds": {kind.value: str(kind.label) for kind in HazardKind},
        "methods": {method.value: str(method.label) for method in ReleaseMethod},
        "statuses": {
            "draft": _("draft (sent back)"),
            "submitted": _("submitted"),
            "approved": _("approved"),
            "rejected": _("rejected"),
        },
    }


@require_GET
def effect(request: HttpRequest, upload_id: int) -> HttpResponse:
    """What approving the batch changes in the figures: a fragment the batch page fetches once
    it has loaded, because computing it runs the statistics twice (seconds)."""
    if refused := _reviewer_refused(request):
        return refused
    upload = Upload.objects.filter(pk=upload_id, status=UploadStatus.COMMITTED).first()
    if upload is None or upload.kind == LayerKind.VILLAGE:
        return _not_found(request, upload_id)
    return render(request, "review/_effect.html", {"effect": selectors.approval_effect(upload)})


@exact_positions
@require_POST
def decide(request: HttpRequest, upload_id: int) -> HttpResponse:
    """The batch forms: ``decision`` approve | reject | return, and ``reason``."""
    if refused := _reviewer_refused(request):
        return refused
    decision = request.POST.get("decision", "")
    reason = request.POST.get("reason", "")
    actions = {
        services.APPROVE: lambda: services.approve_batch(
            upload_id=upload_id, user=request.user, reason=reason
        ),
        services.REJECT: lambda: services.reject_batch(
            upload_id=upload_id, user=request.user, reason=reason
        ),
        services.RETURN: lambda: services.return_batch(
            upload_id=upload_id, user=request.user, reason=reason
        ),
    }
    upload = Upload.objects.filter(pk=upload_id).first()
    if upload is None:
        return _not_found(request, upload_id)
    if decision not in actions:
        error = _("choose approve, reject or send back")
        return _batch_page(request, upload, error=error, status=400)
    try:
        actions[decision]()
    except services.ReviewRefused as refused:
        typed = {"decision": decision, "reason": reason}
        return _batch_page(request, upload, error=refused.message, status=400, typed=typed)
    except services.ReviewConflict as conflict:
        return _batch_page(request, upload, error=conflict.message, status=409)
    messages.success(
        request,
        _("Upload %(id)s: its submitted records are %(done)s.")
        % {"id": upload_id, "done": DONE[decision]},
    )
    return redirect("review:queue")


@exact_positions
@require_POST
def decide_record(request: HttpRequest, upload_id: int, layer: str, record_id: int) -> HttpResponse:
    if refused := _reviewer_refused(request):
        return refused
    upload = Upload.objects.filter(pk=upload_id).first()
    model = services.REVIEWED_LAYERS.get(layer)
    if upload is None or model is None:
        return _not_found(request, upload_id)
    decision = request.POST.get("decision", "")
    reason = request.POST.get("reason", "")
    try:
        record = services.review_record(
            model=model, record_id=record_id, user=request.user, decision=decision, reason=reason
        )
    except RecordNotFound as missing:
        return _batch_page(request, upload, error=missing.message, status=404)
    except services.ReviewRefused as refused:
        typed = {"record": record_id, "decision": decision, "reason": reason}
        return _batch_page(request, upload, error=refused.message, status=400, typed=typed)
    except services.ReviewConflict as conflict:
        return _batch_page(request, upload, error=conflict.message, status=409)
    messages.success(
        request,
        _("Record %(reference)s is %(done)s.")
        % {
            "reference": getattr(record, "reference", None) or getattr(record, "code", record.pk),
            "done": DONE[decision],
        },
    )
    return redirect(reverse("review:batch", args=[upload_id]) + "#records")


@require_POST
def resubmit(request: HttpRequest, upload_id: int) -> HttpResponse:
    """The upload page's form: the organisation submits its corrected records again."""
    try:
        visible_upload(request.user, upload_id)
        services.resubmit_batch(
            upload_id=upload_id, user=request.user, reason=request.POST.get("reason", "")
        )
    except policy.NotAllowed as refusal:
        return _refused(request, refusal.message)
    except UploadNotFound:
        return _not_found(request, upload_id)
    except services.ReviewConflict as conflict:
        messages.error(request, conflict.message)
    else:
        messages.success(request, _("Submitted again: an analyst will review the corrections."))
    return redirect("uploads:detail", upload_id=upload_id)
