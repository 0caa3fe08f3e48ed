"""The record page: attributes, review state, a small map, the history, and the forms that
change the record. Views parse, call one service or selector, and render or redirect back with
a message saying what happened or what to fix."""

import dataclasses
import json

from django.contrib import messages
from django.db import models
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from app.accounts import policy
from app.accounts.headers import exact_positions
from app.records import labels, selectors, services
from app.records.exceptions import (
    ChangeRefused,
    RecordNotFound,
    RecordStateConflict,
    UnknownLayer,
)
from app.records.layers import RecordLayer
from app.registry.models import Organisation, ReviewStatus


def _refused(request, message: str, *, status: int) -> HttpResponse:
    return render(request, "records/refused.html", {"message": message}, status=status)


def guarded(view):
    """Unknown or invisible records are a 404 page, refusals a 403 page, each saying why."""

    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except (UnknownLayer, RecordNotFound) as missing:
            return _refused(request, missing.message, status=404)
        except policy.NotAllowed as refusal:
            return _refused(request, refusal.message, status=403)

    wrapper.__name__ = view.__name__
    wrapper.__doc__ = view.__doc__
    return wrapper


@exact_positions
@require_GET
@guarded
def record_detail(request: HttpRequest, layer: str, record_id: int) -> HttpResponse:
    spec = selectors.record_layer(layer)
    record = selectors.visible_record_or_history(layer=spec, record_id=record_id, user=request.user)
    feature_json = selectors.record_feature_json(layer=spec, record_id=record_id)
    feature = json.loads(feature_json) if feature_json else None
    removed = feature is None
    may_change = not removed and services.can_change(request.user, spec, record)
    may_undo = services.can_undo(request.user, spec)
    history = selectors.record_history(layer=spec, record_id=record_id)
    # A removed record is shown as its last version stood.
    shown = feature["properties"] if feature else (history[-1].data if history else {})
    # The record and its history name organisations by slug (the API's code); people read names.
    organisations = dict(Organisation.objects.values_list("slug", "name"))
    return render(
        request,
        "records/detail.html",
        {
            "layer": spec,
            "record_id": record_id,
            "title": _title(shown),
            "feature": feature,
            "removed": removed,
            "deleted": not removed and record.deleted_at is not None,
            "deleted_at": labels.shown_moment(record.deleted_at) if record.deleted_at else "",
            "status_label": _status_label(record) if spec.reviewed and not removed else None,
            "properties": _shown_properties(shown, organisations),
            "history": [_shown_version(version, organisations) for version in reversed(history)],
            "may_edit": may_change and record.deleted_at is None,
            "may_delete": may_change and record.deleted_at is None and spec.name != "admin-units",
            "may_undelete": may_undo and not removed and record.deleted_at is not None,
            "may_restore": may_undo,
            "form_fields": _form_fields(spec, record, request.user) if may_change else [],
            "geometry_editable": spec.geometry is not None,
            # /records/<layer>/<id>/?edit=1 opens the form (a link "edit" can point there).
            "open_edit": "edit" in request.GET,
        },
    )


def _status_label(record) -> str:
    return str(ReviewStatus(record.status).label)


# Shown elsewhere on the page (the heading, the state, the map), not in the attribute table.
_NOT_LISTED = {"status", "deleted_at", "url", "layer"}


def _shown(key: str, value, organisations: dict[str, str]):
    if key == "organisation" and value in organisations:
        return organisations[value]
    return labels.shown_value(key, value)


def _shown_properties(
    properties: dict, organisations: dict[str, str]
) -> list[tuple[str, str, object]]:
    """(field name, label, value as a person reads it) of the attribute table."""
    return [
        (key, labels.field_label(key), _shown(key, value, organisations))
        for key, value in properties.items()
        if key not in _NOT_LISTED
    ]


def _shown_version(version: selectors.VersionRow, organisations: dict[str, str]) -> dict:
    """A history row with each change's field labelled, its coded values by their labels and
    organisations by their names."""
    changes = [
        {
            "field": change.field,
            "label": labels.field_label(change.field),
            "old": _shown(change.field, change.old, organisations),
            "new": _shown(change.field, change.new, organisations),
        }
        for change in version.changes
    ]
    return {**dataclasses.asdict(version), "changes": changes}


def _title(properties: dict) -> str:
    """What people call the record: its reference or code, a target its year and metric."""
    for key in ("reference", "code"):
        if properties.get(key):
            return str(properties[key])
    if "year" in properties:
        return f"{properties['year']} {properties.get('metric', '')}"
    return ""


def _form_fields(spec: RecordLayer, record, user) -> list[dict]:
    """The edit form's inputs, one per editable field, with the stored value; the organisations
    offered are those the user may give the record (the service refuses the others)."""
    fields = []
    for name in spec.editable:
        field = spec.model._meta.get_field(name)
        value = getattr(record, name)
        entry = {
            "name": name,
            "label": labels.field_label(name),
            "help": labels.field_help(field),
            "required": not field.null and not field.blank,
            "input": "text",
            "value": "" if value is None else value,
            "choices": None,
        }
        if name == "organisation":
            entry["input"] = "select"
            entry["value"] = value.slug if value else ""
            entry["choices"] = list(
                policy.assignable_organisations(user, record, Organisation.objects.all())
                .order_by("slug")
                .values_list("slug", "name")
            )
            # No "—" (no organisation) for those who may not take the record's away either.
            entry["required"] = entry["required"] or not policy.can_assign_organisation(
                user, record, None
            )
        elif name == "admin_unit":
            entry["value"] = value.code if value else ""
            entry["help"] = _("a district (2019) or commune (2025) code; empty: whole province")
        elif field.choices:
            entry["input"] = "select"
            entry["choices"] = [(str(key), str(label)) for key, label in field.choices]
        elif isinstance(field, models.DateField):
            entry["input"] = "date"
            entry["value"] = value.isoformat() if value else ""
        elif isinstance(field, models.IntegerField | models.DecimalField):
            entry["input"] = "number"
        elif isinstance(field, models.TextField):
            entry["input"] = "textarea"
        fields.append(entry)
    return fields


def _back(layer: str, record_id: int):
    return redirect("records:detail", layer=layer, record_id=record_id)


def _acting(request, layer: str, record_id: int, action, *, done: str):
    """Run one service; say what happened, or what to fix, on the record page."""
    try:
        action()
    except ChangeRefused as refused:
        messages.error(request, f"{refused.parameter}: {refused.message}")
    except RecordStateConflict as conflict:
        messages.error(request, conflict.message)
    else:
        messages.success(request, done)
    return _back(layer, record_id)


@exact_positions
@require_POST
@guarded
def record_edit(request: HttpRequest, layer: str, record_id: int) -> HttpResponse:
    spec = selectors.record_layer(layer)
    changes = {name: request.POST[name] for name in spec.editable if name in request.POST}
    geometry = request.POST.get("geometry", "").strip()
    if geometry and spec.geometry is not None:
        changes["geometry"] = geometry
    return _acting(
        request,
        layer,
        record_id,
        lambda: services.change_record(
            layer=layer,
            record_id=record_id,
            user=request.user,
            changes=changes,
            reason=request.POST.get("reason", ""),
        ),
        done=_("Changes saved; the history below shows them."),
    )


@require_POST
@guarded
def record_delete(request: HttpRequest, layer: str, record_id: int) -> HttpResponse:
    return _acting(
        request,
        layer,
        record_id,
        lambda: services.delete_record(
            layer=layer,
            record_id=record_id,
            user=request.user,
            reason=request.POST.get("reason", ""),
        ),
        done=_("Deleted. The record no longer counts anywhere; an analyst can undo this."),
    )


@require_POST
@guarded
def record_undelete(request: HttpRequest, layer: str, record_id: int) -> HttpResponse:
    return _acting(
        request,
        layer,
        record_id,
        lambda: services.undelete_record(
            layer=layer,
            record_id=record_id,
            user=request.user,
            reason=request.POST.get("reason", ""),
        ),
        done=_("Deletion undone."),
    )


@require_POST
@guarded
def record_restore(
    request: HttpRequest, layer: str, record_id: int, version_id: int
) -> HttpResponse:
    spec = selectors.record_layer(layer)
    selectors.version_of_record(layer=spec, record_id=record_id, version_id=version_id)
    return _acting(
        request,
        layer,
        record_id,
        lambda: services.restore_version(
            version_id=version_id, user=request.user, reason=request.POST.get("reason", "")
        ),
        done=_("Version %(id)s restored.") % {"id": version_id},
    )
