"""Small factories shared by the database tests: rows from shapely geometry in lon/lat."""

from datetime import date
from decimal import Decimal
from itertools import count

from django.contrib.gis.geos import GEOSGeometry, MultiPolygon, Point
from shapely.geometry.base import BaseGeometry

from app.registry.models import (
    AdminUnit,
    AnnualTarget,
    HazardArea,
    Organisation,
    ReleaseArea,
    SpotTask,
    Village,
)

_serial = count(1)


def multipolygon(geometry: BaseGeometry) -> MultiPolygon:
    geos = GEOSGeometry(geometry.wkt, srid=4326)
    return geos if isinstance(geos, MultiPolygon) else MultiPolygon(geos, srid=4326)


def organisation(slug: str = "npa", *, kind: str = "ngo") -> Organisation:
    found, _created = Organisation.objects.get_or_create(
        slug=slug, defaults={"name": slug.upper(), "kind": kind}
    )
    return found


def hazard(
    geometry: BaseGeometry,
    *,
    kind: str = "CHA",
    recorded_on: date = date(2015, 3, 1),
    org: str = "npa",
    notes: str = "",
) -> HazardArea:
    return HazardArea.objects.create(
        reference=f"H-{next(_serial)}",
        kind=kind,
        contamination="cluster_munitions",
        organisation=organisation(org),
        recorded_on=recorded_on,
        geometry=multipolygon(geometry),
        notes=notes,
    )


def release(
    geometry: BaseGeometry,
    *,
    method: str = "cleared",
    completed_on: date = date(2023, 6, 1),
    org: str = "npa",
) -> ReleaseArea:
    return ReleaseArea.objects.create(
        reference=f"R-{next(_serial)}",
        method=method,
        organisation=organisation(org),
        started_on=date(completed_on.year, 1, 1),
        completed_on=completed_on,
        depth_cm=30 if method == "cleared" else None,
        geometry=multipolygon(geometry),
    )


def spot_task(
    lon: float,
    lat: float,
    *,
    completed_on: date = date(2023, 6, 1),
    items_destroyed: int = 3,
    org: str = "npa",
) -> SpotTask:
    return SpotTask.objects.create(
        reference=f"S-{next(_serial)}",
        organisation=organisation(org),
        completed_on=completed_on,
        location=Point(lon, lat, srid=4326),
        items_destroyed=items_destroyed,
    )


def village(
    lon: float,
    lat: float,
    *,
    name: str | None = None,
    nts_completed_on: date | None = None,
    ts_completed_on: date | None = None,
) -> Village:
    serial = next(_serial)
    return Village.objects.create(
        code=f"V-{serial}",
        name_vi=name or f"Thôn {serial}",
        name_en=name or f"Village {serial}",
        location=Point(lon, lat, srid=4326),
        nts_completed_on=nts_completed_on,
        ts_completed_on=ts_completed_on,
    )


def target(
    *,
    year: int,
    value: float,
    metric: str = "cleared_ha",
    district: str | None = None,
    org: str | None = None,
) -> AnnualTarget:
    admin_unit = AdminUnit.objects.get(boundary_set="2019", code=district) if district else None
    return AnnualTarget.objects.create(
        year=year,
        metric=metric,
        admin_unit=admin_unit,
        organisation=organisation(org) if org else None,
        value=Decimal(str(value)),
    )
