"""A few release-like features near Khe Sanh (Hướng Hóa district), and the batches the writers
take, in WGS 84 or reprojected by pyproj (the oracle) into another system."""

import datetime as dt

import pyproj
import pytest
import shapely
from shapely.geometry import MultiPolygon, Point, Polygon

from gis.exports.features import ExportField, ExportLayer, FeatureBatch

GEOD = pyproj.Geod(ellps="WGS84")

FIELDS = (
    ExportField("reference", "text", "Reference"),
    ExportField("organisation", "text", "Organisation"),
    ExportField("completed_on", "date", "Completion date"),
    ExportField("depth_cm", "integer", "Clearance depth (cm)"),
    ExportField("area_ha", "real", "Area (ha, geodesic)"),
)

SQUARE = Polygon([(106.73, 16.63), (106.7394, 16.63), (106.7394, 16.639), (106.73, 16.639)])
HOLE = [(106.732, 16.632), (106.734, 16.632), (106.734, 16.634), (106.732, 16.634)]
OTHER = Polygon([(107.0, 16.8), (107.01, 16.8), (107.01, 16.81), (107.0, 16.81)])
SMALL = Polygon([(106.85, 16.70), (106.851, 16.70), (106.851, 16.7012), (106.85, 16.7012)])

POLYGONS = [
    MultiPolygon([SQUARE]),
    MultiPolygon([Polygon(SQUARE.exterior.coords, [HOLE])]),
    MultiPolygon([SQUARE, OTHER]),
    MultiPolygon([SMALL]),
    MultiPolygon([OTHER]),
]


def oracle_ha(geometry) -> float:
    """Geodesic hectares on the WGS 84 ellipsoid, pyproj's own (holes subtracted)."""
    area, _perimeter = GEOD.geometry_area_perimeter(shapely.orient_polygons(geometry))
    return abs(area) / 10_000


ROWS = [
    {
        "reference": "QT-2024-HH-001",
        "organisation": "Hướng Hóa NPA",
        "completed_on": dt.date(2024, 3, 31),
        "depth_cm": 30,
        "area_ha": round(oracle_ha(POLYGONS[0]), 2),
    },
    {
        "reference": "QT-2024-HH-002",
        "organisation": "Đakrông MAG",
        "completed_on": dt.date(2024, 12, 1),
        "depth_cm": None,
        "area_ha": round(oracle_ha(POLYGONS[1]), 2),
    },
    {
        "reference": "QT-2023-VL-003",
        "organisation": 'Vĩnh Linh, "RENEW"',
        "completed_on": None,
        "depth_cm": 100,
        "area_ha": round(oracle_ha(POLYGONS[2]), 2),
    },
    {
        "reference": "QT-2023-GL-004",
        "organisation": "Gio Linh\nPeaceTrees",
        "completed_on": dt.date(2023, 1, 1),
        "depth_cm": 0,
        "area_ha": round(oracle_ha(POLYGONS[3]), 2),
    },
    {
        "reference": "QT-2022-CL-005",
        "organisation": None,
        "completed_on": dt.date(2022, 6, 15),
        "depth_cm": 50,
        "area_ha": round(oracle_ha(POLYGONS[4]), 2),
    },
]

METADATA = {
    "collection": "releases",
    "filters": "organisation=npa",
    "scope": "approved records",
    "as of": "2026-12-05 12:00 +07:00",
    "who": "analyst Nguyễn Văn A",
    "when": "2026-12-05 12:00 +07:00",
}


def reprojected(geometries, epsg: int):
    transformer = pyproj.Transformer.from_crs(4326, epsg, always_xy=True)
    return [shapely.transform(g, transformer.transform, interleaved=False) for g in geometries]


def batches_of(geometries, rows, *, epsg: int = 4326, size: int = 2) -> list[FeatureBatch]:
    """The features in batches of ``size``, geometries in ``epsg``, centroids in degrees."""
    target = geometries if epsg == 4326 else reprojected(geometries, epsg)
    batches = []
    for start in range(0, len(rows), size):
        part = slice(start, start + size)
        centroids = [g.centroid for g in geometries[part]]
        batches.append(
            FeatureBatch(
                geometries_wkb=[shapely.to_wkb(g) for g in target[part]],
                columns={f.name: [row[f.name] for row in rows[part]] for f in FIELDS},
                centroid_lon=[c.x for c in centroids],
                centroid_lat=[c.y for c in centroids],
            )
        )
    return batches


def release_layer(epsg: int = 4326, geometry_type: str = "MultiPolygon") -> ExportLayer:
    return ExportLayer(
        name="releases",
        fields=FIELDS,
        geometry_type=geometry_type,
        epsg=epsg,
        metadata=METADATA,
        title_field="reference",
    )


@pytest.fixture
def release_batches():
    return batches_of(POLYGONS, ROWS)


POINTS = [Point(106.70 + i / 100, 16.60 + i / 200) for i in range(len(ROWS))]
