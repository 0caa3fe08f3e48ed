"""Rows for the map tests, from shapely geometry in lon/lat."""

from datetime import date
from itertools import count

from django.contrib.gis.geos import GEOSGeometry, MultiPolygon, Point
from shapely import box
from shapely.geometry.base import BaseGeometry

from app.registry.models import HazardArea, Organisation, ReleaseArea, Village

# Well inside Hướng Hóa (code 465), far from any district boundary.
INSIDE_465 = (106.68, 16.70)

_serial = count(1)


def square(lon: float, lat: float, half_side_deg: float) -> BaseGeometry:
    return box(lon - half_side_deg, lat - half_side_deg, lon + half_side_deg, lat + half_side_deg)


def _multipolygon(geometry: BaseGeometry) -> MultiPolygon:
    geos = GEOSGeometry(geometry.wkt, srid=4326)
    return geos if isinstance(geos, MultiPolygon) else MultiPolygon(geos, srid=4326)


def organisation() -> Organisation:
    found, _created = Organisation.objects.get_or_create(
        slug="npa", defaults={"name": "NPA", "kind": "ngo"}
    )
    return found


def hazard(geometry: BaseGeometry, *, kind: str = "CHA", notes: str = "") -> HazardArea:
    return HazardArea.objects.create(
        reference=f"H-{next(_serial)}",
        kind=kind,
        contamination="cluster_munitions",
        organisation=organisation(),
        recorded_on=date(2015, 1, 1),
        geometry=_multipolygon(geometry),
        notes=notes,
    )


def release(geometry: BaseGeometry, *, method: str, completed_on: date) -> ReleaseArea:
    return ReleaseArea.objects.create(
        reference=f"R-{next(_serial)}",
        method=method,
        organisation=organisation(),
        completed_on=completed_on,
        depth_cm=30 if method == "cleared" else None,
        geometry=_multipolygon(geometry),
    )


def village(
    lon: float,
    lat: float,
    *,
    name: str,
    nts_completed_on: date | None = None,
    ts_completed_on: date | None = None,
) -> Village:
    return Village.objects.create(
        code=f"V-{next(_serial)}",
        name_vi=name,
        name_en=name,
        location=Point(lon, lat, srid=4326),
        nts_completed_on=nts_completed_on,
        ts_completed_on=ts_completed_on,
    )
