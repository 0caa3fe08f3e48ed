"""An upload's report and error in the reader's language.

The report is stored once, in English (the worker runs without translations). Beside each English
sentence a person reads, it keeps the sentence's code and parameters (``reason_codes`` beside
each rejected feature's ``reasons``, ``repair_codes`` beside ``repairs``, ``warning_codes``
beside ``warnings``, ``error_codes`` beside the parts of ``error``, ``crs_how_code`` and
``encoding_how_code`` beside ``crs_how`` and ``encoding_how``; see gis.messages). Here each
sentence is made again from its template translated into the active language; where a sentence
has no code (GDAL's own warnings, an older report) or the translation cannot be filled, the
stored English stays. Figures and days in the sentences are written as the reader writes them
(1.234,56 / 1,234.56; a day in their short date format), English readers' included. The API and
the pages show the result; the codes and the report's own numbers stay in it for scripts.

The districts and communes the features lie in are stored with their Vietnamese names; an English
reader gets their English names. The operating area is named from ``operating_area_code``.
"""

import copy
import datetime as dt

from django.utils import formats
from django.utils.translation import get_language, gettext

from app.accounts.language import number_convention
from app.registry.models import AdminUnit, BoundarySet
from app.uploads.operating_area import shown_name
from gis import messages

# The separator of the English ``error`` of a rejected upload (services.check): its parts are the
# sentences listed in ``error_codes``.
ERROR_SEPARATOR = "; "
# Where the report lists the admin units the features fall in, and their boundary set.
PLACE_LISTS = {"districts_2019": BoundarySet.LEGACY_2019, "communes_2025": BoundarySet.REFORM_2025}


def localised_upload(upload: dict) -> dict:
    """``upload`` (selectors.upload_json) with its report and error in the active language."""
    if not upload.get("report"):
        return upload
    localised = dict(upload)
    localised["report"] = localised_report(upload["report"])
    if upload.get("error"):
        localised["error"] = _localised_error(upload["error"], upload["report"])
    return localised


def localised_report(report: dict) -> dict:
    """A copy of ``report`` whose readable sentences are in the active language."""
    report = copy.deepcopy(report)
    if report.get("operating_area"):
        report["operating_area"] = shown_name(
            report.get("operating_area_code"), report["operating_area"]
        )
    if _english():
        _name_places_in_english(report)
    for row in report.get("rejected") or []:
        if isinstance(row, dict):
            row["reasons"] = _localised_list(row.get("reasons"), row.get("reason_codes"))
    for row in report.get("repaired") or []:
        if isinstance(row, dict):
            row["repairs"] = _localised_list(row.get("repairs"), row.get("repair_codes"))
    if "warnings" in report:
        report["warnings"] = _localised_list(report["warnings"], report.get("warning_codes"))
    for key in ("crs_how", "encoding_how"):
        if report.get(key):
            report[key] = localised_text(report[key], report.get(f"{key}_code"))
    if report.get("error"):
        report["error"] = _localised_error(report["error"], report)
    return report


def localised_text(english: str, coded: dict | None) -> str:
    """One sentence: made again from ``coded`` in the active language, or ``english``."""
    if not coded:
        return english
    try:
        return messages.render(coded, gettext, numbers=number_convention(), write_day=_short_date)
    except (KeyError, IndexError, ValueError, TypeError):
        # An unknown code (a report from a newer version) or a translation whose fields do
        # not match (the catalogue test guards against it): the stored English is right.
        return english


def _localised_list(english: list | None, codes: list | None) -> list | None:
    if not english or not codes or len(codes) != len(english):
        return english
    return [localised_text(text, coded) for text, coded in zip(english, codes, strict=True)]


def _localised_error(english: str, report: dict) -> str:
    codes = report.get("error_codes") or []
    if len(codes) == 1:
        return localised_text(english, codes[0])
    parts = english.split(ERROR_SEPARATOR)
    if not codes or len(parts) != len(codes):
        return english
    return ERROR_SEPARATOR.join(_localised_list(parts, codes))


def _name_places_in_english(report: dict) -> None:
    for key, boundary_set in PLACE_LISTS.items():
        places = [place for place in report.get(key) or [] if isinstance(place, dict)]
        codes = [place.get("code") for place in places]
        if not codes:
            continue
        names = dict(
            AdminUnit.objects.filter(boundary_set=boundary_set, code__in=codes)
            .exclude(name_en="")
            .values_list("code", "name_en")
        )
        for place in places:
            place["name"] = names.get(place.get("code"), place.get("name"))


def _short_date(day: dt.date) -> str:
    # "24-11-2026" in Vietnamese, "24 Nov 2026" in English (app/formats/en).
    return formats.date_format(day, "SHORT_DATE_FORMAT")


def _english() -> bool:
    return (get_language() or "en").startswith("en")
