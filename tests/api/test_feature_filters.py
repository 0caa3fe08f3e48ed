"""Each filter narrows a list to the records it names, spatial ones by geometry."""

from datetime import date

import pytest

from tests import factories
from tests.api.conftest import ids
from tests.api.places import commune_containing, square_across_border, square_inside_district

pytestmark = pytest.mark.django_db


def test_organisation_keeps_that_organisations_releases(fetch):
    factories.release(square_inside_district("464"), org="npa")
    mags = factories.release(square_inside_district("465"), org="mag")

    assert ids(fetch("/api/v1/releases/?organisation=mag")) == [mags.id]


def test_year_keeps_releases_completed_in_that_year_from_january_to_december(fetch):
    square = square_inside_district("464")
    factories.release(square, completed_on=date(2022, 12, 31))
    first = factories.release(square, completed_on=date(2023, 1, 1))
    last = factories.release(square, completed_on=date(2023, 12, 31))
    factories.release(square, completed_on=date(2024, 1, 1))

    assert ids(fetch("/api/v1/releases/?year=2023")) == [first.id, last.id]


def test_year_of_a_hazard_is_its_recording_year(fetch):
    square = square_inside_district("464")
    factories.hazard(square, recorded_on=date(2014, 6, 1))
    recorded_2016 = factories.hazard(square, recorded_on=date(2016, 6, 1))

    assert ids(fetch("/api/v1/hazards/?year=2016")) == [recorded_2016.id]


def test_year_of_a_spot_task_is_its_completion_year(fetch):
    factories.spot_task(106.9, 16.9, completed_on=date(2020, 6, 1))
    in_2021 = factories.spot_task(106.9, 16.9, completed_on=date(2021, 6, 1))

    assert ids(fetch("/api/v1/spot-tasks/?year=2021")) == [in_2021.id]


def test_method_keeps_releases_of_that_method(fetch):
    square = square_inside_district("464")
    factories.release(square, method="cleared")
    reduced = factories.release(square, method="reduced")
    factories.release(square, method="cancelled")

    assert ids(fetch("/api/v1/releases/?method=reduced")) == [reduced.id]


def test_kind_keeps_hazards_of_that_kind(fetch):
    square = square_inside_district("464")
    factories.hazard(square, kind="CHA")
    suspected = factories.hazard(square, kind="SHA")

    assert ids(fetch("/api/v1/hazards/?kind=SHA")) == [suspected.id]


def test_admin_unit_keeps_what_lies_in_that_district(fetch):
    in_vinh_linh = factories.release(square_inside_district("464"))
    in_huong_hoa = factories.release(square_inside_district("465"))

    assert ids(fetch("/api/v1/releases/?admin_unit=464")) == [in_vinh_linh.id]
    assert ids(fetch("/api/v1/releases/?admin_unit=465")) == [in_huong_hoa.id]


def test_admin_unit_keeps_a_release_that_crosses_its_border(fetch):
    # Vĩnh Linh (464) borders Gio Linh (466); Hướng Hóa (465) lies far from this stretch.
    across = factories.release(square_across_border("464", "466"))

    assert ids(fetch("/api/v1/releases/?admin_unit=464")) == [across.id]
    assert ids(fetch("/api/v1/releases/?admin_unit=466")) == [across.id]
    assert ids(fetch("/api/v1/releases/?admin_unit=465")) == []
    assert ids(fetch("/api/v1/releases/?admin_unit=45")) == [across.id]


def test_admin_unit_takes_a_2025_commune_code(fetch):
    square = square_inside_district("464")
    inside = factories.hazard(square)
    factories.hazard(square_inside_district("465"))

    commune = commune_containing(square)
    assert ids(fetch(f"/api/v1/hazards/?admin_unit={commune}")) == [inside.id]
    assert ids(fetch(f"/api/v1/hazards/?admin_unit={commune}&boundary_set=2025")) == [inside.id]


def test_admin_unit_places_points_too(fetch):
    centre = square_inside_district("464").centroid
    task = factories.spot_task(centre.x, centre.y)
    village = factories.village(centre.x, centre.y)

    assert ids(fetch("/api/v1/spot-tasks/?admin_unit=464")) == [task.id]
    assert ids(fetch("/api/v1/spot-tasks/?admin_unit=465")) == []
    assert ids(fetch("/api/v1/villages/?admin_unit=464")) == [village.id]
    assert ids(fetch("/api/v1/villages/?admin_unit=465")) == []


def test_bbox_keeps_features_that_intersect_it(fetch):
    square = square_inside_district("464")
    inside = factories.release(square)
    factories.release(square_inside_district("465"))
    min_lon, min_lat, max_lon, max_lat = square.bounds
    # Only the north-east corner of the square lies in this box.
    corner = f"{max_lon - 0.001},{max_lat - 0.001},{max_lon + 1},{max_lat + 1}"

    assert ids(fetch(f"/api/v1/releases/?bbox={corner}")) == [inside.id]
    assert ids(fetch(f"/api/v1/releases/?bbox={max_lon + 0.001},{min_lat},180,90")) == []


def test_filters_combine(fetch):
    square = square_inside_district("464")
    wanted = factories.release(square, method="cleared", completed_on=date(2023, 5, 1), org="mag")
    factories.release(square, method="reduced", completed_on=date(2023, 5, 1), org="mag")
    factories.release(square, method="cleared", completed_on=date(2022, 5, 1), org="mag")
    factories.release(square, method="cleared", completed_on=date(2023, 5, 1), org="npa")
    factories.release(square_inside_district("465"), completed_on=date(2023, 5, 1), org="mag")

    url = "/api/v1/releases/?organisation=mag&year=2023&method=cleared&admin_unit=464"
    assert ids(fetch(url)) == [wanted.id]


def test_admin_units_filter_by_level_and_boundary_set(fetch):
    districts = fetch("/api/v1/admin-units/?level=district")
    communes = fetch("/api/v1/admin-units/?boundary_set=2025&level=commune")
    provinces = fetch("/api/v1/admin-units/?level=province")

    assert districts["numberMatched"] == 10
    assert {f["properties"]["boundary_set"] for f in districts["features"]} == {"2019"}
    assert communes["numberMatched"] == 78
    assert {f["properties"]["level"] for f in communes["features"]} == {"commune"}
    assert {f["properties"]["code"] for f in provinces["features"]} == {"44", "45"}


def test_an_empty_value_means_no_filter_as_a_form_sends_it(fetch):
    release = factories.release(square_inside_district("464"))

    assert ids(fetch("/api/v1/releases/?year=&admin_unit=&bbox=")) == [release.id]


def test_asking_for_geojson_by_accept_header_is_served(client):
    response = client.get("/api/v1/releases/", HTTP_ACCEPT="application/geo+json")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/geo+json"
