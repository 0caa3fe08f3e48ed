"""What each GeoJSON list serves: its table, its geometry and its properties as SQL.

Every string here is a constant written by us; user input never reaches these fragments, it only
travels as query parameters (see ``features.py``). Inside the SQL the layer's table is ``f`` and
its organisation, where it has one, is ``o``.
"""

from dataclasses import dataclass

from app.accounting.sql import hectares

# The project's one SQL hectare (geodesic, WGS 84 ellipsoid), rounded at the edge to 2 decimals
# as every hectare in the JSON is. tests/api/test_feature_properties.py checks it against
# gis.areas.geodesic_area_ha on the same shapes.
AREA_HA = f"round(({hectares('f.geometry')})::numeric, 2)"

ORGANISATION_JOIN = "JOIN registry_organisation o ON o.id = f.organisation_id"


@dataclass(frozen=True)
class Layer:
    """A table served as GeoJSON features.

    ``properties`` are (JSON key, SQL expression) pairs, in the order clients see them.
    ``filters`` names the filters of ``FeatureFilters`` that apply; ``year_column`` is the date
    column the ``year`` filter reads; ``date_columns`` those the ``datetime`` interval filter
    and the temporal extent read (a feature matches when one of them falls in the interval).
    ``exact_positions``: the layer shows where ordnance is or was (restricted), so users limited
    to aggregates may not list it.
    """

    name: str
    table: str
    geometry_column: str
    properties: tuple[tuple[str, str], ...]
    filters: frozenset[str]
    joins: str = ""
    year_column: str | None = None
    date_columns: tuple[str, ...] = ()
    exact_positions: bool = False


ADMIN_UNITS = Layer(
    name="admin units",
    table="registry_adminunit",
    geometry_column="geometry",
    properties=(
        ("code", "f.code"),
        ("name_vi", "f.name_vi"),
        ("name_en", "f.name_en"),
        ("level", "f.level"),
        ("boundary_set", "f.boundary_set"),
        ("parent_code", "parent.code"),
        ("valid_from", "f.valid_from"),
        ("valid_to", "f.valid_to"),
        ("area_ha", AREA_HA),
    ),
    filters=frozenset({"level", "boundary_set", "bbox", "deleted"}),
    joins="LEFT JOIN registry_adminunit parent ON parent.id = f.parent_id",
)

HAZARDS = Layer(
    name="hazards",
    table="registry_hazardarea",
    geometry_column="geometry",
    properties=(
        ("reference", "f.reference"),
        ("kind", "f.kind"),
        ("contamination", "f.contamination"),
        ("organisation", "o.slug"),
        ("recorded_on", "f.recorded_on"),
        ("notes", "f.notes"),
        ("status", "f.status"),
        ("area_ha", AREA_HA),
    ),
    filters=frozenset(
        {"organisation", "year", "datetime", "kind", "admin_unit", "bbox", "status", "deleted"}
    ),
    joins=ORGANISATION_JOIN,
    year_column="recorded_on",
    date_columns=("recorded_on",),
    exact_positions=True,
)

RELEASES = Layer(
    name="releases",
    table="registry_releasearea",
    geometry_column="geometry",
    properties=(
        ("reference", "f.reference"),
        ("method", "f.method"),
        ("organisation", "o.slug"),
        ("started_on", "f.started_on"),
        ("completed_on", "f.completed_on"),
        ("depth_cm", "f.depth_cm"),
        ("status", "f.status"),
        ("area_ha", AREA_HA),
    ),
    filters=frozenset(
        {"organisation", "year", "datetime", "method", "admin_unit", "bbox", "status", "deleted"}
    ),
    joins=ORGANISATION_JOIN,
    year_column="completed_on",
    date_columns=("completed_on",),
    exact_positions=True,
)

SPOT_TASKS = Layer(
    name="spot tasks",
    table="registry_spottask",
    geometry_column="location",
    properties=(
        ("reference", "f.reference"),
        ("organisation", "o.slug"),
        ("completed_on", "f.completed_on"),
        ("items_destroyed", "f.items_destroyed"),
        ("status", "f.status"),
    ),
    filters=frozenset(
        {"organisation", "year", "datetime", "admin_unit", "bbox", "status", "deleted"}
    ),
    joins=ORGANISATION_JOIN,
    year_column="completed_on",
    date_columns=("completed_on",),
    exact_positions=True,
)

VILLAGES = Layer(
    name="villages",
    table="registry_village",
    geometry_column="location",
    properties=(
        ("code", "f.code"),
        ("name_vi", "f.name_vi"),
        ("name_en", "f.name_en"),
        ("nts_completed_on", "f.nts_completed_on"),
        ("ts_completed_on", "f.ts_completed_on"),
        ("status", "f.status"),
    ),
    filters=frozenset({"admin_unit", "bbox", "datetime", "status", "deleted"}),
    # Surveyed in the interval: the non-technical or the technical survey completed then.
    date_columns=("nts_completed_on", "ts_completed_on"),
)

# The land of app.accounting.selectors.derived_land (remaining CHA, released land by method as of
# a date, dissolved per unit): ``table`` names the relation its SQL builds per request
# (feature_page's ``source``). Ids are '<unit code>/<method>'.
DERIVED_LAND = Layer(
    name="derived land",
    table="derived_land",
    geometry_column="geometry",
    properties=(
        ("unit_code", "f.unit_code"),
        ("unit_name", "f.unit_name"),
        ("boundary_set", "f.boundary_set"),
        ("level", "f.level"),
        ("method", "f.method"),
        ("as_of", "f.as_of"),
        ("area_ha", "round(f.area_ha::numeric, 2)"),
    ),
    filters=frozenset({"method", "bbox"}),
    exact_positions=True,
)
