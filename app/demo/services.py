"""Load the synthetic demo data set into the database: one transaction, PostgreSQL COPY.

Rerunning replaces the demo rows (every hazard, release, spot task and village whose reference or
code starts with SYN-; the demo's target rows by their keys), so the same seed gives the same
database. Rows that do not start with SYN- are never touched; the six demo organisations are
created if missing and kept (real records may point at them).
"""

import time
from dataclasses import dataclass

import numpy as np
import shapely
from django.db import connection

from app.accounting.services import store_rebuilt_after
from app.demo.generator import SYNTHETIC_PREFIX, DemoDataset, DemoSpec, generate_demo
from app.registry.models import (
    AdminUnit,
    AnnualTarget,
    BoundarySet,
    HazardArea,
    Level,
    Organisation,
    ReleaseArea,
    ReviewStatus,
    SpotTask,
    Village,
)

SRID = 4326


class DemoLoadError(Exception):
    """The demo cannot be loaded as the database stands; the message says what to do."""


@dataclass(frozen=True)
class DemoLoadSummary:
    seed: int
    scale: int
    fraction: float
    villages: int
    chas: int
    shas: int
    releases: int
    spot_tasks: int
    items_destroyed: int
    targets: int
    cha_ha: float
    sha_ha: float
    generate_seconds: float
    write_seconds: float


def demo_data_present() -> bool:
    return HazardArea.objects.filter(reference__startswith=SYNTHETIC_PREFIX).exists()


def _hex_ewkb(geometries) -> list[str]:
    """Hex EWKB with SRID 4326: what PostGIS reads from COPY text without any parsing of WKT."""
    with_srid = shapely.set_srid(np.asarray(geometries, dtype=object), SRID)
    return shapely.to_wkb(with_srid, hex=True, include_srid=True).tolist()


def _delete_previous_demo(cursor) -> None:
    like = SYNTHETIC_PREFIX + "%"
    for model, column in (
        (SpotTask, "reference"),
        (ReleaseArea, "reference"),
        (HazardArea, "reference"),
        (Village, "code"),
    ):
        cursor.execute(f"DELETE FROM {model._meta.db_table} WHERE {column} LIKE %s", [like])


def _organisation_ids(cursor, dataset: DemoDataset) -> dict[str, int]:
    table = Organisation._meta.db_table
    for organisation in dataset.organisations:
        cursor.execute(
            f"INSERT INTO {table} (slug, name, kind) VALUES (%s, %s, %s) "
            "ON CONFLICT (slug) DO NOTHING",
            [organisation.slug, organisation.name, organisation.kind],
        )
    slugs = [organisation.slug for organisation in dataset.organisations]
    cursor.execute(f"SELECT slug, id FROM {table} WHERE slug = ANY(%s)", [slugs])
    return dict(cursor.fetchall())


def _district_ids() -> dict[str, int]:
    districts = AdminUnit.objects.in_set(BoundarySet.LEGACY_2019).at_level(Level.DISTRICT)
    ids = dict(districts.values_list("code", "id"))
    if not ids:
        raise DemoLoadError("no 2019 districts in the database: run `manage.py load_admin_units`")
    return ids


def _copy(cursor, model, columns: tuple[str, ...], rows) -> None:
    # The demo stands for the province's checked record: its rows are stored approved.
    reviewed = any(field.name == "status" for field in model._meta.concrete_fields)
    listed = (*columns, "status") if reviewed else columns
    statement = f"COPY {model._meta.db_table} ({', '.join(listed)}) FROM STDIN"
    with cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row((*row, ReviewStatus.APPROVED) if reviewed else row)


def _write(cursor, dataset: DemoDataset, district_ids: dict[str, int]) -> None:
    org_ids = _organisation_ids(cursor, dataset)
    _delete_previous_demo(cursor)

    villages = dataset.villages
    _copy(
        cursor,
        Village,
        ("code", "name_vi", "name_en", "location", "nts_completed_on", "ts_completed_on"),
        zip(
            [v.code for v in villages],
            [v.name_vi for v in villages],
            [v.name_en for v in villages],
            _hex_ewkb([v.location for v in villages]),
            [v.nts_completed_on for v in villages],
            [v.ts_completed_on for v in villages],
            strict=True,
        ),
    )
    hazards = dataset.hazards
    _copy(
        cursor,
        HazardArea,
        ("reference", "kind", "contamination", "organisation_id", "recorded_on", "geometry",
         "notes"),
        zip(
            [h.reference for h in hazards],
            [h.kind for h in hazards],
            [h.contamination for h in hazards],
            [org_ids[h.organisation] for h in hazards],
            [h.recorded_on for h in hazards],
            _hex_ewkb([h.geometry for h in hazards]),
            [h.notes for h in hazards],
            strict=True,
        ),
    )  # fmt: skip
    releases = dataset.releases
    _copy(
        cursor,
        ReleaseArea,
        ("reference", "method", "organisation_id", "started_on", "completed_on", "depth_cm",
         "geometry"),
        zip(
            [r.reference for r in releases],
            [r.method for r in releases],
            [org_ids[r.organisation] for r in releases],
            [r.started_on for r in releases],
            [r.completed_on for r in releases],
            [r.depth_cm for r in releases],
            _hex_ewkb([r.geometry for r in releases]),
            strict=True,
        ),
    )  # fmt: skip
    tasks = dataset.spot_tasks
    _copy(
        cursor,
        SpotTask,
        ("reference", "organisation_id", "completed_on", "location", "items_destroyed"),
        zip(
            tasks.references,
            [org_ids[slug] for slug in tasks.organisations],
            tasks.completed_on,
            _hex_ewkb(shapely.points(tasks.lons, tasks.lats)),
            tasks.items_destroyed.tolist(),
            strict=True,
        ),
    )
    # Targets have no reference to mark them synthetic: the demo owns the rows with its keys and
    # overwrites their values, so a rerun replaces rather than duplicates.
    cursor.executemany(
        f"INSERT INTO {AnnualTarget._meta.db_table} "
        "(year, metric, admin_unit_id, organisation_id, value) VALUES (%s, %s, %s, %s, %s) "
        "ON CONFLICT ON CONSTRAINT annual_target_unique DO UPDATE SET value = EXCLUDED.value",
        [
            (
                target.year,
                target.metric,
                district_ids[target.district_code] if target.district_code else None,
                org_ids[target.organisation] if target.organisation else None,
                target.value,
            )
            for target in dataset.targets
        ],
    )
    # Fresh statistics so the first report after a load gets spatial-index plans.
    for model in (Village, HazardArea, ReleaseArea, SpotTask, AnnualTarget):
        cursor.execute(f"ANALYZE {model._meta.db_table}")


def load_demo(*, seed: int = 2025, scale: int = 1, fraction: float = 1.0) -> DemoLoadSummary:
    """Generate the demo data set for (seed, scale, fraction) and write it in one transaction.

    Needs the 2019 districts (``manage.py load_admin_units``) for the district targets. Raises
    DemoLoadError when they are missing and ValueError for a bad scale or fraction.
    """
    started = time.perf_counter()
    # Checked before the generator's seconds of work, so a bare database fails fast.
    district_ids = _district_ids()
    dataset = generate_demo(DemoSpec(seed=seed, scale=scale, fraction=fraction))
    generated = time.perf_counter()
    with store_rebuilt_after(), connection.cursor() as cursor:
        _write(cursor.cursor, dataset, district_ids)
    written = time.perf_counter()
    return DemoLoadSummary(
        seed=seed,
        scale=scale,
        fraction=fraction,
        villages=len(dataset.villages),
        chas=len(dataset.chas),
        shas=len(dataset.shas),
        releases=len(dataset.releases),
        spot_tasks=len(dataset.spot_tasks),
        items_destroyed=int(dataset.spot_tasks.items_destroyed.sum()),
        targets=len(dataset.targets),
        cha_ha=sum(hazard.area_ha for hazard in dataset.chas),
        sha_ha=sum(hazard.area_ha for hazard in dataset.shas),
        generate_seconds=generated - started,
        write_seconds=written - generated,
    )
