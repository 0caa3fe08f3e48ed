"""Synthetic EOD spot tasks: single items found by farmers and builders, destroyed where found.

Tasks lie near hazards (55%) and villages (45%). Each year has an exact number of tasks and of
items destroyed (calibration.py); items per task are heavy-tailed (most tasks one or two items, a
few caches of dozens). Kept as columns, not one object per task: the 10x scale-up has 550,000.
"""

import datetime as dt
from dataclasses import dataclass

import numpy as np

from app.demo import calibration
from app.demo.hazards import HazardRecord
from app.demo.province import Province, offset_lonlat
from app.demo.releases import ORGANISATION_WEIGHTS
from app.demo.villages import VillageRecord

NEAR_HAZARD_SHARE = 0.55
HAZARD_SPREAD_M = 800.0
VILLAGE_SPREAD_M = 600.0


@dataclass(frozen=True)
class SpotTaskColumns:
    references: tuple[str, ...]
    organisations: tuple[str, ...]
    completed_on: tuple[dt.date, ...]
    lons: np.ndarray
    lats: np.ndarray
    items_destroyed: np.ndarray

    def __len__(self) -> int:
        return len(self.references)


def _items_per_task(rng: np.random.Generator, tasks: int, items: int) -> np.ndarray:
    """tasks counts of at least one item adding up to exactly items."""
    if tasks == 0:
        return np.zeros(0, dtype=np.int64)
    shares = rng.gamma(0.5, 1.0, tasks)
    return 1 + rng.multinomial(max(items - tasks, 0), shares / shares.sum())


def _locations(
    rng: np.random.Generator,
    province: Province,
    count: int,
    *,
    hazard_points: np.ndarray,
    hazard_weights: np.ndarray,
    village_points: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    lons, lats = np.empty(0), np.empty(0)
    while len(lons) < count:
        batch = 2 * (count - len(lons)) + 16
        near_hazard = rng.uniform(size=batch) < NEAR_HAZARD_SHARE
        hazard_pick = hazard_points[rng.choice(len(hazard_points), batch, p=hazard_weights)]
        village_pick = village_points[rng.integers(0, len(village_points), batch)]
        centres = np.where(near_hazard[:, None], hazard_pick, village_pick)
        spread = np.where(near_hazard, HAZARD_SPREAD_M, VILLAGE_SPREAD_M)
        east, north = rng.normal(0, 1, (2, batch)) * spread
        batch_lons, batch_lats = offset_lonlat(centres[:, 0], centres[:, 1], east, north)
        inside = province.contains_points(batch_lons, batch_lats)
        lons = np.concatenate([lons, batch_lons[inside]])
        lats = np.concatenate([lats, batch_lats[inside]])
    return lons[:count], lats[:count]


def _organisations(rng: np.random.Generator, districts: np.ndarray) -> np.ndarray:
    """An organisation per task, drawn with the weights of the task's district."""
    chosen = np.empty(len(districts), dtype=object)
    for district in sorted(set(districts)):
        where = np.flatnonzero(districts == district)
        weights = ORGANISATION_WEIGHTS.get(district, ORGANISATION_WEIGHTS["default"])
        slugs = np.array(list(weights), dtype=object)
        p = np.array(list(weights.values()))
        chosen[where] = slugs[rng.choice(len(slugs), len(where), p=p / p.sum())]
    return chosen


def generate_spot_tasks(
    rng: np.random.Generator,
    province: Province,
    *,
    hazards: list[HazardRecord],
    villages: list[VillageRecord],
    count_factor: float,
) -> SpotTaskColumns:
    points = [hazard.geometry.representative_point() for hazard in hazards]
    hazard_points = np.array([(point.x, point.y) for point in points])
    areas = np.array([hazard.area_ha for hazard in hazards])
    village_points = np.array([(v.location.x, v.location.y) for v in villages])
    references, organisations, completed_on = [], [], []
    lon_parts, lat_parts, item_parts = [], [], []
    for year in calibration.YEARS:
        tasks = round(calibration.SPOT_TASKS_BY_YEAR[year] * count_factor)
        items = round(calibration.ITEMS_DESTROYED_BY_YEAR[year] * count_factor)
        lons, lats = _locations(
            rng,
            province,
            tasks,
            hazard_points=hazard_points,
            hazard_weights=areas / areas.sum(),
            village_points=village_points,
        )
        organisations.extend(_organisations(rng, province.district_codes_at(lons, lats)))
        first = dt.date(year, 1, 1)
        days = rng.integers(0, 365, tasks)
        completed_on.extend(first + dt.timedelta(days=int(day)) for day in days)
        references.extend(f"SYN-EOD-{year}-{number:06d}" for number in range(1, tasks + 1))
        lon_parts.append(lons)
        lat_parts.append(lats)
        item_parts.append(_items_per_task(rng, tasks, items))
    return SpotTaskColumns(
        references=tuple(references),
        organisations=tuple(organisations),
        completed_on=tuple(completed_on),
        lons=np.concatenate(lon_parts),
        lats=np.concatenate(lat_parts),
        items_destroyed=np.concatenate(item_parts),
    )
