"""The six kinds of record a page and the records API serve, by the name their URLs carry.

Each says which model and table hold it, what its geometry must be, which fields a person may
edit, and how its GeoJSON feature is written in PostGIS. The feature properties of the four
field layers and the admin units are the GeoJSON lists' own (app.api.selectors.layers) plus what
a single record adds: its review state, deletion and upload. Every SQL string here is ours; the
client's values travel as query parameters. Inside the SQL the table is ``f``.
"""

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from app.api.selectors import layers as api_layers
from app.registry.models import (
    AdminUnit,
    AnnualTarget,
    HazardArea,
    ReleaseArea,
    SpotTask,
    Village,
)
from gis.validation import TargetGeometry

ORGANISATION_JOIN = "LEFT JOIN registry_organisation o ON o.id = f.organisation_id"

# What the record API adds to the list properties: the state a reviewer and the history need.
RECORD_PROPERTIES = (
    ("status", "f.status"),
    ("deleted_at", "f.deleted_at"),
    ("upload_id", "f.upload_id"),
)


@dataclass(frozen=True)
class RecordLayer:
    """One kind of record.

    ``name`` is the URL segment (``/records/<name>/<id>/``), a code that scripts match and that
    no sentence shows; ``label`` the kind's title on pages; ``noun`` the kind inside a sentence
    ("no release record 3597", "không có bản ghi vùng đất đã giải phóng số 3597"); ``geometry``
    what its geometry must be (None: it has none); ``editable`` the model fields a person may
    change (the geometry is changed as ``"geometry"`` whatever its column is called).
    ``reviewed`` layers carry a review ``status`` and belong to an organisation; the others
    (targets, admin units) are reference data that analysts manage. ``exact_positions``: where
    ordnance is or was (hazards, releases, spot tasks), restricted under the rules on state
    secrets, so aggregates-only users may not see them, as in the GeoJSON lists.
    """

    name: str
    label: str
    noun: str
    model: type[models.Model]
    geometry: TargetGeometry | None
    geometry_column: str | None
    editable: tuple[str, ...]
    properties: tuple[tuple[str, str], ...]
    joins: str
    reviewed: bool
    exact_positions: bool

    @property
    def table(self) -> str:
        return self.model._meta.db_table

    @property
    def has_area(self) -> bool:
        return self.geometry is TargetGeometry.POLYGON


def _merged(*groups: tuple[tuple[str, str], ...]) -> tuple[tuple[str, str], ...]:
    """The properties of the groups in order, each key once (the first definition wins): a key
    twice in ``json_build_object`` would be a JSON object with a duplicate key."""
    merged: dict[str, str] = {}
    for group in groups:
        for key, expression in group:
            merged.setdefault(key, expression)
    return tuple(merged.items())


def _field_layer(
    listed: api_layers.Layer, *, extra_properties: tuple[tuple[str, str], ...] = (), **kind
) -> RecordLayer:
    """A layer of records from the field (reviewed, of an organisation): its geometry column,
    properties and ``exact_positions`` are those of its GeoJSON list, so the page and the list
    cannot disagree on which layers are restricted."""
    return RecordLayer(
        geometry_column=listed.geometry_column,
        properties=_merged(listed.properties, extra_properties, RECORD_PROPERTIES),
        joins=ORGANISATION_JOIN,
        reviewed=True,
        exact_positions=listed.exact_positions,
        **kind,
    )


HAZARDS = _field_layer(
    api_layers.HAZARDS,
    name="hazards",
    label=_("Hazard area"),
    noun=pgettext_lazy("a kind of record, in a sentence", "hazard area"),
    model=HazardArea,
    geometry=TargetGeometry.POLYGON,
    editable=("reference", "kind", "contamination", "organisation", "recorded_on", "notes"),
)

RELEASES = _field_layer(
    api_layers.RELEASES,
    name="releases",
    label=_("Released land"),
    noun=pgettext_lazy("a kind of record, in a sentence", "release"),
    model=ReleaseArea,
    geometry=TargetGeometry.POLYGON,
    editable=("reference", "method", "organisation", "started_on", "completed_on", "depth_cm"),
)

SPOT_TASKS = _field_layer(
    api_layers.SPOT_TASKS,
    name="spot-tasks",
    label=_("Spot task"),
    noun=pgettext_lazy("a kind of record, in a sentence", "spot task"),
    model=SpotTask,
    geometry=TargetGeometry.POINT,
    editable=("reference", "organisation", "completed_on", "items_destroyed"),
)

# The villages' list names no organisation; a village's page does.
VILLAGES = _field_layer(
    api_layers.VILLAGES,
    extra_properties=(("organisation", "o.slug"),),
    name="villages",
    label=_("Village"),
    noun=pgettext_lazy("a kind of record, in a sentence", "village"),
    model=Village,
    geometry=TargetGeometry.POINT,
    editable=("code", "name_vi", "name_en", "organisation", "nts_completed_on", "ts_completed_on"),
)

TARGETS = RecordLayer(
    name="targets",
    label=_("Annual target"),
    noun=pgettext_lazy("a kind of record, in a sentence", "annual target"),
    model=AnnualTarget,
    geometry=None,
    geometry_column=None,
    editable=("year", "metric", "admin_unit", "organisation", "value"),
    properties=(
        ("year", "f.year"),
        ("metric", "f.metric"),
        ("admin_unit", "unit.code"),
        ("boundary_set", "unit.boundary_set"),
        ("organisation", "o.slug"),
        ("value", "f.value"),
        ("deleted_at", "f.deleted_at"),
    ),
    joins=f"{ORGANISATION_JOIN} LEFT JOIN registry_adminunit unit ON unit.id = f.admin_unit_id",
    reviewed=False,
    exact_positions=False,
)

# Codes, levels, parents and boundary sets are the official reference: changed by reloading
# the boundaries, not by hand. Names, validity dates and the outline may be corrected.
ADMIN_UNITS = RecordLayer(
    name="admin-units",
    label=_("Admin unit"),
    noun=pgettext_lazy("a kind of record, in a sentence", "admin unit"),
    model=AdminUnit,
    geometry=TargetGeometry.POLYGON,
    geometry_column="geometry",
    editable=("name_vi", "name_en", "valid_from", "valid_to"),
    properties=_merged(api_layers.ADMIN_UNITS.properties, (("deleted_at", "f.deleted_at"),)),
    joins=api_layers.ADMIN_UNITS.joins,
    reviewed=False,
    exact_positions=False,
)

RECORD_LAYERS: dict[str, RecordLayer] = {
    layer.name: layer for layer in (HAZARDS, RELEASES, SPOT_TASKS, VILLAGES, TARGETS, ADMIN_UNITS)
}
LAYER_OF_TABLE: dict[str, RecordLayer] = {layer.table: layer for layer in RECORD_LAYERS.values()}

# The records a review decides on (app.review), by the name their URLs carry: the layers with a
# review state.
REVIEWED_LAYERS: dict[str, type[models.Model]] = {
    name: layer.model for name, layer in RECORD_LAYERS.items() if layer.reviewed
}
