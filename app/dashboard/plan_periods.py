"""The province's five-year plan periods (2016–2020, 2021–2025, 2026–2030…): the one place that
says which period a year belongs to and which periods the recorded targets cover.

The socio-economic plans of Vietnam run in five-year periods starting 2016, 2021, 2026; the
dashboard (app.dashboard.selectors) and its cards measure a year's work against its period's
targets.
"""

from collections.abc import Iterable
from dataclasses import dataclass

PLAN_YEARS = 5
# The first year of a plan period; every other period starts a multiple of PLAN_YEARS from it.
PLAN_EPOCH = 2016


@dataclass(frozen=True)
class PlanPeriod:
    first_year: int
    last_year: int

    @property
    def years(self) -> range:
        return range(self.first_year, self.last_year + 1)

    def __str__(self) -> str:
        return f"{self.first_year}–{self.last_year}"


def plan_period_of(year: int) -> PlanPeriod:
    """The period holding ``year`` (2023 -> 2021–2025; 2015 -> 2011–2015)."""
    first = PLAN_EPOCH + (year - PLAN_EPOCH) // PLAN_YEARS * PLAN_YEARS
    return PlanPeriod(first_year=first, last_year=first + PLAN_YEARS - 1)


def periods_covering(years: Iterable[int]) -> tuple[PlanPeriod, ...]:
    """The periods that hold any of ``years`` (the years targets are recorded for), in order."""
    return tuple(sorted({plan_period_of(year) for year in years}, key=lambda p: p.first_year))
