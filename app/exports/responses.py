"""An export as an HTTP answer: the file written to a temporary folder, then sent and removed.

Called by the GeoJSON lists (``/api/v1/releases/?format=gpkg``, app.api.views) and meant for
the OGC items (``/ogc/collections/<id>/items?f=gpkg``): the caller checks who may read the layer
(as for its list) and chooses the reading scope; ``export_response`` does the rest.
"""

import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

from django.http import FileResponse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext
from pyproj import CRS

from app.api.selectors.features import DateInterval, FeatureFilters, JoinedProperties
from app.api.selectors.layers import Layer
from app.exports.selectors import feature_source
from app.registry.scopes import ReadingScope, reading
from gis.exports import FORMATS
from gis.exports.features import ExportLayer
from gis.exports.shapefile_zip import ShapefileTooLarge

# The systems an export may be asked in: WGS 84 (lon/lat degrees), WGS 84 / UTM 48N, VN-2000 /
# UTM 48N and VN-2000 / TM-3 106°15' (Quảng Trị's government maps). Each is in PostGIS'
# spatial_ref_sys (9212 added by migrations/registry/0006; tests/exports checks them all).
EXPORT_EPSG_CODES = (4326, 32648, 3405, 9212)
WGS84 = 4326

# Filters in the order the metadata lists them.
FILTER_ORDER = (
    "organisation",
    "year",
    "method",
    "kind",
    "level",
    "boundary_set",
    "admin_unit",
    "bbox",
)


class ExportRefused(ValueError):
    """A format or system the exports do not offer: a 400 naming the parameter."""

    def __init__(self, *, parameter: str, message: str):
        self.parameter = parameter
        self.message = message
        super().__init__(message)


def export_response(
    *,
    layer: Layer,
    filters: FeatureFilters,
    fmt: str,
    crs: int = WGS84,
    scope: ReadingScope,
    user,
    collection: str | None = None,
    source: tuple[str, dict] | Callable[[], tuple[str, dict] | None] | None = None,
    joined: JoinedProperties | Callable[[], JoinedProperties | None] | None = None,
) -> FileResponse:
    """Every feature of ``layer`` that its list shows with ``filters`` in ``scope``, as a file.

    - ``fmt``: ``gpkg``, ``shp`` (zipped), ``csv``, ``xlsx`` or ``kml`` (gis.exports.FORMATS);
    - ``crs``: an EPSG code of ``EXPORT_EPSG_CODES``; KML is always WGS 84 (EPSG:4326), whatever
      is asked;
    - ``scope``: the records to read (``policy.reading_scope(user, include_submitted=...)``);
    - ``user``: who exported, written in the file's metadata with what, when and how;
    - ``collection``: the name of the file and of its layer (default: the layer's name);
    - ``source``, ``joined``: as for ``feature_page`` (an OGC collection's derived land, the
      units' release figures), passed to ``feature_source``; either may be a function without
      arguments, called inside the reading (``derived_land_sql`` must be built there).

    The caller has checked that ``user`` may read ``layer`` (the list's permissions). The file is
    written whole to a private temporary folder before the answer starts (an error is then still
    an error answer, never half a file); the folder is removed at once and the open file goes
    when the answer has been sent. Raises ExportRefused for an unknown format or system or a
    shapefile past its 2 GB limit, and what ``feature_source`` raises for bad filters.
    """
    export_format = FORMATS.get(fmt)
    if export_format is None:
        raise ExportRefused(
            parameter="format",
            message=gettext("%(given)r is not an export format; choose one of %(formats)s")
            % {"given": fmt, "formats": ", ".join(FORMATS)},
        )
    if crs not in EXPORT_EPSG_CODES:
        raise ExportRefused(
            parameter="crs",
            message=gettext("EPSG:%(given)s is not offered; choose one of %(systems)s")
            % {"given": crs, "systems": ", ".join(f"EPSG:{code}" for code in EXPORT_EPSG_CODES)},
        )
    epsg = export_format.fixed_epsg or crs
    name = slugify(collection or layer.name) or "features"
    exported_at = timezone.localtime()
    filename = f"{name}-{exported_at.date().isoformat()}{export_format.extension}"
    folder = Path(tempfile.mkdtemp(prefix="landrelease-export-"))
    try:
        path = folder / filename
        with (
            reading(scope),
            feature_source(
                layer,
                filters=filters,
                srid=epsg,
                source=source() if callable(source) else source,
                joined=joined() if callable(joined) else joined,
            ) as features,
        ):
            export_layer = ExportLayer(
                name=name,
                fields=features.fields,
                geometry_type=features.geometry_type,
                epsg=epsg,
                metadata=export_metadata(
                    collection=collection or layer.name,
                    filters=filters,
                    scope=scope,
                    epsg=epsg,
                    user=user,
                    exported_at=exported_at,
                ),
                title_field=_title_field(features.fields),
            )
            try:
                export_format.write(features.batches, layer=export_layer, destination=path)
            except ShapefileTooLarge:
                raise ExportRefused(
                    parameter="format",
                    message=gettext(
                        "these features make a shapefile over 2 GB, the format's limit; "
                        "choose format=gpkg, or filter fewer features"
                    ),
                ) from None
        # Open, then remove: the open file stays readable until the answer closes it.
        file = path.open("rb")
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    response = FileResponse(
        file, as_attachment=True, filename=filename, content_type=export_format.media_type
    )
    # Restricted records, whoever may read them: no cache keeps a copy (app.accounts.headers).
    response["Cache-Control"] = "no-store"
    return response


def export_metadata(
    *, collection: str, filters: FeatureFilters, scope: ReadingScope, epsg: int, user, exported_at
) -> dict[str, str]:
    """What an export says of itself (the Excel "export" sheet, the GeoPackage's ``export``
    table, the zip's export.csv), in the reader's language."""
    description = scope.describe()
    records = gettext("approved records")
    if description["includes_submitted"]:
        whose = description.get("submitted_by")
        records = (
            gettext("approved records and work submitted for review by %(organisations)s")
            % {"organisations": ", ".join(whose)}
            if whose
            else gettext("approved records and work submitted for review")
        )
    as_of = (
        gettext("the registry as recorded at %(moment)s") % {"moment": description["as_recorded"]}
        if "as_recorded" in description
        else exported_at.isoformat(timespec="seconds")
    )
    return {
        gettext("collection"): collection,
        gettext("filters"): describe_filters(filters) or gettext("none"),
        gettext("records"): records,
        gettext("as of"): as_of,
        gettext("coordinate system"): f"EPSG:{epsg} ({CRS.from_epsg(epsg).name})",
        gettext("areas"): gettext("area_ha: geodesic hectares on the WGS 84 ellipsoid"),
        gettext("centroids"): gettext("centroid_lon, centroid_lat: WGS 84 degrees"),
        gettext("exported by"): user.get_username(),
        gettext("exported at"): exported_at.isoformat(timespec="seconds"),
    }


def describe_filters(filters: FeatureFilters) -> str:
    """The filters as a query string would give them: ``organisation=npa, year=2024``; those
    of FILTER_ORDER first, then any other the filters gained since, by name."""
    used = filters.used()
    names = [name for name in FILTER_ORDER if name in used]
    names += sorted(used - set(FILTER_ORDER))
    parts = []
    for name in names:
        value = getattr(filters, name)
        if name == "bbox":
            value = f"{value.min_lon},{value.min_lat},{value.max_lon},{value.max_lat}"
        if isinstance(value, DateInterval):
            value = f"{value.start or '..'}/{value.end or '..'}"
        if name == "admin_unit" and filters.admin_unit_boundary_set:
            value = f"{value} ({filters.admin_unit_boundary_set})"
        parts.append(f"{name}={value}")
    return ", ".join(parts)


def _title_field(fields) -> str | None:
    names = {f.name for f in fields}
    return next((name for name in ("reference", "code") if name in names), None)
