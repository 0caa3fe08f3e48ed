"""Query parameters of the coverage rasters, validated at the boundary (a 400 naming the
parameter). The reading-scope parameters (include, as_recorded) and the refusal of unknown
parameters are the stats endpoints' (app.accounting.params.StatsParams)."""

import re

import pyproj
from django.utils.text import format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from app.accounting.params import StatsParams
from app.registry.models import BoundarySet

DEFAULT_EPSG = 32648  # WGS 84 / UTM 48N
# The finest cells any reader may ask for: below this a cell is smaller than the positional
# error of most field records, and the grid grows with the square of the refinement.
MIN_RESOLUTION_M = 10

# EPSG:32648, 32648, http://www.opengis.net/def/crs/EPSG/0/32648, urn:ogc:def:crs:EPSG::32648
_EPSG = re.compile(
    r"^(?:EPSG:|http://www\.opengis\.net/def/crs/EPSG/0/|urn:ogc:def:crs:EPSG::)?(\d{4,6})$",
    re.IGNORECASE,
)


class RasterParams(StatsParams):
    as_of = serializers.DateField(
        input_formats=["iso-8601"], help_text="Count releases completed on or before this day."
    )
    resolution = serializers.FloatField(
        default=100.0,
        min_value=MIN_RESOLUTION_M,
        help_text="Cell size in metres (default 100, at least 10).",
        error_messages={
            "min_value": format_lazy(
                _("the cell size is in metres and must be at least {minimum}"),
                minimum=MIN_RESOLUTION_M,
            ),
            "invalid": _("the cell size must be a number of metres, such as 100"),
        },
    )
    boundary_set = serializers.ChoiceField(
        choices=BoundarySet.values,
        required=False,
        help_text="Boundary set of the province outline or the unit (default 2019).",
        error_messages={
            "invalid_choice": format_lazy(
                _("'{{input}}' is not one of {values}"), values=", ".join(BoundarySet.values)
            )
        },
    )
    unit = serializers.CharField(
        required=False,
        max_length=16,
        help_text="Only this admin unit (its code in the boundary set); default the province.",
    )
    crs = serializers.CharField(
        default=f"EPSG:{DEFAULT_EPSG}",
        max_length=100,
        help_text="Projected CRS in metres of the grid, e.g. EPSG:32648 (default, UTM 48N), "
        "EPSG:3405 (VN-2000 / UTM 48N), EPSG:9212 (VN-2000 / TM-3 106°15′).",
    )

    def validate_crs(self, value: str) -> int:
        """The EPSG code of a projected CRS in metres."""
        match = _EPSG.match(value.strip())
        crs = None
        if match:
            try:
                crs = pyproj.CRS.from_epsg(int(match.group(1)))
            except pyproj.exceptions.CRSError:
                crs = None
        if crs is None:
            raise serializers.ValidationError(
                gettext("%(crs)r is not an EPSG code; write it as EPSG:32648, for example")
                % {"crs": value}
            )
        if not crs.is_projected or crs.axis_info[0].unit_name != "metre":
            raise serializers.ValidationError(
                gettext(
                    "%(crs)s is not a projected coordinate system in metres; cells are square "
                    "metres, so choose one such as EPSG:32648, EPSG:3405 or EPSG:9212"
                )
                % {"crs": value}
            )
        return int(match.group(1))
