"""Finding records on the web, and the reference data analysts add there.

/records/ opens the list of the first layer the user may read; /records/<layer>/ lists one
layer's records with filters (app.records.listing), each row linking to the record's page.
The targets' list carries the form for a new target and /records/organisations/ the form for
a new organisation, for analysts: each form calls the service the API calls
(app.records.reference), one transaction inside ``recording``; a refusal is shown on the page
beside the values typed, naming the field to fix.
"""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from app.accounts import policy
from app.api import downloads
from app.records import listing, reference, selectors
from app.records.exceptions import ChangeRefused
from app.records.layers import RECORD_LAYERS, TARGETS, RecordLayer
from app.records.pages import guarded
from app.records.reference import ORGANISATION_FIELDS
from app.registry.models import Organisation, OrganisationKind, ReviewStatus, TargetMetric

TARGET_FORM_FIELDS = ("year", "metric", "admin_unit", "organisation", "value", "reason")


def _check_may_read(user) -> None:
    if not policy.can_view_data(user):
        raise policy.NotAllowed(_("Your account has no role that may read data."))


def _layers_listed(user) -> list[RecordLayer]:
    """The layers the user may list (aggregates-only users: no exact positions)."""
    return [
        layer
        for layer in RECORD_LAYERS.values()
        if not layer.exact_positions or policy.sees_polygons(user)
    ]


def _layer_tabs(user) -> list[tuple[str, str]]:
    """(layer name, list title) of the tabs over every list page."""
    return [(layer.name, str(listing.LIST_TITLES[layer.name])) for layer in _layers_listed(user)]


@require_GET
@guarded
def records_index(request: HttpRequest) -> HttpResponse:
    _check_may_read(request.user)
    return redirect("records:list", layer=_layers_listed(request.user)[0].name)


def _filters(request: HttpRequest) -> listing.ListFilters:
    return listing.ListFilters(
        status=request.GET.get("status", "").strip() or None,
        organisation=request.GET.get("organisation", "").strip() or None,
        search=request.GET.get("q", "").strip(),
        deleted=request.GET.get("deleted", "") not in ("", "0"),
    )


@require_GET
@guarded
def record_list(request: HttpRequest, layer: str) -> HttpResponse:
    return _list_page(request, layer)


def _list_page(request, layer_name: str, *, target_form=None, status: int = 200) -> HttpResponse:
    """The list of ``layer_name``, with the new-target form (its values and error when a
    creation was refused)."""
    layer = selectors.record_layer(layer_name)
    _check_may_read(request.user)
    filters = _filters(request)
    error = None
    try:
        records = listing.record_list(
            layer=layer, user=request.user, filters=filters, page_number=request.GET.get("page")
        )
    except listing.BadFilter as bad:
        records, error, status = None, f"{bad.parameter}: {bad.message}", 400
    query = request.GET.copy()
    query.pop("page", None)
    may_manage = policy.can_manage_reference_data(request.user)
    download_groups, downloads_pending = _downloads(request.user, layer, filters)
    return render(
        request,
        "records/list.html",
        {
            "layer": layer,
            "title": listing.LIST_TITLES[layer.name],
            "layers": _layer_tabs(request.user),
            "records": records,
            "error": error,
            "filters": filters,
            "statuses": listing.statuses_to_filter(request.user, layer),
            "organisations": Organisation.objects.order_by("slug")
            if listing.has_organisation(layer)
            else None,
            # Those who may list deleted records are those who may undo a deletion.
            "may_list_deleted": policy.can_list_deleted(
                request.user, reference_data=not layer.reviewed
            ),
            "page_query": query.urlencode(),
            "target_form": target_form or {"values": {}, "error": None, "parameter": None},
            "show_target_form": layer is TARGETS and may_manage,
            "metrics": TargetMetric.choices,
            "downloads": download_groups,
            "downloads_pending": downloads_pending,
        },
        status=status,
    )


def _downloads(user, layer: RecordLayer, filters: listing.ListFilters) -> tuple[list, bool]:
    """The layer's exports with the filters the export shares with this list: the organisation,
    and the records counted. An export holds approved records, or with include=submitted the
    work under review too (it takes no review state), so the list's "approved" is the first,
    its "submitted" and its every-state (for those who see pending work) the second; drafts,
    rejected and deleted records have no export. The search text is the list's own. Returns
    the groups and whether they count the work under review."""
    if filters.deleted or filters.status in (ReviewStatus.DRAFT, ReviewStatus.REJECTED):
        return [], False
    pending = layer.reviewed and (
        filters.status == ReviewStatus.SUBMITTED
        or (not filters.status and policy.can_include_submitted(user))
    )
    query = downloads.include_query(include_submitted=pending)
    if listing.has_organisation(layer):
        query["organisation"] = filters.organisation
    groups = downloads.present(
        downloads.feature_downloads(
            user, layer=layer.name, title=str(listing.LIST_TITLES[layer.name]), query=query
        )
    )
    return groups, pending


@require_POST
@guarded
def create_target(request: HttpRequest) -> HttpResponse:
    typed = {name: request.POST.get(name, "").strip() for name in TARGET_FORM_FIELDS}
    values = {name: typed[name] or None for name in TARGET_FORM_FIELDS if name != "reason"}
    try:
        target = reference.create_target(user=request.user, values=values, reason=typed["reason"])
    except ChangeRefused as refused:
        form = {"values": typed, "error": refused.message, "parameter": refused.parameter}
        return _list_page(request, TARGETS.name, target_form=form, status=400)
    messages.success(
        request,
        _("Target %(id)s created: %(metric)s %(value)s in %(year)s.")
        % {
            "id": target.pk,
            "metric": TargetMetric(target.metric).label,
            "value": target.value,
            "year": target.year,
        },
    )
    return redirect("records:list", layer=TARGETS.name)


@require_GET
@guarded
def organisations(request: HttpRequest) -> HttpResponse:
    return _organisations_page(request)


def _organisations_page(request, *, form=None, status: int = 200) -> HttpResponse:
    _check_may_read(request.user)
    return render(
        request,
        "records/organisations.html",
        {
            "layers": _layer_tabs(request.user),
            "organisations": Organisation.objects.order_by("slug"),
            "kinds": OrganisationKind.choices,
            "may_manage": policy.can_manage_reference_data(request.user),
            "form": form or {"values": {}, "error": None, "parameter": None},
        },
        status=status,
    )


@require_POST
@guarded
def create_organisation(request: HttpRequest) -> HttpResponse:
    typed = {name: request.POST.get(name, "").strip() for name in ORGANISATION_FIELDS}
    try:
        organisation = reference.create_organisation(user=request.user, values=typed)
    except ChangeRefused as refused:
        form = {"values": typed, "error": refused.message, "parameter": refused.parameter}
        return _organisations_page(request, form=form, status=400)
    messages.success(
        request,
        _("Organisation %(slug)s (%(name)s) created.")
        % {"slug": organisation.slug, "name": organisation.name},
    )
    return redirect("records:organisations")
