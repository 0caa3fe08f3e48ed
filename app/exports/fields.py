"""The full label of each property the lists serve, for the exports' readers.

An export's column keeps the property's name (``completed_on``, as the GeoJSON has it); its label
("Completed on", in the reader's language) heads the Excel column and fills the field tables of
the GeoPackage and the shapefile (whose names are cut to 10 characters). A property not listed
here (a layer added later) is labelled by its name.
"""

from django.utils.translation import gettext_lazy as _

FIELD_LABELS = {
    "id": _("Record id"),
    "reference": _("Reference"),
    "kind": _("Kind"),
    "contamination": _("Contamination"),
    "organisation": _("Organisation"),
    "recorded_on": _("Recorded on"),
    "notes": _("Notes"),
    "status": _("Review status"),
    "method": _("Method"),
    "started_on": _("Started on"),
    "completed_on": _("Completed on"),
    "depth_cm": _("Depth (cm)"),
    "items_destroyed": _("Items destroyed"),
    "code": _("Code"),
    "name_vi": _("Name (Vietnamese)"),
    "name_en": _("Name (English)"),
    "level": _("Level"),
    "boundary_set": _("Boundary set"),
    "parent_code": _("Parent unit code"),
    "valid_from": _("Valid from"),
    "valid_to": _("Valid until"),
    "nts_completed_on": _("Non-technical survey completed on"),
    "ts_completed_on": _("Technical survey completed on"),
    "area_ha": _("Area (ha, geodesic)"),
}


def field_label(name: str) -> str:
    return str(FIELD_LABELS.get(name, name))
