"""The forecast of when the remaining CHA is released (/api/v1/stats/forecast/): figures from
releases of known areas, the reasons a projection is null, who counts which pending work, and
the parameters refused. Expected hectares from pyproj.Geod (tests.accounting.shapes.ha)."""

import csv
import io
import math
from datetime import date

import openpyxl
import pytest
from django.test import Client

from app.accounting.selectors.forecast import counted_years
from tests import factories

from .shapes import HUONG_HOA_LAT, HUONG_HOA_LON, ha, inside, square

pytestmark = pytest.mark.django_db

URL = "/api/v1/stats/forecast/"
LON, LAT = HUONG_HOA_LON, HUONG_HOA_LAT
CHA = square(LON, LAT, 0.02)
# Inside the CHA and apart from each other: one released before the counted years, then one in
# each of 2021, 2022 and 2023.
BEFORE = square(LON - 0.012, LAT + 0.012, 0.003)
IN_2021 = square(LON - 0.01, LAT - 0.01, 0.004)
IN_2022 = square(LON + 0.01, LAT - 0.01, 0.006)
IN_2023 = square(LON + 0.01, LAT + 0.01, 0.005)


def row_of(body: dict, code: str) -> dict:
    return next(row for row in body["rows"] if row["code"] == code)


@pytest.fixture
def three_years_of_release():
    factories.hazard(CHA)
    factories.release(BEFORE, completed_on=date(2019, 5, 1))
    factories.release(IN_2021, completed_on=date(2021, 3, 1))
    factories.release(IN_2022, completed_on=date(2022, 7, 1), method="reduced")
    factories.release(IN_2023, completed_on=date(2023, 11, 1), org="mag")


def test_the_pace_is_the_cha_newly_released_in_each_of_the_last_three_complete_years(
    client, three_years_of_release
):
    body = client.get(URL, {"as_of": "2024-06-30"}).json()

    paces = [ha(IN_2021), ha(IN_2022), ha(IN_2023)]
    remaining = ha(CHA) - ha(BEFORE) - sum(paces)
    mean = sum(paces) / 3
    huong_hoa = row_of(body, "465")
    assert body["years"] == [2021, 2022, 2023]
    assert [year["year"] for year in huong_hoa["released_by_year"]] == [2021, 2022, 2023]
    for counted, expected in zip(huong_hoa["released_by_year"], paces, strict=True):
        assert counted["newly_released_ha"] == pytest.approx(expected, abs=0.01)
    assert huong_hoa["remaining_ha"] == pytest.approx(remaining, abs=0.01)
    assert huong_hoa["pace_mean_ha"] == pytest.approx(mean, abs=0.01)
    assert huong_hoa["pace_low_ha"] == pytest.approx(ha(IN_2021), abs=0.01)
    assert huong_hoa["pace_high_ha"] == pytest.approx(ha(IN_2022), abs=0.01)
    assert huong_hoa["year_at_mean_pace"] == 2024 + math.ceil(remaining / mean)
    assert huong_hoa["year_at_low_pace"] == 2024 + math.ceil(remaining / ha(IN_2021))
    assert huong_hoa["year_at_high_pace"] == 2024 + math.ceil(remaining / ha(IN_2022))
    assert huong_hoa["reason"] is None
    assert body["total"]["remaining_ha"] == pytest.approx(remaining, abs=0.01)
    assert body["total"]["year_at_mean_pace"] == huong_hoa["year_at_mean_pace"]
    assert "2021–2023" in body["method"]


def test_years_changes_the_years_counted_and_a_31_december_counts_its_own_year(
    client, three_years_of_release
):
    body = client.get(URL, {"as_of": "2023-12-31", "years": 2, "by": "province"}).json()

    province = body["total"]
    assert body["years"] == [2022, 2023]
    assert province["pace_mean_ha"] == pytest.approx((ha(IN_2022) + ha(IN_2023)) / 2, abs=0.01)
    assert [row["code"] for row in body["rows"]] == [province["code"]]


def test_the_projected_years_are_null_with_the_reason_where_they_cannot_be_computed(client):
    released_cha = inside("464", 0.004)
    idle_cha = inside("466", 0.004)
    factories.hazard(released_cha)
    factories.release(released_cha.buffer(0.001, join_style="mitre"), completed_on=date(2022, 1, 5))
    factories.hazard(idle_cha)
    factories.release(inside("466", 0.001), completed_on=date(2016, 1, 5))

    body = client.get(URL, {"as_of": "2024-06-30"}).json()

    assert row_of(body, "464")["reason"] == "nothing remains"
    assert row_of(body, "464")["remaining_ha"] == 0
    idle = row_of(body, "466")
    assert idle["reason"] == "no release in the years counted"
    assert idle["remaining_ha"] == pytest.approx(ha(idle_cha) - ha(inside("466", 0.001)), abs=0.01)
    assert idle["pace_mean_ha"] == 0
    without_cha = row_of(body, "465")
    assert without_cha["reason"] == "no CHA"
    for row in (row_of(body, "464"), idle, without_cha):
        assert row["year_at_mean_pace"] is None
        assert row["year_at_low_pace"] is None
        assert row["year_at_high_pace"] is None


def test_a_year_without_release_leaves_only_the_low_pace_without_a_year(client):
    factories.hazard(CHA)
    factories.release(IN_2021, completed_on=date(2021, 3, 1))
    factories.release(IN_2023, completed_on=date(2023, 3, 1))

    huong_hoa = row_of(client.get(URL, {"as_of": "2024-01-15"}).json(), "465")

    assert huong_hoa["pace_low_ha"] == 0
    assert huong_hoa["year_at_low_pace"] is None
    assert huong_hoa["year_at_mean_pace"] is not None
    assert huong_hoa["reason"] is None


@pytest.fixture
def pending_work():
    factories.hazard(CHA)
    factories.release(IN_2021, completed_on=date(2022, 3, 1), org="npa")
    factories.release(IN_2022, completed_on=date(2023, 4, 1), org="npa", status="submitted")
    factories.release(IN_2023, completed_on=date(2023, 5, 1), org="mag", status="submitted")


def pace_in_2023(client: Client, **query) -> float:
    response = client.get(URL, {"as_of": "2024-01-01", **query})
    assert response.status_code == 200, response.content
    return row_of(response.json(), "465")["released_by_year"][-1]["newly_released_ha"]


def test_a_coordinator_counts_only_their_own_organisations_submitted_releases(pending_work):
    coordinator = factories.signed_in("field_coordinator", org="npa")

    assert pace_in_2023(coordinator) == 0
    assert pace_in_2023(coordinator, include="submitted") == pytest.approx(ha(IN_2022), abs=0.01)


def test_an_analyst_counts_every_organisations_submitted_releases(client, pending_work):
    assert pace_in_2023(client, include="submitted") == pytest.approx(
        ha(IN_2022) + ha(IN_2023), abs=0.01
    )
    assert pace_in_2023(client) == 0


def test_a_planner_reads_the_forecast_of_approved_work_only(pending_work):
    planner = factories.signed_in("planner", aggregates_only=True)

    assert pace_in_2023(planner) == 0
    refused = planner.get(URL, {"as_of": "2024-01-01", "include": "submitted"})
    assert refused.status_code == 403


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ({"years": 0}, "years"),
        ({"years": 11}, "years"),
        ({"by": "village"}, "by"),
        ({"as_of": "2024-02-30"}, "as_of"),
        ({"boundary_set": "1999"}, "boundary_set"),
        ({"year": 2024}, "year"),
    ],
)
def test_bad_parameters_get_a_400_naming_them(client, query, parameter):
    response = client.get(URL, {"as_of": "2024-06-30", **query})

    assert response.status_code == 400
    assert response.json()["parameter"] == parameter


def test_the_years_counted_are_complete_calendar_years_before_the_day():
    assert counted_years(as_of=date(2024, 6, 30), years=3) == (2021, 2022, 2023)
    assert counted_years(as_of=date(2024, 1, 1), years=1) == (2023,)
    assert counted_years(as_of=date(2023, 12, 31), years=2) == (2022, 2023)


def test_the_forecast_as_csv_and_excel_has_the_figures_of_the_json(client, three_years_of_release):
    query = {"as_of": "2024-06-30"}
    huong_hoa = row_of(client.get(URL, query).json(), "465")

    as_csv = client.get(URL, {**query, "format": "csv"}, HTTP_ACCEPT_LANGUAGE="en")
    as_xlsx = client.get(URL, {**query, "format": "xlsx"}, HTTP_ACCEPT_LANGUAGE="en")

    assert as_csv.status_code == 200, as_csv.content
    rows = list(csv.DictReader(io.StringIO(as_csv.content.decode("utf-8-sig"))))
    csv_row = next(row for row in rows if row["Code"] == "465")
    assert float(csv_row["CHA remaining (ha)"]) == huong_hoa["remaining_ha"]
    assert float(csv_row["CHA newly released in 2022 (ha)"]) == pytest.approx(ha(IN_2022), abs=0.01)
    assert int(csv_row["Released by, at the mean pace"]) == huong_hoa["year_at_mean_pace"]
    sheet = openpyxl.load_workbook(io.BytesIO(as_xlsx.content)).worksheets[0]
    header, *cells = list(sheet.values)
    xlsx_row = dict(zip(header, next(row for row in cells if row[0] == "465"), strict=True))
    assert xlsx_row["Mean pace (ha a year)"] == huong_hoa["pace_mean_ha"]
    assert xlsx_row["Why no year"] is None
