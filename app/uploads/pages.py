"""Upload pages: thin views that render templates. Everything an upload says about itself (status,
progress, report) is read by the page's script from the JSON API, so the page and the API can
never disagree. Who sees which upload is app.accounts.policy's decision: analysts every one, a
field coordinator their organisation's (another one's is "not found"), other roles none."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from app.accounts import policy
from app.registry.models import Organisation
from app.uploads.selectors import upload_json, visible_upload, visible_uploads
from app.uploads.services import UploadNotFound
from gis.attributes import FIELDS, LayerKind

KIND_LABELS = {
    LayerKind.HAZARD: gettext_lazy("Hazard areas: SHA or CHA polygons"),
    LayerKind.RELEASE: gettext_lazy("Released land: cancelled, reduced or cleared polygons"),
    LayerKind.SPOT_TASK: gettext_lazy("Spot tasks: points where items were destroyed"),
    LayerKind.VILLAGE: gettext_lazy("Villages: points"),
}

# The list shows the latest uploads; older ones stay reachable by number and through the API.
LIST_LENGTH = 200

# What the form's help lists under "Fields read for each kind": the same specs the reader uses.
KIND_FIELDS = [
    {
        "label": KIND_LABELS[kind],
        "fields": [
            {"name": spec.name, "required": spec.required, "aliases": spec.aliases}
            for spec in specs
        ],
    }
    for kind, specs in FIELDS.items()
]


def _refused(request: HttpRequest, refusal: policy.NotAllowed) -> HttpResponse:
    return render(request, "uploads/forbidden.html", {"message": refusal.message}, status=403)


@require_GET
def upload_list(request: HttpRequest) -> HttpResponse:
    try:
        uploads = visible_uploads(request.user).order_by("-created_at", "-id")
    except policy.NotAllowed as refusal:
        return _refused(request, refusal)
    return render(request, "uploads/list.html", {"uploads": uploads[:LIST_LENGTH]})


@require_GET
def upload_new(request: HttpRequest) -> HttpResponse:
    if not policy.can_upload(request.user):
        return _refused(
            request, policy.NotAllowed(_("uploads are for field coordinators and analysts"))
        )
    # Only the organisations the user may upload for: a field coordinator sees their own.
    organisations = [
        {"slug": organisation.slug, "name": organisation.name}
        for organisation in Organisation.objects.order_by("slug")
        if policy.can_upload_for(request.user, organisation.pk)
    ]
    return render(
        request,
        "uploads/new.html",
        {
            "api_url": reverse("upload-list"),
            "kinds": [(kind.value, label) for kind, label in KIND_LABELS.items()],
            "kind_fields": KIND_FIELDS,
            "organisations": organisations,
        },
    )


@require_GET
def upload_detail(request: HttpRequest, upload_id: int) -> HttpResponse:
    try:
        upload = visible_upload(request.user, upload_id)
    except policy.NotAllowed as refusal:
        return _refused(request, refusal)
    except UploadNotFound:
        return render(request, "uploads/not_found.html", {"upload_id": upload_id}, status=404)
    return render(
        request,
        "uploads/detail.html",
        {
            "upload_id": upload_id,
            # The review of the committed records, drawn by the server (uploads/_review.html).
            "review": upload_json(upload)["review"],
            "upload_status": upload.status,
            "can_resubmit": policy.can_submit_upload(request.user, upload),
            # Discard is offered to whoever may commit the upload (services.discard).
            "can_discard": policy.can_submit_upload(request.user, upload),
            "can_review": policy.can_review(request.user),
            # The script appends "commit/" and "revert/" to it.
            "api_url": reverse("upload-detail", args=[upload_id]),
            "uploads_api_url": reverse("upload-list"),
            # When it was sent, in the site's time zone and the reader's short format, as the
            # list shows it (the script shows it in the page's header).
            "sent_at": upload.created_at,
            # By its name; the API gives its slug, the code scripts filter by.
            "organisation_name": upload.organisation.name,
            # The file as it was sent (exact positions: for those who may have it).
            "original_url": (
                reverse("upload-original", args=[upload_id])
                if policy.can_download_original(request.user, upload)
                else None
            ),
            "filename": upload.filename,
        },
    )
