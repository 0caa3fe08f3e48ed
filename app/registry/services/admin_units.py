"""Load the bundled admin boundaries (data/boundaries/) into AdminUnit, idempotently."""

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.contrib.gis.geos import GEOSGeometry, MultiPolygon
from django.db import transaction

from app.registry.models import AdminUnit, BoundarySet, Level

BOUNDARIES_DIR = Path(settings.BASE_DIR) / "data" / "boundaries"

REFORM_DAY = dt.date(2025, 7, 1)
LAST_LEGACY_DAY = dt.date(2025, 6, 30)


@dataclass(frozen=True)
class BoundaryFile:
    filename: str
    boundary_set: str
    level: str
    parent_code: str | None


# Order matters: provinces before the units whose parent they are.
BOUNDARY_FILES = (
    BoundaryFile("quangtri_province.geojson", BoundarySet.LEGACY_2019, Level.PROVINCE, None),
    BoundaryFile("quangtri_districts.geojson", BoundarySet.LEGACY_2019, Level.DISTRICT, "45"),
    BoundaryFile("quangtri_2025_province.geojson", BoundarySet.REFORM_2025, Level.PROVINCE, None),
    BoundaryFile("quangtri_2025_communes.geojson", BoundarySet.REFORM_2025, Level.COMMUNE, "44"),
)


@dataclass(frozen=True)
class LoadSummary:
    created: int
    updated: int


def _as_multipolygon(geometry: dict) -> MultiPolygon:
    geos = GEOSGeometry(json.dumps(geometry), srid=4326)
    return geos if isinstance(geos, MultiPolygon) else MultiPolygon(geos, srid=4326)


@transaction.atomic
def load_admin_units(*, directory: Path = BOUNDARIES_DIR) -> LoadSummary:
    """Create or update every unit of the bundled files; one transaction."""
    created = updated = 0
    for spec in BOUNDARY_FILES:
        collection = json.loads((directory / spec.filename).read_text(encoding="utf-8"))
        parent = (
            AdminUnit.objects.get(boundary_set=spec.boundary_set, code=spec.parent_code)
            if spec.parent_code
            else None
        )
        legacy = spec.boundary_set == BoundarySet.LEGACY_2019
        for feature in collection["features"]:
            props = feature["properties"]
            _unit, was_created = AdminUnit.objects.update_or_create(
                boundary_set=spec.boundary_set,
                code=str(props["code"]),
                defaults={
                    "name_vi": props["name_vi"],
                    "name_en": props["name_en"],
                    "level": spec.level,
                    "parent": parent,
                    "valid_from": None if legacy else REFORM_DAY,
                    "valid_to": LAST_LEGACY_DAY if legacy else None,
                    "geometry": _as_multipolygon(feature["geometry"]),
                },
            )
            created += was_created
            updated += not was_created
    return LoadSummary(created=created, updated=updated)
