"""The query of an OGC request, parsed at the boundary: a 400 naming the parameter and saying
what to send instead, never a traceback (OGC API Features Part 1 /req/core/query-param-invalid,
Part 2 for ``crs`` and ``bbox-crs``).

``limit`` above the server's maximum is clamped, as the standard's examples do, not refused.
A parameter the endpoint does not define is refused (/req/core/query-param-unknown), naming the
ones it takes.
"""

import datetime as dt
import math
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext

from app.api.params import MAX_OFFSET
from app.api.selectors.features import BBox, DateInterval, FeatureFilters
from app.ogc.collections import Collection
from app.ogc.crs import CRS84, SUPPORTED, ServedCrs, served_crs
from gis.exports import FORMATS as EXPORTS

DEFAULT_LIMIT = 100
FORMATS = ("json", "html")
# Files of every feature an items request selects (app.exports): f=gpkg and so on.
EXPORT_FORMATS = tuple(EXPORTS)


class InvalidParameter(ValueError):
    """A 400 naming ``parameter`` (app.api.errors reads these two attributes)."""

    def __init__(self, parameter: str, message: str):
        super().__init__(message)
        self.parameter = parameter
        self.message = message


@dataclass(frozen=True)
class DerivedLandQuery:
    """The derived land's own parameters (app.accounting.selectors.derived_land)."""

    land: str
    as_of: dt.date
    boundary_set: str
    level: str


@dataclass(frozen=True)
class ItemsQuery:
    limit: int
    offset: int
    filters: FeatureFilters
    crs: ServedCrs
    include_submitted: bool
    derived_land: DerivedLandQuery | None = None


DERIVED_LAND_PARAMETERS = ("as_of", "boundary_set", "level")
# The levels of each boundary set, the first the default (the units the set's reports use).
LEVELS = {"2025": ("commune", "province"), "2019": ("district", "province")}


def check_known(query, accepted: tuple[str, ...]) -> None:
    unknown = sorted(set(query) - set(accepted))
    if unknown:
        raise InvalidParameter(
            unknown[0],
            gettext("unknown parameter; this endpoint accepts %(accepted)s")
            % {"accepted": ", ".join(accepted)},
        )


def wants_html(request, formats: tuple[str, ...] = FORMATS) -> bool:
    """``f=html`` or ``f=json`` (or another of ``formats``); without ``f``, HTML when the Accept
    header ranks text/html above every JSON type (a browser), JSON otherwise (GDAL, OWSLib,
    QGIS, curl)."""
    given = request.GET.get("f")
    if given:
        if given not in formats:
            raise InvalidParameter(
                "f",
                gettext("%(given)r is not a format here; use %(formats)s")
                % {"given": given, "formats": ", ".join(formats)},
            )
        return given == "html"
    html_q, json_q = 0.0, 0.0
    for part in request.headers.get("Accept", "").split(","):
        media_type, *options = (piece.strip() for piece in part.split(";"))
        quality = 1.0
        for option in options:
            if option.startswith("q="):
                try:
                    quality = float(option[2:])
                except ValueError:
                    quality = 0.0
        if media_type in ("text/html", "application/xhtml+xml"):
            html_q = max(html_q, quality)
        elif media_type.endswith("json"):
            json_q = max(json_q, quality)
    return html_q > json_q


def include_submitted(query) -> bool:
    value = query.get("include")
    if value in (None, ""):
        return False
    if value != "submitted":
        raise InvalidParameter(
            "include", gettext("the only value is submitted (approved and pending records)")
        )
    return True


def export_format(query) -> str | None:
    """The file an items request asks for (``f=gpkg``...), or None for a page. A file holds
    every feature the filters select, so the paging parameters are refused with it, as is a
    review ``status`` (the /api/v1 lists' exports do the same)."""
    given = query.get("f")
    if given not in EXPORT_FORMATS:
        return None
    for name in ("limit", "offset", "status"):
        if query.get(name) not in (None, ""):
            raise InvalidParameter(
                name,
                gettext(
                    "a file (f=%(format)s) holds every feature the filters select, approved ones "
                    "or with include=submitted the work under review: drop %(parameter)s"
                )
                % {"format": given, "parameter": name},
            )
    return given


def items_query(collection: Collection, query) -> ItemsQuery:
    """The items request ``query`` (a QueryDict) of ``collection``."""
    accepted = (
        "f", "limit", "offset", "bbox", "bbox-crs", "datetime", "crs",
        *(["include"] if collection.reviewed else []),
        *(queryable.name for queryable in collection.queryables),
        *(DERIVED_LAND_PARAMETERS if collection.derived_land else ()),
    )  # fmt: skip
    check_known(query, accepted)
    values = {name: query.get(name) for name in accepted if query.get(name) not in (None, "")}
    filters = dict(collection.fixed_filters)
    for queryable in collection.queryables:
        value = values.get(queryable.name)
        if value is None:
            continue
        if queryable.values is not None and value not in queryable.values:
            raise InvalidParameter(
                queryable.name,
                gettext("%(value)r is not one of %(values)s")
                % {"value": value, "values": ", ".join(queryable.values)},
            )
        filters[queryable.name] = value
    include = include_submitted(values) if collection.reviewed else False
    if include and "status" in filters:
        raise InvalidParameter("status", gettext("give status or include, not both"))
    if "bbox" in values:
        filters["bbox"] = bbox_param(values["bbox"], values.get("bbox-crs"))
    elif "bbox-crs" in values:
        raise InvalidParameter("bbox-crs", gettext("qualifies bbox; give bbox too"))
    if "datetime" in values:
        if not collection.layer.date_columns:
            raise InvalidParameter("datetime", gettext("this collection has no dates to filter by"))
        filters["datetime"] = datetime_param(values["datetime"])
    return ItemsQuery(
        derived_land=derived_land_param(collection.derived_land, values),
        limit=limit_param(values.get("limit")),
        offset=integer_param("offset", values.get("offset"), default=0, maximum=MAX_OFFSET),
        filters=FeatureFilters(**filters),
        crs=crs_param("crs", values.get("crs")),
        include_submitted=include,
    )


def derived_land_param(land: str | None, values: dict) -> DerivedLandQuery | None:
    """as_of (a date, default today), boundary_set (2025 or 2019, default 2025) and level
    (default the set's reporting units: communes of 2025, districts of 2019)."""
    if land is None:
        return None
    as_of = timezone.localdate()
    if "as_of" in values:
        try:
            as_of = dt.date.fromisoformat(values["as_of"])
        except ValueError:
            raise InvalidParameter("as_of", gettext("give a date YYYY-MM-DD")) from None
    boundary_set = values.get("boundary_set", "2025")
    if boundary_set not in LEVELS:
        raise InvalidParameter(
            "boundary_set",
            gettext("%(value)r is not one of %(values)s")
            % {"value": boundary_set, "values": ", ".join(LEVELS)},
        )
    levels = LEVELS[boundary_set]
    level = values.get("level", levels[0])
    if level not in levels:
        raise InvalidParameter(
            "level",
            gettext("boundary set %(set)s has the levels %(levels)s")
            % {"set": boundary_set, "levels": ", ".join(levels)},
        )
    return DerivedLandQuery(land=land, as_of=as_of, boundary_set=boundary_set, level=level)


def integer_param(name: str, value: str | None, *, default: int, maximum: int, minimum=0) -> int:
    if value is None:
        return default
    try:
        number = int(value)
    except ValueError:
        raise InvalidParameter(name, gettext("give a whole number")) from None
    if not minimum <= number <= maximum:
        raise InvalidParameter(
            name,
            gettext("give a whole number from %(minimum)s to %(maximum)s")
            % {"minimum": minimum, "maximum": maximum},
        )
    return number


def limit_param(value: str | None) -> int:
    """1 or more; above OGC_MAX_LIMIT, the maximum (clamped, not refused)."""
    maximum = settings.OGC_MAX_LIMIT
    if value is None:
        return min(DEFAULT_LIMIT, maximum)
    limit = integer_param("limit", value, default=DEFAULT_LIMIT, maximum=10**12, minimum=1)
    return min(limit, maximum)


def crs_param(name: str, value: str | None) -> ServedCrs:
    if value is None:
        return SUPPORTED[CRS84]
    served = served_crs(value)
    if served is None:
        raise InvalidParameter(
            name,
            gettext("%(value)r is not a CRS of this server; it offers %(supported)s")
            % {"value": value, "supported": ", ".join(SUPPORTED)},
        )
    return served


def bbox_param(value: str, bbox_crs: str | None) -> BBox:
    """Four numbers in the axis order of ``bbox-crs`` (CRS84 by default: lon/lat; EPSG:4326:
    lat/lon; projected CRSs: easting/northing in metres)."""
    crs = crs_param("bbox-crs", bbox_crs)
    parts = value.split(",")
    if len(parts) == 6:
        raise InvalidParameter(
            "bbox",
            gettext(
                "6 numbers make a 3-D box, and these data are 2-D: give 4 numbers "
                "minx,miny,maxx,maxy"
            ),
        )
    if len(parts) != 4:
        raise InvalidParameter(
            "bbox",
            gettext("give 4 comma-separated numbers minx,miny,maxx,maxy; got %(count)s")
            % {"count": len(parts)},
        )
    try:
        numbers = [float(part) for part in parts]
    except ValueError:
        raise InvalidParameter(
            "bbox", gettext("give 4 comma-separated numbers minx,miny,maxx,maxy")
        ) from None
    if not all(math.isfinite(number) for number in numbers):
        raise InvalidParameter("bbox", gettext("coordinates must be finite numbers"))
    if crs.output.northing_first:
        min_lat, min_lon, max_lat, max_lon = numbers
    else:
        min_lon, min_lat, max_lon, max_lat = numbers
    if not crs.projected:
        if not (-180 <= min_lon <= 180 and -180 <= max_lon <= 180):
            raise InvalidParameter("bbox", gettext("longitudes must lie within -180..180"))
        if not (-90 <= min_lat <= 90 and -90 <= max_lat <= 90):
            raise InvalidParameter("bbox", gettext("latitudes must lie within -90..90"))
    if min_lon >= max_lon or min_lat >= max_lat:
        raise InvalidParameter(
            "bbox", gettext("each minimum must be less than its maximum (minx,miny,maxx,maxy)")
        )
    if crs.projected:
        region = crs.region_box()
        if (
            min_lon >= region[2]
            or max_lon <= region[0]
            or min_lat >= region[3]
            or max_lat <= region[1]
        ):
            raise InvalidParameter(
                "bbox",
                gettext(
                    "this box lies outside Vietnam's region in that CRS (x from %(min_x).0f to "
                    "%(max_x).0f, y from %(min_y).0f to %(max_y).0f metres)"
                )
                % {"min_x": region[0], "min_y": region[1], "max_x": region[2], "max_y": region[3]},
            )
        # Clipped to the region, so that every corner has a position in lon/lat.
        min_lon, min_lat = max(min_lon, region[0]), max(min_lat, region[1])
        max_lon, max_lat = min(max_lon, region[2]), min(max_lat, region[3])
    return BBox(
        min_lon=min_lon, min_lat=min_lat, max_lon=max_lon, max_lat=max_lat, srid=crs.output.srid
    )


def datetime_param(value: str) -> DateInterval:
    """An instant (``2023-05-01`` or ``2023-05-01T10:00:00Z``) or an interval ``start/end`` with
    ``..`` (or nothing) for an open end. Dates of these records are days: a date-time stands for
    its day (in UTC)."""
    if "/" in value:
        start_text, _slash, end_text = value.partition("/")
        start, end = _day(start_text), _day(end_text)
        if start is not None and end is not None and start > end:
            raise InvalidParameter("datetime", gettext("the interval's start is after its end"))
        return DateInterval(start=start, end=end)
    day = _day(value)
    if day is None:
        raise InvalidParameter(
            "datetime", gettext("give a date, or an interval start/end with .. for an open end")
        )
    return DateInterval(start=day, end=day)


def _day(text: str) -> dt.date | None:
    text = text.strip()
    if text in ("", ".."):
        return None
    try:
        if "T" in text or "t" in text:
            moment = dt.datetime.fromisoformat(text.upper().replace("Z", "+00:00"))
            if moment.tzinfo is not None:
                moment = moment.astimezone(dt.UTC)
            return moment.date()
        return dt.date.fromisoformat(text)
    except ValueError:
        raise InvalidParameter(
            "datetime",
            gettext(
                "%(value)r is not a date (YYYY-MM-DD) or an RFC 3339 date-time; an interval "
                "is start/end, with .. for an open end"
            )
            % {"value": text},
        ) from None
