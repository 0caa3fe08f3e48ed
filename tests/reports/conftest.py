"""Small recorded work for the report's tests: CHAs in two districts, releases by the three
methods in 2021-2023 by two organisations, spot tasks, villages and targets. Expected hectares
come from pyproj.Geod (tests.accounting.shapes.ha), never from the code under test."""

from datetime import date

import pytest

from tests import factories
from tests.accounting.shapes import HUONG_HOA_LAT, HUONG_HOA_LON, inside, square

LON, LAT = HUONG_HOA_LON, HUONG_HOA_LAT
CHA = square(LON, LAT, 0.02)
# Inside the CHA and apart from each other.
CLEARED_2021 = square(LON - 0.01, LAT - 0.01, 0.004)
REDUCED_2022 = square(LON + 0.01, LAT - 0.01, 0.006)
CLEARED_2023 = square(LON + 0.01, LAT + 0.01, 0.005)
CANCELLED_2023 = square(LON - 0.012, LAT + 0.012, 0.003)


@pytest.fixture
def recorded_work():
    factories.hazard(CHA)
    # A small CHA in Gio Linh, a quarter of it cleared in 2023 by mag.
    gio_linh_cha = inside("466", 0.004)
    factories.hazard(gio_linh_cha)
    factories.release(gio_linh_cha.buffer(-0.002), completed_on=date(2023, 9, 1), org="mag")
    factories.release(CLEARED_2021, completed_on=date(2021, 3, 1))
    factories.release(REDUCED_2022, completed_on=date(2022, 7, 1), method="reduced")
    factories.release(CLEARED_2023, completed_on=date(2023, 5, 1), org="mag")
    factories.release(CANCELLED_2023, completed_on=date(2023, 11, 1), method="cancelled")
    # More than a thousand items, so that the thousands separator shows.
    factories.spot_task(LON + 0.001, LAT, completed_on=date(2023, 2, 1), items_destroyed=1234)
    factories.spot_task(
        LON - 0.001, LAT, completed_on=date(2023, 8, 1), items_destroyed=7, org="mag"
    )
    factories.village(LON, LAT + 0.001, nts_completed_on=date(2022, 5, 1))
    factories.village(LON, LAT - 0.001, ts_completed_on=date(2023, 5, 1))
    factories.village(LON + 0.002, LAT)
    factories.target(year=2023, value=1500.5)
    factories.target(year=2023, value=3, metric="spot_tasks")
    factories.target(year=2023, value=2000, metric="items_destroyed")
    factories.target(year=2023, value=120.25, district="465")
    factories.target(year=2023, value=80, org="npa")
