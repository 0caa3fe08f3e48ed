"""Turning what a person sent (JSON or a form's strings) into the values a record stores.

Attributes pass the model field's own rules (``Field.clean``: type, choices, length, digits);
organisations are named by slug and admin units by code; the geometry comes as GeoJSON and
passes the checks uploads use (gis.validation), except that an edit is never repaired: an
invalid outline is refused with the reason. Rules across fields (a release started before it
was completed, one reference per organisation) are the database's constraints, and a violation
becomes a ``ChangeRefused`` that names the field (``refusal_for_integrity_error``).
"""

import json

import shapely
from django.conf import settings
from django.contrib.gis.geos import GEOSGeometry
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from shapely.errors import GEOSException
from shapely.geometry import shape

from app.records.exceptions import ChangeRefused
from app.records.layers import ADMIN_UNITS, RecordLayer
from app.registry.models import AdminUnit, Organisation
from app.uploads.operating_area import OperatingAreaMisconfigured, operating_area, shown_name
from gis.validation import Outcome, validate_geometries

# A legacy GeoJSON "crs" member is accepted only when it names WGS 84 (RFC 7946 has no other).
WGS84_NAMES = ("EPSG:4326", "urn:ogc:def:crs:OGC:1.3:CRS84", "urn:ogc:def:crs:EPSG::4326")

# The review state and the deletion change through their own actions, each with its own
# history entry; ids and upload links are what the history refers to.
NOT_EDITABLE = {
    "status": gettext_lazy(
        "the review state changes through review (approve, reject, send back), not an edit"
    ),
    "deleted_at": gettext_lazy("delete the record or undo its deletion instead"),
    "id": gettext_lazy("a record keeps its id"),
    "upload": gettext_lazy("the upload a record came from is history, not an attribute"),
    "upload_id": gettext_lazy("the upload a record came from is history, not an attribute"),
}

# The database rules a change can break, and the field and words that explain each one. A rule
# not listed still gets a 400 naming the rule.
CONSTRAINT_RULES = {
    "release_started_before_completed": (
        "started_on",
        gettext_lazy("must be on or before completed_on"),
    ),
    "release_depth_only_for_clearance": (
        "depth_cm",
        gettext_lazy("only cleared land has a clearance depth; leave it empty for this method"),
    ),
    "release_reference_per_organisation": (
        "reference",
        gettext_lazy("this organisation already has a release with this reference"),
    ),
    "spot_task_reference_per_organisation": (
        "reference",
        gettext_lazy("this organisation already has a spot task with this reference"),
    ),
    "registry_hazardarea_reference_key": (
        "reference",
        gettext_lazy("another hazard area has this reference"),
    ),
    "registry_village_code_key": ("code", gettext_lazy("another village has this code")),
    "registry_organisation_slug_key": (
        "slug",
        gettext_lazy("another organisation has this slug"),
    ),
    "spot_task_items_not_negative": ("items_destroyed", gettext_lazy("must be 0 or more")),
    "admin_unit_valid_dates_ordered": ("valid_to", gettext_lazy("must be on or after valid_from")),
    "admin_unit_code_per_set": (
        "code",
        gettext_lazy("another unit of this boundary set has this code"),
    ),
    "annual_target_unique": (
        "year",
        gettext_lazy(
            "a target for this year, metric, admin unit and organisation exists already; "
            "change that one"
        ),
    ),
    "target_not_negative": ("value", gettext_lazy("must be 0 or more")),
    "target_year_plausible": ("year", gettext_lazy("must lie between 1975 and 2100")),
}


def attribute_values(layer: RecordLayer, record, changes: dict) -> dict[str, object]:
    """The model attribute values (``organisation``, ``completed_on``, the geometry column...)
    that ``changes`` asks for, each checked by its field's rules. Raises ChangeRefused naming
    the first field that cannot be taken."""
    if not isinstance(changes, dict) or not changes:
        raise ChangeRefused(
            parameter="changes",
            message=_('send the fields to change as a JSON object, e.g. {"notes": "..."}'),
        )
    values: dict[str, object] = {}
    for name, value in changes.items():
        if name == "geometry" and layer.geometry is not None:
            values[layer.geometry_column] = geometry_from_geojson(layer, value)
        elif name in layer.editable:
            values[name] = _field_value(layer, record, name, value)
        elif name in NOT_EDITABLE:
            raise ChangeRefused(parameter=name, message=str(NOT_EDITABLE[name]))
        else:
            accepted = [*layer.editable, *(["geometry"] if layer.geometry else [])]
            raise ChangeRefused(
                parameter=name,
                message=_(
                    "not a field of a %(layer)s record that can be changed; these can: %(fields)s"
                )
                % {"layer": layer.noun, "fields": ", ".join(accepted)},
            )
    return values


def _field_value(layer: RecordLayer, record, name: str, value):
    field = layer.model._meta.get_field(name)
    if isinstance(value, str):
        value = value.strip()
    if value in ("", None) and field.null:
        return None
    if name == "organisation":
        return _organisation(value)
    if name == "admin_unit":
        return _admin_unit(value)
    if isinstance(value, list | dict):
        raise ChangeRefused(
            parameter=name,
            message=_("must be one value (text, a number, true or false), not a list or an object"),
        )
    try:
        return field.clean(value, record)
    except ValidationError as error:
        raise ChangeRefused(parameter=name, message=" ".join(error.messages)) from None
    except TypeError:
        # Django's date fields parse text only (a number for a date raised inside them): the
        # field's own "invalid" sentence, as for text it cannot read.
        invalid = ValidationError(field.error_messages["invalid"], params={"value": value})
        raise ChangeRefused(parameter=name, message=" ".join(invalid.messages)) from None


def _organisation(slug) -> Organisation:
    found = Organisation.objects.filter(slug=str(slug)).first()
    if found is None:
        raise ChangeRefused(
            parameter="organisation",
            message=_("no organisation with slug %(slug)s (see /api/v1/organisations/)")
            % {"slug": slug},
        )
    return found


def _admin_unit(code) -> AdminUnit:
    """A unit by its code: districts of 2019 have 3 digits, communes of 2025 5, so the code
    decides the boundary set."""
    units = list(AdminUnit.objects.alive().filter(code=str(code))[:2])
    if not units:
        raise ChangeRefused(
            parameter="admin_unit",
            message=_("no admin unit with code %(code)s (see /api/v1/admin-units/)")
            % {"code": code},
        )
    if len(units) > 1:
        raise ChangeRefused(
            parameter="admin_unit",
            message=_("code %(code)s exists in both boundary sets") % {"code": code},
        )
    return units[0]


def geometry_from_geojson(layer: RecordLayer, value) -> GEOSGeometry:
    """A GeoJSON geometry (or a Feature's) in WGS 84 longitude/latitude as the layer stores it:
    a MultiPolygon for areas, a Point for points. Refused: anything unreadable, another CRS,
    coordinates out of range, an invalid polygon (with the reason), and for records of the
    field a geometry wholly outside the operating area."""
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            raise ChangeRefused(
                parameter="geometry", message=_("not JSON; send a GeoJSON geometry")
            ) from None
    if isinstance(value, dict) and value.get("type") == "Feature":
        value = value.get("geometry")
    if not isinstance(value, dict) or "type" not in value:
        raise ChangeRefused(
            parameter="geometry",
            message=_('send a GeoJSON geometry object, e.g. {"type": "Polygon", ...}'),
        )
    crs = value.get("crs")
    if crs is not None and not (
        isinstance(crs, dict) and (crs.get("properties") or {}).get("name") in WGS84_NAMES
    ):
        raise ChangeRefused(
            parameter="geometry",
            message=_("GeoJSON is WGS 84 longitude/latitude; reproject it before sending"),
        )
    try:
        geometry = shape(value)
    except (AttributeError, IndexError, KeyError, TypeError, ValueError, GEOSException) as error:
        raise ChangeRefused(
            parameter="geometry",
            message=_("not a readable GeoJSON geometry (%(error)s)") % {"error": error},
        ) from None
    if not geometry.is_empty:
        min_lon, min_lat, max_lon, max_lat = geometry.bounds
        if not (-180 <= min_lon <= max_lon <= 180 and -90 <= min_lat <= max_lat <= 90):
            raise ChangeRefused(
                parameter="geometry",
                message=_("coordinates must be longitude, latitude in WGS 84 degrees"),
            )
    # The uploads' vertex limit holds for an edited outline too: a page shows it whole.
    check = validate_geometries(
        [geometry], target=layer.geometry, max_vertices=settings.UPLOAD_MAX_VERTICES_PER_FEATURE
    ).checks[0]
    if check.outcome is Outcome.REJECTED:
        raise ChangeRefused(parameter="geometry", message="; ".join(check.notes))
    if check.outcome is Outcome.REPAIRED:
        raise ChangeRefused(
            parameter="geometry",
            message=_("invalid polygon (%(reason)s): correct the outline and send it again")
            % {"reason": shapely.is_valid_reason(geometry)},
        )
    if layer is not ADMIN_UNITS:
        _check_in_operating_area(check.geometry)
    return GEOSGeometry(memoryview(shapely.to_wkb(check.geometry)), srid=4326)


def _check_in_operating_area(geometry) -> None:
    try:
        area = operating_area()
    except OperatingAreaMisconfigured as error:
        raise ChangeRefused(parameter="geometry", message=str(error)) from None
    if area.geometry is not None and not area.geometry.intersects(geometry):
        raise ChangeRefused(
            parameter="geometry",
            message=_("lies outside the operating area (%(area)s)")
            % {"area": shown_name(area.code, area.name)},
        )


def refusal_for_integrity_error(error: IntegrityError) -> ChangeRefused:
    """A broken database rule as a 400 naming the field to fix."""
    diagnostics = getattr(error.__cause__, "diag", None)
    constraint = getattr(diagnostics, "constraint_name", None)
    if constraint in CONSTRAINT_RULES:
        parameter, message = CONSTRAINT_RULES[constraint]
        return ChangeRefused(parameter=parameter, message=str(message))
    column = getattr(diagnostics, "column_name", None)
    if column:
        return ChangeRefused(parameter=column, message=_("must not be empty"))
    detail = getattr(diagnostics, "message_primary", None) or str(error)
    return ChangeRefused(
        parameter=constraint or "changes",
        message=_("breaks a rule of the database: %(detail)s") % {"detail": detail},
    )
