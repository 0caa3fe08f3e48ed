"""GeoJSON feature lists built in PostGIS: one page of a layer, filtered, as JSON text.

The features are assembled by ``json_build_object`` and ``ST_AsGeoJSON`` in the database and
come back as one text value; Python never parses or re-serialises them. On 10,000 features a
serializer loop in Python was measured many times slower (see the README's benchmark).

Which records a page holds is the active reading scope (approved ones when none is active, see
app.registry.scopes.scoped_reads). A ``status`` filter instead reads the table itself, in that
one review state, limited in SQL to what the user may see (``RecordVisibility``, the rule of
app.accounts.policy.visible_records): the scope views hold no drafts or rejected records.
"""

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext

from app.accounts.policy import RecordVisibility, visible_records_sql
from app.api.exceptions import AmbiguousParameter, UnknownReference
from app.api.selectors.layers import Layer
from app.registry.models import AdminUnit, Organisation
from app.registry.scopes import reads_connection, scoped_reads

# Digits after the decimal point of a coordinate: 1e-7 degree is about 1 cm on the ground.
COORDINATE_DECIMALS = 7


@dataclass(frozen=True)
class BBox:
    """A rectangle, min before max (no antimeridian crossing): lon/lat in WGS 84 degrees, or
    easting/northing in metres of the projected CRS ``srid`` (the OGC ``bbox-crs``)."""

    min_lon: float
    min_lat: float
    max_lon: float
    max_lat: float
    srid: int = 4326


@dataclass(frozen=True)
class DateInterval:
    """Days from ``start`` to ``end``, both included; None is an open end (OGC ``..``)."""

    start: dt.date | None
    end: dt.date | None


@dataclass(frozen=True)
class OutputCrs:
    """The CRS the features' coordinates are written in: ``srid`` of spatial_ref_sys,
    ``northing_first`` for EPSG:4326 as EPSG defines it (latitude, longitude), ``decimals``
    after the point (7 for degrees, about 1 cm; 3 for metres)."""

    srid: int = 4326
    northing_first: bool = False
    decimals: int = COORDINATE_DECIMALS


LON_LAT = OutputCrs()


@dataclass(frozen=True)
class FeatureFilters:
    """What a client asked to see. None means "no filter".

    ``admin_unit`` is a unit code; ``admin_unit_boundary_set`` picks its boundary set when the
    code alone is ambiguous. ``level`` and ``boundary_set`` filter the admin-unit layer itself.
    """

    organisation: str | None = None
    year: int | None = None
    method: str | None = None
    kind: str | None = None
    level: str | None = None
    boundary_set: str | None = None
    admin_unit: str | None = None
    admin_unit_boundary_set: str | None = None
    bbox: BBox | None = None
    datetime: DateInterval | None = None
    status: str | None = None
    deleted: bool = False
    """Only soft-deleted records (in any review state, or in ``status``)."""
    feature_id: int | str | None = None
    """One feature (every layer has ids): an OGC item."""

    def used(self) -> frozenset[str]:
        names = {
            "deleted": True if self.deleted else None,
            "status": self.status,
            "organisation": self.organisation,
            "year": self.year,
            "method": self.method,
            "kind": self.kind,
            "level": self.level,
            "boundary_set": self.boundary_set,
            "admin_unit": self.admin_unit,
            "bbox": self.bbox,
            "datetime": self.datetime,
        }
        return frozenset(name for name, value in names.items() if value is not None)


@dataclass(frozen=True)
class FeaturePage:
    """One page of features. ``features_json`` is the features joined by commas, ready to sit
    between the brackets of a FeatureCollection's ``features`` array."""

    number_matched: int
    number_returned: int
    limit: int
    offset: int
    features_json: str


@dataclass(frozen=True)
class JoinedProperties:
    """Properties a caller adds to a page from a relation of its own: ``join`` (SQL joining it
    to the layer's ``f``, our constants), the (key, SQL expression) pairs and the parameters
    that carry its values (such as a report's figures per unit, as JSON)."""

    join: str
    properties: tuple[tuple[str, str], ...]
    params: dict


@dataclass(frozen=True)
class AddedRelations:
    """What a caller's ``source`` and ``joined`` add to a layer's SQL: the common table
    expression the layer's ``table`` then names (empty without a source), the joins, the
    properties and their parameters."""

    source_cte: str
    joins: str
    properties: tuple[tuple[str, str], ...]
    params: dict


def added_relations(
    layer: Layer, *, source: tuple[str, dict] | None, joined: JoinedProperties | None
) -> AddedRelations:
    """The relations a page (feature_page) or an export (app.exports) adds to ``layer``."""
    joins, properties, params = layer.joins, (), {}
    if joined is not None:
        joins = f"{joins} {joined.join}"
        properties = joined.properties
        params |= joined.params
    source_cte = ""
    if source is not None:
        source_cte = f"{layer.table} AS MATERIALIZED ({source[0]})"
        params |= source[1]
    return AddedRelations(source_cte, joins, properties, params)


# The page's ids are chosen first, so the JSON is built only for the rows returned. The count
# repeats the filter without building anything. Ordered by id: stable across pages.
PAGE_SQL = """
WITH {source}page AS (
    SELECT f.id FROM {table} f WHERE {where} ORDER BY f.id LIMIT %(limit)s OFFSET %(offset)s
)
SELECT
    (SELECT count(*) FROM {table} f WHERE {where}) AS number_matched,
    count(f.id) AS number_returned,
    COALESCE(string_agg({feature}::text, ',' ORDER BY f.id), '') AS features_json
FROM page JOIN {table} f ON f.id = page.id {joins}
"""

# Column filters: the filter's name, the column it compares.
COLUMN_FILTERS = ("method", "kind", "level", "boundary_set")


# Nobody's records but the approved ones: what a status filter sees when no visibility is given.
APPROVED_ONLY = RecordVisibility(every_organisation=False, organisation_id=None)


@scoped_reads()
def feature_page(
    layer: Layer,
    *,
    filters: FeatureFilters,
    limit: int,
    offset: int,
    visibility: RecordVisibility = APPROVED_ONLY,
    output_crs: OutputCrs = LON_LAT,
    source: tuple[str, dict] | None = None,
    joined: JoinedProperties | None = None,
) -> FeaturePage:
    """One page of ``layer`` as GeoJSON features, ordered by id, with coordinates in
    ``output_crs`` (WGS 84 lon/lat by default, as GeoJSON wants).

    With ``filters.status``, the records in that review state (not deleted) that ``visibility``
    allows; with ``filters.deleted``, the soft-deleted ones (in that state, if given), each
    with its ``deleted_at``; otherwise those of the active reading scope. Who may ask for
    either is the caller's question (app.accounts.policy).

    ``source``: a SELECT and its parameters that the layer's ``table`` names (a relation built
    per request, such as the derived land of app.accounting); it is computed once per page.
    ``joined``: more properties from a relation joined to the page's rows (JoinedProperties).

    Raises UnknownReference when the organisation slug or the admin unit code does not exist,
    AmbiguousParameter when a unit code exists in several boundary sets and none was given.
    """
    unsupported = filters.used() - layer.filters
    if unsupported:
        raise ValueError(f"{layer.name} cannot be filtered by {', '.join(sorted(unsupported))}")
    conditions, params = feature_conditions(layer, filters)
    table = layer.table
    extra_properties: tuple[tuple[str, str], ...] = ()
    if filters.status is not None or filters.deleted:
        # The table itself, not the scope's view of it: the state is chosen here.
        table = f"public.{layer.table}"
        conditions.append("f.deleted_at IS NOT NULL" if filters.deleted else "f.deleted_at IS NULL")
        if filters.status is not None:
            conditions.append("f.status = %(status)s")
            params["status"] = filters.status
        if "status" in layer.filters:
            visible, visible_params = visible_records_sql("f", visibility)
            conditions.append(visible)
            params |= visible_params
    if filters.deleted:
        extra_properties = (("deleted_at", "f.deleted_at"),)
    added = added_relations(layer, source=source, joined=joined)
    extra_properties += added.properties
    params |= added.params
    sql = PAGE_SQL.format(
        source=f"{added.source_cte}, " if added.source_cte else "",
        table=table,
        joins=added.joins,
        where=" AND ".join(conditions) or "true",
        feature=_feature_sql(layer, extra_properties, output_crs),
    )
    with reads_connection().cursor() as cursor:
        cursor.execute(sql, {**params, "limit": limit, "offset": offset})
        number_matched, number_returned, features_json = cursor.fetchone()
    return FeaturePage(
        number_matched=number_matched,
        number_returned=number_returned,
        limit=limit,
        offset=offset,
        features_json=features_json,
    )


def _feature_sql(
    layer: Layer,
    extra_properties: tuple[tuple[str, str], ...] = (),
    output_crs: OutputCrs = LON_LAT,
) -> str:
    properties = ", ".join(
        f"'{key}', {expression}" for key, expression in (*layer.properties, *extra_properties)
    )
    geometry = f"f.{layer.geometry_column}"
    return (
        "json_build_object('type', 'Feature', 'id', f.id, "
        f"'geometry', {geometry_json_sql(geometry, output_crs, snap_rounded=layer.snap_rounded)}, "
        f"'properties', json_build_object({properties}))"
    )


def geometry_json_sql(geometry: str, output_crs: OutputCrs, *, snap_rounded: bool) -> str:
    """GeoJSON geometry of the SQL expression ``geometry`` (SRID 4326) in ``output_crs``: our
    constants only, the SRID an int from the server's own list. ``snap_rounded``: the
    expression is a multipolygon to round by snap-rounding."""
    if output_crs.srid != 4326:
        geometry = f"ST_Transform({geometry}, {int(output_crs.srid)})"
    if snap_rounded:
        # Rounded to the decimals written by snap-rounding, which keeps polygons valid: plain
        # rounding (ST_AsGeoJSON's own) made 36 of the demo's 36 remaining-CHA features invalid
        # in QGIS (self-intersections where two parts of the land nearly touch). ST_Multi:
        # snap-rounding makes a multipolygon of one part a Polygon. Not for the records' own
        # polygons, whose vertices it would renumber.
        geometry = f"ST_Multi(ST_ReducePrecision({geometry}, 1e-{int(output_crs.decimals)}))"
    if output_crs.northing_first:
        geometry = f"ST_FlipCoordinates({geometry})"
    # Options 0: no "crs" member in a geometry (RFC 7946 has none; Content-Crs says it).
    return f"ST_AsGeoJSON({geometry}, {int(output_crs.decimals)}, 0)::json"


def feature_conditions(layer: Layer, filters: FeatureFilters) -> tuple[list[str], dict]:
    """SQL conditions (our constants) and the parameters that carry the client's values."""
    geometry = f"f.{layer.geometry_column}"
    conditions: list[str] = []
    params: dict = {}
    if filters.organisation is not None:
        conditions.append("f.organisation_id = %(organisation_id)s")
        params["organisation_id"] = _organisation_id(filters.organisation)
    if filters.year is not None:
        # A date range rather than extract(year ...) so that an index on the date can serve it.
        conditions.append(
            f"f.{layer.year_column} >= %(year_start)s AND f.{layer.year_column} < %(year_end)s"
        )
        params["year_start"] = dt.date(filters.year, 1, 1)
        params["year_end"] = dt.date(filters.year + 1, 1, 1)
    for column in COLUMN_FILTERS:
        value = getattr(filters, column)
        if value is not None:
            conditions.append(f"f.{column} = %({column})s")
            params[column] = value
    if filters.admin_unit is not None:
        # Which unit a record lies in is computed from geometry, never stored (boundaries change).
        conditions.append(
            f"ST_Intersects({geometry}, "
            "(SELECT geometry FROM registry_adminunit WHERE id = %(admin_unit_id)s))"
        )
        params["admin_unit_id"] = _admin_unit_id(
            filters.admin_unit, boundary_set=filters.admin_unit_boundary_set
        )
    if filters.bbox is not None:
        envelope = "ST_MakeEnvelope(%(min_lon)s, %(min_lat)s, %(max_lon)s, %(max_lat)s, 4326)"
        if filters.bbox.srid != 4326:
            # A rectangle of a projected CRS has curved edges in lon/lat: its sides are cut into
            # 64 pieces before it is brought to WGS 84, where the index is.
            envelope = (
                "ST_Transform(ST_Segmentize(ST_MakeEnvelope(%(min_lon)s, %(min_lat)s, "
                "%(max_lon)s, %(max_lat)s, %(bbox_srid)s), "
                "greatest(%(max_lon)s - %(min_lon)s, %(max_lat)s - %(min_lat)s) / 64.0), 4326)"
            )
            params["bbox_srid"] = filters.bbox.srid
        # ST_Intersects carries the && test the GiST index answers, then the exact one.
        conditions.append(f"ST_Intersects({geometry}, {envelope})")
        params.update(
            min_lon=filters.bbox.min_lon,
            min_lat=filters.bbox.min_lat,
            max_lon=filters.bbox.max_lon,
            max_lat=filters.bbox.max_lat,
        )
    if filters.datetime is not None:
        conditions.append(_date_condition(layer, filters.datetime, params))
    if filters.feature_id is not None:
        conditions.append("f.id = %(feature_id)s")
        params["feature_id"] = filters.feature_id
    return conditions, params


def _date_condition(layer: Layer, interval: DateInterval, params: dict) -> str:
    """One of the layer's dates within the interval (a null date never matches)."""
    bounds = []
    if interval.start is not None:
        bounds.append("{column} >= %(date_start)s")
        params["date_start"] = interval.start
    if interval.end is not None:
        bounds.append("{column} <= %(date_end)s")
        params["date_end"] = interval.end
    if not bounds:
        # "../..": any date at all, but a date.
        bounds.append("{column} IS NOT NULL")
    per_column = [
        "(" + " AND ".join(bound.format(column=f"f.{column}") for bound in bounds) + ")"
        for column in layer.date_columns
    ]
    return "(" + " OR ".join(per_column) + ")"


@dataclass(frozen=True)
class LayerExtent:
    """Where and when a layer's features lie: a lon/lat box (None: no features) and the first
    and last of its dates (None where it has no dates)."""

    bbox: tuple[float, float, float, float] | None
    first_date: dt.date | None
    last_date: dt.date | None


@scoped_reads()
def layer_extent(layer: Layer, *, filters: FeatureFilters = FeatureFilters()) -> LayerExtent:
    """The extent of the features of ``layer`` in the active reading scope that ``filters``
    keep (the OGC collections' ``extent``)."""
    conditions, params = feature_conditions(layer, filters)
    dates = [f"f.{column}" for column in layer.date_columns]
    first = f"least({', '.join(f'min({d})' for d in dates)})" if dates else "NULL::date"
    last = f"greatest({', '.join(f'max({d})' for d in dates)})" if dates else "NULL::date"
    sql = (
        f"SELECT ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e), first, last FROM ("
        f"SELECT ST_Extent(f.{layer.geometry_column}) AS e, {first} AS first, {last} AS last "
        f"FROM {layer.table} f WHERE {' AND '.join(conditions) or 'true'}) extent"
    )
    with reads_connection().cursor() as cursor:
        cursor.execute(sql, params)
        min_x, min_y, max_x, max_y, first_date, last_date = cursor.fetchone()
    bbox = None if min_x is None else (min_x, min_y, max_x, max_y)
    return LayerExtent(bbox=bbox, first_date=first_date, last_date=last_date)


def _organisation_id(slug: str) -> int:
    organisation_id = Organisation.objects.filter(slug=slug).values_list("id", flat=True).first()
    if organisation_id is None:
        raise UnknownReference(
            parameter="organisation",
            message=gettext("no organisation with slug %(slug)r (see /api/v1/organisations/)")
            % {"slug": slug},
        )
    return organisation_id


def _admin_unit_id(code: str, *, boundary_set: str | None) -> int:
    """The unit with this code. Codes differ between the sets (districts of 2019 have 3 digits,
    communes of 2025 have 5, the two provinces 45 and 44), so the code alone usually decides the
    set; ``boundary_set`` is needed only if a code ever appears in both."""
    units = AdminUnit.objects.filter(code=code)
    if boundary_set is not None:
        units = units.filter(boundary_set=boundary_set)
    matches = list(units.values_list("id", "boundary_set")[:2])
    if not matches:
        if boundary_set:
            message = gettext(
                "no admin unit with code %(code)r in boundary set %(boundary_set)s "
                "(see /api/v1/admin-units/)"
            ) % {"code": code, "boundary_set": boundary_set}
        else:
            message = gettext("no admin unit with code %(code)r (see /api/v1/admin-units/)") % {
                "code": code
            }
        raise UnknownReference(parameter="admin_unit", message=message)
    if len(matches) > 1:
        sets = " and ".join(sorted(boundary_set for _id, boundary_set in matches))
        raise AmbiguousParameter(
            parameter="admin_unit",
            message=gettext("code %(code)r exists in boundary sets %(sets)s; add boundary_set")
            % {"code": code, "sets": sets},
        )
    return matches[0][0]
