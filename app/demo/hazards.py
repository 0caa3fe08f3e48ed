"""Synthetic confirmed (CHA) and suspected (SHA) hazardous areas, clustered where the war was.

CHAs are drawn around the places that hold most ordnance in Quảng Trị: the former DMZ along the
Bến Hải river (Vĩnh Linh, Gio Linh), Cồn Tiên and Dốc Miếu, Route 9 from Đông Hà through Cam Lộ
and Hướng Hóa to Khe Sanh and Lao Bảo, and the Quảng Trị citadel; a fifth of the area is scattered
over the rest of the province. Hazards never overlap each other and lie wholly inside the former
province, so the CHA union equals the sum of the CHA areas.
"""

import datetime as dt
from dataclasses import dataclass

import numpy as np
import shapely
from shapely.geometry import MultiPolygon

from app.demo.outlines import PackingIndex, irregular_polygon
from app.demo.province import Province, offset_lonlat

SYNTHETIC_NOTE = "Synthetic demo data: not a real hazard."
PLACEMENT_ATTEMPTS = 400


@dataclass(frozen=True)
class Hotspot:
    name: str
    weight: float
    # (lon, lat) vertices of the line the hazards follow; one vertex is a centre; none: anywhere.
    path: tuple[tuple[float, float], ...]
    spread_km: float
    # Probabilities of cluster munitions, landmines, mixed UXO.
    contamination_weights: tuple[float, float, float]


HOTSPOTS = (
    Hotspot(
        "Former DMZ along the Bến Hải river",
        0.30,
        ((106.86, 17.03), (106.95, 17.02), (107.05, 17.01), (107.10, 17.03)),
        6.0,
        (0.60, 0.15, 0.25),
    ),
    Hotspot("Cồn Tiên and Dốc Miếu", 0.12, ((107.00, 16.97),), 5.0, (0.60, 0.10, 0.30)),
    Hotspot(
        "Route 9: Đông Hà, Cam Lộ, Hướng Hóa, Khe Sanh, Lao Bảo",
        0.28,
        (
            (107.08, 16.81),
            (107.00, 16.80),
            (106.92, 16.77),
            (106.84, 16.72),
            (106.73, 16.63),
            (106.62, 16.62),
        ),
        4.0,
        (0.55, 0.15, 0.30),
    ),
    Hotspot("Quảng Trị citadel", 0.10, ((107.19, 16.75),), 5.0, (0.40, 0.0, 0.60)),
    Hotspot("Elsewhere in the province", 0.20, (), 0.0, (0.60, 0.0, 0.40)),
)
CONTAMINATIONS = ("cluster_munitions", "landmines", "mixed_uxo")

# Who recorded the CHAs: the cluster-munition survey (CMRS) teams.
CHA_SURVEYORS = (("npa", 0.6), ("mag", 0.3), ("renew", 0.1))
SHA_SURVEYORS = (("npa", 0.4), ("renew", 0.4), ("mag", 0.2))


@dataclass(frozen=True)
class HazardRecord:
    reference: str
    kind: str
    contamination: str
    organisation: str
    recorded_on: dt.date
    geometry: MultiPolygon
    area_ha: float
    notes: str


def _point_near(rng: np.random.Generator, province: Province, hotspot: Hotspot):
    minx, miny, maxx, maxy = province.outline.bounds
    if not hotspot.path:
        return rng.uniform(minx, maxx), rng.uniform(miny, maxy)
    if len(hotspot.path) == 1:
        lon, lat = hotspot.path[0]
    else:
        vertices = np.array(hotspot.path)
        lengths = np.hypot(*np.diff(vertices, axis=0).T)
        segment = rng.choice(len(lengths), p=lengths / lengths.sum())
        t = rng.uniform()
        lon, lat = vertices[segment] + t * (vertices[segment + 1] - vertices[segment])
    east, north = rng.normal(0.0, hotspot.spread_km * 1000.0, 2)
    moved = offset_lonlat(lon, lat, east, north)
    return float(moved[0]), float(moved[1])


def hazard_sizes_ha(
    rng: np.random.Generator, *, count: int, total_ha: float, median_ha: float, max_ha: float
) -> np.ndarray:
    """Log-normal sizes (most a few to a few hundred ha), capped, scaled to add up to total_ha."""
    sizes = np.minimum(rng.lognormal(np.log(median_ha), 1.0, count), max_ha)
    sizes *= total_ha / sizes.sum()
    return np.sort(sizes)[::-1]


def _recorded_on(rng: np.random.Generator) -> dt.date:
    # CMRS ran from 2015 to April 2023, most of it early.
    start = dt.date(2015, 1, 1)
    span_days = (dt.date(2023, 4, 30) - start).days
    return start + dt.timedelta(days=int(span_days * rng.beta(1.2, 3.0)))


def _choose(rng: np.random.Generator, weighted: tuple[tuple[str, float], ...]) -> str:
    names = [name for name, _ in weighted]
    weights = np.array([weight for _, weight in weighted])
    return names[rng.choice(len(names), p=weights / weights.sum())]


def place_hazards(
    rng: np.random.Generator,
    province: Province,
    index: PackingIndex,
    *,
    kind: str,
    sizes_ha: np.ndarray,
    hotspot_weights: np.ndarray,
    surveyors: tuple[tuple[str, float], ...],
) -> list[HazardRecord]:
    """Place one hazard per size, largest first, none overlapping another (tracked by index)."""
    hazards = []
    for number, area_ha in enumerate(sizes_ha, start=1):
        hotspot = HOTSPOTS[rng.choice(len(HOTSPOTS), p=hotspot_weights)]
        for attempt in range(PLACEMENT_ATTEMPTS):
            # A crowded hotspot gives way to the rest of the province after many misses.
            where = hotspot if attempt < PLACEMENT_ATTEMPTS // 2 else HOTSPOTS[-1]
            lon, lat = _point_near(rng, province, where)
            polygon = irregular_polygon(rng, lon=lon, lat=lat, area_ha=float(area_ha))
            if province.outline.contains(polygon) and not index.overlaps(polygon):
                break
        else:
            raise RuntimeError(f"no room for a {area_ha:.1f} ha {kind} after {attempt + 1} tries")
        index.add(polygon)
        contamination = CONTAMINATIONS[rng.choice(3, p=np.array(where.contamination_weights))]
        hazards.append(
            HazardRecord(
                reference=f"SYN-{kind}-{number:05d}",
                kind=kind,
                contamination=contamination if kind == "CHA" else "mixed_uxo",
                organisation=_choose(rng, surveyors),
                recorded_on=_recorded_on(rng),
                geometry=MultiPolygon([polygon]),
                area_ha=float(area_ha),
                notes=f"{SYNTHETIC_NOTE} Area: {where.name}.",
            )
        )
    return hazards


def generate_hazards(
    rng: np.random.Generator,
    province: Province,
    index: PackingIndex,
    *,
    cha_count: int,
    cha_total_ha: float,
    sha_count: int,
    sha_total_ha: float,
    size_divisor: float,
) -> tuple[list[HazardRecord], list[HazardRecord]]:
    """CHAs then SHAs; sizes are divided by size_divisor (the scale-up keeps totals)."""
    hotspot_weights = np.array([hotspot.weight for hotspot in HOTSPOTS])
    chas = place_hazards(
        rng,
        province,
        index,
        kind="CHA",
        sizes_ha=hazard_sizes_ha(
            rng,
            count=cha_count,
            total_ha=cha_total_ha,
            median_ha=29.0 / size_divisor,
            max_ha=600.0 / size_divisor,
        ),
        hotspot_weights=hotspot_weights / hotspot_weights.sum(),
        surveyors=CHA_SURVEYORS,
    )
    # Suspected areas are mostly away from the battlefields' cores.
    sha_weights = np.array([0.1, 0.05, 0.1, 0.05, 0.7])
    shas = place_hazards(
        rng,
        province,
        index,
        kind="SHA",
        sizes_ha=hazard_sizes_ha(
            rng,
            count=sha_count,
            total_ha=sha_total_ha,
            median_ha=15.0 / size_divisor,
            max_ha=200.0 / size_divisor,
        ),
        hotspot_weights=sha_weights / sha_weights.sum(),
        surveyors=SHA_SURVEYORS,
    )
    for hazard in chas + shas:
        shapely.prepare(hazard.geometry)
    return chas, shas
