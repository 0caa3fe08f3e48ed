"""Reading an export back the way its reader would: GDAL (pyogrio) for GeoPackage, zipped
Shapefile and KML, openpyxl for Excel, Python's csv for CSV."""

import csv
import io
import zipfile
from dataclasses import dataclass

import openpyxl
import pyogrio
import pyproj
import pytest
import shapely

from gis.exports import FORMATS

GEOD = pyproj.Geod(ellps="WGS84")
FORMAT_NAMES = sorted(FORMATS)
# The formats that carry each geometry whole (Excel carries the centroid and the area).
GEOMETRY_FORMATS = ["csv", "gpkg", "kml", "shp"]


def oracle_ha(geometry) -> float:
    area, _perimeter = GEOD.geometry_area_perimeter(shapely.orient_polygons(geometry))
    return abs(area) / 10_000


@dataclass
class Export:
    """An export as read back: one dict per feature (``id``, the properties, ``geometry`` in
    the file's system where the format has one), the file's EPSG code, the file name."""

    rows: list[dict]
    epsg: int | None
    filename: str
    raw: bytes

    def ids(self) -> set[int]:
        return {int(row["id"]) for row in self.rows}

    def by_id(self) -> dict[int, dict]:
        return {int(row["id"]): row for row in self.rows}


def read_export(response, fmt: str, folder) -> Export:
    assert response.status_code == 200, getattr(response, "content", b"")[:500]
    raw = b"".join(response.streaming_content)
    disposition = response["Content-Disposition"]
    filename = disposition.split('filename="')[1].rstrip('"')
    assert response["Content-Type"] == FORMATS[fmt].media_type
    path = folder / filename
    path.write_bytes(raw)
    if fmt == "csv":
        assert raw.startswith(b"\xef\xbb\xbf")
        reader = csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline=""))
        rows = [{**row, "geometry": shapely.from_wkt(row["wkt"])} for row in reader]
        return Export(rows=rows, epsg=None, filename=filename, raw=raw)
    if fmt == "xlsx":
        workbook = openpyxl.load_workbook(path)
        sheet = workbook.worksheets[0]
        # The header holds the labels; the export sheet maps them to the names.
        export = list(workbook["export"].iter_rows(values_only=True))
        start = export.index(("name", "type", "label")) + 1
        names = {label: name for name, _type, label in export[start:]}
        header, *values = list(sheet.iter_rows(values_only=True))
        columns = [names.get(label, label) for label in header]
        rows = [dict(zip(columns, row, strict=True)) for row in values]
        return Export(rows=rows, epsg=None, filename=filename, raw=raw)
    source = str(path)
    layer = None
    if fmt == "shp":
        with zipfile.ZipFile(path) as archive:
            shp = next(name for name in archive.namelist() if name.endswith(".shp"))
        source = f"/vsizip/{path}/{shp}"
    else:
        layer = next(name for name, _type in pyogrio.list_layers(path) if _type is not None)
    frame = pyogrio.read_dataframe(source, layer=layer)
    if fmt == "kml":
        # GDAL's LIBKML reader names the placemark's own id "id" and ours, which follows, "id2";
        # the reference is the placemark's name.
        frame = frame.drop(columns="id").rename(columns={"id2": "id", "Name": "reference"})
    rows = [
        {**{k: v for k, v in row.items() if k != "geometry"}, "geometry": row["geometry"]}
        for row in frame.to_dict("records")
    ]
    return Export(rows=rows, epsg=frame.crs.to_epsg(), filename=filename, raw=raw)


@pytest.fixture
def exported(tmp_path):
    """GET an export with a client and read it back: ``exported(client, url, fmt)``."""

    def get(client, url: str, fmt: str) -> Export:
        response = client.get(url)
        assert response.status_code == 200, response.content if hasattr(response, "content") else ""
        return read_export(response, fmt, tmp_path)

    return get


def in_wgs84(geometry, epsg: int | None):
    if epsg in (None, 4326):
        return geometry
    transformer = pyproj.Transformer.from_crs(epsg, 4326, always_xy=True)
    return shapely.transform(geometry, transformer.transform, interleaved=False)
