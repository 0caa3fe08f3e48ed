"""Upload services: create, check, commit and revert a batch. Each write is one transaction.

The check reads the file through ``gis/`` (app.registry.services.imports.check_layer), copies the
accepted features into ``uploads_stagedfeature`` with one PostgreSQL COPY, and does the spatial
work in SQL against the staging rows: the operating area, districts and communes, overlaps,
duplicates, releases outside any CHA, hectares. The commit is one INSERT ... SELECT from staging
in one transaction: every accepted feature or none.
"""

import datetime as dt
import hashlib
import json
import logging
import re
import shutil
from collections.abc import Iterable, Mapping
from pathlib import Path

import numpy as np
import pyproj
import shapely
from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from app.registry.models import BoundarySet, HazardKind, Level, Organisation
from app.registry.services.imports import (
    IDENTIFIER,
    STORAGE,
    TARGET_GEOMETRY,
    LayerChecked,
    check_layer,
    existing_references,
    province_outline,
)
from app.uploads import progress
from app.uploads.models import (
    OnConflict,
    ReplacedRecord,
    StagedFeature,
    Upload,
    UploadKind,
    UploadStatus,
)
from app.uploads.operating_area import OperatingAreaMisconfigured, operating_area
from app.uploads.progress import CheckStep
from gis.attributes import FIELDS, LayerKind
from gis.reading import ReadError
from gis.validation import TargetGeometry

log = logging.getLogger(__name__)

# How many items a report lists per warning; the count is always complete.
LISTED = 100
# The date a feature's year is read from for the report's "years", which the upload page puts on
# its map and statistics links (upload_status.js). Villages carry no date of their own.
DATE_FIELD = {
    LayerKind.HAZARD: "recorded_on",
    LayerKind.RELEASE: "completed_on",
    LayerKind.SPOT_TASK: "completed_on",
}
# The parameter a user changes to fix each kind of unreadable file.
PARAMETER_FOR_CODE = {
    "crs_missing": "crs",
    "crs_invalid": "crs",
    "crs_unknown": "crs",
    "several_layers": "layer",
    "layer_unknown": "layer",
    "encoding_unknown": "encoding",
    "encoding_uncertain": "encoding",
    "mapping_invalid": "mapping",
}


class UploadRefused(ValueError):
    """A request that cannot be taken as sent (400): ``parameter`` names what to fix."""

    def __init__(self, parameter: str, message: str, *, code: str = "invalid") -> None:
        super().__init__(message)
        self.parameter = parameter
        self.message = message
        self.code = code


class UploadNotFound(LookupError):
    def __init__(self, upload_id) -> None:
        super().__init__(f"No upload {upload_id}.")
        self.parameter = "id"
        self.message = f"no upload {upload_id}"


class UploadStateConflict(Exception):
    """The upload is not in a state that allows the action (409)."""

    def __init__(self, message: str, *, code: str = "state") -> None:
        super().__init__(message)
        self.message = message
        self.code = code


def parse_mapping(value: object, *, parameter: str = "mapping") -> dict[str, str]:
    """A mapping (or defaults) as a JSON object, a JSON text of one, or "target=source,..."."""
    if value in (None, ""):
        return {}
    if isinstance(value, str):
        text = value.strip()
        if text.startswith("{"):
            try:
                value = json.loads(text)
            except ValueError as error:
                raise UploadRefused(parameter, f"not a JSON object ({error})") from error
        else:
            pairs = {}
            for pair in re.split(r"[,;\n]", text):
                if not pair.strip():
                    continue
                target, sep, source = pair.partition("=")
                if not sep or not target.strip() or not source.strip():
                    raise UploadRefused(
                        parameter, f"{pair.strip()!r}: write each pair as target=source"
                    )
                pairs[target.strip()] = source.strip()
            return pairs
    if not isinstance(value, Mapping) or not all(
        isinstance(k, str) and isinstance(v, str) and v.strip() for k, v in value.items()
    ):
        raise UploadRefused(parameter, "give an object of target field to source column names")
    return {k.strip(): v.strip() for k, v in value.items()}


def create_upload(
    *,
    organisation_slug: str,
    kind: str,
    filename: str,
    chunks: Iterable[bytes],
    size_bytes: int,
    crs: str | None = None,
    layer: str | None = None,
    encoding: str | None = None,
    mapping: Mapping[str, str] | None = None,
    defaults: Mapping[str, str] | None = None,
    on_conflict: str = OnConflict.SKIP,
    all_or_nothing: bool = False,
    refuse_conflicts: bool = False,
) -> Upload:
    """Store the file under UPLOAD_ROOT/<id>/ with a generated name and queue it for checking.

    The same content already committed by the organisation for the same kind is not stored
    again: the upload is created rejected, as a duplicate of the committed one, without its file.
    ``all_or_nothing`` (the command line's default): any rejected feature rejects the whole file;
    ``refuse_conflicts`` (the command line without --on-conflict): so does a stored reference.
    """
    if kind not in UploadKind.values:
        raise UploadRefused("kind", f"unknown kind {kind!r}; use one of {', '.join(UploadKind)}")
    organisation = Organisation.objects.filter(slug=organisation_slug).first()
    if organisation is None:
        known = ", ".join(Organisation.objects.values_list("slug", flat=True)) or "none yet"
        raise UploadRefused(
            "organisation",
            f"no organisation {organisation_slug!r} (known: {known}); add it first with "
            "manage.py add_organisation",
            code="organisation_unknown",
        )
    if on_conflict not in OnConflict.values:
        raise UploadRefused("on_conflict", "use skip or replace")
    if crs:
        try:
            pyproj.CRS.from_user_input(crs)
        except pyproj.exceptions.CRSError as error:
            raise UploadRefused(
                "crs", f"{crs!r} is not a coordinate system (write it as EPSG:NNNN)"
            ) from error
    if not filename:
        raise UploadRefused("file", "send the file as multipart field 'file', with its name")
    limit = settings.UPLOAD_MAX_BYTES
    if size_bytes > limit:
        raise UploadRefused(
            "file",
            f"the file is {size_bytes:,} bytes; the limit is {limit:,} bytes (split it, or zip it)",
            code="too_large",
        )
    options = {
        "crs": crs or None,
        "layer": layer or None,
        "encoding": encoding or None,
        "mapping": dict(mapping or {}),
        "defaults": dict(defaults or {}),
        "all_or_nothing": all_or_nothing,
        "refuse_conflicts": refuse_conflicts,
    }
    with transaction.atomic():
        upload = Upload.objects.create(
            organisation=organisation,
            kind=kind,
            filename=filename[:255],
            sha256="",
            size_bytes=size_bytes,
            options=options,
            on_conflict=on_conflict,
        )
        folder = Path(settings.UPLOAD_ROOT) / str(upload.pk)
        folder.mkdir(parents=True, exist_ok=True)
        stored_name = "original" + _safe_suffix(filename)
        digest = hashlib.sha256()
        written = 0
        with open(folder / stored_name, "wb") as out:
            for chunk in chunks:
                written += len(chunk)
                if written > limit:
                    # The row is rolled back with the exception; the folder goes with it.
                    out.close()
                    shutil.rmtree(folder, ignore_errors=True)
                    raise UploadRefused("file", f"the file is over the limit of {limit:,} bytes")
                digest.update(chunk)
                out.write(chunk)
        upload.sha256 = digest.hexdigest()
        upload.size_bytes = written
        upload.stored_name = stored_name
        earlier = Upload.objects.filter(
            organisation=organisation,
            kind=kind,
            sha256=upload.sha256,
            status=UploadStatus.COMMITTED,
        ).first()
        if earlier is not None:
            shutil.rmtree(folder, ignore_errors=True)
            upload.stored_name = ""
            upload.duplicate_of = earlier
            upload.status = UploadStatus.REJECTED
            upload.progress = 100
            upload.error = (
                f"This file is a duplicate of upload {earlier.pk}, committed on "
                f"{earlier.committed_at:%Y-%m-%d}: nothing was stored again."
            )
            upload.report = {
                "file": filename,
                "code": "duplicate",
                "duplicate_of": earlier.pk,
                "error": upload.error,
            }
        upload.save()
    return upload


def _safe_suffix(filename: str) -> str:
    """The extension the reader recognises the format by, and nothing else of the sender's
    name: names with '!', '..' or non-ASCII characters never reach the file system."""
    suffix = Path(filename).suffix.lower()
    return suffix if re.fullmatch(r"\.[a-z0-9]{1,8}", suffix) else ""


def request_commit(*, upload_id: int, on_conflict: str | None = None) -> Upload:
    """Queue the commit of a checked upload for the worker."""
    if on_conflict is not None and on_conflict not in OnConflict.values:
        raise UploadRefused("on_conflict", "use skip or replace")
    with transaction.atomic():
        upload = _locked(upload_id)
        if upload.status != UploadStatus.READY:
            raise UploadStateConflict(
                f"upload {upload.pk} is {upload.status}; only a ready upload can be committed"
            )
        upload.status = UploadStatus.COMMITTING
        if on_conflict is not None:
            upload.on_conflict = on_conflict
        upload.save(update_fields=["status", "on_conflict"])
    return upload


def _locked(upload_id) -> Upload:
    upload = Upload.objects.select_for_update().filter(pk=upload_id).first()
    if upload is None:
        raise UploadNotFound(upload_id)
    return upload


def check_upload(*, upload_id: int, today: dt.date | None = None) -> Upload:
    """Read and check a queued upload; it ends ready (commit possible) or rejected (why).

    Anything unexpected ends it failed with a message, never an exception to the caller.
    """
    upload = Upload.objects.select_related("organisation").filter(pk=upload_id).first()
    if upload is None:
        raise UploadNotFound(upload_id)
    if upload.status not in (UploadStatus.QUEUED, UploadStatus.CHECKING):
        raise UploadStateConflict(f"upload {upload.pk} is {upload.status}; it was checked")
    Upload.objects.filter(pk=upload_id).update(
        status=UploadStatus.CHECKING, progress=CheckStep.CLAIMED
    )
    try:
        return _check(upload, today=today or dt.date.today())
    except ReadError as error:
        report = {
            "file": upload.filename,
            "code": error.code,
            "error": error.message,
            "parameter": PARAMETER_FOR_CODE.get(error.code, "file"),
            "choices": list(error.choices),
        }
        return _finish(upload, UploadStatus.REJECTED, report, error.message)
    except OperatingAreaMisconfigured as error:
        message = f"The server's operating area is misconfigured: {error}. Tell its administrator."
        report = {"file": upload.filename, "code": "operating_area", "error": message}
        return _finish(upload, UploadStatus.FAILED, report, message)
    except Exception as error:  # noqa: BLE001 - the user gets a message, the log the traceback
        log.exception("upload %s failed", upload_id)
        message = f"The check failed unexpectedly ({type(error).__name__}); nothing was stored."
        report = {"file": upload.filename, "code": "failed", "error": message}
        return _finish(upload, UploadStatus.FAILED, report, message)


def _finish(upload: Upload, status: str, report: dict, error: str) -> Upload:
    with transaction.atomic():
        StagedFeature.objects.filter(upload=upload).delete()
        Upload.objects.filter(pk=upload.pk).update(
            status=status, progress=100, report=report, error=error, checked_at=timezone.now()
        )
    upload.refresh_from_db()
    return upload


def _check(upload: Upload, *, today: dt.date) -> Upload:
    kind = LayerKind(upload.kind)
    options = upload.options
    area = operating_area()
    path = Path(settings.UPLOAD_ROOT) / str(upload.pk) / upload.stored_name
    progress.record(upload.pk, CheckStep.READING)
    checked = check_layer(
        path=path,
        kind=kind,
        crs=options.get("crs"),
        layer=options.get("layer"),
        encoding=options.get("encoding"),
        mapping=options.get("mapping") or None,
        defaults=options.get("defaults") or None,
        crs_ranking_area=area.geometry if area.geometry is not None else province_outline(),
        today=today,
    )
    progress.record(upload.pk, CheckStep.READ)
    conflicts = existing_references(kind, upload.organisation, checked.references)
    progress.record(upload.pk, CheckStep.CONFLICTS_FOUND)
    with transaction.atomic():
        StagedFeature.objects.filter(upload=upload).delete()
        _copy_to_staging(upload, kind, checked)
    progress.record(upload.pk, CheckStep.STAGED)
    # Fresh statistics, or the planner takes 100,000 new rows for a handful. Outside the
    # transactions: ANALYZE holds a lock that would make concurrent checks wait for each other.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE uploads_stagedfeature")
    progress.record(upload.pk, CheckStep.ANALYSED)
    # The spatial steps run outside any transaction, so that the progress between them is seen.
    # Until the upload is ready nothing reads its staging rows, and a check stopped half-way
    # starts again from the file (_check deletes them first, _finish on an error).
    outside = _reject_outside(upload, area.geometry)
    progress.record(upload.pk, CheckStep.OUTSIDE_AREA_REJECTED)
    spatial = _spatial_report(upload, kind)
    with transaction.atomic():
        return _conclude(upload, kind, checked, area, conflicts, outside, spatial)


def _conclude(
    upload: Upload,
    kind: LayerKind,
    checked: LayerChecked,
    area,
    conflicts: list[str],
    outside: list[dict],
    spatial: dict,
) -> Upload:
    """The report from the checks, and ready or rejected."""
    options = upload.options
    rejected = sorted(
        [
            {"feature": r.feature, "reference": r.reference, "reasons": list(r.reasons)}
            for r in checked.rejected
        ]
        + outside,
        key=lambda r: r["feature"],
    )
    accepted = len(checked.accepted) - len(outside)
    read = checked.read
    spatial_warnings = spatial.pop("spatial_warnings")
    report = {
        "file": upload.filename,
        "kind": kind.value,
        "organisation": upload.organisation.slug,
        "layer": read.layer,
        "driver": read.driver,
        "crs": read.source_crs,
        "crs_how": read.crs_how,
        "encoding": read.encoding,
        "encoding_how": read.encoding_how,
        "mapping": dict(checked.attributes.columns),
        "mapping_found_by": dict(checked.attributes.found_by),
        "defaults": options.get("defaults") or {},
        "operating_area": area.name,
        "features_read": read.feature_count,
        "accepted": accepted,
        "repaired": [
            {"feature": r.feature, "reference": r.reference, "repairs": list(r.repairs)}
            for r in checked.repaired
        ],
        "rejected": rejected,
        "conflicts": conflicts,
        "conflict_choices": [OnConflict.REPLACE.value, OnConflict.SKIP.value] if conflicts else [],
        **spatial,
        "warnings": [*checked.warnings, *spatial_warnings],
        "stored": 0,
    }
    problems = _rejection_reasons(
        report,
        all_or_nothing=options.get("all_or_nothing", False),
        refuse_conflicts=options.get("refuse_conflicts", False),
    )
    if problems:
        return _finish(upload, UploadStatus.REJECTED, report, "; ".join(problems))
    with transaction.atomic():
        Upload.objects.filter(pk=upload.pk).update(
            status=UploadStatus.READY,
            progress=100,
            report=report,
            error="",
            checked_at=timezone.now(),
        )
    upload.refresh_from_db()
    return upload


def _rejection_reasons(report: dict, *, all_or_nothing: bool, refuse_conflicts: bool) -> list[str]:
    problems = []
    if report["features_read"] == 0:
        problems.append("The layer has no features.")
    elif report["accepted"] == 0:
        problems.append(
            f"No feature can be stored: all {report['features_read']} were rejected "
            "(see 'rejected' for each feature's reason)."
        )
    elif all_or_nothing and report["rejected"]:
        problems.append(f"{len(report['rejected'])} feature(s) rejected")
    if refuse_conflicts and report["conflicts"]:
        problems.append(f"{len(report['conflicts'])} reference(s) already stored")
    return problems


def _copy_to_staging(upload: Upload, kind: LayerKind, checked: LayerChecked) -> None:
    """One COPY of every accepted feature: attributes as JSON, geometry as hex EWKB.

    COPY instead of ``bulk_create``: building 100,000 model instances and GEOS geometries took
    most of an import's time on this class of machine (see the benchmark).
    """
    if not checked.accepted:
        return
    geometries = np.empty(len(checked.accepted), dtype=object)
    geometries[:] = [check.geometry for check, _row in checked.accepted]
    ewkb = shapely.to_wkb(shapely.set_srid(geometries, 4326), hex=True, include_srid=True)
    identifier = IDENTIFIER[kind]
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(
            "COPY uploads_stagedfeature (upload_id, number, reference, attributes, geometry) "
            "FROM STDIN"
        ) as copy,
    ):
        for (check, row), geometry in zip(checked.accepted, ewkb, strict=True):
            reference = row.values.get(identifier) or ""
            attributes = json.dumps(row.values, default=_json_value, ensure_ascii=False)
            copy.write_row((upload.pk, check.number, reference, attributes, geometry))


def _json_value(value):
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _reject_outside(upload: Upload, area) -> list[dict]:
    """Remove from staging the features wholly outside the operating area; report each with its
    geodesic distance to the area in km."""
    if area is None:
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            """
            WITH area AS (SELECT ST_SetSRID(ST_GeomFromWKB(%(area)s), 4326) AS geom),
            outside AS (
                DELETE FROM uploads_stagedfeature s USING area
                WHERE s.upload_id = %(upload)s AND NOT ST_Intersects(s.geometry, area.geom)
                RETURNING s.number, s.reference, s.geometry
            )
            SELECT o.number, o.reference,
                   ST_Distance(o.geometry::geography, area.geom::geography) / 1000
            FROM outside o, area ORDER BY o.number
            """,
            {"area": shapely.to_wkb(area), "upload": upload.pk},
        )
        rows = cursor.fetchall()
    return [
        {
            "feature": number,
            "reference": reference or None,
            "reasons": [f"outside the operating area, {km:,.1f} km from it"],
            "distance_km": round(km, 1),
        }
        for number, reference, km in rows
    ]


def _fetch(sql: str, params: dict) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _spatial_report(upload: Upload, kind: LayerKind) -> dict:
    """Hectares, admin units, years, duplicates, overlaps and releases outside CHAs, in SQL."""
    params = {
        "upload": upload.pk,
        "set_2019": BoundarySet.LEGACY_2019,
        "set_2025": BoundarySet.REFORM_2025,
        "district": Level.DISTRICT,
        "commune": Level.COMMUNE,
        "cha": HazardKind.CHA,
        "listed": LISTED,
    }
    polygons = TARGET_GEOMETRY[kind] is TargetGeometry.POLYGON
    report: dict = {"total_ha": None}
    warnings: list[str] = []
    if polygons:
        ((total,),) = _fetch(
            "SELECT SUM(ST_Area(geometry::geography, true)) / 10000 FROM uploads_stagedfeature "
            "WHERE upload_id = %(upload)s",
            params,
        )
        report["total_ha"] = round(total, 2) if total is not None else 0.0
        progress.record(upload.pk, CheckStep.HECTARES)
    units = _fetch(
        """
        SELECT a.boundary_set, a.code, a.name_vi, count(*)
        FROM uploads_stagedfeature s
        JOIN registry_adminunit a ON ST_Intersects(a.geometry, s.geometry)
        WHERE s.upload_id = %(upload)s
          AND ((a.boundary_set = %(set_2019)s AND a.level = %(district)s)
               OR (a.boundary_set = %(set_2025)s AND a.level = %(commune)s))
        GROUP BY a.boundary_set, a.code, a.name_vi ORDER BY a.boundary_set, a.code
        """,
        params,
    )
    progress.record(upload.pk, CheckStep.ADMIN_UNITS)
    report["districts_2019"] = [
        {"code": code, "name": name, "features": n}
        for boundary_set, code, name, n in units
        if boundary_set == BoundarySet.LEGACY_2019
    ]
    report["communes_2025"] = [
        {"code": code, "name": name, "features": n}
        for boundary_set, code, name, n in units
        if boundary_set == BoundarySet.REFORM_2025
    ]
    report["years"] = []
    if kind in DATE_FIELD:
        # Staged attributes hold dates as ISO text (_json_value).
        years = _fetch(
            """
            SELECT DISTINCT extract(year FROM (attributes ->> %(date_field)s)::date)::int
            FROM uploads_stagedfeature
            WHERE upload_id = %(upload)s AND attributes ->> %(date_field)s IS NOT NULL
            ORDER BY 1
            """,
            {**params, "date_field": DATE_FIELD[kind]},
        )
        report["years"] = [year for (year,) in years]
        progress.record(upload.pk, CheckStep.YEARS)
    # Identical geometries grouped by their normalised form (ST_Normalize: same rings whatever
    # the start vertex or order): one sort instead of comparing every pair.
    duplicates = _fetch(
        """
        SELECT numbers, count(*) OVER () FROM (
            SELECT array_agg(number ORDER BY number) AS numbers
            FROM uploads_stagedfeature WHERE upload_id = %(upload)s
            GROUP BY md5(ST_AsBinary(ST_Normalize(geometry)))
            HAVING count(*) > 1
        ) groups ORDER BY numbers[1] LIMIT %(listed)s
        """,
        params,
    )
    progress.record(upload.pk, CheckStep.DUPLICATES)
    report["duplicates"] = [{"features": numbers} for numbers, _n in duplicates]
    if duplicates:
        warnings.append(
            f"{duplicates[0][1]} group(s) of features have identical geometries "
            f"(first: features {', '.join(map(str, duplicates[0][0]))})"
        )
    model, geometry_field = STORAGE[kind]
    table = connection.ops.quote_name(model._meta.db_table)
    geometry_column = connection.ops.quote_name(geometry_field)
    identifier = connection.ops.quote_name(IDENTIFIER[kind])
    overlap_test = (
        "ST_Intersects(t.{g}, s.geometry) AND NOT ST_Touches(t.{g}, s.geometry)"
        if polygons
        else "t.{g} ~= s.geometry AND ST_Equals(t.{g}, s.geometry)"
    ).format(g=geometry_column)
    overlaps = _fetch(
        f"""
        SELECT s.number, s.reference, t.{identifier}, count(*) OVER ()
        FROM uploads_stagedfeature s JOIN {table} t ON {overlap_test}
        WHERE s.upload_id = %(upload)s ORDER BY s.number LIMIT %(listed)s
        """,
        params,
    )
    progress.record(upload.pk, CheckStep.OVERLAPS)
    report["overlaps"] = [
        {"feature": number, "reference": reference or None, "stored": stored}
        for number, reference, stored, _n in overlaps
    ]
    if overlaps:
        warnings.append(
            f"{overlaps[0][3]} overlap(s) with records already stored "
            f"(first: feature {overlaps[0][0]} with {overlaps[0][2]})"
        )
    report["outside_cha"] = []
    if kind == LayerKind.RELEASE:
        outside_cha = _fetch(
            """
            SELECT s.number, s.reference, count(*) OVER ()
            FROM uploads_stagedfeature s
            WHERE s.upload_id = %(upload)s AND NOT EXISTS (
                SELECT 1 FROM registry_hazardarea h
                WHERE h.kind = %(cha)s AND ST_Intersects(h.geometry, s.geometry))
            ORDER BY s.number LIMIT %(listed)s
            """,
            params,
        )
        progress.record(upload.pk, CheckStep.OUTSIDE_CHA)
        report["outside_cha"] = [
            {"feature": number, "reference": reference or None}
            for number, reference, _n in outside_cha
        ]
        if outside_cha:
            warnings.append(
                f"{outside_cha[0][2]} release(s) lie outside every CHA (counted as clearance "
                "outside CHA)"
            )
    report["spatial_warnings"] = warnings
    return report


def commit_upload(*, upload_id: int, on_conflict: str | None = None) -> Upload:
    """Store every staged feature of a checked upload, linked to it, in ONE transaction.

    A reference already stored is skipped or its record replaced (``on_conflict``, default the
    upload's); with the command line's all-or-nothing option it refuses the whole file. A crash
    anywhere before the end leaves the database as it was.
    """
    if on_conflict is not None and on_conflict not in OnConflict.values:
        raise UploadRefused("on_conflict", "use skip or replace")
    try:
        with transaction.atomic():
            upload = _locked(upload_id)
            if upload.status not in (UploadStatus.READY, UploadStatus.COMMITTING):
                raise UploadStateConflict(
                    f"upload {upload.pk} is {upload.status}; only a ready upload can be committed"
                )
            choice = on_conflict or upload.on_conflict
            stored, replaced, skipped = _insert_from_staging(upload, choice)
            StagedFeature.objects.filter(upload=upload).delete()
            upload.status = UploadStatus.COMMITTED
            upload.on_conflict = choice
            upload.committed_at = timezone.now()
            upload.stored_count = stored
            upload.report = {
                **upload.report,
                "stored": stored,
                "replaced": replaced,
                "skipped": skipped,
                "on_conflict": choice,
            }
            upload.save()
    except IntegrityError as error:
        if "upload_committed_once_per_content" in str(error):
            raise UploadStateConflict(
                "the same file was committed by another upload meanwhile; nothing was stored",
                code="duplicate",
            ) from error
        raise UploadStateConflict(
            f"a record clashes with one already stored ({error}); nothing was stored. "
            "Check the file again to see which.",
            code="conflict",
        ) from error
    return upload


def _insert_from_staging(upload: Upload, on_conflict: str) -> tuple[int, int, int]:
    kind = LayerKind(upload.kind)
    model, geometry_field = STORAGE[kind]
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    identifier = quote(model._meta.get_field(IDENTIFIER[kind]).column)
    columns = [model._meta.get_field(spec.name).column for spec in FIELDS[kind]]
    selected = [f"r.{quote(column)}" for column in columns]
    same_owner = ""
    if kind != LayerKind.VILLAGE:
        columns.append(model._meta.get_field("organisation").column)
        selected.append("%(organisation)s")
    if kind in (LayerKind.RELEASE, LayerKind.SPOT_TASK):
        same_owner = "AND t.organisation_id = %(organisation)s"
    # An organisation replaces only its own records: a hazard reference is unique across
    # organisations, but another organisation's hazard is skipped, never overwritten.
    replaceable = same_owner or (
        "AND t.organisation_id = %(organisation)s" if kind == LayerKind.HAZARD else ""
    )
    polygons = kind in (LayerKind.HAZARD, LayerKind.RELEASE)
    geometry = "ST_Multi(s.geometry)" if polygons else "s.geometry"
    columns += [model._meta.get_field(geometry_field).column, "upload_id"]
    selected += [geometry, "%(upload)s"]
    params = {"upload": upload.pk, "organisation": upload.organisation_id}
    clash = f"SELECT 1 FROM {table} t WHERE t.{identifier} = s.reference {same_owner}"
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT count(*) FROM uploads_stagedfeature s "
            f"WHERE s.upload_id = %(upload)s AND EXISTS ({clash})",
            params,
        )
        (clashing,) = cursor.fetchone()
        if clashing and upload.options.get("refuse_conflicts"):
            raise UploadStateConflict(
                f"{clashing} reference(s) are already stored; nothing was stored",
                code="conflict",
            )
        replaced = 0
        if clashing and on_conflict == OnConflict.REPLACE:
            # Each replaced row is kept (geometry as hex EWKB) so a revert can put it back.
            geometry_column = quote(model._meta.get_field(geometry_field).column)
            cursor.execute(
                f"""
                WITH gone AS (
                    DELETE FROM {table} t USING uploads_stagedfeature s
                    WHERE s.upload_id = %(upload)s AND t.{identifier} = s.reference
                      {replaceable}
                    RETURNING t.*
                )
                INSERT INTO uploads_replacedrecord (upload_id, replaced_upload_id, record)
                SELECT %(upload)s, gone.upload_id,
                       to_jsonb(gone) || jsonb_build_object(
                           '{geometry_column.strip('"')}',
                           encode(ST_AsEWKB(gone.{geometry_column}), 'hex'))
                FROM gone
                """,
                params,
            )
            replaced = cursor.rowcount
        # What is still clashing (skip, or another organisation's hazard) is left as stored.
        skip = f"AND NOT EXISTS ({clash})" if clashing else ""
        cursor.execute(
            f"""
            INSERT INTO {table} ({", ".join(quote(c) for c in columns)})
            SELECT {", ".join(selected)}
            FROM uploads_stagedfeature s,
                 jsonb_populate_record(NULL::{table}, s.attributes) r
            WHERE s.upload_id = %(upload)s {skip}
            ORDER BY s.number
            """,
            params,
        )
        stored = cursor.rowcount
    return stored, replaced, clashing - replaced


def revert_upload(*, upload_id: int) -> Upload:
    """Remove exactly the records a committed upload created and put back the records it
    replaced, in one transaction.

    Refused (409) while a later committed upload has replaced some of this batch's records:
    revert that one first, so every revert returns the registry to a state it was really in.
    """
    with transaction.atomic():
        upload = _locked(upload_id)
        if upload.status != UploadStatus.COMMITTED:
            raise UploadStateConflict(
                f"upload {upload.pk} is {upload.status}; only a committed upload can be reverted"
            )
        later = sorted(
            ReplacedRecord.objects.filter(
                replaced_upload=upload, upload__status=UploadStatus.COMMITTED
            )
            .values_list("upload_id", flat=True)
            .distinct()
        )
        if later:
            raise UploadStateConflict(
                f"upload {', '.join(map(str, later))} replaced records of upload {upload.pk}; "
                "revert it first",
                code="replaced_later",
            )
        model, _geometry_field = STORAGE[LayerKind(upload.kind)]
        removed, _by_model = model.objects.filter(upload=upload).delete()
        table = connection.ops.quote_name(model._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} SELECT (jsonb_populate_record(NULL::{table}, r.record)).* "
                "FROM uploads_replacedrecord r WHERE r.upload_id = %s",
                [upload.pk],
            )
            restored = cursor.rowcount
        upload.status = UploadStatus.REVERTED
        upload.reverted_at = timezone.now()
        upload.report = {**upload.report, "removed": removed, "restored": restored}
        upload.save()
    return upload
