"""Query parameters of each GeoJSON list, validated at the boundary.

Each list has its own serializer, so the OpenAPI schema shows exactly the parameters it takes and
a parameter it does not take is refused (400) rather than silently ignored: a client asking
hazards for ``method=cleared`` must learn that hazards have no method. An empty value
(``year=``) means the parameter is absent, as an HTML form sends it. ``to_filters`` hands the
selectors plain values.
"""

import math

from django.utils.text import format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from app.api.selectors.features import BBox, FeatureFilters
from app.exports.responses import EXPORT_EPSG_CODES, WGS84
from app.registry.models import BoundarySet, HazardKind, Level, ReleaseMethod, ReviewStatus
from gis.exports import FORMATS

DEFAULT_LIMIT = 1000
MAX_LIMIT = 10_000
# Far beyond any table here, and it keeps offset + limit inside PostgreSQL's bigint.
MAX_OFFSET = 1_000_000_000


def choice_field(choices, *, help_text: str) -> serializers.ChoiceField:
    values = ", ".join(value for value, _label in choices)
    return serializers.ChoiceField(
        choices=choices,
        required=False,
        help_text=help_text,
        # DRF fills {input}; the values are filled here, in the language of the request.
        error_messages={
            "invalid_choice": format_lazy(_("'{{input}}' is not one of {values}"), values=values)
        },
    )


# The format the schema states: four decimal numbers. Their ranges and order are checked below
# (a 400 naming bbox); a client may also send exponents, which float() reads.
_DEGREES = r"-?[0-9]{1,3}(\.[0-9]+)?"


@extend_schema_field(
    {
        "type": "string",
        "pattern": rf"^{_DEGREES},{_DEGREES},{_DEGREES},{_DEGREES}$",
        "example": "106.9,16.6,107.2,16.9",
    }
)
class BBoxField(serializers.Field):
    """``minlon,minlat,maxlon,maxlat`` in WGS 84 degrees."""

    def to_internal_value(self, data) -> BBox:
        parts = str(data).split(",")
        if len(parts) != 4:
            raise serializers.ValidationError(
                gettext("give 4 comma-separated numbers minlon,minlat,maxlon,maxlat; got %(count)s")
                % {"count": len(parts)}
            )
        try:
            min_lon, min_lat, max_lon, max_lat = (float(part) for part in parts)
        except ValueError:
            raise serializers.ValidationError(
                gettext("give 4 comma-separated numbers minlon,minlat,maxlon,maxlat")
            ) from None
        if not all(math.isfinite(v) for v in (min_lon, min_lat, max_lon, max_lat)):
            raise serializers.ValidationError(gettext("coordinates must be finite numbers"))
        if not (-180 <= min_lon <= 180 and -180 <= max_lon <= 180):
            raise serializers.ValidationError(gettext("longitudes must lie within -180..180"))
        if not (-90 <= min_lat <= 90 and -90 <= max_lat <= 90):
            raise serializers.ValidationError(gettext("latitudes must lie within -90..90"))
        if min_lon >= max_lon:
            raise serializers.ValidationError(gettext("minlon must be less than maxlon"))
        if min_lat >= max_lat:
            raise serializers.ValidationError(gettext("minlat must be less than maxlat"))
        return BBox(min_lon=min_lon, min_lat=min_lat, max_lon=max_lon, max_lat=max_lat)

    def to_representation(self, value: BBox) -> str:
        return f"{value.min_lon},{value.min_lat},{value.max_lon},{value.max_lat}"


# GeoJSON, the lists' own answer, or an export of every feature the filters select (app.exports).
GEOJSON_FORMAT = "geojson"
LIST_FORMATS = (GEOJSON_FORMAT, *FORMATS)
# How a system may be named: EPSG:9212, 9212, or the OGC URI of OGC API Features Part 2.
_OGC_CRS_URI = "http://www.opengis.net/def/crs/EPSG/0/"


@extend_schema_field(
    {
        "type": "string",
        "enum": [f"EPSG:{code}" for code in EXPORT_EPSG_CODES],
        "default": "EPSG:4326",
    }
)
class ExportCRSField(serializers.Field):
    """An EPSG code of the exports' systems, written ``EPSG:9212``, ``9212`` or as its OGC URI."""

    def to_internal_value(self, data) -> int:
        text = str(data).strip()
        code = text.removeprefix(_OGC_CRS_URI)
        if code.upper().startswith("EPSG:"):
            code = code[len("EPSG:") :]
        if not code.isdigit() or int(code) not in EXPORT_EPSG_CODES:
            raise serializers.ValidationError(
                gettext("%(given)r is not one of %(systems)s")
                % {
                    "given": text,
                    "systems": ", ".join(f"EPSG:{code}" for code in EXPORT_EPSG_CODES),
                }
            )
        return int(code)

    def to_representation(self, value: int) -> str:
        return f"EPSG:{value}"


def _export_format(values) -> str | None:
    fmt = values.get("format")
    return None if fmt in (None, GEOJSON_FORMAT) else fmt


class PageParams(serializers.Serializer):
    """Offset pagination (OGC API Features style: ``limit``, with ``next``/``prev`` links), or
    an export of every matching feature (``format``, ``crs``)."""

    limit = serializers.IntegerField(
        min_value=1,
        max_value=MAX_LIMIT,
        default=DEFAULT_LIMIT,
        help_text=f"Features per page, 1 to {MAX_LIMIT} (default {DEFAULT_LIMIT}).",
    )
    offset = serializers.IntegerField(
        min_value=0,
        max_value=MAX_OFFSET,
        default=0,
        help_text="Features to skip, in id order (default 0).",
    )
    bbox = BBoxField(
        required=False,
        help_text="minlon,minlat,maxlon,maxlat in WGS 84 degrees: features intersecting it.",
    )
    deleted = serializers.BooleanField(
        required=False,
        help_text=(
            "true: only soft-deleted records (each with its deleted_at), to find one whose "
            "deletion to undo (POST /api/v1/records/<layer>/<id>/undelete/); analysts only, "
            "403 for other roles. Default: deleted records are never listed."
        ),
    )

    format = choice_field(
        [(name, name) for name in LIST_FORMATS],
        help_text=(
            "geojson (default): this page as GeoJSON. gpkg (GeoPackage), shp (zipped Shapefile), "
            "csv (UTF-8 with BOM, WKT), xlsx (Excel) or kml: a file of every feature the filters "
            "select, in crs, with what was exported written inside (limit and offset do not "
            "apply; status and deleted are for the GeoJSON only)."
        ),
    )
    crs = ExportCRSField(
        required=False,
        help_text=(
            "The coordinate system of an export: EPSG:4326 (default, WGS 84 degrees), "
            "EPSG:32648 (UTM 48N), EPSG:3405 (VN-2000 / UTM 48N) or EPSG:9212 (VN-2000 / "
            "TM-3 106°15'). KML is always EPSG:4326. GeoJSON pages are WGS 84 (RFC 7946)."
        ),
    )

    def to_internal_value(self, data):
        unknown = sorted(set(data) - set(self.fields))
        if unknown:
            accepted = ", ".join(self.fields)
            raise serializers.ValidationError(
                {
                    unknown[0]: gettext("unknown parameter; this list accepts %(accepted)s")
                    % {"accepted": accepted}
                }
            )
        return super().to_internal_value(data)

    def validate(self, attrs):
        attrs = super().validate(attrs)
        if _export_format(attrs) is None:
            if "crs" in attrs:
                raise serializers.ValidationError(
                    {
                        "crs": gettext(
                            "applies to an export (format=gpkg, shp, csv, xlsx or kml); "
                            "GeoJSON is WGS 84"
                        )
                    }
                )
            return attrs
        for paging in ("limit", "offset"):
            if self.initial_data.get(paging) not in (None, ""):
                raise serializers.ValidationError(
                    {
                        paging: gettext(
                            "an export holds every matching feature; drop limit and offset"
                        )
                    }
                )
        for name in ("status", "deleted"):
            if attrs.get(name):
                raise serializers.ValidationError(
                    {
                        name: gettext(
                            "is for the GeoJSON list; an export holds the records of the list "
                            "(approved ones, or with include=submitted the work under review)"
                        )
                    }
                )
        return attrs

    @property
    def export_format(self) -> str | None:
        """The export asked for (``gpkg``...), None for the GeoJSON page."""
        return _export_format(self.validated_data)

    @property
    def export_epsg(self) -> int:
        return self.validated_data.get("crs", WGS84)

    @property
    def include_submitted(self) -> bool:
        """Pending work asked for (lists of reviewed records only, ReviewedParams)."""
        return False

    def to_filters(self) -> FeatureFilters:
        return FeatureFilters(**self.filter_values())

    def filter_values(self) -> dict:
        return {
            name: value
            for name, value in self.validated_data.items()
            if name not in ("limit", "offset", "format", "crs")
        }


class InAdminUnitParams(PageParams):
    admin_unit = serializers.CharField(
        required=False,
        max_length=16,
        help_text=(
            "Admin unit code (e.g. 464 for the 2019 district of Vĩnh Linh, a 5-digit code for a "
            "2025 commune): features intersecting the unit. Unknown code: 404."
        ),
    )
    boundary_set = choice_field(
        BoundarySet.choices,
        help_text="Boundary set of admin_unit, only needed if its code exists in both sets.",
    )

    def validate(self, attrs):
        attrs = super().validate(attrs)
        if "boundary_set" in attrs and "admin_unit" not in attrs:
            raise serializers.ValidationError(
                {"boundary_set": gettext("qualifies admin_unit here; give admin_unit too")}
            )
        return attrs

    def filter_values(self) -> dict:
        values = super().filter_values()
        values["admin_unit_boundary_set"] = values.pop("boundary_set", None)
        return values


def year_field(date_field: str) -> serializers.IntegerField:
    return serializers.IntegerField(
        required=False,
        min_value=1975,
        max_value=2100,
        help_text=f"Calendar year of {date_field}.",
    )


class ReviewedParams(InAdminUnitParams):
    """The layers whose records are reviewed: approved ones by default, pending work with
    ``include=submitted``, or the records of one review ``status``, as far as the user may see
    them (app.accounts.policy)."""

    include = choice_field(
        [("submitted", "submitted")],
        help_text=(
            "submitted: approved records and work submitted for review (an analyst: everyone's; "
            "a field coordinator: their organisation's; 403 for other roles). Default: approved "
            "records only."
        ),
    )
    status = choice_field(
        ReviewStatus.choices,
        help_text=(
            "Only records in this review state: approved for every reader; draft, submitted or "
            "rejected for analysts (everyone's) and field coordinators (their organisation's)."
        ),
    )

    def validate(self, attrs):
        attrs = super().validate(attrs)
        if "include" in attrs and "status" in attrs:
            raise serializers.ValidationError(
                {"status": gettext("give status or include, not both")}
            )
        if "include" in attrs and attrs.get("deleted"):
            raise serializers.ValidationError(
                {"deleted": gettext("lists deleted records only; drop include=submitted")}
            )
        return attrs

    @property
    def include_submitted(self) -> bool:
        return "include" in self.validated_data

    def filter_values(self) -> dict:
        values = super().filter_values()
        values.pop("include", None)
        return values


class ByOrganisationParams(ReviewedParams):
    organisation = serializers.SlugField(
        required=False,
        max_length=40,
        help_text="Organisation slug (see /api/v1/organisations/). Unknown slug: 404.",
    )


class AdminUnitParams(PageParams):
    level = choice_field(Level.choices, help_text="province, district or commune.")
    boundary_set = choice_field(
        BoundarySet.choices, help_text="2019 (districts) or 2025 (communes after the reform)."
    )


class HazardParams(ByOrganisationParams):
    year = year_field("recorded_on")
    kind = choice_field(HazardKind.choices, help_text="SHA (suspected) or CHA (confirmed).")


class ReleaseParams(ByOrganisationParams):
    year = year_field("completed_on")
    method = choice_field(ReleaseMethod.choices, help_text="cancelled, reduced or cleared.")


class SpotTaskParams(ByOrganisationParams):
    year = year_field("completed_on")


class VillageParams(ReviewedParams):
    pass
