"""The words the upload pages' scripts show, translated on the server and handed to them.

The templates put ``upload_page_texts()`` into the page with ``json_script`` (id
``upload-texts``); ``static/uploads/texts.js`` reads it. So the one catalogue (app/locale) holds
every word, with no JavaScript catalogue to keep beside it. Placeholders are ``%(name)s``, filled
by the script. A plural is a pair [one, many]: right for English, and Vietnamese has one form.
"""

from collections.abc import Callable

from django.utils.translation import gettext, gettext_lazy, ngettext

# An upload's status and kind in a word: the list's table and the upload page's badge.
STATUS_WORDS = {
    "queued": gettext_lazy("queued"),
    "checking": gettext_lazy("checking"),
    "ready": gettext_lazy("ready"),
    "committing": gettext_lazy("committing"),
    "committed": gettext_lazy("committed"),
    "rejected": gettext_lazy("rejected"),
    "failed": gettext_lazy("failed"),
    "reverting": gettext_lazy("reverting"),
    "reverted": gettext_lazy("reverted"),
    "discarded": gettext_lazy("discarded"),
}
KIND_WORDS = {
    "hazard": gettext_lazy("hazard areas"),
    "release": gettext_lazy("released land"),
    "spot-task": gettext_lazy("spot tasks"),
    "village": gettext_lazy("villages"),
}


def _plural(forms: Callable[[int], str]) -> list[str]:
    """[one, many] of ``forms``, a lambda around one literal ngettext (so makemessages finds it)."""
    return [forms(1), forms(2)]


def upload_page_texts() -> dict:
    """Every text of upload_form.js and upload_status.js, in the active language."""
    return {
        "status": {status: str(word) for status, word in STATUS_WORDS.items()},
        "status_text": {
            "queued": gettext("Waiting for its turn to be checked…"),
            "checking": gettext("Checking the file…"),
            "ready": gettext(
                "Checked. Read the report below, then press Commit to store the accepted features."
            ),
            "committing": gettext("Storing the accepted features…"),
            # A committed upload's sentence follows its review (``committed_review``); this one
            # is for an upload whose review state is not known yet.
            "committed": gettext("Stored."),
            "rejected": gettext(
                "Not stored: the file cannot be used as it is. The report says why and what to do."
            ),
            # The check's or the commit's: the error below says which, and why.
            "failed": gettext(
                "Stopped on an unexpected error; nothing was stored. Send the file to the "
                "database manager with the upload number."
            ),
            "reverting": gettext("Removing the records this upload stored…"),
            "reverted": gettext("Reverted: the records this upload stored have been removed."),
            "discarded": gettext("Discarded: nothing was stored. The report is kept below."),
        },
        # A committed upload by its review state (the API's review.status, summed up from
        # its records: app.uploads.selectors).
        "committed_review": {
            "submitted": gettext(
                "Stored, waiting for review: the features count on the maps and in the "
                "statistics once an analyst approves them."
            ),
            "draft": gettext(
                "Stored, sent back for correction: correct the records listed below and submit "
                "them again; they count once an analyst approves them."
            ),
            "approved": gettext(
                "Stored and approved: the features count on the maps and in the statistics."
            ),
            "rejected": gettext(
                "Stored, but rejected: the features do not count on the maps or in the statistics."
            ),
            "mixed": gettext(
                "Stored and reviewed record by record: the approved features count on the maps "
                "and in the statistics, the rejected ones do not."
            ),
        },
        "kind": {kind: str(word) for kind, word in KIND_WORDS.items()},
        "found_by": {
            "mapping": gettext("your column names"),
            "name": gettext("name"),
            "shapefile name": gettext("shapefile name"),
            "alias": gettext("alias"),
        },
        "records_removed": gettext("%(n)s records removed."),
        "sent_at": gettext("sent %(time)s"),
        # The report
        "features_read": gettext("features read"),
        "accepted": gettext("accepted"),
        "repaired": gettext("repaired"),
        "rejected_count": gettext("rejected"),
        "file": gettext("File"),
        "layer": gettext("Layer"),
        "format": gettext("Format"),
        "crs": gettext("Coordinate system"),
        "encoding": gettext("Text encoding"),
        "total_area": gettext("Total area"),
        "total_area_help": gettext("Geodesic hectares of the accepted features."),
        "what_was_read": gettext("What was read"),
        "columns_used": gettext("Columns used"),
        "field": gettext("Field"),
        "column_in_file": gettext("Column in the file"),
        "found_by_heading": gettext("Found by"),
        "not_found": gettext("not found"),
        "given": gettext("given: %(value)s"),
        "value_given": gettext("value given for missing cells"),
        "unused_columns": gettext("Columns not stored:"),
        "unused_columns_help": gettext(
            "No field reads them; map one to a field if it should be stored."
        ),
        "feature_count": _plural(lambda n: ngettext("%(n)s feature", "%(n)s features", n)),
        "where": gettext("Where the features lie"),
        "districts": gettext("Districts (the 10 districts before the 2025 reform)"),
        "communes": gettext("Communes (since 2025)"),
        "with_count": gettext("%(title)s (%(n)s)"),
        "feature": gettext("Feature"),
        "reference": gettext("Reference"),
        "rejected_features": gettext("Rejected features"),
        "why": gettext("Why"),
        "repaired_features": gettext("Repaired features"),
        "what_was_done": gettext("What was done"),
        "warnings": gettext("Warnings"),
        "warnings_help": gettext("Stored anyway if you commit; check them first."),
        "conflicts": gettext("Conflicts"),
        "conflicts_help": gettext(
            "These references are already stored. Choose above whether Commit replaces or skips "
            "them."
        ),
        "of_feature": gettext("(feature %(n)s)"),
        "overlapping": gettext("Overlapping records already stored"),
        "overlaps_stored": gettext("Overlaps stored record"),
        "outside_cha": gettext("Releases outside any confirmed hazardous area (CHA)"),
        "feature_n": gettext("feature %(n)s"),
        "features_list": gettext("features %(list)s"),
        "and": gettext(" and "),
        "identical": gettext("Features with identical geometries"),
        "warning_details": gettext("Details of the warnings"),
        "see_upload": gettext("See upload %(id)s, which stored this file"),
        "raw_report": gettext("The full report as the API gives it"),
        # Commit, revert and the links after a commit
        "commit_all": gettext("Commit stores the %(accepted)s at once."),
        "commit_some": _plural(
            lambda n: ngettext(
                "Commit stores the %(accepted)s at once; the %(rejected)s is left out.",
                "Commit stores the %(accepted)s at once; the %(rejected)s are left out.",
                n,
            )
        ),
        "accepted_feature": _plural(
            lambda n: ngettext("%(n)s accepted feature", "%(n)s accepted features", n)
        ),
        "rejected_feature": _plural(
            lambda n: ngettext("%(n)s rejected feature", "%(n)s rejected features", n)
        ),
        "records_stored": gettext("%(n)s records stored"),
        "records_replaced": gettext("%(n)s stored records replaced"),
        "features_skipped": gettext("%(n)s features skipped (reference already stored)"),
        "unit_map_in_year": gettext("Map of %(name)s in %(year)s"),
        "unit_map_latest": gettext("Map of %(name)s (latest year)"),
        "province_map_in_year": gettext("Province map in %(year)s"),
        "province_map_latest": gettext("Province map (latest year)"),
        "dashboard_in_year": gettext("Dashboard of %(year)s"),
        "dashboard_latest": gettext("Dashboard (latest year)"),
        "release_stats": gettext("Release statistics by district, as of today:"),
        "clearance_stats": gettext("Clearance statistics for %(year)s by district:"),
        "points_inside": gettext("%(share)s of the points inside the area"),
        "resend": {
            "crs": [
                gettext("Choose the coordinate system and send the file again"),
                gettext(
                    "The file does not say which coordinate system its coordinates are in, and "
                    "it is never guessed."
                ),
            ],
            "layer": [
                gettext("Choose the layer and send the file again"),
                gettext(
                    "The file holds several layers; say which one to read. It is never the first "
                    "one silently."
                ),
            ],
            "encoding": [
                gettext("Choose the text encoding and send the file again"),
                gettext("The encoding of the names in the file could not be told for sure."),
            ],
        },
        "unreachable_retrying": gettext("The server cannot be reached; trying again…"),
        "unreadable_upload": gettext("The upload could not be read (HTTP %(status)s)."),
        "refused": gettext("Refused (HTTP %(status)s)."),
        "unreachable_unchanged": gettext(
            "The server cannot be reached. Nothing was changed; try again."
        ),
        "confirm_revert": gettext(
            "Remove every record this upload stored? The file and its report are kept."
        ),
        "confirm_discard": gettext(
            "Discard this upload? Nothing of it will be stored; to store the file later, send it "
            "again. Its report is kept."
        ),
        # The form (upload_form.js)
        "pairs": {
            "mapping": gettext("Column names"),
            "defaults": gettext("Values for missing columns"),
        },
        "pair_invalid": gettext(
            "%(label)s: write each on its own line as field=value (e.g. reference=MA_KV), "
            'not "%(pair)s".'
        ),
        "too_large": gettext("The file is larger than the server accepts. Split it or zip it."),
        "not_accepted": gettext(
            "The server did not accept the file (HTTP %(status)s). Try again; if it keeps "
            "failing, send the file to the database manager."
        ),
        "unreachable_send": gettext(
            "The server cannot be reached. Check the connection and send again."
        ),
    }
