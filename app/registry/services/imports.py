"""Import one GIS layer as hazard areas, releases, spot tasks or villages: all features or none.

Reading, reprojection and per-feature checks happen in ``gis/`` (framework-free); this service
adds what needs the database: the organisation, references already stored, and the insert, done
in one transaction so a file is either wholly stored or not at all (issue 2, section 5).
"""

import datetime as dt
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

import numpy as np
import shapely
from django.db import IntegrityError, connection, transaction

from app.registry.models import (
    AdminUnit,
    BoundarySet,
    HazardArea,
    Level,
    Organisation,
    ReleaseArea,
    SpotTask,
    Village,
)
from gis.areas import geodesic_area_ha
from gis.attributes import LayerKind, read_attributes
from gis.reading import LayerRead, ReadError, read_layer
from gis.validation import TargetGeometry, validate_geometries

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


class ImportRefused(Exception):
    """The import cannot start or finish (unknown organisation, unreadable file, a clash with
    stored data found only at insert time). ``code`` as in gis.reading.ReadError."""

    def __init__(self, code: str, message: str, *, choices: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.choices = choices


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
class ImportSummary:
    """What an import read, decided and stored. ``stored`` is 0 unless every feature was
    accepted, no reference clashed and it was not a dry run."""

    file: str
    kind: str
    organisation: str
    layer: str
    driver: str
    crs: str
    crs_how: str
    encoding: str
    encoding_how: str
    mapping: Mapping[str, str | None]
    features_read: int
    accepted: int
    repaired: tuple[RepairedFeature, ...]
    rejected: tuple[RejectedFeature, ...]
    conflicts: tuple[str, ...]
    total_ha: float | None
    warnings: tuple[str, ...]
    dry_run: bool
    stored: int = 0
    status: str = field(default="checked")

    def as_json(self) -> dict:
        data = asdict(self)
        if self.total_ha is not None:
            data["total_ha"] = round(self.total_ha, 2)
        return data


def import_layer(
    *,
    path: str | Path,
    kind: str,
    organisation_slug: str,
    crs: str | None = None,
    layer: str | None = None,
    encoding: str | None = None,
    mapping: Mapping[str, str] | None = None,
    dry_run: bool = False,
    today: dt.date | None = None,
) -> ImportSummary:
    """Read ``path`` as records of ``kind`` for the organisation and store them all, or none.

    Nothing is stored when any feature is rejected, when a reference already exists (reported
    in ``conflicts``), or on ``dry_run``. Raises ImportRefused when the file cannot be read at all
    or the organisation is unknown. ``today`` (default: the real date) flags future dates.
    """
    try:
        layer_kind = LayerKind(kind)
    except ValueError as error:
        choices = ", ".join(k.value for k in LayerKind)
        raise ImportRefused(
            "kind_unknown", f"Unknown kind {kind!r}; use one of {choices}."
        ) from error
    organisation = Organisation.objects.filter(slug=organisation_slug).first()
    if organisation is None:
        known = ", ".join(Organisation.objects.values_list("slug", flat=True)) or "none yet"
        raise ImportRefused(
            "organisation_unknown",
            f"No organisation {organisation_slug!r} (known: {known}). Add it first with "
            "manage.py add_organisation.",
        )
    try:
        read = read_layer(
            path, layer=layer, crs=crs, encoding=encoding, operating_area=_operating_area()
        )
        attributes = read_attributes(
            read.features.drop(columns="geometry"), kind=layer_kind, mapping=mapping
        )
    except ReadError as error:
        raise ImportRefused(error.code, error.message, choices=error.choices) from error
    identifier = IDENTIFIER[layer_kind]
    references = [row.values.get(identifier) for row in attributes.rows]
    checked = validate_geometries(
        list(read.features.geometry),
        target=TARGET_GEOMETRY[layer_kind],
        references=references,
        read_notes=read.feature_notes,
    )
    rejected, repaired, warnings = _per_feature_outcomes(
        checked.checks, attributes.rows, references, today or dt.date.today()
    )
    conflicts = _existing_references(layer_kind, organisation, references)
    accepted_rows = [
        (check, row)
        for check, row in zip(checked.checks, attributes.rows, strict=True)
        if check.number not in {r.feature for r in rejected}
    ]
    total_ha = (
        sum(geodesic_area_ha(check.geometry) for check, _row in accepted_rows)
        if TARGET_GEOMETRY[layer_kind] is TargetGeometry.POLYGON
        else None
    )
    summary = ImportSummary(
        file=Path(path).name,
        kind=layer_kind.value,
        organisation=organisation.slug,
        layer=read.layer,
        driver=read.driver,
        crs=read.source_crs,
        crs_how=read.crs_how,
        encoding=read.encoding,
        encoding_how=read.encoding_how,
        mapping=dict(attributes.columns),
        features_read=read.feature_count,
        accepted=len(accepted_rows),
        repaired=tuple(repaired),
        rejected=tuple(rejected),
        conflicts=tuple(conflicts),
        total_ha=total_ha,
        warnings=(*read.warnings, *warnings),
        dry_run=dry_run,
        status="rejected" if rejected or conflicts else "checked",
    )
    if rejected or conflicts or dry_run:
        return summary
    stored = _store(layer_kind, organisation, accepted_rows, read)
    return replace(summary, stored=stored, status="stored")


def _operating_area():
    """The current province outline, to rank the CRSs offered for a file without one; None
    before the boundaries are loaded. (Rejecting features outside it is the upload's job.)"""
    province = (
        AdminUnit.objects.filter(boundary_set=BoundarySet.REFORM_2025, level=Level.PROVINCE)
        .values_list("geometry", flat=True)
        .first()
    )
    return shapely.from_wkb(bytes(province.wkb)) if province is not None else None


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
                    f"reference {reference!r} is also used by feature {first_use[reference]}"
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
            warnings.append(f"feature {check.number} ({reference}): {flag}")
        for name in DATE_FIELDS:
            day = row.values.get(name)
            if isinstance(day, dt.date) and day > today:
                warnings.append(
                    f"feature {check.number} ({reference}): {name} {day} is in the future"
                )
    return rejected, repaired, warnings


def _existing_references(kind: LayerKind, organisation, references) -> list[str]:
    wanted = sorted({r for r in references if r is not None})
    if kind == LayerKind.HAZARD:
        # Hazard references are unique across organisations: a hazard is one place.
        stored = HazardArea.objects.filter(reference__in=wanted)
    elif kind == LayerKind.RELEASE:
        stored = ReleaseArea.objects.filter(organisation=organisation, reference__in=wanted)
    elif kind == LayerKind.SPOT_TASK:
        stored = SpotTask.objects.filter(organisation=organisation, reference__in=wanted)
    else:
        return sorted(Village.objects.filter(code__in=wanted).values_list("code", flat=True))
    return sorted(stored.values_list("reference", flat=True))


# Where each kind is stored, and the name of its geometry field.
STORAGE = {
    LayerKind.HAZARD: (HazardArea, "geometry"),
    LayerKind.RELEASE: (ReleaseArea, "geometry"),
    LayerKind.SPOT_TASK: (SpotTask, "location"),
    LayerKind.VILLAGE: (Village, "location"),
}


def _store(kind: LayerKind, organisation, accepted_rows, read: LayerRead) -> int:
    """Insert every accepted feature with one PostgreSQL COPY inside one transaction.

    COPY instead of ``bulk_create``: building 100,000 model instances and GEOS geometries and
    their INSERT statements took 50 s of a 75 s import on this class of machine. The database
    still checks every constraint (unique references, dates in order, depth only for clearance);
    a violation rolls the whole file back.
    """
    model, geometry_field = STORAGE[kind]
    fields = list(accepted_rows[0][1].values) if accepted_rows else []
    if kind != LayerKind.VILLAGE:
        fields.append("organisation")
    fields.append(geometry_field)
    geometries = np.empty(len(accepted_rows), dtype=object)
    geometries[:] = [check.geometry for check, _row in accepted_rows]
    # Hex EWKB carries the SRID; PostGIS reads it as text input of a geometry column.
    ewkb = shapely.to_wkb(shapely.set_srid(geometries, 4326), hex=True, include_srid=True)
    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(model._meta.get_field(f).column) for f in fields)
    try:
        with (
            transaction.atomic(),
            connection.cursor() as cursor,
            connection.wrap_database_errors,
            cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy,
        ):
            for (_check, row), geometry in zip(accepted_rows, ewkb, strict=True):
                values = list(row.values.values())
                if kind != LayerKind.VILLAGE:
                    values.append(organisation.pk)
                copy.write_row((*values, geometry))
    except IntegrityError as error:
        # Another import stored one of these references between our check and this COPY.
        raise ImportRefused(
            "conflict",
            f"{read.layer}: a record clashes with one already stored ({error}); nothing was "
            "stored. Run the import again to see which.",
        ) from error
    return len(accepted_rows)
