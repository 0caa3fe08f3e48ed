"""Who gets which records in an export: what the list would show them, in every format.

Two organisations, records in every review state: an export holds approved records by default;
with include=submitted, an analyst's holds everyone's submitted work and a field coordinator's
only their own organisation's, never another's; drafts, rejected and deleted records never; an
account limited to aggregates gets no exact position at all."""

import io

import openpyxl
import pytest
from shapely import box

from tests import factories
from tests.exports.conftest import FORMAT_NAMES

pytestmark = pytest.mark.django_db

SQUARE = box(107.0, 16.8, 107.01, 16.81)


@pytest.fixture
def releases() -> dict[str, int]:
    return factories.releases_in_every_state(SQUARE)


def names(export, releases) -> set[str]:
    ids = export.ids()
    return {name for name, pk in releases.items() if pk in ids}


@pytest.mark.parametrize("fmt", FORMAT_NAMES)
def test_an_export_holds_approved_records_by_default(client, releases, exported, fmt):
    export = exported(client, f"/api/v1/releases/?format={fmt}", fmt)

    assert names(export, releases) == {"npa approved", "mag approved"}


@pytest.mark.parametrize("fmt", FORMAT_NAMES)
def test_a_coordinator_exports_their_own_submitted_work_never_anothers(releases, exported, fmt):
    coordinator = factories.signed_in("field_coordinator", org="npa")

    export = exported(coordinator, f"/api/v1/releases/?format={fmt}&include=submitted", fmt)

    assert names(export, releases) == {"npa approved", "mag approved", "npa submitted"}


def test_an_analyst_exports_everyones_submitted_work(client, releases, exported):
    export = exported(client, "/api/v1/releases/?format=gpkg&include=submitted", "gpkg")

    assert names(export, releases) == {
        "npa approved",
        "mag approved",
        "npa submitted",
        "mag submitted",
    }


def test_the_export_says_whose_submitted_work_it_holds(releases, exported):
    coordinator = factories.signed_in("field_coordinator", org="npa")

    export = exported(coordinator, "/api/v1/releases/?format=xlsx&include=submitted", "xlsx")

    sheet = openpyxl.load_workbook(io.BytesIO(export.raw))["export"]
    said = {row[0]: row[1] for row in sheet.iter_rows(values_only=True) if row[0]}
    assert said["records"] == "approved records and work submitted for review by npa"
    assert said["collection"] == "releases"
    assert said["exported by"].startswith("field_coordinator-")


@pytest.mark.parametrize("role", ["planner", "administrator"])
def test_roles_that_read_approved_data_cannot_export_submitted_work(releases, role):
    response = factories.signed_in(role).get("/api/v1/releases/?format=csv&include=submitted")

    assert response.status_code == 403


@pytest.mark.parametrize("fmt", FORMAT_NAMES)
@pytest.mark.parametrize("layer", ["releases", "hazards", "spot-tasks"])
def test_an_aggregates_only_account_gets_no_exact_position(releases, fmt, layer):
    planner = factories.signed_in("planner", aggregates_only=True)

    response = planner.get(f"/api/v1/{layer}/?format={fmt}")

    assert response.status_code == 403
    assert "aggregates only" in response.json()["error"]


def test_an_aggregates_only_account_exports_villages_as_it_lists_them(exported):
    factories.village(106.9, 16.9, name="Hướng Hóa")
    planner = factories.signed_in("planner", aggregates_only=True)

    export = exported(planner, "/api/v1/villages/?format=csv", "csv")

    assert [row["name_vi"] for row in export.rows] == ["Hướng Hóa"]


def test_an_anonymous_visitor_gets_no_export(anonymous_client, releases):
    assert anonymous_client.get("/api/v1/releases/?format=gpkg").status_code in (401, 403)


def test_an_export_is_not_kept_by_any_cache(client, releases):
    response = client.get("/api/v1/releases/?format=gpkg")

    assert "no-store" in response["Cache-Control"]


def test_the_export_says_which_filters_selected_it(client, releases, exported):
    export = exported(
        client, "/api/v1/releases/?format=xlsx&organisation=npa&bbox=106.9,16.7,107.1,16.9", "xlsx"
    )

    sheet = openpyxl.load_workbook(io.BytesIO(export.raw))["export"]
    said = {row[0]: row[1] for row in sheet.iter_rows(values_only=True) if row[0]}
    assert said["filters"] == "organisation=npa, bbox=106.9,16.7,107.1,16.9"
    assert said["records"] == "approved records"
    assert said["coordinate system"] == "EPSG:4326 (WGS 84)"
