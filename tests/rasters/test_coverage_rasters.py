"""Coverage rasters (/api/v1/rasters/<layer>.tif), read back with rasterio: a Cloud-Optimised
GeoTIFF of shares whose sum × cell area is the release report's hectares (and the hectares of
the shapes, measured with pyproj.Geod); the unit filter; the reading scopes; the refusals."""

import datetime as dt
from datetime import date

import numpy as np
import pytest
import shapely
from django.test import Client
from django.utils import timezone
from pyproj import Transformer
from rasterio.io import MemoryFile

from app.accounting.selectors import release_report
from tests import factories
from tests.accounting.shapes import HUONG_HOA_LAT, HUONG_HOA_LON, district, ha, square
from tests.history_clock import backdate_history

pytestmark = pytest.mark.django_db

LON, LAT = HUONG_HOA_LON, HUONG_HOA_LAT
CHA = square(LON, LAT, 0.02)
CLEARED = square(LON - 0.01, LAT - 0.01, 0.006)
REDUCED = square(LON - 0.004, LAT - 0.01, 0.006)
CANCELLED = square(LON + 0.018, LAT + 0.01, 0.005)
AS_OF = date(2023, 12, 31)
RELEASED_URL = "/api/v1/rasters/released.tif"
REMAINING_URL = "/api/v1/rasters/remaining.tif"


@pytest.fixture
def released_three_ways():
    factories.hazard(CHA)
    factories.release(CLEARED, method="cleared", completed_on=date(2022, 3, 1))
    factories.release(REDUCED, method="reduced", completed_on=date(2022, 6, 1))
    factories.release(CANCELLED, method="cancelled", completed_on=date(2023, 5, 1))
    # After as_of: not in the rasters.
    factories.release(square(LON + 0.01, LAT - 0.01, 0.004), completed_on=date(2024, 2, 1))


def in_utm(geometry):
    to_utm = Transformer.from_crs(4326, 32648, always_xy=True)
    return shapely.transform(geometry, lambda xy: np.column_stack(to_utm.transform(*xy.T)))


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def read_raster(response):
    """The response's file opened with rasterio (the caller closes both)."""
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("image/tiff")
    memory = MemoryFile(b"".join(response.streaming_content))
    return memory, memory.open()


def hectares_of(band: np.ndarray, resolution_m: float) -> float:
    """Sum of share × cell area over the cells inside the area, in hectares."""
    return float(band[band >= 0].sum(dtype=np.float64)) * resolution_m * resolution_m / 10_000


def test_the_released_raster_is_a_cog_whose_shares_sum_to_the_report(client, released_three_ways):
    response = client.get(RELEASED_URL, {"as_of": AS_OF.isoformat()})

    memory, raster = read_raster(response)
    with memory, raster:
        assert raster.count == 5
        assert raster.descriptions == (
            "share of the cell that is CHA",
            "share of the cell released (any method)",
            "share of the cell released by clearance",
            "share of the cell released by technical survey (reduced)",
            "share of the cell released by non-technical survey (cancelled)",
        )
        assert raster.crs.to_epsg() == 32648
        assert raster.nodata == -1
        assert raster.res == (100.0, 100.0)
        assert raster.profile["tiled"] is True
        assert raster.block_shapes[0] == (256, 256)
        assert raster.overviews(1), "no overviews"
        assert raster.tags(ns="IMAGE_STRUCTURE").get("LAYOUT") == "COG"
        tags = raster.tags()
        assert tags["as_of"] == "2023-12-31"
        assert '"records": "approved"' in tags["scope"]
        assert "share of the cell" in tags["units"]
        bands = raster.read()

    report = release_report(as_of=AS_OF, by="province", boundary_set="2019").total
    figures = [
        report.cha_ha,
        report.released_ha,
        report.cleared_ha,
        report.reduced_ha,
        report.cancelled_ha,
    ]
    for band, report_ha in zip(bands, figures, strict=True):
        assert hectares_of(band, 100) == pytest.approx(report_ha, rel=0.005)
    # And the shapes themselves, measured independently of the SQL.
    released = CHA.intersection(shapely.union_all([CLEARED, REDUCED, CANCELLED]))
    assert hectares_of(bands[0], 100) == pytest.approx(ha(CHA), rel=0.005)
    assert hectares_of(bands[1], 100) == pytest.approx(ha(released), rel=0.005)
    assert hectares_of(bands[4], 100) == pytest.approx(
        ha(CHA.intersection(CANCELLED).difference(CLEARED.union(REDUCED))), rel=0.005
    )
    assert bands.max() <= 1.0
    # Cells outside the province are nodata, those inside without land 0.
    assert (bands[0] == -1).any() and (bands[0] == 0).any()


def test_each_share_is_the_cells_area_under_the_land(client, released_three_ways):
    """A cell wholly inside the land is 1; one its edge crosses holds the planar share."""
    response = client.get(REMAINING_URL, {"as_of": AS_OF.isoformat(), "resolution": "250"})

    memory, raster = read_raster(response)
    with memory, raster:
        remaining = raster.read(1)
        land = in_utm(CHA.difference(shapely.union_all([CLEARED, REDUCED, CANCELLED])))
        window = raster.window(*land.buffer(500).bounds).round_offsets().round_lengths()
        checked = {"whole": 0, "part": 0, "none": 0}
        for row in range(window.row_off, window.row_off + window.height):
            for column in range(window.col_off, window.col_off + window.width):
                cell = shapely.box(*raster.window_bounds(((row, row + 1), (column, column + 1))))
                share = cell.intersection(land).area / cell.area
                assert remaining[row, column] == pytest.approx(share, abs=1e-5)
                checked["whole" if share == 1 else "part" if share > 0 else "none"] += 1
    assert min(checked.values()) > 10, checked


def test_the_remaining_raster_sums_to_the_cha_not_yet_released(client, released_three_ways):
    response = client.get(REMAINING_URL, {"as_of": AS_OF.isoformat()})

    memory, raster = read_raster(response)
    with memory, raster:
        assert raster.count == 1
        assert raster.descriptions == ("share of the cell that is CHA not yet released",)
        remaining = raster.read(1)

    report = release_report(as_of=AS_OF, by="province", boundary_set="2019").total
    assert hectares_of(remaining, 100) == pytest.approx(
        report.cha_ha - report.released_ha, rel=0.005
    )


def test_a_unit_filter_covers_that_unit_only(client, released_three_ways):
    other = square(106.95, 16.75, 0.01)  # in Gio Linh or thereabouts, outside Hướng Hóa
    assert not district("465").intersects(other)
    factories.hazard(other)

    whole = client.get(RELEASED_URL, {"as_of": AS_OF.isoformat()})
    one = client.get(RELEASED_URL, {"as_of": AS_OF.isoformat(), "unit": "465"})

    memory, raster = read_raster(one)
    with memory, raster:
        cha = raster.read(1)
        bounds = raster.bounds
    whole_memory, whole_raster = read_raster(whole)
    with whole_memory, whole_raster:
        whole_cha = whole_raster.read(1)
    minx, miny, maxx, maxy = in_utm(district("465")).bounds
    assert minx - 100 < bounds.left < minx and maxx < bounds.right < maxx + 100
    assert miny - 100 < bounds.bottom < miny and maxy < bounds.top < maxy + 100
    report = release_report(as_of=AS_OF, by="district", unit_code="465")
    assert hectares_of(cha, 100) == pytest.approx(report.rows[0].cha_ha, rel=0.005)
    assert hectares_of(whole_cha, 100) == pytest.approx(ha(CHA) + ha(other), rel=0.005)


def test_another_crs_is_honoured(client, released_three_ways):
    response = client.get(
        RELEASED_URL, {"as_of": AS_OF.isoformat(), "crs": "EPSG:9212", "unit": "465"}
    )

    memory, raster = read_raster(response)
    with memory, raster:
        assert raster.crs.to_epsg() == 9212
        cha = raster.read(1)
    assert hectares_of(cha, 100) == pytest.approx(ha(CHA), rel=0.005)


NPA_SUBMITTED = square(LON + 0.01, LAT - 0.01, 0.004)
MAG_SUBMITTED = square(LON - 0.01, LAT + 0.01, 0.003)


@pytest.fixture
def two_organisations_pending():
    factories.hazard(CHA, org="npa")
    factories.release(CLEARED, completed_on=date(2023, 3, 1), org="npa")
    factories.release(NPA_SUBMITTED, completed_on=date(2023, 4, 1), org="npa", status="submitted")
    factories.release(MAG_SUBMITTED, completed_on=date(2023, 5, 1), org="mag", status="submitted")
    # Deleted releases, approved and submitted, inside the CHA apart from the rest: counted by
    # no scope.
    for deleted in (
        factories.release(square(LON + 0.01, LAT + 0.01, 0.003), completed_on=date(2023, 6, 1)),
        factories.release(
            square(LON, LAT + 0.015, 0.002),
            completed_on=date(2023, 7, 1),
            org="npa",
            status="submitted",
        ),
    ):
        type(deleted).objects.filter(pk=deleted.pk).update(deleted_at=timezone.now())


def released_ha(client: Client, **query) -> float:
    response = client.get(
        RELEASED_URL, {"as_of": AS_OF.isoformat(), "unit": "465", "resolution": 50, **query}
    )
    memory, raster = read_raster(response)
    with memory, raster:
        return hectares_of(raster.read(2), 50)


def test_submitted_releases_count_only_in_the_scopes_that_allow_them(
    client, two_organisations_pending
):
    coordinator = signed_in(factories.user("field_coordinator", org="npa"))

    assert released_ha(client) == pytest.approx(ha(CLEARED), rel=0.005)
    assert released_ha(client, include="submitted") == pytest.approx(
        ha(CLEARED) + ha(NPA_SUBMITTED) + ha(MAG_SUBMITTED), rel=0.005
    )
    assert released_ha(coordinator) == pytest.approx(ha(CLEARED), rel=0.005)
    assert released_ha(coordinator, include="submitted") == pytest.approx(
        ha(CLEARED) + ha(NPA_SUBMITTED), rel=0.005
    )


def test_as_recorded_reads_the_registry_as_it_stood_that_day(client):
    factories.hazard(CHA)
    factories.release(CLEARED, completed_on=date(2023, 3, 1))
    backdate_history(days=400)
    # Approved "today", long after the day asked for.
    factories.release(NPA_SUBMITTED, completed_on=date(2023, 4, 1))
    day = (dt.date.today() - dt.timedelta(days=200)).isoformat()

    assert released_ha(client, as_recorded=day) == pytest.approx(ha(CLEARED), rel=0.005)
    assert released_ha(client) == pytest.approx(ha(CLEARED) + ha(NPA_SUBMITTED), rel=0.005)


def test_a_planner_is_refused_submitted_work(planner, two_organisations_pending):
    response = signed_in(planner).get(
        RELEASED_URL, {"as_of": AS_OF.isoformat(), "include": "submitted"}
    )

    assert response.status_code == 403
    assert "include=submitted is for analysts and field coordinators" in response.json()["error"]


def test_an_aggregates_only_user_gets_coarse_cells_only(released_three_ways):
    limited = signed_in(factories.user("planner", aggregates_only=True))

    fine = limited.get(RELEASED_URL, {"as_of": AS_OF.isoformat()})
    coarse = limited.get(RELEASED_URL, {"as_of": AS_OF.isoformat(), "resolution": 1000})

    assert fine.status_code == 403
    assert "aggregates only" in fine.json()["error"]
    assert "resolution=1000" in fine.json()["error"]
    memory, raster = read_raster(coarse)
    with memory, raster:
        assert raster.res == (1000.0, 1000.0)


def test_an_anonymous_visitor_is_refused(anonymous_client):
    response = anonymous_client.get(RELEASED_URL, {"as_of": AS_OF.isoformat()})

    assert response.status_code in (401, 403)


def test_the_file_is_not_kept_by_caches(client):
    factories.hazard(CHA)

    response = client.get(REMAINING_URL, {"as_of": AS_OF.isoformat(), "unit": "465"})

    assert "no-store" in response["Cache-Control"]
    assert 'filename="remaining-465-2023-12-31-100m.tif"' in response["Content-Disposition"]


@pytest.mark.parametrize("accept", ["image/tiff", "image/tiff, application/json", "*/*"])
def test_the_file_answers_whatever_the_accept_header_names(client, accept):
    factories.hazard(CHA)

    response = client.get(
        REMAINING_URL, {"as_of": AS_OF.isoformat(), "unit": "465"}, HTTP_ACCEPT=accept
    )

    assert response.status_code == 200
    assert response["Content-Type"].startswith("image/tiff")


@pytest.mark.parametrize(
    ("query", "parameter", "words"),
    [
        ({"resolution": "5"}, "resolution", "must be at least 10"),
        ({"resolution": "fine"}, "resolution", "number of metres"),
        ({"crs": "EPSG:4326"}, "crs", "not a projected coordinate system in metres"),
        ({"crs": "UTM48"}, "crs", "not an EPSG code"),
        ({"crs": "EPSG:999999"}, "crs", "not an EPSG code"),
        ({"as_of": "31/12/2023"}, "as_of", ""),
        ({"boundary_set": "2020"}, "boundary_set", "2019, 2025"),
        ({"colour": "red"}, "colour", "unknown parameter"),
        ({"resolution": "10"}, "resolution", "more than the 1,000,000 allowed"),
    ],
)
def test_bad_parameters_get_a_400_naming_them(client, settings, query, parameter, words):
    settings.RASTER_MAX_CELLS = 1_000_000

    response = client.get(RELEASED_URL, {"as_of": AS_OF.isoformat(), **query})

    assert response.status_code == 400
    body = response.json()
    assert body["parameter"] == parameter
    assert words in body["error"]


def test_a_missing_date_an_unknown_layer_and_an_unknown_unit_are_refused(client):
    missing = client.get(RELEASED_URL)
    unknown_layer = client.get("/api/v1/rasters/cleared.tif", {"as_of": AS_OF.isoformat()})
    unknown_unit = client.get(RELEASED_URL, {"as_of": AS_OF.isoformat(), "unit": "999"})

    assert missing.status_code == 400
    assert missing.json()["parameter"] == "as_of"
    assert unknown_layer.status_code == 404
    assert "released, remaining" in unknown_layer.json()["error"]
    assert unknown_unit.status_code == 404
    assert unknown_unit.json()["parameter"] == "unit"
