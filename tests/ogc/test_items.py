"""The items of a collection: paging by next links to the end, the filters (bbox, bbox-crs,
datetime, queryables) and the CRS of the coordinates (OGC API Features Parts 1 and 2)."""

import json
from datetime import date

import pytest
from pyproj import Geod, Transformer
from shapely.geometry import shape

from tests import factories
from tests.api.places import commune_containing, square_inside_district

pytestmark = pytest.mark.django_db


def get(client, url: str, status: int = 200) -> dict:
    response = client.get(url)
    assert response.status_code == status, response.content
    return json.loads(response.content)


def ids(body: dict) -> list[int]:
    return [feature["id"] for feature in body["features"]]


def test_next_links_page_through_every_feature_once(client):
    square = square_inside_district("464")
    made = [factories.release(square).id for _ in range(7)]
    url, seen, pages = "/ogc/collections/releases/items?limit=3", [], 0

    while url:
        body = get(client, url)
        pages += 1
        assert body["numberMatched"] == 7
        assert body["numberReturned"] == len(body["features"])
        assert body["timeStamp"].endswith("Z")
        seen += ids(body)
        rels = {link["rel"]: link["href"] for link in body["links"]}
        assert {"self", "alternate", "collection"} <= set(rels)
        url = rels.get("next")
    assert pages == 3
    assert seen == made


def test_limit_above_the_maximum_is_clamped_not_refused(client, settings):
    settings.OGC_MAX_LIMIT = 2
    square = square_inside_district("464")
    for _ in range(3):
        factories.release(square)

    body = get(client, "/ogc/collections/releases/items?limit=500")

    assert body["numberReturned"] == 2
    assert "limit=2" in next(link["href"] for link in body["links"] if link["rel"] == "next")


def test_the_default_page_holds_100_features(client):
    body = get(client, "/ogc/collections/districts-2019/items")

    assert body["numberReturned"] == min(100, body["numberMatched"])
    assert all(f["properties"]["boundary_set"] == "2019" for f in body["features"])
    assert {f["properties"]["level"] for f in body["features"]} == {"district"}


def test_bbox_keeps_the_features_it_touches(client):
    inside = factories.release(square_inside_district("464"))
    factories.release(square_inside_district("470"))
    min_x, min_y, max_x, max_y = square_inside_district("464").bounds

    body = get(client, f"/ogc/collections/releases/items?bbox={min_x},{min_y},{max_x},{max_y}")

    assert ids(body) == [inside.id]


def test_bbox_in_epsg_4326_is_latitude_first(client):
    inside = factories.release(square_inside_district("464"))
    factories.release(square_inside_district("470"))
    min_x, min_y, max_x, max_y = square_inside_district("464").bounds
    crs = "http://www.opengis.net/def/crs/EPSG/0/4326"

    body = get(
        client,
        f"/ogc/collections/releases/items?bbox={min_y},{min_x},{max_y},{max_x}&bbox-crs={crs}",
    )

    assert ids(body) == [inside.id]


def test_bbox_in_vn2000_metres(client):
    square = square_inside_district("464")
    inside = factories.release(square)
    factories.release(square_inside_district("470"))
    to_vn2000 = Transformer.from_crs("EPSG:4326", "EPSG:9212", always_xy=True)
    min_e, min_n = to_vn2000.transform(square.bounds[0], square.bounds[1])
    max_e, max_n = to_vn2000.transform(square.bounds[2], square.bounds[3])

    body = get(
        client,
        f"/ogc/collections/releases/items?bbox={min_e},{min_n},{max_e},{max_n}&bbox-crs=EPSG:9212",
    )

    assert ids(body) == [inside.id]


@pytest.mark.parametrize(
    ("bbox", "words"),
    [
        ("106,16,107,17,0,10", "3-D box"),
        ("106,16,107", "4 comma-separated numbers"),
        ("a,b,c,d", "4 comma-separated numbers"),
        ("107,16,106,17", "minimum must be less"),
        ("200,16,201,17", "longitudes"),
        ("1e16,1e16,2e16,2e16&bbox-crs=EPSG:32648", "outside Vietnam's region"),
    ],
)
def test_a_bad_bbox_is_a_400_saying_what_to_send(client, bbox, words):
    body = get(client, f"/ogc/collections/releases/items?bbox={bbox}", status=400)

    assert body["code"] == "InvalidParameterValue"
    assert body["description"].startswith("bbox: ")
    assert words in body["description"]


def test_datetime_interval_with_open_ends_reads_the_completion_date(client):
    square = square_inside_district("464")
    old = factories.release(square, completed_on=date(2019, 12, 31))
    edge = factories.release(square, completed_on=date(2020, 1, 1))
    new = factories.release(square, completed_on=date(2024, 5, 1))
    url = "/ogc/collections/releases/items?datetime="

    assert ids(get(client, url + "2020-01-01/..")) == [edge.id, new.id]
    assert ids(get(client, url + "../2020-01-01")) == [old.id, edge.id]
    assert ids(get(client, url + "2020-01-01")) == [edge.id]
    assert ids(get(client, url + "2020-01-01T10:00:00Z")) == [edge.id]
    assert ids(get(client, url + "2019-06-01/2023-01-01")) == [old.id, edge.id]


def test_datetime_of_hazards_is_the_recording_date_and_of_villages_either_survey(client):
    square = square_inside_district("464")
    factories.hazard(square, recorded_on=date(2014, 1, 1))
    recorded = factories.hazard(square, recorded_on=date(2016, 1, 1))
    surveyed = factories.village(106.9, 16.9, ts_completed_on=date(2021, 3, 1))
    factories.village(106.9, 16.9)

    assert ids(get(client, "/ogc/collections/hazards/items?datetime=2015-01-01/..")) == [
        recorded.id
    ]
    assert ids(get(client, "/ogc/collections/villages/items?datetime=2021-01-01/..")) == [
        surveyed.id
    ]


@pytest.mark.parametrize(
    ("value", "words"),
    [
        ("2020-13-01", "is not a date"),
        ("yesterday", "is not a date"),
        ("2024-01-01/2020-01-01", "start is after its end"),
    ],
)
def test_a_bad_datetime_is_a_400(client, value, words):
    body = get(client, f"/ogc/collections/releases/items?datetime={value}", status=400)

    assert words in body["description"]


def test_queryables_filter_the_items(client):
    square = square_inside_district("464")
    cleared_npa = factories.release(square, method="cleared", org="npa")
    factories.release(square, method="reduced", org="npa")
    factories.release(square, method="cleared", org="mag")
    factories.hazard(square, kind="CHA")
    suspected = factories.hazard(square, kind="SHA")
    elsewhere = factories.release(square_inside_district("470"), method="reduced", org="mag")

    url = "/ogc/collections/releases/items"
    assert ids(get(client, f"{url}?organisation=npa&method=cleared")) == [cleared_npa.id]
    assert ids(get(client, "/ogc/collections/hazards/items?kind=SHA")) == [suspected.id]
    unit = commune_containing(square_inside_district("470"))
    assert ids(get(client, f"{url}?admin_unit={unit}")) == [elsewhere.id]


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("method=burnt", "method"),
        ("organisation=nobody", "organisation"),
        ("admin_unit=99999", "admin_unit"),
        ("kind=CHA", "kind"),
        ("include=everything", "include"),
        ("crs=EPSG:3857", "crs"),
        ("limit=0", "limit"),
        ("offset=-1", "offset"),
    ],
)
def test_an_unknown_value_or_parameter_is_a_400_naming_it(client, query, parameter):
    body = get(client, f"/ogc/collections/releases/items?{query}", status=400)

    assert body["parameter"] == parameter
    assert body["description"].startswith(f"{parameter}: ")


def test_an_unknown_crs_names_the_supported_ones(client):
    body = get(client, "/ogc/collections/releases/items?crs=EPSG:3857", status=400)

    for code in ("CRS84", "EPSG/0/4326", "EPSG/0/32648", "EPSG/0/3405", "EPSG/0/9212"):
        assert code in body["description"]


def test_unknown_collections_and_features_are_404s(client):
    assert get(client, "/ogc/collections/mines", status=404)["code"] == "NotFound"
    assert get(client, "/ogc/collections/mines/items", status=404)["code"] == "NotFound"
    assert get(client, "/ogc/collections/releases/items/123456789", status=404)["code"]
    assert get(client, "/ogc/collections/releases/items/abc", status=404)["code"]


def test_epsg_4326_output_is_latitude_first_and_crs84_longitude_first(client):
    release = factories.release(square_inside_district("464"))
    url = f"/ogc/collections/releases/items/{release.id}"

    crs84 = client.get(url)
    epsg4326 = client.get(f"{url}?crs=http://www.opengis.net/def/crs/EPSG/0/4326")

    assert crs84["Content-Crs"] == "<http://www.opengis.net/def/crs/OGC/1.3/CRS84>"
    assert epsg4326["Content-Crs"] == "<http://www.opengis.net/def/crs/EPSG/0/4326>"
    lon, lat = json.loads(crs84.content)["geometry"]["coordinates"][0][0][0]
    assert json.loads(epsg4326.content)["geometry"]["coordinates"][0][0][0] == [lat, lon]
    assert 106 < lon < 108 and 16 < lat < 18


@pytest.mark.parametrize("code", [9212, 3405, 32648])
def test_projected_output_transformed_back_with_pyproj_lies_within_a_metre(client, code):
    square = square_inside_district("464")
    release = factories.release(square)

    response = client.get(f"/ogc/collections/releases/items?crs=EPSG:{code}&limit=1&offset=0")

    assert response["Content-Crs"] == f"<http://www.opengis.net/def/crs/EPSG/0/{code}>"
    feature = json.loads(response.content)["features"][0]
    assert feature["id"] == release.id
    back = Transformer.from_crs(f"EPSG:{code}", "EPSG:4326", always_xy=True)
    geod = Geod(ellps="WGS84")
    projected = shape(feature["geometry"]).geoms[0].exterior.coords
    expected = square.exterior.coords
    assert len(projected) == len(expected)
    for (easting, northing), (lon, lat) in zip(projected, expected, strict=True):
        back_lon, back_lat = back.transform(easting, northing)
        _azimuth, _back, metres = geod.inv(lon, lat, back_lon, back_lat)
        assert metres < 1.0


def test_items_as_html_for_a_browser(client):
    release = factories.release(square_inside_district("464"))

    response = client.get(
        "/ogc/collections/releases/items", HTTP_ACCEPT="text/html,application/xhtml+xml,*/*;q=0.8"
    )

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert release.reference in response.content.decode()
    assert "<script>" not in response.content.decode()
    assert "style=" not in response.content.decode()


def test_one_feature_as_html_and_as_geojson_with_its_links(client):
    release = factories.release(square_inside_district("464"))
    url = f"/ogc/collections/releases/items/{release.id}"

    page = client.get(f"{url}?f=html")
    feature = get(client, url)

    assert page["Content-Type"].startswith("text/html")
    assert release.reference in page.content.decode()
    assert page["Cache-Control"] == "no-store"
    assert feature["type"] == "Feature"
    links = {link["rel"]: link for link in feature["links"]}
    assert links["self"]["type"] == "application/geo+json"
    assert links["alternate"]["type"] == "text/html"
    assert links["collection"]["href"].endswith("/ogc/collections/releases?f=json")
