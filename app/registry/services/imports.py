"""Check one GIS layer as hazard areas, releases, spot tasks or villages, feature by feature.

Reading, reprojection and per-feature checks happen in ``gis/`` (framework-free); this module adds
what needs the registry: which references are already stored and the province outline. The upload
services (app.uploads.services) stage, commit and revert on top of it; ``manage.py import_layer``
goes through them.
"""

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path

import pandas as pd
from django.core.validators import MaxValueValidator, MinValueValidator

from app.registry.models import (
    HazardArea,
    ReleaseArea,
    SpotTask,
    Village,
)
from gis.attributes import (
    FIELDS,
    AttributeRow,
    AttributesRead,
    ColumnLimit,
    LayerKind,
    read_attributes,
)
from gis.messages import Text
from gis.reading import LayerRead, read_layer
from gis.validation import FeatureCheck, TargetGeometry, validate_geometries

TARGET_GEOMETRY = {
    LayerKind.HAZARD: TargetGeometry.POLYGON,
    LayerKind.RELEASE: TargetGeometry.POLYGON,
    LayerKind.SPOT_TASK: TargetGeometry.POINT,
    LayerKind.VILLAGE: TargetGeometry.POINT,
}
# The field that identifies a record to its owner, and the reports that name it.
IDENTIFIER = {
    LayerKind.HAZARD: "reference",
    LayerKind.RELEASE: "reference",
    LayerKind.SPOT_TASK: "reference",
    LayerKind.VILLAGE: "code",
}
DATE_FIELDS = ("recorded_on", "completed_on", "started_on", "nts_completed_on", "ts_completed_on")


@dataclass(frozen=True)
class RejectedFeature:
    feature: int
    reference: str | None
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class RepairedFeature:
    feature: int
    reference: str | None
    repairs: tuple[str, ...]


@dataclass(frozen=True)
class LayerChecked:
    """A layer read and checked feature by feature, before anything touches the database.

    ``accepted`` pairs each accepted feature's geometry check with its parsed attributes, in file
    order; ``warnings`` are the per-feature flags (suspicious vertices, dates in the future).
    """

    read: LayerRead
    attributes: AttributesRead
    accepted: tuple[tuple[FeatureCheck, AttributeRow], ...]
    rejected: tuple[RejectedFeature, ...]
    repaired: tuple[RepairedFeature, ...]
    warnings: tuple[str, ...]
    # The file's columns that no field reads, in file order: their values are not stored.
    unused_columns: tuple[str, ...] = ()

    @property
    def references(self) -> list[str | None]:
        identifier = IDENTIFIER[self.attributes.kind]
        return [row.values.get(identifier) for _check, row in self.accepted]


def check_layer(
    *,
    path: str | Path,
    kind: LayerKind,
    crs: str | None = None,
    layer: str | None = None,
    encoding: str | None = None,
    mapping: Mapping[str, str] | None = None,
    defaults: Mapping[str, str] | None = None,
    crs_ranking_area=None,
    today: dt.date | None = None,
    max_features: int | None = None,
    max_vertices_per_feature: int | None = None,
) -> LayerChecked:
    """Read ``path`` as records of ``kind`` and check every feature; raises ReadError when the
    file cannot be read at all. ``crs_ranking_area`` (shapely, WGS 84) ranks the CRSs offered
    for a file without one; ``today`` (default: the real date) flags future dates.

    Every value is checked against the column it will be stored in (``column_limits``), so a
    feature that passes can be stored. A file of more than ``max_features`` features is refused
    (ReadError ``too_many_features``); a feature of more than ``max_vertices_per_feature``
    vertices is rejected (None: no limit).

    ``defaults`` gives a value for a field the file has no column for, the same for every
    feature (a team's file of clearances all completed the same day); ``{n}`` in it becomes the
    feature number (``reference="NPA-2024-{n}"``). Where the file has a column for the field, its
    values win and the default fills only the empty ones.
    """
    read = read_layer(
        path,
        layer=layer,
        crs=crs,
        encoding=encoding,
        operating_area=crs_ranking_area,
        max_features=max_features,
    )
    table = read.features.drop(columns="geometry")
    file_columns = list(table.columns)
    mapping = dict(mapping or {})
    # The file's columns a default's field also reads (the file's values win where present).
    read_for_defaults = set()
    for name, value in (defaults or {}).items():
        column = f"default {name}"
        given = pd.Series(
            [value.replace("{n}", str(n)) for n in range(1, len(table) + 1)],
            index=table.index,
            dtype=object,
        )
        source = read_attributes(table.iloc[:0], kind=kind, mapping=mapping).columns.get(name)
        if source is not None:
            # The file's own values win; the default fills the features that leave it empty.
            kept = table[source].astype(object)
            empty = kept.isna() | kept.map(lambda v: isinstance(v, str) and not v.strip())
            given = kept.where(~empty, given)
            read_for_defaults.add(source)
        table[column] = given
        mapping[name] = column
    attributes = read_attributes(table, kind=kind, mapping=mapping, limits=column_limits(kind))
    used = {*attributes.columns.values(), *read_for_defaults}
    identifier = IDENTIFIER[kind]
    references = [row.values.get(identifier) for row in attributes.rows]
    checked = validate_geometries(
        list(read.features.geometry),
        target=TARGET_GEOMETRY[kind],
        references=references,
        read_notes=read.feature_notes,
        max_vertices=max_vertices_per_feature,
    )
    rejected, repaired, warnings = _per_feature_outcomes(
        checked.checks, attributes.rows, references, today or dt.date.today()
    )
    rejected_numbers = {r.feature for r in rejected}
    accepted = tuple(
        (check, row)
        for check, row in zip(checked.checks, attributes.rows, strict=True)
        if check.number not in rejected_numbers
    )
    return LayerChecked(
        read=read,
        attributes=attributes,
        accepted=accepted,
        rejected=tuple(rejected),
        repaired=tuple(repaired),
        warnings=(*read.warnings, *warnings),
        unused_columns=tuple(str(column) for column in file_columns if column not in used),
    )


def column_limits(kind: LayerKind) -> dict[str, ColumnLimit]:
    """What the column each field of ``kind`` is stored in can hold, read from its model field,
    so that a value that passes the check can be inserted by the commit (a depth_cm of 40,000
    passed and then stopped the commit: ``value "40000" is out of range for type smallint``).

    Dates need no bound: a parsed date is a Python date (years 1 to 9999), all of which a
    PostgreSQL date holds.
    """
    model, _geometry_field = STORAGE[kind]
    return {spec.name: _column_limit(model._meta.get_field(spec.name)) for spec in FIELDS[kind]}


def _column_limit(field) -> ColumnLimit:
    # An integer field's validators hold the database's range for its type (smallint for a
    # PositiveSmallIntegerField), and any tighter bound the model adds.
    minimum = maximum = None
    for validator in field.validators:
        bound = validator.limit_value
        bound = bound() if callable(bound) else bound
        if isinstance(validator, MinValueValidator):
            minimum = bound if minimum is None else max(minimum, bound)
        elif isinstance(validator, MaxValueValidator):
            maximum = bound if maximum is None else min(maximum, bound)
    return ColumnLimit(
        max_length=field.max_length,
        min_value=minimum,
        max_value=maximum,
        max_digits=getattr(field, "max_digits", None),
        decimal_places=getattr(field, "decimal_places", None),
        choices=tuple(str(value) for value, _label in field.flatchoices),
    )


def _per_feature_outcomes(checks, rows, references, today: dt.date):
    rejected: list[RejectedFeature] = []
    repaired: list[RepairedFeature] = []
    warnings: list[str] = []
    first_use: dict[str, int] = {}
    for check, row in zip(checks, rows, strict=True):
        reasons = list(row.errors)
        reference = references[check.number - 1]
        if reference is not None:
            if reference in first_use:
                reasons.append(
                    Text(
                        "reference_repeated",
                        reference=repr(reference),
                        feature=first_use[reference],
                    )
                )
            else:
                first_use[reference] = check.number
        if check.outcome == "rejected":
            reasons = list(check.notes) + reasons
        if reasons:
            rejected.append(RejectedFeature(check.number, reference, tuple(reasons)))
            continue
        if check.notes:
            repaired.append(RepairedFeature(check.number, reference, check.notes))
        for flag in check.flags:
            warnings.append(
                Text("feature_warning", feature=check.number, reference=reference, warning=flag)
            )
        for name in DATE_FIELDS:
            day = row.values.get(name)
            if isinstance(day, dt.date) and day > today:
                warnings.append(
                    Text(
                        "feature_warning",
                        feature=check.number,
                        reference=reference,
                        warning=Text("date_in_future", field=name, date=day),
                    )
                )
    return rejected, repaired, warnings


def existing_references(kind: LayerKind, organisation, references) -> list[str]:
    """The references of ``references`` that ``organisation``'s own records hold already, in
    any state (deleted ones too): what the upload's ``on_conflict`` (replace or skip) decides
    on. Another organisation's records are never replaced (``references_held_elsewhere``)."""
    model, _geometry_field = STORAGE[kind]
    identifier = IDENTIFIER[kind]
    wanted = sorted({r for r in references if r is not None})
    stored = model.objects.filter(organisation=organisation, **{f"{identifier}__in": wanted})
    return sorted(stored.values_list(identifier, flat=True))


# References unique across organisations (a hazard is one place; a village code is the GSO's).
UNIQUE_ACROSS_ORGANISATIONS = (LayerKind.HAZARD, LayerKind.VILLAGE)


def references_held_elsewhere(kind: LayerKind, organisation, references) -> list[str]:
    """The references of ``references``, of a kind unique across organisations, that a record of
    another organisation (or the province's own village list) holds, in whatever state: the
    upload can neither store them nor replace that record. Every state is answered alike, so the
    answer says nothing of another organisation's unapproved records beyond the reference the
    uploader typed (issue 8): not its state, owner or place."""
    if kind not in UNIQUE_ACROSS_ORGANISATIONS:
        return []
    model, _geometry_field = STORAGE[kind]
    identifier = IDENTIFIER[kind]
    wanted = sorted({r for r in references if r is not None})
    held = model.objects.filter(**{f"{identifier}__in": wanted}).exclude(organisation=organisation)
    return sorted(held.values_list(identifier, flat=True))


def reject_held_references(checked: LayerChecked, held: list[str]) -> LayerChecked:
    """``checked`` with the accepted features whose reference is in ``held`` rejected, each
    saying so: the commit would skip them whatever ``on_conflict`` says."""
    if not held:
        return checked
    identifier = IDENTIFIER[checked.attributes.kind]
    taken = set(held)
    accepted, rejected = [], list(checked.rejected)
    for check, row in checked.accepted:
        reference = row.values.get(identifier)
        if reference in taken:
            reason = Text("reference_held_elsewhere", field=identifier, reference=repr(reference))
            rejected.append(RejectedFeature(check.number, reference, (reason,)))
        else:
            accepted.append((check, row))
    return replace(
        checked,
        accepted=tuple(accepted),
        rejected=tuple(sorted(rejected, key=lambda r: r.feature)),
    )


# Where each kind is stored, and the name of its geometry field.
STORAGE = {
    LayerKind.HAZARD: (HazardArea, "geometry"),
    LayerKind.RELEASE: (ReleaseArea, "geometry"),
    LayerKind.SPOT_TASK: (SpotTask, "location"),
    LayerKind.VILLAGE: (Village, "location"),
}
