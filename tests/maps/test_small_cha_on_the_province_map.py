"""/maps/coverage/ in either boundary set: a unit whose only CHA is a ~1.2 ha square, half
released, is hatched and its tooltip says its % rests on that CHA, in the reader's numbers; a
threshold of 0 (MAP_SMALL_CHA_HA) hatches nothing, and the page cache never serves a page built
with another threshold."""

from datetime import date

import pytest
from django.contrib.gis.geos import Point
from shapely import box

from app.maps.models import CachedProvinceMap
from app.registry.models import AdminUnit
from gis.areas import geodesic_area_ha
from gis.maps import RELEASED_PCT_COLOURS, small_cha_pattern_id
from gis.numbers import ENGLISH, VIETNAMESE, format_number
from tests import factories

from .factories import INSIDE_465, square

pytestmark = pytest.mark.django_db

LON, LAT = INSIDE_465
# ~107 m × ~111 m: about 1.2 ha, under the default 5 ha.
SMALL_CHA = square(LON, LAT, 0.0005)
# Half released: 50%, the 40–60% class.
HATCH = small_cha_pattern_id(RELEASED_PCT_COLOURS[3])


WEST_HALF = box(LON - 0.0005, LAT - 0.0005, LON, LAT + 0.0005)


@pytest.fixture
def sliver_of_cha():
    factories.hazard(SMALL_CHA)
    factories.release(WEST_HALF, completed_on=date(2023, 5, 1))


def unit_name(boundary_set: str) -> str:
    """The English name of the district (2019) or commune (2025) the square lies in."""
    level = "district" if boundary_set == "2019" else "commune"
    unit = AdminUnit.objects.get(
        boundary_set=boundary_set, level=level, geometry__contains=Point(LON, LAT, srid=4326)
    )
    return unit.name_en or unit.name


def tooltip_of(page: str, name: str) -> str:
    """The properties the page's GeoJSON carries for the unit named ``name`` (its fill and its
    tooltip's rows; Folium sorts the keys, a unit-name label has only ``name``)."""
    found = page.index(f'"name": "{name}", "released_ha"')
    return page[page.rindex('"properties": {', 0, found) : page.index("}", found)]


@pytest.mark.parametrize("boundary_set", ["2019", "2025"])
def test_a_unit_with_a_sliver_of_cha_is_hatched_and_noted(
    client, readable, sliver_of_cha, boundary_set
):
    cha = format_number(geodesic_area_ha(SMALL_CHA), decimals=2, convention=ENGLISH)
    released = format_number(geodesic_area_ha(WEST_HALF), decimals=2, convention=ENGLISH)

    page = readable(client.get(f"/maps/coverage/?year=2023&boundary_set={boundary_set}").content)
    unit = tooltip_of(page, unit_name(boundary_set))

    assert f'"fill": "url(#{HATCH})"' in unit
    assert f'"cha_ha": "{cha} ha"' in unit
    assert f'"released_ha": "{released} ha"' in unit
    assert f"50.0%<br><em>CHA under 5 ha: the percentage rests on {cha} ha</em>" in unit
    # The only unit with CHA is the only one hatched; the pattern is defined once.
    assert page.count('"fill": "url(#small-cha-') == 1
    assert page.count(f'<pattern id="{HATCH}"') == 1
    assert "Hatched: CHA under 5 ha (the percentage rests on little land)" in page


@pytest.mark.vietnamese
@pytest.mark.parametrize("boundary_set", ["2019", "2025"])
def test_the_note_is_in_the_readers_numbers(client, readable, sliver_of_cha, boundary_set):
    cha = format_number(geodesic_area_ha(SMALL_CHA), decimals=2, convention=VIETNAMESE)

    page = readable(client.get(f"/maps/coverage/?year=2023&boundary_set={boundary_set}").content)

    assert f"{cha} ha" in page
    assert "50,0%<br><em>" in page


@pytest.mark.parametrize("boundary_set", ["2019", "2025"])
def test_a_threshold_of_zero_hatches_nothing(
    client, readable, settings, sliver_of_cha, boundary_set
):
    settings.MAP_SMALL_CHA_HA = 0

    page = readable(client.get(f"/maps/coverage/?year=2023&boundary_set={boundary_set}").content)

    assert "50.0%" in page
    assert "url(#small-cha-" not in page
    assert "rests on" not in page and "Hatched:" not in page


def test_the_cache_never_serves_a_page_built_with_another_threshold(
    client, readable, settings, sliver_of_cha
):
    hatched = readable(client.get("/maps/coverage/?year=2023").content)
    CachedProvinceMap.objects.update(html="the page built with 5 ha")
    settings.MAP_SMALL_CHA_HA = 0
    plain = readable(client.get("/maps/coverage/?year=2023").content)
    settings.MAP_SMALL_CHA_HA = 5
    cached = client.get("/maps/coverage/?year=2023").content

    assert "url(#small-cha-" in hatched
    assert "50.0%" in plain and "url(#small-cha-" not in plain
    assert cached == b"the page built with 5 ha"
