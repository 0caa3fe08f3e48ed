"""Synthetic villages (thôn) with the dates their non-technical and technical surveys finished.

The progress report counts a village as surveyed once its non-technical survey is complete; the
generator completes that survey in 86.25% of villages by the end of 2023 (690 of 800, as the
public record has it) and in 95% by the end of 2025.
"""

import datetime as dt
from dataclasses import dataclass, replace

import numpy as np
import shapely
from shapely.geometry import Point

from app.demo.province import Province

# Villages per district at scale 1: 800 in all, most in the populous lowlands and Hướng Hóa.
VILLAGES_PER_DISTRICT = {
    "461": 35,
    "462": 20,
    "464": 110,
    "465": 165,
    "466": 100,
    "467": 90,
    "468": 60,
    "469": 110,
    "470": 110,
}
# When the surveys completed by 2023 finished, as weights per year.
SURVEY_YEAR_WEIGHTS_TO_2023 = {
    2016: 5,
    2017: 7,
    2018: 8,
    2019: 10,
    2020: 10,
    2021: 20,
    2022: 20,
    2023: 20,
}
TECHNICAL_SURVEY_SHARE = 0.45
LAST_DAY = dt.date(2025, 12, 31)


@dataclass(frozen=True)
class VillageRecord:
    code: str
    name_vi: str
    name_en: str
    district_code: str
    location: Point
    nts_completed_on: dt.date | None
    ts_completed_on: dt.date | None


def _random_day(rng: np.random.Generator, year: int) -> dt.date:
    start = dt.date(year, 1, 1)
    return start + dt.timedelta(days=int(rng.integers(0, (dt.date(year, 12, 31) - start).days)))


def _points_in(rng: np.random.Generator, geometry, count: int) -> list[tuple[float, float]]:
    """count uniform random points inside geometry (rejection in its bounding box)."""
    minx, miny, maxx, maxy = geometry.bounds
    points: list[tuple[float, float]] = []
    while len(points) < count:
        lons = rng.uniform(minx, maxx, 4 * count)
        lats = rng.uniform(miny, maxy, 4 * count)
        inside = np.flatnonzero(shapely.contains_xy(geometry, lons, lats))
        points.extend((float(lons[i]), float(lats[i])) for i in inside[: count - len(points)])
    return points


def generate_villages(
    rng: np.random.Generator,
    province: Province,
    *,
    count_factor: float,
    surveyed_share_2023: float,
    surveyed_share_2025: float,
) -> list[VillageRecord]:
    villages = []
    for district in province.districts:
        count = round(VILLAGES_PER_DISTRICT.get(district.code, 0) * count_factor)
        for number, (lon, lat) in enumerate(_points_in(rng, district.geometry, count), start=1):
            villages.append(
                VillageRecord(
                    code=f"SYN-V-{district.code}-{number:04d}",
                    name_vi=f"Thôn {number} (synthetic)",
                    name_en=f"Hamlet {number}, {district.name_en} (synthetic)",
                    district_code=district.code,
                    location=Point(lon, lat),
                    nts_completed_on=None,
                    ts_completed_on=None,
                )
            )
    order = rng.permutation(len(villages))
    surveyed_by_2023 = round(surveyed_share_2023 * len(villages))
    surveyed_by_2025 = round(surveyed_share_2025 * len(villages))
    years = np.array(list(SURVEY_YEAR_WEIGHTS_TO_2023))
    weights = np.array(list(SURVEY_YEAR_WEIGHTS_TO_2023.values()), dtype=float)
    dated = list(villages)
    for rank, position in enumerate(order):
        if rank < surveyed_by_2023:
            year = int(rng.choice(years, p=weights / weights.sum()))
        elif rank < surveyed_by_2025:
            year = int(rng.choice([2024, 2025]))
        else:
            continue
        nts = _random_day(rng, year)
        ts = None
        if rng.uniform() < TECHNICAL_SURVEY_SHARE:
            candidate = nts + dt.timedelta(days=int(rng.integers(60, 500)))
            ts = candidate if candidate <= LAST_DAY else None
        dated[position] = replace(villages[position], nts_completed_on=nts, ts_completed_on=ts)
    return dated
