"""Reading one record: the record a user may see, its GeoJSON feature, and its history.

Visibility follows app.accounts.policy: a record the user may not see is answered exactly like
a record that does not exist (RecordNotFound, a 404), so nobody learns what they may not read.
A record removed outright (an upload revert) keeps its history; who may see it is judged on its
last version.
"""

import datetime as dt
import json
from dataclasses import dataclass
from decimal import Decimal
from types import SimpleNamespace

from django.db import connection
from django.urls import reverse
from django.utils.translation import gettext as _

from app.accounting.sql import hectares, valid
from app.accounts import policy
from app.api.selectors.features import COORDINATE_DECIMALS
from app.records.exceptions import RecordNotFound, UnknownLayer
from app.records.layers import LAYER_OF_TABLE, RECORD_LAYERS, RecordLayer
from app.registry.models import (
    AdminUnit,
    AnnualTarget,
    Organisation,
    RecordVersion,
    VersionAction,
)


def record_layer(name: str) -> RecordLayer:
    layer = RECORD_LAYERS.get(name)
    if layer is None:
        raise UnknownLayer(
            layer=name,
            message=_("no layer %(name)s; use one of %(names)s")
            % {"name": name, "names": ", ".join(RECORD_LAYERS)},
        )
    return layer


def layer_of_version(version: RecordVersion) -> RecordLayer:
    return LAYER_OF_TABLE[version.table_name]


def check_may_see_positions(layer: RecordLayer, user) -> None:
    """Aggregates-only users never see where ordnance is or was: hazards, releases, spot tasks
    (403, not 404: the refusal is about the layer, not about one record)."""
    if layer.exact_positions and not policy.sees_polygons(user):
        raise policy.NotAllowed(
            _("your account shows aggregates only, not the exact position of a %(layer)s")
            % {"layer": layer.noun}
        )


def may_see(user, layer: RecordLayer, record) -> bool:
    if layer.reviewed:
        return policy.can_see_record(user, record)
    return policy.can_see_reference_record(user, record)


def _not_found(layer: RecordLayer, record_id: int) -> RecordNotFound:
    return RecordNotFound(
        parameter="id",
        message=_("no %(layer)s record %(id)s") % {"layer": layer.noun, "id": record_id},
    )


def visible_record(*, layer: RecordLayer, record_id: int, user, for_update: bool = False):
    """The stored record (a model instance), deleted or not, if ``user`` may see it.

    Raises NotAllowed for an aggregates-only user on a layer of exact positions, RecordNotFound
    when the record does not exist or is not for this user's eyes. ``for_update`` locks the row
    until the end of the transaction (services that change it).
    """
    check_may_see_positions(layer, user)
    records = layer.model.objects.all()
    if for_update:
        records = records.select_for_update()
    record = records.filter(pk=record_id).first()
    if record is None or not may_see(user, layer, record):
        raise _not_found(layer, record_id)
    return record


def last_version_as_record(*, layer: RecordLayer, record_id: int):
    """What a removed record was, as an object the policy functions can judge (its
    organisation, status and ``deleted_at``: set, since the record is gone); None when the
    record never existed."""
    version = RecordVersion.objects.of(layer.table, record_id).order_by("-id").first()
    if version is None:
        return None
    data = version.data
    return SimpleNamespace(
        pk=record_id,
        organisation_id=data.get("organisation_id"),
        status=data.get("status"),
        deleted_at=data.get("deleted_at") or version.valid_from,
    )


def visible_record_or_history(*, layer: RecordLayer, record_id: int, user):
    """The stored record, or for a record removed outright the object ``last_version_as_record``
    makes, if ``user`` may see it; raises like ``visible_record``."""
    check_may_see_positions(layer, user)
    record = layer.model.objects.filter(pk=record_id).first()
    if record is None:
        record = last_version_as_record(layer=layer, record_id=record_id)
    if record is None or not may_see(user, layer, record):
        raise _not_found(layer, record_id)
    return record


def record_url(layer: RecordLayer, record_id: int) -> str:
    return reverse("records:detail", kwargs={"layer": layer.name, "record_id": record_id})


FEATURE_SQL = """
SELECT json_build_object(
    'type', 'Feature',
    'id', f.id,
    'geometry', {geometry},
    'properties', json_build_object({properties}, 'layer', %(layer)s, 'url', %(url)s)
)::text
FROM {table} f {joins}
WHERE f.id = %(id)s
"""


def record_feature_json(*, layer: RecordLayer, record_id: int) -> str | None:
    """The stored record as a GeoJSON Feature, written by PostGIS (WGS 84, 7 decimals; polygons
    carry their geodesic ``area_ha``); None when there is no such row. It reads the table
    itself, drafts and deleted records included: call it for a record the user may see."""
    geometry = (
        f"ST_AsGeoJSON(f.{layer.geometry_column}, {COORDINATE_DECIMALS})::json"
        if layer.geometry_column
        else "NULL::json"
    )
    properties = ", ".join(f"'{key}', {expression}" for key, expression in layer.properties)
    sql = FEATURE_SQL.format(
        geometry=geometry, properties=properties, table=layer.table, joins=layer.joins
    )
    with connection.cursor() as cursor:
        cursor.execute(
            sql, {"id": record_id, "layer": layer.name, "url": record_url(layer, record_id)}
        )
        row = cursor.fetchone()
    return row[0] if row else None


@dataclass(frozen=True)
class FieldChange:
    """One column of a version against the version before it (JSON values, as stored)."""

    field: str
    old: object
    new: object


@dataclass(frozen=True)
class VersionRow:
    """One version of a record, oldest first in a history.

    ``changes`` compares the version with the one before it (empty for the first).
    ``geometry_changed`` is None for the first version and for records without geometry;
    ``hectares_before``/``hectares_after`` are geodesic (WGS 84), for polygons only.
    ``current``: the record as it stands now (nothing to restore). ``data``: the stored
    columns of the version, geometry apart.
    """

    id: int
    action: str
    action_label: str
    valid_from: dt.datetime
    valid_to: dt.datetime | None
    changed_by: str | None
    upload_id: int | None
    reason: str
    changes: tuple[FieldChange, ...]
    geometry_changed: bool | None
    hectares_before: float | None
    hectares_after: float | None
    current: bool
    data: dict


# Versions in the order they were written, which is their ids' order: writes to one row wait
# for each other's row lock, and the trigger takes the next id as it writes. Not valid_from:
# that is the start of the writing transaction, so a long transaction (a demo reload) that
# started first but wrote the row last would sort before the version it replaced.
HISTORY_SQL = """
WITH versions AS (
    SELECT v.id, v.action, v.data, v.valid_from, v.valid_to, v.upload_id, v.reason,
           v.changed_by_id, v.geometry,
           lag(v.geometry) OVER ordered AS previous_geometry,
           row_number() OVER ordered AS position
    FROM registry_recordversion v
    WHERE v.table_name = %(table)s AND v.record_id = %(record_id)s
    WINDOW ordered AS (ORDER BY v.id)
)
SELECT versions.id, action, data, valid_from, valid_to, upload_id, reason,
       u.username,
       CASE WHEN position = 1 OR %(has_geometry)s IS NOT TRUE THEN NULL
            ELSE ST_AsEWKB(geometry) IS DISTINCT FROM ST_AsEWKB(previous_geometry) END
           AS geometry_changed,
       CASE WHEN %(has_area)s THEN {hectares} END AS hectares
FROM versions
LEFT JOIN auth_user u ON u.id = versions.changed_by_id
ORDER BY versions.id
""".format(hectares=hectares(valid("geometry")))

# Foreign keys shown by the handle people know rather than a database id.
NAMED_KEYS = {"organisation_id": "organisation", "admin_unit_id": "admin_unit"}


def record_history(*, layer: RecordLayer, record_id: int) -> list[VersionRow]:
    """Every version of the record, oldest first, with who, when, why, from which upload, and
    what changed against the version before (the geometry as changed yes/no and geodesic
    hectares before and after). Reads the history itself: call it for a record the user may
    see (``visible_record_or_history``)."""
    with connection.cursor() as cursor:
        cursor.execute(
            HISTORY_SQL,
            {
                "table": layer.table,
                "record_id": record_id,
                "has_geometry": layer.geometry_column is not None,
                "has_area": layer.has_area,
            },
        )
        columns = [column.name for column in cursor.description]
        rows = [dict(zip(columns, values, strict=True)) for values in cursor.fetchall()]
    for row in rows:
        # Django's PostgreSQL backend hands jsonb to Python as text (JSONField decodes it).
        if isinstance(row["data"], str):
            row["data"] = json.loads(row["data"])
    names = _names_of_keys(rows)
    labels = dict(VersionAction.choices)
    # Each version is compared with the one before it: its data, and its hectares computed
    # once, as the previous row's (the geometry comparison is the SQL's).
    previous_rows = [None, *rows[:-1]]
    return [
        VersionRow(
            id=row["id"],
            action=row["action"],
            action_label=str(labels.get(row["action"], row["action"])),
            valid_from=row["valid_from"],
            valid_to=row["valid_to"],
            changed_by=row["username"],
            upload_id=row["upload_id"],
            reason=row["reason"],
            changes=_changes(None if previous is None else previous["data"], row["data"], names),
            geometry_changed=row["geometry_changed"],
            hectares_before=None if previous is None else previous["hectares"],
            hectares_after=row["hectares"],
            current=row["valid_to"] is None,
            data=row["data"],
        )
        for previous, row in zip(previous_rows, rows, strict=True)
    ]


def _names_of_keys(rows: list[dict]) -> dict[str, dict[int, str]]:
    ids: dict[str, set[int]] = {key: set() for key in NAMED_KEYS}
    for row in rows:
        for key in NAMED_KEYS:
            if row["data"].get(key) is not None:
                ids[key].add(row["data"][key])
    return {
        "organisation_id": dict(
            Organisation.objects.filter(pk__in=ids["organisation_id"]).values_list("id", "slug")
        ),
        "admin_unit_id": dict(
            AdminUnit.objects.filter(pk__in=ids["admin_unit_id"]).values_list("id", "code")
        ),
    }


def _changes(previous: dict | None, data: dict, names: dict[str, dict[int, str]]):
    if previous is None:
        return ()
    changes = []
    for key in sorted(set(previous) | set(data)):
        old, new = previous.get(key), data.get(key)
        if old == new:
            continue
        if key in NAMED_KEYS:
            changes.append(
                FieldChange(
                    field=NAMED_KEYS[key],
                    old=names[key].get(old, old),
                    new=names[key].get(new, new),
                )
            )
        else:
            changes.append(FieldChange(field=key, old=old, new=new))
    return tuple(changes)


def version_of_record(*, layer: RecordLayer, record_id: int, version_id: int) -> RecordVersion:
    """One version of this record (RecordNotFound when the id is another record's)."""
    version = RecordVersion.objects.of(layer.table, record_id).filter(pk=version_id).first()
    if version is None:
        raise RecordNotFound(
            parameter="version_id",
            message=_("no version %(version)s of %(layer)s record %(id)s")
            % {"version": version_id, "layer": layer.noun, "id": record_id},
        )
    return version


@dataclass(frozen=True)
class TargetRow:
    id: int
    year: int
    metric: str
    admin_unit: str | None
    boundary_set: str | None
    organisation: str | None
    value: Decimal
    deleted_at: dt.datetime | None = None


def target_list(*, year: int | None = None, deleted: bool = False) -> list[TargetRow]:
    """The targets that count (not deleted), by year, metric, unit and organisation; with
    ``deleted``, the soft-deleted ones instead."""
    targets = AnnualTarget.objects.filter(deleted_at__isnull=not deleted).select_related(
        "admin_unit", "organisation"
    )
    if year is not None:
        targets = targets.filter(year=year)
    return [
        TargetRow(
            id=target.pk,
            year=target.year,
            metric=target.metric,
            admin_unit=target.admin_unit.code if target.admin_unit else None,
            boundary_set=target.admin_unit.boundary_set if target.admin_unit else None,
            organisation=target.organisation.slug if target.organisation else None,
            value=target.value,
            deleted_at=target.deleted_at,
        )
        for target in targets.order_by(
            "year", "metric", "admin_unit__code", "organisation__slug", "id"
        )
    ]
