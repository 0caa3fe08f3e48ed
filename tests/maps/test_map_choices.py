"""The maps' year and boundary-set selector: a GET form that reloads the page for another year
(keeping include=submitted and the boundary set) and links to each other boundary set's map;
the units named on the map, in the page's language."""

import re
from datetime import date

import pytest

from tests import factories

from .factories import INSIDE_465, square

pytestmark = pytest.mark.django_db

LON, LAT = INSIDE_465


@pytest.fixture(autouse=True)
def releases_2021_and_2023():
    factories.release(square(LON, LAT, 0.001), completed_on=date(2021, 3, 1))
    factories.release(square(LON + 0.01, LAT, 0.001), completed_on=date(2023, 3, 1))
    # Pending work of a later year: not among the approved map's years.
    factories.release(
        square(LON, LAT + 0.01, 0.001), completed_on=date(2024, 3, 1), status="submitted"
    )


def choices(page: str) -> str:
    return re.search(r'<form class="map-choices".*?</form>', page, re.S).group(0)


def years(form: str) -> list[str]:
    return re.findall(r'<option value="(\d+)"', form)


def test_the_province_map_offers_the_years_with_data_and_the_other_boundary_set(client, readable):
    form = choices(readable(client.get("/maps/coverage/?year=2022").content))

    assert 'action="/maps/coverage/"' in form
    assert years(form) == ["2021", "2022", "2023"]
    assert '<option value="2022" selected>' in form
    assert '<input type="hidden" name="boundary_set" value="2019">' in form
    assert 'name="include"' not in form
    assert "/maps/coverage/?year=2022&amp;boundary_set=2025" in form


def test_submitted_work_stays_in_the_choices(client, readable):
    form = choices(readable(client.get("/maps/coverage/?year=2023&include=submitted").content))

    assert years(form) == ["2021", "2022", "2023", "2024"]
    assert '<input type="hidden" name="include" value="submitted">' in form
    assert "boundary_set=2025&amp;include=submitted" in form


def test_the_district_map_reloads_itself_and_links_to_the_other_boundary_sets_province_map(
    client, readable
):
    form = choices(readable(client.get("/maps/districts/465/?year=2023").content))

    assert 'action="/maps/districts/465/"' in form
    assert years(form) == ["2021", "2022", "2023"]
    assert 'name="boundary_set"' not in form
    assert '<strong aria-current="page">' in form
    assert 'href="/maps/coverage/?year=2023&amp;boundary_set=2025"' in form


@pytest.mark.vietnamese
def test_the_choices_and_unit_names_are_in_vietnamese_by_default(client, readable):
    page = readable(client.get("/maps/coverage/?year=2023").content)
    form = choices(page)

    assert "Năm" in form and "Bộ ranh giới" in form and "Huyện (2019)" in form
    assert "Year" not in form
    # The districts named on the map, as they are written in Vietnamese.
    assert '"permanent": true' in page
    assert '"name": "Hướng Hóa"' in page
