"""Synthetic annual targets: the provincial plans, per district and per organisation.

Province-wide rows carry the public plan figures (calibration.py). District rows split the
province's clearance target by each district's share of the CHA area, as a provincial plan that
follows the contamination would; organisation rows give each operator its usual share, and the
provincial military its own 55 ha a year.
"""

from dataclasses import dataclass
from decimal import Decimal

import shapely

from app.demo import calibration
from app.demo.hazards import HazardRecord
from app.demo.province import Province
from gis.areas import geodesic_area_ha

ORGANISATION_SHARES = {
    "npa": 0.33,
    "mag": 0.27,
    "renew": 0.15,
    "peacetrees": 0.06,
    "golden-west": 0.07,
}
DISTRICT_TARGET_YEARS = range(2021, 2026)


@dataclass(frozen=True)
class TargetRecord:
    year: int
    metric: str
    district_code: str | None
    organisation: str | None
    value: Decimal


def _whole(value: float) -> Decimal:
    return Decimal(round(value)).quantize(Decimal("0.01"))


def cha_share_by_district(province: Province, chas: list[HazardRecord]) -> dict[str, float]:
    cha_union = shapely.union_all([hazard.geometry for hazard in chas])
    total = geodesic_area_ha(cha_union)
    return {
        district.code: geodesic_area_ha(shapely.intersection(cha_union, district.geometry)) / total
        for district in province.districts
    }


def generate_targets(
    province: Province, chas: list[HazardRecord], *, fraction: float, count_factor: float
) -> list[TargetRecord]:
    """Area targets follow fraction (the reduced test set); task and item targets follow the
    number of tasks (count_factor = scale x fraction)."""
    targets = []
    for year in calibration.YEARS:
        cleared = calibration.CLEARED_HA_TARGET_BY_YEAR[year] * fraction
        targets += [
            TargetRecord(year, "cleared_ha", None, None, _whole(cleared)),
            TargetRecord(
                year,
                "surveyed_ha",
                None,
                None,
                _whole(calibration.SURVEYED_HA_TARGET_PER_YEAR * fraction),
            ),
            TargetRecord(
                year,
                "spot_tasks",
                None,
                None,
                _whole(calibration.SPOT_TASKS_TARGET_PER_YEAR * count_factor),
            ),
            TargetRecord(
                year,
                "items_destroyed",
                None,
                None,
                _whole(calibration.ITEMS_DESTROYED_TARGET_PER_YEAR * count_factor),
            ),
            TargetRecord(
                year,
                "cleared_ha",
                None,
                "military-qt",
                _whole(calibration.MILITARY_CLEARED_HA_TARGET_PER_YEAR * fraction),
            ),
        ]
        if year in DISTRICT_TARGET_YEARS:
            targets += [
                TargetRecord(year, "cleared_ha", None, slug, _whole(cleared * share))
                for slug, share in ORGANISATION_SHARES.items()
            ]
    shares = cha_share_by_district(province, chas)
    for year in DISTRICT_TARGET_YEARS:
        cleared = calibration.CLEARED_HA_TARGET_BY_YEAR[year] * fraction
        targets += [
            TargetRecord(year, "cleared_ha", code, None, _whole(cleared * share))
            for code, share in shares.items()
            if share > 0
        ]
    return targets
