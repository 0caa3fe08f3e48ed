"""One page of a collection's items: the feature selectors of /api/v1 with what a collection
adds, the derived land as the relation it reads, or the release figures of each unit beside the
units' boundaries. Run inside the ``reading(scope)`` of the request's user."""

import orjson
from django.utils import timezone

from app.accounting.selectors import release_report
from app.accounting.selectors.derived_land import derived_land_sql
from app.accounts.policy import RecordVisibility
from app.api.selectors.features import (
    FeatureFilters,
    FeaturePage,
    JoinedProperties,
    OutputCrs,
    feature_page,
)
from app.ogc.collections import Collection
from app.ogc.params import DerivedLandQuery

# The release report's figures of a unit, as properties of the units' collections.
FIGURES = ("cha_ha", "released_ha", "cleared_ha", "reduced_ha", "cancelled_ha", "released_pct")

UNIT_FIGURES_JOIN = (
    "LEFT JOIN json_to_recordset(%(unit_figures)s::json) AS figures(code text, "
    + ", ".join(f"{name} float8" for name in FIGURES)
    + ") ON figures.code = f.code"
)


def items_page(
    collection: Collection,
    *,
    filters: FeatureFilters,
    limit: int,
    offset: int,
    visibility: RecordVisibility,
    output_crs: OutputCrs,
    derived: DerivedLandQuery | None = None,
) -> FeaturePage:
    return feature_page(
        collection.layer,
        filters=filters,
        limit=limit,
        offset=offset,
        visibility=visibility,
        output_crs=output_crs,
        source=_derived_land(derived),
        joined=_unit_figures(collection),
    )


def export_sources(collection: Collection, derived: DerivedLandQuery | None):
    """The derived land and the unit figures of an export of ``collection``, as functions that
    app.exports calls inside its reading (``derived_land_sql`` must be built there)."""
    return (lambda: _derived_land(derived)), (lambda: _unit_figures(collection))


def _derived_land(derived: DerivedLandQuery | None) -> tuple[str, dict] | None:
    """The derived land's SQL, built inside the reading that runs it (it reads the store in
    the approved scope and the registry's views in others)."""
    if derived is None:
        return None
    return derived_land_sql(
        land=derived.land,
        as_of=derived.as_of,
        boundary_set=derived.boundary_set,
        level=derived.level,
    )


def _unit_figures(collection: Collection) -> JoinedProperties | None:
    """Release of CHA per unit as of today (the release report, read from the accounting
    store): the figures an aggregates-only account may see, beside each unit's boundary."""
    if not collection.units:
        return None
    as_of = timezone.localdate()
    report = release_report(
        as_of=as_of,
        by=collection.fixed_filters["level"],
        boundary_set=collection.fixed_filters["boundary_set"],
    )
    figures = [
        {"code": row.code, **{name: getattr(row, name) for name in FIGURES}} for row in report.rows
    ]
    return JoinedProperties(
        join=UNIT_FIGURES_JOIN,
        properties=(
            *(
                (name, f"round(figures.{name}::numeric, {1 if name.endswith('pct') else 2})")
                for name in FIGURES
            ),
            ("figures_as_of", "%(figures_as_of)s::date"),
        ),
        params={"unit_figures": orjson.dumps(figures).decode(), "figures_as_of": as_of},
    )
