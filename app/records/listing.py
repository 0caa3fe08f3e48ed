"""Finding records: one layer's records, as far as the user may see them, filtered and paged.

The list page (/records/<layer>/) reads the tables themselves, not a reading scope: it lists
records in every review state the user may see (app.accounts.policy.visible_records, the rule
of the API's ``status`` lists), so that a coordinator finds their drafts and an analyst what
waits for review. Deleted records are left out, or listed alone for those who may undo a
deletion (``ListFilters.deleted``). Targets and admin units are reference data: no review
state, every role reads them.
"""

import datetime as dt
from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import Q
from django.db.models.expressions import RawSQL
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from app.accounting.sql import hectares, valid
from app.accounts import policy
from app.accounts.language import in_english
from app.records import labels
from app.records.layers import RecordLayer
from app.records.selectors import check_may_see_positions, record_url
from app.registry.models import Organisation, ReviewStatus

PAGE_SIZE = 50

# The columns of each layer's list, by the names the record page and its labels use
# (app/records/labels.py); "name" is a village's or unit's name in the reader's language.
COLUMNS: dict[str, tuple[str, ...]] = {
    "hazards": ("reference", "kind", "organisation", "recorded_on", "status", "area_ha"),
    "releases": ("reference", "method", "organisation", "completed_on", "status", "area_ha"),
    "spot-tasks": ("reference", "organisation", "completed_on", "items_destroyed", "status"),
    "villages": ("code", "name", "organisation", "nts_completed_on", "ts_completed_on", "status"),
    "targets": ("year", "metric", "admin_unit", "organisation", "value"),
    "admin-units": ("code", "name", "level", "boundary_set", "valid_from", "valid_to", "area_ha"),
}

# Each list's title, the tabs of the list pages.
LIST_TITLES = {
    "hazards": gettext_lazy("Hazard areas"),
    "releases": gettext_lazy("Released land"),
    "spot-tasks": gettext_lazy("Spot tasks"),
    "villages": gettext_lazy("Villages"),
    "targets": gettext_lazy("Annual targets"),
    "admin-units": gettext_lazy("Admin units"),
}

# Labels of the columns that are no field of the record page.
COLUMN_LABELS = {"name": gettext_lazy("Name")}

# What the search box matches (case-insensitive, anywhere in the text); a target by its year
# or its unit's code.
SEARCHED: dict[str, tuple[str, ...]] = {
    "hazards": ("reference",),
    "releases": ("reference",),
    "spot-tasks": ("reference",),
    "villages": ("code", "name_vi", "name_en"),
    "targets": ("admin_unit__code",),
    "admin-units": ("code", "name_vi", "name_en"),
}


class BadFilter(ValueError):
    """A filter the list cannot apply; ``parameter`` names it (the page shows the message)."""

    def __init__(self, *, parameter: str, message: str):
        super().__init__(message)
        self.parameter = parameter
        self.message = message


@dataclass(frozen=True)
class ListFilters:
    """What the user asked for; None or empty: no filter. ``organisation`` is a slug."""

    status: str | None = None
    organisation: str | None = None
    search: str = ""
    deleted: bool = False


@dataclass(frozen=True)
class RecordRow:
    """One record of the list: its page, and its cells, (column name, value as a person reads
    it), in the order of ``COLUMNS``."""

    id: int
    url: str
    cells: tuple[tuple[str, object], ...]
    status: str | None
    deleted_at: object


@dataclass(frozen=True)
class RecordList:
    layer: RecordLayer
    columns: tuple[tuple[str, str], ...]
    """(name, label) of each column."""
    page: Page
    rows: tuple[RecordRow, ...]


def has_organisation(layer: RecordLayer) -> bool:
    return _has_field(layer, "organisation")


def statuses_to_filter(user, layer: RecordLayer) -> list[tuple[str, str]]:
    """(value, label) of the review states the user may filter ``layer`` by: approved for every
    reader, all four for those who see records not yet approved; none for reference data."""
    if not layer.reviewed:
        return []
    return [
        (value, str(label))
        for value, label in ReviewStatus.choices
        if value == ReviewStatus.APPROVED or policy.can_include_submitted(user)
    ]


def record_list(
    *, layer: RecordLayer, user, filters: ListFilters, page_number: str | int | None = 1
) -> RecordList:
    """The page ``page_number`` of ``layer``'s records that ``user`` may see, newest first.

    Raises NotAllowed for exact positions to an aggregates-only user, for a review state the
    user may not list (``policy.check_status_filter``) and for deleted records to those who may
    not undo a deletion; BadFilter for a filter the layer does not have or an unknown
    organisation (parameter named)."""
    check_may_see_positions(layer, user)
    records = _filtered(layer, user, filters)
    if layer.has_area:
        column = f'"{layer.table}"."{layer.geometry_column}"'
        records = records.annotate(area_ha=RawSQL(hectares(valid(column)), ()))
    related = [name for name in ("organisation", "admin_unit") if _has_field(layer, name)]
    records = records.select_related(*related).order_by("-id")
    page = Paginator(records, PAGE_SIZE).get_page(page_number)
    columns = COLUMNS[layer.name]
    return RecordList(
        layer=layer,
        columns=tuple(
            (name, str(COLUMN_LABELS.get(name) or labels.field_label(name))) for name in columns
        ),
        page=page,
        rows=tuple(_row(layer, record, columns) for record in page.object_list),
    )


def _filtered(layer: RecordLayer, user, filters: ListFilters):
    records = layer.model.objects.all()
    if filters.deleted:
        policy.check_deleted_filter(user, reference_data=not layer.reviewed)
        records = records.filter(deleted_at__isnull=False)
    else:
        records = records.filter(deleted_at__isnull=True)
    if layer.reviewed:
        records = policy.visible_records(user, records)
    elif not policy.can_view_data(user):
        records = records.none()
    if filters.status:
        if not layer.reviewed:
            raise BadFilter(
                parameter="status",
                message=_("%(layer)s have no review state") % {"layer": layer.label},
            )
        policy.check_status_filter(user, filters.status)
        records = records.filter(status=filters.status)
    if filters.organisation:
        if not has_organisation(layer):
            raise BadFilter(
                parameter="organisation",
                message=_("%(layer)s belong to no organisation") % {"layer": layer.label},
            )
        organisation = Organisation.objects.filter(slug=filters.organisation).first()
        if organisation is None:
            raise BadFilter(
                parameter="organisation",
                message=_("no organisation with slug %(slug)s") % {"slug": filters.organisation},
            )
        records = records.filter(organisation=organisation)
    search = filters.search.strip()
    if search:
        matches = Q()
        for name in SEARCHED[layer.name]:
            matches |= Q(**{f"{name}__icontains": search})
        if layer.name == "targets" and search.isdigit():
            matches |= Q(year=int(search))
        records = records.filter(matches)
    return records


def _has_field(layer: RecordLayer, name: str) -> bool:
    return any(field.name == name for field in layer.model._meta.get_fields())


def _row(layer: RecordLayer, record, columns: tuple[str, ...]) -> RecordRow:
    return RecordRow(
        id=record.pk,
        url=record_url(layer, record.pk),
        cells=tuple((name, _cell(record, name)) for name in columns),
        status=getattr(record, "status", None),
        deleted_at=record.deleted_at,
    )


def _cell(record, name: str):
    if name == "name":
        # A village's or unit's name in the reader's language (English where it has one).
        return record.name_en if in_english() and record.name_en else record.name_vi
    value = getattr(record, name)
    if name == "organisation":
        return value.name if value else None
    if name == "admin_unit":
        return value.code if value else None
    if isinstance(value, dt.date):
        return value.isoformat()
    return labels.shown_value(name, value)
