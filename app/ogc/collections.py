"""The collections of /ogc/: which layer each serves, which of its records, and what a client
may filter it by (its queryables, OGC API Features Part 3).

Each collection is a ``Layer`` of app.api.selectors.layers with fixed filters (the admin-unit
collections are one level of one boundary set), so an item is the same feature, with the same
properties, as in the /api/v1 lists.
"""

from dataclasses import dataclass, field

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from app.accounting.selectors.derived_land import RELEASED_METHODS
from app.api.selectors import layers
from app.registry.models import HazardKind, ReleaseMethod, ReviewStatus


@dataclass(frozen=True)
class Queryable:
    """A property a client filters items by with ``<name>=<value>``; ``values`` lists the
    values it takes (None: any, checked by the selector, e.g. an organisation slug)."""

    name: str
    title: Promise
    values: tuple[str, ...] | None = None

    def schema(self) -> dict:
        schema = {"title": str(self.title), "type": "string"}
        if self.values is not None:
            schema["enum"] = list(self.values)
        return schema


ORGANISATION = Queryable("organisation", _("Organisation (slug, see /api/v1/organisations/)"))
METHOD = Queryable("method", _("Release method"), tuple(ReleaseMethod.values))
KIND = Queryable(
    "kind", _("Hazard kind: SHA (suspected) or CHA (confirmed)"), tuple(HazardKind.values)
)
STATUS = Queryable("status", _("Review status"), tuple(ReviewStatus.values))
ADMIN_UNIT = Queryable("admin_unit", _("Admin unit code: features intersecting the unit"))
RELEASED_METHOD = Queryable(
    "method", _("Release method; released: by any method"), RELEASED_METHODS
)


@dataclass(frozen=True)
class Collection:
    id: str
    title: Promise
    description: Promise
    layer: layers.Layer
    queryables: tuple[Queryable, ...] = ()
    # FeatureFilters every request of the collection carries (one level of one boundary set).
    fixed_filters: dict = field(default_factory=dict)
    # Reviewed records: approved by default, pending work with include=submitted.
    reviewed: bool = True
    # The property the datetime filter reads, for the HTML page and the OpenAPI text.
    date_property: str | None = None

    # Admin units, which aggregates-only accounts read too (the brief of issue 10: their
    # collections are the unit aggregates alone, so villages are not theirs here either).
    units: bool = False
    # The land of app.accounting.selectors.derived_land ("remaining-cha", "released-land"),
    # with the parameters as_of, boundary_set and level.
    derived_land: str | None = None

    @property
    def exact_positions(self) -> bool:
        """Positions of records (no-store; not for aggregates-only accounts)."""
        return not self.units


COLLECTIONS: dict[str, Collection] = {
    collection.id: collection
    for collection in (
        Collection(
            id="hazards",
            title=_("Hazard areas"),
            description=_("Suspected (SHA) and confirmed (CHA) hazardous areas."),
            layer=layers.HAZARDS,
            queryables=(ORGANISATION, KIND, STATUS, ADMIN_UNIT),
            date_property="recorded_on",
        ),
        Collection(
            id="releases",
            title=_("Released land"),
            description=_("Land released by cancellation, reduction or clearance."),
            layer=layers.RELEASES,
            queryables=(ORGANISATION, METHOD, STATUS, ADMIN_UNIT),
            date_property="completed_on",
        ),
        Collection(
            id="spot-tasks",
            title=_("EOD spot tasks"),
            description=_("Explosive ordnance disposal spot tasks (points)."),
            layer=layers.SPOT_TASKS,
            queryables=(ORGANISATION, STATUS, ADMIN_UNIT),
            date_property="completed_on",
        ),
        Collection(
            id="villages",
            title=_("Villages"),
            description=_("Villages (thôn) and the dates of their surveys."),
            layer=layers.VILLAGES,
            queryables=(STATUS, ADMIN_UNIT),
            date_property="nts_completed_on, ts_completed_on",
        ),
        Collection(
            id="districts-2019",
            title=_("Districts (2019 boundaries)"),
            description=_("The districts of Quảng Trị before the 2025 reform."),
            layer=layers.ADMIN_UNITS,
            fixed_filters={"level": "district", "boundary_set": "2019"},
            reviewed=False,
            units=True,
        ),
        Collection(
            id="communes-2025",
            title=_("Communes (2025 boundaries)"),
            description=_("The communes of Quảng Trị after the 2025 reform."),
            layer=layers.ADMIN_UNITS,
            fixed_filters={"level": "commune", "boundary_set": "2025"},
            reviewed=False,
            units=True,
        ),
        Collection(
            id="remaining-cha",
            title=_("Remaining CHA"),
            description=_(
                "Confirmed hazardous areas not yet released as of a date (as_of), dissolved "
                "per admin unit (boundary_set, level)."
            ),
            layer=layers.DERIVED_LAND,
            derived_land="remaining-cha",
        ),
        Collection(
            id="released-land",
            title=_("Released land by method"),
            description=_(
                "Land of the CHA released by a date (as_of), dissolved per admin unit "
                "(boundary_set, level) and method: released (any method), cleared, reduced, "
                "cancelled."
            ),
            layer=layers.DERIVED_LAND,
            queryables=(RELEASED_METHOD,),
            derived_land="released-land",
        ),
    )
}
