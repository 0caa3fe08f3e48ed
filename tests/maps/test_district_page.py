"""/maps/districts/<code>/: one district's hazard, released land and villages."""

from datetime import date

import pytest

from tests import factories

from .factories import INSIDE_465, square

pytestmark = pytest.mark.django_db

LON, LAT = INSIDE_465


def test_the_district_map_shows_its_hazard_releases_and_villages(client, readable):
    factories.hazard(square(LON, LAT, 0.01))
    factories.release(square(LON, LAT, 0.004), method="reduced", completed_on=date(2023, 5, 1))
    factories.village(LON + 0.02, LAT, name="Thôn Khe Sanh", nts_completed_on=date(2021, 1, 1))

    response = client.get("/maps/districts/465/?year=2023")

    assert response.status_code == 200
    page = readable(response.content)
    assert "Huong Hoa: hazard and land release by 31 December 2023" in page
    assert "Thôn Khe Sanh" in page
    # The polygons come as vector tiles of the page's year (tests/maps/test_tiles.py).
    for layer in ("remaining-cha", "released", "hazards", "releases"):
        assert f'"/tiles/{layer}/{{z}}/{{x}}/{{y}}.mvt?year=2023"' in page
    assert '"method": "reduced"' not in page
    assert "Remaining CHA" in page
    assert "non-technical survey done" in page


def test_a_commune_of_2025_has_a_map_too(client, readable):
    response = client.get("/maps/districts/19483/?year=2025&boundary_set=2025")
    assert response.status_code == 200


def test_an_unknown_district_is_a_404(client):
    assert client.get("/maps/districts/999/?year=2023").status_code == 404


def test_a_district_asked_for_in_the_wrong_boundary_set_is_a_404(client):
    assert client.get("/maps/districts/465/?boundary_set=2025").status_code == 404


def test_a_bad_year_is_a_400(client):
    response = client.get("/maps/districts/465/?year=twenty")

    assert response.status_code == 400
    assert b"year must be a year between 1975 and 2100" in response.content
