"""Synthetic land releases 2016–2025, sized so the reports computed from them match the record.

How the geometry is built, and why the totals come out as aimed (calibration.py):
- Every CHA is cut into 1–5 strips ("pieces") that do not overlap. Each year takes pieces, in a
  seeded random order, until its budget is met: first the CHA land cleared that year, then the CHA
  land released by survey (reduced or cancelled). A piece is released at most once this way, so
  the cleared part of the CHA union at the end of 2023 is the sum of the pieces cleared by then.
- Re-clearance: each year from 2017 re-clears parts of pieces first cleared in earlier years
  (quality control, land found with items after release). It adds to that year's cleared union
  but not to the CHA cleared to date: the overlap the reports must count once.
- Overlaps inside a year: one in ten first-cleared pieces is released by two polygons that
  overlap in a strip and together cover the piece; the year's union still counts it once.
- Re-survey: technical survey over parts of land cancelled in an earlier year (reduced beats
  cancelled in the report's method priority; released land does not grow).
- Clearance outside every hazard (before construction) near villages: 12% of each year's work.
- Some SHAs are cancelled outright by non-technical survey (outside the CHA figures).
Within a year the pieces, re-cleared parts and outside polygons are disjoint, so that year's
cleared union is the sum of their areas: the budgets are met to within a piece.
"""

import datetime as dt
import math
from dataclasses import dataclass

import numpy as np
import shapely
from shapely.geometry import MultiPolygon

from app.demo import calibration
from app.demo.hazards import HazardRecord
from app.demo.outlines import PackingIndex, irregular_polygon, part_of, split_into_strips
from app.demo.province import Province, offset_lonlat
from app.demo.villages import VillageRecord
from gis.areas import geodesic_area_ha

CLEARANCE_DEPTH_CM = 30
SHA_CANCELLED_SHARE = 0.35
RESURVEY_SHARE = 0.05
OVERLAPPING_PAIR_SHARE = 0.10

ORGANISATION_WEIGHTS = {
    "default": {
        "npa": 0.33,
        "mag": 0.27,
        "renew": 0.15,
        "peacetrees": 0.06,
        "golden-west": 0.07,
        "military-qt": 0.12,
    },
    # Vĩnh Linh and Gio Linh: the DMZ.
    "464": {"mag": 0.35, "npa": 0.30, "renew": 0.10, "peacetrees": 0.05, "golden-west": 0.08,
            "military-qt": 0.12},
    # Hướng Hóa and Đa Krông: the hills along Route 9 and the Laos border.
    "465": {"mag": 0.45, "npa": 0.20, "golden-west": 0.15, "renew": 0.05, "peacetrees": 0.03,
            "military-qt": 0.12},
    "467": {"mag": 0.45, "npa": 0.20, "golden-west": 0.15, "renew": 0.05, "peacetrees": 0.03,
            "military-qt": 0.12},
    # Đông Hà and the lowlands.
    "461": {"npa": 0.35, "renew": 0.25, "peacetrees": 0.15, "mag": 0.10, "golden-west": 0.03,
            "military-qt": 0.12},
    "469": {"npa": 0.35, "renew": 0.25, "peacetrees": 0.15, "mag": 0.10, "golden-west": 0.03,
            "military-qt": 0.12},
}  # fmt: skip
# Clearance before construction is mostly the provincial military's work.
OUTSIDE_CHA_WEIGHTS = {
    "military-qt": 0.45,
    "npa": 0.20,
    "mag": 0.15,
    "renew": 0.10,
    "peacetrees": 0.10,
}


@dataclass(frozen=True)
class ReleaseRecord:
    reference: str
    method: str
    organisation: str
    started_on: dt.date
    completed_on: dt.date
    depth_cm: int | None
    geometry: MultiPolygon
    area_ha: float
    # Why the generator made it (not stored): first-clearance, re-clearance, outside-cha, survey,
    # re-survey, sha-cancelled.
    purpose: str
    hazard_reference: str | None


@dataclass
class _Piece:
    geometry: MultiPolygon
    area_ha: float
    district_code: str
    hazard_reference: str


@dataclass(frozen=True)
class YearBudget:
    year: int
    first_clearance_ha: float
    reclearance_ha: float
    outside_cha_ha: float
    survey_ha: float


def year_budgets(*, fraction: float) -> list[YearBudget]:
    """What each year must add, in hectares (see calibration.py for the public figures)."""
    share = calibration.reclearance_share()
    budgets = []
    for year in calibration.YEARS:
        work = calibration.CLEARED_HA_BY_YEAR[year] * fraction
        reclear = 0.0 if year == calibration.YEARS[0] else share * work
        outside = calibration.OUTSIDE_CHA_SHARE * work
        budgets.append(
            YearBudget(
                year=year,
                first_clearance_ha=work - reclear - outside,
                reclearance_ha=reclear,
                outside_cha_ha=outside,
                survey_ha=calibration.SURVEY_RELEASED_HA_BY_YEAR[year] * fraction,
            )
        )
    return budgets


class _Organisations:
    """Picks the organisation of a release and numbers its references, SYN-<ORG>-<year>-<n>."""

    def __init__(self, rng: np.random.Generator) -> None:
        self._rng = rng
        self._numbers: dict[tuple[str, int], int] = {}

    def pick(self, weights: dict[str, float]) -> str:
        slugs = list(weights)
        p = np.array([weights[slug] for slug in slugs])
        return slugs[self._rng.choice(len(slugs), p=p / p.sum())]

    def for_district(self, district_code: str) -> str:
        return self.pick(ORGANISATION_WEIGHTS.get(district_code, ORGANISATION_WEIGHTS["default"]))

    def reference(self, slug: str, year: int) -> str:
        number = self._numbers.get((slug, year), 0) + 1
        self._numbers[(slug, year)] = number
        return f"SYN-{slug.upper()}-{year}-{number:05d}"


def _dates(rng: np.random.Generator, year: int, *, clearance: bool) -> tuple[dt.date, dt.date]:
    first = dt.date(year, 1, 1)
    completed = first + dt.timedelta(days=int(rng.integers(0, 365)))
    days = int(rng.integers(20, 180)) if clearance else int(rng.integers(3, 45))
    return completed - dt.timedelta(days=days), completed


def cut_hazards_into_pieces(
    rng: np.random.Generator, province: Province, chas: list[HazardRecord], *, piece_ha: float
) -> list[_Piece]:
    """Cut each CHA into strips of about piece_ha (1 to 5 of them) that tile it exactly."""
    strips: list[tuple[MultiPolygon, str]] = []
    for hazard in chas:
        count = int(min(5, 1 + rng.poisson(hazard.area_ha / piece_ha)))
        cuts = sorted(rng.uniform(0.15, 0.85, count - 1).tolist())
        bearing = rng.uniform(0, math.pi)
        for strip in split_into_strips(hazard.geometry, bearing=bearing, cuts=cuts):
            strips.append((strip, hazard.reference))
    points = shapely.point_on_surface([strip for strip, _ in strips])
    districts = province.district_codes_at(shapely.get_x(points), shapely.get_y(points))
    pieces = [
        _Piece(strip, geodesic_area_ha(strip), district, reference)
        for (strip, reference), district in zip(strips, districts, strict=True)
    ]
    return [pieces[i] for i in rng.permutation(len(pieces))]


def _take(pool: list[_Piece], budget_ha: float, tolerance_ha: float) -> list[_Piece]:
    """Pieces from the front of pool adding up to budget_ha (within tolerance); removed from it."""
    taken, rest, total = [], [], 0.0
    for piece in pool:
        if total < budget_ha - tolerance_ha and total + piece.area_ha <= budget_ha + tolerance_ha:
            taken.append(piece)
            total += piece.area_ha
        else:
            rest.append(piece)
    pool[:] = rest
    return taken


def generate_releases(
    rng: np.random.Generator,
    province: Province,
    index: PackingIndex,
    *,
    chas: list[HazardRecord],
    shas: list[HazardRecord],
    villages: list[VillageRecord],
    fraction: float,
    size_divisor: float,
) -> list[ReleaseRecord]:
    organisations = _Organisations(rng)
    pieces = cut_hazards_into_pieces(rng, province, chas, piece_ha=40.0 / size_divisor)
    tolerance_ha = 0.5 / size_divisor
    pool = list(pieces)
    cleared_before: list[_Piece] = []
    cancelled_before: list[_Piece] = []
    releases: list[ReleaseRecord] = []

    def add(geometry, method, year, organisation, purpose, hazard_reference) -> None:
        started, completed = _dates(rng, year, clearance=method == "cleared")
        releases.append(
            ReleaseRecord(
                reference=organisations.reference(organisation, year),
                method=method,
                organisation=organisation,
                started_on=started,
                completed_on=completed,
                depth_cm=CLEARANCE_DEPTH_CM if method == "cleared" else None,
                geometry=geometry,
                area_ha=geodesic_area_ha(geometry),
                purpose=purpose,
                hazard_reference=hazard_reference,
            )
        )

    for budget in year_budgets(fraction=fraction):
        year = budget.year
        # Re-clearance and re-survey draw on earlier years only, so they never overlap this
        # year's first releases.
        reclear_pool = [cleared_before[i] for i in rng.permutation(len(cleared_before))]
        resurvey_pool = [cancelled_before[i] for i in rng.permutation(len(cancelled_before))]

        first_cleared = _take(pool, budget.first_clearance_ha, tolerance_ha)
        for piece in first_cleared:
            organisation = organisations.for_district(piece.district_code)
            if rng.uniform() < OVERLAPPING_PAIR_SHARE:
                bearing, cut, overlap = rng.uniform(0, math.pi), rng.uniform(0.3, 0.7), 0.1
                parts = [
                    part_of(piece.geometry, bearing=bearing, low=low, high=high)
                    for low, high in ((-1.0, cut + overlap), (cut - overlap, 2.0))
                ]
            else:
                parts = [piece.geometry]
            for part in parts:
                if part is not None:
                    add(
                        part,
                        "cleared",
                        year,
                        organisation,
                        "first-clearance",
                        piece.hazard_reference,
                    )

        for piece in _take(pool, budget.survey_ha, tolerance_ha):
            method = "reduced" if rng.uniform() < calibration.REDUCED_SHARE else "cancelled"
            organisation = organisations.for_district(piece.district_code)
            add(piece.geometry, method, year, organisation, "survey", piece.hazard_reference)
            if method == "cancelled":
                cancelled_before.append(piece)

        for method, purpose, pool_of_earlier, budget_ha in (
            ("cleared", "re-clearance", reclear_pool, budget.reclearance_ha),
            ("reduced", "re-survey", resurvey_pool, RESURVEY_SHARE * budget.survey_ha),
        ):
            for part, piece in _parts_of_earlier(rng, pool_of_earlier, budget_ha, tolerance_ha):
                organisation = organisations.for_district(piece.district_code)
                add(part, method, year, organisation, purpose, piece.hazard_reference)

        for plot in _outside_hazards(
            rng, province, index, villages, budget.outside_cha_ha, size_divisor=size_divisor
        ):
            add(plot, "cleared", year, organisations.pick(OUTSIDE_CHA_WEIGHTS), "outside-cha", None)
        cleared_before.extend(first_cleared)

    for sha in shas:
        if rng.uniform() < SHA_CANCELLED_SHARE:
            year = int(rng.choice(calibration.YEARS))
            organisation = organisations.pick({"npa": 0.5, "renew": 0.3, "mag": 0.2})
            add(sha.geometry, "cancelled", year, organisation, "sha-cancelled", sha.reference)
    return releases


def _parts_of_earlier(
    rng: np.random.Generator, pool: list[_Piece], budget_ha: float, tolerance_ha: float
) -> list[tuple[MultiPolygon, _Piece]]:
    """Parts (30–100%) of distinct earlier pieces whose areas add up to budget_ha."""
    parts, total = [], 0.0
    for piece in pool:
        if total >= budget_ha - tolerance_ha:
            break
        high = 2.0 if rng.uniform() < 0.4 else rng.uniform(0.3, 0.9)
        part = part_of(piece.geometry, bearing=rng.uniform(0, math.pi), low=-1.0, high=high)
        if part is None:
            continue
        area_ha = geodesic_area_ha(part)
        if total + area_ha <= budget_ha + tolerance_ha:
            parts.append((part, piece))
            total += area_ha
    return parts


def _outside_hazards(
    rng: np.random.Generator,
    province: Province,
    index: PackingIndex,
    villages: list[VillageRecord],
    budget_ha: float,
    *,
    size_divisor: float,
) -> list[MultiPolygon]:
    """Irregular plots near villages, clear of hazards and earlier plots, totalling budget_ha."""
    plots, remaining = [], budget_ha
    while remaining > 0.01 and villages:
        village = villages[int(rng.integers(len(villages)))]
        area_ha = min(remaining, float(rng.lognormal(np.log(3.0), 0.9)) / size_divisor)
        area_ha = min(area_ha, 40.0 / size_divisor)
        lon, lat = offset_lonlat(village.location.x, village.location.y, *rng.normal(0, 700, 2))
        polygon = irregular_polygon(rng, lon=float(lon), lat=float(lat), area_ha=area_ha)
        if province.outline.contains(polygon) and not index.overlaps(polygon):
            index.add(polygon)
            plots.append(MultiPolygon([polygon]))
            remaining -= area_ha
    return plots


def earliest_start_by_hazard(releases: list[ReleaseRecord]) -> dict[str, dt.date]:
    earliest: dict[str, dt.date] = {}
    for release in releases:
        if release.hazard_reference is not None:
            known = earliest.get(release.hazard_reference)
            if known is None or release.started_on < known:
                earliest[release.hazard_reference] = release.started_on
    return earliest
