"""What the synthetic demo data set aims at, and the yearly budgets derived from it.

The figures come from the public record quoted in /work/shared/DOMAIN.md ("Quảng Trị in numbers"):
CMRS 2015–2023 found 1,270 CHAs covering 615 km²; 2021–2023 saw 18,568 ha cleared (124% of plan),
690 villages surveyed (86%), 76,873 items destroyed and about 30% of CHA area cleared; the plans
asked about 1,000 ha a year of clearance in 2016–2020, about 5,000 ha a year from 2021 (4,200 ha in
2024), 5,000+ spot tasks and 20,000+ items a year.

The generator sizes and dates its polygons so that the *geometry* adds up to these numbers; the
reports compute their figures from that geometry and know nothing of this module.
"""

from types import MappingProxyType

YEARS = tuple(range(2016, 2026))

CHA_COUNT = 1_270
CHA_TOTAL_HA = 61_500.0
SHA_COUNT = 150
SHA_TOTAL_HA = 3_600.0
VILLAGE_COUNT = 800

# Share of the CHA union that is cleared (first clearance) by 2023-12-31.
CHA_CLEARED_SHARE_END_2023 = 0.30
# Share of each year's clearance done outside every hazard (clearance before construction).
OUTSIDE_CHA_SHARE = 0.12
# Share of villages whose non-technical survey is complete by 2023-12-31 (690 of 800).
VILLAGES_SURVEYED_SHARE_END_2023 = 0.8625
# Share surveyed by 2025-12-31; the rest have no survey date yet.
VILLAGES_SURVEYED_SHARE_END_2025 = 0.95

# Clearance work per year: area of the union of that year's cleared polygons, in hectares.
# 2021–2023 adds up to 18,600 ha, 124% of that period's 15,000 ha plan.
CLEARED_HA_BY_YEAR = MappingProxyType(
    {
        2016: 1_050.0,
        2017: 1_100.0,
        2018: 1_150.0,
        2019: 1_200.0,
        2020: 1_250.0,
        2021: 5_800.0,
        2022: 6_200.0,
        2023: 6_600.0,
        2024: 5_000.0,
        2025: 5_300.0,
    }
)

# CHA land released by survey (reduced or cancelled) per year, in hectares. By the end of 2023 it
# is 18,500 ha, so about 60% of the CHA is released by any method: the provincial dashboard's view
# (62%) beside the survey programme's cleared-only view (about 30%).
SURVEY_RELEASED_HA_BY_YEAR = MappingProxyType(
    {
        2016: 1_500.0,
        2017: 1_600.0,
        2018: 1_700.0,
        2019: 1_800.0,
        2020: 1_900.0,
        2021: 3_200.0,
        2022: 3_300.0,
        2023: 3_500.0,
        2024: 2_200.0,
        2025: 2_000.0,
    }
)
# Share of survey releases that are technical survey (reduced); the rest are cancelled by NTS.
REDUCED_SHARE = 0.7

# EOD spot tasks per year and the items they destroyed; 2021–2023 destroys 76,900 items.
SPOT_TASKS_BY_YEAR = MappingProxyType(
    {
        2016: 5_100,
        2017: 5_200,
        2018: 5_300,
        2019: 5_250,
        2020: 5_400,
        2021: 5_600,
        2022: 5_800,
        2023: 6_000,
        2024: 5_700,
        2025: 5_500,
    }
)
ITEMS_DESTROYED_BY_YEAR = MappingProxyType(
    {
        2016: 20_500,
        2017: 21_200,
        2018: 21_800,
        2019: 22_100,
        2020: 22_600,
        2021: 24_800,
        2022: 25_700,
        2023: 26_400,
        2024: 24_000,
        2025: 23_000,
    }
)

# The provincial plans (AnnualTarget rows, province-wide, all organisations).
CLEARED_HA_TARGET_BY_YEAR = MappingProxyType(
    {year: 1_000.0 for year in range(2016, 2021)}
    | {2021: 5_000.0, 2022: 5_000.0, 2023: 5_000.0, 2024: 4_200.0, 2025: 5_000.0}
)
SURVEYED_HA_TARGET_PER_YEAR = 6_000.0
SPOT_TASKS_TARGET_PER_YEAR = 5_000
ITEMS_DESTROYED_TARGET_PER_YEAR = 20_000
# The provincial military's own clearance plan (50–55 ha a year).
MILITARY_CLEARED_HA_TARGET_PER_YEAR = 55.0


def reclearance_share() -> float:
    """Share of each year's clearance (from 2017) that re-clears land cleared in an earlier year.

    It closes the books: clearance work to the end of 2023 is larger than the CHA cleared by then
    (30% of it), and the difference is clearance outside CHAs plus re-clearance. 2016 has no
    earlier clearance to re-clear.
    """
    work_to_2023 = sum(ha for year, ha in CLEARED_HA_BY_YEAR.items() if year <= 2023)
    reclearable_work = sum(ha for year, ha in CLEARED_HA_BY_YEAR.items() if 2017 <= year <= 2023)
    cha_cleared = CHA_CLEARED_SHARE_END_2023 * CHA_TOTAL_HA
    outside = OUTSIDE_CHA_SHARE * work_to_2023
    return (work_to_2023 - outside - cha_cleared) / reclearable_work
