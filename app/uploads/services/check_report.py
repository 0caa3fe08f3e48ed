"""The SQL checks on an upload's staged features: the operating area, hectares, admin units,
years, duplicates, overlaps and releases outside CHAs.

The checks against stored records (overlaps, outside every CHA) see only the records the
upload's organisation may see (app.accounts.policy.upload_report_visibility): the report is read
by its field coordinators, and another organisation's unapproved or deleted records must not be
named, counted or located through it (issue 8).
"""

import shapely
from django.db import connection

from app.accounting.sql import hectares
from app.accounts.policy import upload_report_visibility, visible_records_sql
from app.registry.models import BoundarySet, HazardKind, Level
from app.registry.services.imports import IDENTIFIER, STORAGE, TARGET_GEOMETRY
from app.uploads import progress
from app.uploads.models import Upload
from app.uploads.progress import CheckStep
from gis.attributes import LayerKind
from gis.messages import Number, Text, as_coded
from gis.validation import TargetGeometry

# How many items a report lists per warning; the count is always complete.
LISTED = 100
# The date a feature's year is read from for the report's "years", which the upload page puts on
# its map and statistics links (upload_status.js). Villages carry no date of their own.
DATE_FIELD = {
    LayerKind.HAZARD: "recorded_on",
    LayerKind.RELEASE: "completed_on",
    LayerKind.SPOT_TASK: "completed_on",
}


def reject_outside(upload: Upload, area) -> list[dict]:
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
    rejected = []
    for number, reference, km in rows:
        reason = Text("outside_area", km=Number(km, 1))
        rejected.append(
            {
                "feature": number,
                "reference": reference or None,
                "reasons": [reason],
                "reason_codes": [as_coded(reason)],
                "distance_km": round(km, 1),
            }
        )
    return rejected


def _fetch(sql: str, params: dict) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def spatial_report(upload: Upload, kind: LayerKind) -> dict:
    """Hectares, admin units, years, duplicates, overlaps and releases outside CHAs, in SQL;
    the stored records compared with are those the upload's organisation may see."""
    visibility = upload_report_visibility(upload)
    visible_stored, visible_params = visible_records_sql("t", visibility)
    visible_cha, _same = visible_records_sql("h", visibility)
    params = {
        **visible_params,
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
            f"SELECT SUM({hectares('geometry')}) FROM uploads_stagedfeature "
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
        # Staged attributes hold dates as ISO text (staging._json_value).
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
            Text(
                "identical_geometries",
                count=Number(duplicates[0][1]),
                features=", ".join(map(str, duplicates[0][0])),
            )
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
        WHERE s.upload_id = %(upload)s AND {visible_stored}
        ORDER BY s.number LIMIT %(listed)s
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
            Text(
                "overlaps_stored",
                count=Number(overlaps[0][3]),
                feature=overlaps[0][0],
                stored=overlaps[0][2],
            )
        )
    report["outside_cha"] = []
    if kind == LayerKind.RELEASE:
        outside_cha = _fetch(
            f"""
            SELECT s.number, s.reference, count(*) OVER ()
            FROM uploads_stagedfeature s
            WHERE s.upload_id = %(upload)s AND NOT EXISTS (
                SELECT 1 FROM registry_hazardarea h
                WHERE h.kind = %(cha)s AND {visible_cha}
                  AND ST_Intersects(h.geometry, s.geometry))
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
            warnings.append(Text("outside_cha", count=Number(outside_cha[0][2])))
    report["spatial_warnings"] = warnings
    return report
