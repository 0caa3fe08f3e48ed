from datetime import date

import pytest

from app.registry.models import AdminUnit
from tests import factories

from .shapes import HUONG_HOA_LAT, HUONG_HOA_LON, ha, square

pytestmark = pytest.mark.django_db

LON, LAT = HUONG_HOA_LON, HUONG_HOA_LAT
ROW_KEYS = {"code", "name", "cha_ha", "released_ha", "cleared_ha", "reduced_ha", "cancelled_ha"}


def test_release_json_has_the_documented_shape_and_rounded_hectares(client):
    cha = square(LON, LAT, 0.01)
    cleared = square(LON, LAT, 0.004)
    factories.hazard(cha)
    factories.release(cleared, completed_on=date(2023, 12, 31))

    response = client.get("/api/v1/stats/release/", {"as_of": "2023-12-31", "by": "district"})

    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"as_of", "by", "boundary_set", "denominator", "rows", "total", "scope"}
    assert body["scope"] == {"records": "approved", "includes_submitted": False}
    assert (body["as_of"], body["by"], body["boundary_set"]) == ("2023-12-31", "district", "2019")
    assert "SHA excluded" in body["denominator"]
    huong_hoa = next(row for row in body["rows"] if row["code"] == "465")
    assert set(huong_hoa) == ROW_KEYS | {"released_pct"}
    assert huong_hoa["cha_ha"] == round(ha(cha), 2)
    assert huong_hoa["cleared_ha"] == pytest.approx(ha(cleared), abs=0.01)
    assert huong_hoa["released_pct"] == round(ha(cleared) / ha(cha) * 100, 1)
    assert set(body["total"]) == ROW_KEYS | {"released_pct", "sha_ha", "cleared_outside_cha_ha"}


def test_release_for_one_unit_and_404_for_an_unknown_code(client):
    one = client.get("/api/v1/stats/release/", {"as_of": "2023-12-31", "unit": "465"})
    unknown = client.get("/api/v1/stats/release/", {"as_of": "2023-12-31", "unit": "999"})

    assert [row["code"] for row in one.json()["rows"]] == ["465"]
    assert unknown.status_code == 404
    assert unknown.json()["parameter"] == "unit"


def test_clearance_json_has_the_documented_shape(client):
    factories.release(square(LON, LAT), completed_on=date(2023, 4, 1))
    factories.target(year=2023, value=100)

    body = client.get("/api/v1/stats/clearance/", {"year": 2023, "by": "commune"}).json()

    assert (body["year"], body["by"], body["boundary_set"]) == (2023, "commune", "2025")
    assert len(body["rows"]) == 78
    keys = {"code", "name", "cleared_ha", "target_ha", "pct_of_target", "spot_tasks"}
    assert set(body["rows"][0]) == keys | {"items_destroyed"}
    assert body["total"]["target_ha"] == 100
    assert body["total"]["pct_of_target"] == round(ha(square(LON, LAT)), 1)


def test_progress_json_has_one_row_per_year(client):
    body = client.get("/api/v1/stats/progress/", {"from": 2016, "to": 2025}).json()

    assert (body["from"], body["to"], body["boundary_set"]) == (2016, 2025, "2019")
    assert [row["year"] for row in body["rows"]] == list(range(2016, 2026))
    assert {"cleared_ha", "newly_released_ha", "released_pct", "villages_surveyed_pct"} <= set(
        body["rows"][0]
    )


@pytest.mark.parametrize(
    ("url", "query", "parameter"),
    [
        ("/api/v1/stats/release/", {}, "as_of"),
        ("/api/v1/stats/release/", {"as_of": "31/12/2023"}, "as_of"),
        ("/api/v1/stats/release/", {"as_of": "2023-12-31", "by": "village"}, "by"),
        (
            "/api/v1/stats/release/",
            {"as_of": "2023-12-31", "by": "district", "boundary_set": "2025"},
            "boundary_set",
        ),
        ("/api/v1/stats/release/", {"as_of": "2023-12-31", "asof": "x"}, "asof"),
        ("/api/v1/stats/clearance/", {"year": "twenty"}, "year"),
        ("/api/v1/stats/clearance/", {"year": 2023, "by": "province"}, "by"),
        ("/api/v1/stats/clearance/", {"year": 2023, "boundary_set": "1999"}, "boundary_set"),
        ("/api/v1/stats/progress/", {"from": 2016}, "to"),
        ("/api/v1/stats/progress/", {"from": 2020, "to": 2019}, "to"),
        ("/api/v1/stats/progress/", {"from": 1900, "to": 2019}, "from"),
    ],
)
def test_bad_parameters_get_a_400_naming_the_parameter(client, url, query, parameter):
    response = client.get(url, query)

    assert response.status_code == 400
    assert response.json()["parameter"] == parameter
    assert response.json()["error"]


@pytest.mark.parametrize(
    ("url", "query"),
    [
        ("/api/v1/stats/release/", {"as_of": "2023-12-31"}),
        ("/api/v1/stats/clearance/", {"year": 2023}),
        ("/api/v1/stats/progress/", {"from": 2016, "to": 2025}),
    ],
)
def test_a_format_the_statistics_lack_is_a_400_naming_format_and_the_formats(client, url, query):
    response = client.get(url, {**query, "format": "pdf"})

    assert response.status_code == 400
    assert response.json() == {
        "error": "format: 'pdf' is not a format of this endpoint; it answers json, csv, xlsx",
        "parameter": "format",
    }
    assert client.get(url, {**query, "format": "json"}).status_code == 200


def test_the_schema_documents_the_stats_parameters(client):
    schema = client.get("/api/v1/schema/", {"format": "json"}).json()

    parameters = schema["paths"]["/api/v1/stats/progress/"]["get"]["parameters"]
    assert {p["name"] for p in parameters} == {
        "from",
        "to",
        "boundary_set",
        "include",
        "as_recorded",
        "format",
    }
    file_format = next(p for p in parameters if p["name"] == "format")
    assert sorted(file_format["schema"]["enum"]) == ["csv", "json", "xlsx"]
    release = schema["paths"]["/api/v1/stats/release/"]["get"]["parameters"]
    assert {"as_of", "by", "boundary_set", "unit", "include", "as_recorded"} <= {
        p["name"] for p in release
    }
    clearance = schema["paths"]["/api/v1/stats/clearance/"]["get"]["parameters"]
    include = next(p for p in clearance if p["name"] == "include")
    assert include["schema"]["enum"] == ["submitted"]


def test_an_english_reader_gets_the_units_english_names(client):
    english = client.get(
        "/api/v1/stats/release/", {"as_of": "2023-12-31"}, HTTP_ACCEPT_LANGUAGE="en"
    ).json()
    vietnamese = client.get(
        "/api/v1/stats/release/", {"as_of": "2023-12-31"}, HTTP_ACCEPT_LANGUAGE="vi"
    ).json()
    names = {unit.code: unit for unit in AdminUnit.objects.filter(boundary_set="2019")}
    for row in english["rows"]:
        assert row["name"] == names[row["code"]].name_en
    for row in vietnamese["rows"]:
        assert row["name"] == names[row["code"]].name_vi
    assert english["total"]["name"] == names["45"].name_en


def test_a_day_not_yet_come_is_refused_as_recorded(client):
    response = client.get(
        "/api/v1/stats/release/", {"as_of": "2023-12-31", "as_recorded": "2999-01-01"}
    )
    assert response.status_code == 400
    assert response.json()["parameter"] == "as_recorded"


def test_the_api_documentation_needs_a_sign_in(anonymous_client, client):
    assert anonymous_client.get("/api/v1/schema/").status_code == 401
    assert anonymous_client.get("/api/v1/docs/").status_code == 401
    assert client.get("/api/v1/schema/").status_code == 200
