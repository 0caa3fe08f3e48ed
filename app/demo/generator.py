"""The seeded synthetic demo data set of Quảng Trị, generated without Django.

``generate_demo(DemoSpec(seed=2025))`` returns the same features for the same spec on every
machine (numpy's PCG64 streams, one per kind of feature, seeded from the spec). Everything is
labelled synthetic: references and codes start with ``SYN-``, names end "(synthetic)", hazard
notes say "Synthetic demo data". data/demo/README.md describes what it makes and why.

Scale and fraction:
- ``scale`` (integer, for the benchmark) multiplies the number of features of every kind and
  divides the size of every polygon by the same factor, so hectare totals, and therefore the
  reports' figures, stay those of scale 1 while the database holds scale x the rows.
- ``fraction`` (0 < f <= 1, for fast tests) keeps polygon sizes and shrinks counts and hectare
  budgets together: a small data set with the same proportions.
"""

import datetime as dt
from dataclasses import dataclass, replace

import numpy as np

from app.demo import calibration
from app.demo.hazards import HazardRecord, generate_hazards
from app.demo.outlines import PackingIndex
from app.demo.province import Province, read_province
from app.demo.releases import ReleaseRecord, earliest_start_by_hazard, generate_releases
from app.demo.spot_tasks import SpotTaskColumns, generate_spot_tasks
from app.demo.targets import TargetRecord, generate_targets
from app.demo.villages import VillageRecord, generate_villages

DEFAULT_SEED = 2025
SYNTHETIC_PREFIX = "SYN-"


@dataclass(frozen=True)
class OrganisationRecord:
    slug: str
    name: str
    kind: str


ORGANISATIONS = (
    OrganisationRecord("npa", "Norwegian People's Aid", "ngo"),
    OrganisationRecord("mag", "MAG (Mines Advisory Group)", "ngo"),
    OrganisationRecord("renew", "Project RENEW", "ngo"),
    OrganisationRecord("peacetrees", "PeaceTrees Vietnam", "ngo"),
    OrganisationRecord("golden-west", "Golden West Humanitarian Foundation", "ngo"),
    OrganisationRecord("military-qt", "Quảng Trị Provincial Military Command", "military"),
)

# One random stream per kind of feature: changing how villages are drawn leaves hazards alone.
_STREAMS = {"villages": 1, "hazards": 2, "releases": 3, "spot_tasks": 4}


@dataclass(frozen=True)
class DemoSpec:
    seed: int = DEFAULT_SEED
    scale: int = 1
    fraction: float = 1.0

    def __post_init__(self) -> None:
        if not isinstance(self.scale, int) or self.scale < 1:
            raise ValueError(f"scale must be a whole number >= 1; got {self.scale!r}")
        if not 0 < self.fraction <= 1:
            raise ValueError(f"fraction must be in (0, 1]; got {self.fraction!r}")

    @property
    def count_factor(self) -> float:
        return self.scale * self.fraction

    def stream(self, kind: str) -> np.random.Generator:
        return np.random.default_rng([self.seed, _STREAMS[kind]])


@dataclass(frozen=True)
class DemoDataset:
    spec: DemoSpec
    organisations: tuple[OrganisationRecord, ...]
    villages: tuple[VillageRecord, ...]
    hazards: tuple[HazardRecord, ...]
    releases: tuple[ReleaseRecord, ...]
    spot_tasks: SpotTaskColumns
    targets: tuple[TargetRecord, ...]

    @property
    def chas(self) -> tuple[HazardRecord, ...]:
        return tuple(hazard for hazard in self.hazards if hazard.kind == "CHA")

    @property
    def shas(self) -> tuple[HazardRecord, ...]:
        return tuple(hazard for hazard in self.hazards if hazard.kind == "SHA")


def _recorded_before_release(
    hazards: list[HazardRecord], releases: list[ReleaseRecord]
) -> list[HazardRecord]:
    """A hazard is recorded before any release on it starts (a month before, at the latest)."""
    earliest = earliest_start_by_hazard(releases)
    dated = []
    for hazard in hazards:
        start = earliest.get(hazard.reference)
        # Releases start in 2015 at the earliest (clearance completed early in 2016), so a
        # month before is never before CMRS began.
        if start is not None and hazard.recorded_on > start - dt.timedelta(days=30):
            hazard = replace(hazard, recorded_on=start - dt.timedelta(days=30))
        dated.append(hazard)
    return dated


def generate_demo(spec: DemoSpec = DemoSpec(), *, province: Province | None = None) -> DemoDataset:
    province = province or read_province()
    villages = generate_villages(
        spec.stream("villages"),
        province,
        count_factor=spec.count_factor,
        surveyed_share_2023=calibration.VILLAGES_SURVEYED_SHARE_END_2023,
        surveyed_share_2025=calibration.VILLAGES_SURVEYED_SHARE_END_2025,
    )
    # Hazards and clearance outside hazards share one index: nothing of either overlaps.
    index = PackingIndex()
    chas, shas = generate_hazards(
        spec.stream("hazards"),
        province,
        index,
        cha_count=round(calibration.CHA_COUNT * spec.count_factor),
        cha_total_ha=calibration.CHA_TOTAL_HA * spec.fraction,
        sha_count=round(calibration.SHA_COUNT * spec.count_factor),
        sha_total_ha=calibration.SHA_TOTAL_HA * spec.fraction,
        size_divisor=spec.scale,
    )
    releases = generate_releases(
        spec.stream("releases"),
        province,
        index,
        chas=chas,
        shas=shas,
        villages=villages,
        fraction=spec.fraction,
        size_divisor=spec.scale,
    )
    spot_tasks = generate_spot_tasks(
        spec.stream("spot_tasks"),
        province,
        hazards=chas,
        villages=villages,
        count_factor=spec.count_factor,
    )
    return DemoDataset(
        spec=spec,
        organisations=ORGANISATIONS,
        villages=tuple(villages),
        hazards=tuple(_recorded_before_release(chas + shas, releases)),
        releases=tuple(releases),
        spot_tasks=spot_tasks,
        targets=tuple(
            generate_targets(province, chas, fraction=spec.fraction, count_factor=spec.count_factor)
        ),
    )
