"""Small factories shared by the database tests: rows from shapely geometry in lon/lat.

Records are approved unless a test says otherwise: statistics count approved records only."""

from datetime import date
from decimal import Decimal
from itertools import count

from django.contrib.gis.geos import GEOSGeometry, MultiPolygon, Point
from rest_framework.test import APIClient
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

PASSWORD = "a-test-password-1"


def api_client(user) -> APIClient:
    """An API client signed in as ``user`` (DRF's force_authenticate: no token, no throttle)."""
    client = APIClient()
    client.force_authenticate(user)
    return client


def user(role: str, *, org: str | None = None, aggregates_only: bool = False, **extra):
    """A user in one role (app.accounts.roles.Role), of organisation ``org`` when given."""
    from app.accounts.services import create_user

    if org is not None:
        organisation(org)
    return create_user(
        username=extra.pop("username", f"{role}-{next(_serial)}"),
        password=extra.pop("password", PASSWORD),
        role=role,
        organisation_slug=org,
        aggregates_only=aggregates_only,
        **extra,
    )


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
    status: str = "approved",
) -> HazardArea:
    return HazardArea.objects.create(
        status=status,
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
    status: str = "approved",
) -> ReleaseArea:
    return ReleaseArea.objects.create(
        status=status,
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
    status: str = "approved",
) -> SpotTask:
    return SpotTask.objects.create(
        status=status,
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
    status: str = "approved",
) -> Village:
    serial = next(_serial)
    return Village.objects.create(
        status=status,
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


def signed_in(role: str, **profile):
    """A test client signed in as a new user of ``role`` (``org=``, ``aggregates_only=``)."""
    from django.test import Client

    client = Client()
    client.force_login(user(role, **profile))
    return client


def releases_in_every_state(geometry) -> dict[str, int]:
    """Two organisations' releases of ``geometry`` in every review state, and a deleted approved
    one: the records a new query path is tested against (ids by name, "npa submitted" …)."""
    from django.utils import timezone

    made = {
        "npa approved": release(geometry, org="npa"),
        "mag approved": release(geometry, org="mag"),
        "npa submitted": release(geometry, org="npa", status="submitted"),
        "mag submitted": release(geometry, org="mag", status="submitted"),
        "npa draft": release(geometry, org="npa", status="draft"),
        "mag draft": release(geometry, org="mag", status="draft"),
        "mag rejected": release(geometry, org="mag", status="rejected"),
        "npa deleted": release(geometry, org="npa"),
    }
    deleted = made["npa deleted"]
    type(deleted).objects.filter(pk=deleted.pk).update(deleted_at=timezone.now())
    return {name: record.pk for name, record in made.items()}
