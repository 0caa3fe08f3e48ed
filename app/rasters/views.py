"""``/api/v1/rasters/<layer>.tif``: coverage rasters of the derived land as Cloud-Optimised
GeoTIFFs (app.rasters.selectors computes the shares, gis.coverage_rasters writes the file).

Parse, check who may read what, compute in the reader's scope (the stats endpoints' scopes:
approved by default, include=submitted for those allowed, as_recorded), write the file to a
temporary folder and stream it: the file is unlinked once open, so nothing is left behind
whatever happens to the download.
"""

import json
import os
import tempfile

from django.conf import settings
from django.http import FileResponse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.decorators import api_view, permission_classes, throttle_classes
from rest_framework.exceptions import NotFound, PermissionDenied

from app.accounts import policy
from app.accounts.headers import exact_positions
from app.accounts.permissions import CanViewData
from app.accounts.rate_limits import RATE_LIMITED_RESPONSE, ExpensiveEndpointThrottle
from app.api.negotiation import AnswerWhateverIsAccepted
from app.api.schema import ERROR
from app.rasters.params import RasterParams
from app.rasters.selectors import LAYERS, band_descriptions, coverage_raster
from app.registry.scopes import reading
from gis.coverage_rasters import NODATA, write_cog

CONTENT_TYPE = "image/tiff; application=geotiff; profile=cloud-optimized"


def _whatever_is_accepted(view):
    """The file whatever the Accept header names (image/tiff, as GDAL sends it, was a 406).
    ``api_view`` has no decorator for the negotiation but reads this attribute, so it goes
    below it."""
    view.content_negotiation_class = AnswerWhateverIsAccepted
    return view


@extend_schema(
    parameters=[RasterParams],
    responses={
        (200, "image/tiff"): OpenApiResponse(
            OpenApiTypes.BINARY,
            description="A Cloud-Optimised GeoTIFF of float32 shares of each cell's area (0-1; "
            "-1 outside the province or unit): released has 5 bands (CHA, released by any "
            "method, cleared, reduced, cancelled), remaining 1 (CHA not yet released).",
        ),
        400: ERROR,
        403: OpenApiResponse(
            ERROR.response,
            description="Cells finer than an aggregates-only account may read, or "
            "include=submitted for a role that reads approved data only.",
        ),
        404: OpenApiResponse(ERROR.response, description="No such layer or unit."),
        429: RATE_LIMITED_RESPONSE,
    },
)
@exact_positions
@api_view(["GET"])
@permission_classes([CanViewData])
@throttle_classes([ExpensiveEndpointThrottle])
@_whatever_is_accepted
def coverage_raster_file(request, layer: str):
    if layer not in LAYERS:
        raise NotFound(
            _("no raster layer %(layer)r; the layers are %(layers)s")
            % {"layer": layer, "layers": ", ".join(LAYERS)}
        )
    params = RasterParams(data=request.query_params)
    params.is_valid(raise_exception=True)
    chosen = params.validated_data
    finest_m = policy.finest_raster_resolution_m(request.user)
    if chosen["resolution"] < finest_m:
        raise PermissionDenied(
            _(
                "your account shows aggregates only: ask for cells of %(finest)s m or more "
                "(resolution=%(finest)s)"
            )
            % {"finest": f"{finest_m:g}"}
        )
    scope = policy.reading_scope(
        request.user,
        include_submitted="include" in chosen,
        as_recorded=chosen.get("as_recorded"),
    )
    with reading(scope):
        raster = coverage_raster(
            layer=layer,
            as_of=chosen["as_of"],
            resolution_m=chosen["resolution"],
            srid=chosen["crs"],
            boundary_set=chosen.get("boundary_set"),
            unit_code=chosen.get("unit"),
            max_cells=settings.RASTER_MAX_CELLS,
        )
    tags = {
        "layer": layer,
        "as_of": raster.as_of.isoformat(),
        "scope": json.dumps(scope.describe(), ensure_ascii=False),
        "units": f"share of the cell's area, 0 to 1; {NODATA:g} outside the area",
        "area": "planar, in the raster's CRS (the share is a ratio of two areas in one cell)",
        "boundary_set": raster.boundary_set,
        "unit": f"{raster.unit_level} {raster.unit_code}",
        "resolution_m": f"{raster.grid.resolution_m:g}",
        "source": "landrelease",
    }
    filename = (
        f"{layer}-{raster.unit_code}-{raster.as_of.isoformat()}-{raster.grid.resolution_m:g}m.tif"
    )
    with tempfile.TemporaryDirectory(prefix="landrelease-raster-") as folder:
        path = os.path.join(folder, filename)
        write_cog(
            path,
            shares=raster.shares,
            grid=raster.grid,
            descriptions=band_descriptions(layer),
            tags=tags,
        )
        del raster
        # Open, then let the folder go: the open file stays readable until the response
        # closes it, and no file outlives the download.
        stream = open(path, "rb")  # noqa: SIM115 (FileResponse closes it)
    return FileResponse(stream, content_type=CONTENT_TYPE, as_attachment=True, filename=filename)
