"""The statistics as CSV and Excel (``format=csv|xlsx``): read back with Python's csv and
openpyxl, the figures equal the JSON's, numbers are numbers (hectares 2 places, percentages 1),
headers speak the reader's language, and the scope travels with the figures: a coordinator's
``include=submitted`` counts their own pending work and never another organisation's."""

import csv
import io
from datetime import date

import openpyxl
import pytest
from django.test import Client

from app.registry.models import Organisation
from tests import factories

from .shapes import HUONG_HOA_LAT, HUONG_HOA_LON, ha, square

pytestmark = pytest.mark.django_db

LON, LAT = HUONG_HOA_LON, HUONG_HOA_LAT
CHA = square(LON, LAT, 0.02)
APPROVED = square(LON - 0.01, LAT - 0.01, 0.004)
NPA_SUBMITTED = square(LON + 0.01, LAT - 0.01, 0.004)
MAG_SUBMITTED = square(LON - 0.01, LAT + 0.01, 0.003)

ENDPOINTS = [
    ("/api/v1/stats/release/", {"as_of": "2023-12-31"}),
    ("/api/v1/stats/clearance/", {"year": 2023}),
    ("/api/v1/stats/progress/", {"from": 2022, "to": 2023}),
]


@pytest.fixture
def work():
    factories.hazard(CHA)
    factories.release(APPROVED, completed_on=date(2023, 3, 1), org="npa")
    factories.release(NPA_SUBMITTED, completed_on=date(2023, 4, 1), org="npa", status="submitted")
    factories.release(MAG_SUBMITTED, completed_on=date(2023, 5, 1), org="mag", status="submitted")
    factories.target(year=2023, value=40)


def _csv(response) -> list[dict]:
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.content.startswith(b"\xef\xbb\xbf")
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


def _xlsx(response) -> openpyxl.Workbook:
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    return openpyxl.load_workbook(io.BytesIO(response.content))


def _json_rows(client, url, query) -> list[dict]:
    body = client.get(url, query).json()
    return [*body["rows"], body["total"]]


# Which JSON field each English header shows, for the comparisons below.
FIELDS = {
    "Code": "code",
    "Name": "name",
    "Year": "year",
    "Confirmed hazardous area, CHA (ha)": "cha_ha",
    "CHA released (ha)": "released_ha",
    "CHA released by the year's end (ha)": "released_ha",
    "Cleared (ha)": "cleared_ha",
    "of which cleared (ha)": "cleared_ha",
    "of which reduced (ha)": "reduced_ha",
    "of which cancelled (ha)": "cancelled_ha",
    "Released %": "released_pct",
    "Suspected hazardous area, SHA (ha)": "sha_ha",
    "Cleared outside every CHA (ha)": "cleared_outside_cha_ha",
    "Target (ha)": "target_ha",
    "% of target": "pct_of_target",
    "Surveyed: cancelled or reduced (ha)": "surveyed_ha",
    "Survey target (ha)": "surveyed_target_ha",
    "% of survey target": "pct_of_surveyed_target",
    "Spot tasks": "spot_tasks",
    "Spot tasks target": "spot_tasks_target",
    "Items destroyed": "items_destroyed",
    "Items destroyed target": "items_destroyed_target",
    "CHA newly released in the year (ha)": "newly_released_ha",
    "Villages surveyed": "villages_surveyed",
    "Villages surveyed %": "villages_surveyed_pct",
}


def _same_value(shown, expected, field: str) -> bool:
    if shown == "Total":
        # The total row's label, in the name column (the year column for progress).
        return field in ("name", "year")
    if expected is None:
        return shown in ("", None)
    if field in ("name", "code"):
        return str(shown) == str(expected)
    return float(shown) == pytest.approx(float(expected), abs=1e-9)


@pytest.mark.parametrize(("url", "query"), ENDPOINTS)
def test_the_csv_has_the_jsons_figures_and_total(client, work, url, query):
    rows = _csv(client.get(url, {**query, "format": "csv"}))
    expected = _json_rows(client, url, query)

    assert len(rows) == len(expected)
    for row, json_row in zip(rows, expected, strict=True):
        for header, field in FIELDS.items():
            if header in row:
                assert _same_value(row[header], json_row.get(field), field), (header, row)
    assert rows[-1].get("Name", rows[-1].get("Year")) == "Total"


@pytest.mark.parametrize(("url", "query"), ENDPOINTS)
def test_the_excel_file_has_the_jsons_figures_as_numeric_cells(client, work, url, query):
    book = _xlsx(client.get(url, {**query, "format": "xlsx"}))
    expected = _json_rows(client, url, query)

    sheet = book.worksheets[0]
    headers = [cell.value for cell in sheet[1]]
    rows = list(sheet.iter_rows(min_row=2))
    assert len(rows) == len(expected)
    for cells, json_row in zip(rows, expected, strict=True):
        for header, cell in zip(headers, cells, strict=True):
            field = FIELDS[header]
            assert _same_value(cell.value, json_row.get(field), field), (header, cell.value)
            if cell.value is not None and field.endswith("_ha"):
                assert isinstance(cell.value, int | float)
                assert cell.number_format == "0.00"
            if cell.value is not None and ("_pct" in field or field.startswith("pct_")):
                assert cell.number_format == "0.0"
    assert book.sheetnames == ["Figures", "About these figures"]


def test_the_csv_writes_hectares_with_two_decimals_and_percentages_with_one(client, work):
    rows = _csv(client.get("/api/v1/stats/release/", {"as_of": "2023-12-31", "format": "csv"}))

    huong_hoa = next(row for row in rows if row["Code"] == "465")
    assert huong_hoa["CHA released (ha)"] == f"{ha(APPROVED):.2f}"
    assert huong_hoa["Released %"] == f"{100 * ha(APPROVED) / ha(CHA):.1f}"


def test_the_file_is_named_for_the_report_and_its_parameters(client, work):
    response = client.get("/api/v1/stats/release/", {"as_of": "2023-12-31", "format": "xlsx"})

    assert response["Content-Disposition"] == (
        'attachment; filename="landrelease-release-2023-12-31-district-2019.xlsx"'
    )


def test_the_scope_and_the_denominator_are_written_on_the_sheet(client, analyst, work):
    book = _xlsx(
        client.get(
            "/api/v1/stats/release/",
            {"as_of": "2023-12-31", "format": "xlsx", "include": "submitted"},
        )
    )

    about = dict(book["About these figures"].iter_rows(values_only=True))
    assert about["Records counted"] == (
        "approved records and submitted work not yet approved, of every organisation"
    )
    assert "union of the CHA polygons" in about["Released % is of"]
    assert about["Boundary set"] == "2019"
    assert about["As of"] == "2023-12-31"
    assert about["Downloaded by"] == analyst.username
    assert about["Made at"].startswith(date.today().isoformat()[:4])


def _signed_in(role: str, **profile) -> Client:
    client = Client()
    client.force_login(factories.user(role, **profile))
    return client


def _huong_hoa_released_ha(client, query) -> tuple[float, dict]:
    rows = _csv(client.get("/api/v1/stats/release/", {"as_of": "2023-12-31", **query}))
    row = next(row for row in rows if row["Code"] == "465")
    return float(row["CHA released (ha)"]), row


def test_a_coordinators_csv_with_submitted_counts_their_own_pending_work_only(work):
    coordinator = _signed_in("field_coordinator", org="npa")

    released, row = _huong_hoa_released_ha(coordinator, {"format": "csv", "include": "submitted"})

    assert released == pytest.approx(ha(APPROVED) + ha(NPA_SUBMITTED), abs=0.01)
    assert row["Records counted"] == (
        "approved records and submitted work not yet approved, of npa"
    )


def test_a_planners_csv_counts_approved_work_only(work):
    planner = _signed_in("planner")

    released, row = _huong_hoa_released_ha(planner, {"format": "csv"})

    assert released == pytest.approx(ha(APPROVED), abs=0.01)
    assert row["Records counted"] == "approved records only"
    refused = planner.get(
        "/api/v1/stats/release/",
        {"as_of": "2023-12-31", "format": "csv", "include": "submitted"},
    )
    assert refused.status_code == 403
    assert refused["Content-Type"] == "application/json"
    assert "Content-Disposition" not in refused


@pytest.mark.vietnamese
def test_a_vietnamese_reader_gets_vietnamese_headers(work):
    coordinator = _signed_in("field_coordinator", org="npa")

    response = coordinator.get("/api/v1/stats/release/", {"as_of": "2023-12-31", "format": "csv"})

    header = response.content.decode("utf-8-sig").splitlines()[0]
    assert header.startswith("Mã,Tên,")
    assert "Khu vực xác nhận có nguy hiểm, CHA (ha)" in header
    book = _xlsx(
        coordinator.get("/api/v1/stats/release/", {"as_of": "2023-12-31", "format": "xlsx"})
    )
    assert [cell.value for cell in book.worksheets[0][1]][:2] == ["Mã", "Tên"]


def test_an_english_profile_gets_english_headers_whatever_the_browser_says(work):
    user = factories.user("planner", language="en")
    client = Client()
    client.force_login(user)

    response = client.get(
        "/api/v1/stats/clearance/",
        {"year": 2023, "format": "csv"},
        HTTP_ACCEPT_LANGUAGE="vi",
    )

    assert response.content.decode("utf-8-sig").startswith("Code,Name,Cleared (ha)")


def test_a_bad_parameter_with_a_file_format_is_the_apis_json_400(client):
    response = client.get("/api/v1/stats/release/", {"as_of": "someday", "format": "csv"})

    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert response.json()["parameter"] == "as_of"


def test_a_name_that_looks_like_a_formula_stays_text(client):
    Organisation.objects.create(
        slug="evil", name='=HYPERLINK("http://example.invalid","x")', kind="ngo"
    )
    factories.release(APPROVED, completed_on=date(2023, 3, 1), org="evil")
    query = {"year": 2023, "by": "organisation"}

    rows = _csv(client.get("/api/v1/stats/clearance/", {**query, "format": "csv"}))
    book = _xlsx(client.get("/api/v1/stats/clearance/", {**query, "format": "xlsx"}))

    assert rows[0]["Name"] == '\'=HYPERLINK("http://example.invalid","x")'
    name = book.worksheets[0]["B2"]
    assert name.data_type == "s"
    assert name.value == '=HYPERLINK("http://example.invalid","x")'


def test_gdals_excel_reader_reads_the_figures_as_numbers(client, work, tmp_path):
    """A reader other than openpyxl (GDAL's XLSX driver, through pyogrio) finds numeric columns."""
    import pyogrio

    path = tmp_path / "release.xlsx"
    response = client.get("/api/v1/stats/release/", {"as_of": "2023-12-31", "format": "xlsx"})
    path.write_bytes(response.content)

    frame = pyogrio.read_dataframe(path, layer="Figures", read_geometry=False)

    assert frame["CHA released (ha)"].dtype.kind == "f"
    huong_hoa = frame[frame["Code"] == "465"].iloc[0]
    assert huong_hoa["CHA released (ha)"] == pytest.approx(ha(APPROVED), abs=0.01)
