"""An upload's report and error in the reader's language.

The report is stored once, in English (the worker runs without translations). Beside each English
sentence a person reads, it keeps the sentence's code and parameters (``reason_codes`` beside
each rejected feature's ``reasons``, ``repair_codes`` beside ``repairs``, ``warning_codes``
beside ``warnings``, ``error_codes`` beside the parts of ``error``; see gis.messages). Here each
sentence is made again from its template translated into the active language; where a sentence
has no code (GDAL's own warnings, an older report) or the translation cannot be filled, the
stored English stays. The API and the pages show the result; the codes stay in it for scripts.
"""

import copy

from django.utils.translation import get_language, gettext

from gis import messages

# The separator of the English ``error`` of a rejected upload (services.check): its parts are the
# sentences listed in ``error_codes``.
ERROR_SEPARATOR = "; "


def localised_upload(upload: dict) -> dict:
    """``upload`` (selectors.upload_json) with its report and error in the active language."""
    if _english() or not upload.get("report"):
        return upload
    localised = dict(upload)
    localised["report"] = localised_report(upload["report"])
    if upload.get("error"):
        localised["error"] = _localised_error(upload["error"], upload["report"])
    return localised


def localised_report(report: dict) -> dict:
    """A copy of ``report`` whose readable sentences are in the active language."""
    if _english():
        return report
    report = copy.deepcopy(report)
    for row in report.get("rejected") or []:
        if isinstance(row, dict):
            row["reasons"] = _localised_list(row.get("reasons"), row.get("reason_codes"))
    for row in report.get("repaired") or []:
        if isinstance(row, dict):
            row["repairs"] = _localised_list(row.get("repairs"), row.get("repair_codes"))
    if "warnings" in report:
        report["warnings"] = _localised_list(report["warnings"], report.get("warning_codes"))
    if report.get("error"):
        report["error"] = _localised_error(report["error"], report)
    return report


def localised_text(english: str, coded: dict | None) -> str:
    """One sentence: made again from ``coded`` in the active language, or ``english``."""
    if not coded:
        return english
    try:
        return messages.render(coded, gettext)
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


def _english() -> bool:
    return (get_language() or "en").startswith("en")
