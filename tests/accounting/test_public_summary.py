"""The public summary (PUBLIC_SUMMARY): anonymous visitors get province and district aggregates
of approved records, nothing finer and no polygon; with it off, nothing at all."""

from datetime import date

import pytest

from tests import factories

from .shapes import HUONG_HOA_LAT, HUONG_HOA_LON, ha, square

pytestmark = pytest.mark.django_db

LON, LAT = HUONG_HOA_LON, HUONG_HOA_LAT
RELEASE = "/api/v1/stats/release/?as_of=2023-12-31"
OPEN_WITH_THE_SUMMARY = [
    f"{RELEASE}&by=district",
    f"{RELEASE}&by=province",
    f"{RELEASE}&by=district&unit=465",
    "/api/v1/stats/clearance/?year=2023&by=district",
    "/api/v1/stats/progress/?from=2016&to=2025",
]
CLOSED_EVEN_WITH_THE_SUMMARY = [
    f"{RELEASE}&by=commune",
    "/api/v1/stats/clearance/?year=2023&by=commune",
    "/api/v1/stats/clearance/?year=2023&by=organisation",
    f"{RELEASE}&by=district&include=submitted",
    "/api/v1/hazards/",
    "/api/v1/releases/",
    "/api/v1/spot-tasks/",
    "/api/v1/villages/",
    "/api/v1/admin-units/",
]


@pytest.fixture
def public_summary(settings):
    settings.PUBLIC_SUMMARY = True


@pytest.mark.parametrize("url", OPEN_WITH_THE_SUMMARY + CLOSED_EVEN_WITH_THE_SUMMARY)
def test_without_the_public_summary_anonymous_visitors_get_a_401(anonymous_client, url):
    assert anonymous_client.get(url).status_code == 401


@pytest.mark.parametrize("url", OPEN_WITH_THE_SUMMARY)
def test_with_the_public_summary_province_and_district_aggregates_are_open(
    anonymous_client, public_summary, url
):
    assert anonymous_client.get(url).status_code == 200


@pytest.mark.parametrize("url", CLOSED_EVEN_WITH_THE_SUMMARY)
def test_with_the_public_summary_communes_organisations_and_polygons_stay_closed(
    anonymous_client, public_summary, url
):
    response = anonymous_client.get(url)

    assert response.status_code == 401
    assert response.json()["error"]


def test_the_public_summary_counts_approved_records_only(anonymous_client, public_summary):
    factories.hazard(square(LON, LAT, 0.02))
    approved = square(LON - 0.01, LAT, 0.004)
    factories.release(approved, completed_on=date(2023, 3, 1))
    factories.release(
        square(LON + 0.01, LAT, 0.004), completed_on=date(2023, 3, 1), status="submitted"
    )

    body = anonymous_client.get(f"{RELEASE}&by=district").json()

    huong_hoa = next(row for row in body["rows"] if row["code"] == "465")
    assert huong_hoa["released_ha"] == pytest.approx(ha(approved), abs=0.01)
    assert body["scope"]["records"] == "approved"
