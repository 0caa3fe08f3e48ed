"""Upload pages: thin views that render templates. Everything an upload says about itself (status,
progress, report) is read by the page's script from the JSON API, so the page and the API can
never disagree."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from app.api.selectors.organisations import organisation_list
from app.uploads.models import Upload
from gis.attributes import FIELDS, LayerKind

KIND_LABELS = {
    LayerKind.HAZARD: "Hazard areas: SHA or CHA polygons",
    LayerKind.RELEASE: "Released land: cancelled, reduced or cleared polygons",
    LayerKind.SPOT_TASK: "Spot tasks: points where items were destroyed",
    LayerKind.VILLAGE: "Villages: points",
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


@require_GET
def upload_list(request: HttpRequest) -> HttpResponse:
    uploads = Upload.objects.select_related("organisation").order_by("-created_at", "-id")
    return render(request, "uploads/list.html", {"uploads": uploads[:LIST_LENGTH]})


@require_GET
def upload_new(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "uploads/new.html",
        {
            "api_url": reverse("upload-list"),
            "kinds": [(kind.value, label) for kind, label in KIND_LABELS.items()],
            "kind_fields": KIND_FIELDS,
            "organisations": organisation_list(),
        },
    )


@require_GET
def upload_detail(request: HttpRequest, upload_id: int) -> HttpResponse:
    if not Upload.objects.filter(pk=upload_id).exists():
        return render(request, "uploads/not_found.html", {"upload_id": upload_id}, status=404)
    return render(
        request,
        "uploads/detail.html",
        {
            "upload_id": upload_id,
            # The script appends "commit/" and "revert/" to it.
            "api_url": reverse("upload-detail", args=[upload_id]),
            "uploads_api_url": reverse("upload-list"),
            "time_zone": settings.TIME_ZONE,
        },
    )
