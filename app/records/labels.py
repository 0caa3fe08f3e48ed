"""The words the record page shows for a record's fields and coded values, in the reader's
language.

The models' fields carry no translatable verbose names or help texts: giving them some would
alter every field in a migration, for words that are no part of the schema. The page reads its
labels here instead, by the name the field has in the record's GeoJSON properties, its history
and its edit form (the same name everywhere). The API keeps the names and codes themselves.
"""

import datetime as dt
from decimal import Decimal

from django.db import models
from django.utils import formats, timezone
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from app.accounts.language import number_convention
from app.registry.models import (
    BoundarySet,
    Contamination,
    HazardKind,
    Level,
    ReleaseMethod,
    ReviewStatus,
    TargetMetric,
)
from gis.numbers import format_number

FIELD_LABELS = {
    "reference": _("Reference"),
    "kind": _("Kind"),
    "contamination": _("Contamination"),
    "organisation": _("Organisation"),
    "recorded_on": _("Recorded on"),
    "notes": _("Notes"),
    "status": _("State"),
    "area_ha": _("Hectares"),
    "method": _("Method"),
    "started_on": _("Started on"),
    "completed_on": _("Completed on"),
    "depth_cm": _("Clearance depth (cm)"),
    "items_destroyed": _("Items destroyed"),
    "code": _("Code"),
    "name_vi": _("Name in Vietnamese"),
    "name_en": _("Name in English"),
    "nts_completed_on": _("Non-technical survey completed on"),
    "ts_completed_on": _("Technical survey completed on"),
    "upload_id": _("Upload"),
    "year": _("Year"),
    "metric": _("Metric"),
    "admin_unit": _("Admin unit"),
    "boundary_set": _("Boundary set"),
    "value": _("Value"),
    "level": _("Level"),
    "parent_code": _("Part of"),
    "valid_from": _("Valid from"),
    "valid_to": _("Valid until"),
    "deleted_at": _("Deleted at"),
}

# The models' help texts of the editable fields, which the edit form shows as hints: English in
# the models, translated through the catalogue (gettext_noop puts them there).
# tests/records/test_record_labels.py checks that none is missing.
HELP_TEXTS = (
    gettext_noop("Date the hazard was recorded by survey."),
    gettext_noop("Completion date; reports count releases by it."),
    gettext_noop("Clearance depth in cm (30 in Vietnam); clearance only."),
    gettext_noop("Non-technical survey completed (null: not yet)."),
    gettext_noop("Technical survey completed (null: not yet)."),
    gettext_noop("The organisation that reported the survey (null: the province's own list)."),
)

# Fields whose values are codes with a label.
CODED_VALUES: dict[str, type[models.TextChoices]] = {
    "kind": HazardKind,
    "contamination": Contamination,
    "method": ReleaseMethod,
    "status": ReviewStatus,
    "metric": TargetMetric,
    "level": Level,
    "boundary_set": BoundarySet,
}

# A record's review state in a word, inside a sentence ("this record is approved"), where the
# capitalised labels of ReviewStatus would read as titles. The same words as the review pages.
REVIEW_STATE_WORDS = {
    ReviewStatus.DRAFT: _("draft (sent back)"),
    ReviewStatus.SUBMITTED: _("submitted"),
    ReviewStatus.APPROVED: _("approved"),
    ReviewStatus.REJECTED: _("rejected"),
}


def field_label(name: str) -> str:
    """The field's label, or its name where it has none."""
    return str(FIELD_LABELS.get(name, name))


def field_help(field: models.Field) -> str:
    """The model field's help text in the active language."""
    return gettext(field.help_text) if field.help_text else ""


# Fields that hold a moment (stored in UTC; the GeoJSON and the history's jsonb carry it as ISO
# text). Dates (completed_on...) stay ISO, as in the edit form and the API.
MOMENTS = {"deleted_at"}


def shown_moment(moment: dt.datetime | str) -> str:
    """A moment as the reader reads it: in the site's time zone (Asia/Ho_Chi_Minh), in their
    language's short format ("14:05 24-11-2026"; English "24 Nov 2026, 14:05",
    app/formats/en). ``moment`` is an aware datetime or its ISO text."""
    if isinstance(moment, str):
        moment = dt.datetime.fromisoformat(moment)
    return formats.date_format(timezone.localtime(moment), "SHORT_DATETIME_FORMAT")


# Fields that hold a figure, by the decimals it is written with (None: a target's value, whole
# for a count and to 2 places for hectares). Years, codes and record numbers are not figures.
FIGURES = {"area_ha": 2, "depth_cm": 0, "items_destroyed": 0, "value": None}


def shown_figure(name: str, value) -> str:
    """A figure in the reader's convention (1.234,56 in Vietnamese, 1,234.56 in English)."""
    figure = float(value)
    decimals = FIGURES[name]
    if decimals is None:
        decimals = 0 if figure.is_integer() else 2
    return format_number(figure, decimals=decimals, convention=number_convention())


def shown_value(name: str, value):
    """``value`` of the field ``name`` as a person reads it: a code by its label, a moment in
    the site's time zone, a figure in the reader's convention."""
    if name in MOMENTS and value:
        return shown_moment(value)
    if name in FIGURES and isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return shown_figure(name, value)
    choices = CODED_VALUES.get(name)
    if choices is None or value is None:
        return value
    try:
        return str(choices(value).label)
    except ValueError:
        # A code the current choices no longer know (an old version): shown as it is stored.
        return value
