"""What an analyst reads to review a batch: the queue, the batch on a map over approved data,
its overlaps with other records, and what approving it would change in the figures.

Set-based spatial work runs in PostGIS. Reads of *approved* data run inside
``reading(ReadingScope())``, where the tables' names are the approved views; the batch itself
(submitted, draft or rejected records) is read from the tables in ``public``.
"""

import datetime as dt
import json
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone

from app.accounting import sql
from app.accounting.selectors import clearance_report, release_report
from app.accounts.policy import RecordVisibility, visible_records_sql
from app.maps.labels import in_english, unit_names
from app.registry.models import ReviewStatus
from app.registry.scopes import ReadingScope, reading, reads_connection
from app.registry.services.imports import IDENTIFIER, STORAGE
from app.uploads.models import ReplacedRecord, Upload, UploadReviewStatus, UploadStatus
from app.uploads.selectors import RECORD_LAYER
from gis.attributes import LayerKind

# The queue shows the latest batches waiting; older ones stay reachable by number.
QUEUE_LENGTH = 200
# Features drawn on a batch's map: all of a batch up to this, and as many approved neighbours.
MAP_FEATURES = 5_000
# How far around the batch's extent approved records are drawn, in degrees (about 1 km).
MAP_MARGIN_DEG = 0.01
# Overlaps and replaced records listed; their counts are always complete.
LISTED = 100

PENDING = (UploadReviewStatus.SUBMITTED, UploadReviewStatus.DRAFT)
POLYGON_KINDS = (LayerKind.HAZARD, LayerKind.RELEASE)
# What a record of each layer says of itself on the map, besides its reference and state.
MAP_PROPERTIES = {
    LayerKind.HAZARD: "'kind', t.kind",
    LayerKind.RELEASE: "'method', t.method, 'completed_on', t.completed_on",
    LayerKind.SPOT_TASK: "'items_destroyed', t.items_destroyed, 'completed_on', t.completed_on",
    # In the reader's language: English where the village has an English name.
    LayerKind.VILLAGE: "'name', CASE WHEN %(english)s AND t.name_en <> '' "
    "THEN t.name_en ELSE t.name_vi END",
}


def _table(kind: LayerKind) -> tuple[str, str, str]:
    """(table, geometry column, reference column) of a layer, quoted for SQL."""
    model, geometry_field = STORAGE[kind]
    quote = connection.ops.quote_name
    return quote(model._meta.db_table), quote(geometry_field), quote(IDENTIFIER[kind])


def _fetch(query: str, params: dict) -> list[tuple]:
    # Inside reading() the approved views are on the reading's database, maybe a replica.
    with reads_connection().cursor() as cursor:
        cursor.execute(query, params)
        return cursor.fetchall()


def _json(value):
    """A jsonb value as Python: Django has psycopg hand jsonb over as text."""
    return json.loads(value) if isinstance(value, str) else value


# ---- the queue ----


def pending_batches(*, limit: int = QUEUE_LENGTH) -> list[dict]:
    """Committed batches waiting for an analyst (submitted) or for a correction (draft),
    newest commit first, each summed up (``batch_summary``)."""
    uploads = list(
        Upload.objects.filter(status=UploadStatus.COMMITTED, review_status__in=PENDING)
        .select_related("organisation", "created_by", "commit_requested_by", "reviewed_by")
        .order_by("-committed_at", "-id")[:limit]
    )
    figures = _batch_figures(uploads)
    names = _district_names()
    return [
        batch_summary(upload, figures.get(upload.pk, {}), district_names=names)
        for upload in uploads
    ]


def _district_names() -> dict[str, str]:
    """English names of the 2019 districts by code for an English reader, else none (the report
    stores the Vietnamese ones)."""
    return dict(unit_names(boundary_set="2019", level="district"))


def batch_summary(
    upload: Upload, figures: dict | None = None, *, district_names: dict[str, str] | None = None
) -> dict:
    """One batch as the queue and the API show it: who sent and committed it, its records per
    review state with their geodesic hectares (polygons; None for points), and its report in
    figures, its districts named in the reader's language."""
    if figures is None:
        figures = _batch_figures([upload]).get(upload.pk, {})
    if district_names is None:
        district_names = _district_names()
    records = {status: n for status, (n, _ha) in figures.items()}
    polygons = LayerKind(upload.kind) in POLYGON_KINDS
    hectares = {status: ha or 0.0 for status, (_n, ha) in figures.items()} if polygons else None
    report = upload.report or {}
    committed_by = upload.commit_requested_by or upload.created_by
    return {
        "id": upload.pk,
        "kind": upload.kind,
        "organisation": {"slug": upload.organisation.slug, "name": upload.organisation.name},
        "filename": upload.filename,
        "committed_at": upload.committed_at,
        "committed_by": committed_by.get_username() if committed_by else None,
        "review_status": upload.review_status,
        "reviewed_by": upload.reviewed_by.get_username() if upload.reviewed_by else None,
        "reviewed_at": upload.reviewed_at,
        "review_reason": upload.review_reason,
        "features": sum(records.values()),
        "records": records,
        "hectares": sum(hectares.values()) if hectares is not None else None,
        "hectares_by_status": hectares,
        "report": {
            "features_read": report.get("features_read"),
            "accepted": report.get("accepted"),
            "rejected": len(report.get("rejected") or []),
            "repaired": len(report.get("repaired") or []),
            "warnings": len(report.get("warnings") or []),
            "conflicts": len(report.get("conflicts") or []),
            "replaced": report.get("replaced", 0),
            "skipped": report.get("skipped", 0),
            "overlaps": len(report.get("overlaps") or []),
            "duplicates": len(report.get("duplicates") or []),
            "outside_cha": len(report.get("outside_cha") or []),
            "total_ha": report.get("total_ha"),
            "districts": [
                district_names.get(unit.get("code")) or unit.get("name")
                for unit in report.get("districts_2019") or []
            ],
            "years": report.get("years") or [],
        },
    }


def _batch_figures(uploads: list[Upload]) -> dict[int, dict[str, tuple[int, float | None]]]:
    """{upload id: {review state: (records, hectares)}}: one query per kind of record."""
    figures: dict[int, dict[str, tuple[int, float | None]]] = {}
    for kind in LayerKind:
        ids = [upload.pk for upload in uploads if upload.kind == kind]
        if not ids:
            continue
        table, geometry, _reference = _table(kind)
        area = f"sum({sql.hectares(geometry)})" if kind in POLYGON_KINDS else "NULL"
        rows = _fetch(
            f"SELECT upload_id, status, count(*), {area} FROM {table} "
            "WHERE upload_id = ANY(%(ids)s) AND deleted_at IS NULL GROUP BY upload_id, status",
            {"ids": ids},
        )
        for upload_id, status, n, ha in rows:
            figures.setdefault(upload_id, {})[status] = (n, ha)
    return figures


# ---- one batch ----


def batch_timeline(upload: Upload) -> list[dict]:
    """The batch's history, one row per writing transaction: created (the commit), approved,
    rejected, returned, submitted again, removed (the revert); who, when, why, how many
    records. From the history trigger's versions that name the upload."""
    model, _geometry = STORAGE[LayerKind(upload.kind)]
    rows = _fetch(
        """
        SELECT v.action, u.username, v.reason, v.valid_from, count(*)
        FROM registry_recordversion v
        LEFT JOIN auth_user u ON u.id = v.changed_by_id
        WHERE v.table_name = %(table)s AND v.upload_id = %(upload)s
        GROUP BY v.action, u.username, v.reason, v.valid_from
        ORDER BY v.valid_from, min(v.id)
        """,
        {"table": model._meta.db_table, "upload": upload.pk},
    )
    return [
        {"action": action, "by": username, "reason": reason, "at": at, "records": n}
        for action, username, reason, at, n in rows
    ]


def batch_map(upload: Upload) -> dict:
    """GeoJSON built in PostGIS for the review map: ``batch`` (the batch's records in every
    state), ``approved`` (approved hazards, releases and records of the batch's own layer that
    meet the batch's extent plus about 1 km, other batches' only) and ``districts`` (2019
    district outlines there, simplified). Coordinates to 6 decimals (about 0.1 m). Districts and
    villages are named in the reader's language (Vietnamese where a unit has no English name)."""
    kind = LayerKind(upload.kind)
    table, geometry, reference = _table(kind)
    params = {
        "upload": upload.pk,
        "limit": MAP_FEATURES,
        "margin": MAP_MARGIN_DEG,
        "english": in_english(),
    }
    ((batch, box),) = _fetch(
        f"""
        WITH chosen AS (
            SELECT * FROM public.{table}
            WHERE upload_id = %(upload)s AND deleted_at IS NULL ORDER BY id LIMIT %(limit)s
        )
        SELECT coalesce(jsonb_agg({_feature_sql(kind)}), '[]'::jsonb),
               ST_AsEWKB(ST_Expand(ST_SetSRID(ST_Extent(t.{geometry})::geometry, 4326),
                                   %(margin)s))
        FROM chosen t
        """,
        {**params, "layer": RECORD_LAYER[kind]},
    )
    empty = {"type": "FeatureCollection", "features": []}
    result = {"batch": {"type": "FeatureCollection", "features": _json(batch)}}
    if box is None:
        return {**result, "approved": empty, "districts": empty}
    around = {LayerKind.HAZARD, LayerKind.RELEASE, kind}
    approved = []
    with reading(ReadingScope()):
        for each in sorted(around):
            each_table, each_geometry, _ref = _table(each)
            (features,) = _fetch(
                f"""
                SELECT coalesce(jsonb_agg({_feature_sql(each)}), '[]'::jsonb)
                FROM (
                    SELECT * FROM {each_table}
                    WHERE {each_geometry} && %(box)s::geometry
                      AND ST_Intersects({each_geometry}, %(box)s::geometry)
                      AND upload_id IS DISTINCT FROM %(upload)s
                    ORDER BY id LIMIT %(limit)s
                ) t
                """,
                {**params, "box": box, "layer": RECORD_LAYER[each]},
            )[0]
            approved.extend(_json(features))
        ((districts,),) = _fetch(
            """
            SELECT coalesce(jsonb_agg(jsonb_build_object(
                'type', 'Feature',
                'geometry', ST_AsGeoJSON(ST_SimplifyPreserveTopology(geometry, 0.0005), 5)::jsonb,
                'properties', jsonb_build_object('code', code, 'name',
                    CASE WHEN %(english)s AND name_en <> '' THEN name_en ELSE name_vi END))),
                '[]'::jsonb)
            FROM registry_adminunit
            WHERE boundary_set = '2019' AND level = 'district' AND geometry && %(box)s::geometry
            """,
            {"box": box, "english": params["english"]},
        )
    return {
        **result,
        "approved": {"type": "FeatureCollection", "features": approved},
        "districts": {"type": "FeatureCollection", "features": _json(districts)},
    }


def _feature_sql(kind: LayerKind) -> str:
    """A jsonb GeoJSON Feature of the row ``t`` of ``kind``'s table; needs %(layer)s and
    %(english)s (name villages in English)."""
    _table_name, geometry, reference = _table(kind)
    area = (
        f", 'area_ha', round(({sql.hectares(f't.{geometry}')})::numeric, 2)"
        if kind in POLYGON_KINDS
        else ""
    )
    return f"""jsonb_build_object(
        'type', 'Feature',
        'geometry', ST_AsGeoJSON(t.{geometry}, 6)::jsonb,
        'properties', jsonb_build_object(
            'layer', %(layer)s::text, 'id', t.id, 'reference', t.{reference},
            'status', t.status, 'organisation_id', t.organisation_id, 'upload_id', t.upload_id,
            {MAP_PROPERTIES[kind]}{area}))"""


def batch_overlaps(upload: Upload, *, visibility: RecordVisibility) -> dict:
    """The batch's records that overlap other records of the same layer (for points: the same
    position), now, among those ``visibility`` shows (the reader's: an analyst sees every
    organisation's, in every state, deleted ones too): ``count`` and the first ``LISTED``
    pairs, each with the other record's state and the overlap's geodesic hectares (polygons).
    Approved records come first: approving the batch would count that land twice; then those
    waiting elsewhere (submitted, draft), which would once approved too. The check report's
    overlaps were measured at check time against what the organisation may see (its own records
    and everyone's approved ones: the report is theirs to read); these are against everything
    the reader may see today."""
    kind = LayerKind(upload.kind)
    table, geometry, reference = _table(kind)
    if kind in POLYGON_KINDS:
        meets = (
            f"ST_Intersects(b.{geometry}, s.{geometry}) "
            f"AND NOT ST_Touches(b.{geometry}, s.{geometry})"
        )
        overlap = sql.valid(f"b.{geometry}"), sql.valid(f"s.{geometry}")
        area = sql.hectares(sql.polygons_of(f"ST_Intersection({overlap[0]}, {overlap[1]})"))
    else:
        meets = f"b.{geometry} ~= s.{geometry} AND ST_Equals(b.{geometry}, s.{geometry})"
        area = "NULL"
    visible, visible_params = visible_records_sql("s", visibility)
    rows = _fetch(
        f"""
        SELECT b.id, b.{reference}, s.id, s.{reference}, s.status, s.deleted_at IS NOT NULL,
               o.slug, s.upload_id, {area}, count(*) OVER ()
        FROM public.{table} b
        JOIN public.{table} s ON {meets}
        LEFT JOIN registry_organisation o ON o.id = s.organisation_id
        WHERE b.upload_id = %(upload)s AND b.deleted_at IS NULL
          AND s.upload_id IS DISTINCT FROM %(upload)s AND {visible}
        ORDER BY s.deleted_at IS NOT NULL, array_position(%(order)s::text[], s.status::text),
                 b.id, s.id
        LIMIT %(listed)s
        """,
        {
            **visible_params,
            "upload": upload.pk,
            "listed": LISTED,
            "order": list(OVERLAP_ORDER),
        },
    )
    return {
        "count": rows[0][9] if rows else 0,
        "pairs": [
            {
                "record": {"id": record_id, "reference": record_reference},
                "other": {
                    "layer": RECORD_LAYER[kind],
                    "id": other_id,
                    "reference": other_reference,
                    "status": other_status,
                    "deleted": other_deleted,
                    "organisation": organisation,
                    "upload_id": other_upload,
                },
                "overlap_ha": overlap_ha,
            }
            for (
                record_id,
                record_reference,
                other_id,
                other_reference,
                other_status,
                other_deleted,
                organisation,
                other_upload,
                overlap_ha,
                _count,
            ) in rows
        ],
    }


# The order the review page lists overlapping records in: what counts, then what may count.
OVERLAP_ORDER = (
    ReviewStatus.APPROVED,
    ReviewStatus.SUBMITTED,
    ReviewStatus.DRAFT,
    ReviewStatus.REJECTED,
)


def replaced_records(upload: Upload) -> dict:
    """The stored records this batch's commit replaced (on_conflict=replace): they are out of
    the registry now, whatever the review decides; a revert of the upload puts them back."""
    identifier = IDENTIFIER[LayerKind(upload.kind)]
    replaced = ReplacedRecord.objects.filter(upload=upload).order_by("id")
    return {
        "count": replaced.count(),
        "records": [
            {
                "reference": row.record.get(identifier),
                "status": row.record.get("status"),
                "upload_id": row.replaced_upload_id,
            }
            for row in replaced[:LISTED]
        ],
    }


# ---- what approving would change ----


@dataclass(frozen=True)
class Change:
    before: float
    after: float

    @property
    def added(self) -> float:
        return self.after - self.before


@dataclass(frozen=True)
class YearChange:
    year: int
    cleared_ha: Change
    spot_tasks: Change
    items_destroyed: Change


@dataclass(frozen=True)
class ApprovalEffect:
    """The province's figures on the approved registry, and as they would be with the batch's
    submitted records approved too. ``records``: how many would be approved (0: nothing
    waits, and both sides are the same)."""

    as_of: dt.date
    records: int
    cha_ha: Change
    released_ha: Change
    cleared_ha: Change
    reduced_ha: Change
    cancelled_ha: Change
    sha_ha: Change
    cleared_outside_cha_ha: Change
    years: tuple[YearChange, ...]


def approval_effect(upload: Upload, *, as_of: dt.date | None = None) -> ApprovalEffect:
    """What approving the batch adds to "CHA released" as of ``as_of`` (today by default) and
    to "cleared in year" for each year its submitted releases or spot tasks were completed in.

    Computed by the statistics' own selectors twice, inside one transaction: on the approved
    registry, then after approving the batch's submitted records in a savepoint that is always
    rolled back. So the difference is exactly what the approval will change (overlaps with land
    already released count once, land outside every CHA is not "released"), and nothing of the
    trial outlives this call. The trial UPDATE holds the batch's rows for the duration of the
    reports (a few seconds): a concurrent decision on the batch waits for it. The release
    report reads hazards and releases only, so for spot tasks it is not run again.
    """
    as_of = as_of or timezone.localdate()
    kind = LayerKind(upload.kind)
    model, _geometry = STORAGE[kind]
    submitted = model.objects.filter(
        upload=upload, status=ReviewStatus.SUBMITTED, deleted_at__isnull=True
    )
    years: list[int] = []
    if kind in (LayerKind.RELEASE, LayerKind.SPOT_TASK):
        years = [day.year for day in submitted.dates("completed_on", "year")]
    with transaction.atomic():
        before = _figures(as_of=as_of, years=years)
        with transaction.atomic():
            approved = submitted.update(status=ReviewStatus.APPROVED)
            after = before
            if approved:
                # What the batch can move is computed again; the rest stays as it was.
                after = {
                    **before,
                    **_figures(as_of=as_of, years=years, release=kind in RELEASE_LAYERS),
                }
            transaction.set_rollback(True)
    return ApprovalEffect(
        as_of=as_of,
        records=approved,
        **{name: Change(before["release"][name], after["release"][name]) for name in _RELEASE},
        years=tuple(
            YearChange(
                year=year,
                **{
                    name: Change(before["clearance"][year][name], after["clearance"][year][name])
                    for name in _CLEARANCE
                },
            )
            for year in years
        ),
    )


_RELEASE = (
    "cha_ha",
    "released_ha",
    "cleared_ha",
    "reduced_ha",
    "cancelled_ha",
    "sha_ha",
    "cleared_outside_cha_ha",
)
_CLEARANCE = ("cleared_ha", "spot_tasks", "items_destroyed")


# The layers the release report reads (app.accounting.selectors.release: CHAs and releases).
RELEASE_LAYERS = (LayerKind.HAZARD, LayerKind.RELEASE)


def _figures(*, as_of: dt.date, years: list[int], release: bool = True) -> dict:
    """The province's clearance in each of ``years``, and its release figures unless
    ``release`` is False."""
    with reading(ReadingScope()):
        clearance = {year: clearance_report(year=year, by="district").total for year in years}
        figures = {
            "clearance": {
                year: {name: getattr(row, name) for name in _CLEARANCE}
                for year, row in clearance.items()
            }
        }
        if release:
            total = release_report(as_of=as_of, by="province").total
            figures["release"] = {name: getattr(total, name) for name in _RELEASE}
    return figures
